"""Revision 0012: idea.card_number added and dropped with every row kept, SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

from meetingtui.domain.cards import capture_card_idea, reserve_card_numbers
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.store.database import Database
from tests.domain.test_lifecycle_answers import new_meeting
from tests.store.test_migration_public_plan import _migrate
from tests.store.test_migrations import empty_url  # noqa: F401 - fixture


def _ideas(database: Database) -> list[tuple]:
    with database.engine.connect() as connection:
        return sorted(
            map(tuple, connection.execute(sa.text("SELECT title, channel FROM idea")).all())
        )


def test_card_numbers_migrate_down_and_up_keeping_every_idea(empty_url) -> None:  # noqa: F811
    database = Database.open(empty_url, migrate=True)
    with database.write() as session:
        meeting = new_meeting(session, "East", "Transport", code="eastcode23")
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="spoken"))
        capture_card_idea(
            session, meeting_id=meeting.id, data=IdeaInput(title="from a card"), card_number=7
        )
        # Printed after card 7 was typed in by hand: the print run goes on from it.
        assert reserve_card_numbers(session, 3) == [8, 9, 10]
    before = _ideas(database)
    _migrate(database, "downgrade", "0011_public_plan_link")
    assert _ideas(database) == before
    with database.engine.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("idea")}
        counters = connection.execute(sa.text("SELECT name FROM counter")).scalars().all()
    assert "card_number" not in columns and "card" in counters  # printed numbers stay spent
    _migrate(database, "upgrade", "head")
    assert _ideas(database) == before == [("from a card", "card"), ("spoken", "spoken")]
    with database.engine.connect() as connection:
        numbers = connection.execute(sa.text("SELECT card_number FROM idea")).scalars().all()
    assert numbers == [None, None]  # the number itself goes with the column
    with database.write() as session:
        assert reserve_card_numbers(session, 2) == [11, 12]  # never a number printed before
    database.close()
