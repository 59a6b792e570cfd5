"""``add_comments``: many comments in one go store exactly what ``add_comment`` stores, one by
one, and refuse exactly what it refuses."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from meetingtui.domain import meetings
from meetingtui.domain.errors import FieldErrors, MeetingClosed, NotFound
from meetingtui.domain.ideas import (
    AddedComment,
    IdeaInput,
    add_comment,
    add_comments,
    capture_idea,
)
from meetingtui.domain.models import Comment, Event, Idea, Meeting
from meetingtui.domain.snapshot import load_snapshot


def _ideas(database, meeting, *titles: str) -> list[str]:
    with database.write() as session:
        return [
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=title)).ref
            for title in titles
        ]


def test_batch_stores_what_one_by_one_stores(database, meeting) -> None:
    first, second = _ideas(database, meeting, "Saturday GP", "Free parking")
    with database.write() as session:
        single = add_comment(
            session, meeting_id=meeting.id, idea_ref=first, body="  One\r\nby one ", channel="phone"
        )
        before = session.get(Idea, single.idea_id).updated_at
    with database.write() as session:
        results = add_comments(
            session,
            meeting_id=meeting.id,
            requests=[(first, "  In a\r\nbatch "), (second.lower(), "Second idea")],
        )
    assert [type(r) for r in results] == [AddedComment, AddedComment]
    assert [r.idea_ref for r in results] == [first, second]  # type: ignore[union-attr]

    with database.read() as session:
        stored = {c.body: c for c in session.exec(select(Comment))}
        events = list(session.exec(select(Event).where(Event.kind == "comment.added")))
        idea = session.exec(select(Idea).where(Idea.ref == first)).one()
        snapshot = load_snapshot(session, meeting.id)
    one, batch = stored["One\nby one"], stored["In a\nbatch"]
    for name in ("idea_id", "meeting_id", "author", "channel", "visibility"):
        assert getattr(one, name) == getattr(batch, name), name
    assert batch.created_at.tzinfo is not None and batch.created_at >= one.created_at
    assert idea.updated_at > before
    assert [(e.entity, json.loads(e.detail)) for e in events] == [
        ("comment", {"idea": first}),
        ("comment", {"idea": first}),
        ("comment", {"idea": second}),
    ]
    assert {e.entity_id for e in events} == {str(c.id) for c in stored.values()}
    assert [c.body for c in snapshot.comments[idea.id]] == ["One\nby one", "In a\nbatch"]


def test_each_refusal_is_its_own(database, meeting) -> None:
    (ref,) = _ideas(database, meeting, "Saturday GP")
    with database.write() as session:
        results = add_comments(
            session,
            meeting_id=meeting.id,
            requests=[(ref, "Fine"), (ref, "   "), ("I-9999", "Lost"), (ref, "x" * 1001)],
        )
    assert isinstance(results[0], AddedComment)
    assert isinstance(results[1], FieldErrors) and results[1].errors == {
        "body": "Enter your comment"
    }
    assert isinstance(results[2], NotFound)
    assert isinstance(results[3], FieldErrors) and "1,000 characters" in results[3].errors["body"]
    with database.read() as session:
        assert [c.body for c in session.exec(select(Comment))] == ["Fine"]


def test_public_batch_respects_moderation(database, meeting: Meeting) -> None:
    with database.write() as session:
        session.get(Meeting, meeting.id).moderation = "pre"
        pending = capture_idea(
            session, meeting_id=meeting.id, data=IdeaInput(title="Waiting"), from_public=True
        ).ref
        visible = capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Open")).ref
    with database.write() as session:
        results = add_comments(
            session,
            meeting_id=meeting.id,
            requests=[(pending, "Hidden idea"), (visible, "Checked first")],
            from_public=True,
        )
    assert isinstance(results[0], NotFound)
    assert isinstance(results[1], AddedComment) and results[1].visibility == "pending"


def test_closed_meeting_refuses_the_whole_batch(database, meeting) -> None:
    (ref,) = _ideas(database, meeting, "Saturday GP")
    with database.write() as session:
        meetings.close_meeting(session, meeting_id=meeting.id)
    with database.write() as session, pytest.raises(MeetingClosed):
        add_comments(session, meeting_id=meeting.id, requests=[(ref, "Too late")], from_public=True)
