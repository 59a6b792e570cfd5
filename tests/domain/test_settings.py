"""Settings kept in the database: created once, then the same value for every later caller."""

from __future__ import annotations

from meetingtui.domain.settings import get_or_create_setting, web_signing_secret
from meetingtui.store.database import Database


def test_secret_is_created_once_and_survives_reopening(database: Database, tmp_path) -> None:
    with database.write() as session:
        first = web_signing_secret(session)
    with database.write() as session:
        assert web_signing_secret(session) == first
    reopened = Database.open(database.url, migrate=True)
    with reopened.write() as session:
        assert web_signing_secret(session) == first
    reopened.close()
    assert len(bytes.fromhex(first)) == 32


def test_existing_value_wins_over_make(database: Database) -> None:
    with database.write() as session:
        assert get_or_create_setting(session, name="x", make=lambda: "one") == "one"
    with database.write() as session:
        assert get_or_create_setting(session, name="x", make=lambda: "two") == "one"
