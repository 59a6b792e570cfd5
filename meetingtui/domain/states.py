"""The closed sets of states and kinds that the domain's rows move through.

Each is a ``StrEnum``: the database keeps the plain slug (no schema change, readable rows, the same
values the exports and the JSON schema already publish), and code compares against a member, so a
misspelt state is a NameError at import rather than a condition that is silently never true.
"""

from __future__ import annotations

from enum import StrEnum


class MeetingStatus(StrEnum):
    PLANNED = "planned"  # created from an agenda, not yet started
    RUNNING = "running"
    CLOSED = "closed"  # attendee input refused; organisers keep working on the record


class ItemStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    DONE = "done"
    SKIPPED = "skipped"


class ItemKind(StrEnum):
    PRESENTATION = "presentation"
    DISCUSSION = "discussion"
    PUBLIC_COMMENT = "public-comment"
    BREAK = "break"
    VOTE = "vote"


class Moderation(StrEnum):
    POST = "post"  # attendee input shows at once; a moderator may hide it later
    PRE = "pre"  # attendee input waits for approval


class Visibility(StrEnum):
    VISIBLE = "visible"
    HIDDEN = "hidden"
    PENDING = "pending"  # waiting for a moderator (pre-moderated meetings)


class IdeaStatus(StrEnum):
    NEW = "new"
    UNDER_REVIEW = "under-review"
    ADOPTED = "adopted"
    ADAPTED = "adapted"
    NOT_TAKEN_FORWARD = "not-taken-forward"
    MERGED = "merged"


class SpeakerStatus(StrEnum):
    WAITING = "waiting"
    SPEAKING = "speaking"
    DONE = "done"
    WITHDRAWN = "withdrawn"
    NOT_HEARD = "not-heard"  # asked to speak, still waiting when the item ended


class SpeakerSource(StrEnum):
    FLOOR = "floor"
    PHONE = "phone"


class RecordKind(StrEnum):
    NOTE = "note"
    DECISION = "decision"
    ACTION = "action"


class MeetingKind(StrEnum):
    MEETING = "meeting"  # held from an agenda, with a join page
    INTAKE = "intake"  # a programme's ideas received outside meetings (domain/intake.py)
