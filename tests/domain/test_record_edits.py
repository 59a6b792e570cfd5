"""Notes, decisions and actions can be corrected: only the fields changed are written."""

from __future__ import annotations

import pytest
from sqlmodel import select

from meetingtui.domain.errors import FieldErrors
from meetingtui.domain.feed import events_since
from meetingtui.domain.records import add_record, update_record


def test_a_partial_edit_keeps_every_other_field(database, meeting):
    with database.write() as session:
        record = add_record(
            session,
            meeting_id=meeting.id,
            kind="action",
            text="Bus survey",
            owner="Ann",
            due="2027-01-31",
        )
        record_id = record.id
    with database.write() as session:
        changed = update_record(
            session, meeting_id=meeting.id, record_id=record_id, changes={"text": "Bus survey <b>"}
        )
        assert (changed.kind, changed.text, changed.owner, changed.due) == (
            "action",
            "Bus survey <b>",
            "Ann",
            "2027-01-31",
        )
        kinds = [e.kind for e in events_since(session, 0, meeting_id=meeting.id, limit=100)]
    assert kinds[-1] == "record.edited"


def test_only_changed_fields_are_checked_and_a_bad_date_is_refused(database, meeting):
    with database.write() as session:
        record_id = add_record(session, meeting_id=meeting.id, kind="note", text="Room full").id
    with database.write() as session, pytest.raises(FieldErrors) as refused:
        update_record(session, meeting_id=meeting.id, record_id=record_id, changes={"due": "soon"})
    assert set(refused.value.errors) == {"due"}
    with database.write() as session:
        before = len(events_since(session, 0, meeting_id=meeting.id, limit=100))
        update_record(
            session, meeting_id=meeting.id, record_id=record_id, changes={"text": "Room full"}
        )
        assert len(events_since(session, 0, meeting_id=meeting.id, limit=100)) == before


def test_two_consoles_changing_the_same_record_text(database, meeting, tmp_path):
    """The second save names theirs and writes nothing; other fields merge; a save against
    what is stored now goes through."""
    from meetingtui.domain.models import ItemRecord
    from meetingtui.domain.records import RecordConflict
    from meetingtui.session import MeetingSession
    from meetingtui.store.database import Database

    other = Database.open(f"sqlite:///{tmp_path / 'meeting.sqlite3'}", migrate=False)
    one = MeetingSession(database, meeting.id, operator="Priya", draft_owner="a")
    two = MeetingSession(other, meeting.id, operator="Tom", draft_owner="b")
    one.add_record(kind="action", text="Bus survey", owner="Ann", due="", item_id=None)
    with database.read() as session:
        record = session.exec(select(ItemRecord)).one()
    loaded = {"kind": "action", "text": "Bus survey", "owner": "Ann", "due": ""}

    one.update_record(record.id, {"text": "Bus survey, estate"}, base=loaded)
    two.update_record(record.id, {"owner": "Ann and Bo"}, base=loaded)  # merges
    with pytest.raises(RecordConflict, match="Bus survey, estate"):
        two.update_record(record.id, {"text": "Bus and tram survey"}, base=loaded)
    with database.read() as session:
        stored = session.get(ItemRecord, record.id)
        assert (stored.text, stored.owner) == ("Bus survey, estate", "Ann and Bo")
    two.update_record(record.id, {"text": "Bus and tram survey"}, base={"text": stored.text})
    with database.read() as session:
        assert session.get(ItemRecord, record.id).text == "Bus and tram survey"
