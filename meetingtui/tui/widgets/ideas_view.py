"""The ideas raised under the current agenda item, newest first, with their comments beneath.

Newest first because the facilitator glances here to see what just arrived from the room. The
highlighted idea is the one ``e`` edits and ``x`` deletes.

While the highlight is on the newest idea the panel follows the newest: each arrival is
highlighted at the top, in view. A note-taker who moved down to read or fix an older idea keeps
their place while phones keep sending; the title then says how many arrived above ("3 new ↑:
Home"), until they go back to the top. Their own capture always comes into view (``reveal``):
they just typed it and look for it.
"""

from __future__ import annotations

import uuid

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from meetingtui.domain.models import Comment, Idea
from meetingtui.domain.snapshot import IdeaRows
from meetingtui.domain.states import Visibility
from meetingtui.domain.vocab import CHANNELS, STAKEHOLDERS, label, moderation_word
from meetingtui.tui.literal import display_text

EMPTY_TEXT = "No ideas yet for this item. Press i to capture one."


def idea_block(
    idea: Idea, comments: list[Comment], supports: int = 0, comment_count: int | None = None
) -> Text:
    """One idea: ref and title, then who and what about, then its latest comments (``comments``,
    oldest first; ``comment_count`` of them in all); continuation lines indented under the title.
    Plain ``Text`` (not a table): a live update lays these out, and a table costs several times
    more. Every piece of a person's text goes in literally (``Text.append``)."""
    shown = [c for c in comments if c.visibility != Visibility.HIDDEN]
    count = len(shown) if comment_count is None else comment_count
    extras = []
    if count:
        extras.append(f"{count} comment{'s' if count != 1 else ''}")
    if supports:
        extras.append(f"{supports} support{'s' if supports != 1 else ''}")
    indent = " " * (len(idea.ref) + 1)
    text = Text()
    text.append(idea.ref, style="bold")
    text.append(" ")
    if idea.visibility == Visibility.PENDING:
        text.append(moderation_word(idea.visibility), style="bold reverse")
        text.append(" ")
    text.append(display_text(idea.title))
    if extras:
        text.append(f"  ({', '.join(extras)})", style="dim")
    about = [
        label(STAKEHOLDERS, idea.stakeholder),
        idea.topic,
        label(CHANNELS, idea.channel),
        idea.raised_by if idea.publish_name or idea.channel != "phone" else "",
    ]
    text.append(display_text(f"\n{indent}" + " · ".join(p for p in about if p)), style="dim")
    if count > len(shown):
        text.append(f"\n{indent}└ … {count - len(shown)} earlier", style="dim")
    for comment in shown:
        author = f" — {comment.author}" if comment.author else ""
        mark = (
            moderation_word(comment.visibility) if comment.visibility == Visibility.PENDING else ""
        )
        waiting = f" ({mark})" if mark else ""
        text.append(f"\n{indent}└ ")
        text.append(display_text(comment.body))
        text.append(display_text(f"{author}{waiting}"))
    return text


