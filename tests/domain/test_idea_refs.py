"""Idea refs: read aloud (``I-0042``), sorted by number (I-9999 before I-10000), numbered per
meeting (no gaps from other meetings' activity) and unique when venues' databases are combined."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import select

from meetingtui.agenda import load_agenda
from meetingtui.domain import meetings
from meetingtui.domain.ideas import IdeaInput, capture_idea, find_idea, meeting_ideas
from meetingtui.domain.models import AgendaItem, Idea, Meeting
from meetingtui.store.database import Database
from tests.conftest import TOWN_HALL


def _new_meeting(database: Database, code: str) -> Meeting:
    with database.write() as session:
        created = meetings.create_meeting(session, agenda=load_agenda(TOWN_HALL), code=code)
        meetings.start_meeting(session, meeting_id=created.id)
    return created


def _capture(database: Database, meeting: Meeting, title: str) -> Idea:
    with database.write() as session:
        return capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=title))


def test_each_meeting_numbers_its_own_ideas(database, meeting) -> None:
    other = _new_meeting(database, "othercode2")
    refs = [
        _capture(database, meeting, "a").ref,
        _capture(database, other, "b").ref,
        _capture(database, meeting, "c").ref,
        _capture(database, other, "d").ref,
    ]
    assert refs == ["I-0001", "I-0001", "I-0002", "I-0002"]
    with database.read() as session:
        assert find_idea(session, meeting_id=meeting.id, ref="I-0002").title == "c"
        assert find_idea(session, meeting_id=other.id, ref="i-0002").title == "d"


def test_refs_sort_by_number_past_ten_thousand(database, meeting) -> None:
    with database.write() as session:
        session.exec(  # as if 9,998 ideas had been captured already
            sa.update(Meeting).where(Meeting.id == meeting.id).values(idea_seq=9998)
        )
    for title in ("nine nine nine nine", "ten thousand", "ten thousand and one"):
        _capture(database, meeting, title)
    with database.read() as session:
        ideas = meeting_ideas(session, meeting.id)
    assert [i.ref for i in ideas] == ["I-9999", "I-10000", "I-10001"]
    assert [i.seq for i in ideas] == [9999, 10000, 10001]


def _copy_meeting(source: Database, target: Database, meeting_id) -> None:
    """What combining two venues' databases does: every row of a meeting, keys and refs kept."""
    with source.read() as session:
        rows = [
            session.get(Meeting, meeting_id),
            *session.exec(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)),
            *session.exec(select(Idea).where(Idea.meeting_id == meeting_id)),
        ]
        copies = [type(row).model_validate(row.model_dump()) for row in rows]
    with target.write() as session:
        for copy in copies:
            session.add(copy)
            session.flush()


def test_two_venues_databases_combine_without_clashing_refs(tmp_path) -> None:
    north = Database.open(f"sqlite:///{tmp_path / 'north.sqlite3'}", migrate=True)
    south = Database.open(f"sqlite:///{tmp_path / 'south.sqlite3'}", migrate=True)
    at_north, at_south = _new_meeting(north, "northcode2"), _new_meeting(south, "southcode2")
    for n in range(3):
        _capture(north, at_north, f"north {n}")
        _capture(south, at_south, f"south {n}")
    _copy_meeting(south, north, at_south.id)
    with north.read() as session:
        assert [i.ref for i in meeting_ideas(session, at_north.id)] == [
            "I-0001",
            "I-0002",
            "I-0003",
        ]
        assert [i.title for i in meeting_ideas(session, at_south.id)] == [
            "south 0",
            "south 1",
            "south 2",
        ]
        assert find_idea(session, meeting_id=at_south.id, ref="I-0002").title == "south 1"
    # and the copied meeting goes on numbering where it stopped
    assert _capture(north, at_south, "south 3").ref == "I-0004"
    north.close()
    south.close()
