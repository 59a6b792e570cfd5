"""The facilitator console: agenda, the current item's clock, its ideas, speakers and minutes, and
the join QR code.

The screen holds no meeting state of its own and opens no transactions: the app owns the meeting
session (one write per intent) and the feed follower; this screen draws the app's live view when
the app's ``meeting_signal`` says what changed, redrawing only the parts (and the ideas) named.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from meetingtui.domain.ideas import IdeaInput, idea_input
from meetingtui.domain.models import AgendaItem, Idea, Speaker
from meetingtui.domain.snapshot import LiveMeeting
from meetingtui.domain.speakers import CARRY_OVER, NOT_HEARD_CHOICE
from meetingtui.domain.states import MeetingStatus, SpeakerStatus
from meetingtui.domain.vocab import CHANNELS, STAKEHOLDERS, label
from meetingtui.domain.words import counted
from meetingtui.session import LiveChange, MeetingSession
from meetingtui.tui.clock import Clock
from meetingtui.tui.failure import failure_text
from meetingtui.tui.messages import DraftLoaded
from meetingtui.tui.screens.agenda import AgendaScreen
from meetingtui.tui.screens.browse import BrowseScreen
from meetingtui.tui.screens.choice import ChoiceScreen
from meetingtui.tui.screens.confirm import ConfirmScreen
from meetingtui.tui.screens.edit_conflict import edit_saver
from meetingtui.tui.screens.export import ExportDialog
from meetingtui.tui.screens.form_dialog import FormDialog, FormField
from meetingtui.tui.screens.help import HelpScreen, bindings_of
from meetingtui.tui.screens.idea_form import CARD_FIELD, IdeaFormScreen, SaveIdea
from meetingtui.tui.screens.idea_form import FIELDS as IDEA_FORM_FIELDS
from meetingtui.tui.screens.moderation import ModerationScreen
from meetingtui.tui.screens.projector import ProjectorScreen
from meetingtui.tui.screens.reach import ReachScreen
from meetingtui.tui.screens.record_form import record_edit_form, record_form
from meetingtui.tui.type_ahead import hold_keys, release_keys
from meetingtui.tui.widgets.agenda_panel import AgendaPanel
from meetingtui.tui.widgets.ideas_view import IdeasView
from meetingtui.tui.widgets.item_timer import ItemTimer
from meetingtui.tui.widgets.join_panel import JoinPanel
from meetingtui.tui.widgets.meeting_header import MeetingHeader
from meetingtui.tui.widgets.poll_line import PollLine
from meetingtui.tui.widgets.reach_line import ReachLine
from meetingtui.tui.widgets.record_list import RecordList
from meetingtui.tui.widgets.speaker_list import SpeakerList
from meetingtui.tui.widgets.whole_footer import WholeKeysFooter

if TYPE_CHECKING:
    from meetingtui.tui.app import MeetingConsoleApp

PANELS = ("ideas", "speakers", "records")
PANEL_TITLES = {"ideas": "Ideas", "speakers": "Queue", "records": "Minutes"}


def form_fields(idea: Idea) -> dict[str, Any]:
    """The fields of an idea that the console's idea form shows (all of the standard form's),
    and the paper card's number (``C-0137``, or blank) for an idea typed in from a card or
    given one, so a mistyped number can be corrected."""
    from meetingtui.domain.cards import format_card_number

    stored = idea_input(idea)
    shown = {name: getattr(stored, name) for name, _label in IDEA_FORM_FIELDS}
    if idea.channel == "card" or idea.card_number is not None:
        number = idea.card_number
        shown[CARD_FIELD[0]] = format_card_number(number) if number is not None else ""
    return shown


def _choices(data: IdeaInput) -> str:
    """An idea's list choices as the note-taker reads them: "Mental health · Carer · Spoken"."""
    parts = [
        data.topic or "no topic",
        label(STAKEHOLDERS, data.stakeholder),
        label(CHANNELS, data.channel),
    ]
    return " · ".join(part for part in parts if part)


START_TIP = "Start the meeting (its first item's clock)"
DONE_TIP = "The current speaker has finished"
PAUSE_TIP = "Pause or resume the item's timer"
REOPEN_TIP = "Reopen a closed meeting"
QUEUE_TIP = "Add a speaker to the queue"
# Keys whose footer entry shows in one state of the meeting only (ConsoleScreen.check_action):
# these copies, never in the footer, answer the key in the other states ("The meeting is
# already running.", "No item is running.").
ANY_TIME = [
    Binding("S", "start_meeting('any')", "Start", show=False, tooltip=START_TIP),
    Binding("d", "speaker_done('any')", "Done", show=False, tooltip=DONE_TIP),
    Binding("space", "toggle_timer('any')", "Pause", show=False, tooltip=PAUSE_TIP),
    Binding("n", "next_item('any')", "Next", show=False, tooltip="Next agenda item"),
    Binding("s", "add_speaker('any')", "Queue", show=False, priority=True, tooltip=QUEUE_TIP),
    Binding("c", "call_speaker('any')", "Call", show=False, tooltip="Call the next speaker"),
    Binding("O", "reopen_meeting('any')", "Reopen", show=False, tooltip=REOPEN_TIP),
]
FOOTER_BEFORE_THE_START = {"start_meeting"}
FOOTER_ONCE_STARTED = {"speaker_done", "toggle_timer"}
# Once closed, the footer offers what organisers still do (capture, the record, reopen), not
# the keys that would only say the meeting is closed.
FOOTER_WHILE_OPEN = {"next_item", "add_speaker", "call_speaker", "speaker_done", "toggle_timer"}
FOOTER_ONCE_CLOSED = {"reopen_meeting"}


