"""Import of a 10,000-row spreadsheet (``import ideas --apply``) against raw sqlite3.

Writes a CSV and an .xlsx file of ROWS ideas (accents, emoji, every column filled), then times,
on a fresh SQLite file each (synchronous FULL, as meetingtui runs it):

- ``csv``: read + check + write in one transaction (``domain/imports.py``, as the CLI runs it);
- ``xlsx``: the same from the .xlsx file;
- ``preview``: read + check only (no write);
- baseline: raw ``sqlite3`` ``executemany`` of the same rows' values into a table of the same
  columns, in one transaction (no checking, no triggers, no feed).

Prints rows/s and the ratio to the baseline. ``measure()`` returns the figures (for
bench/intake.py); ``main()`` prints them. Target: 10,000 rows under 10 s.

    .venv/bin/python bench/intake_import.py [--rows 10000] [--db URL]
"""

from __future__ import annotations

import argparse
import csv
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from meetingtui.agenda import parse_agenda
from meetingtui.domain import imports, meetings, programmes
from meetingtui.store.database import Database

STAKEHOLDERS = ["Resident", "Carer", "patient", "Frontline staff", "clinician", ""]
CHANNELS = ["Email or letter", "online", "letter", ""]
TOPICS = ["Buses", "Cycling", "Parking", ""]
WORDS = [
    *("bus", "café", "stop", "night", "évening", "bench", "shelter", "crossing", "🚲"),
    *("route", "clinic", "access", "step"),
]


def sample_rows(count: int, seed: int = 7) -> list[list[str]]:
    rng = random.Random(seed)
    rows = []
    for number in range(count):
        words = rng.sample(WORDS, 5)
        rows.append(
            [
                " ".join(words[:3]).capitalize() + f" {number}",
                " ".join(rng.choices(WORDS, k=40)),
                rng.choice(["Ana Núñez", "Zoë Smith", "", "Li Wei"]),
                rng.choice(["", "Friends of the Park"]),
                rng.choice(["yes", "no", ""]),
                rng.choice(STAKEHOLDERS),
                rng.choice(CHANNELS),
                rng.choice(TOPICS),
                "; ".join(rng.sample(WORDS, 2)),
                rng.choice(["Quick win", "major change", ""]),
                rng.choice(["access", "Access; Equity", ""]),
                "people who walk",
                f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d} 10:00",
                f"F-{number}",
            ]
        )
    return rows


def write_files(folder: Path, rows: list[list[str]]) -> tuple[Path, Path]:
    from openpyxl import Workbook

    csv_path = folder / "ideas.csv"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(imports.COLUMN_NAMES)
        writer.writerows(rows)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Ideas")
    sheet.append(list(imports.COLUMN_NAMES))
    for row in rows:
        sheet.append(row)
    xlsx_path = folder / "ideas.xlsx"
    book.save(xlsx_path)
    return csv_path, xlsx_path


AGENDA = """[meeting]
title = "East"
programme = "Transport"
topics = ["Buses", "Cycling", "Parking"]

[[item]]
title = "Open"
minutes = 5
"""


def _fresh(url: str) -> Database:
    database = Database.open(url, migrate=True)
    with database.write() as session:
        meetings.create_meeting(session, agenda=parse_agenda(AGENDA))
    return database


def _import(database: Database, path: Path, *, apply: bool) -> float:
    started = time.perf_counter()
    table = imports.read_table(path)
    session_of = database.write if apply else database.read
    with session_of() as session:
        target = imports.import_target(
            session, programme=programmes.find_programme(session, "Transport")
        )
        if apply:
            result = imports.apply_import(session, table, target, actor="bench")
            assert len(result.refs) == len(table.rows), "every row imported"
        else:
            plan = imports.plan_import(session, table, target)
            assert not plan.refused, plan.refusals[:3]
    return time.perf_counter() - started


def _baseline(folder: Path, rows: list[list[str]]) -> float:
    path = folder / "raw.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    columns = ", ".join(f"{name} TEXT" for name in imports.COLUMN_NAMES)
    connection.execute(f"CREATE TABLE idea (id INTEGER PRIMARY KEY, {columns})")
    marks = ", ".join("?" for _ in imports.COLUMN_NAMES)
    started = time.perf_counter()
    with connection:
        connection.executemany(
            f"INSERT INTO idea ({', '.join(imports.COLUMN_NAMES)}) VALUES ({marks})", rows
        )
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def measure(rows: int = 10_000, db_url: str | None = None) -> dict[str, Any]:
    """The figures: seconds and rows/s for each path, and each one's ratio to the baseline."""
    data = sample_rows(rows)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        csv_path, xlsx_path = write_files(folder, data)
        figures: dict[str, Any] = {"rows": rows}
        baseline = _baseline(folder, data)
        figures["baseline_s"] = baseline
        for name, path, apply in (
            ("preview", csv_path, False),
            ("csv", csv_path, True),
            ("xlsx", xlsx_path, True),
        ):
            url = db_url if db_url and name == "csv" else f"sqlite:///{folder / (name + '.db')}"
            database = _fresh(url)
            try:
                seconds = _import(database, path, apply=apply)
            finally:
                database.close()
            figures[f"{name}_s"] = seconds
            figures[f"{name}_rows_per_s"] = rows / seconds
            figures[f"{name}_ratio"] = baseline / seconds
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--db", help="a database URL for the csv run (default: a SQLite file)")
    args = parser.parse_args(argv)
    figures = measure(args.rows, args.db)
    rows = figures["rows"]
    base = figures["baseline_s"]
    print(f"{rows:,} rows; baseline raw sqlite3 executemany: {base:.3f} s ({rows / base:,.0f}/s)")
    for name, what in (
        ("preview", "preview (read + check)"),
        ("csv", "import --apply, CSV"),
        ("xlsx", "import --apply, .xlsx"),
    ):
        seconds = figures[f"{name}_s"]
        print(
            f"{what:<24} {seconds:6.2f} s  {figures[f'{name}_rows_per_s']:8,.0f} rows/s  "
            f"{figures[f'{name}_ratio']:.3f} of the baseline's speed"
        )
    worst = max(figures["csv_s"], figures["xlsx_s"])
    verdict = "under" if worst < 10 else "OVER"
    print(f"slowest import {worst:.2f} s: {verdict} the 10 s target for {rows:,} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
