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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import groupby
from operator import itemgetter
from typing import Any, Protocol, cast
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from meetingtui.domain import public
from meetingtui.domain.errors import NotFound
from meetingtui.domain.ideas import idea_list
from meetingtui.domain.meetings import agenda_items, item_elapsed_seconds, meeting_topics
from meetingtui.domain.models import (
    AgendaItem,
    Comment,
    Idea,
    ItemRecord,
    Meeting,
    Speaker,
    utcnow,
)
from meetingtui.domain.pairwise import RankedIdea, choice_count, ranking
from meetingtui.domain.public import Audience
from meetingtui.domain.reach import (
    ReachFigures,
    meeting_questions,
    published,
    reach_figures,
    response_count,
)
from meetingtui.domain.records import meeting_records
from meetingtui.domain.snapshot import MeetingSnapshot
from meetingtui.domain.speakers import speaking_seconds
from meetingtui.domain.states import SpeakerStatus
from meetingtui.domain.supports import idea_support_counts
from meetingtui.domain.vocab import (
    BENEFITS,
    CHANNELS,
    IDEA_STATUSES,
    ITEM_KINDS,
    SCALES,
    STAKEHOLDERS,
    label,
)
from meetingtui.export.minutes_polls import PollEntry, poll_entries
from meetingtui.export.wording import NO_TOPIC, NOT_GIVEN, gettext, number, plural, term


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
    card: str  # the paper card it was typed in from, ``C-0137``, or empty (public: a card)
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
    # Asked to speak and were still waiting when the item ended (the facilitator recorded them
    # as not heard): part of a public hearing's record. Named only in the organisers' copy.
    not_heard: list[SpeakerEntry] = field(default_factory=list)

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
    # ``intake``: the programme's ideas received outside meetings (domain/intake.py), which
    # the published site lists as ideas, not as a meeting with minutes.
    kind: str = "meeting"
    # Who took part (domain/reach.py), always as published (small numbers suppressed), and the
    # pairwise ranking (domain/pairwise.py); None when the meeting had neither.
    reach: ReachFigures | None = None
    pairwise: tuple[RankedIdea, ...] | None = None
    polls: list[PollEntry] = field(default_factory=list)  # export/minutes_polls.py

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


_HOUR_END = timedelta(minutes=59, seconds=59, microseconds=999_999)
_MINUTE_END = timedelta(seconds=59, microseconds=999_999)


class _Clock:
    """Formats UTC instants in the meeting's zone.

    An instant is an aware ``datetime``, or the text SQLite keeps for one in UTC
    ("YYYY-MM-DD HH:MM:SS.ffffff", read as it is stored: ``build_minutes``). For text the local
    time is written from the zone's offset, looked up once per hour of UTC when the offset is
    whole hours all through it (a meeting's 20,000 comments fall in a few hundred hours: an
    instant costs one dictionary look-up, not a conversion), else once per minute (offsets
    like +05:45); a minute in which the offset changes is converted instant by instant."""

    def __init__(self, timezone: str):
        self.zone = ZoneInfo(timezone or "UTC")
        self._hours: dict[str, tuple[str, str] | None] = {}
        self._minutes: dict[str, tuple[str, str] | None] = {}

    def iso(self, value: datetime | str | None) -> str:
        if not value:
            return ""
        if isinstance(value, str):
            return self._iso_text(value)
        return value.astimezone(self.zone).isoformat(timespec="seconds")

    def hhmm(self, value: datetime | None) -> str:
        return value.astimezone(self.zone).strftime("%H:%M") if value else ""

    def _iso_text(self, text: str) -> str:
        hour = text[:13]
        if hour in self._hours:
            known = self._hours[hour]
        else:
            known = self._hours[hour] = self._local(hour, ":00", _HOUR_END, timedelta(hours=1))
        if known is not None and len(text) >= 19 and text[13] == ":" and text[16] == ":":
            return f"{known[0]}{text[13:19]}{known[1]}"
        minute = text[:16]
        if minute in self._minutes:
            known = self._minutes[minute]
        else:
            known = self._minutes[minute] = self._local(minute, "", _MINUTE_END, _MINUTE)
        if known is not None and len(text) >= 19 and text[16] == ":":
            return f"{known[0]}{text[16:19]}{known[1]}"
        return self.iso(datetime.fromisoformat(text).replace(tzinfo=UTC))

    def _local(
        self, start_text: str, pad: str, length: timedelta, unit: timedelta
    ) -> tuple[str, str] | None:
        """The local text of a UTC hour ("YYYY-MM-DD HH", as "YYYY-MM-DDTHH") or minute
        ("YYYY-MM-DD HH:MM", as "YYYY-MM-DDTHH:MM") and the offset's ISO text ("+01:00"),
        when the zone's offset is the same all through it and whole ``unit``s; else None."""
        if len(start_text) not in (13, 16) or start_text[10] != " ":
            return None
        try:
            start = datetime.fromisoformat(start_text + pad).replace(tzinfo=UTC)
        except ValueError:
            return None
        first = start.astimezone(self.zone)
        offset = first.utcoffset()
        if (
            offset is None
            or offset % unit
            or offset != (start + length).astimezone(self.zone).utcoffset()
        ):
            return None
        text = first.isoformat(timespec="seconds")
        return text[: len(start_text)], text[19:]


