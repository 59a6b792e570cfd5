"""Moderation of attendee input: approve what waits (pre-moderated meetings) or hide what should
not be shown. Hidden input is kept, never shown publicly, and can be shown again."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, or_, select

from meetingtui.domain.errors import FieldErrors, NotFound
from meetingtui.domain.feed import record_event
from meetingtui.domain.models import Comment, Idea
from meetingtui.domain.public import Audience, comment_author, name_consented
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


def set_visibility_many(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    changes: Iterable[tuple[str, uuid.UUID, str]],
    actor: str = "",
) -> int:
    """Set several ideas' and comments' visibility (``(entity, id, visibility)`` each: a
    moderator's selection, or the undo of one) in one transaction: all of them or, when one is
    not in the meeting, none. How many were set."""
    count = 0
    for entity, entity_id, visibility in changes:
        set_visibility(
            session,
            meeting_id=meeting_id,
            entity=entity,
            entity_id=entity_id,
            visibility=visibility,
            actor=actor,
        )
        count += 1
    return count


def hide_device(
    session: Session, *, meeting_id: uuid.UUID, device: str, actor: str = ""
) -> list[tuple[str, uuid.UUID, str]]:
    """Hide every idea and comment one phone sent to the meeting (a flood, a troll), in one
    transaction. Returns ``(entity, id, visibility before)`` for each row it hid, which is what
    an undo sets back."""
    if not device:
        raise FieldErrors({"device": "That was not sent from a phone"})
    ideas = session.exec(
        select(Idea.id, Idea.visibility).where(
            Idea.meeting_id == meeting_id,
            Idea.device == device,
            col(Idea.deleted_at).is_(None),
            Idea.visibility != Visibility.HIDDEN,
        )
    ).all()
    comments = session.exec(
        select(Comment.id, Comment.visibility).where(
            Comment.meeting_id == meeting_id,
            Comment.device == device,
            Comment.visibility != Visibility.HIDDEN,
        )
    ).all()
    before = [("idea", i, v) for i, v in ideas] + [("comment", i, v) for i, v in comments]
    set_visibility_many(
        session,
        meeting_id=meeting_id,
        changes=[(entity, row_id, Visibility.HIDDEN) for entity, row_id, _ in before],
        actor=actor,
    )
    return before


# ---------------------------------------------------------------------------- the queue


@dataclass(frozen=True)
class ModerationEntry:
    """One idea or comment as a moderator must see it before it goes public: every word that
    approval would publish (a title can be harmless while the detail holds an ID number), and
    whether the name given would be published with it."""

    entity: str  # idea · comment
    id: uuid.UUID
    visibility: str
    at: datetime
    text: str  # an idea's title, a comment's body
    ref: str  # the idea's ref (for a comment: the idea it is on)
    detail: str = ""  # an idea's detail
    name: str = ""  # the name the person gave (raised_by, a comment's author)
    organisation: str = ""
    name_published: bool = False  # approval would publish the name (the person consented)
    idea_title: str = ""  # for a comment: the idea it is on
    device: str = ""  # the phone it came from (empty: typed by an organiser)

    @property
    def waiting(self) -> bool:
        return self.visibility == Visibility.PENDING


MODERATION_SHOWN = 300


def moderation_queue(
    session: Session, meeting_id: uuid.UUID, *, limit: int = MODERATION_SHOWN
) -> list[ModerationEntry]:
    """Attendee input (phones) and anything not plainly visible, in the order it arrived.

    At most ``limit`` ideas and ``limit`` comments, everything waiting before the rest. The
    order is arrival, oldest first, and it does not depend on a row's state: a row keeps its
    place when it is approved or hidden, and new arrivals come at the end, so a moderator's
    cursor never jumps while the phones keep sending.
    """
    needs_eye_idea = or_(Idea.channel == "phone", Idea.visibility != "visible")
    ideas = session.exec(
        select(Idea)
        .where(Idea.meeting_id == meeting_id, col(Idea.deleted_at).is_(None), needs_eye_idea)
        .order_by(col(Idea.visibility) != "pending", col(Idea.captured_at).desc())
        .limit(limit)
    ).all()
    needs_eye_comment = or_(Comment.channel == "phone", Comment.visibility != "visible")
    comments = session.exec(
        select(Comment, Idea.ref, Idea.title)
        .join(Idea, col(Idea.id) == Comment.idea_id)
        .where(Comment.meeting_id == meeting_id, col(Idea.deleted_at).is_(None), needs_eye_comment)
        .order_by(col(Comment.visibility) != "pending", col(Comment.created_at).desc())
        .limit(limit)
    ).all()
    entries = [
        ModerationEntry(
            "idea",
            idea.id,
            idea.visibility,
            idea.captured_at,
            idea.title,
            idea.ref,
            detail=idea.detail,
            name=idea.raised_by,
            organisation=idea.organisation,
            name_published=name_consented(idea),
            device=idea.device,
        )
        for idea in ideas
    ]
    entries += [
        ModerationEntry(
            "comment",
            comment.id,
            comment.visibility,
            comment.created_at,
            comment.body,
            ref,
            name=comment.author,
            # The comment form asks no consent: the policy never publishes its name.
            name_published=bool(comment.author)
            and comment_author(comment.author, Audience.PUBLIC) != "",
            idea_title=title,
            device=comment.device,
        )
        for comment, ref, title in comments
    ]
    entries.sort(key=lambda e: e.at)
    return entries
