"""``meetingtui catalogue``: the catalogue screen as an app of its own, for the engagement lead
after the meetings (no meeting open, no attendee web)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.screen import Screen

from meetingtui.tui.literal_app import LiteralApp
from meetingtui.tui.screens.catalogue import CatalogueScreen

if TYPE_CHECKING:
    from meetingtui.catalogue_session import CatalogueSession


class CatalogueApp(LiteralApp):
    """One screen, the catalogue; quits with escape (once nothing is selected) or ctrl+q."""

    CSS_PATH = "../console.tcss"  # the dialogs' styles, shared with the console
    TITLE = "meetingtui catalogue"

    def __init__(self, open_session: Callable[[], CatalogueSession], theme: str | None = None):
        super().__init__()
        from meetingtui.tui.app import HIGH_CONTRAST

        self.register_theme(HIGH_CONTRAST)
        self.open_session = open_session
        if theme:
            self.theme = theme

    def get_default_screen(self) -> Screen:
        return CatalogueScreen(self.open_session, standalone=True)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, CatalogueScreen):
            for title, help_text, action in screen.palette_commands():
                yield SystemCommand(title, help_text, partial(screen.run_action, action))


def make_catalogue_app(
    open_session: Callable[[], CatalogueSession], *, theme: str | None = None
) -> CatalogueApp:
    return CatalogueApp(open_session, theme=theme)
