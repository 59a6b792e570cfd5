"""A read model of one meeting at one moment: what the console, the phone page and the minutes
all show. Built in one read transaction so every part is consistent."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlmodel import Session

from meetingtui.domain.errors import NotFound
from meetingtui.domain.ideas import comments_by_idea, meeting_ideas
from meetingtui.domain.meetings import agenda_items, meeting_topics
from meetingtui.domain.models import AgendaItem, Comment, Idea, Meeting


@dataclass
class MeetingSnapshot:
    meeting: Meeting
    items: list[AgendaItem]
    ideas: list[Idea]
    comments: dict[uuid.UUID, list[Comment]] = field(default_factory=dict)

    @property
    def topics(self) -> list[str]:
        return meeting_topics(self.meeting)

    @property
    def current_item(self) -> AgendaItem | None:
        return next((i for i in self.items if i.id == self.meeting.current_item_id), None)

    def ideas_for_item(self, item_id: uuid.UUID | None) -> list[Idea]:
        return [idea for idea in self.ideas if idea.agenda_item_id == item_id]

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
        comments=comments_by_idea(session, [i.id for i in ideas], include_hidden=include_hidden),
    )
