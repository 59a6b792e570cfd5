"""Revision 0017: the themes' tables arrive on a database with ideas and leave again on
downgrade, every idea and its history kept both ways (SQLite and PostgreSQL)."""

from __future__ import annotations

import sqlalchemy as sa

from meetingtui.domain import programmes, themes
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.store.database import Database
from tests.domain.test_lifecycle_answers import new_meeting
from tests.store.test_migration_public_plan import _migrate
from tests.store.test_migrations import empty_url  # noqa: F401 - fixture


def _ideas(database: Database) -> list[tuple]:
    with database.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT ref, title, status FROM idea ORDER BY ref"))
        return [tuple(row) for row in rows]


def test_themes_tables_come_and_go_and_ideas_stay(empty_url) -> None:  # noqa: F811
    database = Database.open(empty_url, migrate=True)
    with database.write() as session:
        meeting = new_meeting(session, "East", "Transport", code="eastcode23")
        ids = [
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=t)).id
            for t in ("Bus shelters", "Café 🚌")
        ]
        programme = programmes.find_programme(session, "Transport")
        theme = themes.add_theme(session, programme=programme, name="Buses")
        themes.assign_ideas(session, theme=theme, idea_ids=ids)
    ideas = _ideas(database)
    _migrate(database, "downgrade", "0011_public_plan_link")
    with database.engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names())
    assert not tables & {"theme", "theme_idea", "theme_decision"}
    assert _ideas(database) == ideas
    _migrate(database, "upgrade", "head")
    assert _ideas(database) == ideas
    with database.write() as session:
        programme = programmes.find_programme(session, "Transport")
        theme = themes.add_theme(session, programme=programme, name="Buses")
        assert themes.assign_ideas(session, theme=theme, idea_ids=ids) == 2
    database.close()
