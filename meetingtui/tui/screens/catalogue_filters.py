"""The catalogue's filters in one dialog (``f``): the filters on the left, the values of the one
highlighted on the right, each with how many ideas have it; space ticks any number of them."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from meetingtui.domain.catalogue_view import FACETS, CatalogueView, Facets
from meetingtui.tui.literal import display_text


class FilterDialog(ModalScreen[CatalogueView | None]):
    """Dismisses with the view filtered as ticked (enter), or None (escape)."""

    DEFAULT_CSS = """
    FilterDialog { align: center middle; }
    #filter-dialog { width: 96%; max-width: 110; height: 90%; }
    #filter-panes { height: 1fr; }
    #filter-facets { width: 30; height: 1fr; }
    #filter-values { width: 1fr; height: 1fr; }
    #filter-facets > .option-list--option-highlighted { text-style: bold reverse; }
    """

    BINDINGS = [
        Binding("enter,ctrl+s", "apply", "Apply", priority=True),
        Binding("escape", "cancel", "Cancel"),
        Binding("tab", "switch", "Other side", show=False),
        Binding("backspace,delete", "clear_facet", "Clear this filter"),
        Binding("ctrl+x", "clear_all", "Clear all", show=False),
    ]

    def __init__(self, view: CatalogueView, facets: Facets) -> None:
        super().__init__()
        self.view = view
        self.facets = facets
        self.chosen: dict[str, set[str]] = {f: set(getattr(view, f)) for f in FACETS}
        self.facet = next(iter(FACETS))
        self.filling = False

    def compose(self) -> ComposeResult:
        with Vertical(id="filter-dialog", classes="dialog") as dialog:
            dialog.border_title = "Filters"
            dialog.border_subtitle = "space ticks · tab other side · enter applies · esc cancels"
            yield Static(
                "An idea shows when it has any value ticked in each filter.",
                classes="dialog-hint",
            )
            with Horizontal(id="filter-panes"):
                yield OptionList(*self.facet_options(), id="filter-facets")
                yield SelectionList[str](id="filter-values")
        yield Footer()

    def on_mount(self) -> None:
        facets = self.query_one("#filter-facets", OptionList)
        facets.highlighted = 0
        self.fill_values()
        self.set_focus(facets)

    def facet_options(self) -> list[Option]:
        return [Option(self.facet_label(f), id=f) for f in FACETS]

    def facet_label(self, facet: str) -> Text:
        count = len(self.chosen[facet])
        return Text(f"{FACETS[facet]}{f' ({count})' if count else ''}")

    @on(OptionList.OptionHighlighted, "#filter-facets")
    def facet_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id != self.facet:
            self.facet = event.option.id
            self.fill_values()

    @on(OptionList.OptionSelected, "#filter-facets")
    def facet_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_switch()

    def fill_values(self) -> None:
        values = self.query_one("#filter-values", SelectionList)
        self.filling = True
        values.clear_options()
        choices = self.facets.values.get(self.facet, [])
        values.add_options(
            [
                Selection(
                    Text.assemble(display_text(v.label), (f"  {v.count:,}", "dim")),
                    v.value,
                    v.value in self.chosen[self.facet],
                )
                for v in choices
            ]
        )
        if not choices:
            values.add_option(Selection(Text("(nothing to choose)"), "", disabled=True))
        self.filling = False
        values.border_title = FACETS[self.facet]

    @on(SelectionList.SelectedChanged, "#filter-values")
    def values_changed(self, event: SelectionList.SelectedChanged) -> None:
        if self.filling:
            return
        self.chosen[self.facet] = set(event.selection_list.selected)
        self.refresh_facet()

    def refresh_facet(self) -> None:
        facets = self.query_one("#filter-facets", OptionList)
        facets.replace_option_prompt(self.facet, self.facet_label(self.facet))

    def action_switch(self) -> None:
        facets = self.query_one("#filter-facets", OptionList)
        values = self.query_one("#filter-values", SelectionList)
        if self.focused is facets:
            if values.highlighted is None and values.option_count:
                values.highlighted = 0
            self.set_focus(values)
        else:
            self.set_focus(facets)

    def action_clear_facet(self) -> None:
        self.chosen[self.facet] = set()
        self.fill_values()
        self.refresh_facet()

    def action_clear_all(self) -> None:
        for facet in FACETS:
            self.chosen[facet] = set()
            self.query_one("#filter-facets", OptionList).replace_option_prompt(
                facet, self.facet_label(facet)
            )
        self.fill_values()

    def action_apply(self) -> None:
        view = self.view
        for facet, values in self.chosen.items():
            view = view.with_values(facet, sorted(values))
        self.dismiss(view)

    def action_cancel(self) -> None:
        self.dismiss(None)
