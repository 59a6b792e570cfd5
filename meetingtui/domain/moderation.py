"""Moderation of attendee input: approve what waits (pre-moderated meetings) or hide what should
not be shown. Hidden input is kept, never shown publicly, and can be shown again."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from meetingtui.domain.errors import FieldErrors, NotFound
from meetingtui.domain.feed import record_event
from meetingtui.domain.models import Comment, Idea
from meetingtui.domain.states import Visibility
from meetingtui.domain.vocab import VISIBILITIES


@dataclass(frozen=True)
class PendingCounts:
    ideas: int
    comments: int

    @property
    def total(self) -> int:
        return self.ideas + self.comments


def set_visibility(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    entity: str,
    entity_id: uuid.UUID,
    visibility: str,
    actor: str = "",
) -> Idea | Comment:
    """Approve (``visible``) or hide (``hidden``) an idea or a comment."""
    if visibility not in VISIBILITIES:
        raise FieldErrors({"visibility": "Choose visible, pending or hidden"})
    row: Idea | Comment | None = None
    if entity == "idea":
        row = session.get(Idea, entity_id)
    elif entity == "comment":
        row = session.get(Comment, entity_id)
    if row is None or row.meeting_id != meeting_id:
        raise NotFound(f"That {entity} is not in this meeting.")
    before, row.visibility = row.visibility, visibility
    record_event(
        session,
        kind=f"moderation.{visibility}",
        meeting_id=meeting_id,
        entity=entity,
        entity_id=entity_id,
        actor=actor,
        detail={"from": before},
    )
    session.flush()
    return row


def pending_counts(session: Session, meeting_id: uuid.UUID) -> PendingCounts:
    ideas = session.exec(
        select(func.count()).where(
            Idea.meeting_id == meeting_id,
            Idea.visibility == Visibility.PENDING,
            col(Idea.deleted_at).is_(None),
        )
    ).one()
    comments = session.exec(
        select(func.count()).where(
            Comment.meeting_id == meeting_id, Comment.visibility == Visibility.PENDING
        )
    ).one()
    return PendingCounts(ideas=ideas, comments=comments)