_MINUTE = timedelta(minutes=1)


def _uuid_text(value: uuid.UUID | str) -> str:
    """A UUID's usual text, from a ``UUID`` or from the 32 hex digits SQLite keeps."""
    if isinstance(value, str) and len(value) == 32:
        value = value.lower()
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(value))


class _IdeaRow(Protocol):
    """What an idea entry reads: an ``Idea`` or a row of ``_IDEA_COLUMNS``."""

    id: uuid.UUID
    seq: int
    ref: str
    title: str
    detail: str
    raised_by: str
    organisation: str
    publish_name: bool
    stakeholder: str
    channel: str
    topic: str
    tags: str
    scale: str
    benefits: str
    affects: str
    agenda_item_id: uuid.UUID | None
    captured_by: str
    captured_at: datetime
    status: str
    status_reason: str
    response: str
    plan_version: str
    plan_section: str
    public_status: str
    public_reason: str
    public_response: str
    public_plan_version: str
    public_plan_section: str
    merged_into_id: uuid.UUID | None
    card_number: int | None


# The columns an idea entry reads, selected as plain rows (no ORM objects).
_IDEA_COLUMNS = tuple(getattr(Idea, name) for name in _IdeaRow.__annotations__)


def _comment_entry(comment: Comment, clock: _Clock, audience: Audience) -> CommentEntry:
    return CommentEntry(
        id=str(comment.id),
        author=public.comment_author(comment.author, audience),
        body=comment.body,
        created_at=clock.iso(comment.created_at),
    )


def _idea_entry(
    idea: _IdeaRow,
    comments: list[CommentEntry],
    supports: int,
    item_titles: dict[uuid.UUID, str],
    clock: _Clock,
    audience: Audience,
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
        card=public.card(idea.card_number, audience),
        topic=idea.topic,
        tags=idea_list(idea.tags),
        scale=label(SCALES, idea.scale),
        benefits=[label(BENEFITS, b) for b in idea_list(idea.benefits)],
        affects=idea.affects,
        agenda_item=item_titles.get(idea.agenda_item_id, "") if idea.agenda_item_id else "",
        captured_by=public.staff_name(idea.captured_by, audience),
        captured_at=clock.iso(idea.captured_at),
        # The answer as published for the public; the organisers' copy shows their drafts.
        status=label(IDEA_STATUSES, public.idea_status(idea, audience)),
        status_reason=public.status_reason(idea, audience),
        response=public.idea_response(idea, audience),
        plan_version=public.plan_link(idea, audience)[0],  # a draft link is the organisers' only
        supports=supports,
        comments=comments,
    )


def _speaker_entry(speaker: Speaker, clock: _Clock, audience: Audience) -> SpeakerEntry:
    minutes = None
    if speaker.started_at and speaker.ended_at:
        minutes = speaking_seconds(speaker) / 60  # paused time is not speaking time
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


