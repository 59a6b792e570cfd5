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
from meetingtui.domain.merging import MergeView, merge_view
from meetingtui.domain.models import AgendaItem, Comment, Idea, IdeaChange, Meeting
from meetingtui.domain.plans import section_title
from meetingtui.domain.public import Audience
from meetingtui.domain.themes import themes_of_ideas

RECORD_FIELDS = (
    "ref",
    "meeting",
    *IDEA_FIELDS,
    "card",
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
    """One idea as a flat record (``RECORD_FIELDS``: ``card`` is the paper card's number,
    ``C-0137``, or empty; organisers also get ``reviewer``,
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
    record["card"] = public.card(idea.card_number, audience)
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
    merge: MergeView  # merged into, its sources, split from / into (domain/merging.py)
    card: str = ""  # the paper card it was typed in from, ``C-0137`` (domain/cards.py)


def idea_detail(session: Session, idea: Idea, audience: Audience) -> IdeaDetail:
    """The whole idea for ``audience`` (the caller found it for that audience: catalogue_refs)."""
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
    record = idea_record(idea, meeting.code, audience)
    # The response with a theme's inherited where the idea has none (domain/public.py).
    answer = public.idea_answers(session, [idea], audience)[idea.id]
    record["response"], record["response_from_theme"] = answer.response, answer.theme
    record["themes"] = [
        public.theme_name(theme, audience)
        for theme in themes_of_ideas(session, [idea.id], audience).get(idea.id, [])
    ]
    merged = merge_view(session, idea, audience)
    return IdeaDetail(
        record=record,
        full_ref=full_ref(meeting.code, idea.ref),
        meeting_title=meeting.title,
        meeting_date=meeting.date,
        agenda_item=item.title if item else "",
        plan_section_title=title,
        supports=merged.supports,
        comments=list(comments),
        history=history(session, idea.id, audience),
        published_at=idea.published_at,
        merge=merged,
        card=record["card"],
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


def merge_record(view: MergeView) -> dict[str, Any]:
    """An idea's merges and splits as plain values (the command line's JSON, exports)."""
    return {
        "merged_into": view.merged_into.full_ref if view.merged_into else "",
        "sources": [
            {
                "ref": s.full_ref,
                "title": s.title,
                "channel": s.channel,
                "stakeholder": s.stakeholder,
                "meeting": s.meeting_title,
                "raised_by": s.raised_by,
            }
            for s in view.sources
        ],
        "split_from": view.split_from.full_ref if view.split_from else "",
        "split_into": [part.full_ref for part in view.split_into],
        "source_comments": [
            {"on": c.ref, "body": c.body, "author": c.author} for c in view.source_comments
        ],
    }
