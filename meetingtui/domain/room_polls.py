"""Which polls the room sees: on every phone's meeting page and on the projector.

One rule for both surfaces: nothing before the meeting starts (ballots wait for their item),
then the polls that are open and the current item's, in their order, only those the public
record lets the public see (``public.poll_public``: never a draft). The projector shows one of
them: the newest open poll, else the current item's latest.
"""

from __future__ import annotations

from sqlmodel import Session, col, or_, select

from meetingtui.domain import public
from meetingtui.domain.models import Meeting, Poll
from meetingtui.domain.public import Audience
from meetingtui.domain.states import MeetingStatus


def visible_polls(session: Session, meeting: Meeting, *, current_only: bool) -> list[Poll]:
    """The meeting's polls the public may see; ``current_only``: the open ones and the
    current item's (whatever the meeting's state)."""
    query = select(Poll).where(Poll.meeting_id == meeting.id, Poll.status != "draft")
    if current_only:
        query = query.where(
            or_(col(Poll.status) == "open", col(Poll.agenda_item_id) == meeting.current_item_id)
            if meeting.current_item_id
            else col(Poll.status) == "open"
        )
    return [
        poll
        for poll in session.exec(query.order_by(col(Poll.number)))
        if public.poll_public(poll, Audience.PUBLIC)
    ]


def room_polls(session: Session, meeting: Meeting) -> list[Poll]:
    """The polls a phone's meeting page lists (see the module's docstring)."""
    if meeting.status == MeetingStatus.PLANNED:
        return []
    return visible_polls(session, meeting, current_only=True)


def projected_poll(polls: list[Poll]) -> Poll | None:
    """The one poll the projector shows of ``room_polls``: the newest open, else the last."""
    opened = [poll for poll in polls if poll.status == "open"]
    shown = opened or polls
    return shown[-1] if shown else None
