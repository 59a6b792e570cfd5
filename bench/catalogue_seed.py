"""A big engagement programme in a fresh SQLite file, for the catalogue's benchmarks.

``seed(path, ideas, comments, meetings)`` makes it and returns the database's URL: the
meetings through the domain (``meetings.create_meeting``, as ``run`` makes them), the ideas and
comments inserted directly in one transaction with the models' own type conversions (the
full-text table is filled by its triggers, as in use). The same arguments make the same
catalogue (a fixed random seed). bench/catalogue.py times search on it; the catalogue screen's
and ``publish``'s benchmarks import it too.

What is in it, so that every filter has something to find: one programme (``PROGRAMME``) of
``meetings`` meetings, ideas spread evenly over them (numbered per meeting), one every minute
from 1 September 2026, titles and details drawn from ``VOCABULARY`` (small on purpose: a common
word is in a fifth to a half of the ideas, the hard case for ranking); topics and stakeholder
groups of the agenda; 2% hidden and 1% waiting for a moderator, 1% deleted; a fifth given to
one of ``REVIEWERS``; a tenth under review, and some decided (adopted, adapted, not taken
forward), half of those with their answer published; comments on ideas drawn at random.
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic_core import PydanticUndefined

from meetingtui.agenda.loader import parse_agenda
from meetingtui.domain import meetings as meeting_service
from meetingtui.domain.models import Comment, Idea
from meetingtui.store.database import Database

PROGRAMME = "Bench"
_WORDS = (
    "bus buses shelter bench benches café cafe station fares night evening weekend doctor gp "
    "surgery appointment nurse clinic pharmacy hospital parking car park cycle lane path "
    "walking pavement crossing school children library park playground toilets lighting "
    "safety police housing rent flats homes elderly carers care home transport train tram "
    "timetable ramp wheelchair access hearing loop translation interpreter polish punjabi urdu "
    "community centre youth club sport pool gym trees flowers litter bins recycling noise air "
    "pollution river"
)
VOCABULARY = _WORDS.split()
TOPICS = ("Transport", "Health", "Housing", "Parks", "Community")
STAKEHOLDERS = ("resident", "carer", "patient", "frontline-staff", "voluntary-sector")
CHANNELS = ("spoken", "phone", "paper", "email")
REVIEWERS = ("Priya", "Tom", "Ana", "Sam", "Lee")
AGENDA = (
    '[meeting]\ntitle = "Hearing {n}"\nprogramme = "' + PROGRAMME + '"\n'
    'topics = ["Transport", "Health", "Housing", "Parks", "Community"]\n'
    '[[item]]\ntitle = "Open floor"\nminutes = 60\n'
)
START = datetime(2026, 9, 1, tzinfo=UTC)
CHUNK = 20_000


def seed(
    path: Path | str, ideas: int = 100_000, comments: int = 1_000_000, meetings: int = 200
) -> str:
    """Make the catalogue in a new SQLite file at ``path`` (refused if it exists) and return its
    URL (``sqlite:///…``), ready for ``Database.open``."""
    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{path} exists; seed makes a new database.")
    url = f"sqlite:///{path}"
    database = Database.open(url, migrate=True)
    with database.write() as session:
        made = [
            meeting_service.create_meeting(session, agenda=parse_agenda(AGENDA.format(n=n)))
            for n in range(meetings)
        ]
        meeting_ids = [meeting.id for meeting in made]
        per_meeting = -(-ideas // meetings)
        for meeting in made:
            meeting.idea_seq = per_meeting
    dialect = database.engine.dialect
    database.close()
    rng = random.Random(42)
    idea_ids = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(ideas)]
    raw = sqlite3.connect(path, isolation_level=None)
    try:
        raw.execute("PRAGMA synchronous=OFF")
        raw.execute("PRAGMA cache_size=-1000000")  # 1 GB: random keys into big indexes
        raw.execute("BEGIN")
        _insert(raw, Idea, dialect, _ideas(rng, idea_ids, meeting_ids))
        _insert(raw, Comment, dialect, _comments(rng, comments, idea_ids, meeting_ids))
        raw.execute("COMMIT")
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
    return url


def _ideas(
    rng: random.Random, idea_ids: list[uuid.UUID], meeting_ids: list[uuid.UUID]
) -> Iterator[dict[str, Any]]:
    count = len(meeting_ids)
    for index, idea_id in enumerate(idea_ids):
        seq = index // count + 1
        at = START + timedelta(minutes=index)
        row: dict[str, Any] = {
            "id": idea_id,
            "ref": f"I-{seq:04d}",
            "seq": seq,
            "meeting_id": meeting_ids[index % count],
            "title": " ".join(rng.sample(VOCABULARY, 4)).capitalize(),
            "detail": " ".join(rng.choices(VOCABULARY, k=rng.randint(5, 40))),
            "topic": rng.choice(TOPICS),
            "stakeholder": rng.choice(STAKEHOLDERS),
            "channel": rng.choice(CHANNELS),
            "captured_at": at,
            "updated_at": at,
        }
        draw = rng.random()
        if draw < 0.02:
            row["visibility"] = "hidden"
        elif draw < 0.03:
            row["visibility"] = "pending"
        elif draw < 0.04:
            row["deleted_at"] = at + timedelta(hours=1)
        if rng.random() < 0.2:
            row["reviewer"] = rng.choice(REVIEWERS)
        decision = rng.random()
        if decision < 0.1:
            row["status"] = "under-review"
        elif decision < 0.16:
            status = ("adopted", "adapted", "not-taken-forward")[int(decision * 100) % 3]
            reason = "" if status == "adopted" else "Outside this plan's scope"
            row.update(status=status, status_reason=reason, response="We will look at it")
            if rng.random() < 0.5:
                row.update(
                    public_status=status,
                    public_reason=reason,
                    public_response="We will look at it",
                    published_at=at + timedelta(days=20),
                )
        yield row


def _comments(
    rng: random.Random, count: int, idea_ids: list[uuid.UUID], meeting_ids: list[uuid.UUID]
) -> Iterator[dict[str, Any]]:
    meetings_count = len(meeting_ids)
    for index in range(count):
        which = rng.randrange(len(idea_ids))
        yield {
            "id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "idea_id": idea_ids[which],
            "meeting_id": meeting_ids[which % meetings_count],
            "body": " ".join(rng.choices(VOCABULARY, k=12)),
            "created_at": START + timedelta(seconds=index),
        }


def _insert(
    raw: sqlite3.Connection, model: type, dialect: sa.Dialect, rows: Iterator[dict[str, Any]]
) -> None:
    """Insert ``rows`` into ``model``'s table, every other column at the model's default, each
    value converted as SQLAlchemy would bind it (UUIDs as hex, datetimes in UTC)."""
    table: sa.Table = model.__table__  # type: ignore[attr-defined]
    names = [column.name for column in table.columns]
    defaults = _defaults(model, table)
    converters: list[Callable[[Any], Any] | None] = [
        column.type.dialect_impl(dialect).bind_processor(dialect) for column in table.columns
    ]
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        values = []
        for name, convert in zip(names, converters, strict=True):
            value = row.get(name, defaults[name])
            values.append(convert(value) if convert is not None and value is not None else value)
        batch.append(tuple(values))
        if len(batch) == CHUNK:
            raw.executemany(sql, batch)
            batch = []
    if batch:
        raw.executemany(sql, batch)


def _defaults(model: type, table: sa.Table) -> dict[str, Any]:
    """Each column's default as the model gives it (its field default; None for the rest)."""
    fields = model.model_fields  # type: ignore[attr-defined]
    found: dict[str, Any] = {}
    for column in table.columns:
        field = fields.get(column.name)
        default = None if field is None else field.get_default(call_default_factory=True)
        found[column.name] = None if default is PydanticUndefined else default
    return found
