"""Asked before throwing away an idea form that has text in it: typed words are never lost
by a stray Escape."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static


class ConfirmDiscardScreen(ModalScreen[bool]):
    """Dismisses with True to discard, False to keep editing."""

    BINDINGS = [
        Binding("y", "discard", "Discard"),
        Binding("n,escape", "keep", "Keep editing"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static("Discard this idea?", classes="dialog-title")
            yield Static("What you typed will be lost. Press y to discard, n to keep editing.")
        yield Footer()

    def action_discard(self) -> None:
        self.dismiss(True)

    def action_keep(self) -> None:
        self.dismiss(False)
