"""``--db``: an empty value is refused rather than silently meaning the default database; a URL
for another backend than SQLite or PostgreSQL says so plainly."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import meetingtui


def test_empty_db_is_refused(tmp_path: Path) -> None:
    result = meetingtui("--db", "", "meetings", db=tmp_path / "default.sqlite3")
    assert result.returncode == 2
    assert "--db" in result.stderr and "empty" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "default.sqlite3").exists()


@pytest.mark.parametrize(
    "url", ["mysql://127.0.0.1/x", "mssql+pyodbc://user:secret@host/x", "oracle://h/x"]
)
def test_other_backends_are_named_unsupported(tmp_path: Path, url: str) -> None:
    result = meetingtui("--db", url, "meetings", db=tmp_path / "default.sqlite3")
    assert result.returncode != 0
    assert "only SQLite and PostgreSQL" in result.stderr, result.stderr
    assert "secret" not in result.stderr and "Traceback" not in result.stderr
    assert "not installed" not in result.stderr


def test_postgres_alias_is_explained(tmp_path: Path) -> None:
    result = meetingtui("--db", "postgres://u@127.0.0.1:1/x", "meetings", db=tmp_path / "d")
    assert result.returncode == 1
    assert "postgresql://" in result.stderr and "Traceback" not in result.stderr
