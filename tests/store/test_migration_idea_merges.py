"""Revision 0015: merges recorded before it (status "merged" set by respond) get their merge
row, read from their history, so they can be unmerged; the downgrade keeps every idea. On
SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

from meetingtui.domain import lifecycle, merging
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.models import Idea
from meetingtui.domain.states import IdeaStatus
from meetingtui.store.database import Database
from tests.domain.test_lifecycle_answers import new_meeting
from tests.store.test_migration_public_plan import _migrate
from tests.store.test_migrations import empty_url  # noqa: F401 - fixture


def test_earlier_merges_can_be_unmerged_after_the_upgrade(empty_url) -> None:  # noqa: F811
    database = Database.open(empty_url, migrate=True)
    with database.write() as session:
        meeting = new_meeting(session, "East", "Transport", code="eastcode23")
        a, b, c = (
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=t)).id
            for t in ("A", "B", "C")
        )
        lifecycle.set_status(session, idea_ids=[a], status=IdeaStatus.ADOPTED)
        lifecycle.set_status(session, idea_ids=[a], status=IdeaStatus.MERGED, merged_into=b)
        merging.split_idea(session, c, [{"title": "C1"}, {"title": "C2"}])
    _migrate(database, "downgrade", "0011_public_plan_link")
    with database.engine.connect() as connection:
        assert not sa.inspect(connection).has_table("idea_merge")
        rows = connection.execute(sa.text("SELECT title, status FROM idea ORDER BY seq")).all()
    assert [tuple(r) for r in rows] == [
        ("A", "merged"),
        ("B", "new"),
        ("C", "new"),
        ("C1", "new"),
        ("C2", "new"),
    ]
    _migrate(database, "upgrade", "head")
    with database.engine.connect() as connection:
        merges = connection.execute(
            sa.text("SELECT before_status, undone_at FROM idea_merge")
        ).all()
    assert [tuple(r) for r in merges] == [("adopted", None)]
    with database.write() as session:
        merging.unmerge(session, a)
    with database.read() as session:
        assert session.get(Idea, a).status == IdeaStatus.ADOPTED
    database.close()
