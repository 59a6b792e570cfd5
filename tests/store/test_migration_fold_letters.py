"""Revision 0020_fold_letters: œ, æ, ø, ł, đ, ð, þ and ß are spelt apart in every search
("oeuvre" finds "œuvre", "Lodz" finds "Łódź"), for ideas raised after it and, once the index is
filled again, for ideas raised before it; no row is lost either way."""

from __future__ import annotations

import importlib.util

import sqlalchemy as sa

from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.search import IdeaQuery, search_ideas
from meetingtui.domain.text_fold import CAPITALS_APART, LETTERS_APART, fold
from meetingtui.store.database import Database
from meetingtui.store.migrate import MIGRATIONS_DIR
from tests.domain.test_lifecycle_answers import new_meeting
from tests.store.test_migration_public_plan import _migrate

TITLES = ("Œuvre d'art in the square", "A bus to Łódź", "Straße lights", "Ærø ferry")
TYPED = {
    "oeuvre": "Œuvre d'art in the square",
    "œuvre": "Œuvre d'art in the square",
    "OEUVRE art": "Œuvre d'art in the square",
    "Lodz": "A bus to Łódź",
    "łódź bus": "A bus to Łódź",
    "strasse": "Straße lights",
    "STRAẞE": "Straße lights",
    "aero": "Ærø ferry",
}


def _found(database: Database, typed: str) -> list[str]:
    with database.read() as session:
        return [idea.title for idea, _ in search_ideas(session, IdeaQuery(text=typed))]


def _seed(database: Database):  # noqa: ANN202 - the meeting's id
    with database.write() as session:
        meeting = new_meeting(session, "East", "Transport", code="eastcode23")
        for title in TITLES:
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=title))
        return meeting.id


def _rows(database: Database) -> list[tuple]:
    with database.engine.connect() as connection:
        return sorted(map(tuple, connection.execute(sa.text("SELECT * FROM idea")).all()))


def test_letters_of_their_own_are_found_as_typed_without_them(any_database) -> None:
    """On SQLite (FTS5 over text spelt apart) and PostgreSQL (unaccent) alike."""
    meeting_id = _seed(any_database)
    for typed, title in TYPED.items():
        assert _found(any_database, typed) == [title], typed
    with any_database.write() as session:  # an idea raised later too
        capture_idea(session, meeting_id=meeting_id, data=IdeaInput(title="Þingvellir trip"))
    assert _found(any_database, "thingvellir") == ["Þingvellir trip"]


def test_the_upgrade_fills_the_index_again_for_ideas_raised_before_it(tmp_path) -> None:
    database = Database.open(f"sqlite:///{tmp_path / 'old.sqlite3'}", migrate=True)
    _migrate(database, "downgrade", "0012_idea_cards")  # the index as it was
    _seed(database)
    before = _rows(database)
    assert _found(database, "oeuvre") == [] and _found(database, "Lodz") == []  # the bug
    _migrate(database, "upgrade", "head")
    assert _rows(database) == before  # every idea kept as it was
    for typed, title in TYPED.items():
        assert _found(database, typed) == [title], typed
    with database.engine.connect() as connection:
        indexed = connection.exec_driver_sql("SELECT count(*) FROM idea_fts").scalar()
    assert indexed == len(TITLES)
    _migrate(database, "downgrade", "0012_idea_cards")  # and back: found as before, no loss
    assert _rows(database) == before and _found(database, "oeuvre") == []
    assert _found(database, "ferry") == ["Ærø ferry"]
    database.close()


def test_the_revision_spells_apart_as_text_fold_does() -> None:
    """A change to text_fold's table needs a revision that fills the index again."""
    path = MIGRATIONS_DIR / "versions" / "0020_fold_letters.py"
    spec = importlib.util.spec_from_file_location("fold_letters", path)
    assert spec and spec.loader
    revision = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(revision)
    assert revision.LETTERS_APART == {**LETTERS_APART, **CAPITALS_APART}
    for capital, spelt in CAPITALS_APART.items():
        assert fold(capital) == spelt and capital.casefold() in LETTERS_APART or spelt == "ss"
