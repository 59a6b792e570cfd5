"""The ideas raised under the current agenda item, newest first, with their comments beneath.

Newest first because the facilitator glances here to see what just arrived from the room.
"""

from __future__ import annotations

import uuid

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from meetingtui.domain.models import Comment, Idea
from meetingtui.domain.vocab import CHANNELS, STAKEHOLDERS, label

EMPTY_TEXT = "No ideas yet for this item. Press i to capture one."


def idea_block(idea: Idea, comments: list[Comment]) -> Text:
    """One idea as readable lines: ref and title, who and what about, then its comments."""
    count = len(comments)
    block = Text.assemble(
        (idea.ref, "bold"),
        "  ",
        idea.title,
        (f"  ({count} comment{'s' if count != 1 else ''})" if count else "", "dim"),
    )
    about = [
        label(STAKEHOLDERS, idea.stakeholder),
        idea.topic,
        label(CHANNELS, idea.channel),
        idea.raised_by if idea.publish_name else "",
    ]
    block.append("\n       " + " · ".join(p for p in about if p), style="dim")
    for comment in comments:
        author = f" — {comment.author}" if comment.author else ""
        block.append(f"\n       └ {comment.body}{author}")
    return block


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
        blocks = [idea_block(idea, comments.get(idea.id, [])) for idea in newest_first]
        content.update(Text("\n\n").join(blocks))
