"""Changing the agenda during the meeting: every change is kept and recorded in the feed."""

from __future__ import annotations

import pytest

from meetingtui.domain import meetings
from meetingtui.domain.errors import DomainError, FieldErrors
from meetingtui.domain.feed import events_since


def items_of(database, meeting):
    with database.read() as session:
        return meetings.agenda_items(session, meeting.id)


def test_pause_and_resume_bank_time(database, meeting) -> None:
    with database.write() as session:
        paused = meetings.set_timer_running(session, meeting_id=meeting.id, running=False)
    assert paused.running_since is None
    banked = paused.elapsed_seconds
    with database.write() as session:
        resumed = meetings.set_timer_running(session, meeting_id=meeting.id, running=True)
    assert resumed.running_since is not None and resumed.elapsed_seconds == banked


def test_add_rename_extend_reorder_skip_jump(database, meeting) -> None:
    first = items_of(database, meeting)[0]
    with database.write() as session:
        added = meetings.add_item(
            session, meeting_id=meeting.id, title="Late addition", minutes=5, kind="discussion"
        )
        meetings.rename_item(session, meeting_id=meeting.id, item_id=added.id, title="Q&A")
        meetings.extend_item(session, meeting_id=meeting.id, item_id=first.id, minutes=5)
        meetings.reorder_item(session, meeting_id=meeting.id, item_id=added.id, step=1)
    titles = [i.title for i in items_of(database, meeting)]
    assert titles[:4] == [
        "Welcome and how tonight works",
        "The draft plan in ten minutes",
        "Q&A",
        "Table discussions: what would make the biggest difference?",
    ]
    assert items_of(database, meeting)[0].minutes == 15

    second = items_of(database, meeting)[1]
    with database.write() as session:
        meetings.skip_item(session, meeting_id=meeting.id, item_id=second.id)
        moved = meetings.move_to_item(session, meeting_id=meeting.id, step=1)
    assert moved.title == "Q&A"  # the skipped item is passed over
    with database.write() as session:
        back = meetings.jump_to_item(session, meeting_id=meeting.id, item_id=second.id)
    assert back.status == "active"

    with database.read() as session:
        kinds = [e.kind for e in events_since(session, 0, meeting_id=meeting.id)]
    for kind in (
        "agenda.added",
        "agenda.renamed",
        "agenda.extended",
        "agenda.reordered",
        "agenda.skipped",
        "agenda.moved",
        "agenda.jumped",
    ):
        assert kind in kinds


def test_skipping_the_current_item_moves_on(database, meeting) -> None:
    first = items_of(database, meeting)[0]
    with database.write() as session:
        meetings.skip_item(session, meeting_id=meeting.id, item_id=first.id)
    with database.read() as session:
        current = meetings.find_meeting(session, meeting.code).current_item_id
    assert current == items_of(database, meeting)[1].id
    assert items_of(database, meeting)[0].status == "skipped"


def test_bad_agenda_edits_are_refused(database, meeting) -> None:
    first = items_of(database, meeting)[0]
    with database.write() as session:
        with pytest.raises(FieldErrors):
            meetings.add_item(session, meeting_id=meeting.id, title=" ", minutes=5)
        with pytest.raises(FieldErrors):
            meetings.extend_item(session, meeting_id=meeting.id, item_id=first.id, minutes=-100)
        with pytest.raises(DomainError):
            meetings.reorder_item(session, meeting_id=meeting.id, item_id=first.id, step=-1)


def test_attendance_is_recorded(database, meeting) -> None:
    with database.write() as session:
        assert meetings.set_attendance(session, meeting_id=meeting.id, count=87).attendance == 87
        with pytest.raises(FieldErrors):
            meetings.set_attendance(session, meeting_id=meeting.id, count=-1)


def test_wifi_details_are_checked_and_kept(database, meeting) -> None:
    with database.write() as session:
        stored = meetings.set_wifi(
            session, meeting_id=meeting.id, ssid="Town Hall Guest", password="community2026"
        )
        assert (stored.wifi_ssid, stored.wifi_password) == ("Town Hall Guest", "community2026")
        with pytest.raises(FieldErrors) as caught:
            meetings.set_wifi(session, meeting_id=meeting.id, ssid="x" * 33, password="short")
        assert set(caught.value.errors) == {"wifi_ssid", "wifi_password"}
        cleared = meetings.set_wifi(session, meeting_id=meeting.id, ssid="")
        assert (cleared.wifi_ssid, cleared.wifi_password) == ("", "")
