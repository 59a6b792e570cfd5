"""The one base of meetingtui's Textual apps (the console, the catalogue): their notifications
are people's words, drawn literally."""

from __future__ import annotations

from textual.notifications import SeverityLevel

from meetingtui.tui.literal import display_text
from meetingtui.tui.type_ahead import KeyHolder


class LiteralApp(KeyHolder[int]):
    """Notifications are always literal text, whatever ``markup`` says (``Widget.notify``
    passes True): most of them quote a person's words (a name, a title), and markup in those
    must neither style nor crash the app."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        if not self.screen_stack:  # closing down: there is no screen to show it on
            return
        if self.keep_notification(message, title, severity, timeout):
            return
        # Drawn like every person's words: without the emoji joiners terminals disagree on.
        message, title = display_text(message), display_text(title)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def keep_notification(
        self, message: str, title: str, severity: SeverityLevel, timeout: float | None
    ) -> bool:
        """Whether the notification waits to be shown later (the console, while the room looks
        at the projector); it is then the app's to show."""
        return False
