"""People's words are data, never markup.

Names, titles, details, comments and agenda text come from people (a phone, a note-taker, an
agenda file). Textual reads plain strings as content markup almost everywhere (``Static``,
``Option`` prompts, border titles, notifications), so ``[/]`` in a name would stop the console and
``[bold red]Fire alarm`` would be styled. Every piece of such text goes to a widget through
``literal``; notifications are literal by default (``MeetingConsoleApp.notify``).
"""

from __future__ import annotations

from rich.style import StyleType
from rich.text import Text


def literal(text: object, style: StyleType = "") -> Text:
    """``text`` exactly as written, never parsed as markup (optionally in one style). A
    ``Text`` is already literal and is returned as it is."""
    if isinstance(text, Text):
        return text
    return Text(str(text), style=style)


def quoted(before: str, text: object, after: str = "") -> Text:
    """Our own words around a person's: ``quoted("Skip “", title, "”?")``."""
    return Text.assemble(before, str(text), after)
