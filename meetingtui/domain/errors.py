"""Errors the service functions raise; every interface turns them into a human message."""

from __future__ import annotations


class DomainError(Exception):
    """Base for errors a person can act on; ``str(error)`` is the message to show."""


class FieldErrors(DomainError):
    """One or more fields were refused. ``errors`` maps field name to a plain-language message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(self.errors.values()))


class NotFound(DomainError):
    """The meeting, item or idea asked for does not exist."""


class MeetingClosed(DomainError):
    """The meeting is closed and accepts no more input."""
