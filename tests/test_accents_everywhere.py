"""Every search folds by the same rule (domain/text_fold.py; ``meetingtui_fold`` in SQL): "cafe"
finds "café" and "café" finds "cafe", "nandu" finds "Ñandú" and back. One test per surface: the
catalogue's search (the catalogue screen and ``ideas --search``), the console's browse search
(domain and a pilot), the idea form's quick picks, programme names, the command line, and the
SQL fold itself on SQLite and PostgreSQL. (The published site:
tests/export/test_site_search_fold.py; similar ideas: tests/domain/test_similar.py and
tests/web/test_similar.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from meetingtui.domain import ideas as idea_service
from meetingtui.domain import programmes
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.search import IdeaQuery, search_ideas
from meetingtui.domain.text_fold import fold
from meetingtui.store.database import Database
from meetingtui.tui.widgets.quick_select import best_match
from tests.domain.test_lifecycle_answers import new_meeting
from tests.test_cli import meetingtui

TITLES = ["Café on the high street", "Ñandú enclosure at the farm", "Cafe at the station"]


@pytest.fixture
def db(any_database: Database) -> Database:
    return any_database


@pytest.fixture
def farm(db):
    with db.write() as session:
        meeting = new_meeting(session, "Farm", "Salud pública", code="farmcode23")
        for title in TITLES:
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=title))
    return meeting


CASES = {
    "cafe": {"Café on the high street", "Cafe at the station"},
    "café": {"Café on the high street", "Cafe at the station"},
    "CAFÉ": {"Café on the high street", "Cafe at the station"},
    "nandu": {"Ñandú enclosure at the farm"},
    "ÑANDÚ": {"Ñandú enclosure at the farm"},
}


def test_the_sql_fold_is_text_folds_on_both_databases(db) -> None:
    with db.read() as session:
        for typed in ("Ñandú", "CAFÉ", "café—bus-stop"):
            got = (
                session.connection()
                .execute(text("SELECT meetingtui_fold(:t)"), {"t": typed})
                .scalar_one()
            )
            assert got.strip() == fold(typed)
        assert session.connection().execute(text("SELECT meetingtui_fold(NULL)")).scalar() is None


def test_the_catalogue_search(db, farm) -> None:
    with db.read() as session:
        for typed, wanted in CASES.items():
            found = search_ideas(session, IdeaQuery(text=typed, meeting_ids=[farm.id]))
            assert {idea.title for idea, _ in found} == wanted, typed


def test_the_consoles_browse_search(db, farm) -> None:
    with db.read() as session:
        for typed, wanted in {**CASES, "enclosure at": {"Ñandú enclosure at the farm"}}.items():
            total, found = idea_service.search_ideas(session, farm.id, text=typed)
            assert {idea.title for idea in found} == wanted, typed
            assert total == len(wanted)
        # Punctuation typed is still looked for as typed (``%`` is a letter, not a wildcard).
        assert idea_service.search_ideas(session, farm.id, text="%")[0] == 0
        assert idea_service.search_ideas(session, farm.id, text="I-2")[1][0].seq == 2


async def test_the_consoles_browse_screen(database, meeting) -> None:
    from textual.widgets import Input

    from tests.tui.conftest import options_text, wait_until
    from tests.tui.test_browse import browse_list, loaded, open_browse
    from tests.tui.test_capture import console_for

    with database.write() as session:
        for title in TITLES:
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=title))
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await open_browse(pilot)
        search = app.screen.query_one("#browse-search", Input)
        for typed in ("nandu", "ÑANDÚ"):
            search.value = typed
            await wait_until(
                pilot,
                lambda: (
                    browse_list(app).option_count == 1
                    and "Ñandú enclosure" in options_text(browse_list(app))
                ),
            )
        search.value = "café"
        await wait_until(pilot, lambda: browse_list(app).option_count == 2)


def test_quick_picks_in_the_idea_form() -> None:
    labels = ["Transport", "Salud pública", "Ñandú care", "Café society"]
    assert best_match(labels, "salud publica") == 1
    assert best_match(labels, "nandu") == 2
    assert best_match(labels, "cafe") == 3
    assert best_match(labels, "PUBLICA") == 1  # a later word
    assert best_match(labels, "zzz") is None


def test_programme_names(db, farm) -> None:
    with db.read() as session:
        assert programmes.find_programme(session, "salud publica").name == "Salud pública"
        assert programmes.find_programme(session, "SALUD PÚBLICA").name == "Salud pública"


def test_the_command_lines_ideas_search(database, meeting, tmp_path: Path) -> None:
    with database.write() as session:
        for title in TITLES:
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=title))
    path = Path(database.url.removeprefix("sqlite:///"))
    for typed, wanted in CASES.items():
        result = meetingtui("ideas", "--format", "json", "--search", typed, db=path)
        assert result.returncode == 0, result.stderr
        assert {row["title"] for row in json.loads(result.stdout)} == wanted, typed
