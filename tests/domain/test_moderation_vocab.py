"""Moderation is named from one table (domain/vocab.py) on every surface: the words on the
command line and in a read-whole idea, the three-letter codes in the console's lists."""

from __future__ import annotations

import re
from pathlib import Path

from meetingtui.domain.models import Idea
from meetingtui.domain.states import Visibility
from meetingtui.domain.vocab import MODERATION_CODES, moderation_code, moderation_word

PACKAGE = Path(__file__).resolve().parents[2] / "meetingtui"


def test_words_and_codes_come_in_pairs() -> None:
    assert moderation_word(Visibility.HIDDEN) == "hidden"
    assert moderation_word("pending") == "waiting for moderation"
    assert moderation_code("hidden") == "HID" and moderation_code(Visibility.PENDING) == "MOD"
    for visible in ("visible", None, ""):
        assert moderation_word(visible) == "" and moderation_code(visible) == ""


def test_the_codes_are_defined_once() -> None:
    """Found by review: HID/MOD were written out in the catalogue's rows and again in the
    duplicates screen, and the command line said [pending]."""
    codes = "|".join(re.escape(f'"{code}"') for code in MODERATION_CODES.values())
    defined = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if re.search(codes, path.read_text(encoding="utf-8"))
    ]
    assert defined == ["domain/vocab.py"]


def test_the_console_rows_use_the_shared_words_and_codes() -> None:
    from meetingtui.tui.screens.browse import browse_row

    waiting = Idea(ref="I-0001", title="Benches", visibility="pending", meeting_id=None)
    assert "(waiting for moderation)" in browse_row(waiting, "Item 1").plain
    shown = Idea(ref="I-0002", title="Benches", visibility="visible", meeting_id=None)
    assert "(" not in browse_row(shown, "Item 1").plain


def test_the_ideas_panel_says_the_same_words() -> None:
    """It said "waiting for approval" of an idea and "(waiting)" of a comment."""
    from meetingtui.domain.models import Comment
    from meetingtui.tui.widgets.ideas_view import idea_block

    idea = Idea(ref="I-0003", title="Benches", visibility="pending", meeting_id=None)
    comment = Comment(body="Yes please", visibility="pending", idea_id=None, meeting_id=None)
    shown = idea_block(idea, [comment]).plain
    assert shown.startswith("I-0003 waiting for moderation Benches")
    assert "Yes please (waiting for moderation)" in shown
    assert "approval" not in shown and "(waiting)" not in shown
