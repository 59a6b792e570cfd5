"""Ideas and comments: the standard form validated alike for every channel, refs sequential."""

from __future__ import annotations

import threading

import pytest

from meetingtui.domain import meetings
from meetingtui.domain.errors import FieldErrors, MeetingClosed, NotFound
from meetingtui.domain.ideas import IdeaInput, add_comment, capture_idea, idea_list, meeting_ideas
from meetingtui.domain.models import Idea
from meetingtui.domain.snapshot import load_snapshot
from meetingtui.store.database import Database


def capture(database, meeting, **fields) -> Idea:
    with database.write() as session:
        return capture_idea(
            session, meeting_id=meeting.id, data=IdeaInput(**fields), captured_by="note-taker"
        )


def test_capture_fills_the_form_and_cleans_text(database, meeting) -> None:
    idea = capture(
        database,
        meeting,
        title="  Evening   GP\x00 appointments ",
        detail="Line one\r\nLine two",
        stakeholder="carer",
        topic="GP and primary care access",
        tags=["access", " "],
        benefits=["access", "equity"],
    )
    assert idea.ref == "I-0001"
    assert idea.title == "Evening GP appointments"
    assert idea.detail == "Line one\nLine two"
    assert idea_list(idea.tags) == ["access"] and idea_list(idea.benefits) == ["access", "equity"]
    assert idea.agenda_item_id == meeting.current_item_id
    assert idea.captured_by == "note-taker" and idea.status == "new"
    assert idea.visibility == "visible" and idea.captured_at.tzinfo is not None


def test_refused_fields_get_plain_messages(database, meeting) -> None:
    with pytest.raises(FieldErrors) as caught:
        capture(
            database,
            meeting,
            title="   ",
            detail="x" * 4001,
            stakeholder="alien",
            topic="Not a topic",
            scale="huge",
            benefits=["speed"],
        )
    assert caught.value.errors == {
        "title": "Enter a title for your idea",
        "detail": "Detail must be 4,000 characters or fewer (it has 4,001)",
        "stakeholder": "Choose a group from the list",
        "topic": "Choose a topic from the list",
        "scale": "Choose quick win or major change",
        "benefits": "Choose benefits from the list",
    }
    with database.read() as session:
        assert meeting_ideas(session, meeting.id) == []


def test_title_limit_is_120_characters(database, meeting) -> None:
    assert capture(database, meeting, title="t" * 120).title == "t" * 120
    with pytest.raises(FieldErrors, match="120 characters or fewer"):
        capture(database, meeting, title="t" * 121)


def test_refs_are_sequential_and_unique_across_writers(tmp_path, meeting, database) -> None:
    second = Database.open(database.url, migrate=True)  # a second "process" on the same file
    errors: list[BaseException] = []

    def capture_many(db: Database) -> None:
        try:
            for n in range(15):
                capture(db, meeting, title=f"idea {n}")
        except BaseException as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=capture_many, args=(db,)) for db in (database, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with database.read() as session:
        refs = [i.ref for i in meeting_ideas(session, meeting.id)]
    assert refs == [f"I-{n:04d}" for n in range(1, 31)]
    second.close()


def test_comments_attach_to_ideas_and_are_bounded(database, meeting) -> None:
    capture(database, meeting, title="More benches")
    with database.write() as session:
        add_comment(
            session, meeting_id=meeting.id, idea_ref="i-0001", body=" Yes, please ", author="Ana"
        )
        with pytest.raises(FieldErrors) as caught:
            add_comment(session, meeting_id=meeting.id, idea_ref="I-0001", body="x" * 1001)
        assert "1,000 characters or fewer" in caught.value.errors["body"]
        with pytest.raises(FieldErrors):
            add_comment(session, meeting_id=meeting.id, idea_ref="I-0001", body=" \n ")
        with pytest.raises(NotFound):
            add_comment(session, meeting_id=meeting.id, idea_ref="I-9999", body="hi")
    with database.read() as session:
        snapshot = load_snapshot(session, meeting.id)
    [idea] = snapshot.ideas
    assert [c.body for c in snapshot.comments[idea.id]] == ["Yes, please"]


def test_pre_moderated_public_input_waits(database, meeting) -> None:
    with database.write() as session:
        stored = meetings.find_meeting(session, meeting.code)
        stored.moderation = "pre"
    with database.write() as session:
        public = capture_idea(
            session, meeting_id=meeting.id, data=IdeaInput(title="From phone"), from_public=True
        )
        spoken = capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Spoken"))
    assert public.visibility == "pending" and spoken.visibility == "visible"
    with database.read() as session:
        assert [i.title for i in meeting_ideas(session, meeting.id)] == ["Spoken"]


def test_closed_meeting_takes_no_attendee_input_but_organisers_keep_working(
    database, meeting
) -> None:
    capture(database, meeting, title="Before close")
    with database.write() as session:
        meetings.close_meeting(session, meeting_id=meeting.id)
    with pytest.raises(MeetingClosed), database.write() as session:
        capture_idea(
            session, meeting_id=meeting.id, data=IdeaInput(title="Phone"), from_public=True
        )
    with pytest.raises(MeetingClosed), database.write() as session:
        add_comment(
            session, meeting_id=meeting.id, idea_ref="I-0001", body="late", from_public=True
        )
    # A written card entered after the meeting, and a comment from an email.
    card = capture(database, meeting, title="Written card", channel="card")
    with database.write() as session:
        add_comment(session, meeting_id=meeting.id, idea_ref="I-0001", body="by email")
    assert card.ref == "I-0002"
