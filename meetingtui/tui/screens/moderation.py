"""Moderation of attendee input as it arrives.

In ``pre`` meetings ideas and comments from phones wait here until approved (``a``) or hidden
(``h``); in ``post`` meetings they show at once and can be hidden here (and shown again). Hidden
input is kept and never shown publicly.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from sqlmodel import Session
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from meetingtui.domain.moderation import set_visibility
from meetingtui.domain.snapshot import MeetingSnapshot

if TYPE_CHECKING:
    from meetingtui.tui.screens.console import ConsoleScreen

_STATES = {
    "pending": ("WAITING", "bold reverse"),
    "visible": ("shown", ""),
    "hidden": ("hidden", "dim"),
}


@dataclass(frozen=True)
class Entry:
    entity: str  # idea · comment
    id: uuid.UUID
    visibility: str
    at: datetime
    text: str
    about: str


def moderation_entries(snapshot: MeetingSnapshot) -> list[Entry]:
    """Attendee input (phones) and anything not plainly visible: waiting first, newest first."""
    entries = []
    refs = {}
    for idea in snapshot.ideas:
        refs[idea.id] = idea.ref
        if idea.channel == "phone" or idea.visibility != "visible":
            who = idea.raised_by or "anonymous"
            entries.append(
                Entry(
                    "idea",
                    idea.id,
                    idea.visibility,
                    idea.captured_at,
                    idea.title,
                    f"idea {idea.ref} · {who}",
                )
            )
    for idea_id, comments in snapshot.comments.items():
        for comment in comments:
            if comment.channel == "phone" or comment.visibility != "visible":
                who = comment.author or "anonymous"
                entries.append(
                    Entry(
                        "comment",
                        comment.id,
                        comment.visibility,
                        comment.created_at,
                        comment.body,
                        f"comment on {refs.get(idea_id, '?')} · {who}",
                    )
                )
    entries.sort(key=lambda e: e.at, reverse=True)
    entries.sort(key=lambda e: e.visibility != "pending")
    return entries


def entry_text(entry: Entry) -> Text:
    state, style = _STATES.get(entry.visibility, (entry.visibility, ""))
    text = Text()
    text.append(f"{state:<8}", style=style)
    text.append(" ")
    text.append(entry.text, style="dim" if entry.visibility == "hidden" else "bold")
    text.append(f"\n         {entry.about}", style="dim")
    return text


class ModerationScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("a", "set_visibility('visible')", "Approve/show"),
        Binding("h", "set_visibility('hidden')", "Hide"),
        Binding("escape,m", "close", "Back"),
    ]

    def __init__(self, console: ConsoleScreen) -> None:
        super().__init__()
        self.console = console
        self.entries: list[Entry] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="moderation-dialog", classes="dialog") as dialog:
            dialog.border_title = "Moderation"
            yield Static("", id="moderation-summary")
            yield OptionList(id="moderation-list")
        yield Footer()

    def on_mount(self) -> None:
        self.meeting_changed(self.console.snapshot)
        self.query_one(OptionList).focus()

    def meeting_changed(self, snapshot: MeetingSnapshot | None) -> None:
        if snapshot is None:
            return
        options = self.query_one(OptionList)
        chosen = self.highlighted_entry()
        self.entries = moderation_entries(snapshot)
        mode = snapshot.meeting.moderation
        rule = (
            "Pre-moderated: attendee input waits here until you approve it."
            if mode == "pre"
            else "Post-moderated: attendee input shows at once; hide anything unsuitable."
        )
        waiting = snapshot.pending
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
        if entry is None:
            return
        console = self.console
        if entry.visibility == visibility:
            return
        # Move on to the next entry so a run of approvals is one key each.
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.highlighted + 1 < len(self.entries):
            options.highlighted += 1

        def change(session: Session) -> str:
            set_visibility(
                session,
                meeting_id=console.meeting_id,
                entity=entry.entity,
                entity_id=entry.id,
                visibility=visibility,
                actor=console.operator,
            )
            verb = "hidden" if visibility == "hidden" else "shown"
            return f"{entry.entity.capitalize()} {verb}."

        console.change(change)

    def action_close(self) -> None:
        self.dismiss(None)
