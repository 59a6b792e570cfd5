"""Revision 0011: the published copy of plan links is backfilled from the ideas' history (a
link published stays public, a draft link does not become public), on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from meetingtui.domain import lifecycle, plans, programmes
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.store.database import Database
from meetingtui.store.migrate import MIGRATIONS_DIR
from tests.domain.test_lifecycle_answers import new_meeting
from tests.store.test_migrations import empty_url  # noqa: F401 - fixture


def _migrate(database: Database, step: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, step)(config, revision)


def test_published_links_are_copied_and_draft_links_are_not(empty_url) -> None:  # noqa: F811
    database = Database.open(empty_url, migrate=True)
    with database.write() as session:
        meeting = new_meeting(session, "East", "Transport", code="eastcode23")
        ids = [
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=t)).id
            for t in ("published", "draft", "published then relinked", "never linked")
        ]
        transport = programmes.find_programme(session, "Transport")
        for name in ("v1", "v2"):
            plans.add_version(session, programme=transport, name=name, title=name)
        plans.link_ideas(session, programme=transport, idea_ids=ids[:3], version="v1", section="2")
        lifecycle.publish_answers(session, idea_ids=[ids[0], ids[2]])
        plans.link_ideas(session, programme=transport, idea_ids=[ids[2]], version="v2")
    _migrate(database, "downgrade", "0010_idea_counts")
    _migrate(database, "upgrade", "head")
    with database.engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT title, plan_version, public_plan_version, public_plan_section FROM idea"
            )
        ).all()
    assert sorted(map(tuple, rows)) == [
        ("draft", "v1", "", ""),
        ("never linked", "", "", ""),
        ("published", "v1", "v1", "2"),
        ("published then relinked", "v2", "v1", "2"),
    ]
    database.close()
