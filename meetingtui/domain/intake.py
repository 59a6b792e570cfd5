"""Each programme's intake record: the ideas that reached it outside any meeting.

An idea always belongs to a meeting (``Idea.meeting_id``), and the catalogue finds a
programme's ideas through its meetings. Ideas that came by email, letter or an online form
(``import ideas --programme``) belong to the programme's *intake record*: a ``Meeting`` row of
kind ``intake``, made the first time it is needed, titled "Received outside meetings". It is
never held: no agenda, no join page (the phone web answers as for an unknown code), no QR code,
never run or served; its status is ``closed`` so that even a database downgraded past revision
0013 (where it is an ordinary meeting) refuses attendee input. Its ideas are in the catalogue,
the published site and the reports like every other idea.
"""

from __future__ import annotations

import json

from sqlmodel import Session, col, select

from meetingtui.domain.errors import DomainError
from meetingtui.domain.feed import record_event
from meetingtui.domain.meetings import generate_join_code, meeting_topics
from meetingtui.domain.models import Meeting, Programme
from meetingtui.domain.programmes import DEFAULT_PROGRAMME
from meetingtui.domain.states import MeetingKind, MeetingStatus

INTAKE_TITLE = "Received outside meetings"
# Join codes never contain "-": an intake code cannot be taken for one, nor collide with one.
INTAKE_CODE_PREFIX = "intake-"


INTAKE_NOT_RUN = (
    "it is the record of the ideas its programme received outside meetings (by email, letter "
    "or online), not a meeting; its ideas are in `meetingtui ideas` and the catalogue."
)


def is_intake_code(text: str) -> bool:
    """Whether a typed meeting code is an intake record's (no join code has a hyphen)."""
    return text.strip().lower().startswith(INTAKE_CODE_PREFIX)


class NotAMeeting(DomainError):
    """An intake record named where a held meeting is needed (run, serve, the phone page)."""


def is_intake(meeting: Meeting) -> bool:
    return meeting.kind == MeetingKind.INTAKE


def require_held_meeting(meeting: Meeting, *, action: str) -> Meeting:
    """The meeting, unless it is an intake record: NotAMeeting saying what it is instead."""
    if is_intake(meeting):
        raise NotAMeeting(f"{meeting.code} cannot be {action}: {INTAKE_NOT_RUN}")
    return meeting


def _programme_condition(programme: Programme):  # noqa: ANN202 - a SQL condition
    condition = col(Meeting.programme_id) == programme.id
    if programme.name == DEFAULT_PROGRAMME:
        condition = condition | col(Meeting.programme_id).is_(None)
    return condition


def _intake_code() -> str:
    """``intake-`` and five random letters: 12 characters, as long as a join code and a list's
    column; one per programme, so five are plenty (a clash is looked for all the same)."""
    return INTAKE_CODE_PREFIX + generate_join_code()[:5]


def intake_title(programme: Programme) -> str:
    """ "Received outside meetings", with the programme's name beside it unless it is the
    default one (so that lists of every meeting tell them apart)."""
    if programme.name == DEFAULT_PROGRAMME:
        return INTAKE_TITLE
    return f"{INTAKE_TITLE} ({programme.name})"[:200]


def find_intake(session: Session, programme: Programme) -> Meeting | None:
    """The programme's intake record, if it has one yet."""
    query = select(Meeting).where(
        _programme_condition(programme), Meeting.kind == MeetingKind.INTAKE
    )
    return session.exec(query.order_by(col(Meeting.created_at))).first()


def programme_topics(session: Session, programme: Programme) -> list[str]:
    """Every topic the programme's meetings declare, in the order first met (meetings by date):
    the topics an idea received outside meetings may take."""
    query = select(Meeting).where(_programme_condition(programme))
    seen: dict[str, None] = {}
    for meeting in session.exec(query.order_by(col(Meeting.date), col(Meeting.created_at))):
        for topic in meeting_topics(meeting):
            seen.setdefault(topic, None)
    return list(seen)


def intake_timezone(session: Session, programme: Programme) -> str:
    """The programme's latest meeting's timezone (times on a letter are local), else UTC."""
    query = (
        select(Meeting.timezone)
        .where(_programme_condition(programme), Meeting.kind == MeetingKind.MEETING)
        .order_by(col(Meeting.date).desc(), col(Meeting.created_at).desc())
    )
    return session.exec(query).first() or "UTC"


def intake_record(session: Session, programme: Programme, *, actor: str = "") -> Meeting:
    """The programme's intake record, made the first time (in the caller's transaction), with
    the programme's topics as they stand now."""
    found = find_intake(session, programme)
    topics = programme_topics(session, programme)
    if found is not None:
        if set(topics) - set(meeting_topics(found)):
            merged = list(dict.fromkeys([*meeting_topics(found), *topics]))
            found.topics = json.dumps(merged, ensure_ascii=False)
            session.flush()
        return found
    code = _intake_code()
    while session.exec(select(Meeting.id).where(Meeting.code == code)).first() is not None:
        code = _intake_code()
    meeting = Meeting(
        code=code,
        title=intake_title(programme),
        kind=MeetingKind.INTAKE,
        status=MeetingStatus.CLOSED,
        topics=json.dumps(topics, ensure_ascii=False),
        timezone=intake_timezone(session, programme),
        programme_id=programme.id,
    )
    session.add(meeting)
    session.flush()
    record_event(
        session,
        kind="meeting.created",
        meeting_id=meeting.id,
        entity="meeting",
        entity_id=meeting.id,
        actor=actor,
        detail={"title": meeting.title, "kind": MeetingKind.INTAKE.value},
    )
    return meeting


def meeting_state(meeting: Meeting) -> str:
    """What a list of meetings says of one: its status, or ``intake`` for an intake record."""
    return MeetingKind.INTAKE.value if is_intake(meeting) else meeting.status
