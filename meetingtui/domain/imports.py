"""Ideas imported from a spreadsheet (CSV or Excel .xlsx): emails, letters, online forms, cards
typed up after a meeting, all on the standard idea form.

Three steps, each usable alone: ``read_table`` reads a file into rows of cells (any encoding
a spreadsheet writes, either delimiter, with the row numbers a person sees in a spreadsheet);
``check_rows`` turns them into ideas to create, ideas already imported, and refusals naming the
row, the column and what to fix; ``apply_import`` writes every new idea in the caller's one
transaction, or raises ``ImportRefused`` and writes nothing (all or nothing).

Cells are people's words: kept as typed (accents, emoji, a leading ``=``: a formula is not
evaluated, its text is the idea), cleaned only as every other input is (``clean_text``).

A ``source_id`` column names each row (a form's response number, a letter's file reference): an
idea imported with one is found again by it (per programme), so importing the same file twice
changes nothing, and a row changed since is reported rather than imported again.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import bindparam, insert, update
from sqlalchemy import text as sql_text
from sqlmodel import Session, col, select

from meetingtui.domain.errors import DomainError, FieldErrors, NotFound
from meetingtui.domain.feed import record_event
from meetingtui.domain.ideas import (
    NAME_MAX,
    IdeaInput,
    form_columns,
    format_ref,
    validate_idea,
)
from meetingtui.domain.intake import (
    find_intake,
    intake_record,
    intake_timezone,
    is_intake,
    programme_topics,
)
from meetingtui.domain.meetings import meeting_topics
from meetingtui.domain.models import Event, Idea, Meeting, Programme, utcnow
from meetingtui.domain.programmes import programme_meeting_ids, programme_of_meeting
from meetingtui.domain.text import clean_text, is_blank
from meetingtui.domain.text_fold import fold
from meetingtui.domain.vocab import BENEFITS, CHANNELS, SCALES, STAKEHOLDERS

MAX_FILE_BYTES = 20_000_000
# A workbook is a zip: 20 MB of it can unpack to gigabytes (a "zip bomb"). 50,000 rows of
# ideas unpack to well under this; a zip member never yields more than the size its directory
# states (zipfile stops there), so the stated sizes are the bound.
MAX_XLSX_UNPACKED_BYTES = 100_000_000
MAX_XLSX_MEMBERS = 1_000
MAX_ROWS = 50_000
MAX_CELL = 10_000  # characters: far beyond any field's limit, so a runaway cell is refused
SOURCE_ID_MAX = 200
SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class Column:
    """A column of the import file: a field of the standard idea form."""

    name: str
    label: str
    hint: str
    allowed: dict[str, str] | None = None  # stored value -> label, for a closed list
    many: bool = False  # several values in one cell, separated by ";" or ","


COLUMNS: tuple[Column, ...] = (
    Column("title", "Title", "the idea in one line; required; at most 120 characters"),
    Column("detail", "Detail", "what should change and why; at most 4,000 characters"),
    Column("raised_by", "Raised by", "the person's name (published only with publish_name)"),
    Column("organisation", "Organisation", "optional"),
    Column(
        "publish_name",
        "Publish name",
        "yes if the person agreed to publish their name; empty or no otherwise",
        {"yes": "Yes", "no": "No"},
    ),
    Column("stakeholder", "Stakeholder", "one group from the list, or empty", STAKEHOLDERS),
    Column(
        "channel",
        "Channel",
        "how the idea arrived; empty: the import's default (--channel)",
        CHANNELS,
    ),
    Column("topic", "Topic", "one of the programme's (or meeting's) topics, or empty"),
    Column("tags", "Tags", "free words, separated by ; or , (at most 10)", many=True),
    Column("scale", "Scale", "quick win or major change, or empty", SCALES),
    Column("benefits", "Benefits", "any of the list, separated by ; or ,", BENEFITS, many=True),
    Column("affects", "Affects", "who or which service is affected, free text"),
    Column(
        "captured_at",
        "Captured at",
        "when it was received: 2026-11-03 or 2026-11-03 14:05 (local time); empty: now",
    ),
    Column(
        "source_id",
        "Source id",
        "the row's own reference (form response number, letter reference): importing the "
        "same file again then changes nothing",
    ),
)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)
_BY_NAME = {c.name: c for c in COLUMNS}

# Other headings people write for a column (compared folded: case, accents, spaces aside).
_ALIASES = {
    "name": "raised_by",
    "raised by name": "raised_by",
    "organization": "organisation",
    "stakeholder group": "stakeholder",
    "group": "stakeholder",
    "how it arrived": "channel",
    "who is affected": "affects",
    "received": "captured_at",
    "received at": "captured_at",
    "date": "captured_at",
    "source": "source_id",
    "reference": "source_id",
    "id": "source_id",
}
_YES = frozenset({"yes", "y", "true", "1", "x", "si", "agreed", "consent", "ok"})
_NO = frozenset({"no", "n", "false", "0", ""})
_EXTRA = "\x00extra"  # a row's cell count, when it has cells beyond the named columns

# Text that was UTF-8, read as Windows-1252 or Latin-1 and saved again ("CafÃ©" for "Café",
# "donâ€™t" for "don't"): nobody types these pairs, so they mean the file was garbled.
_GARBLED = re.compile(
    "Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a"
    "\u20ac\u2122]|â€[\u0080-\u00bf\u2013-\u203a\u2122\u0153\u017e\u02dc]|Â[\u00a0-\u00bf]"
)


class ImportFileError(DomainError):
    """The whole file cannot be read as an import (not a spreadsheet, too big, no title
    column, an unknown column): the message names the file and what to do."""


@dataclass(frozen=True)
class Refusal:
    """One refused row: its number as a spreadsheet shows it (a template's heading is row 1),
    the column, and what to fix."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f", column {self.column}" if self.column else ""
        return f"row {self.line}{where}: {self.reason}"


@dataclass
class Table:
    """A file's rows of cells by column name, with each row's number as a spreadsheet shows it."""

    path: Path
    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]]
    warnings: list[str] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""


