"""Counted nouns in our own words (console, command line): "1 idea", "2 ideas", never
"1 idea(s)"; and actions as undo names them, in one shape: "Undone: hiding idea I-0004"."""

from __future__ import annotations

from dataclasses import dataclass


def counted(count: int, singular: str, plural: str = "") -> str:
    """``count`` and the noun that agrees with it (``plural`` defaults to ``singular + "s"``)."""
    noun = singular if count == 1 else plural or singular + "s"
    return f"{count:,} {noun}"


def ref_and_title(ref: str, title: str) -> str:
    """An idea as a clerk reads it on the command line: its ref and, in quotes, its title as
    typed (a bare ref says nothing about what is about to be merged or dismissed). The title
    is already one clean line (domain/text.py::clean_text), so it is shown literally."""
    return f'{ref} "{title}"'


@dataclass(frozen=True)
class Action:
    """An action as undo names it: what was done, in the -ing form of its verb ("hiding",
    "deleting", "withdrawing"), and to what ("idea I-0004", "Sam"). Every undo message (the
    console's and the catalogue's) names its action this way, so they all read alike."""

    doing: str
    what: str

    def __str__(self) -> str:
        return " ".join(part for part in (self.doing, self.what) if part)


def undone(action: Action, when: str = "") -> str:
    """What u says once it took ``action`` back, e.g. "Undone: hiding idea I-0004 (just now)"."""
    return f"Undone: {action} ({when})." if when else f"Undone: {action}."
