"""An idea of the catalogue as an audience may see it: the one shape the command line's JSON and
CSV, and later the catalogue screen and the published site, are made from.

Every value goes through domain/public.py: names only with consent, the published status and
answer for the public (drafts and reviewers for the organisers only), comments and history as
the audience may see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from meetingtui.domain import public
from meetingtui.domain.catalogue_refs import full_ref
from meetingtui.domain.ideas import IDEA_FIELDS, idea_list
from meetingtui.domain.lifecycle import has_draft, history
from meetingtui.domain.models import AgendaItem, Comment, Idea, IdeaChange, Meeting
from meetingtui.domain.plans import section_title
from meetingtui.domain.public import Audience
from meetingtui.domain.supports import support_counts

RECORD_FIELDS = (
    "ref",
    "meeting",
    *IDEA_FIELDS,
    "status",
    "status_reason",
    "response",
    "plan_version",
    "plan_section",
    "captured_at",
)
"""The keys of ``idea_record``: the standard form's field names, then the catalogue's."""
ORGANISER_FIELDS = ("reviewer", "draft", "moderation")


def _when(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def idea_record(idea: Idea, meeting_code: str, audience: Audience) -> dict[str, Any]:
    """One idea as a flat record (``RECORD_FIELDS``; organisers also get ``reviewer``,
    ``draft``, whether there is unpublished work, and ``moderation``: visible, hidden or
    pending, since they see what the public cannot)."""
    record: dict[str, Any] = {"ref": idea.ref, "meeting": meeting_code}
    for name in IDEA_FIELDS:
        value: Any = getattr(idea, name)
        if name in ("tags", "benefits"):
            value = idea_list(value)
        record[name] = value
    record["raised_by"] = public.raised_by(idea, audience)
    record["organisation"] = public.organisation(idea, audience)
    record["publish_name"] = public.name_consented(idea)
    record["status"] = public.idea_status(idea, audience)
    record["status_reason"] = public.status_reason(idea, audience)
    record["response"] = public.idea_response(idea, audience)
    record["plan_version"], record["plan_section"] = public.plan_link(idea, audience)
    record["captured_at"] = _when(idea.captured_at)
    if audience is Audience.ORGANISERS:
        record["reviewer"] = idea.reviewer
        record["draft"] = has_draft(idea)
        record["moderation"] = idea.visibility
    return record


@dataclass(frozen=True)
class IdeaDetail:
    """Everything about one idea an audience may see: the record, where and when it was raised,
    its comments, supports and history."""

    record: dict[str, Any]
    full_ref: str
    meeting_title: str
    meeting_date: str
    agenda_item: str
    plan_section_title: str
    supports: int
    comments: list[Comment]
    history: list[IdeaChange]
    published_at: datetime | None
    card: str = ""  # the paper card it was typed in from, ``C-0137`` (domain/cards.py)


def idea_detail(session: Session, idea: Idea, audience: Audience) -> IdeaDetail:
    """The whole idea for ``audience`` (the caller found it for that audience: catalogue_refs)."""
    from meetingtui.domain.cards import format_card_number

    meeting = session.get(Meeting, idea.meeting_id)
    assert meeting is not None
    item = session.get(AgendaItem, idea.agenda_item_id) if idea.agenda_item_id else None
    comments = session.exec(
        select(Comment)
        .where(Comment.idea_id == idea.id, *public.comment_filter(audience, idea_checked=True))
        .order_by(col(Comment.created_at))
    ).all()
    title = ""
    version, section = public.plan_link(idea, audience)
    if version and section and meeting.programme_id is not None:
        title = section_title(session, meeting.programme_id, version, section)
    return IdeaDetail(
        record=idea_record(idea, meeting.code, audience),
        full_ref=full_ref(meeting.code, idea.ref),
        meeting_title=meeting.title,
        meeting_date=meeting.date,
        agenda_item=item.title if item else "",
        plan_section_title=title,
        supports=support_counts(session, [idea.id]).get(idea.id, 0),
        comments=list(comments),
        history=history(session, idea.id, audience),
        published_at=idea.published_at,
        card=format_card_number(idea.card_number) if idea.card_number is not None else "",
    )


def change_record(change: IdeaChange, audience: Audience) -> dict[str, Any]:
    """A history entry as the audience may see it (who changed it: organisers only, staff)."""
    return {
        "at": _when(change.at),
        "field": change.field,
        "from": change.from_value,
        "to": change.to_value,
        "reason": change.reason,
        "by": public.staff_name(change.actor, audience),
        "published": change.published_at is not None,
    }


def comment_record(comment: Comment, audience: Audience) -> dict[str, Any]:
    """A comment as the audience may see it (organisers: also its ``moderation``)."""
    record: dict[str, Any] = {
        "at": _when(comment.created_at),
        "body": comment.body,
        "author": public.comment_author(comment.author, audience),
        "channel": comment.channel,
    }
    if audience is Audience.ORGANISERS:
        record["moderation"] = comment.visibility
    return record