# ---------------------------------------------------------------------------- reading


def column_key(heading: object) -> str | None:
    """The column a heading names ("Raised by", "RAISED_BY", " raised-by " all name
    ``raised_by``), or None."""
    folded = fold(str(heading or ""))
    key = folded.replace(" ", "_")
    if key in _BY_NAME:
        return key
    return _ALIASES.get(folded)


def read_table(path: Path) -> Table:
    """The file's rows (CSV or .xlsx, by its suffix); ImportFileError when it cannot be."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        hint = " (save it as .xlsx or CSV)" if suffix in (".xls", ".ods", ".numbers") else ""
        raise ImportFileError(f"{path.name}: import reads .csv and .xlsx files{hint}.")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file.") from None
    except OSError as error:
        raise ImportFileError(f"{path}: cannot read it ({error.strerror or error}).") from None
    if path.is_dir():
        raise ImportFileError(f"{path} is a folder: name a .csv or .xlsx file.")
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            f"{path.name} is {size / 1e6:,.1f} MB; an import file may be at most "
            f"{MAX_FILE_BYTES // 1_000_000} MB. Split it into several files."
        )
    try:
        warnings: list[str] = []
        if suffix == ".xlsx":
            cells, encoding, delimiter = _xlsx_cells(path), "xlsx", ""
        else:
            cells, warnings, encoding, delimiter = _csv_cells(path)
    except OSError as error:
        raise ImportFileError(f"{path}: cannot read it ({error.strerror or error}).") from None
    return _table(path, cells, warnings, encoding, delimiter)


def _decode(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    """The text, the encoding it was read in, and a warning when it was a guess."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 (with BOM)", []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text"
        try:
            return data.decode("utf-16"), "UTF-16", []
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "UTF-8", []
    except UnicodeDecodeError as error:
        where = data[: error.start].count(b"\n") + 1
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(
            f"{path.name} is not UTF-8 (line {where} has bytes that are not) nor Windows-1252 "
            'text. Save it from your spreadsheet as "CSV UTF-8" and import it again.'
        ) from None
    return (
        text,
        "Windows-1252",
        [
            f"{path.name} is not UTF-8 (from line {where}): read as Windows-1252, as Excel "
            'writes "CSV (Comma delimited)" in Western European languages. If accents look '
            'wrong below, save it as "CSV UTF-8" and import it again.'
        ],
    )


