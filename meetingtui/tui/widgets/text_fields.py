"""One-line and multi-line fields that keep every character a person types.

Textual's ``Input`` and ``TextArea`` insert only "printable" characters, and Python counts the
zero-width joiner (U+200D, which builds 👩‍⚕️), the non-joiner (U+200C, Persian and Indic
spelling), the direction marks (U+200E, U+200F) and emoji tag characters as not printable: typed
or sent by a terminal one key at a time, they were dropped, and "👩‍⚕️" was saved as "👩⚕️".
These fields insert them like any letter. (A paste already kept them.)
"""

from __future__ import annotations

import re

from textual import events
from textual.widgets import Input, TextArea

_KEPT_INVISIBLE = re.compile("[\u200c\u200d\u200e\u200f\U000e0020-\U000e007f]")


def _kept_invisible(event: events.Key) -> str | None:
    char = event.character
    return char if char is not None and len(char) == 1 and _KEPT_INVISIBLE.match(char) else None


class TextInput(Input):
    async def _on_key(self, event: events.Key) -> None:
        char = _kept_invisible(event)
        if char is None:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        if self.selection.is_empty:
            self.insert_text_at_cursor(char)
        else:
            self.replace(char, *self.selection)


class TextBox(TextArea):
    async def _on_key(self, event: events.Key) -> None:
        char = _kept_invisible(event)
        if char is None or self.read_only:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        self._replace_via_keyboard(char, *self.selection)
