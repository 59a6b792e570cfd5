"""A read model of one meeting at one moment: what the console, the phone page and the minutes
all show. Built in one read transaction so every part is consistent."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlmodel import Session, col, func, select

from meetingtui.domain.errors import NotFound
from meetingtui.domain.ideas import comments_by_idea, meeting_ideas
from meetingtui.domain.meetings import agenda_items, meeting_topics
from meetingtui.domain.models import AgendaItem, Comment, Idea, ItemRecord, Meeting, Speaker
from meetingtui.domain.moderation import (  # noqa: F401 - the queue lives with moderation
    ModerationEntry,
    PendingCounts,
    moderation_queue,
    pending_counts,
)
from meetingtui.domain.public import (
    Audience,
    comment_filter,
    idea_filter,
    public_ideas_of,
    speaker_filter,
)
from meetingtui.domain.records import meeting_records
from meetingtui.domain.states import Visibility
from meetingtui.domain.supports import idea_support_counts


@dataclass
class MeetingSnapshot:
    meeting: Meeting
    items: list[AgendaItem]
    ideas: list[Idea]
    comments: dict[uuid.UUID, list[Comment]] = field(default_factory=dict)
    # domain/supports.py's count for the snapshot's audience; ``public_supports`` the public's
    # when that audience is the organisers' (a source the public may not see adds nothing).
    supports: dict[uuid.UUID, int] = field(default_factory=dict)
    speakers: list[Speaker] = field(default_factory=list)  # the whole meeting, in asking order
    records: list[ItemRecord] = field(default_factory=list)  # notes, decisions, actions
    pending: PendingCounts = field(default_factory=lambda: PendingCounts(0, 0))
    public_supports: dict[uuid.UUID, int] | None = None

    @property
    def topics(self) -> list[str]:
        return meeting_topics(self.meeting)

    @property
    def current_item(self) -> AgendaItem | None:
        return next((i for i in self.items if i.id == self.meeting.current_item_id), None)

    def ideas_for_item(self, item_id: uuid.UUID | None) -> list[Idea]:
        return [idea for idea in self.ideas if idea.agenda_item_id == item_id]

    def speakers_for_item(self, item_id: uuid.UUID | None) -> list[Speaker]:
        return [s for s in self.speakers if s.agenda_item_id == item_id]

    def records_for_item(self, item_id: uuid.UUID | None) -> list[ItemRecord]:
        return [r for r in self.records if r.agenda_item_id == item_id]

    def comment_count(self) -> int:
        return sum(len(c) for c in self.comments.values())


def load_snapshot(
    session: Session, meeting_id: uuid.UUID, *, include_hidden: bool = False
) -> MeetingSnapshot:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("That meeting does not exist.")
    ideas = meeting_ideas(session, meeting_id, include_hidden=include_hidden)
    audience = Audience.ORGANISERS if include_hidden else Audience.PUBLIC
    supports, public_supports = _supports(session, ideas, meeting_id, audience)
    return MeetingSnapshot(
        meeting=meeting,
        items=agenda_items(session, meeting_id),
        ideas=ideas,
        comments=comments_by_idea(
            session, [i.id for i in ideas], include_hidden=include_hidden, meeting_id=meeting_id
        ),
        supports=supports,
        public_supports=public_supports,
        speakers=list(
            session.exec(
                select(Speaker)
                .where(Speaker.meeting_id == meeting_id)
                .order_by(col(Speaker.requested_at))
            )
        ),
        records=meeting_records(session, meeting_id),
        pending=pending_counts(session, meeting_id),
    )


def _supports(
    session: Session, ideas: list[Idea], meeting_id: uuid.UUID, audience: Audience
) -> tuple[dict[uuid.UUID, int], dict[uuid.UUID, int] | None]:
    """The ideas' support counts for ``audience`` and, for the organisers, the public's too."""
    ids = [i.id for i in ideas]
    counts = idea_support_counts(session, ids, audience, meeting_id=meeting_id)
    if audience is Audience.PUBLIC:
        return counts, None
    shown = [i.id for i in ideas if i.deleted_at is None and i.visibility == Visibility.VISIBLE]
    return counts, idea_support_counts(session, shown, Audience.PUBLIC, meeting_id=meeting_id)


def load_record(session: Session, meeting_id: uuid.UUID, audience: Audience) -> MeetingSnapshot:
    """The meeting as ``audience`` may see it (``domain/public.py``), in one read: the ideas,
    their comments and supports, the speakers and the records. For the public, no moderation
    counts. Rows are the tables' own: names are applied where they are shown."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("That meeting does not exist.")
    ideas = list(
        session.exec(
            select(Idea)
            .where(Idea.meeting_id == meeting_id, *idea_filter(audience))
            .order_by(col(Idea.seq))
        )
    )
    comments: dict[uuid.UUID, list[Comment]] = {idea.id: [] for idea in ideas}
    query = (
        select(Comment)
        .where(Comment.meeting_id == meeting_id, *comment_filter(audience, idea_checked=True))
        .order_by(col(Comment.created_at), col(Comment.id))
    )
    for comment in session.exec(query):
        if comment.idea_id in comments:  # the idea's own rule: only ideas loaded above
            comments[comment.idea_id].append(comment)
    speakers = session.exec(
        select(Speaker)
        .where(Speaker.meeting_id == meeting_id, *speaker_filter(audience))
        .order_by(col(Speaker.requested_at))
    )
    public = audience is Audience.PUBLIC
    supports, public_supports = _supports(session, ideas, meeting_id, audience)
    return MeetingSnapshot(
        meeting=meeting,
        items=agenda_items(session, meeting_id),
        ideas=ideas,
        comments=comments,
        supports=supports,
        public_supports=public_supports,
        speakers=list(speakers),
        records=meeting_records(session, meeting_id),
        pending=PendingCounts(0, 0) if public else pending_counts(session, meeting_id),
    )


