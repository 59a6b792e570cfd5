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
    db = Database(f"sqlite:///{tmp_path / 'meeting.sqlite3'}")
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
