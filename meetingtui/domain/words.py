"""Counted nouns in our own words (console, command line): "1 idea", "2 ideas", never
"1 idea(s)"."""

from __future__ import annotations


def counted(count: int, singular: str, plural: str = "") -> str:
    """``count`` and the noun that agrees with it (``plural`` defaults to ``singular + "s"``)."""
    noun = singular if count == 1 else plural or singular + "s"
    return f"{count:,} {noun}"


def ref_and_title(ref: str, title: str) -> str:
    """An idea as a clerk reads it on the command line: its ref and, in quotes, its title as
    typed (a bare ref says nothing about what is about to be merged or dismissed). The title
    is already one clean line (domain/text.py::clean_text), so it is shown literally."""
    return f'{ref} "{title}"'
