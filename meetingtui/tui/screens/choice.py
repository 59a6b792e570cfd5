"""A question with a few named answers, each on its own key: for the moments a yes/no would
hide a real choice (carry the queue over or record it as not heard; resume a meeting or start a
new one). Escape answers None: the caller's "change nothing"."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from meetingtui.tui.literal import literal

Choice = tuple[str, str, str]  # (key, what it does, the value dismissed with)


class ChoiceScreen(ModalScreen[str | None]):
    """Dismisses with the value of the answer whose key is pressed, or None for Escape."""

    DEFAULT_CSS = """
    ChoiceScreen { align: center middle; }
    """

    def __init__(
        self, question: str, detail: str, choices: list[Choice], *, escape: str = "cancel"
    ) -> None:
        super().__init__()
        self.question, self.detail, self.choices = question, detail, choices
        self.escape = escape

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(literal(self.question), classes="dialog-title")
            if self.detail:
                yield Static(literal(self.detail))
            for key, text, _value in self.choices:
                yield Static(literal(f"  {key}  {text}"), classes="choice")
            yield Static(f"Press a key; Escape to {self.escape}.", classes="dialog-hint")

    def on_key(self, event: events.Key) -> None:
        for key, _text, value in self.choices:
            if event.key == key:
                event.stop()
                self.dismiss(value)
                return
        if event.key == "escape":
            event.stop()
            self.dismiss(None)
