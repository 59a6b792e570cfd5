"""The first frame: shown at once while the meeting opens in the background (the database
layer alone takes longer to import than Textual takes to draw). Deliberately still: an animated
indicator would take the interpreter from the thread doing the opening."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, Static


class OpeningScreen(Screen[None]):
    BINDINGS = [Binding("q", "app.quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static("meetingtui", id="meeting-header")
        with Middle(), Center():
            yield Static("Opening the meeting…", id="opening-text")
        yield Footer()
