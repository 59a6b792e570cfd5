"""What the public may see of a meeting: one place that decides, for the page and the JSON API.

The phone page and ``/api`` both render from these views, never from the tables, so a name given
without consent to publish it cannot leak through one of them by accident.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, col, func, select

from meetingtui.domain.errors import NotFound
from meetingtui.domain.meetings import find_meeting, meeting_topics
from meetingtui.domain.models import AgendaItem, Comment, Idea, Meeting
from meetingtui.domain.speakers import QUEUE_KINDS, queue_place
from meetingtui.domain.supports import support_counts, supported_by_device
from meetingtui.domain.vocab import ITEM_KINDS, STAKEHOLDERS, label

# Join codes are 10 characters today; the column allows 32. Anything longer is not a code.
MAX_CODE_LENGTH = 32


@dataclass(frozen=True)
class PublicItem:
    position: int
    title: str
    kind: str
    kind_label: str
    minutes: int
    presenter: str


@dataclass(frozen=True)
class PublicComment:
    body: str
    created_at: datetime
    time_label: str


@dataclass(frozen=True)
class PublicIdea:
    ref: str
    title: str
    detail: str
    topic: str
    stakeholder: str
    stakeholder_label: str
    raised_by: str  # empty unless the person consented to publishing their name
    organisation: str  # likewise: an organisation can identify a person
    captured_at: datetime
    time_label: str
    status: str
    support_count: int = 0
    comment_count: int = 0  # all its visible comments; ``comments`` holds those loaded
    comments: list[PublicComment] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"idea-{self.ref}"


@dataclass(frozen=True)
class PublicMeeting:
    id: uuid.UUID
    code: str
    title: str
    date: str
    start: str
    timezone: str
    location: str
    language: str
    status: str
    moderation: str
    topics: list[str]
    current_item: PublicItem | None
    ideas: list[PublicIdea]  # newest first
    # What this device has done: the ideas it supports, its place in the speakers' queue
    # (1 = next, 0 = speaking now, None = not waiting).
    supported_refs: frozenset[str] = frozenset()
    queue_place: int | None = None

    @property
    def speaking_open(self) -> bool:
        """Phones may ask to speak: the meeting runs an item that takes contributions."""
        return (
            self.status == "running"
            and self.current_item is not None
            and self.current_item.kind in QUEUE_KINDS
        )

    @property
    def state_key(self) -> str:
        """What decides which forms the page offers; the live script compares it to know when
        the page needs a reload rather than a text update."""
        item = self.current_item.position if self.current_item else -1
        return f"{self.status}:{item}:{int(self.speaking_open)}"

    @property
    def is_closed(self) -> bool:
        return self.status == "closed"

    @property
    def is_pre_moderated(self) -> bool:
        return self.moderation == "pre"

    def idea(self, ref: str) -> PublicIdea | None:
        wanted = ref.strip().upper()
        return next((idea for idea in self.ideas if idea.ref == wanted), None)


def find_public_meeting(session: Session, code: str) -> Meeting:
    """The meeting behind a join code, and only a join code.

    ``find_meeting`` also accepts a meeting's id, which suits the command line; the public web
    asks for the code printed under the QR code, so an id in the URL is treated as unknown.
    """
    wanted = code.strip().lower()
    if not wanted or len(wanted) > MAX_CODE_LENGTH:
        raise NotFound("No meeting with that code.")
    # Remembered for the session: a group commit runs many posts to one meeting in one session.
    known: dict[str, Meeting] = session.info.setdefault("meetingtui.public_meetings", {})
    if wanted in known:
        return known[wanted]
    try:
        meeting = find_meeting(session, wanted)
    except NotFound:
        raise NotFound("No meeting with that code.") from None
    if meeting.code != wanted:
        raise NotFound("No meeting with that code.")
    known[wanted] = meeting
    return meeting


def load_public_meeting(
    session: Session,
    code: str,
    *,
    device: str = "",
    latest_comments: int = 0,
    all_comments_of: str = "",
) -> PublicMeeting:
    """What the public may see of the meeting, read in one transaction so the parts agree.

    Only what a page shows is loaded: every visible idea with its comment and support counts,
    plus the ``latest_comments`` newest comments of each idea, or every comment of the idea
    ``all_comments_of``. A meeting with ten thousand comments renders as fast as one with ten.
    With a ``device``, also what that device supports and its place in the queue.
    """
    meeting = find_public_meeting(session, code)
    zone = _zone(meeting.timezone)
    rows = session.exec(
        select(*IDEA_COLUMNS).where(*_visible_ideas(meeting.id)).order_by(col(Idea.seq))
    ).all()
    ids = [row.id for row in rows]
    supports = support_counts(session, ids, meeting_id=meeting.id)
    counts = dict(
        session.exec(
            select(Comment.idea_id, func.count())
            .where(Comment.meeting_id == meeting.id, Comment.visibility == "visible")
            .group_by(Comment.idea_id)
        ).all()
    )
    shown = _shown_comments(session, meeting.id, rows, latest_comments, all_comments_of)
    ideas = [
        _public_idea(row, shown.get(row.id, []), zone, supports.get(row.id, 0), counts)
        for row in reversed(rows)
    ]
    current = session.get(AgendaItem, meeting.current_item_id) if meeting.current_item_id else None
    supported: frozenset[str] = frozenset()
    place = None
    if device:
        mine = supported_by_device(session, meeting_id=meeting.id, device=device)
        supported = frozenset(row.ref for row in rows if row.id in mine)
        if current is not None:
            place = queue_place(session, agenda_item_id=current.id, device=device)
    return public_meeting(
        meeting,
        _public_item(current) if current and meeting.status != "closed" else None,
        ideas=ideas,
        supported_refs=supported,
        queue_place=place if meeting.status == "running" else None,
    )


def public_meeting(meeting: Meeting, current_item: PublicItem | None, **page: Any) -> PublicMeeting:
    """The public face of a meeting row; ``page`` adds what a page shows (ideas, supports, the
    device's place in the queue)."""
    return PublicMeeting(
        id=meeting.id,
        code=meeting.code,
        title=meeting.title,
        date=meeting.date,
        start=meeting.start,
        timezone=meeting.timezone,
        location=meeting.location,
        language=meeting.language or "en",
        status=meeting.status,
        moderation=meeting.moderation,
        topics=meeting_topics(meeting),
        current_item=current_item,
        **{"ideas": [], **page},
    )


# The columns a public idea is made from (plain rows: no ORM objects for a read-only page).
IDEA_COLUMNS = (
    Idea.id,
    Idea.ref,
    Idea.title,
    Idea.detail,
    Idea.topic,
    Idea.stakeholder,
    Idea.raised_by,
    Idea.organisation,
    Idea.publish_name,
    Idea.captured_at,
    Idea.status,
)


def _visible_ideas(meeting_id: uuid.UUID) -> tuple[object, ...]:
    """The same rule as the domain's ``meeting_ideas``: not deleted, not held by a moderator."""
    return (
        Idea.meeting_id == meeting_id,
        Idea.visibility == "visible",
        col(Idea.deleted_at).is_(None),
    )


def _shown_comments(
    session: Session,
    meeting_id: uuid.UUID,
    rows: Sequence[Any],
    latest: int,
    all_of: str,
) -> dict[uuid.UUID, list[Any]]:
    """Visible comments to show, oldest first per idea."""
    visible = (Comment.meeting_id == meeting_id, Comment.visibility == "visible")
    columns = (Comment.idea_id, Comment.body, Comment.created_at)
    found: list[Any] = []
    wanted = all_of.strip().upper()
    if wanted:
        idea_id = next((row.id for row in rows if row.ref == wanted), None)
        if idea_id is not None:
            found = list(
                session.exec(
                    select(*columns)
                    .where(*visible, Comment.idea_id == idea_id)
                    .order_by(col(Comment.created_at), col(Comment.id))
                )
            )
    elif latest > 0:
        rank = (
            func.row_number()
            .over(
                partition_by=Comment.idea_id,
                order_by=(col(Comment.created_at).desc(), col(Comment.id).desc()),
            )
            .label("rank")
        )
        newest = select(*columns, rank).where(*visible).subquery()
        found = list(
            session.exec(
                select(newest.c.idea_id, newest.c.body, newest.c.created_at)
                .where(newest.c.rank <= latest)
                .order_by(newest.c.created_at)
            )
        )
    grouped: dict[uuid.UUID, list[Any]] = {}
    for comment in found:
        grouped.setdefault(comment.idea_id, []).append(comment)
    return grouped


def _public_item(item: AgendaItem) -> PublicItem:
    return PublicItem(
        position=item.position,
        title=item.title,
        kind=item.kind,
        kind_label=label(ITEM_KINDS, item.kind),
        minutes=item.minutes,
        presenter=item.presenter,
    )


def _public_idea(
    idea: Any,
    comments: list[Any],
    zone: ZoneInfo,
    support_count: int,
    comment_counts: dict[uuid.UUID, int],
) -> PublicIdea:
    consent = idea.publish_name and bool(idea.raised_by)
    return PublicIdea(
        ref=idea.ref,
        title=idea.title,
        detail=idea.detail,
        topic=idea.topic,
        stakeholder=idea.stakeholder,
        stakeholder_label=label(STAKEHOLDERS, idea.stakeholder),
        raised_by=idea.raised_by if consent else "",
        organisation=idea.organisation if consent else "",
        captured_at=idea.captured_at,
        time_label=_clock(idea.captured_at, zone),
        status=idea.status,
        support_count=support_count,
        comment_count=comment_counts.get(idea.id, 0),
        # Comment authors are never shown: the comment form asks for no consent to publish.
        comments=[
            PublicComment(
                body=c.body, created_at=c.created_at, time_label=_clock(c.created_at, zone)
            )
            for c in comments
        ],
    )


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _clock(moment: datetime, zone: ZoneInfo) -> str:
    """Local wall-clock time in the meeting's zone: people in the room think in room time."""
    return moment.astimezone(zone).strftime("%H:%M")


@dataclass(frozen=True)
class LiveState:
    """The little the live script polls for: cheap to read a few times a minute per phone."""

    status: str
    language: str
    current_item: PublicItem | None
    idea_count: int
    latest_ref: str
    queue_place: int | None
    speaking_open: bool
    state_key: str


def load_live_state(session: Session, code: str, *, device: str = "") -> LiveState:
    meeting = find_public_meeting(session, code)
    item = (
        session.get(AgendaItem, meeting.current_item_id)
        if meeting.current_item_id and meeting.status != "closed"
        else None
    )
    visible = (
        Idea.meeting_id == meeting.id,
        Idea.visibility == "visible",
        col(Idea.deleted_at).is_(None),
    )
    count = session.exec(select(func.count()).select_from(Idea).where(*visible)).one()
    latest = session.exec(select(Idea.ref).where(*visible).order_by(col(Idea.seq).desc())).first()
    place = None
    if device and item is not None and meeting.status == "running":
        place = queue_place(session, agenda_item_id=item.id, device=device)
    public_item = _public_item(item) if item else None
    # The same rule and key as the page's, so the script knows when the page is out of date.
    probe = public_meeting(meeting, public_item)
    return LiveState(
        status=meeting.status,
        language=meeting.language or "en",
        current_item=public_item,
        idea_count=count,
        latest_ref=latest or "",
        queue_place=place,
        speaking_open=probe.speaking_open,
        state_key=probe.state_key,
    )