def _assemble(
    meeting: Meeting,
    items: Sequence[AgendaItem],
    records: Iterable[ItemRecord],
    speakers: Sequence[Speaker],
    ideas: Sequence[_IdeaRow],
    comments: Mapping[uuid.UUID, list[CommentEntry]],
    supports: Mapping[uuid.UUID, int],
    *,
    now: datetime,
    audience: Audience,
    clock: _Clock,
) -> Minutes:
    """The minutes from the public record's rows (already kept to what the public may see):
    ideas in number order, each idea's comment entries in time order (written by the caller,
    which knows how its rows hold ids and times), speakers heard. ``audience`` decides only the
    names."""
    entries = [_item_entry(item, clock, now) for item in items]
    by_id: dict[uuid.UUID, ItemEntry] = {
        item.id: entry for item, entry in zip(items, entries, strict=True)
    }
    titles = {item.id: item.title for item in items}
    for record in records:
        if entry := by_id.get(record.agenda_item_id):
            entry.records.append(_record_entry(record))
    heard = [s for s in speakers if s.status in public.HEARD]
    for speaker in sorted(heard, key=lambda s: s.started_at or s.requested_at):
        if entry := by_id.get(speaker.agenda_item_id):
            entry.speakers.append(_speaker_entry(speaker, clock, audience))
    for speaker in sorted(speakers, key=lambda s: s.requested_at):
        if speaker.status == SpeakerStatus.NOT_HEARD and (
            entry := by_id.get(speaker.agenda_item_id)
        ):
            entry.not_heard.append(_speaker_entry(speaker, clock, audience))
    unassigned: list[IdeaEntry] = []
    topics: Counter[str] = Counter()
    groups: Counter[str] = Counter()
    comment_count = 0
    for idea in ideas:
        said = comments.get(idea.id, [])
        comment_count += len(said)
        idea_entry = _idea_entry(idea, said, supports.get(idea.id, 0), titles, clock, audience)
        target = by_id.get(idea.agenda_item_id) if idea.agenda_item_id else None
        (target.ideas if target else unassigned).append(idea_entry)
        topics[idea.topic or NO_TOPIC] += 1
        groups[idea_entry.stakeholder or NOT_GIVEN] += 1
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
        planned_minutes=sum(item.minutes for item in items),
        actual_minutes=sum(e.actual_minutes or 0 for e in entries),
        items=entries,
        unassigned_ideas=unassigned,
        ideas_by_topic=sorted(topics.items(), key=lambda kv: (-kv[1], kv[0])),
        ideas_by_stakeholder=sorted(groups.items(), key=lambda kv: (-kv[1], kv[0])),
        idea_count=len(ideas),
        comment_count=comment_count,
        support_count=_support_total(ideas, supports),
        speaker_count=len(heard),
        audience=audience.value,
        kind=meeting.kind,
    )