# ---- the live view: what a live screen shows of the current item, read by parts -------------
#
# A whole-meeting snapshot grows with the meeting (every idea, every comment). A live screen
# shows the current agenda item: its newest ideas with their latest comments, counts by SQL, its
# speakers and notes. Each part loads on its own, so a change to one idea reads that idea.

IDEAS_SHOWN = 60
"""The newest ideas of the current item a live screen holds (its panel says how many more): a
screenful is about ten; what came earlier is in the minutes, the exports and moderation."""
COMMENTS_SHOWN = 3
"""The latest comments shown under each idea (its count says how many in all)."""


@dataclass
class IdeaRows:
    """Some ideas with what a live screen shows beneath each."""

    ideas: dict[uuid.UUID, Idea] = field(default_factory=dict)
    latest_comments: dict[uuid.UUID, list[Comment]] = field(default_factory=dict)  # oldest first
    comment_counts: dict[uuid.UUID, int] = field(default_factory=dict)
    supports: dict[uuid.UUID, int] = field(default_factory=dict)


@dataclass
class LiveMeeting:
    """The current item of a meeting as a live screen shows it. Its size is bounded by
    ``IDEAS_SHOWN`` and ``COMMENTS_SHOWN``, not by the size of the meeting."""

    meeting: Meeting
    items: list[AgendaItem]
    rows: IdeaRows
    idea_total: int  # the current item's ideas not hidden (``rows`` holds the newest)
    speakers: list[Speaker]  # the current item's, in asking order
    records: list[ItemRecord]  # the current item's notes, decisions, actions
    pending: PendingCounts
    # Ideas raised while the meeting had not started (phones, the note-taker) belong to no
    # item; once an item runs they are not in its list, so the console says how many there are.
    before_start_total: int = 0

    @property
    def topics(self) -> list[str]:
        return meeting_topics(self.meeting)

    @property
    def current_item(self) -> AgendaItem | None:
        return next((i for i in self.items if i.id == self.meeting.current_item_id), None)


