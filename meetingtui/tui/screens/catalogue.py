"""The catalogue screen: every idea of a programme, across its meetings and channels, to review
and answer (``meetingtui catalogue``, or ``C`` in the console).

Search as you type (debounced; every read runs in a worker thread, so the keys never wait for
the database), filters with many values each (``f``), four sorts (``o``), "needs an answer"
(``n``) and "my ideas" (``m``). The list holds only the pages read so far (100 rows each, read
as the highlight nears the end), so a catalogue of 100,000 ideas opens as fast as a small one.
Status, response and reviewer apply to the highlighted idea or to every selected one (space
selects; ``A`` selects every match); ``u`` takes the last of them back; publishing asks first.

The screen holds no SQL: a ``CatalogueSession`` (catalogue_session.py) does each read and write
in one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from meetingtui.catalogue_session import SELECT_ALL_MAX, CatalogueSession, MergePreview, Page
from meetingtui.domain.catalogue_view import (
    AGE_LABELS,
    FACETS,
    PUBLISHED_LABELS,
    SORTS,
    CatalogueRow,
    CatalogueView,
    Facets,
)
from meetingtui.domain.errors import DomainError
from meetingtui.domain.lifecycle import AGE_THRESHOLDS
from meetingtui.domain.models import utcnow
from meetingtui.domain.states import IdeaStatus
from meetingtui.domain.vocab import CHANNELS, IDEA_STATUSES, SCALES, STAKEHOLDERS
from meetingtui.domain.words import counted
from meetingtui.tui.failure import failure_text
from meetingtui.tui.literal import display_text
from meetingtui.tui.screens.catalogue_dialogs import (
    merge_dialog,
    merge_question,
    name_dialog,
    publish_question,
    response_dialog,
    reviewer_dialog,
    split_dialog,
    status_dialog,
    unmerge_question,
)
from meetingtui.tui.screens.catalogue_filters import FilterDialog
from meetingtui.tui.screens.form_dialog import FormDialog
from meetingtui.tui.screens.help import HelpScreen, bindings_of
from meetingtui.tui.screens.themes import ThemesScreen, ThemesSession, assign_dialog
from meetingtui.tui.widgets.catalogue_rows import detail_view, header_line, row_line

PAGE = 100  # rows per read
MORE_AHEAD = 20  # read the next page when the highlight comes this close to the last row
DEBOUNCE = 0.2  # seconds of no typing before a search is read
SORT_ORDER = list(SORTS)


class CatalogueScreen(Screen[None]):
    """The list (selection marks, ref, status, counts, title) and the detail pane: beside the
    list on wide terminals, in its place on narrow ones (enter reads, escape goes back)."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (130, "-wide")]

    DEFAULT_CSS = """
    CatalogueScreen { layout: vertical; }
    #cat-heading { height: 1; background: $panel; padding: 0 1; }
    #cat-top { height: 1; }
    #cat-search { width: 1fr; }
    #cat-sort { width: auto; padding: 0 1; color: $text-muted; }
    #cat-filters { height: 1; padding: 0 1; color: $text-muted; }
    #cat-body { height: 1fr; }
    #cat-list-pane { width: 1fr; height: 1fr; }
    #cat-columns { height: 1; color: $text-muted; }
    #cat-list { height: 1fr; background: transparent; border: none; padding: 0; }
    #cat-list:focus { border: none; }
    #cat-detail { height: 1fr; padding: 0 1; border-left: solid $panel-lighten-2; }
    CatalogueScreen.-wide #cat-detail { width: 40%; }
    CatalogueScreen.-narrow #cat-detail { display: none; border-left: none; }
    CatalogueScreen.-narrow #cat-body.-reading #cat-detail { display: block; width: 1fr; }
    CatalogueScreen.-narrow #cat-body.-reading #cat-list-pane { display: none; }
    """

    # The footer at 80 columns shows the keys of review first; the rest are in help (?) and the
    # command palette.
    BINDINGS = [
        Binding("slash", "search", "Search", key_display="/", tooltip="Type to search"),
        Binding("f", "filters", "Filter", tooltip="Filters: meeting, topic, status, age…"),
        Binding("s", "status", "Status", tooltip="Set the status (highlighted or selected)"),
        Binding("r", "response", "Reply", tooltip="Write the public response (a draft)"),
        Binding("p", "publish", "Publish", tooltip="Publish the answers (asks first)"),
        Binding("n", "needs_answer", "Needs answer", tooltip="Ideas with no published answer"),
        Binding("question_mark", "help", "Help", key_display="?", tooltip="Show every key"),
        Binding("space", "toggle_select", "Select", show=False, tooltip="Select or unselect"),
        Binding("A", "select_all", "Select all", show=False, tooltip="Select every match"),
        Binding("o", "sort", "Sort", show=False, tooltip="Next sort: newest, supported…"),
        Binding("m", "my_ideas", "My ideas", show=False, tooltip="Only ideas I review"),
        Binding("w", "reviewer", "Reviewer", show=False, tooltip="Assign a reviewer (a name)"),
        Binding("u", "undo", "Undo", show=False, tooltip="Undo the last status, reply or reviewer"),
        Binding("g", "merge", "Merge", show=False, tooltip="Merge the ideas into another (asks)"),
        Binding("U", "unmerge", "Unmerge", show=False, tooltip="Unmerge the highlighted idea"),
        Binding("Y", "split", "Split", show=False, tooltip="Split the highlighted idea in several"),
        Binding("enter", "read", "Read", show=False, tooltip="Read the whole idea"),
        Binding("F", "clear_filters", "No filters", show=False, tooltip="Clear every filter"),
        Binding("M", "set_name", "My name", show=False, tooltip="Set my name (for my ideas)"),
        Binding("ctrl+r", "reload", "Reload", show=False, tooltip="Read the catalogue again"),
        Binding("t", "theme", "Theme", show=False, tooltip="Put the ideas in a theme"),
        Binding("T", "themes", "Themes", show=False, tooltip="Themes and suggested themes"),
        Binding("D", "duplicates", "Duplicates", show=False, tooltip="Possible duplicates"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("pagedown", "move(15)", "Page down", show=False),
        Binding("pageup", "move(-15)", "Page up", show=False),
        Binding(
            "escape", "back", "Back", tooltip="Back: clear the selection, leave the idea, close"
        ),
    ]

    def __init__(self, open_session: Callable[[], CatalogueSession], *, standalone: bool) -> None:
        super().__init__()
        self.open_session = open_session
        self.standalone = standalone  # the whole app (meetingtui catalogue), not over a console
        self.catalogue: CatalogueSession | None = None
        self.view = CatalogueView()
        self.facets: Facets | None = None
        self.rows: list[CatalogueRow] = []
        self.total = 0
        self.waiting_line = ""
        self.selected: set[uuid.UUID] = set()
        self.generation = 0  # a newer read makes the answers to older ones stale
        self.loading_more = False
        self.search_timer: Timer | None = None
        self.detail_timer: Timer | None = None
        self.refresh_timer: Timer | None = None
        self.detail_for: uuid.UUID | None = None
        self.wide = False
        self.pages_read = 0  # how many first pages have arrived (tests wait on it)
        self.counts_read = 0  # and how many counts
        self.count_generation = 0  # counts asked for; a newer ask makes older answers stale
        self.counted_generation = 0  # the ask the counts shown answer
        self.counting: CatalogueView | None = None  # the view (whatever its sort) counted
        self.more = False  # the last page read was full: the next may have rows
        self.drawn_width = 0  # the width the rows were last drawn for

    # ---- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("Catalogue: opening…", id="cat-heading", markup=False)
        with Horizontal(id="cat-top"):
            yield Input(placeholder="/ search words (as you type)", compact=True, id="cat-search")
            yield Static("", id="cat-sort", markup=False)
        yield Static("", id="cat-filters", markup=False)
        with Horizontal(id="cat-body"):
            with Vertical(id="cat-list-pane"):
                yield Static("", id="cat-columns", markup=False)
                yield OptionList(id="cat-list")
            with VerticalScroll(id="cat-detail"):
                yield Static("", id="cat-detail-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#cat-list", OptionList))
        self.show_chrome()
        self.open_catalogue()
        signal = getattr(self.app, "meeting_signal", None)  # over a running meeting's console
        if signal is not None:
            signal.subscribe(self, self.meeting_changed)

    def meeting_changed(self, change: Any) -> None:
        """An idea of the console's meeting arrived or changed (a phone, a note-taker): read the
        rows again, at most once a second however busy the room."""
        if change.full is None and not change.changed_ideas:
            return
        if self.refresh_timer is None:
            self.refresh_timer = self.set_timer(1.0, self.refresh_from_feed)

    def refresh_from_feed(self) -> None:
        self.refresh_timer = None
        self.reload(keep=len(self.rows))

    def row_width(self) -> int:
        """The list's width for a row: as laid out, or what the screen's width will give it
        before the layout has its breakpoint (list and detail share the width until then)."""
        width = self.query_one("#cat-list", OptionList).scrollable_content_region.width
        if width < 20 or not (self.has_class("-wide") or self.has_class("-narrow")):
            screen = self.size.width or self.app.size.width
            width = screen - screen * 2 // 5 - 1 if screen >= 130 else screen - 1
        self.drawn_width = max(20, width)
        return self.drawn_width

    def redraw_if_resized(self) -> None:
        """After the first layout: the rows read before it may have guessed the width."""
        known = self.drawn_width
        if self.row_width() != known:
            self.redraw_rows()

    def on_resize(self) -> None:
        wide = self.size.width >= 130
        self.call_after_refresh(self.redraw_rows)  # the rows fit the list's new width
        if wide != self.wide:
            self.wide = wide
            if wide:
                self.query_one("#cat-body").remove_class("-reading")
                self.want_detail()

    @work(thread=True, group="catalogue-open", exit_on_error=False)
    def open_catalogue(self) -> None:
        """Open, read the first rows, then count the filters' values (not needed to draw)."""
        catalogue = self.open_session()
        self.app.call_from_thread(self.opened, catalogue)
        facets = catalogue.facets()
        self.app.call_from_thread(setattr, self, "facets", facets)

    def opened(self, catalogue: CatalogueSession) -> None:
        self.catalogue = catalogue
        self.reload()

    # ---- reading --------------------------------------------------------------------------

    def reload(self, keep: int = 0, *, recount: bool = True) -> None:
        """Read the first page of the view again (at least ``keep`` rows, keeping the place)."""
        if self.catalogue is None:
            return
        self.generation += 1
        self.loading_more = False
        self.read_page(self.generation, self.view, 0, max(PAGE, keep))
        # A new sort changes no count (``set_view``): the counts shown stay right, and
        # counting 100,000 ideas costs more than a page of them.
        counting = replace(self.view, sort="newest")
        if recount or counting != self.counting:
            self.counting = counting
            self.count_generation += 1
            self.read_counts(self.count_generation, self.view)
        self.show_chrome()

    @work(thread=True, group="catalogue-read", exit_on_error=False)
    def read_page(self, generation: int, view: CatalogueView, offset: int, limit: int) -> None:
        assert self.catalogue is not None
        page = self.catalogue.page(view, offset, limit)
        self.app.call_from_thread(self.show_page, generation, page, limit)

    @work(thread=True, group="catalogue-count", exit_on_error=False)
    def read_counts(self, generation: int, view: CatalogueView) -> None:
        """How many match and how many wait for an answer: read beside the first rows, which
        do not wait for them (counting 100,000 ideas takes longer than reading 100)."""
        assert self.catalogue is not None
        total, waiting = self.catalogue.counts(view)
        self.app.call_from_thread(self.show_counts, generation, total, waiting)

    def show_counts(self, generation: int, total: int, waiting: Any) -> None:
        if generation != self.count_generation or not self.is_attached:
            return
        self.total = total
        over = ", ".join(f"{waiting.over[days]:,} >{days} days" for days in AGE_THRESHOLDS)
        self.waiting_line = f"{waiting.total:,} need an answer ({over})"
        self.counts_read += 1
        self.counted_generation = generation
        self.show_chrome()

    def show_page(self, generation: int, page: Page, limit: int) -> None:
        if generation != self.generation or not self.is_attached:
            return  # typed on since: a newer read is on its way
        options = self.query_one("#cat-list", OptionList)
        now = utcnow()
        lines = [
            Option(
                row_line(
                    r,
                    selected=r.idea.id in self.selected,
                    now=now,
                    width=self.row_width(),
                ),
                id=str(r.idea.id),
            )
            for r in page.rows
        ]
        if page.offset == 0:
            chosen = self.highlighted_row()
            self.rows = list(page.rows)
            options.clear_options()
            options.add_options(lines)
            ids = [r.idea.id for r in self.rows]
            if chosen is not None and chosen.idea.id in ids:
                options.highlighted = ids.index(chosen.idea.id)
            elif ids:
                options.highlighted = 0
            self.pages_read += 1
        else:
            self.rows.extend(page.rows)
            options.add_options(lines)
        self.more = len(page.rows) == limit  # a full page: there may be more
        self.call_after_refresh(self.redraw_if_resized)
        self.loading_more = False
        self.show_chrome()
        self.want_detail()

    def redraw_rows(self) -> None:
        self.query_one("#cat-columns", Static).update(header_line(self.row_width()))
        options = self.query_one("#cat-list", OptionList)
        now = utcnow()
        for row in self.rows:
            options.replace_option_prompt(
                str(row.idea.id),
                row_line(
                    row,
                    selected=row.idea.id in self.selected,
                    now=now,
                    width=self.row_width(),
                ),
            )

    @on(OptionList.OptionHighlighted, "#cat-list")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        near_end = event.option_index >= len(self.rows) - MORE_AHEAD
        if near_end and self.more and not self.loading_more:
            self.loading_more = True
            self.read_page(self.generation, self.view, len(self.rows), PAGE)
        self.want_detail()

    @on(OptionList.OptionSelected, "#cat-list")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_read()

    def highlighted_row(self) -> CatalogueRow | None:
        index = self.query_one("#cat-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self.rows):
            return None
        return self.rows[index]

    # ---- the detail pane ------------------------------------------------------------------

    def detail_shown(self) -> bool:
        return self.wide or self.query_one("#cat-body").has_class("-reading")

    def want_detail(self) -> None:
        """Read the highlighted idea's detail, once the highlight rests (wide screens)."""
        if not self.detail_shown():
            return
        row = self.highlighted_row()
        if row is None:
            self.query_one("#cat-detail-text", Static).update("")
            self.detail_for = None
            return
        if row.idea.id == self.detail_for:
            return
        if self.detail_timer is not None:
            self.detail_timer.stop()
        self.detail_timer = self.set_timer(0.1, lambda: self.read_detail(row.idea.id))

    @work(thread=True, group="catalogue-detail", exclusive=True, exit_on_error=False)
    def read_detail(self, idea_id: uuid.UUID) -> None:
        assert self.catalogue is not None
        detail = self.catalogue.detail(idea_id)
        self.app.call_from_thread(self.show_detail, idea_id, detail)

    def show_detail(self, idea_id: uuid.UUID, detail: Any) -> None:
        row = self.highlighted_row()
        if row is None or row.idea.id != idea_id or not self.is_attached:
            return
        self.detail_for = idea_id
        text = self.query_one("#cat-detail-text", Static)
        if detail is None:
            text.update("This idea was deleted.")
        else:
            text.update(detail_view(detail))
        self.query_one("#cat-detail", VerticalScroll).scroll_home(animate=False)

    # ---- the lines above the list ---------------------------------------------------------

    def show_chrome(self) -> None:
        name = self.catalogue.programme_name if self.catalogue else "…"
        heading = Text(display_text(name), style="bold")
        if self.catalogue is not None and self.counts_read:
            searched = self.view.filtered() or self.view.text.strip()
            shown = counted(self.total, "match", "matches") if searched else ""
            shown = shown or counted(self.total, "idea")
            heading.append(f" · {shown}")
            if self.selected:
                heading.append(f" · {len(self.selected):,} selected", style="bold")
            if self.waiting_line:
                heading.append(f" · {self.waiting_line}")
        self.query_one("#cat-heading", Static).update(heading)
        sort = "needs an answer: oldest first" if self.view.needs_answer else SORTS[self.view.sort]
        if self.view.text.strip() and self.view.sort == "newest" and not self.view.needs_answer:
            sort = "best match first"
        self.query_one("#cat-sort", Static).update(f"o: {sort}")
        self.query_one("#cat-filters", Static).update(self.filter_summary())
        self.query_one("#cat-columns", Static).update(header_line(self.row_width()))

    def filter_summary(self) -> Text:
        parts: list[str] = []
        if self.view.needs_answer:
            parts.append("needs an answer")
        for facet in FACETS:
            values = getattr(self.view, facet)
            if values:
                shown = ", ".join(sorted(self.value_label(facet, v) for v in values))
                parts.append(f"{FACETS[facet].lower()}: {shown}")
        if not parts:
            return Text("No filters (f filters, n needs an answer, m my ideas)")
        return Text("Filters: " + " · ".join(display_text(p) for p in parts))

    def value_label(self, facet: str, value: str) -> str:
        if self.facets is not None:
            for known in self.facets.values.get(facet, []):
                if known.value == value:
                    return known.label
        vocab: dict[str, dict[str, str]] = {
            "stakeholders": STAKEHOLDERS,
            "channels": CHANNELS,
            "statuses": IDEA_STATUSES,
            "scales": SCALES,
            "published": PUBLISHED_LABELS,
            "ages": AGE_LABELS,
        }
        if facet == "reviewers" and not value:
            return "nobody yet"
        return vocab.get(facet, {}).get(value, value)

    # ---- search, filters, sort ------------------------------------------------------------

    @on(Input.Changed, "#cat-search")
    def typed(self, event: Input.Changed) -> None:
        """Search as you type: read once typing pauses (every keystroke would queue a read)."""
        if self.search_timer is not None:
            self.search_timer.stop()
        self.search_timer = self.set_timer(DEBOUNCE, self.search_now)

    def search_now(self) -> None:
        text = self.query_one("#cat-search", Input).value
        if text != self.view.text:
            self.set_view(replace(self.view, text=text))

    @on(Input.Submitted, "#cat-search")
    def search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.search_now()
        self.set_focus(self.query_one("#cat-list", OptionList))

    def set_view(self, view: CatalogueView) -> None:
        self.view = view
        self.reload(recount=False)  # counts again only if the words or the filters changed

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Letters type into the search box while it has focus; the screen's keys wait."""
        typing = isinstance(self.focused, Input)
        return not typing or action in ("move", "back", "help", "reload")

    def action_search(self) -> None:
        self.set_focus(self.query_one("#cat-search", Input))

    def action_filters(self) -> None:
        if self.facets is None or self.catalogue is None:
            self.notify("The filters' values are still being counted: f again in a moment.")
            return

        def chosen(view: CatalogueView | None) -> None:
            if view is not None:
                self.set_view(view)

        self.app.push_screen(FilterDialog(self.view, self.facets), chosen)

    def action_clear_filters(self) -> None:
        self.set_view(self.view.cleared())
        self.notify("Every filter cleared.")

    def action_sort(self) -> None:
        if self.view.needs_answer:
            self.notify("Needs an answer lists the oldest first; n leaves it to sort otherwise.")
            return
        following = SORT_ORDER[(SORT_ORDER.index(self.view.sort) + 1) % len(SORT_ORDER)]
        self.set_view(replace(self.view, sort=following))

    def action_needs_answer(self) -> None:
        needs = not self.view.needs_answer
        self.set_view(replace(self.view, needs_answer=needs))
        if needs:
            self.notify("Needs an answer: no published response, oldest first (n again: all).")

    def action_my_ideas(self) -> None:
        if self.catalogue is None:
            return
        mine = frozenset({self.catalogue.name})
        if self.view.reviewers == mine:
            self.set_view(self.view.with_values("reviewers", []))
            return
        if not self.catalogue.name:
            self.notify("Set your name first (M): my ideas are those whose reviewer you are.")
            return
        self.set_view(self.view.with_values("reviewers", sorted(mine)))
        self.notify(f"My ideas: reviewer {self.catalogue.name} (m again: everyone's).")

    def action_set_name(self) -> None:
        if self.catalogue is None:
            return

        def saved(name: str | None) -> None:
            if name:
                self.notify(f"Your name is {name}: m shows the ideas you review.")

        self.app.push_screen(name_dialog(self.catalogue), saved)

    def action_reload(self) -> None:
        self.reload(keep=len(self.rows))

    # ---- moving and selecting -------------------------------------------------------------

    def action_move(self, step: int) -> None:
        if self.query_one("#cat-body").has_class("-reading") and not self.wide:
            self.query_one("#cat-detail", VerticalScroll).scroll_relative(y=step)
            return
        options = self.query_one("#cat-list", OptionList)
        if not self.rows:
            return
        if isinstance(self.focused, Input):
            self.set_focus(options)
        current = options.highlighted if options.highlighted is not None else -1
        options.highlighted = max(0, min(len(self.rows) - 1, current + step))

    def action_toggle_select(self) -> None:
        row = self.highlighted_row()
        if row is None:
            return
        if row.idea.id in self.selected:
            self.selected.discard(row.idea.id)
        else:
            self.selected.add(row.idea.id)
        self.query_one("#cat-list", OptionList).replace_option_prompt(
            str(row.idea.id),
            row_line(
                row,
                selected=row.idea.id in self.selected,
                now=utcnow(),
                width=self.row_width(),
            ),
        )
        self.show_chrome()
        self.action_move(1)

    def action_select_all(self) -> None:
        if self.catalogue is None:
            return
        self.select_every_match(self.generation, self.view)

    @work(thread=True, group="catalogue-select", exit_on_error=False)
    def select_every_match(self, generation: int, view: CatalogueView) -> None:
        assert self.catalogue is not None
        ids, total = self.catalogue.every_match(view)
        self.app.call_from_thread(self.selected_every, generation, ids, total)

    def selected_every(self, generation: int, ids: list[uuid.UUID], total: int) -> None:
        if generation != self.generation:
            return
        self.selected = set(ids)
        self.redraw_rows()
        self.show_chrome()
        if total > len(ids):
            self.notify(
                f"Selected the first {len(ids):,} of {total:,} matches (at most "
                f"{SELECT_ALL_MAX:,} at once): narrow the search for the rest.",
                severity="warning",
            )
        else:
            self.notify(f"Selected every match: {counted(len(ids), 'idea')} (escape clears).")

    def targets(self) -> list[uuid.UUID]:
        """The selected ideas, else the highlighted one."""
        if self.selected:
            return sorted(self.selected, key=str)
        row = self.highlighted_row()
        return [row.idea.id] if row is not None else []

    def single(self) -> CatalogueRow | None:
        """The one idea acted on, when it is one (its current values fill the dialog)."""
        if self.selected:
            if len(self.selected) == 1:
                (only,) = self.selected
                return next((r for r in self.rows if r.idea.id == only), None)
            return None
        return self.highlighted_row()

    def what(self, ids: list[uuid.UUID]) -> str:
        row = self.single()
        if len(ids) == 1 and row is not None:
            return f"{row.meeting_code}/{row.idea.ref}"
        return counted(len(ids), "idea")

    # ---- the lifecycle --------------------------------------------------------------------

    def ready(self) -> list[uuid.UUID] | None:
        if self.catalogue is None:
            self.notify("The catalogue is still opening.")
            return None
        ids = self.targets()
        if not ids:
            self.notify("No idea is highlighted or selected.")
            return None
        return ids

    def action_status(self) -> None:
        if (ids := self.ready()) is not None:
            assert self.catalogue is not None
            dialog = status_dialog(self.catalogue, ids, self.single(), self.what(ids))
            self.app.push_screen(dialog, self.changed)

    def action_response(self) -> None:
        if (ids := self.ready()) is not None:
            assert self.catalogue is not None
            dialog = response_dialog(self.catalogue, ids, self.single(), self.what(ids))
            self.app.push_screen(dialog, self.changed)

    def action_reviewer(self) -> None:
        if (ids := self.ready()) is not None:
            assert self.catalogue is not None
            dialog = reviewer_dialog(self.catalogue, ids, self.single(), self.what(ids))
            self.app.push_screen(dialog, self.changed)

    def action_publish(self) -> None:
        if (ids := self.ready()) is None:
            return
        catalogue = self.catalogue
        assert catalogue is not None

        def decided(yes: bool | None) -> None:
            if yes:
                self.run_change(lambda: catalogue.publish(ids))

        self.app.push_screen(publish_question(self.what(ids)), decided)

    def action_merge(self) -> None:
        if (ids := self.ready()) is None:
            return
        catalogue = self.catalogue
        assert catalogue is not None

        def confirmed(preview: MergePreview, reason: str, yes: bool | None) -> None:
            if yes:
                self.run_change(lambda: catalogue.merge(ids, preview.target_id, reason))

        def asked(result: tuple[MergePreview, str] | None) -> None:
            if result is None:
                return
            preview, reason = result
            self.app.push_screen(
                merge_question(preview), lambda yes: confirmed(preview, reason, yes)
            )

        self.app.push_screen(merge_dialog(catalogue, ids, self.what(ids)), asked)

    def action_unmerge(self) -> None:
        row = self.highlighted_row()
        catalogue = self.catalogue
        if row is None or catalogue is None:
            return
        if row.idea.status != IdeaStatus.MERGED:
            self.notify(f"{row.idea.ref} is not merged into another idea.", severity="warning")
            return

        def decided(yes: bool | None) -> None:
            if yes:
                self.run_change(lambda: catalogue.unmerge(row.idea.id))

        self.app.push_screen(unmerge_question(row), decided)

    def action_split(self) -> None:
        row = self.highlighted_row()
        if row is None or self.catalogue is None:
            return
        self.app.push_screen(split_dialog(self.catalogue, row), self.changed)

    def action_undo(self) -> None:
        catalogue = self.catalogue
        if catalogue is None:
            return
        self.run_change(catalogue.undo)

    @work(thread=True, group="catalogue-change", exit_on_error=False)
    def run_change(self, change: Callable[[], str]) -> None:
        try:
            said = change()
        except DomainError as error:
            self.app.call_from_thread(self.notify, str(error), severity="warning")
            return
        self.app.call_from_thread(self.changed, said)

    def changed(self, said: str | None) -> None:
        """A change was saved (its sentence) or the dialog cancelled (None)."""
        if said is None:
            return
        self.notify(said)
        self.selected.clear()
        self.detail_for = None
        self.reload(keep=len(self.rows))

    # ---- themes (tui/screens/themes.py) ---------------------------------------------------

    def action_theme(self) -> None:
        if (ids := self.ready()) is not None:
            self.read_theme_names(ids, self.what(ids))

    @work(thread=True, group="catalogue-themes", exit_on_error=False)
    def read_theme_names(self, ids: list[uuid.UUID], what: str) -> None:
        assert self.catalogue is not None
        session = ThemesSession.of(self.catalogue)
        names = session.names()
        self.app.call_from_thread(self.ask_theme, assign_dialog(session, names, ids, what))

    def ask_theme(self, dialog: FormDialog) -> None:
        self.app.push_screen(dialog, self.changed)

    def action_themes(self) -> None:
        if self.catalogue is not None:
            screen = ThemesScreen(ThemesSession.of(self.catalogue))
            self.app.push_screen(screen, lambda _: self.reload(keep=len(self.rows)))

    # ---- reading and leaving --------------------------------------------------------------

    def action_read(self) -> None:
        if self.highlighted_row() is None:
            return
        body = self.query_one("#cat-body")
        if not self.wide:
            body.add_class("-reading")
            self.detail_for = None
        self.want_detail()
        self.set_focus(self.query_one("#cat-detail", VerticalScroll))

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.set_focus(self.query_one("#cat-list", OptionList))
            return
        body = self.query_one("#cat-body")
        if body.has_class("-reading"):
            body.remove_class("-reading")
            self.set_focus(self.query_one("#cat-list", OptionList))
            return
        if self.selected:
            count = len(self.selected)
            self.selected.clear()
            self.redraw_rows()
            self.show_chrome()
            self.notify(f"Selection cleared ({counted(count, 'idea')}).")
            return
        if self.wide and self.focused is self.query_one("#cat-detail", VerticalScroll):
            self.set_focus(self.query_one("#cat-list", OptionList))
            return
        if self.standalone:
            self.app.exit()
        else:
            self.dismiss(None)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(help_sections()))

    def action_duplicates(self) -> None:
        from meetingtui.tui.screens.duplicates import DuplicatesScreen  # its own module

        if self.catalogue is not None:
            self.app.push_screen(DuplicatesScreen(self.catalogue), lambda _: self.reload())

    def palette_commands(self) -> Iterator[tuple[str, str, str]]:
        """(title, help, action) for the command palette: one per key, and each sort."""
        for binding in bindings_of(CatalogueScreen):
            if binding.action.startswith("move"):
                continue
            key = binding.key_display or binding.key.split(",")[0]
            yield binding.tooltip or binding.description, f"key: {key}", binding.action
        for name, words in SORTS.items():
            yield f"Sort: {words}", "o cycles the sorts", f"sort_by('{name}')"

    def action_sort_by(self, name: str) -> None:
        self.set_view(replace(self.view, sort=name))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """This screen's workers: a failure is a sentence, never a traceback."""
        if event.state == WorkerState.ERROR:
            self.log.error(event.worker.error)
            self.loading_more = False
            self.notify(failure_text(event.worker.error), severity="error")


def help_sections() -> list[tuple[str, list[Binding]]]:
    return [
        (
            "The catalogue",
            [b for b in bindings_of(CatalogueScreen) if not b.action.startswith("move")]
            + [
                Binding("up,down", "", "Move through the ideas (pgup, pgdn a page)"),
                Binding("ctrl+p", "", "Command palette: any action, and each sort"),
            ],
        ),
        ("Filters (f)", bindings_of(FilterDialog)),
        ("Themes (T)", bindings_of(ThemesScreen)),
        ("Dialogs", bindings_of(FormDialog)),
    ]