def _support_total(ideas: Sequence[_IdeaRow], supports: Mapping[uuid.UUID, int]) -> int:
    """The meeting's supports, each device once per idea as the ideas' own counts say
    (domain/supports.py): an idea merged into another of these ideas is counted in that one's
    count already, so not again."""
    shown = {idea.id for idea in ideas}
    return sum(
        supports.get(idea.id, 0)
        for idea in ideas
        if not (public.merge_shown(idea, Audience.PUBLIC) and idea.merged_into_id in shown)
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
    snapshot = public.public_snapshot(snapshot, Audience.PUBLIC)
    clock = _Clock(snapshot.meeting.timezone)
    comments = {
        idea_id: [_comment_entry(c, clock, audience) for c in rows]
        for idea_id, rows in snapshot.comments.items()
    }
    return _assemble(
        snapshot.meeting,
        snapshot.items,
        snapshot.records,
        snapshot.speakers,  # the public record keeps those heard (domain/public.py)
        snapshot.ideas,
        comments,
        snapshot.supports,
        now=now or utcnow(),
        audience=audience,
        clock=clock,
    )


def build_minutes(
    session: Session,
    meeting_id: uuid.UUID,
    *,
    audience: Audience = Audience.PUBLIC,
    now: datetime | None = None,
) -> Minutes:
    """Collect the record of a meeting for ``audience``. Hidden, pending (moderated) or deleted
    input never appears; names only as ``domain/public.py`` allows ``audience``.

    The same minutes as ``minutes_from_snapshot(load_record(...))``, read faster: ideas and
    comments come as rows of the columns the minutes show (no ORM objects), under the policy's
    own SQL conditions, comments already grouped by idea."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("That meeting does not exist.")
    ideas = session.execute(
        select(*_IDEA_COLUMNS)
        .where(public.public_ideas_of(meeting_id, Audience.PUBLIC))
        .order_by(col(Idea.seq))
    ).all()
    # Every public comment of the public ideas, idea by idea (in number order), each idea's in
    # time order; id and time as stored (formatted without building UUID and datetime objects).
    query = (
        sa.select(
            col(Idea.seq),
            sa.type_coerce(Comment.id, sa.String).label("id"),
            col(Comment.author),
            col(Comment.body),
            sa.type_coerce(Comment.created_at, sa.String).label("created_at"),
        )
        .join(Idea, col(Idea.id) == col(Comment.idea_id))
        .where(
            col(Comment.meeting_id) == meeting_id,
            public.public_ideas_of(meeting_id, Audience.PUBLIC),
            *public.comment_filter(Audience.PUBLIC, idea_checked=True),
        )
        .order_by(col(Idea.seq), col(Comment.created_at), col(Comment.id))
    )
    clock = _Clock(meeting.timezone)
    author, iso = public.comment_author, clock.iso
    by_seq = {
        seq: [
            CommentEntry(_uuid_text(id_), author(who, audience), body, iso(at))
            for _, id_, who, body, at in cast(Iterable[tuple[Any, Any, str, str, Any]], rows)
        ]
        for seq, rows in groupby(session.execute(query), key=itemgetter(0))
    }
    comments = {idea.id: by_seq.get(idea.seq, []) for idea in ideas}
    speakers = session.exec(
        select(Speaker)
        .where(Speaker.meeting_id == meeting_id, *public.speaker_filter(Audience.PUBLIC))
        .order_by(col(Speaker.requested_at))
    ).all()
    minutes = _assemble(
        meeting,
        agenda_items(session, meeting_id),
        meeting_records(session, meeting_id),
        speakers,
        ideas,  # rows of _IDEA_COLUMNS
        comments,
        idea_support_counts(session, comments, Audience.PUBLIC, meeting_id=meeting_id),
        now=now or utcnow(),
        audience=audience,
        clock=clock,
    )
    minutes.polls = poll_entries(session, meeting_id)
    add_reach_and_pairwise(session, minutes, meeting_id)
    return minutes


def add_reach_and_pairwise(session: Session, minutes: Minutes, meeting_id: uuid.UUID) -> None:
    """The reach figures (published form, whoever the copy is for: they are about people who
    were promised it) and the pairwise ranking, when the meeting had them."""
    if meeting_questions(session, meeting_id) or response_count(session, meeting_id):
        minutes.reach = published(reach_figures(session, meeting_id=meeting_id))
    if choice_count(session, meeting_id):
        minutes.pairwise = tuple(ranking(session, meeting_id))


def speaker_who(speaker: SpeakerEntry) -> str:
    """A speaker as every format names them: "Asha Rahman (Resident)", "Asha Rahman",
    "Resident" (no name: always so in the public copy), or "" when neither was given."""
    group = term(speaker.stakeholder) if speaker.stakeholder else ""
    if speaker.name:
        return f"{speaker.name} ({group})" if group else speaker.name
    return group


def speaker_line(speaker: SpeakerEntry) -> str:
    """One speaker heard, in every format: "Asha Rahman (Resident), 18:44", "Resident, 18:44";
    "A speaker, 18:44" when neither a name nor a group was given."""
    return f"{speaker_who(speaker) or gettext('A speaker')}, {speaker.started}"


def not_heard_text(item: ItemEntry) -> str:
    """Who asked to speak and was not heard, in one line every format uses: how many, and by
    group (names only in the organisers' copy: ``SpeakerEntry.name`` is "" in the public one).
    "" when everyone who asked was heard."""
    if not item.not_heard:
        return ""
    people = [who for speaker in item.not_heard if (who := speaker_who(speaker))]
    head = plural(len(item.not_heard), "{count} person", "{count} people")
    return f"{head}: {', '.join(people)}" if people else head


def minutes_figure(value: float | None) -> str:
    """An item's length as the minutes say it, in the current language (``wording``)."""
    if value is None:
        return gettext("not reached")
    return gettext("{minutes} min", minutes=round(value))


def attendance_text(minutes: Minutes) -> str:
    return gettext("not recorded") if minutes.attendance is None else number(minutes.attendance)


def summary_line(minutes: Minutes) -> str:
    """One sentence of counts, worded the same in every format, in the current language."""
    return gettext(
        "{ideas}, {comments}, {supports} and {speakers}; {decisions} and {actions}.",
        ideas=plural(minutes.idea_count, "{count} idea", "{count} ideas"),
        comments=plural(minutes.comment_count, "{count} comment", "{count} comments"),
        supports=plural(minutes.support_count, "{count} support", "{count} supports"),
        speakers=plural(minutes.speaker_count, "{count} speaker", "{count} speakers"),
        decisions=plural(minutes.decision_count, "{count} decision", "{count} decisions"),
        actions=plural(minutes.action_count, "{count} action", "{count} actions"),
    )
