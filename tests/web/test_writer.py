"""Group commit: many posts share one commit, each still answered only after it is on disk, and a
refused post in a batch refuses only itself."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import Session, select

from meetingtui.domain.errors import FieldErrors
from meetingtui.domain.ideas import add_comment
from meetingtui.domain.models import Comment, Meeting
from meetingtui.store.database import Database
from meetingtui.web.writer import GroupCommitWriter
from tests.waiting import eventually
from tests.web.helpers import add_idea


def _comment(meeting: Meeting, ref: str, body: str):  # noqa: ANN202 - a writer job
    def work(session: Session) -> str:
        return add_comment(session, meeting_id=meeting.id, idea_ref=ref, body=body).body

    return work


async def test_batch_commits_the_good_and_refuses_only_the_bad(
    database: Database, meeting: Meeting
) -> None:
    ref = add_idea(database, meeting, "Saturday GP appointments")
    writer = GroupCommitWriter(database)
    bodies = [f"Comment {n}" if n % 5 else "   " for n in range(40)]

    outcomes = await asyncio.gather(
        *(writer.run(_comment(meeting, ref, body)) for body in bodies), return_exceptions=True
    )

    for body, outcome in zip(bodies, outcomes, strict=True):
        if body.strip():
            assert outcome == body
        else:
            assert isinstance(outcome, FieldErrors)
    with database.read() as session:
        stored = sorted(c.body for c in session.exec(select(Comment)))
    assert stored == sorted(body for body in bodies if body.strip())
    assert writer.batches < len(bodies)  # they were grouped
    assert writer.writes == len(bodies)


async def test_a_failed_commit_fails_everyone_in_the_batch(
    database: Database, meeting: Meeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = add_idea(database, meeting, "Saturday GP appointments")
    writer = GroupCommitWriter(database)

    def broken_commit(self: Session) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(Session, "commit", broken_commit)
    outcomes = await asyncio.gather(
        *(writer.run(_comment(meeting, ref, f"c{n}")) for n in range(5)), return_exceptions=True
    )
    monkeypatch.undo()

    assert all(isinstance(outcome, OSError) for outcome in outcomes)
    with database.read() as session:
        assert session.exec(select(Comment)).all() == []


async def test_the_writer_thread_stops_when_idle_and_starts_again(
    database: Database, meeting: Meeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    from meetingtui.web import writer as module

    monkeypatch.setattr(module, "IDLE_SECONDS", 0.05)
    ref = add_idea(database, meeting, "Saturday GP appointments")
    writer = GroupCommitWriter(database)
    assert await writer.run(_comment(meeting, ref, "first")) == "first"
    # It stops by itself once idle.
    await eventually(lambda: writer._thread is None, 10, "the idle writer did not stop")
    assert await writer.run(_comment(meeting, ref, "second")) == "second"


async def test_the_writer_survives_its_own_failure(
    database: Database, meeting: Meeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = add_idea(database, meeting, "Saturday GP appointments")
    writer = GroupCommitWriter(database)

    def broken(self: GroupCommitWriter, batch: list) -> list:
        raise RuntimeError("bug in the writer")

    monkeypatch.setattr(GroupCommitWriter, "_commit", broken)
    with pytest.raises(RuntimeError, match="bug in the writer"):
        await writer.run(_comment(meeting, ref, "lost"))
    monkeypatch.undo()
    assert await writer.run(_comment(meeting, ref, "next")) == "next"  # still writing


# ---------------------------------------------------------------------------- batched comments
# The writer with the attendee web's own comment handler (``pages._comment_many``, which calls
# ``add_comments``): the path every phone's comment takes.


async def _batch_while_blocked(
    writer: GroupCommitWriter, items: list[tuple[str, str]]
) -> list[object]:
    """Queue ``items`` while the writer is busy with something else, so that they are taken
    together (as under load), and return their outcomes."""
    import threading
    from functools import partial

    from meetingtui.web.pages import _comment_many

    started, release = threading.Event(), threading.Event()

    def blocker(session: Session) -> None:
        started.set()
        release.wait(timeout=10)

    blocked = asyncio.ensure_future(writer.run(blocker))
    await asyncio.get_running_loop().run_in_executor(None, started.wait, 10)
    handler = partial(_comment_many, "testcode23")
    pending = [
        asyncio.ensure_future(writer.run_batched(("comments", "testcode23"), item, handler))
        for item in items
    ]
    await asyncio.sleep(0)  # every submission is queued before the writer is released
    release.set()
    await blocked
    return await asyncio.gather(*pending, return_exceptions=True)


async def test_two_comments_to_one_idea_in_one_batch(database: Database, meeting: Meeting) -> None:
    from meetingtui.domain.models import Event, Idea

    ref = add_idea(database, meeting, "Saturday GP appointments")
    writer = GroupCommitWriter(database)
    outcomes = await _batch_while_blocked(writer, [(ref, "First"), (ref.lower(), "Second")])

    assert [o.idea_ref for o in outcomes] == [ref, ref]  # type: ignore[attr-defined]
    assert writer.batches == 2  # the blocker's, then one for both comments
    with database.read() as session:
        comments = session.exec(select(Comment).order_by(Comment.created_at)).all()
        idea = session.exec(select(Idea).where(Idea.ref == ref)).one()
        events = session.exec(select(Event).where(Event.kind == "comment.added")).all()
    assert [c.body for c in comments] == ["First", "Second"]
    assert {c.idea_id for c in comments} == {idea.id}
    assert sorted(e.entity_id for e in events) == sorted(str(c.id) for c in comments)
    assert idea.updated_at == max(c.created_at for c in comments)


async def test_a_full_batch_and_the_rest_after_it(database: Database, meeting: Meeting) -> None:
    ref = add_idea(database, meeting, "Saturday GP appointments")
    writer = GroupCommitWriter(database, max_batch=8)
    items = [(ref, f"Comment {n}" if n != 5 else "   ") for n in range(20)]

    outcomes = await _batch_while_blocked(writer, items)

    assert writer.batches == 1 + 3  # the blocker, then 8 + 8 + 4
    assert isinstance(outcomes[5], FieldErrors)  # refused alone
    assert all(not isinstance(o, Exception) for n, o in enumerate(outcomes) if n != 5)
    with database.read() as session:
        stored = sorted(c.body for c in session.exec(select(Comment)))
    assert stored == sorted(body for _, body in items if body.strip())


async def test_a_batch_to_a_closed_meeting_refuses_every_comment(
    database: Database, meeting: Meeting
) -> None:
    from meetingtui.domain import meetings
    from meetingtui.domain.errors import MeetingClosed

    ref = add_idea(database, meeting, "Saturday GP appointments")
    with database.write() as session:
        meetings.close_meeting(session, meeting_id=meeting.id)
    writer = GroupCommitWriter(database)
    outcomes = await _batch_while_blocked(writer, [(ref, "Late"), (ref, "Later")])
    assert all(isinstance(o, MeetingClosed) for o in outcomes)
    with database.read() as session:
        assert session.exec(select(Comment)).all() == []