_EMPTY_ROW: tuple[Any, ...] = ()


def _csv_cells(path: Path) -> tuple[list[Sequence[Any]], list[str], str, str]:
    data = path.read_bytes()
    text, encoding, warnings = _decode(path, data)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ImportFileError(
            f"{path.name}, line {line}: the file holds binary data (a NUL byte), not text. "
            "Is it really a CSV file?"
        )
    first = text.split("\n", 1)[0]
    delimiter = _delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    cells: list[Sequence[Any]] = []
    filled = 0
    try:
        for row in reader:
            if any(not is_blank(v) for v in row):
                filled += 1
                cells.append(row)
            else:
                cells.append(_EMPTY_ROW)
            if filled > MAX_ROWS + 1:
                break
    except csv.Error as error:
        raise ImportFileError(
            f"{path.name}, line {reader.line_num}: cannot read it as CSV ({error}). A quote "
            "left open swallows the rest of the file: check that line."
        ) from None
    return cells, warnings, encoding, delimiter


def _delimiter(heading: str) -> str:
    """The delimiter that splits the heading into the most known columns (Excel writes ";"
    where a comma is the decimal mark); a comma when nothing tells."""
    best, best_known = ",", -1
    for candidate in (",", ";", "\t"):
        names = next(csv.reader([heading], delimiter=candidate), [])
        known = sum(1 for name in names if column_key(name))
        if known > best_known:
            best, best_known = candidate, known
    return best


