"""Load and validate agenda files (TOML).

Unknown keys are errors, so a typo is caught the evening before the meeting rather than in front
of a hundred people. Every problem names the file, the line and the field.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import tomllib
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any

from meetingtui.agenda.errors import AgendaError, AgendaProblem
from meetingtui.agenda.locate import Section, SourceMap
from meetingtui.domain.agenda import Agenda, AgendaItemSpec, PollSpec
from meetingtui.domain.poll_specs import OPENS, RESULTS, spec_problems
from meetingtui.domain.tallies import POLL_TYPES
from meetingtui.domain.vocab import ITEM_KINDS, MODERATION_MODES

MAX_FILE_BYTES = 1_000_000


class _Checker:
    """Collects problems for one file while the values are converted."""

    def __init__(self, path: str, source: SourceMap):
        self.path = path
        self.source = source
        self.problems: list[AgendaProblem] = []

    def problem(self, section: Section, key: str | None, message: str) -> None:
        table = "meeting" if section[0] == "meeting" else f"item {section[1] + 1}"
        if section[0] == "item.poll":
            table += ".poll"
        field = f"{table}.{key}" if key else table
        line = self.source.line_of(section, key)
        if line is None and section[0] == "item.poll":  # an inline table: poll = {…}
            line = self.source.line_of(("item", section[1]), "poll")
        self.problems.append(AgendaProblem(self.path, line, field, message))

    def unknown_keys(self, section: Section, table: dict[str, Any], allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                allowed_list = ", ".join(sorted(allowed))
                self.problem(section, key, f"unknown key{hint}; allowed keys: {allowed_list}")


def _text(max_length: int, *, required: bool = False) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(f"must be text in quotes, not {_describe(value)}")
        value = value.strip()
        if required and not value:
            raise ValueError("must not be empty")
        if len(value) > max_length:
            raise ValueError(f"must be at most {max_length} characters (it has {len(value)})")
        return value

    return convert


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be a positive whole number of minutes, not {_describe(value)}")
    if value <= 0:
        raise ValueError(f"must be a positive whole number of minutes, not {value}")
    if value > 24 * 60:
        raise ValueError(f"must be at most {24 * 60} minutes, not {value}")
    return value


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        raise ValueError("must be a date like 2026-12-03, without a time")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise ValueError(f"must be a date like 2026-12-03, not {_describe(value)}")


def _clock_time(value: Any) -> str:
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value.strip()).strftime("%H:%M")
        except ValueError:
            pass
    raise ValueError(f'must be a time like "18:30", not {_describe(value)}')


def _timezone(value: Any) -> str:
    name = _text(64, required=True)(value)
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"'{name}' is not a known time zone (try e.g. \"Europe/London\")"
        ) from None
    return name


def _choice(options: tuple[str, ...] | list[str]) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        if value not in options:
            raise ValueError(f"must be one of {', '.join(options)}; not {_describe(value)}")
        return value

    return convert


def _topics(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(f"must be a list of topic names in [ ], not {_describe(value)}")
    topics: list[str] = []
    for entry in value:
        name = _text(120, required=True)(entry)
        if name in topics:
            raise ValueError(f"lists '{name}' twice")
        topics.append(name)
    return tuple(topics)


def _describe(value: Any) -> str:
    kinds = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list"}
    shown = repr(value) if not isinstance(value, dict) else "a table"
    return f"{kinds.get(type(value), type(value).__name__)} {shown}"


MEETING_FIELDS: dict[str, Callable[[Any], Any]] = {
    "title": _text(200, required=True),
    "date": _date,
    "start": _clock_time,
    "timezone": _timezone,
    "location": _text(200),
    "facilitator": _text(200),
    "topics": _topics,
    "moderation": _choice(MODERATION_MODES),
    "language": _text(16, required=True),
    "wifi_ssid": _text(32),  # the longest SSID Wi-Fi allows
    "wifi_password": _text(63),  # the longest WPA passphrase
    "programme": _text(120, required=True),  # the engagement programme (domain/programmes.py)
}

ITEM_FIELDS: dict[str, Callable[[Any], Any]] = {
    "title": _text(200, required=True),
    "minutes": _positive_int,
    "kind": _choice(tuple(ITEM_KINDS)),
    "notes": _text(4000),
    "presenter": _text(200),
    "speaker_minutes": _positive_int,
    "poll": lambda value: value,  # checked by ``_poll`` (a table of its own keys)
}


def _whole_number(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be a whole number, not {_describe(value)}")
    return value


def _poll_options(value: Any) -> tuple[tuple[str, ...], tuple[int, ...]]:
    if not isinstance(value, list):
        raise ValueError(f"must be a list of options in [ ], not {_describe(value)}")
    labels: list[str] = []
    costs: list[int] = []
    for number, entry in enumerate(value, start=1):
        if isinstance(entry, dict):
            unknown = sorted(set(entry) - {"label", "cost"})
            if unknown:
                raise ValueError(
                    f"option {number}: unknown key '{unknown[0]}'; an option table has label "
                    "and cost"
                )
            if "label" not in entry:
                raise ValueError(f"option {number}: needs a label")
            labels.append(_text(200, required=True)(entry["label"]))
            if "cost" in entry:
                cost = entry["cost"]
                if isinstance(cost, bool) or not isinstance(cost, int) or cost <= 0:
                    raise ValueError(f"option {number}: cost must be a positive whole number")
                costs.append(cost)
        else:
            try:
                labels.append(_text(200, required=True)(entry))
            except ValueError as error:
                raise ValueError(f"option {number}: {error}") from None
    if costs and len(costs) != len(labels):
        raise ValueError("give every option a cost, or none")
    return tuple(labels), tuple(costs)


POLL_FIELDS: dict[str, Callable[[Any], Any]] = {
    "type": _choice(POLL_TYPES),
    "question": _text(300, required=True),
    "options": _poll_options,
    "min": _whole_number,
    "max": _whole_number,
    "dots": _whole_number,
    "points": _whole_number,
    "budget": _whole_number,
    "results": _choice(RESULTS),
    "opens": _choice(OPENS),
    "from": _choice(("ideas",)),
}


def _poll(checker: _Checker, index: int, raw: Any, kind: str) -> PollSpec | None:
    """``[item.poll]``: every problem named by item, key and line; the rules of each type are
    domain/polls.py ``spec_problems``."""
    section: Section = ("item.poll", index)
    if not isinstance(raw, dict):
        checker.problem(("item", index), "poll", "must be a table: [item.poll] under the item")
        return None
    if kind != "vote":
        checker.problem(section, None, 'only an item with kind = "vote" has a poll')
    before = len(checker.problems)  # the poll's own keys: checked whatever the item's kind
    checker.unknown_keys(section, raw, set(POLL_FIELDS))
    values: dict[str, Any] = {}
    for key, convert in POLL_FIELDS.items():
        if key in raw:
            try:
                values[key] = convert(raw[key])
            except ValueError as error:
                checker.problem(section, key, str(error))
    for key in ("type", "question"):
        if key not in raw:
            checker.problem(section, key, "is missing; a poll needs a type and a question")
    if "options" not in raw and "from" not in raw:
        checker.problem(section, "options", 'is missing; list the options, or from = "ideas"')
    if "dots" in values and "points" in values:
        checker.problem(section, "points", "give dots or points, not both")
    if len(checker.problems) > before:
        return None
    labels, costs = values.get("options", ((), ()))
    unit = "points" if "points" in values else "dots"
    spec = PollSpec(
        type=values["type"],
        question=values["question"],
        options=labels,
        costs=costs,
        min=values.get("min"),
        max=values.get("max"),
        dots=values.get("points", values.get("dots")),
        budget=values.get("budget"),
        results=values.get("results", "live"),
        opens=values.get("opens", "with the item"),
        from_ideas=values.get("from") == "ideas",
        unit=unit,
    )
    for key, message in spec_problems(spec).items():
        if key == "dots" and unit == "points":
            key = "points"
        checker.problem(section, key, message)  # a missing key: the [item.poll] line
    return spec


def _convert_table(
    checker: _Checker,
    section: Section,
    table: dict[str, Any],
    fields: dict[str, Callable[[Any], Any]],
    required: tuple[str, ...],
) -> dict[str, Any]:
    checker.unknown_keys(section, table, set(fields))
    values: dict[str, Any] = {}
    for key in required:
        if key not in table:
            checker.problem(
                section,
                key,
                "is missing; every "
                + (
                    "agenda needs a meeting title"
                    if section[0] == "meeting"
                    else "item needs a title and its planned minutes"
                ),
            )
    for key, convert in fields.items():
        if key in table:
            try:
                values[key] = convert(table[key])
            except ValueError as error:
                checker.problem(section, key, str(error))
    return values


def parse_agenda(text: str, path: str = "<agenda>") -> Agenda:
    """Parse and validate agenda text; raise AgendaError listing every problem.

    A leading byte order mark (Windows Notepad saves one) is ignored. Values nested deeper than
    any agenda needs (``x = [[[[…]]]]`` thousands deep) are refused as one problem instead of
    exhausting Python's recursion limit in the TOML parser or in the checks.
    """
    try:
        return _parse_agenda(text.removeprefix("\ufeff"), path)
    except RecursionError:
        raise AgendaError(
            [AgendaProblem(path, None, "", "values are nested too deeply for an agenda file")]
        ) from None


def _parse_agenda(text: str, path: str) -> Agenda:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # tomllib's message ends "(at line N, column M)"; keep its wording, lead with the place.
        message = str(error)
        line = None
        if "(at line " in message:
            where = message.rsplit("(at line ", 1)[1]
            line = int(where.split(",")[0].rstrip(")"))
            message = message.rsplit(" (at line ", 1)[0]
        raise AgendaError([AgendaProblem(path, line, "", f"not valid TOML: {message}")]) from None

    checker = _Checker(path, SourceMap(text))
    for key in data:
        if key not in ("meeting", "item"):
            checker.problems.append(
                AgendaProblem(
                    path,
                    checker.source.line_of((key, 0)) or checker.source.line_of(("", 0), key),
                    key,
                    "unknown table; an agenda has one [meeting] table and [[item]] tables",
                )
            )

    meeting_table = data.get("meeting")
    meeting: dict[str, Any] = {}
    if not isinstance(meeting_table, dict):
        checker.problems.append(
            AgendaProblem(
                path,
                None,
                "meeting",
                "is missing; start the file with a [meeting] table and a title",
            )
        )
    else:
        meeting = _convert_table(checker, ("meeting", 0), meeting_table, MEETING_FIELDS, ("title",))

    raw_items = data.get("item", [])
    items: list[AgendaItemSpec] = []
    if not isinstance(raw_items, list) or not raw_items:
        checker.problems.append(
            AgendaProblem(
                path,
                None,
                "item",
                "no agenda items; add at least one [[item]] with a title and minutes",
            )
        )
    else:
        for index, raw in enumerate(raw_items):
            if not isinstance(raw, dict):
                checker.problem(("item", index), None, "must be an [[item]] table")
                continue
            values = _convert_table(
                checker, ("item", index), raw, ITEM_FIELDS, ("title", "minutes")
            )
            if "poll" in values:
                values["poll"] = _poll(checker, index, values["poll"], values.get("kind", ""))
            if "title" in values and "minutes" in values:
                items.append(AgendaItemSpec(**values))

    if checker.problems:
        raise AgendaError(checker.problems)
    if meeting.get("topics") is None:
        meeting.pop("topics", None)
    return Agenda(items=tuple(items), source_path=path, **meeting)


def load_agenda(path: str | Path) -> Agenda:
    """Read an agenda file; any problem (missing, bad encoding, bad content) is an AgendaError."""
    shown = str(path)
    file = Path(path)
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise AgendaError([AgendaProblem(shown, None, "", "file is too large for an agenda")])
        data = file.read_bytes()
        # As read_text would (universal newlines), from the bytes that are hashed.
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except FileNotFoundError:
        raise AgendaError([AgendaProblem(shown, None, "", "no such file")]) from None
    except IsADirectoryError:
        raise AgendaError(
            [AgendaProblem(shown, None, "", "is a folder, not an agenda file")]
        ) from None
    except UnicodeDecodeError:
        raise AgendaError([AgendaProblem(shown, None, "", "is not UTF-8 text")]) from None
    except OSError as error:
        raise AgendaError([AgendaProblem(shown, None, "", error.strerror or str(error))]) from None
    agenda = parse_agenda(text, shown)
    digest = hashlib.sha256(data).hexdigest()
    return Agenda(**{**agenda.__dict__, "source_path": str(file.resolve()), "source_hash": digest})
