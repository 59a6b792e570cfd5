"""Migrations: an old database is upgraded on open without losing data, and the models never
drift from what the migrations create."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import meetingtui.domain.models  # noqa: F401 - registers the tables
from meetingtui.store.database import Database, create_database_engine
from meetingtui.store.migrate import HEAD_REVISION, MIGRATIONS_DIR


def _upgrade(engine: sa.Engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_baseline_database_is_upgraded_keeping_its_data(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = create_database_engine(url)
    _upgrade(engine, "0001_baseline")
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO meeting (id, code, title, date, start, timezone, location, facilitator,"
                " topics, moderation, language, status, created_at) VALUES ('0123456789abcdef0123456789"
                "abcdef', 'oldcode234', 'Old meeting', '', '', 'UTC', '', '', '[]', 'post', 'en',"
                " 'closed', '2026-01-01 10:00:00')"
            )
        )
    engine.dispose()

    database = Database.open(url, migrate=True)
    with database.read() as session:
        from meetingtui.domain.meetings import find_meeting

        meeting = find_meeting(session, "oldcode234")
        assert meeting.title == "Old meeting" and meeting.wifi_ssid == ""
    with database.engine.connect() as connection:
        version = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    assert version == HEAD_REVISION
    database.close()


def test_models_match_the_migrated_schema(tmp_path) -> None:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    _upgrade(engine, "head")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []
    engine.dispose()