class IdeasView(OptionList):
    """The current item's newest ideas. ``show`` lays out only the ideas it is told changed
    (a comment redraws its idea, not the list) and keeps the highlight on the same idea."""

    BINDINGS = [
        Binding("e", "screen.edit_idea", "Edit", show=False, tooltip="Edit the highlighted idea"),
        Binding(
            "x,delete",
            "screen.delete_idea",
            "Delete",
            show=False,
            tooltip="Delete (asks; u undoes)",
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual API
        super().__init__(id=id)
        self.shown_refs: list[str] = []
        self.ideas: list[Idea] = []
        self.blocks: dict[uuid.UUID, Text] = {}
        self.border_title = "Ideas"
        self.heading = "Ideas"
        self.unseen: set[uuid.UUID] = set()  # arrived above a note-taker reading further down
        self.to_reveal = ""  # the ref of this console's own capture, until it is drawn

    def on_mount(self) -> None:
        self.watch(self, "highlighted", self.highlight_moved, init=False)

    def highlight_moved(self, index: int | None) -> None:
        """Back at the top, everything new has been seen."""
        if self.unseen and not index:
            self.unseen.clear()
            self.update_title()

    def update_title(self) -> None:
        new = f" · {len(self.unseen)} new ↑: Home" if self.unseen else ""
        self.border_title = self.heading + new

    def reveal(self, ref: str) -> None:
        """Highlight (and scroll to) this console's own new or edited idea: now when it is
        drawn, otherwise when the feed draws it."""
        self.to_reveal = ref
        self.reveal_pending()

    def reveal_pending(self) -> None:
        if not self.to_reveal or self.to_reveal not in self.shown_refs:
            return
        index = self.shown_refs.index(self.to_reveal)
        self.to_reveal = ""
        self.highlighted = self.get_option_index(str(self.ideas[index].id))
        if index == 0:
            self.scroll_home(animate=False, immediate=True)

    def show(
        self,
        rows: IdeaRows,
        total: int | None = None,
        changed: set[uuid.UUID] | None = None,
        *,
        before_start: int = 0,
    ) -> None:
        """Show ``rows`` (newest first); ``changed`` names the ideas to lay out again (None:
        all of them). ``total`` is how many the item has, when ``rows`` holds only the newest;
        ``before_start`` how many were raised before the meeting started (in no item's list:
        the title says so, and where to find them)."""
        newest_first = sorted(
            (i for i in rows.ideas.values() if i.visibility != Visibility.HIDDEN),
            key=lambda i: i.seq,
            reverse=True,
        )
        total = len(newest_first) if total is None else max(total, len(newest_first))
        more = f", newest {len(newest_first)} shown" if total > len(newest_first) else ""
        self.heading = f"Ideas for this item ({total}{more})"
        if before_start:
            self.heading += f" · {before_start} from before the start: b"
        redraw = set(rows.ideas) if changed is None else changed
        ids = [idea.id for idea in newest_first]
        for idea in newest_first:
            if idea.id in redraw or idea.id not in self.blocks:
                self.blocks[idea.id] = idea_block(
                    idea,
                    rows.latest_comments.get(idea.id, []),
                    rows.supports.get(idea.id, 0),
                    rows.comment_counts.get(idea.id),
                )
        for gone in set(self.blocks) - set(ids):
            del self.blocks[gone]
        before = [idea.id for idea in self.ideas]
        same_order = ids == before
        self.ideas = newest_first
        self.shown_refs = [idea.ref for idea in newest_first]
        if same_order and ids:
            changed_here = redraw & set(ids)
            taller = [self.redraw_option(str(i), self.blocks[i]) for i in changed_here]
            if any(taller):
                self._line_cache.clear()  # a height changed: every option is measured again
            if changed_here:
                self.refresh()
            self.unseen &= set(ids)
            self.update_title()
            self.reveal_pending()
            return
        # Someone working on an older idea keeps it highlighted (what arrived above is counted
        # in the title); otherwise the newest is, at the top, in view: that is where the
        # facilitator looks for what just arrived.
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        if highlighted is not None and before and highlighted == str(before[0]):
            highlighted = None  # it was on the newest: follow the newest
        self.clear_options()
        if not newest_first:
            self.unseen.clear()
            self.update_title()
            self.add_option(Option(Text(EMPTY_TEXT, style="italic"), disabled=True))
            return
        options: list[Option | None] = []
        for number, idea_id in enumerate(ids):
            if number:
                options.append(None)
            options.append(Option(self.blocks[idea_id], id=str(idea_id)))
        self.add_options(options)
        if highlighted is not None and highlighted in {str(i) for i in ids}:
            self.unseen = (self.unseen | (set(ids) - set(before))) & set(ids)
            self.highlighted = self.get_option_index(highlighted)
        else:
            self.unseen.clear()
            self.highlighted = 0
            self.scroll_home(animate=False, immediate=True)
        self.update_title()
        self.reveal_pending()

    def redraw_option(self, option_id: str, prompt: Text) -> bool:
        """Give one option a new prompt and forget only its drawn lines; True when its height
        changed (the list's lines must then be measured again).

        ``replace_option_prompt`` forgets every option's drawn lines (Textual 8), so each comment
        re-rendered the whole panel: ~70 ms a comment on this loop, which also serves the web.
        Textual's option internals are used here on purpose; the version is pinned (<9).
        """
        option = self.get_option(option_id)
        index = self.get_option_index(option_id)
        before = self._line_cache.heights.get(index)
        option._set_prompt(prompt)
        cache = self._option_render_cache
        for key in [key for key in cache.keys() if key[0] is option]:  # noqa: SIM118 - not iterable
            cache.discard(key)
        padding = self.get_component_styles("option-list--option").padding
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        after = self._get_visual(option).get_height(self.styles, width - padding.width)  # type: ignore[arg-type]
        return before is None or after + option._divider != before

    def highlighted_idea(self) -> Idea | None:
        if self.highlighted is None or not self.ideas:
            return None
        option = self.get_option_at_index(self.highlighted)
        return next((i for i in self.ideas if str(i.id) == option.id), None)
