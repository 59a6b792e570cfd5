"""Agenda files as people really save them, and as an attacker might write them."""

from __future__ import annotations

from pathlib import Path

import pytest

from meetingtui.agenda import AgendaError, load_agenda, parse_agenda
from tests.conftest import TOWN_HALL
from tests.test_cli import meetingtui


def test_an_agenda_saved_with_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    notepad = tmp_path / "notepad.toml"
    notepad.write_bytes(b"\xef\xbb\xbf" + TOWN_HALL.read_bytes())
    agenda = load_agenda(notepad)
    assert agenda == load_agenda(TOWN_HALL).__class__(
        **{
            **load_agenda(TOWN_HALL).__dict__,
            "source_path": str(notepad.resolve()),
            "source_hash": agenda.source_hash,  # of the file's own bytes, mark and all
        }
    )
    assert agenda.source_hash != load_agenda(TOWN_HALL).source_hash
    assert parse_agenda("\ufeff" + TOWN_HALL.read_text(encoding="utf-8")).title == agenda.title
    result = meetingtui("check", str(notepad), db=tmp_path / "unused.sqlite3")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "nested",
    [
        "x = " + "[" * 5000 + "]" * 5000,
        "x = " + "{a = " * 5000 + "1" + "}" * 5000,
        "[meeting]\ntitle = 'T'\nnotes = " + "[" * 5000 + "]" * 5000,
    ],
    ids=["arrays", "inline-tables", "in-a-field"],
)
def test_an_agenda_nested_5000_deep_is_a_clear_error(tmp_path: Path, nested: str) -> None:
    with pytest.raises(AgendaError, match="nested too deeply"):
        parse_agenda(nested, "deep.toml")
    deep = tmp_path / "deep.toml"
    deep.write_text(nested, encoding="utf-8")
    result = meetingtui("check", str(deep), db=tmp_path / "unused.sqlite3")
    assert result.returncode == 2
    assert "nested too deeply" in result.stderr and "Traceback" not in result.stderr
    assert "RecursionError" not in result.stderr
