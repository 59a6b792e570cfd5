"""Revision 0013 (``meeting.kind``, ``idea.source_id``) down and up on a database with rows,
SQLite and PostgreSQL: every row kept each way, existing meetings are of kind ``meeting``,
existing ideas have no source id, and the search triggers on ``idea`` still work."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from meetingtui.domain import imports, programmes
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.search import IdeaQuery, search_ideas
from meetingtui.store.database import Database
from meetingtui.store.migrate import MIGRATIONS_DIR
from tests.domain.test_lifecycle_answers import new_meeting
from tests.store.test_migrations import empty_url  # noqa: F401 - fixture

PREVIOUS = "0011_public_plan_link"


def _migrate(database: Database, step: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, step)(config, revision)


def _rows(database: Database) -> dict[str, list[tuple]]:
    with database.engine.connect() as connection:
        return {
            table: sorted(
                map(tuple, connection.execute(sa.text(f"SELECT id, title FROM {table}")).all()),
                key=str,
            )
            for table in ("meeting", "idea")
        }


def test_0013_keeps_every_row_down_and_up(empty_url, tmp_path) -> None:  # noqa: F811
    database = Database.open(empty_url, migrate=True)
    with database.write() as session:
        meeting = new_meeting(session, "East", "Transport", code="eastcode23")
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Spoken bus idea"))
    path = tmp_path / "letters.csv"
    path.write_text("title,source_id\nLetter about benches,L-1\n", encoding="utf-8")
    table = imports.read_table(path)
    with database.write() as session:
        target = imports.import_target(
            session, programme=programmes.find_programme(session, "Transport")
        )
        imports.apply_import(session, table, target)
    before = _rows(database)
    assert len(before["meeting"]) == 2 and len(before["idea"]) == 2

    _migrate(database, "downgrade", PREVIOUS)
    assert _rows(database) == before
    with database.engine.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("idea")}
        assert "source_id" not in columns
        # The intake record stays an ordinary meeting, closed: no attendee input.
        statuses = connection.execute(sa.text("SELECT status FROM meeting")).scalars().all()
        assert sorted(statuses) == ["closed", "running"]

    _migrate(database, "upgrade", "head")
    assert _rows(database) == before
    with database.engine.connect() as connection:
        kinds = connection.execute(sa.text("SELECT kind FROM meeting")).scalars().all()
        sources = connection.execute(sa.text("SELECT source_id FROM idea")).scalars().all()
    assert kinds == ["meeting", "meeting"] and sources == ["", ""]
    with database.read() as session:
        found = search_ideas(session, IdeaQuery(text="benches"))
    assert [idea.title for idea, _ in found] == ["Letter about benches"]
    database.close()
