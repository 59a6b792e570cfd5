"""A worker's failure reaches the console as a sentence: never SQL, parameters or internals."""

from __future__ import annotations

import sqlite3

import sqlalchemy.exc

from meetingtui.domain.errors import DomainError
from meetingtui.tui.failure import failure_text


def test_a_refusal_is_said_as_written():
    assert failure_text(DomainError("The meeting is closed."), "save") == "The meeting is closed."


def test_a_database_error_never_shows_its_statement_or_parameters():
    error = sqlalchemy.exc.OperationalError(
        "INSERT INTO idea (title) VALUES (?)",
        ("secret title",),
        sqlite3.OperationalError("database is locked"),
    )
    text = failure_text(error, "save the idea")
    assert text.startswith("Could not save the idea:")
    assert "busy" in text
    assert "INSERT" not in text and "secret title" not in text


def test_a_bug_is_a_plain_sentence():
    text = failure_text(KeyError("internal_field_name"), "search")
    assert "internal_field_name" not in text
    assert text.startswith("Could not search:")
