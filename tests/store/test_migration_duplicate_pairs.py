"""Revision 0016: the dismissed-pairs table comes and goes without touching any other row, on
SQLite and PostgreSQL; a dismissal made before a downgrade is gone after it, every idea kept."""

from __future__ import annotations

import sqlalchemy as sa

from meetingtui.domain import duplicates
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.store.database import Database
from tests.domain.test_lifecycle_answers import new_meeting
from tests.store.test_migration_public_plan import _migrate


def _count(database: Database, table: str) -> int:
    with database.engine.connect() as connection:
        return connection.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()


def test_upgrade_and_downgrade_keep_every_idea(any_database) -> None:
    database = any_database
    with database.write() as session:
        meeting = new_meeting(session, "East", "Transport", code="eastcode23")
        a, b = (
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=t)).id
            for t in ("Café at the station", "cafe at the station")
        )
        duplicates.dismiss_pairs(session, [(a, b)], actor="Priya", reason="Two cafés")
    ideas, events = _count(database, "idea"), _count(database, "event")
    _migrate(database, "downgrade", "0011_public_plan_link")
    assert "duplicate_dismissal" not in sa.inspect(database.engine).get_table_names()
    assert (_count(database, "idea"), _count(database, "event")) == (ideas, events)
    _migrate(database, "upgrade", "head")
    assert _count(database, "duplicate_dismissal") == 0
    with database.write() as session:
        assert duplicates.dismiss_pairs(session, [(b, a)], actor="Tom") == 1
    assert _count(database, "idea") == ideas
