"""Revision 0006 (programmes, lifecycle, plan versions, search) on a database at 0005 with rows:
every row kept, every meeting in the default programme, old ideas searchable at once."""

from __future__ import annotations

import sqlalchemy as sa

from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.meetings import find_meeting
from meetingtui.domain.programmes import DEFAULT_PROGRAMME, find_programme, programme_meeting_ids
from meetingtui.domain.search import IdeaQuery, search_ideas
from meetingtui.store.database import Database, create_database_engine
from tests.store.test_migrations import _populate_at_0003, _upgrade, empty_url  # noqa: F401

PREVIOUS = "0007_screens"  # the revision before this one (renumbered at merge)


def test_0006_keeps_every_row_and_puts_meetings_in_the_default_programme(empty_url) -> None:  # noqa: F811
    data = _populate_at_0003(empty_url)
    engine = create_database_engine(empty_url)
    _upgrade(engine, PREVIOUS)
    with engine.connect() as connection:
        columns = {
            name: [c["name"] for c in sa.inspect(connection).get_columns(name)] for name in data
        }
        before = {
            name: sorted(
                map(tuple, connection.execute(sa.text(f"SELECT * FROM {name}")).all()), key=str
            )
            for name in data
        }
    engine.dispose()

    database = Database.open(empty_url, migrate=True)
    with database.engine.connect() as connection:
        for name in data:
            kept = ", ".join(columns[name])
            rows = connection.execute(sa.text(f"SELECT {kept} FROM {name}")).all()
            assert sorted(map(tuple, rows), key=str) == before[name], name
        new = connection.execute(
            sa.text("SELECT public_status, public_response, reviewer, published_at FROM idea")
        ).all()
    assert set(map(tuple, new)) == {("new", "", "", None)}  # nothing was ever published

    with database.read() as session:
        default = find_programme(session, None)
        assert default.name == DEFAULT_PROGRAMME
        ids = {find_meeting(session, code).id for code in ("eastcode23", "westcode23")}
        assert set(programme_meeting_ids(session, default)) == ids
        assert all(find_meeting(session, c).programme_id == default.id for c in ("eastcode23",))
        # The ideas already there are in the search index.
        found = search_ideas(session, IdeaQuery(text="idea i 10000"))
        assert [(idea.ref, code) for idea, code in found] == [("I-10000", "westcode23")]
    with database.write() as session:
        east = find_meeting(session, "eastcode23")
        capture_idea(session, meeting_id=east.id, data=IdeaInput(title="Brand new café"))
    with database.read() as session:
        assert [i.title for i, _ in search_ideas(session, IdeaQuery(text="cafe"))] == [
            "Brand new café"
        ]
    database.close()


SEARCH_TRIGGERS = {"idea_fts_insert", "idea_fts_update", "idea_fts_delete"}


def test_the_search_index_is_kept_by_triggers_at_head(database, meeting) -> None:
    """A later migration that rebuilds ``idea`` (alembic's batch mode on SQLite) drops its
    triggers with it: this fails until it makes them again (see revision 0006)."""
    with database.write() as session:
        for n in range(3):
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=f"Idea {n}"))
    with database.engine.connect() as connection:
        triggers = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'idea'"
        ).all()
        assert {name for (name,) in triggers} >= SEARCH_TRIGGERS
        mismatched = connection.exec_driver_sql(
            "SELECT count(*) FROM idea LEFT JOIN idea_fts f ON f.rowid = idea.rowid "
            "WHERE f.idea_id IS NULL OR f.idea_id != idea.id OR f.title != idea.title"
        ).scalar()
        assert mismatched == 0
