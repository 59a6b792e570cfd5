"""A QR code drawn with half-block characters, two modules per terminal cell.

The colours are explicit black on white: a terminal theme must never invert the code, or phones
will not read it. The quiet zone (border) is part of the drawing for the same reason.

A code is drawn whole or not at all: a cropped code (a small terminal) cannot be scanned, so
where the whole code does not fit the widget shows its ``fallback`` text (the address to type).
"""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from meetingtui.tui.widgets.big_text import url_lines

QUIET_ZONE = 2  # modules of light border: the console's panel, framed by more dark space
ROOM_QUIET_ZONE = 4  # the standard's four: the projector, where large text stands close by
QR_STYLE = Style.parse("#000000 on #ffffff")

# (top module dark, bottom module dark) -> character; the foreground colour paints the dark part.
_HALF_BLOCKS = {
    (False, False): " ",
    (True, False): "▀",
    (False, True): "▄",
    (True, True): "█",
}


def qr_matrix(data: str, quiet_zone: int = QUIET_ZONE) -> list[list[bool]]:
    """The module matrix of ``data`` at error correction M, quiet zone included."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=quiet_zone)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def half_block_lines(matrix: list[list[bool]], scale: int = 1) -> list[str]:
    """Fold pairs of module rows into one line of text; an odd last row pairs with light.

    ``scale`` draws each module as ``scale`` columns by ``scale`` half-rows: still square, larger.
    """
    if scale > 1:
        matrix = [
            [cell for cell in row for _ in range(scale)] for row in matrix for _ in range(scale)
        ]
    lines = []
    for top_index in range(0, len(matrix), 2):
        top = matrix[top_index]
        bottom = matrix[top_index + 1] if top_index + 1 < len(matrix) else [False] * len(top)
        lines.append("".join(_HALF_BLOCKS[pair] for pair in zip(top, bottom, strict=True)))
    return lines


def _escape_wifi(value: str) -> str:
    for char in '\\;,:"':
        value = value.replace(char, "\\" + char)
    return value


def wifi_payload(ssid: str, password: str = "") -> str:
    """The standard ``WIFI:`` payload that phone cameras offer to join (WPA, or an open network
    when there is no password)."""
    if not password:
        return f"WIFI:T:nopass;S:{_escape_wifi(ssid)};;"
    return f"WIFI:T:WPA;S:{_escape_wifi(ssid)};P:{_escape_wifi(password)};;"


class QrCode(Widget):
    """Shows ``data`` as a scannable QR code; sized exactly to the code.

    With ``fit=True`` the code grows to the largest whole module size that fits its region (the
    projector), never smaller than one module per half cell. Where even that does not fit, it
    shows ``fallback`` instead (broken like a URL, never inside the meeting's code).
    """

    DEFAULT_CSS = """
    QrCode {
        width: auto;
        height: auto;
    }
    QrCode.-fit {
        width: 1fr;
        height: auto;
    }
    """

    def __init__(
        self,
        data: str,
        *,
        fit: bool = False,
        reserve_rows: int = 0,
        fallback: str = "",
        id: str | None = None,  # noqa: A002
    ) -> None:
        super().__init__(id=id)
        self.data = data
        self.fallback = fallback
        self.fit = fit
        self.reserve_rows = reserve_rows  # rows its container keeps for labels around it
        self.set_class(fit, "-fit")
        self.matrix = qr_matrix(data, ROOM_QUIET_ZONE if fit else QUIET_ZONE)
        self._lines = half_block_lines(self.matrix)

    @property
    def modules(self) -> int:
        return len(self.matrix)

    @property
    def rows(self) -> int:
        """Terminal rows of the code at one module per half cell."""
        return -(-self.modules // 2)

    def fits(self, width: int, height: int) -> bool:
        """The whole code, quiet zone included, fits ``width`` x ``height`` cells."""
        return self.modules <= width and self.rows <= height

    @property
    def drawn_whole(self) -> bool:
        """What the last layout shows: the whole code (True), or the fallback text."""
        width, height = self.content_size
        return self.fits(width, height)

    def scale_for(self, width: int, height: int) -> int:
        if not self.fit:
            return 1
        return max(1, min(width // self.modules, (height * 2) // self.modules))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return len(self._lines[0])

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self.fit:
            height = container.height - self.reserve_rows
            if not self.fits(width, height):
                return len(url_lines(self.fallback, width)) if self.fallback else 1
            return -(-self.modules * self.scale_for(width, height) // 2)
        return len(self._lines)

    def render(self) -> Text:
        width, height = self.content_size
        if self.size.area and not self.fits(width, height):  # (laid out: its size is known)
            # Cropped, a code cannot be scanned: the address to type instead.
            shown = "\n".join(url_lines(self.fallback, width)) if self.fallback else ""
            return Text(shown, style="bold", no_wrap=True, overflow="crop")
        if not self.fit:
            return Text("\n".join(self._lines), style=QR_STYLE, no_wrap=True, overflow="crop")
        # Fitted: the largest code the region holds, centred; only the code itself is painted.
        lines = half_block_lines(self.matrix, self.scale_for(width, height))
        left = " " * max(0, (width - len(lines[0])) // 2)
        text = Text(no_wrap=True, overflow="crop")
        for index, line in enumerate(lines):
            if index:
                text.append("\n")
            text.append(left)
            text.append(line, style=QR_STYLE)
        return text
