"""Revision 0019: the reach and pairwise tables come and go without touching any other row, on
SQLite and PostgreSQL; the answers' tables keep no insertion order in SQLite."""

from __future__ import annotations

import sqlalchemy as sa

from meetingtui.agenda.loader import load_agenda
from meetingtui.domain import meetings
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.pairwise import record_choice
from meetingtui.domain.reach import record_response
from meetingtui.store.database import Database
from tests.conftest import SAMPLE_AGENDAS, TOWN_HALL
from tests.store.test_migration_public_plan import _migrate
from tests.store.test_migrations import empty_url  # noqa: F401 - fixture

REACH_TABLES = {
    "reach_question",
    "reach_response",
    "reach_name",
    "reach_device",
    "reach_population",
    "pairwise_choice",
}


def _counts(database: Database) -> dict[str, int]:
    with database.engine.connect() as connection:
        return {
            table: connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("meeting", "agenda_item", "idea", "event")
        }


def test_down_and_up_again_keeps_every_other_row(empty_url) -> None:  # noqa: F811
    database = Database.open(empty_url, migrate=True)
    with database.write() as session:
        plain = meetings.create_meeting(session, agenda=load_agenda(TOWN_HALL), code="plain234")
        workshop = meetings.create_meeting(
            session, agenda=load_agenda(SAMPLE_AGENDAS / "community_workshop.toml"), code="work2345"
        )
        refs = [
            capture_idea(session, meeting_id=workshop.id, data=IdeaInput(title=t)).ref
            for t in ("Benches", "Lights")
        ]
        capture_idea(session, meeting_id=plain.id, data=IdeaInput(title="GP evenings"))
        record_response(
            session, meeting_id=workshop.id, answers={"age": "Under 25"}, name="Ana", device="d"
        )
        record_choice(
            session,
            meeting_id=workshop.id,
            device="d",
            left_ref=refs[0],
            right_ref=refs[1],
            chosen_ref=refs[0],
        )
    before = _counts(database)
    _migrate(database, "downgrade", "0011_public_plan_link")
    tables = set(sa.inspect(database.engine).get_table_names())
    assert not REACH_TABLES & tables
    assert _counts(database) == before
    _migrate(database, "upgrade", "head")
    assert set(sa.inspect(database.engine).get_table_names()) >= REACH_TABLES
    assert _counts(database) == before
    with database.write() as session:  # usable again at once
        record_response(session, meeting_id=workshop.id, answers={}, device="d")
    if database.engine.dialect.name == "sqlite":
        with database.engine.connect() as connection:
            for table in ("reach_response", "reach_name", "reach_device"):
                sql = connection.execute(
                    sa.text("SELECT sql FROM sqlite_master WHERE name = :name"), {"name": table}
                ).scalar_one()
                assert "WITHOUT ROWID" in sql.upper(), table
    database.close()
