"""The public views of a meeting that the phone page, the projector page, ``/live`` and the JSON
API render from, never from the tables.

What the public may see is decided by ``domain/public.py`` (``Audience.PUBLIC``); this module
only reads it, and reads no more than a page shows: one page of ideas by LIMIT, counts by SQL
aggregates, comments for the shown ideas only. So a page costs the same in a meeting of ten
ideas as in one of ten thousand (``bench/phone_page.py``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, col, func, select

from meetingtui.domain import public
from meetingtui.domain.catalogue_refs import full_ref
from meetingtui.domain.errors import NotFound
from meetingtui.domain.ideas import ref_candidates
from meetingtui.domain.intake import is_intake
from meetingtui.domain.meetings import find_meeting, meeting_topics
from meetingtui.domain.merging import MergeView, merge_view
from meetingtui.domain.models import AgendaItem, Comment, Idea, Meeting, Support
from meetingtui.domain.public import Audience
from meetingtui.domain.receipts import Receipt, answer_address, idea_receipt, site_url
from meetingtui.domain.speakers import QUEUE_KINDS, queue_place
from meetingtui.domain.states import ItemStatus, MeetingStatus, Moderation
from meetingtui.domain.supports import idea_support_counts, support_count_expression
from meetingtui.domain.vocab import ITEM_KINDS, STAKEHOLDERS, label

# Join codes are 10 characters today; the column allows 32. Anything longer is not a code.
MAX_CODE_LENGTH = 32
IDEAS_PER_PAGE = 15
COMMENTS_PER_PAGE = 20
SORTS = ("newest", "support")


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
class MergedInto:
    """The idea a merged idea went into, as a phone links to it."""

    code: str
    ref: str
    title: str
    same_meeting: bool

    @property
    def url(self) -> str:
        return f"/m/{self.code}/ideas/{self.ref}"

    @property
    def label(self) -> str:
        """Its ref as this meeting's page says it: "I-0002", or "CODE/I-0002" elsewhere."""
        return self.ref if self.same_meeting else full_ref(self.code, self.ref)


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
    card: str = ""  # the paper card's printed number, "C-0137", when it came on one
    comment_count: int = 0  # all its visible comments; ``comments`` holds those loaded
    comments: list[PublicComment] = field(default_factory=list)
    # Merged into another idea (``public.merge_shown``): it takes no support, and says where it
    # went; ``merged_into`` is None when the idea kept is not public (never named then).
    merged: bool = False
    merged_into: MergedInto | None = None

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
    ideas: list[PublicIdea]  # the page of ideas loaded, in the page's order (newest first)
    # What this device has done: the ideas it supports, its place in the speakers' queue
    # (1 = next, 0 = speaking now, None = not waiting).
    supported_refs: frozenset[str] = frozenset()
    queue_place: int | None = None
    # The agenda, for a meeting not started yet (phones read what is coming while they wait).
    agenda: tuple[PublicItem, ...] = ()
    idea_count: int | None = None  # every public idea of the meeting (None: those in ``ideas``)
    page: int = 1  # which page of ``page_count`` ``ideas`` is
    page_count: int = 1
    focus: PublicIdea | None = None  # the idea whose own page this is, with a page of comments
    comment_page: int = 1
    comment_page_count: int = 1
    polls: tuple[Any, ...] = ()  # the open polls and the current item's (web/poll_views.py)
    # Which of those polls there are and whether open (poll_views.polls_key): read on every
    # page, with or without the polls themselves, so the live script's key always matches.
    polls_key: str = ""

    def __post_init__(self) -> None:
        if self.idea_count is None:
            object.__setattr__(self, "idea_count", len(self.ideas))

    @property
    def speaking_open(self) -> bool:
        """Phones may ask to speak: the meeting runs an item that takes contributions."""
        return (
            self.status == MeetingStatus.RUNNING
            and self.current_item is not None
            and self.current_item.kind in QUEUE_KINDS
        )

    @property
    def state_key(self) -> str:
        """What decides which forms the page offers; the live script compares it to know when
        the page needs a reload rather than a text update."""
        item = self.current_item.position if self.current_item else -1
        return f"{self.status}:{item}:{int(self.speaking_open)}:{self.polls_key}"

    @property
    def is_closed(self) -> bool:
        return self.status == MeetingStatus.CLOSED

    @property
    def not_started(self) -> bool:
        """Phones read the agenda, share ideas and comment; asking to speak waits for its item."""
        return self.status == MeetingStatus.PLANNED

    @property
    def is_pre_moderated(self) -> bool:
        return self.moderation == Moderation.PRE

    def idea(self, ref: str) -> PublicIdea | None:
        wanted = ref.strip().upper()
        if self.focus is not None and self.focus.ref == wanted:
            return self.focus
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
    if meeting.code != wanted or is_intake(meeting):
        # An intake record (ideas received outside meetings) has no join page: as unknown.
        raise NotFound("No meeting with that code.")
    known[wanted] = meeting
    return meeting


