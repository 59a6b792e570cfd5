"""Migrations: an old database is upgraded on open without losing a row, on SQLite and
PostgreSQL, and the models never drift from what the migrations create."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import meetingtui.domain.models  # noqa: F401 - registers the tables
from meetingtui.domain.ideas import IdeaInput, capture_idea, find_idea, meeting_ideas
from meetingtui.domain.meetings import find_meeting
from meetingtui.store.database import Database, create_database_engine
from meetingtui.store.migrate import HEAD_REVISION, MIGRATIONS_DIR, modelled

T0 = datetime(2026, 1, 1, 10, 0, 0)


def _upgrade(engine: sa.Engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'old.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def _meeting_row(code: str, title: str) -> dict[str, object]:
    return {
        "id": uuid.uuid4(),
        "code": code,
        "title": title,
        "date": "",
        "start": "",
        "timezone": "UTC",
        "location": "",
        "facilitator": "",
        "topics": "[]",
        "moderation": "post",
        "language": "en",
        "status": "running",
        "created_at": T0,
        "wifi_ssid": "",
        "wifi_password": "",
    }


def _idea_row(meeting_id, ref: str, n: int) -> dict[str, object]:
    empty = dict.fromkeys(
        ("detail", "raised_by", "organisation", "stakeholder", "topic", "scale", "affects"), ""
    )
    return {
        **empty,
        "id": uuid.uuid4(),
        "ref": ref,
        "meeting_id": meeting_id,
        "title": f"Idea {ref}",
        "publish_name": False,
        "channel": "spoken",
        "tags": "[]",
        "benefits": "[]",
        "captured_by": "clerk",
        "captured_at": T0 + timedelta(minutes=n),
        "status": "new",
        "status_reason": "",
        "response": "",
        "plan_version": "",
        "visibility": "visible",
        "updated_at": T0 + timedelta(minutes=n),
    }


def _populate_at_0003(url: str) -> dict[str, list[dict[str, object]]]:
    """A database as version 0003 left it: two meetings whose ideas were numbered by one
    database-wide counter (so they interleave), one of them past I-9999, with comments,
    supports, events, a setting and the counter row."""
    engine = create_database_engine(url)
    _upgrade(engine, "0003_settings")
    east, west = _meeting_row("eastcode23", "East"), _meeting_row("westcode23", "West")
    refs = [("I-0001", east), ("I-0002", west), ("I-0003", east), ("I-9999", west)]
    refs += [("I-10000", west), ("I-10001", east)]
    ideas = [_idea_row(m["id"], ref, n) for n, (ref, m) in enumerate(refs)]
    comments = [
        {
            "id": uuid.uuid4(),
            "idea_id": idea["id"],
            "meeting_id": idea["meeting_id"],
            "body": f"comment on {idea['ref']}",
            "author": "",
            "channel": "phone",
            "visibility": "visible",
            "created_at": T0,
        }
        for idea in ideas
    ]
    supports = [
        {
            "id": uuid.uuid4(),
            "idea_id": ideas[0]["id"],
            "meeting_id": east["id"],
            "device": "phone-1",
            "created_at": T0,
        }
    ]
    events = [
        {
            "at": T0,
            "meeting_id": idea["meeting_id"],
            "kind": "idea.captured",
            "entity": "idea",
            "entity_id": str(idea["id"]),
            "actor": "clerk",
            "detail": "{}",
        }
        for idea in ideas
    ]
    data = {
        "meeting": [east, west],
        "idea": ideas,
        "comment": comments,
        "support": supports,
        "event": events,
        "counter": [{"name": "idea", "value": 10001}],
        "setting": [{"name": "web.signing_secret", "value": "s" * 64, "created_at": T0}],
    }
    metadata = sa.MetaData()
    with engine.begin() as connection:
        metadata.reflect(bind=connection)
        sqlite = connection.dialect.name == "sqlite"  # reflected there as CHAR(32): store hex
        for name, rows in data.items():
            stored = [
                {k: v.hex if sqlite and isinstance(v, uuid.UUID) else v for k, v in row.items()}
                for row in rows
            ]
            connection.execute(sa.insert(metadata.tables[name]), stored)
    engine.dispose()
    return data


def test_an_old_database_is_upgraded_keeping_every_row_and_every_ref(empty_url) -> None:
    data = _populate_at_0003(empty_url)
    before = create_database_engine(empty_url)
    with before.connect() as connection:
        old_columns = {
            name: [c["name"] for c in sa.inspect(connection).get_columns(name)] for name in data
        }
        old_rows = {
            name: sorted(
                map(tuple, connection.execute(sa.text(f"SELECT * FROM {name}")).all()), key=str
            )
            for name in data
        }
    before.dispose()

    database = Database.open(empty_url, migrate=True)
    with database.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == (
            HEAD_REVISION
        )
        for name in data:  # the same rows and values, plus the new columns
            kept = ", ".join(old_columns[name])
            rows = connection.execute(sa.text(f"SELECT {kept} FROM {name}")).all()
            assert sorted(map(tuple, rows), key=str) == old_rows[name], name
        # Meetings made before 0006 have no agenda hash: nobody can tell if their file changed.
        hashes = connection.execute(sa.text("SELECT agenda_hash FROM meeting")).scalars().all()
        assert hashes and set(hashes) == {""}
        for name in ("idea", "comment"):  # 0007: nobody's device for rows written before
            if name in data:
                devices = connection.execute(sa.text(f"SELECT DISTINCT device FROM {name}"))
                assert [d for (d,) in devices] == [""], name

    with database.read() as session:
        east, west = find_meeting(session, "eastcode23"), find_meeting(session, "westcode23")
        assert [(i.ref, i.seq) for i in meeting_ideas(session, east.id)] == [
            ("I-0001", 1),
            ("I-0003", 3),
            ("I-10001", 10001),
        ]
        assert [i.ref for i in meeting_ideas(session, west.id)] == ["I-0002", "I-9999", "I-10000"]
        for idea in data["idea"]:  # every old ref still finds the same idea
            meeting_id = idea["meeting_id"]
            assert find_idea(session, meeting_id=meeting_id, ref=idea["ref"]).id == idea["id"]
        assert (east.idea_seq, west.idea_seq) == (10001, 10000)
    with database.write() as session:
        assert capture_idea(session, meeting_id=east.id, data=IdeaInput(title="n")).ref == "I-10002"
        assert capture_idea(session, meeting_id=west.id, data=IdeaInput(title="n")).ref == "I-10001"
    database.close()


def test_models_match_the_migrated_schema(empty_url) -> None:
    engine = create_database_engine(empty_url)
    _upgrade(engine, "head")
    with engine.connect() as connection:
        opts = {"compare_type": False, "include_name": modelled}
        context = MigrationContext.configure(connection, opts=opts)
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []
    engine.dispose()


PUBLIC_INDEX = "ix_idea_meeting_public"


def test_an_upgraded_database_has_the_public_ideas_index(empty_url) -> None:
    """0005 adds the index behind the public idea counts, and keeps every idea."""
    data = _populate_at_0003(empty_url)
    database = Database.open(empty_url, migrate=True)
    with database.engine.connect() as connection:
        indexes = {i["name"]: i for i in sa.inspect(connection).get_indexes("idea")}
        assert indexes[PUBLIC_INDEX]["column_names"] == [
            "meeting_id",
            "visibility",
            "deleted_at",
            "seq",
        ]
        count = connection.execute(sa.text("SELECT count(*) FROM idea")).scalar()
    assert count == len(data["idea"])
    database.close()


def test_the_public_idea_count_is_read_from_the_index(database: Database, meeting) -> None:
    """Counting a meeting's public ideas (every phone page, ``meetingtui meetings``) reads the
    index alone (SQLite's plan: a covering index search), not the meeting's ideas."""
    from sqlmodel import func, select

    from meetingtui.domain import public
    from meetingtui.domain.models import Idea
    from meetingtui.domain.public import Audience

    with database.write() as session:
        for n in range(30):
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=f"Idea {n}"))
    counts = [
        select(func.count())
        .select_from(Idea)
        .where(public.public_ideas_of(meeting.id, Audience.PUBLIC)),
        select(Idea.meeting_id, func.count())
        .where(*public.idea_filter(Audience.PUBLIC))
        .group_by(Idea.meeting_id),
    ]
    with database.engine.connect() as connection:
        for query in counts:
            sql = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all()
            assert [row[-1] for row in plan] in (
                [
                    f"SEARCH idea USING COVERING INDEX {PUBLIC_INDEX} "
                    "(meeting_id=? AND visibility=? AND deleted_at=?)"
                ],
                [f"SCAN idea USING COVERING INDEX {PUBLIC_INDEX}"],
            ), plan
