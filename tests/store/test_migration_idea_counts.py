"""Revision 0010 (stored supports and comments per idea) on a database at 0009 with rows: every
row kept, every idea's counts filled in, and the triggers keeping them from then on."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from meetingtui.domain.ideas import add_comment
from meetingtui.domain.meetings import find_meeting
from meetingtui.domain.models import Idea
from meetingtui.store.database import Database, create_database_engine
from tests.store.test_migrations import T0, _populate_at_0003, _upgrade, empty_url  # noqa: F401

PREVIOUS = "0009_catalogue_speed"


def test_0010_counts_every_ideas_supports_and_comments(empty_url) -> None:  # noqa: F811
    data = _populate_at_0003(empty_url)  # one comment per idea, one support on the first
    ideas = data["idea"]
    engine = create_database_engine(empty_url)
    _upgrade(engine, PREVIOUS)
    with engine.begin() as connection:
        metadata = sa.MetaData()
        metadata.reflect(bind=connection)
        sqlite = connection.dialect.name == "sqlite"

        def key(value: uuid.UUID) -> object:
            return value.hex if sqlite else value

        first, second = ideas[0], ideas[1]
        more = [
            {
                "id": key(uuid.uuid4()),
                "idea_id": key(first["id"]),
                "meeting_id": key(first["meeting_id"]),
                "body": f"more {n}",
                "author": "",
                "channel": "phone",
                "visibility": visibility,
                "created_at": T0,
                "device": "",
            }
            for n, visibility in enumerate(("hidden", "pending", "visible"))
        ]
        connection.execute(sa.insert(metadata.tables["comment"]), more)
        connection.execute(
            sa.insert(metadata.tables["support"]),
            [
                {
                    "id": key(uuid.uuid4()),
                    "idea_id": key(second["id"]),
                    "meeting_id": key(second["meeting_id"]),
                    "device": f"phone-{n}",
                    "created_at": T0,
                }
                for n in range(2)
            ],
        )
        rows_before = {
            name: connection.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar()
            for name in data
        }
        titles_before = sorted(
            connection.execute(sa.text("SELECT id, ref, title FROM idea")).all(), key=str
        )
    engine.dispose()

    database = Database.open(empty_url, migrate=True)
    with database.engine.connect() as connection:
        for name, count in rows_before.items():
            assert connection.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar() == count
        titles = connection.execute(sa.text("SELECT id, ref, title FROM idea")).all()
        assert sorted(titles, key=str) == titles_before
    with database.read() as session:
        counts = {
            idea.ref: (idea.support_count, idea.comment_count, idea.visible_comment_count)
            for idea in session.exec(sa.select(Idea)).scalars()
        }
    assert counts[first["ref"]] == (1, 4, 2)  # its comment, hidden, pending and visible ones
    assert counts[second["ref"]] == (2, 1, 1)
    assert all(counts[idea["ref"]] == (0, 1, 1) for idea in ideas[2:])
    with database.write() as session:  # from now on the triggers keep them
        meeting = find_meeting(session, "eastcode23")
        add_comment(session, meeting_id=meeting.id, idea_ref=first["ref"], body="new")
    with database.read() as session:
        idea = session.get(Idea, first["id"])
        assert idea is not None
        assert (idea.comment_count, idea.visible_comment_count) == (5, 3)
    database.close()