def _check_unpacked_size(path: Path) -> None:
    """Refuse a workbook that unpacks to more than ``MAX_XLSX_UNPACKED_BYTES`` before anything
    reads it (openpyxl would unpack and hold it)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError(
            f"{path.name} is not an Excel workbook (.xlsx) that can be read "
            f"({type(error).__name__}). Save it again as .xlsx or as CSV UTF-8."
        ) from None
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_XLSX_MEMBERS or unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportFileError(
            f"{path.name} unpacks to {unpacked / 1e6:,.0f} MB in {len(members):,} parts; an "
            f"import workbook may unpack to at most {MAX_XLSX_UNPACKED_BYTES // 1_000_000} MB "
            "(a spreadsheet of ideas is far smaller). Save the ideas again as a new .xlsx or "
            "as CSV UTF-8."
        )


def _xlsx_cells(path: Path) -> list[Sequence[Any]]:
    from openpyxl import load_workbook

    _check_unpacked_size(path)
    try:
        # Formulas are not evaluated (data_only=False): the cell's text is what was typed.
        book = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as error:
        raise ImportFileError(
            f"{path.name} is not an Excel workbook (.xlsx) that can be read "
            f"({type(error).__name__}). Save it again as .xlsx or as CSV UTF-8."
        ) from None
    try:
        sheet = book["Ideas"] if "Ideas" in book.sheetnames else book.worksheets[0]
        # The used range as the cells say, not as the file claims (some writers get it wrong);
        # rows missing from the file still count, so row numbers stay the spreadsheet's.
        sheet.reset_dimensions()
        cells: list[Sequence[Any]] = []
        filled = 0
        for row in sheet.iter_rows(min_row=1, values_only=True):
            if any(not _is_empty(v) for v in row):
                filled += 1
                cells.append(row)
            else:
                cells.append(_EMPTY_ROW)  # formatted but empty rows: counted, not kept
            if filled > MAX_ROWS + 1:
                break
        while cells and cells[-1] is _EMPTY_ROW:
            cells.pop()
        return cells
    except Exception as error:  # noqa: BLE001 - a damaged workbook, whatever openpyxl raises
        raise ImportFileError(
            f"{path.name}: the workbook is damaged and cannot be read ({type(error).__name__})."
        ) from None
    finally:
        book.close()


def _is_empty(value: Any) -> bool:
    """A cell with nothing in it: none, or text that is blank (``text.is_blank``: spaces,
    zero-width characters); a number 0 or a date is something."""
    return value is None or (isinstance(value, str) and is_blank(value))


def _table(
    path: Path, cells: list[Sequence[Any]], warnings: list[str], encoding: str, delimiter: str
) -> Table:
    # The heading is the first row with anything in it (row 1 in a template; a sheet may have
    # blank rows above it); rows keep their spreadsheet numbers either way.
    start = next((n for n, row in enumerate(cells) if any(not _is_empty(v) for v in row)), None)
    if start is None:
        raise ImportFileError(
            f"{path.name} is empty: the first row must name the columns (title, detail, …). "
            "`meetingtui import template -o FILE` writes one to fill in."
        )
    heading, top = cells[start], start + 1
    columns: list[str | None] = []
    unknown: list[str] = []
    for number, name in enumerate(heading, start=1):
        if _is_empty(name):
            columns.append(None)
            continue
        key = column_key(name)
        if key is None:
            unknown.append(f"{str(name).strip()!r} (column {_column_letter(number)})")
        elif key in columns:
            raise ImportFileError(f"{path.name}: column {key} is named twice in row {top}.")
        columns.append(key)
    if unknown:
        raise ImportFileError(
            f"{path.name}, row {top}: unknown column{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(unknown)}. Columns: {', '.join(COLUMN_NAMES)}."
        )
    if "title" not in columns:
        raise ImportFileError(
            f"{path.name}, row {top}: there is no title column (every idea needs a title). "
            f"The first row must name the columns: {', '.join(COLUMN_NAMES)}."
        )
    data_rows = sum(1 for row in cells[start + 1 :] if row is not _EMPTY_ROW)
    if data_rows > MAX_ROWS:
        raise ImportFileError(
            f"{path.name} has more than {MAX_ROWS:,} rows; import at most {MAX_ROWS:,} at a "
            "time (split the file)."
        )
    rows: list[tuple[int, dict[str, Any]]] = []
    width = len(columns)
    for number, row in enumerate(cells[start + 1 :], start=top + 1):
        if all(_is_empty(v) for v in row):
            continue
        values = {name: row[i] for i, name in enumerate(columns) if name and i < len(row)}
        extra = [v for v in row[width:] if not _is_empty(v)]
        if extra:
            values[_EXTRA] = len(row)
        rows.append((number, values))
    return Table(
        path, [c for c in columns if c], rows, warnings, encoding=encoding, delimiter=delimiter
    )


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class KnownIdea:
    """An idea imported before with a source_id, as stored now."""

    ref: str  # CODE/I-0042
    data: IdeaInput
    captured_at: datetime


@dataclass
class RowToImport:
    line: int
    data: IdeaInput
    captured_at: datetime | None
    source_id: str


@dataclass
class ImportPlan:
    """What an import would do: nothing is written until ``apply_import``."""

    new: list[RowToImport] = field(default_factory=list)
    unchanged: list[tuple[int, str]] = field(default_factory=list)  # (row, CODE/I-0042)
    differs: list[tuple[int, str, list[str]]] = field(default_factory=list)  # + the fields
    refusals: list[Refusal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    defaulted_channel: int = 0  # rows whose channel was the default
    default_channel: str = ""

    @property
    def refused(self) -> bool:
        return bool(self.refusals)

    def by_channel(self) -> list[tuple[str, int]]:
        counts = Counter(CHANNELS.get(r.data.channel, r.data.channel) for r in self.new)
        return counts.most_common()

    def by_topic(self) -> list[tuple[str, int]]:
        counts = Counter(r.data.topic or "(no topic)" for r in self.new)
        return counts.most_common()


class ImportRefused(DomainError):
    """At least one row was refused, so nothing was written; ``plan`` has every refusal."""

    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan
        count = len(plan.refusals)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the file; nothing was imported."
        )


def _choices(vocabulary: dict[str, str]) -> dict[str, str]:
    """Folded label or value -> stored value ("Patient or service user", "patient",
    "frontline-staff", "Frontline staff")."""
    found: dict[str, str] = {}
    for value, text in vocabulary.items():
        found[fold(value)] = value
        found[fold(text)] = value
    return found


_STAKEHOLDERS = _choices(STAKEHOLDERS)
_CHANNELS = _choices(CHANNELS) | {fold("email"): "email", fold("letter"): "email"}
_SCALES = _choices(SCALES)
_BENEFITS = _choices(BENEFITS)


def _choose(choices: dict[str, str], typed: str) -> str | None:
    """The stored value a person's word names: a label or a value, case, accents and spaces
    aside, and a plural too ("Carers", "Residents")."""
    folded = fold(typed)
    found = choices.get(folded)
    if found is None and folded.endswith("s"):
        found = choices.get(folded[:-1])
    return found


def channel_value(typed: str) -> str | None:
    """The channel a person typed ("Email", "email or letter", "letter"), or None."""
    return _CHANNELS.get(fold(typed))


def allowed_text(vocabulary: dict[str, str]) -> str:
    return ", ".join(vocabulary.values())


def _text(value: Any) -> str:
    """A cell as text: whole numbers without ".0", dates as ISO, everything else as typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)


