"""Moderation of attendee input as it arrives.

In ``pre`` meetings ideas and comments from phones wait here until approved (``a``) or hidden
(``h``); in ``post`` meetings they show at once and can be hidden here (and shown again). Hidden
input is kept and never shown publicly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from meetingtui.domain.snapshot import ModerationEntry
from meetingtui.domain.states import Visibility

if TYPE_CHECKING:
    from meetingtui.session import LiveChange
    from meetingtui.tui.app import MeetingConsoleApp

Entry = ModerationEntry

_STATES = {
    "pending": ("WAITING", "bold reverse"),
    "visible": ("shown", ""),
    "hidden": ("hidden", "dim"),
}


def entry_text(entry: Entry) -> Text:
    state, style = _STATES.get(entry.visibility, (entry.visibility, ""))
    text = Text()
    text.append(f"{state:<8}", style=style)
    text.append(" ")
    text.append(entry.text, style="dim" if entry.visibility == Visibility.HIDDEN else "bold")
    text.append(f"\n         {entry.about}", style="dim")
    return text


class ModerationScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("a", "set_visibility('visible')", "Approve/show"),
        Binding("h", "set_visibility('hidden')", "Hide"),
        Binding("escape,m", "close", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []

    @property
    def console_app(self) -> MeetingConsoleApp:
        return cast("MeetingConsoleApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="moderation-dialog", classes="dialog") as dialog:
            dialog.border_title = "Moderation"
            yield Static("", id="moderation-summary")
            yield OptionList(id="moderation-list")
        yield Footer()

    def on_mount(self) -> None:
        self.console_app.meeting_signal.subscribe(self, self.meeting_changed, immediate=True)
        self.load_entries()
        self.query_one(OptionList).focus()

    def meeting_changed(self, change: LiveChange) -> None:
        if change.full is not None or change.pending is not None or change.meeting is not None:
            self.load_entries()

    @work(thread=True, group="moderation", exclusive=True, exit_on_error=False)
    def load_entries(self) -> None:
        session = self.console_app.session
        if session is not None:
            entries = session.moderation_queue()
            self.app.call_from_thread(self.show_entries, entries)

    def show_entries(self, entries: list[Entry]) -> None:
        state = self.console_app.meeting_state
        if state is None or not self.is_attached:
            return
        options = self.query_one(OptionList)
        chosen = self.highlighted_entry()
        self.entries = entries
        mode = state.meeting.moderation
        rule = (
            "Pre-moderated: attendee input waits here until you approve it."
            if mode == "pre"
            else "Post-moderated: attendee input shows at once; hide anything unsuitable."
        )
        waiting = state.pending
        self.query_one("#moderation-summary", Static).update(
            f"{rule}\n{waiting.ideas} idea(s) and {waiting.comments} comment(s) waiting."
        )
        options.clear_options()
        if not self.entries:
            options.add_option(
                Option(Text("Nothing from attendees yet.", style="italic"), disabled=True)
            )
            return
        options.add_options([Option(entry_text(e), id=str(e.id)) for e in self.entries])
        ids = [e.id for e in self.entries]
        options.highlighted = ids.index(chosen.id) if chosen and chosen.id in ids else 0

    def highlighted_entry(self) -> Entry | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.entries):
            return None
        return self.entries[index]

    def action_set_visibility(self, visibility: str) -> None:
        entry = self.highlighted_entry()
        if entry is None or entry.visibility == visibility:
            return
        # Move on to the next entry so a run of approvals is one key each.
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.highlighted + 1 < len(self.entries):
            options.highlighted += 1
        entity, entity_id = entry.entity, entry.id
        self.console_app.change(lambda s: s.set_visibility(entity, entity_id, visibility))

    def action_close(self) -> None:
        self.dismiss(None)
