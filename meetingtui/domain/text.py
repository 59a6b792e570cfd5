"""Cleaning and bounding free text from any source (keyboard, phone, import)."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """NFC-normalise, drop control and bidi-override characters, trim; one line unless multiline."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    if not multiline:
        text = " ".join(text.split())
    return text.strip()


def check_length(errors: dict[str, str], field: str, value: str, limit: int, what: str) -> None:
    if len(value) > limit:
        errors[field] = f"{what} must be {limit:,} characters or fewer (it has {len(value):,})"
