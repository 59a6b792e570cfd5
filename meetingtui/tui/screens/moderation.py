"""Moderation of attendee input as it arrives.

In ``pre`` meetings ideas and comments from phones wait here until approved (``a``) or hidden
(``h``); in ``post`` meetings they show at once and can be hidden here (and shown again). Hidden
input is kept and never shown publicly.

Built for a busy room: every word approval would publish is on screen (title, detail, the name
and whether it would be published; for a comment, the idea it is on), rows stay in arrival order
so new arrivals never move the cursor, each decision moves the cursor to the next row still
waiting, ``space`` selects rows for one decision on all of them, and changing a decision already
made asks first. The app holds its notifications while this screen shows (they would cover the
text being judged) and shows them on return.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from meetingtui.domain.moderation import ModerationEntry
from meetingtui.domain.states import Visibility
from meetingtui.domain.words import counted
from meetingtui.tui.literal import literal
from meetingtui.tui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from meetingtui.session import LiveChange
    from meetingtui.tui.app import MeetingConsoleApp

Entry = ModerationEntry
Key = tuple[str, uuid.UUID]

_STATES = {
    "pending": ("WAITING", "bold reverse"),
    "visible": ("shown", ""),
    "hidden": ("hidden", "dim"),
}
_VERBS = {"visible": "approve", "hidden": "hide"}
_DONE = {"visible": "shown", "hidden": "hidden"}


def key_of(entry: Entry) -> Key:
    return (entry.entity, entry.id)


def what_is(entry: Entry) -> str:
    return f"Idea {entry.ref}" if entry.entity == "idea" else f"Comment on {entry.ref}"


def name_line(entry: Entry) -> Text:
    """Who it is from and whether approval would publish the name: a moderator approves the
    name with the words."""
    given = ", ".join(part for part in (entry.name, entry.organisation) if part)
    if not given:
        return Text("No name given", style="dim")
    line = Text.assemble("Name: ", literal(given, "bold"), " · ")
    if entry.name_published:
        line.append("consented: the name is published", style="bold")
    elif entry.entity == "comment":
        line.append("not published (comment names never are)", style="dim")
    else:
        line.append("no consent: the name is not published", style="dim")
    return line


def device_tag(device: str) -> str:
    """A short name for a phone (its device id is random, not personal): enough to see which
    rows one phone sent."""
    return f"phone {device[:6]}"


def entry_prompt(entry: Entry, *, selected: bool = False) -> Group:
    """The whole row: its state, what it is, and every word of it, literally."""
    state, style = _STATES.get(entry.visibility, (entry.visibility, ""))
    hidden = entry.visibility == Visibility.HIDDEN
    grid = Table.grid(padding=(0, 1, 0, 0), expand=True)
    grid.add_column(width=3, no_wrap=True)
    grid.add_column(width=8, no_wrap=True)
    grid.add_column(ratio=1)
    if entry.entity == "idea":
        what = Text.assemble(("Idea ", "dim"), (entry.ref, "bold"))
    else:
        what = Text.assemble(
            ("Comment on ", "dim"), (entry.ref, "bold"), " “", literal(entry.idea_title), "”"
        )
    if entry.device:
        what.append(f" · from {device_tag(entry.device)}", style="dim")
    # People's words, drawn as on every surface of the console (tui/literal.py).
    body = literal(entry.text, "dim" if hidden else "bold")
    lines = [what, body]
    if entry.detail:
        lines.append(literal(entry.detail, "dim" if hidden else ""))
    lines.append(name_line(entry))
    grid.add_row(
        Text("[x]" if selected else "[ ]", style="bold" if selected else "dim"),
        Text(state, style=style),
        Text("\n").join(lines),
    )
    return Group(grid)


class ModerationScreen(ModalScreen[None]):
    # The app holds its toasts while this shows and replays them on return (``app.notify``).
    HOLDS_NOTIFICATIONS = True

    BINDINGS = [
        Binding("a", "set_visibility('visible')", "Approve/show", tooltip="Approve or show again"),
        Binding("h", "set_visibility('hidden')", "Hide", tooltip="Hide from the public"),
        Binding("space", "toggle_selected", "Select", tooltip="Select the row (a/h act on all)"),
        Binding("asterisk", "select_waiting", "Select waiting", key_display="*"),
        Binding("D", "hide_device", "Hide phone", tooltip="Hide everything the row's phone sent"),
        Binding("u", "undo", "Undo", tooltip="Undo your last action (it says which)"),
        Binding("escape", "escape", "Back", tooltip="Clear the selection, or back"),
        Binding("m", "close", "Back", show=False, tooltip="Back to the console"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        self.selected: set[Key] = set()
        # Decisions made here but not yet read back: shown at once, whatever a read that
        # started before the write says.
        self.decided: dict[Key, str] = {}
        self.said = ""

    @property
    def console_app(self) -> MeetingConsoleApp:
        return cast("MeetingConsoleApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="moderation-dialog", classes="dialog") as dialog:
            dialog.border_title = "Moderation"
            yield Static("", id="moderation-summary")
            yield OptionList(id="moderation-list")
            yield Static("", id="moderation-said")
        yield Footer(compact=True)  # every key at 80 columns

    def on_mount(self) -> None:
        self.console_app.hold_shown_notifications(answered="Moderation")
        self.console_app.meeting_signal.subscribe(self, self.meeting_changed, immediate=True)
        self.load_entries()
        self.query_one(OptionList).focus()

    def on_unmount(self) -> None:
        # What the moderator has seen waiting is not news when the feed catches up with it.
        self.console_app.pending_seen(sum(1 for e in self.entries if e.waiting))
        # After the pop: the console is the screen again, and the held toasts show on it.
        self.app.call_later(self.console_app.release_held_notifications)

    def meeting_changed(self, change: LiveChange) -> None:
        if (
            change.full is not None
            or change.pending is not None
            or change.meeting is not None
            or change.rows is not None
            or change.gone
        ):
            self.load_entries()

    @work(thread=True, group="moderation", exclusive=True, exit_on_error=False)
    def load_entries(self) -> None:
        session = self.console_app.session
        if session is not None:
            entries = session.moderation_queue()
            self.app.call_from_thread(self.show_entries, entries)

    # ---- drawing --------------------------------------------------------------------------

    def show_entries(self, entries: list[Entry]) -> None:
        if self.console_app.meeting_state is None or not self.is_attached:
            return
        for entry in entries:  # read back: the decision is stored
            if self.decided.get(key_of(entry)) == entry.visibility:
                del self.decided[key_of(entry)]
        self.entries = [self.with_decisions(e) for e in entries]
        known = {key_of(e) for e in self.entries}
        self.selected &= known
        self.redraw()

    def with_decisions(self, entry: Entry) -> Entry:
        decided = self.decided.get(key_of(entry))
        if decided is None or decided == entry.visibility:
            return entry
        return dataclasses.replace(entry, visibility=decided)

    def redraw(self) -> None:
        """Rebuild the list, the cursor on the same row and the view scrolled as it was: rows
        arriving at the end must not move what the moderator is reading."""
        options = self.query_one(OptionList)
        chosen = self.highlighted_entry()
        scrolled = options.scroll_y
        self.update_summary()
        options.clear_options()
        if not self.entries:
            options.add_option(
                Option(Text("Nothing from attendees yet.", style="italic"), disabled=True)
            )
            return
        options.add_options(
            [
                Option(entry_prompt(e, selected=key_of(e) in self.selected), id=str(e.id))
                for e in self.entries
            ]
        )
        keys = [key_of(e) for e in self.entries]
        if chosen is not None and key_of(chosen) in keys:
            index = keys.index(key_of(chosen))
        else:
            index = self.next_waiting(-1)
        options.highlighted = index
        options.scroll_to(y=scrolled, animate=False, immediate=True)
        options.scroll_to_highlight()

    def update_summary(self) -> None:
        state = self.console_app.meeting_state
        if state is None:
            return
        rule = (
            "Pre-moderated: attendee input waits here until you approve it."
            if state.meeting.moderation == "pre"
            else "Post-moderated: attendee input shows at once; hide anything unsuitable."
        )
        ideas = sum(1 for e in self.entries if e.waiting and e.entity == "idea")
        comments = sum(1 for e in self.entries if e.waiting and e.entity == "comment")
        waiting = f"{counted(ideas, 'idea')} and {counted(comments, 'comment')} waiting."
        if self.selected:
            waiting += f"  {len(self.selected)} selected: a or h acts on all of them."
        self.query_one("#moderation-summary", Static).update(Text(f"{rule}\n{waiting}"))
        self.query_one("#moderation-said", Static).update(Text(self.said, style="bold"))

    def highlighted_entry(self) -> Entry | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.entries):
            return None
        return self.entries[index]

    def next_waiting(self, after: int) -> int:
        """The next row still waiting after row ``after`` (wrapping round); else the row after
        it, so a post-moderated run still moves on; never past the end."""
        count = len(self.entries)
        for step in range(1, count + 1):
            index = (after + step) % count
            if self.entries[index].waiting:
                return index
        return min(max(after + 1, 0), count - 1)

    # ---- decisions ------------------------------------------------------------------------

    def action_toggle_selected(self) -> None:
        entry = self.highlighted_entry()
        if entry is None:
            return
        self.selected ^= {key_of(entry)}
        options = self.query_one(OptionList)
        index = self.entries.index(entry)
        options.replace_option_prompt_at_index(
            index, entry_prompt(entry, selected=key_of(entry) in self.selected)
        )
        if index + 1 < len(self.entries):
            options.highlighted = index + 1
        self.update_summary()

    def action_select_waiting(self) -> None:
        self.selected |= {key_of(e) for e in self.entries if e.waiting}
        self.redraw()

    def action_set_visibility(self, visibility: str) -> None:
        if self.selected:
            chosen = [e for e in self.entries if key_of(e) in self.selected]
        else:
            entry = self.highlighted_entry()
            chosen = [entry] if entry is not None else []
        changing = [e for e in chosen if e.visibility != visibility]
        if not changing:
            if chosen:
                self.said = f"Already {_DONE[visibility]}: nothing to change."
                self.update_summary()
            return
        decided_before = [e for e in changing if self.was_decided(e)]
        if not decided_before:
            self.decide(changing, visibility)
            return
        verb = _VERBS[visibility]
        if len(changing) == 1:
            (entry,) = changing
            was = _STATES[entry.visibility][0]
            question = f"{verb.capitalize()} this {entry.entity}? It is {was} now."
            shown = entry.text
        else:
            question = (
                f"{verb.capitalize()} {len(changing)} rows? "
                f"{len(decided_before)} of them were already moderated."
            )
            shown = "\n".join(f"{e.ref}: {e.text}" for e in decided_before[:5])

        def answered(yes: bool | None) -> None:
            if yes:
                self.decide(changing, visibility)

        self.app.push_screen(
            ConfirmScreen(question, shown, yes=verb.capitalize(), no="Leave it"), answered
        )

    def was_decided(self, entry: Entry) -> bool:
        """A moderator decided this row already: approved or hidden in a pre-moderated meeting,
        hidden in a post-moderated one (where showing at once is the rule, not a decision)."""
        state = self.console_app.meeting_state
        post = state is not None and state.meeting.moderation != "pre"
        return not entry.waiting and not (post and entry.visibility == Visibility.VISIBLE)

    def decide(self, entries: Iterable[Entry], visibility: str) -> None:
        """Store the decision (shown here at once), then move to the next row still waiting."""
        entries = list(entries)
        changes = [(e.entity, e.id, visibility) for e in entries]
        for entry in entries:
            self.decided[key_of(entry)] = visibility
        self.selected.clear()
        what = what_is(entries[0]) if len(entries) == 1 else counted(len(entries), "row")
        self.said = f"{what} {_DONE[visibility]}. (u undoes it)"
        current = self.highlighted_entry()
        keys = [key_of(e) for e in self.entries]
        index = keys.index(key_of(current)) if current is not None else -1
        self.entries = [self.with_decisions(e) for e in self.entries]
        self.redraw()
        if self.entries:
            self.query_one(OptionList).highlighted = self.next_waiting(index)
        self.console_app.change(lambda s: s.set_visibilities(changes))

    def action_hide_device(self) -> None:
        """Everything one phone sent, hidden at once (after a yes): a flood is one decision."""
        entry = self.highlighted_entry()
        if entry is None:
            return
        if not entry.device:
            self.said = "That was typed by an organiser, not sent from a phone."
            self.update_summary()
            return
        device = entry.device
        shown = [e for e in self.entries if e.device == device]
        visible = sum(1 for e in shown if e.visibility != Visibility.HIDDEN)
        question = f"Hide everything {device_tag(device)} sent?"
        detail = (
            f"{counted(len(shown), 'row')} here ({visible} not hidden yet), and anything else it "
            "sent to this meeting. u undoes it."
        )

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            for row in shown:
                self.decided[key_of(row)] = Visibility.HIDDEN
            self.entries = [self.with_decisions(e) for e in self.entries]
            self.said = f"Everything from {device_tag(device)} hidden. (u undoes it)"
            self.redraw()
            if self.entries:
                options = self.query_one(OptionList)
                options.highlighted = self.next_waiting(options.highlighted or 0)
            self.console_app.change(lambda s: s.hide_device(device, device_tag(device)))

        self.app.push_screen(ConfirmScreen(question, detail, yes="Hide", no="Leave it"), answered)

    def action_undo(self) -> None:
        """The console's undo (one stack), answered here: toasts are held on this screen."""
        self.console_app.undo(reply=self.undone)

    def undone(self, said: str, refused: bool) -> None:  # noqa: FBT001 - a Reply
        if not self.is_attached:
            return
        self.said = said
        if not refused:
            # What was decided here and not yet read back is no longer so: the next read is.
            self.decided.clear()
            self.load_entries()
        self.update_summary()

    def action_escape(self) -> None:
        if self.selected:
            self.selected.clear()
            self.redraw()
            return
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
