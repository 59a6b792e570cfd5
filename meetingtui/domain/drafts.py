"""Drafts of the idea form, saved while typing so that a crash or a quit never loses words."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlmodel import Session, select

from meetingtui.domain.models import Draft, utcnow

DRAFT_MAX_BYTES = 64_000


def save_draft(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    owner: str,
    fields: dict[str, Any],
    idea_id: uuid.UUID | None = None,
) -> Draft:
    payload = json.dumps(fields, ensure_ascii=False)[:DRAFT_MAX_BYTES]
    draft = session.exec(
        select(Draft).where(Draft.meeting_id == meeting_id, Draft.owner == owner)
    ).first()
    if draft is None:
        draft = Draft(meeting_id=meeting_id, owner=owner)
        session.add(draft)
    draft.payload, draft.idea_id, draft.updated_at = payload, idea_id, utcnow()
    session.flush()
    return draft


def load_draft(session: Session, *, meeting_id: uuid.UUID, owner: str) -> Draft | None:
    return session.exec(
        select(Draft).where(Draft.meeting_id == meeting_id, Draft.owner == owner)
    ).first()


def draft_fields(draft: Draft) -> dict[str, Any]:
    try:
        return dict(json.loads(draft.payload or "{}"))
    except ValueError:
        return {}


def holds_typing(fields: dict[str, Any]) -> bool:
    """Whether a draft holds anything the person typed or ticked (a draft of choices carried
    over from the last idea, with nothing typed, is not worth offering back)."""
    for name, value in fields.items():
        if name in ("channel", "topic", "stakeholder"):
            continue
        if isinstance(value, str) and value.strip():
            return True
        if isinstance(value, (list, bool)) and value:
            return True
    return False


def discard_draft(session: Session, *, meeting_id: uuid.UUID, owner: str) -> None:
    if draft := load_draft(session, meeting_id=meeting_id, owner=owner):
        session.delete(draft)
        session.flush()
