"""How attendees join: the QR code of the attendee URL with the URL itself beneath it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from meetingtui.tui.widgets.qr_code import QrCode


class JoinPanel(Vertical):
    """The QR code and, for people who cannot scan, the address to type (and the Wi-Fi network
    to join first when the facilitator runs a hotspot; the projector shows its QR code)."""

    def __init__(self, url: str, *, wifi_ssid: str = "", id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.url = url
        self.wifi_ssid = wifi_ssid
        self.border_title = "Scan to join"

    def compose(self) -> ComposeResult:
        yield QrCode(self.url, id="qr-code")
        yield Static(self.url, id="join-url", markup=False)
        if self.wifi_ssid:
            yield Static(f"Wi-Fi: {self.wifi_ssid}", id="join-wifi", markup=False)
