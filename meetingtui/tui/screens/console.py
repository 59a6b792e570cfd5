"""The facilitator console: agenda, the current item's clock, its ideas, speakers and minutes, and
the join QR code.

Every database touch happens in a thread worker. One long-running worker follows the change feed
(a cheap query a few times a second, and at once when this process commits) and reloads the
meeting when anything happened, whoever wrote it: this console, the attendee web in the same
process, or another terminal on the same database.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import event as sa_event
from sqlmodel import Session
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState, get_current_worker

from meetingtui.domain import drafts, ideas, meetings, records, speakers
from meetingtui.domain.errors import DomainError, FieldErrors
from meetingtui.domain.feed import events_since, latest_event_id
from meetingtui.domain.ideas import IdeaInput
from meetingtui.domain.models import Idea
from meetingtui.domain.snapshot import MeetingSnapshot, load_snapshot
from meetingtui.domain.vocab import STAKEHOLDERS
from meetingtui.store.database import Database
from meetingtui.tui.clock import Clock
from meetingtui.tui.messages import ActionDone, ActionRefused, DraftLoaded, SnapshotLoaded, Undo
from meetingtui.tui.screens.confirm import ConfirmScreen
from meetingtui.tui.screens.form_dialog import FormDialog, FormField
from meetingtui.tui.screens.idea_form import FIELDS as IDEA_FORM_FIELDS
from meetingtui.tui.screens.idea_form import IdeaFormScreen
from meetingtui.tui.widgets.agenda_panel import AgendaPanel
from meetingtui.tui.widgets.ideas_view import IdeasView
from meetingtui.tui.widgets.item_timer import ItemTimer
from meetingtui.tui.widgets.join_panel import JoinPanel
from meetingtui.tui.widgets.meeting_header import MeetingHeader
from meetingtui.tui.widgets.record_list import RecordList
from meetingtui.tui.widgets.speaker_list import SpeakerList

FEED_POLL_SECONDS = 0.25
PANELS = ("ideas", "speakers", "records")
PANEL_TITLES = {"ideas": "Ideas", "speakers": "Queue", "records": "Minutes"}
REMEMBERED_FIELDS = ("topic", "stakeholder", "channel")


def form_fields(idea: Idea) -> dict[str, Any]:
    """The fields of an idea that the console's idea form shows."""
    return {name: getattr(idea, name) for name, _label in IDEA_FORM_FIELDS}


