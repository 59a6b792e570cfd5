"""Catalogue benchmark (issue 10, the domain part): search, filters and a bulk answer on a big
programme.

Generates ``--ideas`` ideas (100,000) and ``--comments`` comments (1,000,000) over
``--meetings`` meetings (200) of one programme in a fresh SQLite file (rows inserted directly;
the full-text table is filled by its triggers, as in use), then times with the domain's one
search function (``domain/search.py``, what ``meetingtui ideas`` and later the catalogue screen
call) the first page (50 rows) of ten typical searches and of filter combinations, each
``--repeat`` times; then a bulk status change of 1,000 ideas and its publication, and the
needs-an-answer counts. Baseline, in the same run on the same file: the raw FTS5 query of each
search in ``sqlite3`` (``… MATCH ? ORDER BY rank LIMIT 50``). Target: search and filters p95
under 50 ms.

    python bench/catalogue.py [--ideas 100000] [--comments 1000000] [--meetings 200] [--repeat 5]

Measured on the 2-core development machine, 2026-12-02, busy with other work (ms, p95 of 5;
filters: a page of 50 newest first, with the planner's statistics, ANALYZE):

    seeded 100,000 ideas, 1,000,000 comments, 200 meetings
    searches: bus 287 (raw FTS5 70), bench 268 (61), caf 263 (77), night bus 145 (25),
      wheelchair access 102 (21), gp appointment evening 37 (13), zebra 2 (0.2),
      translation polish 104 (16), river pollution 79 (15), care home elderly 116 (37)
    filters: none 4.5, topic 3.5, topic + stakeholder 4.0, needs answer 4.5, older than 30 days
      3.4, status adopted (no match) 64, organisers' reviewer (no match) 66, search + topic 251
      (by meeting and number instead of newest first, before ix_idea_captured_at: 157-183)
    bulk status of 1,000 ideas 0.36 s, publishing them 0.40 s; needs-an-answer counts 64 ms
    search and filters p95: 256 ms: the 50 ms target is NOT met yet.

Where the time goes (EXPLAIN QUERY PLAN): a filter that matches nothing walks all of
``ix_idea_captured_at`` (an index on the published status and on the reviewer would answer it);
a common word (this vocabulary is small: "bus" is in a fifth of the ideas) joins every match back
to ``idea`` and its meeting before ranking, 4x the raw FTS5 query. The planner takes
``ix_idea_captured_at`` only with statistics: revision 0006 gathers them on upgrade; nothing
refreshes them yet as a new database grows (``PRAGMA optimize``: next).

Not yet here (they are built next): the catalogue screen's first rows, the console's memory with
the catalogue open, and ``publish``.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from meetingtui.agenda.loader import parse_agenda  # noqa: E402
from meetingtui.domain import lifecycle, meetings  # noqa: E402
from meetingtui.domain.models import Comment, Idea  # noqa: E402
from meetingtui.domain.programmes import find_programme, programme_meeting_ids  # noqa: E402
from meetingtui.domain.public import Audience  # noqa: E402
from meetingtui.domain.search import IdeaQuery, fts5_query, search_ideas, words  # noqa: E402
from meetingtui.domain.states import IdeaStatus  # noqa: E402
from meetingtui.store.database import Database  # noqa: E402

VOCABULARY = [
    "bus",
    "buses",
    "shelter",
    "bench",
    "benches",
    "café",
    "cafe",
    "station",
    "fares",
    "night",
    "evening",
    "weekend",
    "doctor",
    "gp",
    "surgery",
    "appointment",
    "nurse",
    "clinic",
    "pharmacy",
    "hospital",
    "parking",
    "car",
    "park",
    "cycle",
    "lane",
    "path",
    "walking",
    "pavement",
    "crossing",
    "school",
    "children",
    "library",
    "park",
    "playground",
    "toilets",
    "lighting",
    "safety",
    "police",
    "housing",
    "rent",
    "flats",
    "homes",
    "elderly",
    "carers",
    "care",
    "home",
    "transport",
    "train",
    "tram",
    "timetable",
    "ramp",
    "wheelchair",
    "access",
    "hearing",
    "loop",
    "translation",
    "interpreter",
    "polish",
    "punjabi",
    "urdu",
    "community",
    "centre",
    "youth",
    "club",
    "sport",
    "pool",
    "gym",
    "trees",
    "flowers",
    "litter",
    "bins",
    "recycling",
    "noise",
    "air",
    "pollution",
    "river",
]
SEARCHES = (
    "bus",
    "bench",
    "caf",
    "night bus",
    "wheelchair access",
    "gp appointment evening",
    "zebra",  # nowhere
    "translation polish",
    "river pollution",
    "care home elderly",
)
TOPICS = ("Transport", "Health", "Housing", "Parks", "Community")
STAKEHOLDERS = ("resident", "carer", "patient", "frontline-staff", "voluntary-sector")
AGENDA = '[meeting]\ntitle = "Hearing {n}"\nprogramme = "Bench"\n'
AGENDA += 'topics = ["Transport", "Health", "Housing", "Parks", "Community"]\n'
AGENDA += '[[item]]\ntitle = "Open floor"\nminutes = 60\n'


def seed(database: Database, *, ideas: int, comments: int, meetings_count: int) -> None:
    rng = random.Random(42)
    with database.write() as session:
        made = [
            meetings.create_meeting(session, agenda=parse_agenda(AGENDA.format(n=n)))
            for n in range(meetings_count)
        ]
    start = datetime(2026, 9, 1, tzinfo=UTC)
    rows: list[dict[str, object]] = []
    per_meeting = -(-ideas // meetings_count)
    for index in range(ideas):
        meeting = made[index % meetings_count]
        seq = index // meetings_count + 1
        rows.append(
            {
                "id": uuid.uuid4(),
                "ref": f"I-{seq:04d}",
                "seq": seq,
                "meeting_id": meeting.id,
                "title": " ".join(rng.sample(VOCABULARY, 4)).capitalize(),
                "detail": " ".join(rng.choices(VOCABULARY, k=rng.randint(5, 40))),
                "topic": rng.choice(TOPICS),
                "stakeholder": rng.choice(STAKEHOLDERS),
                "captured_at": start + timedelta(minutes=index),
                "updated_at": start + timedelta(minutes=index),
            }
        )
    with database.write() as session:
        for chunk in range(0, len(rows), 10_000):
            session.execute(insert(Idea.__table__), rows[chunk : chunk + 10_000])  # type: ignore[attr-defined]
        for meeting in made:
            meeting.idea_seq = per_meeting
    with database.write() as session:
        batch: list[dict[str, object]] = []
        for index in range(comments):
            idea = rows[rng.randrange(len(rows))]
            batch.append(
                {
                    "id": uuid.uuid4(),
                    "idea_id": idea["id"],
                    "meeting_id": idea["meeting_id"],
                    "body": " ".join(rng.choices(VOCABULARY, k=12)),
                    "created_at": start + timedelta(seconds=index),
                }
            )
            if len(batch) == 20_000:
                session.execute(insert(Comment.__table__), batch)  # type: ignore[attr-defined]
                batch = []
        if batch:
            session.execute(insert(Comment.__table__), batch)  # type: ignore[attr-defined]


def timed(repeat: int, action) -> list[float]:  # noqa: ANN001
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--meetings", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="catalogue-bench-"))
    path = folder / "catalogue.sqlite3"
    database = Database.open(f"sqlite:///{path}", migrate=True)
    began = time.perf_counter()
    seed(database, ideas=args.ideas, comments=args.comments, meetings_count=args.meetings)
    print(
        f"seeded {args.ideas:,} ideas, {args.comments:,} comments, {args.meetings} meetings "
        f"in {time.perf_counter() - began:.1f} s ({path})"
    )
    with database.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")  # statistics, as an upgraded database has them
        connection.commit()
    with database.read() as session:
        meeting_ids = programme_meeting_ids(session, find_programme(session, "Bench"))

    def page(**query: object) -> None:
        with database.read() as session:
            search_ideas(session, IdeaQuery(meeting_ids=meeting_ids, limit=50, **query))  # type: ignore[arg-type]

    raw = sqlite3.connect(path)
    all_samples: list[float] = []
    print(f"{'search':<26} {'p50 ms':>8} {'p95 ms':>8} {'raw FTS5 p95':>13}")
    for text in SEARCHES:
        samples = timed(args.repeat, lambda text=text: page(text=text))
        match = fts5_query(words(text))
        baseline = timed(
            args.repeat,
            lambda match=match: raw.execute(
                "SELECT idea_id FROM idea_fts WHERE idea_fts MATCH ? ORDER BY rank LIMIT 50",
                (match,),
            ).fetchall(),
        )
        all_samples += samples
        print(
            f"{text:<26} {statistics.median(samples):8.1f} {p95(samples):8.1f} "
            f"{p95(baseline):13.1f}"
        )
    filters = {
        "no filter": {},
        "topic": {"topic": "Transport"},
        "topic + stakeholder": {"topic": "Health", "stakeholder": "carer"},
        "status adopted": {"statuses": ("adopted",)},
        "needs answer": {"needs_answer": True},
        "older than 30 days": {"older_than_days": 30},
        "search + topic": {"text": "bus", "topic": "Transport"},
        "organisers, reviewer": {"reviewer": "Priya", "audience": Audience.ORGANISERS},
    }
    print(f"{'filters (newest first)':<26} {'p50 ms':>8} {'p95 ms':>8}")
    for name, query in filters.items():
        query = {"order": "newest", **query}
        samples = timed(args.repeat, lambda query=query: page(**query))
        all_samples += samples
        print(f"{name:<26} {statistics.median(samples):8.1f} {p95(samples):8.1f}")
    with database.read() as session:
        ids = [
            i.id for i, _ in search_ideas(session, IdeaQuery(meeting_ids=meeting_ids, limit=1000))
        ]
    began = time.perf_counter()
    with database.write() as session:
        lifecycle.set_status(
            session,
            idea_ids=ids,
            status=IdeaStatus.NOT_TAKEN_FORWARD,
            reason="Outside the plan",
            actor="bench",
        )
    status_s = time.perf_counter() - began
    began = time.perf_counter()
    with database.write() as session:
        lifecycle.publish_answers(session, idea_ids=ids, actor="bench")
    publish_s = time.perf_counter() - began
    began = time.perf_counter()
    with database.read() as session:
        waiting = lifecycle.needs_answer(session, meeting_ids, limit=50)
    counts_ms = (time.perf_counter() - began) * 1000
    print(f"bulk status of 1,000 ideas: {status_s:.2f} s; publishing them: {publish_s:.2f} s")
    print(f"needs an answer: {waiting.total:,} ({waiting.over}) in {counts_ms:.0f} ms")
    worst = p95(all_samples)
    verdict = "met" if worst < 50 else "NOT met"
    print(f"search and filters p95 over all: {worst:.1f} ms (target 50 ms: {verdict})")
    database.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