def load_receipt(session: Session, code: str, ref: str) -> Receipt | None:
    """The receipt of the public idea ``ref`` (as people type it) of the meeting: its full
    ref, published status, reason, response and history, and where its answer is published."""
    meeting = find_public_meeting(session, code)
    shown = public.public_ideas_of(meeting.id, Audience.PUBLIC)
    refs, number = ref_candidates(ref)
    idea = session.exec(select(Idea).where(shown, col(Idea.ref).in_(refs))).first()
    if idea is None and number is not None:
        idea = session.exec(select(Idea).where(shown, Idea.seq == number)).first()
    return idea_receipt(session, idea, meeting.code) if idea is not None else None


def load_merge_view(session: Session, code: str, ref: str) -> MergeView | None:
    """What the public may see of the idea's merges and splits (domain/merging.py), or None
    when it has none."""
    meeting = find_public_meeting(session, code)
    shown = public.public_ideas_of(meeting.id, Audience.PUBLIC)
    refs, number = ref_candidates(ref)
    idea = session.exec(select(Idea).where(shown, col(Idea.ref).in_(refs))).first()
    if idea is None and number is not None:
        idea = session.exec(select(Idea).where(shown, Idea.seq == number)).first()
    if idea is None:
        return None
    view = merge_view(session, idea, Audience.PUBLIC)
    return None if view.empty else view


def answer_page(session: Session, code: str, ref: str) -> str:
    """Where the answer to idea ``ref`` of this meeting will be published: the published site's
    page of it, or "" when the organisers have not said where the site is."""
    return answer_address(site_url(session), code, ref)


