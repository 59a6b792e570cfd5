"""Tests find a console's draft by the terminal it was started in, whatever its process: the
stored owner also names user@host and the pid (meetingtui/domain/drafts.py DraftOwner)."""

from __future__ import annotations

import uuid

from sqlmodel import Session, select

from meetingtui.domain.drafts import DraftOwner
from meetingtui.domain.models import Draft


def terminal_draft(session: Session, *, meeting_id: uuid.UUID, owner: str) -> Draft | None:
    """The draft held by a console in terminal ``owner`` (a new-format key or an old one)."""
    for draft in session.exec(select(Draft).where(Draft.meeting_id == meeting_id)):
        parsed = DraftOwner.parse(draft.owner)
        if (parsed.terminal if parsed else draft.owner) == owner:
            return draft
    return None