def _split(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]", value) if part.strip()]


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


_DATE_HINT = "Write the date as 2026-11-03, or with the time as 2026-11-03 14:05"


def parse_when(value: Any, zone: ZoneInfo, now: datetime) -> datetime:
    """A captured_at cell as an aware time (naive ones are local to ``zone``); ValueError
    with the message to show."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        typed = str(value).strip()
        try:
            moment = datetime.fromisoformat(typed.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{typed!r} is not a date. {_DATE_HINT}.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    moment = moment.astimezone(UTC)
    if moment > now + timedelta(minutes=5):
        raise ValueError(f"{_text(value)} is in the future. {_DATE_HINT}.")
    if moment.year < 1990:
        raise ValueError(f"{_text(value)} is before 1990: check the year.")
    return moment


def check_rows(
    table: Table,
    *,
    topics: Sequence[str],
    default_channel: str,
    timezone: str = "UTC",
    known: dict[str, KnownIdea] | None = None,
    now: datetime | None = None,
) -> ImportPlan:
    """Every row checked as the idea form checks a person's input, plus the import's own
    rules; no database access (``known``: ideas imported before, by source_id)."""
    plan = ImportPlan(warnings=list(table.warnings), default_channel=default_channel)
    known = known or {}
    moment = now or utcnow()
    zone = _zone(timezone)
    topic_of = {fold(t): t for t in topics}
    seen_sources: dict[str, int] = {}
    if "source_id" not in table.columns and table.rows:
        plan.warnings.append(
            "There is no source_id column: importing this file again would add its ideas again."
        )
    for line, cells in table.rows:
        refusals: list[Refusal] = []

        def refuse(
            column: str, reason: str, line: int = line, refusals: list[Refusal] = refusals
        ) -> None:
            refusals.append(Refusal(line, column, reason))

        if _EXTRA in cells:
            refuse(
                "",
                f"has {cells[_EXTRA]} cells but the heading names only {len(table.columns)} "
                "columns: a cell with a delimiter in it needs quotes",
            )
        typed_cells = {
            name: _text(cells.get(name)) for name in COLUMN_NAMES if name != "captured_at"
        }
        for name, value in typed_cells.items():
            if len(value) > MAX_CELL:
                refuse(name, f"has {len(value):,} characters; at most {MAX_CELL:,}")
                typed_cells[name] = ""
            elif _GARBLED.search(value):
                found = _GARBLED.search(value)
                assert found is not None
                refuse(
                    name,
                    f'looks garbled ("{found.group()}" where a letter such as "é" was meant): '
                    "the text was saved in one encoding after being read in another. Fix it, "
                    'or export it again as "CSV UTF-8"',
                )
        data = IdeaInput(
            title=typed_cells["title"],
            detail=typed_cells["detail"],
            raised_by=typed_cells["raised_by"],
            organisation=typed_cells["organisation"],
            affects=typed_cells["affects"],
            tags=_split(typed_cells["tags"]),
        )
        consent = fold(typed_cells["publish_name"])
        if consent in _YES:
            data.publish_name = True
        elif consent not in _NO:
            refuse("publish_name", f"{typed_cells['publish_name']!r}: write yes or no")
        for name, choices, vocabulary in (
            ("stakeholder", _STAKEHOLDERS, STAKEHOLDERS),
            ("scale", _SCALES, SCALES),
        ):
            if typed_cells[name]:
                chosen = _choose(choices, typed_cells[name])
                if chosen is None:
                    refuse(name, f"{typed_cells[name]!r} is not one of: {allowed_text(vocabulary)}")
                else:
                    setattr(data, name, chosen)
        channel_typed = typed_cells["channel"]
        if channel_typed:
            channel = _CHANNELS.get(fold(channel_typed))
            if channel is None:
                refuse("channel", f"{channel_typed!r} is not one of: {allowed_text(CHANNELS)}")
            else:
                data.channel = channel
        else:
            data.channel = default_channel
        for typed in _split(typed_cells["benefits"]):
            benefit = _choose(_BENEFITS, typed)
            if benefit is None:
                refuse("benefits", f"{typed!r} is not one of: {allowed_text(BENEFITS)}")
            elif benefit not in data.benefits:
                data.benefits.append(benefit)
        if typed_cells["topic"]:
            topic = topic_of.get(fold(typed_cells["topic"]))
            if topic is None:
                named = ", ".join(topics) if topics else "none (the meetings declare no topics)"
                refuse("topic", f"{typed_cells['topic']!r} is not a topic here. Topics: {named}")
            else:
                data.topic = topic
        captured_at = None
        if not _is_empty(cells.get("captured_at")):
            try:
                captured_at = parse_when(cells["captured_at"], zone, moment)
            except ValueError as error:
                refuse("captured_at", str(error))
        source_id = clean_text(typed_cells["source_id"])
        if len(source_id) > SOURCE_ID_MAX:
            refuse("source_id", f"at most {SOURCE_ID_MAX} characters")
        elif source_id in seen_sources:
            refuse(
                "source_id",
                f"{source_id!r} is also on row {seen_sources[source_id]}: each row needs its own",
            )
        elif source_id:
            seen_sources[source_id] = line
        try:
            clean = validate_idea(data, topics=list(topics))
        except FieldErrors as error:
            for name, message in error.errors.items():
                if not any(r.column == name for r in refusals):
                    refuse(name, message)
            clean = data
        if refusals:
            plan.refusals.extend(refusals)
            continue
        if source_id and source_id in known:
            before = known[source_id]
            changed = _differences(before, clean, captured_at)
            if changed:
                plan.differs.append((line, before.ref, changed))
            else:
                plan.unchanged.append((line, before.ref))
            continue
        plan.new.append(RowToImport(line, clean, captured_at, source_id))
        if not channel_typed:
            plan.defaulted_channel += 1
    return plan


def _differences(before: KnownIdea, now: IdeaInput, captured_at: datetime | None) -> list[str]:
    changed = [
        name
        for name in (
            "title",
            "detail",
            "raised_by",
            "organisation",
            "publish_name",
            "stakeholder",
            "channel",
            "topic",
            "tags",
            "scale",
            "benefits",
            "affects",
        )
        if getattr(before.data, name) != getattr(now, name)
    ]
    if captured_at is not None and abs((before.captured_at - captured_at).total_seconds()) >= 1:
        changed.append("captured_at")
    return changed


# ---------------------------------------------------------------------------- the database


@dataclass(frozen=True)
class ImportTarget:
    """Where the ideas go: a meeting, or the programme's intake record (made on apply)."""

    programme: Programme
    meeting: Meeting | None  # None: the intake record, not made yet

    @property
    def is_intake(self) -> bool:
        return self.meeting is None or is_intake(self.meeting)