def load_live_meeting(
    session: Session,
    meeting_id: uuid.UUID,
    *,
    ideas_shown: int = IDEAS_SHOWN,
    comments_shown: int = COMMENTS_SHOWN,
) -> LiveMeeting:
    """The meeting, its agenda and its current item's live parts, in one read."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("That meeting does not exist.")
    item_id = meeting.current_item_id
    ids = newest_item_idea_ids(session, meeting_id, item_id, limit=ideas_shown)
    return LiveMeeting(
        meeting=meeting,
        items=agenda_items(session, meeting_id),
        rows=load_idea_rows(session, ids, comments_shown=comments_shown),
        idea_total=item_idea_total(session, meeting_id, item_id),
        speakers=item_speakers(session, meeting_id, item_id),
        records=item_records(session, meeting_id, item_id),
        pending=pending_counts(session, meeting_id),
        before_start_total=before_start_total(session, meeting_id, item_id),
    )


def before_start_total(session: Session, meeting_id: uuid.UUID, item_id: uuid.UUID | None) -> int:
    """How many ideas of no item a live screen of item ``item_id`` leaves out (none while the
    meeting has not started: then those are the ideas listed)."""
    return 0 if item_id is None else item_idea_total(session, meeting_id, None)


def _item_ideas_query(meeting_id: uuid.UUID, item_id: uuid.UUID | None):  # noqa: ANN202
    """Ideas of one item that a live screen lists: not deleted, not hidden."""
    return select(Idea.id).where(
        Idea.meeting_id == meeting_id,
        Idea.agenda_item_id == item_id,
        col(Idea.deleted_at).is_(None),
        Idea.visibility != Visibility.HIDDEN,
    )


def newest_item_idea_ids(
    session: Session, meeting_id: uuid.UUID, item_id: uuid.UUID | None, *, limit: int
) -> list[uuid.UUID]:
    query = _item_ideas_query(meeting_id, item_id).order_by(col(Idea.seq).desc()).limit(limit)
    return list(session.exec(query))


def item_idea_total(session: Session, meeting_id: uuid.UUID, item_id: uuid.UUID | None) -> int:
    query = select(func.count()).select_from(_item_ideas_query(meeting_id, item_id).subquery())
    return session.exec(query).one()


def load_idea_rows(
    session: Session, idea_ids: list[uuid.UUID], *, comments_shown: int = COMMENTS_SHOWN
) -> IdeaRows:
    """These ideas (deleted ones left out), each with its latest comments not hidden, the
    count of those and its supports: a handful of indexed queries, whatever the meeting's size."""
    rows = IdeaRows()
    if not idea_ids:
        return rows
    found = session.exec(
        select(Idea).where(col(Idea.id).in_(idea_ids), col(Idea.deleted_at).is_(None))
    )
    rows.ideas = {idea.id: idea for idea in found}
    ids = list(rows.ideas)
    if not ids:
        return rows
    rows.comment_counts = {i: 0 for i in ids}
    counted = session.exec(
        select(Comment.idea_id, func.count())
        .where(col(Comment.idea_id).in_(ids), Comment.visibility != "hidden")
        .group_by(col(Comment.idea_id))
    )
    rows.comment_counts.update(dict(counted.all()))
    rank = (
        func.row_number()
        .over(partition_by=col(Comment.idea_id), order_by=col(Comment.created_at).desc())
        .label("rank")
    )
    ranked = (
        select(Comment.id, rank)
        .where(col(Comment.idea_id).in_(ids), Comment.visibility != "hidden")
        .subquery()
    )
    latest_ids = select(ranked.c.id).where(ranked.c.rank <= comments_shown)
    latest = session.exec(
        select(Comment).where(col(Comment.id).in_(latest_ids)).order_by(col(Comment.created_at))
    )
    rows.latest_comments = {i: [] for i in ids}
    for comment in latest:
        rows.latest_comments[comment.idea_id].append(comment)
    rows.supports = idea_support_counts(session, ids, Audience.ORGANISERS)
    return rows


def ideas_of_comments(session: Session, comment_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """The ideas these comments are on."""
    if not comment_ids:
        return set()
    return set(session.exec(select(Comment.idea_id).where(col(Comment.id).in_(comment_ids))))


def item_speakers(
    session: Session, meeting_id: uuid.UUID, item_id: uuid.UUID | None
) -> list[Speaker]:
    query = select(Speaker).where(
        Speaker.meeting_id == meeting_id, Speaker.agenda_item_id == item_id
    )
    return list(session.exec(query.order_by(col(Speaker.requested_at))))


def item_records(
    session: Session, meeting_id: uuid.UUID, item_id: uuid.UUID | None
) -> list[ItemRecord]:
    query = select(ItemRecord).where(
        ItemRecord.meeting_id == meeting_id,
        ItemRecord.agenda_item_id == item_id,
        col(ItemRecord.deleted_at).is_(None),
    )
    return list(session.exec(query.order_by(col(ItemRecord.created_at))))


def latest_public_ideas(session: Session, meeting_id: uuid.UUID, *, limit: int) -> list[Idea]:
    """The newest ideas the public may see (``domain/public.py`` decides which)."""
    query = select(Idea).where(public_ideas_of(meeting_id, Audience.PUBLIC))
    return list(session.exec(query.order_by(col(Idea.seq).desc()).limit(limit)))


def last_idea_by(session: Session, meeting_id: uuid.UUID, captured_by: str) -> Idea | None:
    """The last idea this person captured in the meeting (their remembered choices)."""
    query = select(Idea).where(Idea.meeting_id == meeting_id, Idea.captured_by == captured_by)
    return session.exec(query.order_by(col(Idea.captured_at).desc()).limit(1)).first()
