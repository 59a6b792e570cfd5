"""What the public may see of a meeting: one place that decides, for the page and the JSON API.

The phone page and ``/api`` both render from these views, never from the tables, so a name given
without consent to publish it cannot leak through one of them by accident.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from meetingtui.domain.errors import NotFound
from meetingtui.domain.meetings import find_meeting
from meetingtui.domain.models import AgendaItem, Comment, Idea, Meeting
from meetingtui.domain.snapshot import load_snapshot
from meetingtui.domain.vocab import ITEM_KINDS, STAKEHOLDERS, label

# Join codes are 10 characters today; the column allows 32. Anything longer is not a code.
MAX_CODE_LENGTH = 32


@dataclass(frozen=True)
class PublicItem:
    position: int
    title: str
    kind: str
    kind_label: str
    minutes: int
    presenter: str


@dataclass(frozen=True)
class PublicComment:
    body: str
    created_at: datetime
    time_label: str


@dataclass(frozen=True)
class PublicIdea:
    ref: str
    title: str
    detail: str
    topic: str
    stakeholder: str
    stakeholder_label: str
    raised_by: str  # empty unless the person consented to publishing their name
    organisation: str  # likewise: an organisation can identify a person
    captured_at: datetime
    time_label: str
    status: str
    comments: list[PublicComment] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"idea-{self.ref}"


@dataclass(frozen=True)
class PublicMeeting:
    id: uuid.UUID
    code: str
    title: str
    date: str
    start: str
    timezone: str
    location: str
    language: str
    status: str
    moderation: str
    topics: list[str]
    current_item: PublicItem | None
    ideas: list[PublicIdea]  # newest first

    @property
    def is_closed(self) -> bool:
        return self.status == "closed"

    @property
    def is_pre_moderated(self) -> bool:
        return self.moderation == "pre"

    def idea(self, ref: str) -> PublicIdea | None:
        wanted = ref.strip().upper()
        return next((idea for idea in self.ideas if idea.ref == wanted), None)


def find_public_meeting(session: Session, code: str) -> Meeting:
    """The meeting behind a join code, and only a join code.

    ``find_meeting`` also accepts a meeting's id, which suits the command line; the public web
    asks for the code printed under the QR code, so an id in the URL is treated as unknown.
    """
    wanted = code.strip().lower()
    if not wanted or len(wanted) > MAX_CODE_LENGTH:
        raise NotFound("No meeting with that code.")
    try:
        meeting = find_meeting(session, wanted)
    except NotFound:
        raise NotFound("No meeting with that code.") from None
    if meeting.code != wanted:
        raise NotFound("No meeting with that code.")
    return meeting


def load_public_meeting(session: Session, code: str) -> PublicMeeting:
    """Everything the phone page shows, read in one transaction so the parts agree."""
    meeting = find_public_meeting(session, code)
    snapshot = load_snapshot(session, meeting.id)
    zone = _zone(meeting.timezone)
    ideas = [
        _public_idea(idea, snapshot.comments.get(idea.id, []), zone)
        for idea in reversed(snapshot.ideas)
    ]
    current = snapshot.current_item
    return PublicMeeting(
        id=meeting.id,
        code=meeting.code,
        title=meeting.title,
        date=meeting.date,
        start=meeting.start,
        timezone=meeting.timezone,
        location=meeting.location,
        language=meeting.language or "en",
        status=meeting.status,
        moderation=meeting.moderation,
        topics=snapshot.topics,
        current_item=_public_item(current) if current and meeting.status != "closed" else None,
        ideas=ideas,
    )


def _public_item(item: AgendaItem) -> PublicItem:
    return PublicItem(
        position=item.position,
        title=item.title,
        kind=item.kind,
        kind_label=label(ITEM_KINDS, item.kind),
        minutes=item.minutes,
        presenter=item.presenter,
    )


def _public_idea(idea: Idea, comments: list[Comment], zone: ZoneInfo) -> PublicIdea:
    consent = idea.publish_name and bool(idea.raised_by)
    return PublicIdea(
        ref=idea.ref,
        title=idea.title,
        detail=idea.detail,
        topic=idea.topic,
        stakeholder=idea.stakeholder,
        stakeholder_label=label(STAKEHOLDERS, idea.stakeholder),
        raised_by=idea.raised_by if consent else "",
        organisation=idea.organisation if consent else "",
        captured_at=idea.captured_at,
        time_label=_clock(idea.captured_at, zone),
        status=idea.status,
        # Comment authors are never shown: the comment form asks for no consent to publish.
        comments=[
            PublicComment(
                body=c.body, created_at=c.created_at, time_label=_clock(c.created_at, zone)
            )
            for c in comments
        ],
    )


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _clock(moment: datetime, zone: ZoneInfo) -> str:
    """Local wall-clock time in the meeting's zone: people in the room think in room time."""
    return moment.astimezone(zone).strftime("%H:%M")
