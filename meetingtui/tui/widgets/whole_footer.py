"""A footer that shows only the keys it has room for, each whole.

Textual's ``Footer`` lays its keys out in one row and lets the screen's edge cut the last one
wherever it falls: at 80 columns the console's footer ended "r No" (for "Note"). This one
leaves out, from the right, every entry that would not fit whole; the keys it leaves out are
still in help (``?``) and the palette. The keys come first in the order the screen lists them,
so the main ones (listed first) are the ones kept.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Footer


class WholeKeysFooter(Footer):
    async def recompose(self) -> None:
        """Footer rebuilds its keys whenever the screen's bindings change."""
        await super().recompose()
        self.fit_keys()

    def on_resize(self, event: events.Resize) -> None:
        self.fit_keys()

    def fit_keys(self) -> None:
        """Show the entries, in order, while they fit the footer's width whole; hide the rest.
        Widths are measured (not read from the last layout), so an entry hidden at one width
        comes back at a wider one."""
        width = self.content_size.width
        if not width:
            return  # not laid out yet: the resize that follows fits them
        entries = [child for child in self.children if not child.has_class("-command-palette")]
        palette = [child for child in self.children if child.has_class("-command-palette")]
        room = width - sum(self._outer_width(child, width) for child in palette)
        used = 0
        fits = True
        for entry in entries:
            used += self._outer_width(entry, width)
            # The margin after the last entry shown may run past the edge: it draws nothing.
            fits = fits and used - entry.styles.margin.right <= room
            entry.display = fits

    def _outer_width(self, entry: Widget, width: int) -> int:
        """An entry's width as laid out: a key, or a group of keys with its label."""
        content = entry.get_content_width(Size(width, 1), self.app.size)
        return content + entry.styles.gutter.width + entry.styles.margin.width
