"""Counted nouns in our own words (console, command line): "1 idea", "2 ideas", never
"1 idea(s)"."""

from __future__ import annotations


def counted(count: int, singular: str, plural: str = "") -> str:
    """``count`` and the noun that agrees with it (``plural`` defaults to ``singular + "s"``)."""
    noun = singular if count == 1 else plural or singular + "s"
    return f"{count:,} {noun}"
