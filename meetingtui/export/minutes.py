"""What minutes say, independent of format.

Gathered once from a meeting snapshot into plain dataclasses, then rendered as Markdown, HTML,
Word, CSV or JSON, so every format carries the same content. What appears is decided by
``domain/public.py``: only public input (hidden, pending or deleted ideas and comments never), and
names only with the person's consent. The organisers' copy (``Audience.ORGANISERS``) is the same
record with every name, marked "Not for publication"; ``publish`` never uses it. Times are in the
meeting's own time zone.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from meetingtui.domain import public
from meetingtui.domain.ideas import idea_list
from meetingtui.domain.meetings import item_elapsed_seconds, meeting_topics
from meetingtui.domain.models import AgendaItem, Comment, Idea, ItemRecord, Speaker, utcnow
from meetingtui.domain.public import Audience
from meetingtui.domain.snapshot import MeetingSnapshot, load_record
from meetingtui.domain.vocab import (
    BENEFITS,
    CHANNELS,
    IDEA_STATUSES,
    ITEM_KINDS,
    SCALES,
    STAKEHOLDERS,
    label,
)


@dataclass
class CommentEntry:
    id: str
    author: str
    body: str
    created_at: str  # ISO 8601 in the meeting's time zone


@dataclass
class IdeaEntry:
    id: str
    ref: str
    title: str
    detail: str
    raised_by: str  # public: empty unless the person consented to publishing their name
    organisation: str  # likewise
    stakeholder: str  # labels, as people read them
    channel: str
    topic: str
    tags: list[str]
    scale: str
    benefits: list[str]
    affects: str
    agenda_item: str
    captured_by: str  # the note-taker's login: empty in the public record
    captured_at: str
    status: str
    status_reason: str
    response: str
    plan_version: str
    supports: int
    comments: list[CommentEntry]


@dataclass
class RecordEntry:
    id: str
    kind: str  # note · decision · action
    text: str
    owner: str
    due: str


@dataclass
class SpeakerEntry:
    id: str
    name: str  # "" when the speaker gave none, and always in the public record (no consent)
    stakeholder: str
    source: str  # floor · phone
    started: str  # HH:MM local
    minutes: float | None


@dataclass
class ItemEntry:
    id: str
    position: int
    title: str
    kind: str
    presenter: str
    notes: str  # the agenda's planning notes
    planned_minutes: int
    actual_minutes: float | None  # None: the item was never reached
    started: str  # HH:MM local
    ended: str
    status: str
    records: list[RecordEntry] = field(default_factory=list)
    speakers: list[SpeakerEntry] = field(default_factory=list)
    ideas: list[IdeaEntry] = field(default_factory=list)

    def records_of(self, kind: str) -> list[RecordEntry]:
        return [r for r in self.records if r.kind == kind]


@dataclass
class Minutes:
    id: str
    code: str
    title: str
    date: str
    start: str
    timezone: str
    location: str
    facilitator: str
    status: str
    language: str
    attendance: int | None
    topics: list[str]
    started_at: str
    closed_at: str
    generated_at: str
    planned_minutes: int
    actual_minutes: float
    items: list[ItemEntry]
    unassigned_ideas: list[IdeaEntry]
    ideas_by_topic: list[tuple[str, int]]
    ideas_by_stakeholder: list[tuple[str, int]]
    idea_count: int
    comment_count: int
    support_count: int
    speaker_count: int
    audience: str = Audience.PUBLIC.value  # public · organisers

    @property
    def for_publication(self) -> bool:
        return self.audience == Audience.PUBLIC

    @property
    def marking(self) -> str:
        """The warning every format puts first on the organisers' copy; "" when public."""
        return "" if self.for_publication else public.NOT_FOR_PUBLICATION

    @property
    def names_note(self) -> str:
        """The closing sentence about names, true of this copy."""
        return public.PUBLIC_NAMES_NOTE if self.for_publication else public.ORGANISERS_NAMES_NOTE

    @property
    def all_ideas(self) -> list[IdeaEntry]:
        return [idea for item in self.items for idea in item.ideas] + self.unassigned_ideas

    @property
    def decision_count(self) -> int:
        return sum(len(item.records_of("decision")) for item in self.items)

    @property
    def action_count(self) -> int:
        return sum(len(item.records_of("action")) for item in self.items)


