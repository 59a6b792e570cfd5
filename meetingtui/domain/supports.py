"""Supports: an attendee backs an idea, once per device; a second tap takes it back."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlmodel import Session, col, func, select

from meetingtui.domain.feed import record_event
from meetingtui.domain.ideas import find_idea, open_meeting
from meetingtui.domain.models import Support


def toggle_support(
    session: Session, *, meeting_id: uuid.UUID, idea_ref: str, device: str
) -> tuple[bool, int]:
    """Support the idea, or withdraw this device's support. Returns (supported now, total)."""
    open_meeting(session, meeting_id)
    idea = find_idea(session, meeting_id=meeting_id, ref=idea_ref, public=True)
    existing = session.exec(
        select(Support).where(Support.idea_id == idea.id, Support.device == device)
    ).first()
    if existing:
        session.delete(existing)
        supported = False
    else:
        session.add(Support(idea_id=idea.id, meeting_id=meeting_id, device=device))
        supported = True
    session.flush()
    record_event(
        session,
        kind="support.added" if supported else "support.withdrawn",
        meeting_id=meeting_id,
        entity="idea",
        entity_id=idea.id,
        detail={"idea": idea.ref},
    )
    total = session.exec(select(func.count()).where(Support.idea_id == idea.id)).one()
    return supported, total


def support_counts(
    session: Session, idea_ids: Iterable[uuid.UUID], *, meeting_id: uuid.UUID | None = None
) -> dict[uuid.UUID, int]:
    """Supports per idea (0 for none). ``meeting_id`` selects by meeting, not a long IN list."""
    ids = list(idea_ids)
    if not ids:
        return {}
    query = select(Support.idea_id, func.count())
    if meeting_id is not None:
        query = query.where(Support.meeting_id == meeting_id)
    else:
        query = query.where(col(Support.idea_id).in_(ids))
    counts = {idea_id: 0 for idea_id in ids}
    for idea_id, count in session.exec(query.group_by(col(Support.idea_id))).all():
        if idea_id in counts:
            counts[idea_id] = count
    return counts


def supported_by_device(session: Session, *, meeting_id: uuid.UUID, device: str) -> set[uuid.UUID]:
    rows = session.exec(
        select(Support.idea_id).where(Support.meeting_id == meeting_id, Support.device == device)
    ).all()
    return set(rows)
