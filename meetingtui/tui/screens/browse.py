"""Every idea of the meeting, searchable as you type, to find and fix any of them (``b``).

Fixing an earlier idea used to mean moving the live meeting back to its item, which added time
to that item, marked items done and put it on every phone. Here nothing of the live agenda is
touched: the list reads one page at a time from the domain (``search_ideas``: LIMIT/OFFSET, so
two thousand ideas stay quick), and Enter opens the ordinary idea form on the highlighted idea,
whose save writes only the fields changed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input, OptionList, Select, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from meetingtui.domain.ideas import BROWSE_PAGE
from meetingtui.domain.models import Idea
from meetingtui.domain.vocab import moderation_word
from meetingtui.tui.failure import failure_text
from meetingtui.tui.type_ahead import FOCUS_BINDINGS, OrderedKeysScreen, release_keys
from meetingtui.tui.widgets.quick_select import QuickSelect

if TYPE_CHECKING:
    from meetingtui.session import LiveChange
    from meetingtui.tui.app import MeetingConsoleApp

MORE_AHEAD = 10  # read the next page when the highlight comes this close to the last row


def browse_row(idea: Idea, item_label: str) -> Text:
    """One idea: its ref, its item and its title (a person's words, shown literally)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{idea.ref:<8}", style="bold")
    text.append(f"{item_label[:22]:<23}", style="dim")
    text.append(idea.title)
    mark = moderation_word(idea.visibility)
    if mark:
        text.append(f"  ({mark})", style="dim italic")
    return text


class BrowseScreen(OrderedKeysScreen):
    """Search box, item filter, and the matching ideas newest first; Enter edits one."""

    DEFAULT_CSS = """
    BrowseScreen { align: center middle; }
    #browse-dialog { max-width: 120; height: 90%; }
    #browse-filters { height: auto; }
    #browse-search { width: 1fr; margin-right: 1; }
    #browse-item { width: 34; }
    #browse-list { height: 1fr; background: transparent; }
    #browse-summary { color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "close", "Back"),
        # Read as typed (priority), from the search box or the list: the keys typed after it
        # are held for the form it opens (tui/type_ahead.py).
        Binding("enter", "edit", "Edit idea", show=True, priority=True),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("pagedown", "move(10)", "Page down", show=False),
        Binding("pageup", "move(-10)", "Page up", show=False),
        *FOCUS_BINDINGS,
    ]

    def __init__(self, edit: Callable[[Idea], None]) -> None:
        super().__init__()
        self.edit = edit
        self.ideas: list[Idea] = []
        self.total = 0
        self.generation = 0  # a newer search makes the answers to older ones stale
        self.loading_more = False
        self.reading = False  # a first page is on its way
        self.read_again = False  # the meeting changed meanwhile: read once more when it comes
        self.edit_when_read = False  # Enter came before the search's answer: edit its first
        self.searched: tuple[str, uuid.UUID | None] | None = None  # what the last search read

    @property
    def console_app(self) -> MeetingConsoleApp:
        return cast("MeetingConsoleApp", self.app)

    def compose(self) -> ComposeResult:
        state = self.console_app.meeting_state
        items = state.items if state else []
        options = [(f"{n}. {item.title}", str(item.id)) for n, item in enumerate(items, 1)]
        with Vertical(id="browse-dialog", classes="dialog") as dialog:
            dialog.border_title = "Every idea of the meeting"
            dialog.border_subtitle = "type to search · enter edits · esc back"
            with Horizontal(id="browse-filters"):
                yield Input(
                    placeholder="Search title, detail or ref (I-42)",
                    compact=True,
                    id="browse-search",
                )
                yield QuickSelect(options, prompt="Every item", compact=True, id="browse-item")
            yield Static("", id="browse-summary", markup=False)
            yield OptionList(id="browse-list")
        yield Footer()

    def on_mount(self) -> None:
        self.console_app.meeting_signal.subscribe(self, self.meeting_changed, immediate=True)
        # Focused now, not next turn, then the keys typed since `b` or `/` go into the search.
        self.set_focus(self.query_one("#browse-search", Input))
        release_keys(self.app)
        self.search()

    # ---- what to show ---------------------------------------------------------------------

    def query_text(self) -> str:
        return self.query_one("#browse-search", Input).value

    def item_filter(self) -> uuid.UUID | None:
        value = self.query_one("#browse-item", Select).value
        if value is Select.NULL or value is None:
            return None
        return uuid.UUID(str(value))

    @on(Input.Changed, "#browse-search")
    @on(Select.Changed, "#browse-item")
    def filters_changed(self) -> None:
        if self.searched != (self.query_text(), self.item_filter()):
            self.search()  # (an Enter typed straight after may have started it already)

    def search(self, keep: int = 0) -> None:
        """Read the first page again (at least ``keep`` rows, so a refresh keeps the place)."""
        self.searched = (self.query_text(), self.item_filter())
        self.generation += 1
        self.loading_more = False
        self.reading = True
        self.read_page(self.generation, self.query_text(), self.item_filter(), 0, keep)

    def meeting_changed(self, change: LiveChange) -> None:
        """An idea edited, hidden or deleted here or elsewhere: show it as it is now. In a busy
        room changes come faster than reads: at most one read runs, and one more follows."""
        if change.full is None and not change.changed_ideas:
            return
        if self.reading:
            self.read_again = True
        else:
            self.search(keep=len(self.ideas))

    @work(thread=True, group="browse", exit_on_error=False)
    def read_page(
        self, generation: int, text: str, item_id: uuid.UUID | None, offset: int, keep: int
    ) -> None:
        session = self.console_app.session
        if session is None:
            return
        total, ideas = session.search_ideas(
            text, item_id, offset=offset, limit=max(BROWSE_PAGE, keep)
        )
        self.app.call_from_thread(self.show_page, generation, offset, total, ideas)

    def show_page(self, generation: int, offset: int, total: int, ideas: list[Idea]) -> None:
        if generation != self.generation or not self.is_attached:
            return  # typed on since: a newer search is on its way
        options = self.query_one("#browse-list", OptionList)
        chosen = self.highlighted_idea()
        labels = self.item_labels()
        rows = [
            Option(browse_row(i, labels.get(i.agenda_item_id, "")), id=str(i.id)) for i in ideas
        ]
        self.total = total
        if offset == 0:
            self.ideas = list(ideas)
            options.clear_options()
            options.add_options(rows)
            ids = [i.id for i in self.ideas]
            if chosen is not None and chosen.id in ids:
                options.highlighted = ids.index(chosen.id)
            elif ids:
                options.highlighted = 0
        else:
            self.ideas.extend(ideas)
            options.add_options(rows)
        self.loading_more = False
        self.show_summary()
        if offset == 0:
            self.reading = False
            if self.read_again:
                self.read_again = False
                self.search(keep=len(self.ideas))
            elif self.edit_when_read:
                self.edit_when_read = False
                self.edit_highlighted()

    def show_summary(self) -> None:
        shown = len(self.ideas)
        if self.total == 0:
            text = "No idea matches." if self.query_text().strip() else "No ideas yet."
        elif shown < self.total:
            text = f"{self.total} ideas match · {shown} read so far (scroll for more)"
        else:
            text = "1 idea matches" if self.total == 1 else f"{self.total} ideas match"
        self.query_one("#browse-summary", Static).update(text)

    def item_labels(self) -> dict[uuid.UUID | None, str]:
        state = self.console_app.meeting_state
        items = state.items if state else []
        labels: dict[uuid.UUID | None, str] = {None: "before the start"}
        labels.update({item.id: f"{n}. {item.title}" for n, item in enumerate(items, 1)})
        return labels

    @on(OptionList.OptionHighlighted, "#browse-list")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Near the end of what is read: read the next page (the list never holds it all)."""
        near_end = event.option_index >= len(self.ideas) - MORE_AHEAD
        if near_end and len(self.ideas) < self.total and not self.loading_more:
            self.loading_more = True
            self.read_page(
                self.generation, self.query_text(), self.item_filter(), len(self.ideas), 0
            )

    def highlighted_idea(self) -> Idea | None:
        index = self.query_one("#browse-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self.ideas):
            return None
        return self.ideas[index]

    # ---- keys -----------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        """↑↓ move through the list while the search box keeps the typing."""
        options = self.query_one("#browse-list", OptionList)
        if not self.ideas:
            return
        current = options.highlighted if options.highlighted is not None else -1
        options.highlighted = max(0, min(len(self.ideas) - 1, current + step))

    @on(Input.Submitted, "#browse-search")
    def search_submitted(self, event: Input.Submitted) -> None:
        event.stop()  # Enter is this screen's binding; nothing else submits

    @on(OptionList.OptionSelected, "#browse-list")
    def option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()  # a click on a row (Enter is the screen's binding)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter edits from the search box or the list; on the item filter it picks."""
        if action == "edit":
            return not isinstance(self.focused, Select)
        return True

    def action_edit(self) -> None:
        """Edit the highlighted idea. The keys typed from now on wait for the form.

        Enter is read as typed (priority), so in a burst ("b", "benches", Enter) it comes before
        the search box has taken the letters typed ahead of it: the edit waits until every key
        before it is in its field, then searches for what is typed if the list was read for
        other text, and edits what that search finds, never the row shown meanwhile."""
        self.after_keys(self.edit_what_is_searched)

    def edit_what_is_searched(self) -> None:
        if self.searched != (self.query_text(), self.item_filter()):
            self.search()
        if self.reading:
            self.edit_when_read = True
            return
        self.edit_highlighted()

    def edit_highlighted(self) -> None:
        idea = self.highlighted_idea()
        if idea is None:
            release_keys(self.app)
            self.notify("No idea is highlighted: type to search, ↑↓ to choose.")
            return
        self.edit(idea)  # the idea form releases the keys once it has focus

    def action_close(self) -> None:
        self.dismiss(None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A search that failed: say so, and let the keys held for an edit go."""
        if event.state == WorkerState.ERROR:
            self.reading = False
            if self.edit_when_read:
                self.edit_when_read = False
                release_keys(self.app)
            self.log.error(event.worker.error)
            self.notify(failure_text(event.worker.error, "search"), severity="error")