def import_target(
    session: Session, *, meeting: Meeting | None = None, programme: Programme | None = None
) -> ImportTarget:
    """The meeting named, or the intake record of the programme named (found or to be made)."""
    if meeting is not None:
        return ImportTarget(programme_of_meeting(session, meeting), meeting)
    if programme is None:
        raise NotFound("Name a meeting or a programme to import into.")
    return ImportTarget(programme, find_intake(session, programme))


def default_channel_for(target: ImportTarget) -> str:
    """Outside meetings: email or letter. Into a meeting: written cards typed up after it."""
    return "email" if target.is_intake else "card"


def _known(session: Session, programme: Programme, source_ids: set[str]) -> dict[str, KnownIdea]:
    """Ideas of the programme imported before under these source ids (not deleted ones:
    deleting an imported idea and importing it again brings it back)."""
    if not source_ids:
        return {}
    meeting_ids = programme_meeting_ids(session, programme)
    found: dict[str, KnownIdea] = {}
    wanted = sorted(source_ids)
    for start in range(0, len(wanted), 900):  # bound the IN list (SQLite's variable limit)
        query = (
            select(Idea, Meeting.code)
            .join(Meeting, col(Meeting.id) == col(Idea.meeting_id))
            .where(
                col(Idea.source_id).in_(wanted[start : start + 900]),
                col(Idea.meeting_id).in_(meeting_ids),
                col(Idea.deleted_at).is_(None),
            )
        )
        for idea, code in session.exec(query):
            found[idea.source_id] = KnownIdea(
                f"{code}/{idea.ref}",
                IdeaInput(
                    title=idea.title,
                    detail=idea.detail,
                    raised_by=idea.raised_by,
                    organisation=idea.organisation,
                    publish_name=idea.publish_name,
                    stakeholder=idea.stakeholder,
                    channel=idea.channel,
                    topic=idea.topic,
                    tags=json.loads(idea.tags or "[]"),
                    scale=idea.scale,
                    benefits=json.loads(idea.benefits or "[]"),
                    affects=idea.affects,
                ),
                idea.captured_at,
            )
    return found


