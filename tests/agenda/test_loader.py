"""The agenda loader: valid files load, invalid ones name file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from meetingtui.agenda import AgendaError, load_agenda, parse_agenda
from tests.conftest import SAMPLE_AGENDAS

VALID = """\
[meeting]
title = "Budget hearing"
date = 2027-01-14
start = "19:00"
timezone = "America/New_York"
topics = ["Parks", "Libraries"]
moderation = "pre"

[[item]]
title = "Welcome"
minutes = 5
kind = "presentation"

[[item]]
title = "Public comment"
minutes = 45
kind = "public-comment"
speaker_minutes = 3
"""


def problems_of(text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(AgendaError) as caught:
        parse_agenda(text, "agenda.toml")
    return [(p.line, p.field, p.message) for p in caught.value.problems]


@pytest.mark.parametrize("path", sorted(SAMPLE_AGENDAS.glob("*.toml")), ids=lambda p: p.name)
def test_every_sample_agenda_is_valid(path: Path) -> None:
    agenda = load_agenda(path)
    assert agenda.title and agenda.items
    assert agenda.source_path == str(path.resolve())


def test_valid_agenda_converts_every_field() -> None:
    agenda = parse_agenda(VALID)
    assert agenda.date == "2027-01-14" and agenda.start == "19:00"
    assert agenda.topics == ("Parks", "Libraries")
    assert agenda.moderation == "pre"
    assert [i.minutes for i in agenda.items] == [5, 45]
    assert agenda.items[1].speaker_minutes == 3
    assert agenda.planned_minutes == 50


def test_unknown_key_names_line_field_and_suggests() -> None:
    text = VALID.replace('kind = "presentation"', 'kinds = "presentation"')
    [(line, field, message)] = problems_of(text)
    assert (line, field) == (12, "item 1.kinds")
    assert "did you mean 'kind'" in message


def test_wrong_type_missing_title_and_bad_minutes_are_all_reported() -> None:
    text = VALID.replace('title = "Welcome"\n', "").replace("minutes = 45", "minutes = 2.5")
    text = text.replace('start = "19:00"', "start = 1900")
    found = problems_of(text)
    fields = {field: (line, message) for line, field, message in found}
    assert fields["meeting.start"][0] == 4
    assert "time like" in fields["meeting.start"][1]
    assert fields["item 1.title"][0] == 9  # the [[item]] header: the key is absent
    assert "missing" in fields["item 1.title"][1]
    assert fields["item 2.minutes"][0] == 15
    assert "positive whole number" in fields["item 2.minutes"][1]


@pytest.mark.parametrize("minutes", ["0", "-5", '"ten"', "true"])
def test_minutes_must_be_a_positive_whole_number(minutes: str) -> None:
    text = VALID.replace("minutes = 5", f"minutes = {minutes}")
    [(line, field, message)] = problems_of(text)
    assert (line, field) == (11, "item 1.minutes")
    assert "positive whole number" in message


def test_missing_meeting_title_and_no_items() -> None:
    found = problems_of("[meeting]\ndate = 2026-01-01\n")
    assert (2 - 1, "meeting.title") in [(line, field) for line, field, _ in found]
    assert any(field == "item" for _, field, _ in found)


def test_syntax_error_reports_the_line() -> None:
    [(line, field, message)] = problems_of('[meeting]\ntitle = "x\n')
    assert line == 2 and field == "" and message.startswith("not valid TOML")


def test_bad_choice_timezone_and_duplicate_topic() -> None:
    text = (
        VALID.replace('"pre"', '"later"')
        .replace("America/New_York", "Mars/Base")
        .replace('"Libraries"]', '"Parks"]')
    )
    fields = {field for _, field, _ in problems_of(text)}
    assert fields == {"meeting.moderation", "meeting.timezone", "meeting.topics"}


def test_unreadable_files_are_agenda_errors(tmp_path: Path) -> None:
    for path, expected in [
        (tmp_path / "missing.toml", "no such file"),
        (tmp_path, "is a folder"),
    ]:
        with pytest.raises(AgendaError) as caught:
            load_agenda(path)
        assert expected in str(caught.value) and str(path) in str(caught.value)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(AgendaError, match="not UTF-8"):
        load_agenda(binary)


MONITORING = (
    VALID
    + """
[[monitoring]]
key = "age"
label = "Your age"
options = ["Under 25", "25 to 44", "45 or over"]

[[monitoring]]
key = "carer"
label = "Are you a carer?"
options = ["Yes", "No"]
"""
)


def test_monitoring_questions_load() -> None:
    agenda = parse_agenda(MONITORING, "agenda.toml")
    assert [(q.key, q.label, q.options) for q in agenda.monitoring] == [
        ("age", "Your age", ("Under 25", "25 to 44", "45 or over")),
        ("carer", "Are you a carer?", ("Yes", "No")),
    ]
    assert parse_agenda(VALID).monitoring == ()


def test_monitoring_problems_name_line_and_field() -> None:
    text = (
        VALID
        + """
[[monitoring]]
key = "Age band"
labl = "Your age"
options = ["Young", "young", "Prefer not to say"]

[[monitoring]]
key = "carer"
label = "Carer?"
options = "Yes"

[[monitoring]]
key = "carer"
label = "Again"
options = ["Yes", "No"]

[[monitoring]]
label = "No key"
options = ["a"]
"""
    )
    problems = problems_of(text)
    lines = text.splitlines()

    def line_of(fragment: str, after: int = 0) -> int:
        return next(n for n, line in enumerate(lines, 1) if n > after and fragment in line)

    first = line_of("[[monitoring]]")
    assert (
        line_of("labl"),
        "monitoring 1.labl",
        "unknown key (did you mean 'label'?); allowed keys: key, label, options",
    ) in problems
    assert (
        first,
        "monitoring 1.label",  # the table's own line: the key is not there
        "is missing; every question needs a key, a label and options",
    ) in problems
    assert any(p[1] == "monitoring 1.options" and "'young' twice" in p[2] for p in problems)
    assert any(p[1] == "monitoring 1.key" and p[0] == first + 1 for p in problems)
    assert any(p[1] == "monitoring 2.options" and "must be a list" in p[2] for p in problems)
    assert any(
        p[1] == "monitoring 3.key" and "already the key of another question" in p[2]
        for p in problems
    )
    assert any(p[1] == "monitoring 4.key" and "is missing" in p[2] for p in problems)
    assert any(p[1] == "monitoring 4.options" and "at least two" in p[2] for p in problems)


def test_prefer_not_to_say_is_offered_by_itself() -> None:
    text = (
        VALID
        + '[[monitoring]]\nkey = "age"\nlabel = "Age"\noptions = ["Young", "Prefer not to say"]\n'
    )
    (problem,) = problems_of(text)
    assert problem[1] == "monitoring 1.options" and "every question offers it" in problem[2]
