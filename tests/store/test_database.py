"""The store: a real SQLite file with the pragmas we rely on, migrations applied on open."""

from __future__ import annotations

import sqlalchemy as sa

from meetingtui.store import location
from meetingtui.store.database import Database
from meetingtui.store.migrate import HEAD_REVISION, MIGRATIONS_DIR


def test_new_file_is_migrated_to_head_with_safe_pragmas(tmp_path) -> None:
    db = Database.open(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", migrate=True)
    with db.engine.connect() as connection:
        pragma = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")
        }
        version = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        tables = set(sa.inspect(connection).get_table_names())
    assert pragma == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "synchronous": 2,
        "busy_timeout": 10_000,
    }
    assert version == HEAD_REVISION
    assert {"meeting", "agenda_item", "idea", "comment", "event", "counter"} <= tables
    db.close()


def test_head_revision_constant_matches_the_migration_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


def test_reopening_keeps_data(tmp_path, database, meeting) -> None:
    reopened = Database.open(database.url, migrate=True)
    with reopened.read() as session:
        from meetingtui.domain.meetings import find_meeting

        assert find_meeting(session, meeting.code).title == meeting.title
    reopened.close()


def test_failed_write_rolls_back_and_loses_nothing_committed(database, meeting) -> None:
    from meetingtui.domain.ideas import IdeaInput, capture_idea, meeting_ideas

    with database.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="kept"))
    try:
        with database.write() as session:
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="half done"))
            raise RuntimeError("crash mid-transaction")
    except RuntimeError:
        pass
    with database.read() as session:
        assert [i.title for i in meeting_ideas(session, meeting.id)] == ["kept"]


def test_database_location_rules(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv(location.ENV_VAR, raising=False)
    monkeypatch.setattr(location, "default_database_path", lambda: tmp_path / "d" / "m.sqlite3")
    assert location.resolve_database_url() == f"sqlite:///{tmp_path / 'd' / 'm.sqlite3'}"
    assert (tmp_path / "d").is_dir()
    monkeypatch.setenv(location.ENV_VAR, str(tmp_path / "env.sqlite3"))
    assert location.resolve_database_url().endswith("env.sqlite3")
    assert location.resolve_database_url("postgresql+psycopg://u:pw@h/db").startswith("postgresql")
    assert (
        location.describe_database("postgresql+psycopg://u:pw@h/db") == "postgresql+psycopg://h/db"
    )


def test_building_a_database_object_creates_and_migrates_nothing(tmp_path) -> None:
    """Migrations run only from the explicit open step."""
    path = tmp_path / "later.sqlite3"
    db = Database(f"sqlite:///{path}")
    assert not path.exists()
    db.close()
    opened = Database.open(f"sqlite:///{path}", migrate=True)
    with opened.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    opened.close()
    again = Database.open(f"sqlite:///{path}")  # reading an up-to-date file needs no migration
    again.close()


def test_the_repository_alembic_ini_drives_the_same_migrations(tmp_path, monkeypatch) -> None:
    """`alembic -x db=… upgrade head` (README, "Adding a migration") builds the same schema."""
    from pathlib import Path

    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    ini = Path(__file__).resolve().parents[2] / "alembic.ini"
    config = Config(str(ini))
    scripts = ScriptDirectory.from_config(config)
    assert Path(scripts.dir).resolve() == MIGRATIONS_DIR.resolve()
    assert scripts.get_current_head() == HEAD_REVISION
    path = tmp_path / "by-hand.sqlite3"
    config.cmd_opts = type("Options", (), {"x": [f"db={path}"]})()
    command.upgrade(config, "head")
    opened = Database.open(f"sqlite:///{path}")  # read-only open: already at head
    opened.close()
