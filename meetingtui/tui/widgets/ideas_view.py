"""The ideas raised under the current agenda item, newest first, with their comments beneath.

Newest first because the facilitator glances here to see what just arrived from the room. The
highlighted idea is the one ``e`` edits and ``x`` deletes.
"""

from __future__ import annotations

import uuid

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from meetingtui.domain.models import Comment, Idea
from meetingtui.domain.vocab import CHANNELS, STAKEHOLDERS, label

EMPTY_TEXT = "No ideas yet for this item. Press i to capture one."


def idea_block(idea: Idea, comments: list[Comment], supports: int = 0) -> Text:
    """One idea: ref and title, then who and what about, then its comments; continuation lines
    indented under the title. Plain ``Text`` (not a table): hundreds of these are laid out on
    every live update, and a table costs several times more."""
    shown = [c for c in comments if c.visibility != "hidden"]
    extras = []
    if shown:
        extras.append(f"{len(shown)} comment{'s' if len(shown) != 1 else ''}")
    if supports:
        extras.append(f"{supports} support{'s' if supports != 1 else ''}")
    indent = " " * (len(idea.ref) + 1)
    text = Text()
    text.append(idea.ref, style="bold")
    text.append(" ")
    if idea.visibility == "pending":
        text.append("waiting for approval", style="bold reverse")
        text.append(" ")
    text.append(idea.title)
    if extras:
        text.append(f"  ({', '.join(extras)})", style="dim")
    about = [
        label(STAKEHOLDERS, idea.stakeholder),
        idea.topic,
        label(CHANNELS, idea.channel),
        idea.raised_by if idea.publish_name or idea.channel != "phone" else "",
    ]
    text.append(f"\n{indent}" + " · ".join(p for p in about if p), style="dim")
    for comment in shown:
        author = f" — {comment.author}" if comment.author else ""
        waiting = " (waiting)" if comment.visibility == "pending" else ""
        text.append(f"\n{indent}└ {comment.body}{author}{waiting}")
    return text


class IdeasView(OptionList):
    """The current item's ideas; ``show`` replaces them and keeps the highlight on the same idea."""

    BINDINGS = [
        Binding("e", "screen.edit_idea", "Edit idea", tooltip="Edit the highlighted idea"),
        Binding("x,delete", "screen.delete_idea", "Delete idea", tooltip="Delete (asks; u undoes)"),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual API
        super().__init__(id=id)
        self.shown_refs: list[str] = []
        self.ideas: list[Idea] = []
        self.signature: list[tuple] | None = None
        self.border_title = "Ideas"

    def show(
        self,
        ideas: list[Idea],
        comments: dict[uuid.UUID, list[Comment]],
        supports: dict[uuid.UUID, int] | None = None,
    ) -> None:
        newest_first = sorted(
            (i for i in ideas if i.visibility != "hidden"), key=lambda i: i.seq, reverse=True
        )
        supports = supports or {}
        signature = [
            (
                idea.id,
                idea.updated_at,
                idea.visibility,
                tuple((c.id, c.visibility) for c in comments.get(idea.id, [])),
                supports.get(idea.id, 0),
            )
            for idea in newest_first
        ]
        if signature == self.signature:
            return  # nothing this view shows has changed: skip the re-layout
        self.signature = signature
        refs = [idea.ref for idea in newest_first]
        self.border_title = f"Ideas for this item ({len(newest_first)})"
        # Someone working on an older idea keeps it highlighted; otherwise the newest is, at the
        # top, in view: that is where the facilitator looks for what just arrived.
        highlighted = self.highlighted_idea() if self.highlighted else None
        self.ideas = newest_first
        self.shown_refs = refs
        self.clear_options()
        if not newest_first:
            self.add_option(Option(Text(EMPTY_TEXT, style="italic"), disabled=True))
            return
        options = []
        for number, idea in enumerate(newest_first):
            if number:
                options.append(None)
            block = idea_block(idea, comments.get(idea.id, []), supports.get(idea.id, 0))
            options.append(Option(block, id=str(idea.id)))
        self.add_options(options)
        if highlighted is not None and highlighted.ref in refs:
            self.highlighted = self.get_option_index(str(highlighted.id))
        else:
            self.highlighted = 0
            self.scroll_home(animate=False, immediate=True)

    def highlighted_idea(self) -> Idea | None:
        if self.highlighted is None or not self.ideas:
            return None
        option = self.get_option_at_index(self.highlighted)
        return next((i for i in self.ideas if str(i.id) == option.id), None)
