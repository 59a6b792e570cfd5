"""The change feed: every write appends an event in the same transaction as the change.

Interfaces follow it by asking for events after the last id they saw, so a second terminal, a
second process or a PostgreSQL-backed team all see the same live meeting. It is also the audit
trail of who changed what.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlmodel import Session, col, func, select

from meetingtui.domain.models import Event


def record_event(
    session: Session,
    *,
    kind: str,
    meeting_id: uuid.UUID | None,
    entity: str = "",
    entity_id: uuid.UUID | str = "",
    actor: str = "",
    detail: dict[str, Any] | None = None,
) -> Event:
    event = Event(
        kind=kind,
        meeting_id=meeting_id,
        entity=entity,
        entity_id=str(entity_id),
        actor=actor,
        detail=json.dumps(detail or {}, ensure_ascii=False),
    )
    session.add(event)
    return event


def events_since(
    session: Session, after_id: int, *, meeting_id: uuid.UUID | None = None, limit: int = 500
) -> list[Event]:
    query = select(Event).where(col(Event.id) > after_id)
    if meeting_id is not None:
        query = query.where(Event.meeting_id == meeting_id)
    return list(session.exec(query.order_by(col(Event.id)).limit(limit)))


def latest_event_id(session: Session) -> int:
    return session.exec(select(func.max(Event.id))).one() or 0
