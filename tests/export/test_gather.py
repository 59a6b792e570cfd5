"""The gather step read from a real database (``build_minutes``) says exactly what the same
meeting says when gathered from loaded rows (``minutes_from_snapshot``): the golden files hold
for it byte for byte, on SQLite and PostgreSQL, with input the public must not see stored
alongside, and local times stay right across a daylight-saving change."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from meetingtui.domain.models import AgendaItem, Comment, Idea, ItemRecord, Meeting, Support
from meetingtui.domain.public import Audience
from meetingtui.domain.snapshot import load_record
from meetingtui.export import FORMATS, render_minutes
from meetingtui.export.minutes import build_minutes, minutes_from_snapshot
from meetingtui.store.database import Database
from tests.export.fixture_meeting import NOW, T0, fixture_snapshot
from tests.export.test_formats import GOLDEN, TEXT_FORMATS, _docx_text


@pytest.fixture
def store(any_database: Database) -> Database:
    """On SQLite and on PostgreSQL (tests/conftest.py)."""
    return any_database


def _seed_fixture(database: Database) -> uuid.UUID:
    """The golden-file meeting stored as rows, with what the public never sees beside it."""
    snapshot = fixture_snapshot()
    meeting = snapshot.meeting
    with database.write() as session:
        session.add(meeting)
        session.flush()
        session.add_all(snapshot.items)
        session.flush()
        session.add_all(snapshot.ideas)
        session.flush()
        session.add_all([c for rows in snapshot.comments.values() for c in rows])
        session.add_all(snapshot.records)
        session.add_all(snapshot.speakers)
        session.flush()
        for idea_id, count in snapshot.supports.items():
            session.add_all(
                Support(idea_id=idea_id, meeting_id=meeting.id, device=f"d{n}")
                for n in range(count)
            )
        hidden = Idea(
            ref="I-0003", seq=3, meeting_id=meeting.id, title="HIDDEN", visibility="hidden"
        )
        pending = Idea(
            ref="I-0004", seq=4, meeting_id=meeting.id, title="PENDING", visibility="pending"
        )
        deleted = Idea(ref="I-0005", seq=5, meeting_id=meeting.id, title="DELETED", deleted_at=T0)
        session.add_all([hidden, pending, deleted])
        session.flush()
        for idea in (hidden, pending, deleted):
            session.add(Comment(idea_id=idea.id, meeting_id=meeting.id, body="ON-UNSEEN"))
            session.add(Support(idea_id=idea.id, meeting_id=meeting.id, device="d-unseen"))
        shown = snapshot.ideas[0].id
        session.add(
            Comment(idea_id=shown, meeting_id=meeting.id, body="HIDDEN-C", visibility="hidden")
        )
        session.add(
            Comment(idea_id=shown, meeting_id=meeting.id, body="PENDING-C", visibility="pending")
        )
        session.add(
            ItemRecord(
                meeting_id=meeting.id,
                agenda_item_id=snapshot.items[1].id,
                kind="decision",
                text="DELETED-RECORD",
                deleted_at=T0,
            )
        )
        other = Meeting(code="othermtg22", title="Another meeting")
        session.add(other)
        session.flush()
        session.add(Idea(ref="I-0001", seq=1, meeting_id=other.id, title="OTHER-MEETING"))
    return meeting.id


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_build_minutes_matches_the_golden_files(store, fmt: str) -> None:
    meeting_id = _seed_fixture(store)
    with store.read() as session:
        minutes = build_minutes(session, meeting_id, now=NOW)
    golden = GOLDEN / f"minutes{FORMATS[fmt].suffix}"
    assert render_minutes(minutes, fmt) == golden.read_bytes().decode("utf-8")


def test_build_minutes_docx_matches_the_loaded_rows(store) -> None:
    meeting_id = _seed_fixture(store)
    with store.read() as session:
        built = build_minutes(session, meeting_id, now=NOW)
    loaded = minutes_from_snapshot(fixture_snapshot(), now=NOW)
    assert _docx_text(render_minutes(built, "docx")) == _docx_text(render_minutes(loaded, "docx"))


@pytest.mark.parametrize("audience", list(Audience))
def test_build_minutes_equals_the_snapshot_gather(store, audience: Audience) -> None:
    meeting_id = _seed_fixture(store)
    with store.read() as session:
        built = build_minutes(session, meeting_id, now=NOW, audience=audience)
        loaded = minutes_from_snapshot(
            load_record(session, meeting_id, Audience.PUBLIC), now=NOW, audience=audience
        )
    assert built == loaded
    assert built == minutes_from_snapshot(fixture_snapshot(), now=NOW, audience=audience)


def test_local_times_across_a_daylight_saving_change(store) -> None:
    """New York moves its clocks on 2026-03-08 at 07:00 UTC: times either side keep their own
    offset (-05:00, then -04:00) in every entry."""
    change = datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    with store.write() as session:
        meeting = Meeting(
            code="dstmeet234",
            title="Across the change",
            timezone="America/New_York",
            started_at=change - timedelta(hours=2),
            closed_at=change + timedelta(hours=2),
        )
        session.add(meeting)
        session.flush()
        item = AgendaItem(
            meeting_id=meeting.id,
            position=0,
            title="Only item",
            minutes=240,
            status="done",
            started_at=change - timedelta(hours=2),
            ended_at=change + timedelta(hours=2),
        )
        session.add(item)
        session.flush()
        ideas = []
        for n in range(-6, 7):
            at = change + timedelta(minutes=20 * n, seconds=n % 3)
            idea = Idea(
                ref=f"I-{n + 7:04d}",
                seq=n + 7,
                meeting_id=meeting.id,
                agenda_item_id=item.id if n % 2 else None,
                title=f"Idea {n}",
                captured_at=at,
            )
            ideas.append(idea)
        session.add_all(ideas)
        session.flush()
        for n, idea in enumerate(ideas):
            for k in range(3):
                at = idea.captured_at + timedelta(minutes=7 * k, microseconds=n)
                session.add(
                    Comment(idea_id=idea.id, meeting_id=meeting.id, body="c", created_at=at)
                )
        meeting_id = meeting.id
    with store.read() as session:
        built = build_minutes(session, meeting_id, now=change)
        loaded = minutes_from_snapshot(
            load_record(session, meeting_id, Audience.PUBLIC), now=change
        )
    assert built == loaded
    stamps = [idea.captured_at for idea in built.all_ideas]
    assert any(s.endswith("-05:00") for s in stamps) and any(s.endswith("-04:00") for s in stamps)
    assert "2026-03-08T01:40:02-05:00" in stamps and "2026-03-08T03:00:00-04:00" in stamps
