"""A yes/no question before anything that cannot be taken back lightly (discard typed text,
delete, skip an item, close the meeting)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from meetingtui.tui.literal import literal
from meetingtui.tui.type_ahead import dismiss_with_keys


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True for yes (``y``), False for no (``n`` or Escape)."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, detail: str = "", *, yes: str = "Yes", no: str = "No"):
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(literal(self.question), classes="dialog-title")
            if self.detail:
                yield Static(literal(self.detail))
            yield Static(
                f"Press y to {self.yes.lower()}, n to {self.no.lower()}.", classes="dialog-hint"
            )
        yield Footer()

    def action_answer(self, answer: bool) -> None:
        # What is typed straight after the answer goes to the form or console it returns to.
        dismiss_with_keys(self, answer)


def discard_question() -> ConfirmScreen:
    return ConfirmScreen(
        "Discard this idea?",
        "What you typed will be lost.",
        yes="Discard",
        no="Keep editing",
    )