def load_public_meeting(
    session: Session,
    code: str,
    *,
    device: str = "",
    latest_comments: int = 0,
    all_comments_of: str = "",
    sort: str = "newest",
    page: int = 1,
    per_page: int | None = IDEAS_PER_PAGE,
    comment_page: int = 1,
    comments_per_page: int | None = COMMENTS_PER_PAGE,
    with_polls: bool = False,
) -> PublicMeeting:
    """What the public may see of the meeting, read in one transaction so the parts agree.

    Only what a page shows is read: page ``page`` of the public ideas (``per_page`` of them,
    ``None`` for all: the API), in ``sort`` order, each with its comment and support counts and
    its ``latest_comments`` newest comments; with ``all_comments_of`` a ref, that idea too (the
    ``focus``) with page ``comment_page`` of its comments (``comments_per_page``, ``None`` for
    all). ``per_page=0`` reads no list, only the focus. Pages past the end show the last one.
    With a ``device``, also what that device supports among them and its place in the queue.
    """
    meeting = find_public_meeting(session, code)
    zone = _zone(meeting.timezone)
    shown = public.public_ideas_of(meeting.id, Audience.PUBLIC)
    total = session.exec(select(func.count()).select_from(Idea).where(shown)).one()
    order = _idea_order(sort)
    pages = 1
    if per_page is None:
        rows = list(session.exec(select(*IDEA_COLUMNS).where(shown).order_by(*order)))
    elif per_page <= 0:
        rows = []
    else:
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        # Sort and cut by id alone, then read the page's rows: the database sorts small
        # records, not every idea's title and detail.
        chosen = (
            select(Idea.id.label("id"))  # type: ignore[attr-defined]
            .where(shown)
            .order_by(*order)
            .offset((page - 1) * per_page)
            .limit(per_page)
            .subquery()
        )
        query = select(*IDEA_COLUMNS).join(chosen, col(Idea.id) == chosen.c.id)
        rows = list(session.exec(query.order_by(*order)))

    focus_row = None
    if all_comments_of.strip():
        # As people type it (I-42, i42, I-042…): the stored ref first, then the idea number.
        refs, number = ref_candidates(all_comments_of)
        focus_row = next((row for row in rows if row.ref in refs), None)
        if focus_row is None:
            focus_row = session.exec(
                select(*IDEA_COLUMNS).where(shown, col(Idea.ref).in_(refs))
            ).first()
        if focus_row is None and number is not None:
            focus_row = session.exec(select(*IDEA_COLUMNS).where(shown, Idea.seq == number)).first()
    loaded = [*rows, *([focus_row] if focus_row is not None and focus_row not in rows else [])]
    ids = [row.id for row in loaded]
    # The one count (domain/supports.py): an idea with sources merged into it counts each
    # device once across them all.
    supports = idea_support_counts(session, ids, Audience.PUBLIC, meeting_id=meeting.id)
    counts = _comment_counts(session, meeting.id, ids)
    latest = _latest_comments(session, [row.id for row in rows], latest_comments)
    targets = _merge_targets(session, meeting, loaded)

    focus = None
    comment_pages = 1
    if focus_row is not None:
        count = counts.get(focus_row.id, 0)
        if comments_per_page is not None:
            comment_pages = max(1, -(-count // comments_per_page))
            comment_page = min(max(1, comment_page), comment_pages)
        comments = _idea_comments(session, focus_row.id, comment_page, comments_per_page)
        focus = _public_idea(
            focus_row, comments, zone, supports.get(focus_row.id, 0), counts, targets
        )
    ideas = [
        _public_idea(row, latest.get(row.id, []), zone, supports.get(row.id, 0), counts, targets)
        for row in rows
    ]
    current = session.get(AgendaItem, meeting.current_item_id) if meeting.current_item_id else None
    supported: frozenset[str] = frozenset()
    place = None
    if device:
        mine = _supported_by(session, meeting.id, ids, device)
        supported = frozenset(row.ref for row in loaded if row.id in mine)
        if current is not None:
            place = queue_place(session, agenda_item_id=current.id, device=device)
    return public_meeting(
        meeting,
        _public_item(current) if current and meeting.status != MeetingStatus.CLOSED else None,
        ideas=ideas,
        supported_refs=supported,
        queue_place=place if meeting.status == MeetingStatus.RUNNING else None,
        idea_count=total,
        page=page if per_page is not None else 1,
        page_count=pages,
        focus=focus,
        comment_page=comment_page if focus is not None else 1,
        comment_page_count=comment_pages,
        agenda=_agenda_before_start(session, meeting),
        **_current_polls(session, meeting, device, with_polls=with_polls),
    )


def _current_polls(
    session: Session, meeting: Meeting, device: str, *, with_polls: bool
) -> dict[str, Any]:
    """The phone's polls (when the page shows them) and, always, their state key."""
    from meetingtui.web.poll_views import phone_polls, phone_polls_key, polls_key

    if not with_polls:
        return {"polls_key": phone_polls_key(session, meeting)}
    polls = tuple(phone_polls(session, meeting, device=device))
    return {"polls": polls, "polls_key": polls_key((p.number, p.status) for p in polls)}


def _agenda_before_start(session: Session, meeting: Meeting) -> tuple[PublicItem, ...]:
    """The agenda, only while the meeting has not started (one small query, then none)."""
    if meeting.status != MeetingStatus.PLANNED:
        return ()
    items = session.exec(
        select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting.id, AgendaItem.status != ItemStatus.SKIPPED)
        .order_by(col(AgendaItem.position))
    )
    return tuple(_public_item(item) for item in items)


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
IDEA_COLUMNS: tuple[Any, ...] = (
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
    Idea.public_status,  # the status as published (``public.idea_status``), never a draft
    Idea.merged_into_id,  # where a merged idea went (``public.merge_shown``)
    Idea.card_number,  # the paper card it came on (``public.card``: printed for everyone)
)


def _merge_targets(
    session: Session, meeting: Meeting, rows: Sequence[Any]
) -> dict[uuid.UUID, MergedInto | None]:
    """Per loaded row the public sees as merged: the idea it went into, or None when that idea
    is not public (``public.merge_target_shown``: hidden, pending or deleted since)."""
    merged = [row for row in rows if public.merge_shown(row, Audience.PUBLIC)]
    if not merged:
        return {}
    wanted = {row.merged_into_id for row in merged}
    columns: tuple[Any, ...] = (
        Idea.id,
        Idea.ref,
        Idea.title,
        Idea.visibility,
        Idea.deleted_at,
        Meeting.code,
    )
    found: Any = session.exec(
        select(*columns)
        .join(Meeting, col(Meeting.id) == col(Idea.meeting_id))
        .where(col(Idea.id).in_(list(wanted)))
    )
    links = {
        target.id: MergedInto(target.code, target.ref, target.title, target.code == meeting.code)
        for target in found
        if public.merge_target_shown(target, Audience.PUBLIC)
    }
    return {row.id: links.get(row.merged_into_id) for row in merged}


def _idea_order(sort: str) -> tuple[Any, ...]:
    """Newest first; or most supported first, newest first among equals. The support count is
    the one the page shows (domain/supports.py), correlated per idea (an index lookup each), so
    the database sorts and LIMITs."""
    newest = col(Idea.seq).desc()
    if sort != "support":
        return (newest,)
    return (support_count_expression(Audience.PUBLIC).desc(), newest)


def _supported_by(
    session: Session, meeting_id: uuid.UUID, ids: Sequence[uuid.UUID], device: str
) -> set[uuid.UUID]:
    """Which of these ideas the device supports (the unique (idea, device) index answers)."""
    if not ids:
        return set()
    which = (
        col(Support.idea_id).in_(ids)
        if len(ids) <= IN_LIST_MAX
        else col(Support.meeting_id) == meeting_id
    )
    query = select(Support.idea_id).where(which, Support.device == device)
    return set(session.exec(query).all())


# Up to this many ideas are named in an IN list; more (the API's every idea) are counted by
# meeting instead: thousands of bound parameters cost more than the rows they save.
IN_LIST_MAX = 100


def _comment_counts(
    session: Session, meeting_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Public comments of these (public) ideas, counted by the database. Counted by meeting,
    comments of ideas not asked for are counted too and simply not looked up."""
    if not ids:
        return {}
    which = (
        col(Comment.idea_id).in_(ids)
        if len(ids) <= IN_LIST_MAX
        else col(Comment.meeting_id) == meeting_id
    )
    query = (
        select(Comment.idea_id, func.count())
        .where(which, *public.comment_filter(Audience.PUBLIC, idea_checked=True))
        .group_by(col(Comment.idea_id))
    )
    return dict(session.exec(query).all())


COMMENT_COLUMNS: tuple[Any, ...] = (Comment.idea_id, Comment.body, Comment.created_at)


def _latest_comments(
    session: Session, ids: Sequence[uuid.UUID], latest: int
) -> dict[uuid.UUID, list[Any]]:
    """The ``latest`` newest public comments of each of these ideas, oldest first per idea:
    ranked among these ideas' comments only, not the meeting's."""
    if latest <= 0 or not ids:
        return {}
    rank = (
        func.row_number()
        .over(
            partition_by=col(Comment.idea_id),
            order_by=(col(Comment.created_at).desc(), col(Comment.id).desc()),
        )
        .label("rank")
    )
    newest = (
        select(Comment.idea_id, Comment.body, Comment.created_at, rank)
        .where(
            col(Comment.idea_id).in_(ids),
            *public.comment_filter(Audience.PUBLIC, idea_checked=True),
        )
        .subquery()
    )
    found: Any = session.exec(
        select(newest.c.idea_id, newest.c.body, newest.c.created_at)
        .where(newest.c.rank <= latest)
        .order_by(newest.c.created_at)
    )
    grouped: dict[uuid.UUID, list[Any]] = {}
    for comment in found:
        grouped.setdefault(comment.idea_id, []).append(comment)
    return grouped


def _idea_comments(
    session: Session, idea_id: uuid.UUID, page: int, per_page: int | None
) -> list[Any]:
    """One page of an idea's public comments, oldest first."""
    query = (
        select(*COMMENT_COLUMNS)
        .where(
            Comment.idea_id == idea_id,
            *public.comment_filter(Audience.PUBLIC, idea_checked=True),
        )
        .order_by(col(Comment.created_at), col(Comment.id))
    )
    if per_page is not None:
        query = query.offset((page - 1) * per_page).limit(per_page)
    return list(session.exec(query))


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
    merge_targets: dict[uuid.UUID, MergedInto | None] | None = None,
) -> PublicIdea:
    targets = merge_targets or {}
    return PublicIdea(
        ref=idea.ref,
        title=idea.title,
        detail=idea.detail,
        topic=idea.topic,
        stakeholder=idea.stakeholder,
        stakeholder_label=label(STAKEHOLDERS, idea.stakeholder),
        raised_by=public.raised_by(idea, Audience.PUBLIC),
        organisation=public.organisation(idea, Audience.PUBLIC),
        captured_at=idea.captured_at,
        time_label=_clock(idea.captured_at, zone),
        status=public.idea_status(idea, Audience.PUBLIC),  # as published, never a draft
        support_count=support_count,
        card=public.card(idea.card_number, Audience.PUBLIC),
        comment_count=comment_counts.get(idea.id, 0),
        # No comment author: the comment form asks no consent to publish a name
        # (``public.comment_author``), so the public view has no author at all.
        comments=[
            PublicComment(
                body=c.body, created_at=c.created_at, time_label=_clock(c.created_at, zone)
            )
            for c in comments
        ],
        merged=idea.id in targets,
        merged_into=targets.get(idea.id),
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
    idea_count: int  # public ideas, by one SQL count: the page compares it with its own
    queue_place: int | None
    speaking_open: bool
    state_key: str


def load_live_state(session: Session, code: str, *, device: str = "") -> LiveState:
    meeting = find_public_meeting(session, code)
    item = (
        session.get(AgendaItem, meeting.current_item_id)
        if meeting.current_item_id and meeting.status != MeetingStatus.CLOSED
        else None
    )
    shown = public.public_ideas_of(meeting.id, Audience.PUBLIC)
    count = session.exec(select(func.count()).select_from(Idea).where(shown)).one()
    place = None
    if device and item is not None and meeting.status == MeetingStatus.RUNNING:
        place = queue_place(session, agenda_item_id=item.id, device=device)
    public_item = _public_item(item) if item else None
    # The same rule and key as the page's, so the script knows when the page is out of date.
    from meetingtui.web.poll_views import phone_polls_key

    probe = public_meeting(meeting, public_item, polls_key=phone_polls_key(session, meeting))
    return LiveState(
        status=meeting.status,
        language=meeting.language or "en",
        current_item=public_item,
        idea_count=count,
        queue_place=place,
        speaking_open=probe.speaking_open,
        state_key=probe.state_key,
    )
