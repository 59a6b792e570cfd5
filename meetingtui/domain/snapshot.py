"""A read model of one meeting at one moment: what the console, the phone page and the minutes
all show. Built in one read transaction so every part is consistent."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from meetingtui.domain.errors import NotFound
from meetingtui.domain.ideas import comments_by_idea, meeting_ideas
from meetingtui.domain.meetings import agenda_items, meeting_topics
from meetingtui.domain.models import AgendaItem, Comment, Idea, ItemRecord, Meeting, Speaker
from meetingtui.domain.moderation import PendingCounts, pending_counts
from meetingtui.domain.public import Audience, comment_filter, idea_filter, speaker_filter
from meetingtui.domain.records import meeting_records
from meetingtui.domain.supports import support_counts


@dataclass
class MeetingSnapshot:
    meeting: Meeting
    items: list[AgendaItem]
    ideas: list[Idea]
    comments: dict[uuid.UUID, list[Comment]] = field(default_factory=dict)
    supports: dict[uuid.UUID, int] = field(default_factory=dict)
    speakers: list[Speaker] = field(default_factory=list)  # the whole meeting, in asking order
    records: list[ItemRecord] = field(default_factory=list)  # notes, decisions, actions
    pending: PendingCounts = field(default_factory=lambda: PendingCounts(0, 0))

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
    return MeetingSnapshot(
        meeting=meeting,
        items=agenda_items(session, meeting_id),
        ideas=ideas,
        comments=comments_by_idea(
            session, [i.id for i in ideas], include_hidden=include_hidden, meeting_id=meeting_id
        ),
        supports=support_counts(session, [i.id for i in ideas], meeting_id=meeting_id),
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
    return MeetingSnapshot(
        meeting=meeting,
        items=agenda_items(session, meeting_id),
        ideas=ideas,
        comments=comments,
        supports=support_counts(session, [i.id for i in ideas], meeting_id=meeting_id),
        speakers=list(speakers),
        records=meeting_records(session, meeting_id),
        pending=PendingCounts(0, 0) if public else pending_counts(session, meeting_id),
    )
