"""``meetingtui ideas`` filters: --search finds the text itself (% and _ are not wildcards);
an unknown --status or --stakeholder is refused, naming the allowed values."""

from __future__ import annotations

from pathlib import Path

import pytest

from meetingtui.domain.ideas import IdeaInput, capture_idea
from tests.test_cli import meetingtui


@pytest.fixture
def db(database, meeting) -> Path:
    with database.write() as session:
        for title in ("Cut fares by 50%", "Bus_lane on the high street", "More benches"):
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=title))
    return Path(database.url.removeprefix("sqlite:///"))


@pytest.mark.parametrize(
    ("search", "titles"),
    [
        ("%", ["Cut fares by 50%"]),
        ("_", ["Bus_lane on the high street"]),
        ("50%", ["Cut fares by 50%"]),
        ("bench", ["More benches"]),
        ("\\", []),
    ],
)
def test_search_is_literal(db: Path, search: str, titles: list[str]) -> None:
    result = meetingtui("ideas", "--search", search, db=db)
    assert result.returncode == 0, result.stderr
    found = [line.split(None, 3)[3] for line in result.stdout.splitlines()]
    assert found == titles


@pytest.mark.parametrize(
    ("flag", "allowed"),
    [("--status", ["new", "adopted", "not-taken-forward"]), ("--stakeholder", ["resident"])],
)
def test_unknown_filter_values_are_refused(db: Path, flag: str, allowed: list[str]) -> None:
    result = meetingtui("ideas", flag, "bogus", db=db)
    assert result.returncode == 2
    assert "bogus" in result.stderr and "Traceback" not in result.stderr
    for value in allowed:
        assert value in result.stderr
    assert result.stdout == ""


def test_known_filter_values_still_work(db: Path) -> None:
    result = meetingtui("ideas", "--status", "new", "--stakeholder", "resident", db=db)
    assert result.returncode == 0, result.stderr
