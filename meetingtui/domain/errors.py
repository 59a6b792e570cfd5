"""Errors the service functions raise; every interface turns them into a human message."""

from __future__ import annotations


class DomainError(Exception):
    """Base for errors a person can act on; ``str(error)`` is the message to show."""


_ENDS_A_SENTENCE = (".", "!", "?", "…")
_CLOSING = "'\")]»”’"


def as_sentences(messages: list[str] | tuple[str, ...]) -> str:
    """Messages as one paragraph of sentences: each ends with its own full stop (one is added
    where it has none) and the next follows after a space. Joining with "; " gave "Enter a
    title.; Detail is too long." wherever a message already ended a sentence."""
    sentences = []
    for message in messages:
        text = message.strip()
        if not text:
            continue
        if not text.rstrip(_CLOSING).endswith(_ENDS_A_SENTENCE):
            text += "."
        sentences.append(text)
    return " ".join(sentences)


class FieldErrors(DomainError):
    """One or more fields were refused. ``errors`` maps field name to a plain-language message
    (shown beside its field on a form); ``str(error)`` is all of them as sentences."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__(as_sentences(list(self.errors.values())))


class NotFound(DomainError):
    """The meeting, item or idea asked for does not exist."""


class MeetingClosed(DomainError):
    """The meeting is closed and accepts no more input."""
