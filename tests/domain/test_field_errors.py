"""A refusal of several fields reads as sentences (found by review: "Enter a title.; Detail is
too long." where a message already ended with its full stop)."""

from __future__ import annotations

from meetingtui.domain.errors import FieldErrors, as_sentences


def test_messages_join_as_sentences_whether_they_end_with_a_full_stop_or_not() -> None:
    error = FieldErrors(
        {
            "title": "Enter a title for your idea.",
            "detail": "Keep the detail to 4,000 characters",
            "topic": "Choose a topic from the list",
        }
    )
    assert str(error) == (
        "Enter a title for your idea. Keep the detail to 4,000 characters. "
        "Choose a topic from the list."
    )
    assert ".;" not in str(error) and ".." not in str(error)
    assert error.errors["detail"] == "Keep the detail to 4,000 characters"  # beside its field


def test_a_sentence_ending_otherwise_keeps_its_own_ending() -> None:
    assert as_sentences(["Is it 'Bus'?", "Named 'I-0001'.", "Wait…", "  ", "Say 'yes'"]) == (
        "Is it 'Bus'? Named 'I-0001'. Wait… Say 'yes'."
    )
    assert str(FieldErrors({"title": "Enter a title"})) == "Enter a title."
