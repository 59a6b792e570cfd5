"""Free text is kept as people typed it; only characters that spoof or break text are removed."""

from __future__ import annotations

import pytest

from meetingtui.domain.text import clean_text, is_blank

ZWJ, ZWNJ = "\u200d", "\u200c"
HEALTH_WORKER = "\U0001f469\u200d\u2695\ufe0f"  # 👩‍⚕️: woman, ZWJ, staff of Aesculapius, VS16
PERSIAN = "می\u200cخواهم"  # "I want", with its zero-width non-joiner


@pytest.mark.parametrize(
    "typed",
    [
        HEALTH_WORKER,
        PERSIAN,
        "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # family: man, woman, girl (two ZWJ)
        "\u2764\ufe0f thanks",  # heart with the emoji variation selector
        "\u263a\ufe0e plain smile",  # text variation selector
        "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # flag (tags)
        "\u05e9\u05dc\u05d5\u05dd \u200fabc",  # Hebrew with a right-to-left mark
        "क्\u200dष",  # Devanagari with ZWJ
    ],
)
def test_what_people_typed_is_kept(typed: str) -> None:
    assert clean_text(typed) == typed
    assert clean_text(typed, multiline=True) == typed


def test_joiners_survive_inside_a_sentence() -> None:
    text = f"Ask the {HEALTH_WORKER} about {PERSIAN}"
    cleaned = clean_text(text)
    assert ZWJ in cleaned and ZWNJ in cleaned
    assert cleaned == text


@pytest.mark.parametrize(
    "dangerous",
    ["\u202e", "\u202a", "\u202b", "\u202c", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069"],
)
def test_bidi_overrides_and_isolates_are_removed(dangerous: str) -> None:
    assert clean_text(f"invoice{dangerous}fdp.exe") == "invoicefdp.exe"


def test_control_characters_are_removed_but_lines_and_tabs_kept_in_multiline() -> None:
    assert clean_text("a\x00b\x07c\x1bd\x7fe\x85f") == "abcdef"
    assert clean_text("one\ttwo\r\nthree\x0b", multiline=True) == "one\ttwo\nthree"
    assert clean_text("one\ttwo\nthree") == "one two three"


def test_byte_order_mark_is_removed() -> None:
    assert clean_text("\ufeff=1+1") == "=1+1"


@pytest.mark.parametrize(
    "typed",
    [
        "", " \t\n", "\u200b", "\u200b\u200c\u200d", "\ufeff", "\u2060\u200e\u200f",
        "\u00ad", "\u0301", "\ufe0f", "\u3164", "\u2800", "\x07", "\u202e", None,
    ],
)  # fmt: skip
def test_text_that_says_nothing_is_blank(typed: str | None) -> None:
    assert is_blank(typed)


@pytest.mark.parametrize(
    "typed",
    [
        HEALTH_WORKER, PERSIAN, "\U0001f44d\U0001f3fd",
        "\U0001f469\u200d\U0001f469\u200d\U0001f467",
        "\u200ba", "0", "\u0628", "\u2764\ufe0f", "\u3000x",
    ],
)  # fmt: skip
def test_anything_that_shows_is_not_blank(typed: str) -> None:
    """👍🏽 (a thumb and its skin tone), 👩‍👩‍👧 (joined by ZWJ), a letter after a zero-width
    space: something was typed, and it is kept as typed."""
    assert not is_blank(typed)
    assert clean_text(typed) == typed.strip()


def test_a_title_of_zero_width_characters_is_refused_and_emoji_are_stored_as_typed() -> None:
    from meetingtui.domain.errors import FieldErrors
    from meetingtui.domain.ideas import IdeaInput, validate_idea

    with pytest.raises(FieldErrors) as refused:
        validate_idea(IdeaInput(title="\u200b\u200d\ufeff"), topics=[])
    assert refused.value.errors["title"] == "Enter a title for your idea"
    family = "\U0001f469\u200d\U0001f469\u200d\U0001f467"
    for title in ("\U0001f44d\U0001f3fd", family, f"{family} play area"):
        assert validate_idea(IdeaInput(title=title), topics=[]).title == title
