"""Cleaning and bounding free text from any source (keyboard, phone, import).

Text is kept as people typed it. Joiners (ZWJ U+200D, ZWNJ U+200C) build emoji such as 👩‍⚕️ and
spell words in Persian, Arabic and Indic scripts; variation selectors and tag characters choose
how emoji look; left-to-right and right-to-left marks (U+200E, U+200F) place punctuation in mixed
scripts. All of these stay. Removed are only characters that spoof or break text:

- bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which reorder what is
  shown ("Trojan Source" filenames, reversed names);
- C0 and C1 control characters and DEL, except newline and tab in multi-line text;
- the byte order mark / zero-width no-break space U+FEFF, which nobody types and which hides a
  leading ``=`` from spreadsheet defusing.
"""

from __future__ import annotations

import re
import unicodedata

_DANGEROUS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """NFC-normalise, drop control and bidi-override characters, trim; one line unless multiline."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    text = _DANGEROUS.sub("", text)
    if not multiline:
        text = " ".join(text.split())
    return text.strip()


# Characters that show nothing on their own: format characters (zero-width space U+200B, the
# joiners, word joiner U+2060, LRM/RLM, BOM, soft hyphen, tag characters), controls, marks that
# need a letter to sit on (combining accents, variation selectors), separators, and the few
# letters and symbols drawn as nothing (Hangul fillers, braille blank, combining grapheme joiner
# is a mark already).
_SHOWS_NOTHING_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me", "Zs", "Zl", "Zp"})
_SHOWS_NOTHING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")


def is_blank(value: object) -> bool:
    """True when a person's text says nothing: empty, or only spaces, zero-width characters,
    joiners, direction marks, a BOM, controls and marks with no letter to sit on ("\u200b",
    "\u200d\ufe0f"). The one test of "was anything typed" for every surface (forms, the
    console, imports); text is still stored as typed, so "👩‍👩‍👧" and "👍🏽" are not blank and keep
    their joiners and modifiers."""
    if value is None:
        return True
    text = value if isinstance(value, str) else str(value)
    return all(
        char.isspace()
        or char in _SHOWS_NOTHING
        or unicodedata.category(char) in _SHOWS_NOTHING_CATEGORIES
        for char in text
    )


def check_length(errors: dict[str, str], field: str, value: str, limit: int, what: str) -> None:
    if len(value) > limit:
        errors[field] = f"{what} must be {limit:,} characters or fewer (it has {len(value):,})"
