"""People's words are data, never markup.

Names, titles, details, comments and agenda text come from people (a phone, a note-taker, an
agenda file). Textual reads plain strings as content markup almost everywhere (``Static``,
``Option`` prompts, border titles, notifications), so ``[/]`` in a name would stop the console and
``[bold red]Fire alarm`` would be styled. Every piece of such text goes to a widget through
``literal``; notifications are literal by default (``MeetingConsoleApp.notify``).

Emoji sequences are drawn with the width every terminal agrees on. Rich measures "❤️" (a heart
and a variation selector) and "👩‍⚕️" (a ZWJ sequence) as one two-cell picture, but a terminal
that does not join them (tmux, many Linux terminals) draws one cell for "❤️" and three for
"👩‍⚕️", and every border after it moves. On screen (never in storage or exports) ``literal``
drops the joiners and selectors that terminals disagree on: variation selectors, a zero-width
joiner between symbols, skin-tone modifiers. What is left is drawn at the width Rich measures.
"""

from __future__ import annotations

import re
import unicodedata

from rich.style import StyleType
from rich.text import Text

_VARIATION_OR_TONE = re.compile("[\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")
_ZWJ = "\u200d"


def _is_symbol(char: str) -> bool:
    return unicodedata.category(char) == "So"


def _dropped(text: str) -> list[bool]:
    """For each character of ``text``, whether the screen leaves it out: variation selectors,
    skin tones, and a ZWJ next to a symbol (once the selectors around it are gone)."""
    dropped = [bool(_VARIATION_OR_TONE.match(char)) for char in text]
    if _ZWJ not in text:
        return dropped
    shown = [index for index, gone in enumerate(dropped) if not gone]
    for place, index in enumerate(shown):
        if text[index] != _ZWJ:
            continue
        before = text[shown[place - 1]] if place else ""
        after = text[shown[place + 1]] if place + 1 < len(shown) else ""
        if (before and _is_symbol(before)) or (after and _is_symbol(after)):
            dropped[index] = True
    return dropped


def display_text(text: str) -> str:
    """``text`` as the console draws it: the same characters, less the emoji joiners and
    selectors whose width terminals disagree on (see the module's docstring). A ZWJ between
    letters (Indic scripts) stays."""
    if text.isascii():
        return text
    return "".join(char for char, gone in zip(text, _dropped(text), strict=True) if not gone)


FIELD_BLANK = "\u200b"  # zero width space: no width for Rich nor for any terminal, joins nothing


def field_display(text: str) -> str:
    """``text`` as an editable field draws it: ``display_text``, but with the same number of
    characters, each character left out replaced by a zero width space. Every index into the
    value (cursor, selection, wrapping, highlights) is then an index into what is drawn, and
    what is drawn has the width Rich measures in every terminal (tui/widgets/text_fields.py)."""
    if text.isascii():
        return text
    dropped = _dropped(text)
    if not any(dropped):
        return text
    return "".join(FIELD_BLANK if gone else char for char, gone in zip(text, dropped, strict=True))


def literal(text: object, style: StyleType = "") -> Text:
    """``text`` exactly as written, never parsed as markup (optionally in one style). A
    ``Text`` is already literal and is returned as it is."""
    if isinstance(text, Text):
        return text
    return Text(display_text(str(text)), style=style)


def quoted(before: str, text: object, after: str = "") -> Text:
    """Our own words around a person's: ``quoted("Skip “", title, "”?")``."""
    return Text.assemble(before, display_text(str(text)), after)
