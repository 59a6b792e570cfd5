"""A QR code drawn with half-block characters, two modules per terminal cell.

The colours are explicit black on white: a terminal theme must never invert the code, or phones
will not read it. The quiet zone (border) is part of the drawing for the same reason.
"""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

QUIET_ZONE = 2
QR_STYLE = Style.parse("#000000 on #ffffff")

# (top module dark, bottom module dark) -> character; the foreground colour paints the dark part.
_HALF_BLOCKS = {
    (False, False): " ",
    (True, False): "▀",
    (False, True): "▄",
    (True, True): "█",
}


def qr_matrix(data: str) -> list[list[bool]]:
    """The module matrix of ``data`` at error correction M, quiet zone included."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def half_block_lines(matrix: list[list[bool]]) -> list[str]:
    """Fold pairs of module rows into one line of text; an odd last row pairs with light."""
    lines = []
    for top_index in range(0, len(matrix), 2):
        top = matrix[top_index]
        bottom = matrix[top_index + 1] if top_index + 1 < len(matrix) else [False] * len(top)
        lines.append("".join(_HALF_BLOCKS[pair] for pair in zip(top, bottom, strict=True)))
    return lines


class QrCode(Widget):
    """Shows ``data`` as a scannable QR code; sized exactly to the code."""

    DEFAULT_CSS = """
    QrCode {
        width: auto;
        height: auto;
    }
    """

    def __init__(self, data: str, *, id: str | None = None) -> None:  # noqa: A002 - Textual API
        super().__init__(id=id)
        self.data = data
        self._lines = half_block_lines(qr_matrix(data))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return len(self._lines[0])

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines)

    def render(self) -> Text:
        return Text("\n".join(self._lines), style=QR_STYLE, no_wrap=True, overflow="crop")
