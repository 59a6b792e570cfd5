"""Every key of the console, grouped by where it works (``?``)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static


def _key(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    names = {"question_mark": "?", "space": "space", "plus": "+", "minus": "-"}
    return " ".join(names.get(k, k) for k in binding.key.split(",") if k != "equals_sign")


def key_table(title: str, bindings: list[Binding]) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        show_header=False,
        box=None,
        padding=(0, 2, 0, 0),
        expand=True,
    )
    table.add_column(no_wrap=True, style="bold", min_width=12)
    table.add_column(ratio=1)
    for binding in bindings:
        table.add_row(_key(binding), binding.tooltip or binding.description)
    return table


def bindings_of(cls: type) -> list[Binding]:
    return [b for b in getattr(cls, "BINDINGS", []) if isinstance(b, Binding)]


class HelpScreen(ModalScreen[None]):
    """Draws the key tables it is given: (where the keys work, their bindings), so that it
    imports no screen (the console, which knows every screen, builds them)."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close help", key_display="esc")]

    def __init__(self, sections: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog", classes="dialog") as dialog:
            dialog.border_title = "Keys"
            dialog.border_subtitle = "esc closes"
            yield Static(
                Text(
                    "Every action is also in the command palette (ctrl+p): type part of its "
                    "name. Keys never clash with typing: in forms, save is ctrl+s."
                ),
                classes="dialog-hint",
            )
            for title, bindings in self.sections:
                yield Static(key_table(title, bindings), classes="help-section")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