class _Clock:
    """Formats UTC instants in the meeting's zone."""

    def __init__(self, timezone: str):
        self.zone = ZoneInfo(timezone or "UTC")

    def iso(self, value: datetime | None) -> str:
        return value.astimezone(self.zone).isoformat(timespec="seconds") if value else ""

    def hhmm(self, value: datetime | None) -> str:
        return value.astimezone(self.zone).strftime("%H:%M") if value else ""


def _comment_entry(comment: Comment, clock: _Clock, audience: Audience) -> CommentEntry:
    return CommentEntry(
        id=str(comment.id),
        author=public.comment_author(comment.author, audience),
        body=comment.body,
        created_at=clock.iso(comment.created_at),
    )


def _idea_entry(
    idea: Idea, snapshot: MeetingSnapshot, item_titles: dict, clock: _Clock, audience: Audience
) -> IdeaEntry:
    return IdeaEntry(
        id=str(idea.id),
        ref=idea.ref,
        title=idea.title,
        detail=idea.detail,
        raised_by=public.raised_by(idea, audience),
        organisation=public.organisation(idea, audience),
        stakeholder=label(STAKEHOLDERS, idea.stakeholder),
        channel=label(CHANNELS, idea.channel),
        topic=idea.topic,
        tags=idea_list(idea.tags),
        scale=label(SCALES, idea.scale),
        benefits=[label(BENEFITS, b) for b in idea_list(idea.benefits)],
        affects=idea.affects,
        agenda_item=item_titles.get(idea.agenda_item_id, ""),
        captured_by=public.staff_name(idea.captured_by, audience),
        captured_at=clock.iso(idea.captured_at),
        status=label(IDEA_STATUSES, idea.status),
        status_reason=idea.status_reason,
        response=idea.response,
        plan_version=idea.plan_version,
        supports=snapshot.supports.get(idea.id, 0),
        comments=[_comment_entry(c, clock, audience) for c in snapshot.comments.get(idea.id, [])],
    )


def _speaker_entry(speaker: Speaker, clock: _Clock, audience: Audience) -> SpeakerEntry:
    minutes = None
    if speaker.started_at and speaker.ended_at:
        minutes = (speaker.ended_at - speaker.started_at).total_seconds() / 60
    return SpeakerEntry(
        id=str(speaker.id),
        name=public.speaker_name(speaker.name, audience),
        stakeholder=label(STAKEHOLDERS, speaker.stakeholder),
        source=speaker.source,
        started=clock.hhmm(speaker.started_at),
        minutes=minutes,
    )


def _record_entry(record: ItemRecord) -> RecordEntry:
    return RecordEntry(
        id=str(record.id), kind=record.kind, text=record.text, owner=record.owner, due=record.due
    )


def _item_entry(item: AgendaItem, clock: _Clock, now: datetime) -> ItemEntry:
    ran = item.started_at is not None
    return ItemEntry(
        id=str(item.id),
        position=item.position + 1,
        title=item.title,
        kind=label(ITEM_KINDS, item.kind),
        presenter=item.presenter,
        notes=item.notes,
        planned_minutes=item.minutes,
        actual_minutes=item_elapsed_seconds(item, now) / 60 if ran else None,
        started=clock.hhmm(item.started_at),
        ended=clock.hhmm(item.ended_at),
        status=item.status,
    )