def plan_topics(session: Session, target: ImportTarget) -> list[str]:
    """The topics an imported idea may take: the meeting's, or (outside meetings) every topic
    of the programme's meetings."""
    if target.meeting is not None and not is_intake(target.meeting):
        return meeting_topics(target.meeting)
    own = meeting_topics(target.meeting) if target.meeting is not None else []
    return list(dict.fromkeys([*own, *programme_topics(session, target.programme)]))


def plan_import(
    session: Session, table: Table, target: ImportTarget, *, default_channel: str | None = None
) -> ImportPlan:
    """What importing ``table`` into ``target`` would do (reads only)."""
    topics = plan_topics(session, target)
    if target.meeting is not None:
        zone = target.meeting.timezone
    else:
        zone = intake_timezone(session, target.programme)
    sources = {clean_text(_text(cells.get("source_id"))) for _, cells in table.rows}
    sources.discard("")
    return check_rows(
        table,
        topics=topics,
        default_channel=default_channel or default_channel_for(target),
        timezone=zone,
        known=_known(session, target.programme, sources),
    )


@dataclass(frozen=True)
class ImportResult:
    plan: ImportPlan
    meeting: Meeting
    refs: list[str]  # of the ideas made, in row order


def apply_import(
    session: Session,
    table: Table,
    target: ImportTarget,
    *,
    actor: str = "",
    default_channel: str | None = None,
) -> ImportResult:
    """Import every new row in the caller's transaction, or none: ``ImportRefused`` when any
    row is refused (checked again here, under the programme's lock, so two imports of the
    same file at once cannot both add its rows)."""
    session.get(Programme, target.programme.id, with_for_update=True)  # one import at a time
    if target.meeting is not None:
        session.refresh(target.meeting)
    else:
        target = ImportTarget(target.programme, find_intake(session, target.programme))
    plan = plan_import(session, table, target, default_channel=default_channel)
    if plan.refused:
        raise ImportRefused(plan)
    meeting = target.meeting or intake_record(session, target.programme, actor=actor)
    if is_intake(meeting):
        intake_record(session, target.programme, actor=actor)  # topics added since
    refs = _insert(session, meeting, plan.new, clean_text(actor)[:NAME_MAX], table.path.name)
    return ImportResult(plan, meeting, refs)


_UNMODELLED = {"search_vector", "answer_published"}


