"""How attendees join: the QR code of the attendee URL with the URL itself beneath it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static

from meetingtui.tui.literal import literal
from meetingtui.tui.widgets.big_text import url_lines
from meetingtui.tui.widgets.qr_code import QrCode


class JoinUrl(Widget):
    """The address to type, broken only after a slash when the panel is narrow: never inside
    the meeting's code (a code split over two lines gets typed wrong)."""

    DEFAULT_CSS = """
    JoinUrl {
        width: auto;
        height: auto;
    }
    """

    def __init__(self, url: str, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.url = url

    def lines(self, width: int) -> list[str]:
        return url_lines(self.url, width or len(self.url))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return min(len(self.url), container.width) if container.width else len(self.url)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        lines = self.lines(self.content_size.width)
        return Text("\n".join(lines), no_wrap=True, overflow="crop", justify="center")


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
        yield Static("Too small for the QR code (v shows it on the projector)", id="join-no-code")
        yield JoinUrl(self.url, id="join-url")
        if self.wifi_ssid:
            yield Static(literal(f"Wi-Fi: {self.wifi_ssid}"), id="join-wifi")

    def on_resize(self) -> None:
        """The code whole, or not at all: a cropped code cannot be scanned. Where the panel
        cannot hold it beside the address, the address alone stays (and a word why)."""
        qr = self.query_one(QrCode)
        width, height = self.content_region.size
        below = len(url_lines(self.url, width)) + (1 if self.wifi_ssid else 0)
        whole = qr.fits(width, height - below)
        qr.display = whole
        self.query_one("#join-no-code").display = not whole