def console_keys() -> list[Binding]:
    """The console's keys, each once (help and the palette list these)."""
    return [b for b in bindings_of(ConsoleScreen) if b not in ANY_TIME]


class ConsoleScreen(Screen[None]):
    """The one screen the facilitator keeps open for the whole meeting.

    Narrow terminals show one of the ideas, speakers and minutes panels at a time (1, 2, 3);
    wide ones show all three side by side.
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (130, "-wide")]

    # The footer (compact) shows the keys of a running meeting first, in few words, so that i,
    # n, s, c, a, m, v and ? are on screen at 80 columns; the rest (show=False) are in help (?)
    # and the palette. Keys added later go after these. S (start) leads the footer while the
    # meeting is not started, and d and space (no clock runs yet) leave it, so that it fits
    # 100 columns (check_action); each of them still answers in every state (ANY_TIME).
    BINDINGS = [
        Binding("S", "start_meeting", "Start", tooltip=START_TIP),
        # Keys that open a dialog are priority bindings: they act when read, so the keys typed
        # after them are held for the dialog (tui/type_ahead.py), never given to a panel.
        Binding("i", "capture_idea", "Idea", tooltip="Capture an idea", priority=True),
        Binding("n", "next_item", "Next", tooltip="Next agenda item"),
        Binding("s", "add_speaker", "Queue", tooltip=QUEUE_TIP, priority=True),
        Binding("c", "call_speaker", "Call", tooltip="Call the next speaker"),
        Binding(
            "a", "agenda", "Agenda", tooltip="Agenda: jump to, add, rename, reorder, skip items"
        ),
        Binding("m", "moderate", "Moderate", tooltip="Moderate attendee ideas and comments"),
        Binding("v,f5", "projector", "Projector", tooltip="Projector view for the room"),
        Binding("question_mark", "help", "Help", key_display="?", tooltip="Show every key"),
        Binding(
            "r",
            "record('note')",
            "Note",
            tooltip="Record a note, decision or action",
            priority=True,
        ),
        Binding("d", "speaker_done", "Done", tooltip=DONE_TIP),
        Binding("space", "toggle_timer", "Pause", tooltip=PAUSE_TIP),
        Binding("p", "previous_item", "Prev", show=False, tooltip="Previous agenda item"),
        Binding(
            "plus,equals_sign",
            "extend(5)",
            "+5m",
            key_display="+",
            show=False,
            tooltip="Give the current item 5 more minutes",
        ),
        Binding(
            "minus",
            "extend(-5)",
            "-5m",
            key_display="-",
            show=False,
            tooltip="Take 5 minutes off the current item",
        ),
        Binding("1", "show_panel('ideas')", "Ideas", show=False, tooltip="Show the ideas panel"),
        Binding(
            "2",
            "show_panel('speakers')",
            "Speakers",
            show=False,
            tooltip="Show the speakers' queue",
        ),
        Binding(
            "3", "show_panel('records')", "Minutes", show=False, tooltip="Show notes and decisions"
        ),
        Binding(
            "j", "toggle_join", "QR panel", show=False, tooltip="Show or hide the join QR panel"
        ),
        Binding(
            "b,slash",
            "browse",
            "Browse",
            key_display="b",
            show=False,
            tooltip="Browse, search and edit every idea of the meeting",
            priority=True,
        ),
        Binding("u", "undo", "Undo", show=False, tooltip="Undo your last action (it says which)"),
        Binding(
            "h",
            "attendance",
            "Head count",
            show=False,
            tooltip="Record how many people are present",
        ),
        Binding(
            "K",
            "card_entry",
            "Cards",
            show=False,
            tooltip="Card entry: type in a stack of paper cards, one after another",
        ),
        Binding("P", "polls", "Polls", show=False, tooltip="Polls: open, close, results"),
        Binding("E", "export", "Export", show=False, tooltip="Export minutes…"),
        Binding("W", "reach", "Reach", show=False, tooltip="Who took part: the full reach view"),
        Binding("X", "close_meeting", "Close mtg", show=False, tooltip="Close the meeting"),
        Binding("O", "reopen_meeting", "Reopen", tooltip=REOPEN_TIP),
        Binding(
            "ctrl+t",
            "app.cycle_theme",
            "Theme",
            show=False,
            tooltip="Switch theme (default, terminal colours, high contrast)",
        ),
        Binding("q", "app.quit", "Quit", tooltip="Quit the console (the meeting stays open)"),
        *ANY_TIME,
        Binding(
            "C",
            "catalogue",
            "Catalogue",
            show=False,
            tooltip="The programme's idea catalogue: review, answer and publish every idea",
        ),
    ]

    # Palette entries that preset a choice, beside one per binding.
    EXTRA_COMMANDS = [
        ("Record a decision", "record('decision')", "r then choose Decision"),
        ("Record an action (owner, due date)", "record('action')", "r then choose Action"),
    ]

    def __init__(self, *, attendee_url: str, clock: Clock) -> None:
        super().__init__()
        self.attendee_url = attendee_url
        self.clock = clock
        self.panel = "ideas"
        self.shown_tabs = ""
        self.saved_choices = ""  # the lists' choices of the idea just captured
        self.shown_status = ""  # the meeting's status the footer shows keys for
        self.captured_ref = ""  # the ref of the idea this console captured last
        self.card_saved: int | None = None  # the number of the card saved last

    # ---- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield MeetingHeader(id="meeting-header")
        with Horizontal(id="console-body"):
            with Vertical(id="console-main"):
                yield AgendaPanel(id="agenda")
                yield ItemTimer(clock=self.clock, id="item-timer")
                yield ReachLine(id="reach-line")
                yield PollLine(id="poll-line")
                yield Static("", id="panel-tabs")
                with Horizontal(id="work-area"):
                    yield IdeasView(id="ideas")
                    yield SpeakerList(id="speakers")
                    yield RecordList(id="records")
            yield JoinPanel(self.attendee_url, wifi_ssid=self.console_app.wifi_ssid, id="join")
        # No docked palette key: keys that do not fit run on under it and the last of them
        # showed in the terminal's last column. ctrl+p is in help (?) and its first line.
        yield WholeKeysFooter(compact=True, show_command_palette=False)

    @property
    def console_app(self) -> MeetingConsoleApp:
        return cast("MeetingConsoleApp", self.app)

    @property
    def session(self) -> MeetingSession:
        session = self.console_app.session
        assert session is not None, "the console runs on an open meeting"
        return session

    @property
    def state(self) -> LiveMeeting | None:
        """The app's live view of the meeting (None until it has loaded)."""
        return self.console_app.meeting_state

    def on_mount(self) -> None:
        self.query_one("#agenda").border_title = "Agenda"
        self.query_one("#item-timer").border_title = "Now"
        self.show_panel("ideas")
        self.console_app.meeting_signal.subscribe(self, self.meeting_changed, immediate=True)
        if self.state is not None:
            # After the first layout: a draw during mount does not grow auto-height panels.
            self.call_after_refresh(self.draw, None)
        self.load_draft()

    # ---- drawing --------------------------------------------------------------------------

    def meeting_changed(self, change: LiveChange) -> None:
        self.draw(None if change.full is not None else change)
        if change.full is not None or change.reach:
            self.reload_reach()

    def reload_reach(self) -> None:
        app = self.console_app
        if app.database is not None and app.meeting_id is not None:
            self.query_one(ReachLine).reload(app.database, app.meeting_id)

    def action_reach(self) -> None:
        app = self.console_app
        if app.database is not None and app.meeting_id is not None:
            self.app.push_screen(ReachScreen(app.database, app.meeting_id))

    def draw(self, change: LiveChange | None) -> None:
        """Redraw what ``change`` touched (everything when None)."""
        state = self.state
        if state is None:
            return
        current = state.current_item
        if change is None:
            moved = waiting = queue = records = True
            ideas_changed: set[uuid.UUID] | None = None
            ideas = True
        else:
            moved = change.meeting is not None or change.items is not None
            waiting = moved or change.pending is not None
            queue = moved or change.speakers is not None
            records = change.records is not None
            ideas = change.rows is not None or bool(change.gone)
            ideas_changed = change.changed_ideas
        if waiting:
            self.query_one(MeetingHeader).show(state.meeting, state.pending)
            if state.meeting.status != self.shown_status:
                self.shown_status = state.meeting.status
                self.refresh_bindings()  # the footer's keys for this state (check_action)
        if moved:
            self.query_one(AgendaPanel).show(state.items, state.meeting.current_item_id)
        if queue:
            status = state.meeting.status
            self.query_one(ItemTimer).show(
                current,
                state.items,
                state.speakers,
                started=status != MeetingStatus.PLANNED,
                closed=status == MeetingStatus.CLOSED,
                meeting=state.meeting,
            )
            self.query_one(SpeakerList).show(state.speakers)
        if ideas:
            self.query_one(IdeasView).show(
                state.rows, state.idea_total, ideas_changed, before_start=state.before_start_total
            )
        if records:
            self.query_one(RecordList).show(state.records)
        self.update_panel_tabs()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Which footer entries a meeting in its state shows (see ANY_TIME)."""
        in_one_state = FOOTER_BEFORE_THE_START | FOOTER_ONCE_STARTED | FOOTER_ONCE_CLOSED
        if parameters or action not in in_one_state | FOOTER_WHILE_OPEN:
            return True
        state = self.state
        status = state.meeting.status if state is not None else MeetingStatus.PLANNED
        if status == MeetingStatus.CLOSED and action in FOOTER_WHILE_OPEN:
            return False
        if action in FOOTER_ONCE_CLOSED:
            return status == MeetingStatus.CLOSED
        if action not in in_one_state:
            return True
        return (status == MeetingStatus.PLANNED) == (action in FOOTER_BEFORE_THE_START)

    def loaded(self) -> bool:
        if self.state is None:
            self.notify("The meeting is still loading.")
            return False
        return True

    def current_item(self) -> AgendaItem | None:
        return self.state.current_item if self.state else None

    # ---- panels ---------------------------------------------------------------------------

    def action_show_panel(self, name: str) -> None:
        self.show_panel(name)
        # At once, not on the next turn of the loop (``focus()``): the key typed straight
        # after (``1`` then ``e``) is read by what has focus then (tui/type_ahead.py).
        self.set_focus(self.query_one(f"#{name}"))

    def show_panel(self, name: str) -> None:
        self.panel = name
        for panel in PANELS:
            self.query_one(f"#{panel}").set_class(panel == name, "-chosen")
        self.update_panel_tabs()

    def update_panel_tabs(self) -> None:
        state = self.state
        counts = {
            "ideas": state.idea_total if state else 0,
            "speakers": sum(
                1 for s in self.query_one(SpeakerList).speakers if s.status == SpeakerStatus.WAITING
            ),
            "records": len(self.query_one(RecordList).records),
        }
        parts = []
        for number, panel in enumerate(PANELS, start=1):
            text = f" {number} {PANEL_TITLES[panel]} {counts[panel]} "
            parts.append(f"[reverse]{text}[/]" if panel == self.panel else text)
        tabs = "".join(parts)
        if tabs != self.shown_tabs:  # one fixed-height line: no layout pass (the whole screen)
            self.shown_tabs = tabs
            self.query_one("#panel-tabs", Static).update(tabs, layout=False)

    def action_toggle_join(self) -> None:
        """A narrow pane can trade the QR code (the projector view has it too) for room."""
        join = self.query_one(JoinPanel)
        join.display = not join.display

    # ---- changes --------------------------------------------------------------------------

    def change(self, intent: Callable[[MeetingSession], str], *, done: str = "") -> None:
        self.console_app.change(intent, done=done)

    def action_undo(self) -> None:
        self.console_app.undo()

    def form_closed(self, message: str | None) -> None:
        if message:
            self.notify(str(message))

    # ---- agenda ---------------------------------------------------------------------------

    def action_next_item(self, _state: str = "") -> None:
        self.leave_item(1)

    def action_previous_item(self) -> None:
        self.leave_item(-1)

    def leave_item(self, step: int) -> None:
        """Move along the agenda; with people still waiting to speak, ask first what becomes of
        them (carried over to the next item, or recorded as not heard): nobody who asked
        vanishes from the record."""
        if not self.loaded():  # not started: the session refuses (moving would start it)
            return
        self.leave_current(lambda waiting: lambda s: s.move_agenda(step, waiting=waiting), step)

    def jump_to(self, item_id: uuid.UUID | None) -> None:
        """The agenda screen's Enter: the same question as ``n`` when people are waiting."""
        if item_id is None or not self.loaded():
            return
        current = self.current_item()
        if current is not None and current.id == item_id:
            return
        self.leave_current(lambda waiting: lambda s: s.jump_to_item(item_id, waiting=waiting), 1)

    def leave_current(
        self, move: Callable[[str | None], Callable[[MeetingSession], str]], step: int
    ) -> None:
        """Ask about those waiting on the current item (as the live view has them; the session
        refuses a move that would leave behind anyone who asked since), then move."""
        current, state = self.current_item(), self.state
        waiting = [
            s
            for s in (state.speakers if state and current else [])
            if s.status == SpeakerStatus.WAITING and current and s.agenda_item_id == current.id
        ]
        if waiting:
            self.choose_for_waiting(waiting, move, step)
        else:
            self.change(move(None))

    def choose_for_waiting(
        self,
        waiting: list[Speaker],
        move: Callable[[str | None], Callable[[MeetingSession], str]],
        step: int,
    ) -> None:
        names = ", ".join(s.name or "(no name given)" for s in waiting[:6])
        more = f" and {len(waiting) - 6} more" if len(waiting) > 6 else ""
        count = len(waiting)
        people = f"{count} {'person is' if count == 1 else 'people are'}"

        def decided(choice: str | None) -> None:
            if choice:
                self.change(move(choice))

        where = "next" if step > 0 else "previous"
        self.app.push_screen(
            ChoiceScreen(
                f"{people} still waiting to speak",
                f"{names}{more}.",
                [
                    ("c", f"Carry them over to the {where} item's queue", CARRY_OVER),
                    (
                        "h",
                        "Record them as asked to speak, not heard, and move on",
                        NOT_HEARD_CHOICE,
                    ),
                ],
                escape="stay on this item",
            ),
            decided,
        )

    def action_start_meeting(self, _state: str = "") -> None:
        if not self.loaded() or self.state is None:
            return
        status = self.state.meeting.status
        if status == MeetingStatus.RUNNING:
            self.notify("The meeting is already running.")
        elif status == MeetingStatus.CLOSED:
            self.notify("The meeting is closed. Press O to reopen it.")
        else:
            self.change(lambda s: s.start_meeting())

    def action_toggle_timer(self, _state: str = "") -> None:
        item = self.current_item()
        if item is None:
            self.notify("No item is running.")
            return
        running = item.running_since is None
        self.change(lambda s: s.set_timer_running(running))

    def action_extend(self, minutes: int) -> None:
        item = self.current_item()
        if item is None:
            self.notify("No item is running.")
            return
        item_id = item.id
        self.change(lambda s: s.extend_item(item_id, minutes))

    def action_agenda(self) -> None:
        if self.loaded():
            self.app.push_screen(AgendaScreen(clock=self.clock), self.jump_to)

    # ---- ideas ----------------------------------------------------------------------------

    @work(thread=True, group="draft-load", exit_on_error=False)
    def load_draft(self) -> None:
        found = self.session.load_draft()
        if found is not None:
            self.post_message(DraftLoaded(*found))

    def on_draft_loaded(self, message: DraftLoaded) -> None:
        session = self.session
        if session.draft is None:
            session.draft, session.draft_idea_id = message.fields, message.idea_id
            title = (message.fields or {}).get("title") or "(no title yet)"
            self.notify(
                f"Your unsaved idea “{title}” was kept. Press i to finish it.",
                title="Draft kept",
                timeout=10,
            )

    @work(thread=True, group="draft", exit_on_error=False)
    def drop_draft(self) -> None:
        self.session.drop_draft()

    def action_capture_idea(self) -> None:
        if not self.loaded():
            return
        session = self.session
        hold_keys(self.app)  # what is typed next is for the form (it releases the keys)
        if session.draft is not None:
            self.resume_draft(session.draft, session.draft_idea_id)
            return
        self.open_idea_form(dict(session.remembered), carried=tuple(session.remembered))

    @work(thread=True, group="draft-load", exit_on_error=False)
    def resume_draft(self, draft: dict[str, Any], idea_id: uuid.UUID | None) -> None:
        """The draft of an edit compares with the idea as stored now (read in a worker)."""
        idea = self.session.idea(idea_id) if idea_id is not None else None
        if idea is not None and idea.deleted_at is None:
            self.app.call_from_thread(
                self.open_idea_form,
                draft,
                idea_id=idea.id,
                heading=f"Edit {idea.ref} (draft)",
                original=form_fields(idea),
            )
        else:
            self.app.call_from_thread(
                self.open_idea_form, draft, heading="Capture an idea (your unsaved draft)"
            )

    def open_idea_form(
        self,
        initial: dict[str, Any],
        *,
        idea_id: uuid.UUID | None = None,
        heading: str = "",
        original: dict[str, Any] | None = None,
        carried: tuple[str, ...] = (),
    ) -> None:
        session = self.session
        save: SaveIdea
        if idea_id is None:

            def save(data: IdeaInput, changes: dict[str, Any]) -> str:  # noqa: ARG001
                ref = session.capture_idea(data)
                self.saved_choices = _choices(data)
                self.captured_ref = ref
                return ref

            heading = heading or "Capture an idea"
        else:  # another console may save the same idea meanwhile: asks which to keep
            saver = edit_saver(session, idea_id, lambda: form)

            def save(data: IdeaInput, changes: dict[str, Any]) -> str:
                self.saved_choices = ""
                return saver(data, changes)

        state = self.state
        form = IdeaFormScreen(
            topics=state.topics if state else [],
            save=save,
            initial=initial,
            heading=heading,
            keep_draft=lambda fields: session.keep_draft(fields, idea_id),
            original=original,
            carried=carried,
            editing=idea_id is not None,
            find_similar=lambda text: session.similar_ideas(text, exclude=idea_id),
            home_code=state.meeting.code if state else "",
        )
        self.app.push_screen(form, self.idea_form_closed)

    def idea_form_closed(self, ref: str | None) -> None:
        if ref:
            if ref == self.captured_ref:  # a new idea: the note-taker looks for what they typed
                for ideas in self.query(IdeasView):  # none once the app is closing
                    ideas.reveal(ref)
            # Say what was chosen, so a pick made at speed is seen once more.
            chosen = f" ({self.saved_choices})" if self.saved_choices else ""
            self.notify(f"Idea {ref} saved{chosen}.")
        else:
            self.drop_draft()

    # ---- card entry mode: one paper card after another ---------------------------------------

    def action_card_entry(self) -> None:
        if not self.loaded():
            return
        hold_keys(self.app)  # what is typed next is for the card's form (it releases them)
        self.open_card_form("")

    def open_card_form(self, suggested: str) -> None:
        """The idea form for the next card: "written card", its number (the previous one's
        plus one once there is one), the previous card's picks carried over (never those of
        the ideas captured live: another person, spoken)."""
        session = self.session
        remembered = {**session.card_remembered, "channel": "card"}

        def save(data: IdeaInput, changes: dict[str, Any]) -> str:  # noqa: ARG001
            ref, number = session.capture_card(data, form.card_text)
            self.card_saved = number
            return ref

        entered = len(session.cards_entered)
        counted = f"{entered} entered this session" if entered else "the first of this session"
        state = self.state
        form = IdeaFormScreen(
            topics=state.topics if state else [],
            save=save,
            initial=remembered,
            heading=f"Card entry: card {entered + 1} ({counted}) · esc leaves card entry",
            keep_draft=lambda fields: session.keep_draft(fields, None),
            carried=tuple(session.card_remembered),
            card_number=suggested,
            find_similar=session.similar_ideas,  # a card's idea may be raised already, too
            home_code=state.meeting.code if state else "",
        )
        self.app.push_screen(form, self.card_form_closed)

    def card_form_closed(self, ref: str | None) -> None:
        if not ref:
            self.drop_draft()
            if entered := len(self.session.cards_entered):
                cards = "1 card" if entered == 1 else f"{entered} cards"
                self.notify(f"Card entry ended: {cards} entered this session.")
            return
        from meetingtui.domain.cards import format_card_number

        number = self.card_saved
        card = f", card {format_card_number(number)}" if number is not None else ""
        self.notify(f"Card {len(self.session.cards_entered)} entered this session: {ref}{card}.")
        hold_keys(self.app)  # the keys typed since ctrl+s are for the next card's form
        self.open_card_form(str(number + 1) if number is not None else "")

    def action_edit_idea(self) -> None:
        ideas = self.query_one(IdeasView)
        if ideas.to_reveal:
            # Saved here a moment ago and not drawn yet: the highlight is about to land on it,
            # and the note-taker who typed ``e`` straight after ctrl+s means that idea.
            hold_keys(self.app)  # released by the form once it has focus
            self.open_stored_idea(ref=ideas.to_reveal)
            return
        idea = ideas.highlighted_idea()
        if idea is None:
            self.notify("Highlight an idea in the ideas panel first (1, then ↑↓).")
            return
        self.edit_idea(idea)

    def action_browse(self) -> None:
        """Every idea of the meeting, to find and fix any without moving the agenda."""
        if self.loaded():
            hold_keys(self.app)  # what is typed next is the search (released once it has focus)
            self.app.push_screen(BrowseScreen(self.edit_idea))

    def edit_idea(self, idea: Idea) -> None:
        hold_keys(self.app)  # released by the form once it has focus
        self.open_stored_idea(idea.id)

    @work(thread=True, group="edit-load", exit_on_error=False)
    def open_stored_idea(self, idea_id: uuid.UUID | None = None, *, ref: str = "") -> None:
        """The idea as stored now, not the panel's copy: an edit saved a moment ago may not
        have reached the panel yet, and a form opened on the older text would take the
        note-taker's own change for another console's."""
        idea = self.session.idea(idea_id) if idea_id else self.session.idea_by_ref(ref)
        if idea is None or idea.deleted_at is not None:
            self.app.call_from_thread(self.nothing_to_edit, "That idea is no longer there.")
            return
        self.app.call_from_thread(
            self.open_idea_form, form_fields(idea), idea_id=idea.id, heading=f"Edit {idea.ref}"
        )

    def nothing_to_edit(self, message: str) -> None:
        self.notify(message, severity="warning")
        release_keys(self.app)

    def action_delete_idea(self) -> None:
        idea = self.query_one(IdeasView).highlighted_idea()
        if idea is None:
            self.notify("Highlight an idea in the ideas panel first (1, then ↑↓).")
            return
        idea_id, ref = idea.id, idea.ref
        self.confirm_undoable_delete(
            question=f"Delete idea {ref}?",
            shown=idea.title,
            delete=lambda s: s.set_idea_deleted(idea_id, True),
        )

    def confirm_undoable_delete(
        self,
        *,
        question: str,
        shown: str,
        delete: Callable[[MeetingSession], str],
    ) -> None:
        """Ask first; ``u`` undoes it. Nothing is erased in the database, so an undo brings
        everything back."""

        def decided(yes: bool | None) -> None:
            if yes:
                self.change(delete)

        self.app.push_screen(ConfirmScreen(question, shown, yes="Delete", no="Keep it"), decided)

    # ---- notes, decisions, actions ----------------------------------------------------------

    def action_record(self, kind: str = "note") -> None:
        if self.loaded():
            hold_keys(self.app)  # released by the form once it has focus
            self.app.push_screen(
                record_form(self.session, self.current_item(), kind), self.form_closed
            )

    def action_edit_record(self) -> None:
        record = self.query_one(RecordList).highlighted_record()
        if record is None:
            self.notify("Highlight a note in the minutes panel first (3, then ↑↓).")
            return
        hold_keys(self.app)  # released by the form once it has focus
        self.open_stored_record(record.id)

    @work(thread=True, group="edit-load", exit_on_error=False)
    def open_stored_record(self, record_id: uuid.UUID) -> None:
        """As stored now (see ``open_stored_idea``)."""
        record = self.session.record(record_id)
        if record is None or record.deleted_at is not None:
            self.app.call_from_thread(self.nothing_to_edit, "That note is no longer there.")
            return
        self.app.call_from_thread(
            self.app.push_screen, record_edit_form(self.session, record), self.form_closed
        )

    def action_delete_record(self) -> None:
        record = self.query_one(RecordList).highlighted_record()
        if record is None:
            self.notify("Highlight a note in the minutes panel first (3, then ↑↓).")
            return
        record_id = record.id
        self.confirm_undoable_delete(
            question=f"Delete this {record.kind}?",
            shown=record.text,
            delete=lambda s: s.set_record_deleted(record_id, True),
        )

    # ---- speakers -------------------------------------------------------------------------

    def action_add_speaker(self, _state: str = "") -> None:
        if not self.loaded():
            return
        session = self.session

        def add(values: dict[str, str]) -> str:
            return session.add_speaker(name=values["name"], stakeholder=values["stakeholder"])

        fields = [
            FormField("name", "Name", placeholder="Optional"),
            FormField(
                "stakeholder",
                "Speaking as",
                kind="select",
                options=[(text, key) for key, text in STAKEHOLDERS.items()],
            ),
        ]
        dialog = FormDialog("Add a speaker", fields, add, hint="Enter adds them to the queue.")
        hold_keys(self.app)  # released by the form once it has focus
        self.app.push_screen(dialog, self.form_closed)

    def action_call_speaker(self, _state: str = "") -> None:
        self.change(lambda s: s.call_next_speaker())

    def speaking_now(self) -> Speaker | None:
        return next(
            (s for s in self.query_one(SpeakerList).speakers if s.status == SpeakerStatus.SPEAKING),
            None,
        )

    def action_speaker_done(self, _state: str = "") -> None:
        speaker = self.speaking_now()
        if speaker is None:
            self.notify("Nobody is speaking. Press c to call the next speaker.")
            return
        self.change(lambda s: s.finish_speaker(speaker, withdrawn=False))

    def action_withdraw_speaker(self) -> None:
        speaker = self.query_one(SpeakerList).highlighted_speaker()
        if speaker is None or speaker.status not in (SpeakerStatus.WAITING, SpeakerStatus.SPEAKING):
            self.notify("Highlight someone waiting in the speakers panel first (2, then ↑↓).")
            return
        self.change(lambda s: s.finish_speaker(speaker, withdrawn=True))

    # ---- the room -------------------------------------------------------------------------

    def action_catalogue(self) -> None:
        """Every idea of this meeting's programme (tui/screens/catalogue.py), over the console."""
        if not self.loaded():
            return
        from meetingtui.catalogue_session import catalogue_of_meeting
        from meetingtui.tui.screens.catalogue import CatalogueScreen

        app = self.console_app
        database, meeting_id, operator = (
            self.session.database,
            self.session.meeting_id,
            app.operator,
        )
        opener = partial(catalogue_of_meeting, database, meeting_id, operator)
        self.app.push_screen(CatalogueScreen(opener, standalone=False))

    def action_moderate(self) -> None:
        if self.loaded():
            self.app.push_screen(ModerationScreen())

    def action_polls(self) -> None:
        if self.loaded():
            from meetingtui.tui.screens.polls import PollsScreen

            self.app.push_screen(PollsScreen())

    def action_projector(self) -> None:
        if self.loaded():
            app = self.console_app
            self.app.push_screen(
                ProjectorScreen(
                    self.attendee_url,
                    wifi_ssid=app.wifi_ssid,
                    wifi_password=app.wifi_password,
                )
            )

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.help_sections()))

    def help_sections(self) -> list[tuple[str, list[Binding]]]:
        """Every key, grouped by where it works (the help screen draws what it is given)."""
        return [
            (
                "The console",
                console_keys() + [Binding("ctrl+p", "", "Command palette: any action")],
            ),
            ("Ideas panel (1, then ↑↓)", bindings_of(IdeasView)),
            ("Speakers panel (2, then ↑↓)", bindings_of(SpeakerList)),
            ("Minutes panel (3, then ↑↓)", bindings_of(RecordList)),
            (
                "Idea form (i)",
                bindings_of(IdeaFormScreen)
                + [
                    Binding("a-z", "", "In a list: type to pick (the start of a word)"),
                    Binding("delete", "", "In a list: clear the choice, carried over or not"),
                ],
            ),
            (
                "Other forms",
                bindings_of(FormDialog),
            ),
            ("Agenda (a)", bindings_of(AgendaScreen)),
            ("Browse every idea (b)", bindings_of(BrowseScreen)),
            ("Moderation (m)", bindings_of(ModerationScreen)),
            ("Projector (F5 or v)", bindings_of(ProjectorScreen)),
        ]

    def action_attendance(self) -> None:
        if not self.loaded() or self.state is None:
            return
        current = self.state.meeting.attendance
        session = self.session

        def record(values: dict[str, str]) -> str:
            text = values["count"].strip()
            return session.set_attendance(int(text) if text.isdigit() else -1)

        field = FormField("count", "People present", value=str(current or ""), max_length=7)
        self.app.push_screen(FormDialog("Head count", [field], record), self.form_closed)

    def action_export(self) -> None:
        if self.loaded() and self.state is not None:
            session = self.session
            self.app.push_screen(
                ExportDialog(session.database, session.meeting_id, self.state.meeting.code),
                self.form_closed,
            )

    def action_reopen_meeting(self, _state: str = "") -> None:
        if not self.loaded() or self.state is None:
            return
        if self.state.meeting.status != MeetingStatus.CLOSED:
            self.notify("The meeting is not closed.")
            return

        def decided(yes: bool | None) -> None:
            if yes:
                self.change(lambda s: s.reopen_meeting())

        self.app.push_screen(
            ConfirmScreen(
                "Reopen the meeting?",
                "Attendees can add ideas, comments and requests to speak again. The item that "
                "was current when it closed is current again, its timer paused (space resumes).",
                yes="Reopen the meeting",
                no="Keep it closed",
            ),
            decided,
        )

    def action_close_meeting(self) -> None:
        if not self.loaded() or self.state is None:
            return
        if self.state.meeting.status == MeetingStatus.CLOSED:
            self.notify("The meeting is already closed.")
            return

        def decided(yes: bool | None) -> None:
            if yes:
                self.change(lambda s: s.close_meeting())

        waiting = sum(1 for s in self.state.speakers if s.status == SpeakerStatus.WAITING)
        not_heard = (
            f" The {counted(waiting, 'person', 'people')} still waiting to speak "
            "will be recorded as asked to speak, not heard."
            if waiting
            else ""
        )

        self.app.push_screen(
            ConfirmScreen(
                "Close the meeting?",
                "The current item stops and attendees can no longer add ideas, comments or "
                "requests to speak. You can keep working on the record (cards, emails, typos) "
                "and reopen it (O)." + not_heard,
                yes="Close the meeting",
                no="Keep it open",
            ),
            decided,
        )

    # ---- problems ------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """This screen's own workers (drafts): a failure is a notification, not a traceback."""
        if event.state == WorkerState.ERROR:
            release_keys(self.app)  # a draft that could not be read opens no form
            self.log.error(event.worker.error)
            self.notify(failure_text(event.worker.error), severity="error")

    # ---- the palette ----------------------------------------------------------------------

    def palette_commands(self) -> Iterator[tuple[str, str, str]]:
        """(title, help, action) for every action: one per binding, and the preset extras."""
        for binding in console_keys():
            if binding.action.startswith("app.quit"):
                continue
            key = binding.key_display or binding.key.split(",")[0]
            action = binding.action
            if action in FOOTER_BEFORE_THE_START | FOOTER_ONCE_STARTED:
                action += "('any')"  # the palette answers in every state, as the key does
            yield binding.tooltip or binding.description, f"key: {key}", action
        for child in (IdeasView, SpeakerList, RecordList):
            for binding in bindings_of(child):
                key = binding.key.split(",")[0]
                title = f"{binding.description} (highlighted in its panel)"
                yield title, f"key: {key} · {binding.tooltip}", binding.action
        for title, action, help_text in self.EXTRA_COMMANDS:
            yield title, help_text, action
