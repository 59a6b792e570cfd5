"""Export benchmark: a meeting with 2,000 ideas and 20,000 comments, every format timed.

Baseline, measured in the same run on the same file: raw ``sqlite3`` reading every idea and
comment row and joining them into one string (the least any export must do). Prints seconds per
format, the ratio to the baseline, and whether the 2 s target is met.

    python bench/export.py [--ideas 2000] [--comments 20000] [--repeat 3]

Measured on the 2-core development machine, 2026-12-01, before and after the gather read plain
rows (figures in s, and x the baseline of the same run):

    before, load ~2:   baseline 0.136  gather 1.44 (10.6x)  docx 1.97 (14.5x)  json 2.15 (15.8x)
    after,  load ~2:   baseline 0.091  gather 0.59 (6.5x)   docx 1.01 (11.1x)  json 1.10 (12.2x)
    after,  load ~4:   baseline 0.208  gather 0.67 (3.2x)   docx 1.71 (8.2x)   json 1.83 (8.8x)

On a busy machine every figure grows with the baseline; the ratios are what to compare.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from meetingtui.agenda import load_agenda
from meetingtui.domain import meetings
from meetingtui.domain.models import Comment, Idea, utcnow
from meetingtui.export import FORMATS, render_minutes
from meetingtui.export.minutes import build_minutes
from meetingtui.store.database import Database

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 2.0


def seed(database: Database, ideas: int, comments: int) -> uuid.UUID:
    agenda = load_agenda(ROOT / "sample_agendas" / "health_and_care_town_hall.toml")
    with database.write() as session:
        meeting = meetings.create_meeting(session, agenda=agenda)
        meetings.start_meeting(session, meeting_id=meeting.id)
        items = meetings.agenda_items(session, meeting.id)
    topics = list(agenda.topics)
    start = utcnow()
    with database.write() as session:
        rows = []
        for n in range(ideas):
            rows.append(
                Idea(
                    ref=f"I-{n + 1:04d}",
                    seq=n + 1,
                    meeting_id=meeting.id,
                    agenda_item_id=items[n % 7].id,
                    title=f"Idée numéro {n}: more <evening> clinics 🩺",
                    detail="Détail " * 40,
                    stakeholder="resident",
                    channel="phone",
                    topic=topics[n % len(topics)],
                    raised_by=f"Person {n}",
                    publish_name=n % 2 == 0,
                    captured_at=start + timedelta(seconds=n),
                )
            )
        session.add_all(rows)
        session.flush()
        session.add_all(
            Comment(
                idea_id=rows[n % ideas].id,
                meeting_id=meeting.id,
                body=f"Comment {n} — d'accord & <agree>",
                author="Sam",
                created_at=start + timedelta(seconds=n),
            )
            for n in range(comments)
        )
    return meeting.id


def baseline(path: Path) -> None:
    connection = sqlite3.connect(path)
    parts = [" ".join(map(str, row)) for row in connection.execute("SELECT * FROM idea")]
    parts += [" ".join(map(str, row)) for row in connection.execute("SELECT * FROM comment")]
    "\n".join(parts)
    connection.close()


def timed(function, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=2000)
    parser.add_argument("--comments", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        database = Database.open(f"sqlite:///{path}", migrate=True)
        began = time.perf_counter()
        meeting_id = seed(database, args.ideas, args.comments)
        print(
            f"seeded {args.ideas:,} ideas and {args.comments:,} comments "
            f"in {time.perf_counter() - began:.1f} s"
        )

        base = timed(lambda: baseline(path), args.repeat)

        def gather():
            with database.read() as session:
                return build_minutes(session, meeting_id)

        gathered = timed(gather, args.repeat)
        minutes = gather()
        print(f"\n{'step':<28}{'median s':>10}{'x baseline':>12}  target")
        print(f"{'baseline: raw sqlite3 read':<28}{base:>10.3f}{1.0:>12.1f}")
        print(f"{'gather (build_minutes)':<28}{gathered:>10.3f}{gathered / base:>12.1f}")
        worst = 0.0
        for name in FORMATS:
            rendered = timed(lambda name=name: render_minutes(minutes, name), args.repeat)
            total = gathered + rendered
            worst = max(worst, total)
            size = len(render_minutes(minutes, name))
            verdict = "ok" if total < TARGET_SECONDS else "SLOW"
            print(
                f"{'export ' + name + f' ({size / 1e6:.1f} MB)':<28}{total:>10.3f}"
                f"{total / base:>12.1f}  {verdict} (< {TARGET_SECONDS:.0f} s)"
            )
        database.close()
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
