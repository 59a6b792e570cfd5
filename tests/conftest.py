"""Shared fixtures: a real SQLite file per test and a started meeting from a sample agenda."""

from __future__ import annotations

from pathlib import Path

import pytest

from meetingtui.agenda import load_agenda
from meetingtui.domain import meetings
from meetingtui.store.database import Database

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_AGENDAS = ROOT / "sample_agendas"
TOWN_HALL = SAMPLE_AGENDAS / "health_and_care_town_hall.toml"


@pytest.fixture
def database(tmp_path: Path) -> Database:
    db = Database.open(f"sqlite:///{tmp_path / 'meeting.sqlite3'}", migrate=True)
    yield db
    db.close()


@pytest.fixture
def meeting(database: Database):
    """The town hall sample, created with a fixed join code and started on its first item."""
    agenda = load_agenda(TOWN_HALL)
    with database.write() as session:
        created = meetings.create_meeting(session, agenda=agenda, code="testcode23")
        meetings.start_meeting(session, meeting_id=created.id)
    return created


POSTGRES_ADMIN_URL = "postgresql+psycopg://127.0.0.1:5432/test"


@pytest.fixture
def postgres_url():
    """A fresh, empty PostgreSQL database for one test (team mode), dropped afterwards.

    Uses the server on 127.0.0.1:5432 that this machine and CI run; skips with the reason when
    no server answers there.
    """
    import uuid

    import sqlalchemy as sa

    try:
        admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            name = f"meetingtui_test_{uuid.uuid4().hex[:12]}"
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except Exception as error:  # noqa: BLE001 - any failure means no usable server
        pytest.skip(f"no PostgreSQL server at 127.0.0.1:5432 ({type(error).__name__})")
    yield f"postgresql+psycopg://127.0.0.1:5432/{name}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_database(request, tmp_path: Path) -> Database:
    """The same test on a real SQLite file and on a fresh PostgreSQL database (team mode)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'either.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    db = Database.open(url, migrate=True)
    yield db
    db.close()
