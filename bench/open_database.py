"""Open benchmark: what the explicit open step costs on a meeting of 2,000 ideas and 20,000
comments, most of all SQLite's ``PRAGMA quick_check`` (damage found at open, not as 500s later).

Baseline, in the same run on the same file: raw ``sqlite3`` connecting and reading one row.
Prints medians in milliseconds and the file's size.

    python bench/open_database.py [--ideas 2000] [--comments 20000] [--repeat 11]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.export import seed  # noqa: E402
from meetingtui.store.database import Database, quick_check  # noqa: E402


def timed(function, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=2000)
    parser.add_argument("--comments", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        url = f"sqlite:///{path}"
        database = Database.open(url, migrate=True)
        seed(database, args.ideas, args.comments)
        database.close()

        def raw() -> None:
            connection = sqlite3.connect(path)
            connection.execute("SELECT 1 FROM meeting LIMIT 1").fetchall()
            connection.close()

        def open_for_reading() -> None:
            Database.open(url).close()

        def open_for_writing() -> None:
            Database.open(url, migrate=True).close()

        base = timed(raw, args.repeat)
        check = timed(lambda: quick_check(path), args.repeat)
        reading = timed(open_for_reading, args.repeat)
        writing = timed(open_for_writing, args.repeat)
        size = path.stat().st_size / 1e6
        print(f"{args.ideas:,} ideas, {args.comments:,} comments, file {size:.1f} MB")
        print(f"{'step':<34}{'median ms':>10}{'x baseline':>12}")
        for name, value in [
            ("baseline: raw sqlite3 connect+read", base),
            ("PRAGMA quick_check alone", check),
            ("Database.open (read commands)", reading),
            ("Database.open(migrate=True)", writing),
        ]:
            print(f"{name:<34}{value:>10.1f}{value / base:>12.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