class ConsoleScreen(Screen[None]):
    """The one screen the facilitator keeps open for the whole meeting.

    Narrow terminals show one of the ideas, speakers and minutes panels at a time (1, 2, 3);
    wide ones show all three side by side.
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (130, "-wide")]

    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?", tooltip="Show every key"),
        Binding("i", "capture_idea", "Idea", tooltip="Capture an idea"),
        Binding("r", "record('note')", "Note", tooltip="Record a note, decision or action"),
        Binding("n", "next_item", "Next", tooltip="Next agenda item"),
        Binding("p", "previous_item", "Prev", tooltip="Previous agenda item"),
        Binding("space", "toggle_timer", "Pause", tooltip="Pause or resume the item's timer"),
        Binding("s", "add_speaker", "Speaker+", tooltip="Add a speaker to the queue"),
        Binding("c", "call_speaker", "Call next", tooltip="Call the next speaker"),
        Binding("d", "speaker_done", "Done", tooltip="The current speaker has finished"),
        Binding(
            "a", "agenda", "Agenda", tooltip="Agenda: jump to, add, rename, reorder, skip items"
        ),
        Binding(
            "plus,equals_sign",
            "extend(5)",
            "+5m",
            key_display="+",
            tooltip="Give the current item 5 more minutes",
        ),
        Binding(
            "minus",
            "extend(-5)",
            "-5m",
            key_display="-",
            tooltip="Take 5 minutes off the current item",
        ),
        Binding("m", "moderate", "Moderate", tooltip="Moderate attendee ideas and comments"),
        Binding("f5,v", "projector", "Projector", tooltip="Projector view for the room"),
        Binding("1", "show_panel('ideas')", "Ideas", tooltip="Show the ideas panel"),
        Binding("2", "show_panel('speakers')", "Speakers", tooltip="Show the speakers' queue"),
        Binding("3", "show_panel('records')", "Minutes", tooltip="Show notes and decisions"),
        Binding("j", "toggle_join", "QR panel", tooltip="Show or hide the join QR panel"),
        Binding("u", "undo", "Undo", tooltip="Undo the last delete"),
        Binding("h", "attendance", "Head count", tooltip="Record how many people are present"),
        Binding("E", "export", "Export", tooltip="Export minutes…"),
        Binding("X", "close_meeting", "Close mtg", tooltip="Close the meeting"),
        Binding("ctrl+t", "app.cycle_theme", "Theme", tooltip="Switch theme (high contrast)"),
        Binding("q", "app.quit", "Quit", tooltip="Quit the console (the meeting stays open)"),
    ]

    # Palette entries that preset a choice, beside one per binding.
    EXTRA_COMMANDS = [
        ("Record a decision", "record('decision')", "r then choose Decision"),
        ("Record an action (owner, due date)", "record('action')", "r then choose Action"),
    ]

    def __init__(
        self, *, database: Database, meeting_id: uuid.UUID, attendee_url: str, clock: Clock
    ) -> None:
        super().__init__()
        self.database = database
        self.meeting_id = meeting_id
        self.attendee_url = attendee_url
        self.clock = clock
        self.snapshot: MeetingSnapshot | None = None
        self.shown_event_id = -1
        self.panel = "ideas"
        self.remembered: dict[str, str] = {}
        self.draft: dict[str, Any] | None = None
        self.draft_idea_id: uuid.UUID | None = None
        self.last_undo: Undo | None = None
        self.known_speakers: set[uuid.UUID] | None = None
        self.known_pending = 0
        self._stop_following = threading.Event()
        self._wake = threading.Event()

    # ---- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield MeetingHeader(id="meeting-header")
        with Horizontal(id="console-body"):
            with Vertical(id="console-main"):
                yield AgendaPanel(id="agenda")
                yield ItemTimer(clock=self.clock, id="item-timer")
                yield Static("", id="panel-tabs")
                with Horizontal(id="work-area"):
                    yield IdeasView(id="ideas")
                    yield SpeakerList(id="speakers")
                    yield RecordList(id="records")
            yield JoinPanel(
                self.attendee_url,
                wifi_ssid=self.app_setting("wifi_ssid"),
                id="join",
            )
        yield Footer()

    def app_setting(self, name: str) -> str:
        return str(getattr(self.app, name, "") or "")

    def on_mount(self) -> None:
        self.query_one("#agenda").border_title = "Agenda"
        self.query_one("#item-timer").border_title = "Now"
        self.show_panel("ideas")
        sa_event.listen(Session, "after_commit", self._committed)
        self.follow_feed()
        self.load_draft()

    def on_unmount(self) -> None:
        self._stop_following.set()
        self._wake.set()
        if sa_event.contains(Session, "after_commit", self._committed):
            sa_event.remove(Session, "after_commit", self._committed)

    def _committed(self, _session: Session) -> None:
        """Any commit in this process (the attendee web, our own workers) wakes the follower."""
        self._wake.set()

    @property
    def operator(self) -> str:
        return self.app_setting("operator") or "console"

    @property
    def draft_owner(self) -> str:
        return self.app_setting("draft_owner") or self.operator

    # ---- reading -------------------------------------------------------------------------

    def read_snapshot(self) -> tuple[MeetingSnapshot, int]:
        """The meeting and the feed position it reflects, read in one transaction."""
        with self.database.read() as session:
            event_id = latest_event_id(session)
            return load_snapshot(session, self.meeting_id, include_hidden=True), event_id

    @work(thread=True, group="feed", exclusive=True, exit_on_error=False)
    def follow_feed(self) -> None:
        """Load the meeting, then reload it whenever the change feed moves."""
        worker = get_current_worker()
        snapshot, last_id = self.read_snapshot()
        self.post_message(SnapshotLoaded(snapshot, last_id))
        failing = False
        while not self._stop_following.is_set() and not worker.is_cancelled:
            self._wake.wait(FEED_POLL_SECONDS)
            self._wake.clear()
            if self._stop_following.is_set():
                break
            try:
                with self.database.read() as session:
                    if not events_since(session, last_id, meeting_id=self.meeting_id, limit=1):
                        continue
                    last_id = latest_event_id(session)
                    snapshot = load_snapshot(session, self.meeting_id, include_hidden=True)
            except Exception as error:  # noqa: BLE001 - the live view must outlive a bad read
                if not failing:
                    self.post_message(ActionRefused(f"Live updates paused: {error}"))
                failing = True
                continue
            if failing:
                self.post_message(ActionDone("Live updates resumed."))
            failing = False
            self.post_message(SnapshotLoaded(snapshot, last_id))

    @work(thread=True, group="reload", exit_on_error=False)
    def reload_snapshot(self) -> None:
        """Show our own change at once rather than at the feed's next poll."""
        self.post_message(SnapshotLoaded(*self.read_snapshot()))

    def on_snapshot_loaded(self, message: SnapshotLoaded) -> None:
        if message.event_id < self.shown_event_id:
            return  # an older read finishing late
        self.shown_event_id = message.event_id
        first = self.snapshot is None
        snapshot = self.snapshot = message.snapshot
        current = snapshot.current_item
        current_id = current.id if current else None
        item_speakers = snapshot.speakers_for_item(current_id)
        item_ideas = snapshot.ideas_for_item(current_id)
        self.query_one(MeetingHeader).show(snapshot.meeting, snapshot.pending)
        self.query_one(AgendaPanel).show(snapshot.items, snapshot.meeting.current_item_id)
        self.query_one(ItemTimer).show(current, snapshot.items, item_speakers)
        self.query_one(IdeasView).show(item_ideas, snapshot.comments, snapshot.supports)
        self.query_one(SpeakerList).show(item_speakers)
        self.query_one(RecordList).show(snapshot.records_for_item(current_id))
        self.update_panel_tabs()
        if first:
            self.remember_from_history(snapshot)
        self.announce_arrivals(snapshot)
        for screen in self.app.screen_stack:
            if screen is not self and hasattr(screen, "meeting_changed"):
                screen.meeting_changed(snapshot)

    def announce_arrivals(self, snapshot: MeetingSnapshot) -> None:
        """Say when a phone asks to speak or attendee input starts waiting for a moderator."""
        ids = {s.id for s in snapshot.speakers}
        if self.known_speakers is not None:
            for speaker in snapshot.speakers:
                if speaker.id not in self.known_speakers and speaker.source == "phone":
                    who = speaker.name or "Someone"
                    self.notify(f"{who} asked to speak from a phone.", title="Speakers' queue")
        self.known_speakers = ids
        if snapshot.pending.total > self.known_pending:
            self.notify(
                f"{snapshot.pending.total} attendee contribution(s) waiting. Press m to moderate.",
                title="Moderation",
            )
        self.known_pending = snapshot.pending.total

    def remember_from_history(self, snapshot: MeetingSnapshot) -> None:
        """After a restart, the defaults are those of the last idea this person captured."""
        mine = [i for i in snapshot.ideas if i.captured_by == self.operator]
        if mine and not self.remembered:
            last = max(mine, key=lambda i: i.ref)
            self.remembered = {name: getattr(last, name) for name in REMEMBERED_FIELDS}

    # ---- panels ---------------------------------------------------------------------------

    def action_show_panel(self, name: str) -> None:
        self.show_panel(name)
        self.query_one(f"#{name}").focus()

    def show_panel(self, name: str) -> None:
        self.panel = name
        for panel in PANELS:
            self.query_one(f"#{panel}").set_class(panel == name, "-chosen")
        self.update_panel_tabs()

    def update_panel_tabs(self) -> None:
        counts = {
            "ideas": len(self.query_one(IdeasView).ideas),
            "speakers": sum(
                1 for s in self.query_one(SpeakerList).speakers if s.status == "waiting"
            ),
            "records": len(self.query_one(RecordList).records),
        }
        parts = []
        for number, panel in enumerate(PANELS, start=1):
            text = f" {number} {PANEL_TITLES[panel]} {counts[panel]} "
            parts.append(f"[reverse]{text}[/]" if panel == self.panel else text)
        self.query_one("#panel-tabs", Static).update("".join(parts))

    def action_toggle_join(self) -> None:
        """A narrow pane can trade the QR code (the projector view has it too) for room."""
        join = self.query_one(JoinPanel)
        join.display = not join.display

    # ---- changes --------------------------------------------------------------------------

    def change(
        self, what: Callable[[Session], str | None], *, done: str = "", undo: Undo | None = None
    ) -> None:
        """Run a service call in a write transaction (a worker); refusals become notifications."""
        self.run_change(what, done, undo)

    @work(thread=True, group="changes", exit_on_error=False)
    def run_change(
        self, what: Callable[[Session], str | None], done: str, undo: Undo | None
    ) -> None:
        try:
            with self.database.write() as session:
                said = what(session)
        except DomainError as error:
            self.post_message(ActionRefused(str(error)))
            return
        self.post_message(ActionDone(said or done, undo))
        self.post_message(SnapshotLoaded(*self.read_snapshot()))

    def on_action_done(self, message: ActionDone) -> None:
        if message.undo is not None:
            self.last_undo = message.undo
        if message.text:
            self.notify(message.text)

    def action_undo(self) -> None:
        if self.last_undo is None:
            self.notify("Nothing to undo.")
            return
        description, restore = self.last_undo
        self.last_undo = None
        self.change(restore, done=f"Undone: {description}.")

    def current_item(self):  # noqa: ANN201
        return self.snapshot.current_item if self.snapshot else None

    def loaded(self) -> bool:
        if self.snapshot is None:
            self.notify("The meeting is still loading.")
            return False
        return True

    # ---- agenda ---------------------------------------------------------------------------

    def action_next_item(self) -> None:
        self.move_agenda(1)

    def action_previous_item(self) -> None:
        self.move_agenda(-1)

    def move_agenda(self, step: int) -> None:
        def move(session: Session) -> str:
            item = meetings.move_to_item(
                session, meeting_id=self.meeting_id, step=step, actor=self.operator
            )
            return f"Now: {item.title}"

        self.change(move)

    def action_toggle_timer(self) -> None:
        item = self.current_item()
        if item is None:
            self.notify("No item is running.")
            return
        running = item.running_since is None

        def toggle(session: Session) -> str:
            meetings.set_timer_running(
                session, meeting_id=self.meeting_id, running=running, actor=self.operator
            )
            return "Timer running." if running else "Timer paused."

        self.change(toggle)

    def action_extend(self, minutes: int) -> None:
        item = self.current_item()
        if item is None:
            self.notify("No item is running.")
            return
        self.extend_item(item.id, minutes)

    def extend_item(self, item_id: uuid.UUID, minutes: int) -> None:
        """Give an item more (or fewer) planned minutes; used here and on the agenda screen."""

        def extend(session: Session) -> str:
            changed = meetings.extend_item(
                session,
                meeting_id=self.meeting_id,
                item_id=item_id,
                minutes=minutes,
                actor=self.operator,
            )
            return f"{changed.title}: {changed.minutes} minutes planned."

        self.change(extend)

    def action_agenda(self) -> None:
        if self.loaded():
            from meetingtui.tui.screens.agenda import AgendaScreen

            self.app.push_screen(AgendaScreen(self))

    # ---- ideas ----------------------------------------------------------------------------

    @work(thread=True, group="draft-load", exit_on_error=False)
    def load_draft(self) -> None:
        with self.database.read() as session:
            draft = drafts.load_draft(session, meeting_id=self.meeting_id, owner=self.draft_owner)
            fields = drafts.draft_fields(draft) if draft else None
        if fields and any(str(v).strip() for k, v in fields.items() if k != "channel"):
            self.post_message(DraftLoaded(fields, draft.idea_id))

    def on_draft_loaded(self, message: DraftLoaded) -> None:
        if self.draft is None:
            self.draft, self.draft_idea_id = message.fields, message.idea_id
            title = (message.fields or {}).get("title") or "(no title yet)"
            self.notify(
                f"Your unsaved idea “{title}” was kept. Press i to finish it.",
                title="Draft kept",
                timeout=10,
            )

    def keep_draft(self, fields: dict[str, Any], idea_id: uuid.UUID | None = None) -> None:
        """Called by the idea form in a worker thread as the note-taker types."""
        self.draft, self.draft_idea_id = fields, idea_id
        with self.database.write() as session:
            drafts.save_draft(
                session,
                meeting_id=self.meeting_id,
                owner=self.draft_owner,
                fields=fields,
                idea_id=idea_id,
            )

    @work(thread=True, group="draft", exit_on_error=False)
    def drop_draft(self) -> None:
        self.draft = self.draft_idea_id = None
        with self.database.write() as session:
            drafts.discard_draft(session, meeting_id=self.meeting_id, owner=self.draft_owner)

    def action_capture_idea(self) -> None:
        if not self.loaded():
            return
        if self.draft is not None:
            draft, idea_id = self.draft, self.draft_idea_id
            if idea_id is not None:
                idea = next((i for i in self.snapshot.ideas if i.id == idea_id), None)
                if idea is not None:
                    self.open_idea_form(
                        draft,
                        idea_id=idea_id,
                        heading=f"Edit {idea.ref} (draft)",
                        original=form_fields(idea),
                    )
                    return
            self.open_idea_form(draft, heading="Capture an idea (your unsaved draft)")
            return
        self.open_idea_form(dict(self.remembered))

    def open_idea_form(
        self,
        initial: dict[str, Any],
        *,
        idea_id: uuid.UUID | None = None,
        heading: str = "",
        original: dict[str, Any] | None = None,
    ) -> None:
        if idea_id is None:

            def save(data: IdeaInput, changes: dict[str, Any]) -> str:  # noqa: ARG001
                return self.store_idea(data)

            heading = heading or "Capture an idea"
        else:

            def save(data: IdeaInput, changes: dict[str, Any]) -> str:
                return self.store_edit(idea_id, changes)

        form = IdeaFormScreen(
            topics=self.snapshot.topics,
            save=save,
            initial=initial,
            heading=heading,
            keep_draft=lambda fields: self.keep_draft(fields, idea_id),
            original=original,
        )
        self.app.push_screen(form, self.idea_form_closed)

    def store_idea(self, data: IdeaInput) -> str:
        """Called by the idea form in its worker thread: the idea and the end of its draft
        commit together."""
        with self.database.write() as session:
            idea = ideas.capture_idea(
                session, meeting_id=self.meeting_id, data=data, captured_by=self.operator
            )
            drafts.discard_draft(session, meeting_id=self.meeting_id, owner=self.draft_owner)
            ref = idea.ref
        self.draft = self.draft_idea_id = None
        self.remembered = {name: getattr(data, name) for name in REMEMBERED_FIELDS}
        return ref

    def store_edit(self, idea_id: uuid.UUID, changes: dict[str, Any]) -> str:
        """Only the fields the person changed: the rest of the record stays as stored."""
        with self.database.write() as session:
            idea = ideas.update_idea(
                session,
                meeting_id=self.meeting_id,
                idea_id=idea_id,
                changes=changes,
                actor=self.operator,
            )
            drafts.discard_draft(session, meeting_id=self.meeting_id, owner=self.draft_owner)
            ref = idea.ref
        self.draft = self.draft_idea_id = None
        return ref

    def idea_form_closed(self, ref: str | None) -> None:
        if ref:
            self.notify(f"Idea {ref} saved.")
            self.reload_snapshot()
        else:
            self.drop_draft()

    def action_edit_idea(self) -> None:
        idea = self.query_one(IdeasView).highlighted_idea()
        if idea is None:
            self.notify("Highlight an idea in the ideas panel first (1, then ↑↓).")
            return
        self.open_idea_form(form_fields(idea), idea_id=idea.id, heading=f"Edit {idea.ref}")

    def action_delete_idea(self) -> None:
        idea = self.query_one(IdeasView).highlighted_idea()
        if idea is None:
            self.notify("Highlight an idea in the ideas panel first (1, then ↑↓).")
            return

        def set_deleted(session: Session, deleted: bool) -> None:
            ideas.set_idea_deleted(
                session,
                meeting_id=self.meeting_id,
                idea_id=idea.id,
                deleted=deleted,
                actor=self.operator,
            )

        self.confirm_undoable_delete(
            question=f"Delete idea {idea.ref}?",
            shown=idea.title,
            set_deleted=set_deleted,
            done=f"Idea {idea.ref} deleted. Press u to undo.",
            undo_label=f"delete of idea {idea.ref}",
        )

    def confirm_undoable_delete(
        self,
        *,
        question: str,
        shown: str,
        set_deleted: Callable[[Session, bool], None],
        done: str,
        undo_label: str,
    ) -> None:
        """Ask first; delete through ``set_deleted(session, True)``; ``u`` undoes it with False.
        Nothing is erased in the database, so an undo brings everything back."""

        def decided(yes: bool | None) -> None:
            if not yes:
                return

            def delete(session: Session) -> str:
                set_deleted(session, True)
                return done

            self.change(delete, undo=(undo_label, lambda session: set_deleted(session, False)))

        self.app.push_screen(ConfirmScreen(question, shown, yes="Delete", no="Keep it"), decided)

    # ---- notes, decisions, actions ----------------------------------------------------------

    def action_record(self, kind: str = "note") -> None:
        if not self.loaded():
            return
        from meetingtui.tui.screens.record_form import record_form

        self.app.push_screen(record_form(self, kind), self.form_closed)

    def action_delete_record(self) -> None:
        record = self.query_one(RecordList).highlighted_record()
        if record is None:
            self.notify("Highlight a note in the minutes panel first (3, then ↑↓).")
            return

        def set_deleted(session: Session, deleted: bool) -> None:
            records.set_record_deleted(
                session,
                meeting_id=self.meeting_id,
                record_id=record.id,
                deleted=deleted,
                actor=self.operator,
            )

        self.confirm_undoable_delete(
            question=f"Delete this {record.kind}?",
            shown=record.text,
            set_deleted=set_deleted,
            done=f"{record.kind.capitalize()} deleted. Press u to undo.",
            undo_label=f"delete of the {record.kind}",
        )

    def form_closed(self, message: str | None) -> None:
        if message:
            self.notify(str(message))
            self.reload_snapshot()

    # ---- speakers -------------------------------------------------------------------------

    def action_add_speaker(self) -> None:
        if not self.loaded():
            return

        def add(values: dict[str, str]) -> str:
            with self.database.write() as session:
                speaker = speakers.add_speaker(
                    session,
                    meeting_id=self.meeting_id,
                    name=values["name"],
                    stakeholder=values["stakeholder"],
                    actor=self.operator,
                )
                return f"{speaker.name or 'Speaker'} added to the queue."

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
        self.app.push_screen(dialog, self.form_closed)

    def action_call_speaker(self) -> None:
        def call(session: Session) -> str:
            speaker = speakers.call_next_speaker(
                session, meeting_id=self.meeting_id, actor=self.operator
            )
            return f"Now speaking: {speaker.name or 'next speaker'}."

        self.change(call)

    def speaking_now(self):  # noqa: ANN201
        return next(
            (s for s in self.query_one(SpeakerList).speakers if s.status == "speaking"), None
        )

    def action_speaker_done(self) -> None:
        speaker = self.speaking_now()
        if speaker is None:
            self.notify("Nobody is speaking. Press c to call the next speaker.")
            return
        self.finish(speaker, withdrawn=False)

    def action_withdraw_speaker(self) -> None:
        speaker = self.query_one(SpeakerList).highlighted_speaker()
        if speaker is None or speaker.status not in ("waiting", "speaking"):
            self.notify("Highlight someone waiting in the speakers panel first (2, then ↑↓).")
            return
        self.finish(speaker, withdrawn=True)

    def finish(self, speaker, *, withdrawn: bool) -> None:  # noqa: ANN001
        def finish(session: Session) -> str:
            speakers.finish_speaker(
                session,
                meeting_id=self.meeting_id,
                speaker_id=speaker.id,
                withdrawn=withdrawn,
                actor=self.operator,
            )
            who = speaker.name or "The speaker"
            return f"{who} withdrew." if withdrawn else f"{who} has been heard."

        self.change(finish)

    # ---- the room -------------------------------------------------------------------------

    def action_moderate(self) -> None:
        if self.loaded():
            from meetingtui.tui.screens.moderation import ModerationScreen

            self.app.push_screen(ModerationScreen(self))

    def action_projector(self) -> None:
        if self.loaded():
            from meetingtui.tui.screens.projector import ProjectorScreen

            self.app.push_screen(
                ProjectorScreen(
                    self.attendee_url,
                    self.snapshot,
                    wifi_ssid=self.app_setting("wifi_ssid"),
                    wifi_password=self.app_setting("wifi_password"),
                )
            )

    def action_help(self) -> None:
        from meetingtui.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_attendance(self) -> None:
        if not self.loaded():
            return
        current = self.snapshot.meeting.attendance

        def record(values: dict[str, str]) -> str:
            text = values["count"].strip()
            count = int(text) if text.isdigit() else -1
            try:
                with self.database.write() as session:
                    meetings.set_attendance(
                        session, meeting_id=self.meeting_id, count=count, actor=self.operator
                    )
            except FieldErrors as error:  # the service names the field "attendance"
                raise FieldErrors({"count": error.errors.get("attendance", str(error))}) from None
            return f"Attendance recorded: {count}."

        field = FormField("count", "People present", value=str(current or ""), max_length=7)
        self.app.push_screen(FormDialog("Head count", [field], record), self.form_closed)

    def action_export(self) -> None:
        if self.loaded():
            from meetingtui.tui.screens.export import ExportDialog

            self.app.push_screen(
                ExportDialog(self.database, self.meeting_id, self.snapshot.meeting.code),
                self.form_closed,
            )

    def action_close_meeting(self) -> None:
        if not self.loaded():
            return
        if self.snapshot.meeting.status == "closed":
            self.notify("The meeting is already closed.")
            return

        def decided(yes: bool | None) -> None:
            if not yes:
                return

            def close(session: Session) -> str:
                meetings.close_meeting(session, meeting_id=self.meeting_id, actor=self.operator)
                return "The meeting is closed. Attendee input is no longer accepted."

            self.change(close)

        self.app.push_screen(
            ConfirmScreen(
                "Close the meeting?",
                "The current item stops and attendees can no longer add ideas, comments or "
                "requests to speak. The record stays, ready to export.",
                yes="Close the meeting",
                no="Keep it open",
            ),
            decided,
        )

    # ---- the palette ----------------------------------------------------------------------

    def palette_commands(self) -> Iterator[tuple[str, str, str]]:
        """(title, help, action) for every action: one per binding, and the preset extras."""
        for binding in self.BINDINGS:
            if not isinstance(binding, Binding) or binding.action.startswith("app.quit"):
                continue
            key = binding.key_display or binding.key.split(",")[0]
            yield binding.tooltip or binding.description, f"key: {key}", binding.action
        for child in (IdeasView, SpeakerList, RecordList):
            for binding in child.BINDINGS:
                key = binding.key.split(",")[0]
                title = f"{binding.description} (highlighted in its panel)"
                yield title, f"key: {key} · {binding.tooltip}", binding.action
        for title, action, help_text in self.EXTRA_COMMANDS:
            yield title, help_text, action

    # ---- problems ------------------------------------------------------------------------

    def on_action_refused(self, message: ActionRefused) -> None:
        self.notify(message.text, severity="warning")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place unexpected worker failures surface: a notification, not a traceback."""
        if event.state == WorkerState.ERROR:
            self.log.error(event.worker.error)
            self.notify(f"Something went wrong: {event.worker.error}", severity="error")
