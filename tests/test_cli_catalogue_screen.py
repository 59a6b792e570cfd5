"""``meetingtui catalogue`` refuses what it cannot open before it takes the terminal: an unknown
programme (exit 2, naming the programmes there are), a database that is not there (never
created by a mistyped --db). The screen itself is driven by tests/tui/test_catalogue_screen.py."""

from __future__ import annotations

from pathlib import Path

from tests.domain.test_lifecycle_answers import new_meeting
from tests.test_cli import meetingtui


def test_an_unknown_programme_is_refused_with_the_ones_there_are(database, tmp_path) -> None:
    with database.write() as session:
        new_meeting(session, "East", "Transport", code="eastcode23")
    db = Path(database.url.removeprefix("sqlite:///"))
    result = meetingtui("catalogue", "--programme", "Transprt", db=db)
    assert result.returncode == 2
    assert "No programme 'Transprt'" in result.stderr and "Transport" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_database_is_refused_and_not_created(tmp_path) -> None:
    missing = tmp_path / "nothing-here.sqlite3"
    result = meetingtui("catalogue", "--db", str(missing), db=missing)
    assert result.returncode != 0
    assert "no database" in result.stderr.lower()
    assert not missing.exists()


def test_the_command_is_listed_with_its_options(tmp_path) -> None:
    result = meetingtui("catalogue", "--help", db=tmp_path / "x.sqlite3")
    assert result.returncode == 0
    assert "--programme" in result.stdout and "--name" in result.stdout