def minutes_from_snapshot(
    snapshot: MeetingSnapshot,
    *,
    now: datetime | None = None,
    audience: Audience = Audience.PUBLIC,
) -> Minutes:
    """The minutes ``audience`` may read, from any snapshot (the console's holds hidden input:
    it is left out here). The content is the public record for every audience; the organisers'
    copy adds the names. ``now`` fixes the "generated at" time (golden-file tests); item timers
    also use it."""
    now = now or utcnow()
    snapshot = public.public_snapshot(snapshot, Audience.PUBLIC)
    meeting = snapshot.meeting
    clock = _Clock(meeting.timezone)
    items = [_item_entry(item, clock, now) for item in snapshot.items]
    by_id: dict[uuid.UUID, ItemEntry] = {
        item.id: entry for item, entry in zip(snapshot.items, items, strict=True)
    }
    titles = {item.id: item.title for item in snapshot.items}
    for record in snapshot.records:
        if entry := by_id.get(record.agenda_item_id):
            entry.records.append(_record_entry(record))
    heard = snapshot.speakers  # the public record keeps those heard (domain/public.py)
    for speaker in sorted(heard, key=lambda s: s.started_at or s.requested_at):
        if entry := by_id.get(speaker.agenda_item_id):
            entry.speakers.append(_speaker_entry(speaker, clock, audience))
    unassigned: list[IdeaEntry] = []
    for idea in snapshot.ideas:
        idea_entry = _idea_entry(idea, snapshot, titles, clock, audience)
        target = by_id.get(idea.agenda_item_id) if idea.agenda_item_id else None
        (target.ideas if target else unassigned).append(idea_entry)
    topics = Counter(idea.topic or "(no topic)" for idea in snapshot.ideas)
    groups = Counter(label(STAKEHOLDERS, i.stakeholder) or "(not given)" for i in snapshot.ideas)
    return Minutes(
        id=str(meeting.id),
        code=meeting.code,
        title=meeting.title,
        date=meeting.date,
        start=meeting.start,
        timezone=meeting.timezone,
        location=meeting.location,
        facilitator=meeting.facilitator,
        status=meeting.status,
        language=meeting.language,
        attendance=meeting.attendance,
        topics=meeting_topics(meeting),
        started_at=clock.iso(meeting.started_at),
        closed_at=clock.iso(meeting.closed_at),
        generated_at=clock.iso(now),
        planned_minutes=sum(item.minutes for item in snapshot.items),
        actual_minutes=sum(e.actual_minutes or 0 for e in items),
        items=items,
        unassigned_ideas=unassigned,
        ideas_by_topic=sorted(topics.items(), key=lambda kv: (-kv[1], kv[0])),
        ideas_by_stakeholder=sorted(groups.items(), key=lambda kv: (-kv[1], kv[0])),
        idea_count=len(snapshot.ideas),
        comment_count=snapshot.comment_count(),
        support_count=sum(snapshot.supports.values()),
        speaker_count=len(heard),
        audience=audience.value,
    )


def build_minutes(
    session: Session, meeting_id: uuid.UUID, *, audience: Audience = Audience.PUBLIC
) -> Minutes:
    """Collect the record of a meeting for ``audience``. Hidden, pending (moderated) or deleted
    input never appears; names only as ``domain/public.py`` allows ``audience``."""
    record = load_record(session, meeting_id, Audience.PUBLIC)
    return minutes_from_snapshot(record, audience=audience)


def minutes_figure(value: float | None) -> str:
    return "not reached" if value is None else f"{value:.0f} min"


def attendance_text(minutes: Minutes) -> str:
    return "not recorded" if minutes.attendance is None else f"{minutes.attendance:,}"


def summary_line(minutes: Minutes) -> str:
    """One sentence of counts, worded the same in every format."""

    def n(count: int, word: str) -> str:
        return f"{count:,} {word}{'' if count == 1 else 's'}"

    return (
        f"{n(minutes.idea_count, 'idea')}, {n(minutes.comment_count, 'comment')}, "
        f"{n(minutes.support_count, 'support')} and {n(minutes.speaker_count, 'speaker')}; "
        f"{n(minutes.decision_count, 'decision')} and {n(minutes.action_count, 'action')}."
    )
