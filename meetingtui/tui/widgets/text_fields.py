"""One-line and multi-line fields that keep every character a person types.

Textual's ``Input`` and ``TextArea`` insert only "printable" characters, and Python counts the
zero-width joiner (U+200D, which builds 👩‍⚕️), the non-joiner (U+200C, Persian and Indic
spelling), the direction marks (U+200E, U+200F) and emoji tag characters as not printable: typed
or sent by a terminal one key at a time, they were dropped, and "👩‍⚕️" was saved as "👩⚕️".
These fields insert them like any letter. (A paste already kept them.)

They also draw the value at the width the terminal gives it. Rich measures an emoji sequence
("👩‍⚕️", "👨‍👩‍👧", "❤️") as one two-cell picture; a terminal that does not join them draws
each part (three, six, one cells) and the field's right border moved. The panels draw people's
text through ``literal.display_text``, which leaves out those joiners and selectors; a field
cannot drop characters from what it draws without its cursor, selection and wrapping (all
indexes into the value) going astray, so it draws ``literal.field_display``: the same number of
characters, each left-out one replaced by a zero width space. The value keeps every character;
only what is drawn and measured changes.
"""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual import events
from textual._cells import cell_len
from textual.document._wrapped_document import WrappedDocument
from textual.expand_tabs import expand_tabs_inline
from textual.widgets import Input, TextArea

from meetingtui.tui.literal import field_display

_KEPT_INVISIBLE = re.compile("[\u200c\u200d\u200e\u200f\U000e0020-\U000e007f]")


def _kept_invisible(event: events.Key) -> str | None:
    char = event.character
    return char if char is not None and len(char) == 1 and _KEPT_INVISIBLE.match(char) else None


class TextInput(Input):
    @property
    def _value(self) -> Text:
        """What is drawn (Input draws, measures and scrolls by this): the value as
        ``field_display`` shows it, character for character."""
        if self.password:
            return super()._value
        text = Text(field_display(self.value), no_wrap=True, overflow="ignore", end="")
        return self.highlighter(text) if self.highlighter is not None else text

    def _position_to_cell(self, position: int) -> int:
        if self.password:
            return super()._position_to_cell(position)
        return cell_len(expand_tabs_inline(field_display(self.value)[:position], 4))

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


class _DrawnLines:
    """A document as the text box draws it, for its wrapping and cursor movement: each line
    through ``field_display`` (same length, so every location is the document's own). Only
    what ``WrappedDocument`` reads is changed; the rest is the document's."""

    def __init__(self, document: Any) -> None:
        self._document = document

    @property
    def lines(self) -> list[str]:
        return [field_display(line) for line in self._document.lines]

    def get_line(self, index: int) -> str:
        return field_display(self._document.get_line(index))

    def __getitem__(self, index: int) -> str:
        return field_display(self._document[index])

    def __getattr__(self, name: str) -> Any:
        return getattr(self._document, name)


class TextBox(TextArea):
    @property
    def wrapped_document(self) -> WrappedDocument:
        return self._drawn_wrapped

    @wrapped_document.setter
    def wrapped_document(self, wrapped: WrappedDocument) -> None:
        """TextArea builds its wrapped view (on start and on every new document): this one
        wraps and moves the cursor by what is drawn."""
        if not isinstance(wrapped.document, _DrawnLines):
            wrapped.document = _DrawnLines(wrapped.document)  # type: ignore[assignment]
        self._drawn_wrapped = wrapped

    def get_line(self, line_index: int) -> Text:
        return Text(field_display(self.document.get_line(line_index)), end="", no_wrap=True)

    def get_column_width(self, row: int, column: int) -> int:
        line = field_display(self.document[row])
        return cell_len(expand_tabs_inline(line[:column], self.indent_width))

    async def _on_key(self, event: events.Key) -> None:
        char = _kept_invisible(event)
        if char is None or self.read_only:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        self._replace_via_keyboard(char, *self.selection)
