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
    await asyncio.sleep(0.3)
    assert writer._thread is None
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
