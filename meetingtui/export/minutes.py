"""What minutes say, independent of format: gathered once from a meeting snapshot, then rendered
as Markdown (and, later, HTML, DOCX, CSV, JSON) so every format carries the same content."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from meetingtui.domain.ideas import idea_list
from meetingtui.domain.meetings import item_elapsed_seconds
from meetingtui.domain.models import AgendaItem, Comment, Idea, Meeting
from meetingtui.domain.snapshot import load_snapshot
from meetingtui.domain.vocab import CHANNELS, ITEM_KINDS, STAKEHOLDERS, label


@dataclass
class IdeaEntry:
    ref: str
    title: str
    detail: str
    topic: str
    stakeholder: str
    channel: str
    raised_by: str  # empty unless the person consented to publishing their name
    organisation: str
    tags: list[str]
    status: str
    comments: list[Comment]


@dataclass
class ItemEntry:
    position: int
    title: str
    kind: str
    presenter: str
    notes: str
    planned_minutes: int
    actual_minutes: float | None
    started: str
    ended: str
    status: str
    ideas: list[IdeaEntry] = field(default_factory=list)


@dataclass
class Minutes:
    meeting: Meeting
    items: list[ItemEntry]
    unassigned_ideas: list[IdeaEntry]
    ideas_by_topic: list[tuple[str, int]]
    ideas_by_stakeholder: list[tuple[str, int]]
    idea_count: int
    comment_count: int

    @property
    def all_ideas(self) -> list[IdeaEntry]:
        return [idea for item in self.items for idea in item.ideas] + self.unassigned_ideas


def _local_time(value: datetime | None, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%H:%M") if value else ""


def _idea_entry(idea: Idea, comments: list[Comment]) -> IdeaEntry:
    return IdeaEntry(
        ref=idea.ref,
        title=idea.title,
        detail=idea.detail,
        topic=idea.topic,
        stakeholder=label(STAKEHOLDERS, idea.stakeholder),
        channel=label(CHANNELS, idea.channel),
        raised_by=idea.raised_by if idea.publish_name else "",
        organisation=idea.organisation if idea.publish_name else "",
        tags=idea_list(idea.tags),
        status=idea.status,
        comments=comments,
    )


def _item_entry(item: AgendaItem, zone: ZoneInfo) -> ItemEntry:
    ran = item.started_at is not None
    return ItemEntry(
        position=item.position + 1,
        title=item.title,
        kind=label(ITEM_KINDS, item.kind),
        presenter=item.presenter,
        notes=item.notes,
        planned_minutes=item.minutes,
        actual_minutes=item_elapsed_seconds(item) / 60 if ran else None,
        started=_local_time(item.started_at, zone),
        ended=_local_time(item.ended_at, zone),
        status=item.status,
    )


def build_minutes(session: Session, meeting_id: uuid.UUID) -> Minutes:
    """Collect the public record of a meeting. Hidden or pending (moderated) input never appears."""
    snapshot = load_snapshot(session, meeting_id, include_hidden=False)
    zone = ZoneInfo(snapshot.meeting.timezone or "UTC")
    items = [_item_entry(item, zone) for item in snapshot.items]
    by_id = {item.id: entry for item, entry in zip(snapshot.items, items, strict=True)}
    unassigned: list[IdeaEntry] = []
    for idea in snapshot.ideas:
        entry = _idea_entry(idea, snapshot.comments.get(idea.id, []))
        target = by_id.get(idea.agenda_item_id) if idea.agenda_item_id else None
        (target.ideas if target else unassigned).append(entry)
    topics = Counter(idea.topic or "(no topic)" for idea in snapshot.ideas)
    groups = Counter(label(STAKEHOLDERS, i.stakeholder) or "(not given)" for i in snapshot.ideas)
    return Minutes(
        meeting=snapshot.meeting,
        items=items,
        unassigned_ideas=unassigned,
        ideas_by_topic=topics.most_common(),
        ideas_by_stakeholder=groups.most_common(),
        idea_count=len(snapshot.ideas),
        comment_count=snapshot.comment_count(),
    )