def _insert(
    session: Session, meeting: Meeting, rows: list[RowToImport], actor: str, file_name: str
) -> list[str]:
    if not rows:
        return []
    session.flush()
    table = Meeting.__table__  # type: ignore[attr-defined]
    last = int(
        session.execute(
            update(table)
            .where(table.c.id == meeting.id)
            .values(idea_seq=table.c.idea_seq + len(rows))
            .returning(table.c.idea_seq)
        ).scalar_one()
    )
    session.expire(meeting, ["idea_seq"])
    first = last - len(rows) + 1
    now = utcnow()
    ideas: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    refs: list[str] = []
    # Plain rows, not ORM objects (building 10,000 of those took seconds): every column's
    # default from one template idea, then each row's own values.
    template = Idea(ref="", meeting_id=meeting.id, title="", captured_at=now, updated_at=now)
    columns = [c.name for c in Idea.__table__.columns if c.name not in _UNMODELLED]  # type: ignore[attr-defined]
    base = {name: getattr(template, name) for name in columns}
    base.update(agenda_item_id=None, captured_by=actor)
    for seq, row in enumerate(rows, start=first):
        data = row.data
        idea = dict(
            base,
            id=uuid.uuid4(),
            ref=format_ref(seq),
            seq=seq,
            **form_columns(data),
            captured_at=row.captured_at or now,
            source_id=row.source_id,
        )
        ideas.append(idea)
        refs.append(idea["ref"])
        detail = {"ref": idea["ref"], "channel": data.channel, "imported_from": file_name}
        if row.source_id:
            detail["source_id"] = row.source_id
        events.append(
            {
                "at": now,
                "meeting_id": meeting.id,
                "kind": "idea.captured",
                "entity": "idea",
                "entity_id": str(idea["id"]),
                "actor": actor,
                "detail": json.dumps(detail, ensure_ascii=False),
            }
        )
    with _search_index_filled_after(session, meeting.id, first, last):
        session.execute(insert(Idea.__table__), ideas)  # type: ignore[attr-defined]
    session.execute(insert(Event.__table__), events)  # type: ignore[attr-defined]
    record_event(
        session,
        kind="ideas.imported",
        meeting_id=meeting.id,
        entity="meeting",
        entity_id=meeting.id,
        actor=actor,
        detail={"file": file_name, "count": len(rows), "first": refs[0], "last": refs[-1]},
    )
    session.flush()
    return refs


# SQLite's full-text index is kept by a trigger per inserted idea (revision 0006), and FTS5
# takes ~0.5 ms for each such insert where one INSERT … SELECT of the same rows takes 0.04 ms
# (bench/intake_import.py: 10,000 rows, 5.6 s against 0.4 s). A large import therefore sets the
# trigger aside inside its own transaction, fills the index for its rows in one statement and
# puts the trigger back from its stored text: all or nothing with the import (SQLite's DDL is
# transactional, and its write lock keeps every other writer out meanwhile).
_FTS_TRIGGER = "idea_fts_insert"
_FTS_INSERT = re.compile(
    r"BEGIN\s+INSERT\s+INTO\s+(\w+)\s*\(([^)]*)\)\s*VALUES\s*\((.*)\)\s*;\s*END\s*$",
    re.IGNORECASE | re.DOTALL,
)
_BULK_FROM = 200  # rows; below this the trigger is as quick


@contextmanager
def _search_index_filled_after(
    session: Session, meeting_id: uuid.UUID, first: int, last: int
) -> Iterator[None]:
    if session.get_bind().dialect.name != "sqlite" or last - first + 1 < _BULK_FROM:
        yield
        return
    found = session.execute(
        sql_text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"),
        {"name": _FTS_TRIGGER},
    ).scalar()
    parts = _FTS_INSERT.search(found or "")
    values = parts.group(3) if parts else ""
    if not parts or re.search(r"\bold\.|;", values):
        yield  # a trigger this does not understand: leave it to do its work
        return
    target, columns = parts.group(1), parts.group(2)
    chosen = re.sub(r"\bnew\.", "", values, flags=re.IGNORECASE)
    session.execute(sql_text(f"DROP TRIGGER {_FTS_TRIGGER}"))
    yield
    session.execute(
        sql_text(
            f"INSERT INTO {target} ({columns}) SELECT {chosen} FROM idea"
            " WHERE meeting_id = :meeting AND seq BETWEEN :first AND :last"
        ).bindparams(bindparam("meeting", type_=Idea.__table__.c.meeting_id.type)),  # type: ignore[attr-defined]
        {"meeting": meeting_id, "first": first, "last": last},
    )
    session.execute(sql_text(str(found)))


def sample_titles(plan: ImportPlan, count: int = 5) -> Iterable[tuple[int, str]]:
    return ((row.line, row.data.title) for row in plan.new[:count])
