"""How attendees join: the QR code of the attendee URL with the URL itself beneath it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from meetingtui.tui.widgets.qr_code import QrCode


class JoinPanel(Vertical):
    """The QR code and, for people who cannot scan, the address to type."""

    def __init__(self, url: str, *, id: str | None = None) -> None:  # noqa: A002 - Textual API
        super().__init__(id=id)
        self.url = url
        self.border_title = "Scan to join"

    def compose(self) -> ComposeResult:
        yield QrCode(self.url, id="qr-code")
        yield Static(self.url, id="join-url", markup=False)
