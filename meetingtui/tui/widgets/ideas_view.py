"""The ideas raised under the current agenda item, newest first, with their comments beneath.

Newest first because the facilitator glances here to see what just arrived from the room.
"""

from __future__ import annotations

import uuid

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from meetingtui.domain.models import Comment, Idea
from meetingtui.domain.vocab import CHANNELS, STAKEHOLDERS, label

EMPTY_TEXT = "No ideas yet for this item. Press i to capture one."


def ideas_table(ideas: list[Idea], comments: dict[uuid.UUID, list[Comment]]) -> Table:
    """Ideas as a two-column grid, so wrapped lines stay indented under the title."""
    table = Table.grid(padding=(0, 1, 0, 0))
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for number, idea in enumerate(ideas):
        if number:
            table.add_row("", "")
        replies = comments.get(idea.id, [])
        count = f"  ({len(replies)} comment{'s' if len(replies) != 1 else ''})" if replies else ""
        table.add_row(Text(idea.ref, style="bold"), Text.assemble(idea.title, (count, "dim")))
        about = [
            label(STAKEHOLDERS, idea.stakeholder),
            idea.topic,
            label(CHANNELS, idea.channel),
            idea.raised_by if idea.publish_name else "",
        ]
        table.add_row("", Text(" · ".join(p for p in about if p), style="dim"))
        for comment in replies:
            author = f" — {comment.author}" if comment.author else ""
            table.add_row("", Text(f"└ {comment.body}{author}"))
    return table


class IdeasView(VerticalScroll):
    """Scrollable list of the current item's ideas; ``show`` replaces the content."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual API
        super().__init__(id=id)
        self.shown_refs: list[str] = []
        self.border_title = "Ideas"

    def compose(self) -> ComposeResult:
        yield Static(EMPTY_TEXT, id="ideas-list")

    def show(self, ideas: list[Idea], comments: dict[uuid.UUID, list[Comment]]) -> None:
        newest_first = sorted(ideas, key=lambda idea: idea.ref, reverse=True)
        self.shown_refs = [idea.ref for idea in newest_first]
        self.border_title = f"Ideas for this item ({len(ideas)})"
        content = self.query_one("#ideas-list", Static)
        if not newest_first:
            content.update(EMPTY_TEXT)
            return
        content.update(ideas_table(newest_first, comments))
