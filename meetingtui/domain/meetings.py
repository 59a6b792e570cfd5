"""Meetings and their agenda: create from an agenda file, resume, move through the items."""

from __future__ import annotations

import json
import secrets
import uuid
from datetime import datetime

from sqlmodel import Session, col, select

from meetingtui.agenda.model import Agenda
from meetingtui.domain.errors import DomainError, NotFound
from meetingtui.domain.feed import record_event
from meetingtui.domain.models import AgendaItem, Meeting, utcnow

# No 0/o, 1/l/i: a code read aloud or typed from a projector is not misread. 31 symbols,
# 10 of them: about 50 bits, far beyond guessing at the rate limits the web applies.
JOIN_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
JOIN_CODE_LENGTH = 10


def generate_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def create_meeting(
    session: Session, *, agenda: Agenda, actor: str = "", code: str | None = None
) -> Meeting:
    meeting = Meeting(
        code=code or generate_join_code(),
        title=agenda.title,
        date=agenda.date,
        start=agenda.start,
        timezone=agenda.timezone,
        location=agenda.location,
        facilitator=agenda.facilitator,
        topics=json.dumps(list(agenda.topics), ensure_ascii=False),
        moderation=agenda.moderation,
        language=agenda.language,
        source_path=agenda.source_path,
    )
    session.add(meeting)
    session.flush()
    for position, spec in enumerate(agenda.items):
        session.add(
            AgendaItem(
                meeting_id=meeting.id,
                position=position,
                title=spec.title,
                minutes=spec.minutes,
                kind=spec.kind,
                notes=spec.notes,
                presenter=spec.presenter,
                speaker_minutes=spec.speaker_minutes,
            )
        )
    record_event(
        session,
        kind="meeting.created",
        meeting_id=meeting.id,
        entity="meeting",
        entity_id=meeting.id,
        actor=actor,
        detail={"title": meeting.title},
    )
    session.flush()
    return meeting


def meeting_for_agenda(session: Session, source_path: str) -> Meeting | None:
    """The most recent meeting created from this agenda file, if any (to resume it)."""
    query = (
        select(Meeting)
        .where(Meeting.source_path == source_path)
        .order_by(col(Meeting.created_at).desc())
    )
    return session.exec(query).first()


def open_meeting_for_agenda(
    session: Session, *, agenda: Agenda, actor: str = ""
) -> tuple[Meeting, bool]:
    """Resume the meeting made from this agenda file, or create it. Returns (meeting, created)."""
    if agenda.source_path and (existing := meeting_for_agenda(session, agenda.source_path)):
        return existing, False
    return create_meeting(session, agenda=agenda, actor=actor), True


def find_meeting(session: Session, key: str) -> Meeting:
    """A meeting by its join code or its id; NotFound with a helpful message otherwise."""
    key = key.strip()
    meeting = session.exec(select(Meeting).where(Meeting.code == key.lower())).first()
    if meeting is None:
        try:
            meeting = session.get(Meeting, uuid.UUID(key))
        except ValueError:
            meeting = None
    if meeting is None:
        raise NotFound(f"No meeting with code or id '{key}'. `meetingtui meetings` lists them.")
    return meeting


def list_meetings(session: Session) -> list[Meeting]:
    return list(session.exec(select(Meeting).order_by(col(Meeting.created_at).desc())))


def agenda_items(session: Session, meeting_id: uuid.UUID) -> list[AgendaItem]:
    query = select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
    return list(session.exec(query.order_by(col(AgendaItem.position))))


def item_elapsed_seconds(item: AgendaItem, now: datetime | None = None) -> float:
    """Time the item has run: banked seconds plus the current run, if its timer is running."""
    elapsed = item.elapsed_seconds
    if item.running_since is not None:
        elapsed += max(0.0, ((now or utcnow()) - item.running_since).total_seconds())
    return elapsed


def _stop_timer(item: AgendaItem, now: datetime) -> None:
    item.elapsed_seconds = item_elapsed_seconds(item, now)
    item.running_since = None


def _start_item(item: AgendaItem, now: datetime) -> None:
    item.status = "active"
    item.started_at = item.started_at or now
    item.ended_at = None
    item.running_since = now


def _locked_meeting(session: Session, meeting_id: uuid.UUID) -> Meeting:
    meeting = session.get(Meeting, meeting_id, with_for_update=True)
    if meeting is None:
        raise NotFound("That meeting no longer exists.")
    if meeting.status == "closed":
        raise DomainError("The meeting is closed.")
    return meeting


def start_meeting(session: Session, *, meeting_id: uuid.UUID, actor: str = "") -> Meeting:
    """Open the meeting on its first item and start that item's timer (no-op once started)."""
    meeting = _locked_meeting(session, meeting_id)
    if meeting.status == "running":
        return meeting
    items = agenda_items(session, meeting_id)
    now = utcnow()
    meeting.status = "running"
    meeting.started_at = now
    if items:
        _start_item(items[0], now)
        meeting.current_item_id = items[0].id
    record_event(
        session,
        kind="meeting.started",
        meeting_id=meeting_id,
        entity="meeting",
        entity_id=meeting_id,
        actor=actor,
    )
    session.flush()
    return meeting


def move_to_item(
    session: Session, *, meeting_id: uuid.UUID, step: int, actor: str = ""
) -> AgendaItem:
    """Move ``step`` items along the agenda (+1 next, -1 previous), keeping both items' times."""
    meeting = _locked_meeting(session, meeting_id)
    items = agenda_items(session, meeting_id)
    if not items:
        raise DomainError("This meeting has no agenda items.")
    index = next((i for i, it in enumerate(items) if it.id == meeting.current_item_id), -1)
    target = index + step
    if target < 0:
        raise DomainError("Already at the first item.")
    if target >= len(items):
        raise DomainError("Already at the last item.")
    now = utcnow()
    if index >= 0:
        current = items[index]
        _stop_timer(current, now)
        current.status = "done"
        current.ended_at = now
    item = items[target]
    _start_item(item, now)
    meeting.current_item_id = item.id
    if meeting.status == "planned":
        meeting.status = "running"
        meeting.started_at = now
    record_event(
        session,
        kind="agenda.moved",
        meeting_id=meeting_id,
        entity="agenda_item",
        entity_id=item.id,
        actor=actor,
        detail={"title": item.title, "step": step},
    )
    session.flush()
    return item


def close_meeting(session: Session, *, meeting_id: uuid.UUID, actor: str = "") -> Meeting:
    """Close the meeting: stop the running item and refuse attendee input from now on."""
    meeting = _locked_meeting(session, meeting_id)
    now = utcnow()
    for item in agenda_items(session, meeting_id):
        if item.status == "active":
            _stop_timer(item, now)
            item.status = "done"
            item.ended_at = now
    meeting.status = "closed"
    meeting.closed_at = now
    record_event(
        session,
        kind="meeting.closed",
        meeting_id=meeting_id,
        entity="meeting",
        entity_id=meeting_id,
        actor=actor,
    )
    session.flush()
    return meeting


def meeting_topics(meeting: Meeting) -> list[str]:
    return list(json.loads(meeting.topics or "[]"))
