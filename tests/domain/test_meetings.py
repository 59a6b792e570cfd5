"""Meeting services on a real SQLite file: create, resume, move through the agenda, close."""

from __future__ import annotations

from datetime import timedelta

import pytest

from meetingtui.agenda import load_agenda
from meetingtui.domain import meetings
from meetingtui.domain.errors import DomainError, NotFound
from meetingtui.domain.feed import events_since
from meetingtui.domain.meetings import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from meetingtui.domain.models import AgendaItem, Meeting
from tests.conftest import TOWN_HALL


def test_agenda_file_creates_then_resumes_the_same_meeting(database) -> None:
    agenda = load_agenda(TOWN_HALL)
    with database.write() as session:
        first, created = meetings.open_meeting_for_agenda(session, agenda=agenda)
    with database.write() as session:
        again, created_again = meetings.open_meeting_for_agenda(session, agenda=agenda)
    assert created and not created_again and again.id == first.id
    with database.read() as session:
        items = meetings.agenda_items(session, first.id)
    assert [i.title for i in items] == [i.title for i in agenda.items]


def test_join_codes_are_random_and_unambiguous() -> None:
    codes = {meetings.generate_join_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == JOIN_CODE_LENGTH and set(code) <= set(JOIN_CODE_ALPHABET)
    assert not set("01ilo") & set(JOIN_CODE_ALPHABET)


def test_find_meeting_by_code_or_id(database, meeting) -> None:
    with database.read() as session:
        assert meetings.find_meeting(session, "TESTCODE23").id == meeting.id
        assert meetings.find_meeting(session, str(meeting.id)).code == "testcode23"
        with pytest.raises(NotFound, match="meetingtui meetings"):
            meetings.find_meeting(session, "nope")


def test_moving_through_the_agenda_keeps_times(database, meeting) -> None:
    with database.write() as session:
        second = meetings.move_to_item(session, meeting_id=meeting.id, step=1)
    with database.read() as session:
        stored = session.get(Meeting, meeting.id)
        items = meetings.agenda_items(session, meeting.id)
    assert stored.current_item_id == second.id == items[1].id
    assert items[0].status == "done" and items[0].ended_at is not None
    assert items[0].running_since is None and items[0].elapsed_seconds >= 0
    assert items[1].status == "active" and items[1].running_since is not None

    with database.write() as session:
        back = meetings.move_to_item(session, meeting_id=meeting.id, step=-1)
        with pytest.raises(DomainError, match="first item"):
            meetings.move_to_item(session, meeting_id=meeting.id, step=-1)
    assert back.id == items[0].id
    with database.read() as session:
        kinds = [e.kind for e in events_since(session, 0, meeting_id=meeting.id)]
    assert kinds == ["meeting.created", "meeting.started", "agenda.moved", "agenda.moved"]


def test_timer_banks_elapsed_time_across_runs() -> None:
    item = AgendaItem(meeting_id=None, position=0, title="x", minutes=5, elapsed_seconds=90.0)
    assert meetings.item_elapsed_seconds(item) == 90.0
    from meetingtui.domain.models import utcnow

    now = utcnow()
    item.running_since = now - timedelta(seconds=30)
    assert meetings.item_elapsed_seconds(item, now) == pytest.approx(120.0)


def test_closed_meeting_refuses_changes(database, meeting) -> None:
    with database.write() as session:
        meetings.close_meeting(session, meeting_id=meeting.id)
    with database.read() as session:
        stored = session.get(Meeting, meeting.id)
        assert stored.status == "closed" and stored.closed_at is not None
        assert all(i.status != "active" for i in meetings.agenda_items(session, meeting.id))
    with pytest.raises(DomainError, match="closed"), database.write() as session:
        meetings.move_to_item(session, meeting_id=meeting.id, step=1)
