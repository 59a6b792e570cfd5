"""Large text for the projector: a 3x5 pixel font drawn with half blocks (3 lines per row).

The join URL has to be readable from the back of a hall, and no font package is needed for the
few characters a URL uses. Characters the font lacks fall back to a plain box.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

# Each glyph: five rows of three pixels ("#" lit). Lower case is drawn as small capitals.
_GLYPHS: dict[str, tuple[str, ...]] = {
    "a": (".#.", "#.#", "###", "#.#", "#.#"),
    "b": ("##.", "#.#", "##.", "#.#", "##."),
    "c": (".##", "#..", "#..", "#..", ".##"),
    "d": ("##.", "#.#", "#.#", "#.#", "##."),
    "e": ("###", "#..", "##.", "#..", "###"),
    "f": ("###", "#..", "##.", "#..", "#.."),
    "g": (".##", "#..", "#.#", "#.#", ".##"),
    "h": ("#.#", "#.#", "###", "#.#", "#.#"),
    "i": ("###", ".#.", ".#.", ".#.", "###"),
    "j": ("..#", "..#", "..#", "#.#", ".#."),
    "k": ("#.#", "#.#", "##.", "#.#", "#.#"),
    "l": ("#..", "#..", "#..", "#..", "###"),
    "m": ("#.#", "###", "###", "#.#", "#.#"),
    "n": ("##.", "#.#", "#.#", "#.#", "#.#"),
    "o": (".#.", "#.#", "#.#", "#.#", ".#."),
    "p": ("##.", "#.#", "##.", "#..", "#.."),
    "q": (".#.", "#.#", "#.#", "##.", ".##"),
    "r": ("##.", "#.#", "##.", "#.#", "#.#"),
    "s": (".##", "#..", ".#.", "..#", "##."),
    "t": ("###", ".#.", ".#.", ".#.", ".#."),
    "u": ("#.#", "#.#", "#.#", "#.#", "###"),
    "v": ("#.#", "#.#", "#.#", "#.#", ".#."),
    "w": ("#.#", "#.#", "###", "###", "#.#"),
    "x": ("#.#", "#.#", ".#.", "#.#", "#.#"),
    "y": ("#.#", "#.#", ".#.", ".#.", ".#."),
    "z": ("###", "..#", ".#.", "#..", "###"),
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("##.", "..#", ".#.", "#..", "###"),
    "3": ("##.", "..#", ".#.", "..#", "##."),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "##.", "..#", "##."),
    "6": (".##", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", ".#.", ".#.", ".#."),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "##."),
    ":": ("...", ".#.", "...", ".#.", "..."),
    "/": ("..#", "..#", ".#.", "#..", "#.."),
    ".": ("...", "...", "...", "...", ".#."),
    "-": ("...", "...", "###", "...", "..."),
    "_": ("...", "...", "...", "...", "###"),
    "?": ("##.", "..#", ".#.", "...", ".#."),
    "=": ("...", "###", "...", "###", "..."),
    "&": (".#.", "#.#", ".#.", "#.#", ".##"),
    "%": ("#.#", "..#", ".#.", "#..", "#.#"),
    "[": ("##.", "#..", "#..", "#..", "##."),
    "]": (".##", "..#", "..#", "..#", ".##"),
    " ": ("...", "...", "...", "...", "..."),
}
_UNKNOWN = ("###", "#.#", "#.#", "#.#", "###")
GLYPH_WIDTH = 4  # three pixels and a space
GLYPH_LINES = 3  # five pixel rows folded in pairs


def big_text_lines(text: str) -> list[str]:
    """``text`` in the large font, as three lines of half blocks."""
    rows = ["", "", "", "", "", ""]
    for char in text.lower():
        glyph = _GLYPHS.get(char, _UNKNOWN)
        for index, row in enumerate(glyph):
            rows[index] += row + "."
        rows[5] += "...."
    blocks = {("#", "#"): "█", ("#", "."): "▀", (".", "#"): "▄", (".", "."): " "}
    return [
        "".join(blocks[pair] for pair in zip(rows[top], rows[top + 1], strict=True)).rstrip()
        for top in range(0, 6, 2)
    ]


def big_text_width(text: str) -> int:
    return len(text) * GLYPH_WIDTH


def wrap_at_slashes(text: str, columns: int) -> list[str] | None:
    """Break ``text`` after slashes so each line fits ``columns`` characters; None if a single
    part is too long."""
    parts = [part + "/" for part in text.split("/")]
    parts[-1] = parts[-1][:-1]
    lines: list[str] = []
    for part in parts:
        if not part:
            continue
        if lines and len(lines[-1]) + len(part) <= columns:
            lines[-1] += part
        elif len(part) <= columns:
            lines.append(part)
        else:
            return None
    return lines


def url_lines(text: str, columns: int) -> list[str]:
    """``text`` (a URL) on lines of at most ``columns``, broken only after slashes. A part
    longer than a line (a long host name) is folded, except the last, the meeting's code, which
    is never split: a code broken in two is a code typed wrong (it is cut at the edge instead,
    and the large text and the QR code carry it whole)."""
    columns = max(1, columns)
    lines = wrap_at_slashes(text, columns)
    if lines is not None:
        return lines
    parts = [part + "/" for part in text.split("/")]
    parts[-1] = parts[-1][:-1]
    parts = [part for part in parts if part]
    lines = []
    for index, part in enumerate(parts):
        if lines and len(lines[-1]) + len(part) <= columns:
            lines[-1] += part
        elif len(part) <= columns or index == len(parts) - 1:
            lines.append(part)
        else:
            lines.extend(part[i : i + columns] for i in range(0, len(part), columns))
    return lines


class BigText(Widget):
    """Large text, broken after slashes when it is wider than the region (a URL reads well as
    host, then path); the plain text in bold when even a part does not fit."""

    DEFAULT_CSS = """
    BigText {
        height: auto;
        width: 1fr;
    }
    """

    def __init__(self, text: str = "", *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.text = text

    def update(self, text: str) -> None:
        """New text; a layout pass (the whole screen) only when its length changes, so a
        countdown ticking every second repaints itself alone."""
        if text == self.text:
            return
        resized = len(text) != len(self.text)
        self.text = text
        self.refresh(layout=resized)

    def big_lines(self, width: int) -> list[str] | None:
        """The text's lines in the large font at this width, or None when it cannot fit."""
        return wrap_at_slashes(self.text, width // GLYPH_WIDTH)

    def fits(self, width: int) -> bool:
        return self.big_lines(width) is not None

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        lines = self.big_lines(width)
        return GLYPH_LINES * len(lines) if lines else len(url_lines(self.text, width))

    def render(self) -> Text:
        width = self.content_size.width
        lines = self.big_lines(width)
        if lines is None:  # plain text, broken as a URL breaks: never inside the code
            plain = "\n".join(url_lines(self.text, width))
            return Text(plain, style="bold", no_wrap=True, overflow="crop")
        drawn = [row for line in lines for row in big_text_lines(line)]
        return Text("\n".join(drawn), no_wrap=True)
