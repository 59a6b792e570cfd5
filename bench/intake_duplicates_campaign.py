"""A campaign in the duplicates view (issue 11): ``--ideas`` ideas with one identical title
(a petition copied in by thousands), seeded into a new SQLite file for timing
``meetingtui duplicates`` under ``/usr/bin/time -v`` (wall time and peak memory).

    python bench/intake_duplicates_campaign.py PATH --ideas 10000
    /usr/bin/time -v meetingtui duplicates --db sqlite:///PATH --programme Bench --format csv

Measured on the 2-core development machine, 2026-12-03, load average about 4-5 (shared):

    ideas   before (every pair listed)           after (same words: one group, one cluster)
    2,000   see the report of this change        see the report of this change
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.catalogue_seed import seed  # noqa: E402

TITLE = "Save Elm Park from the new car park"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="the new SQLite file")
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--meetings", type=int, default=10)
    args = parser.parse_args()
    url = seed(args.path, ideas=args.ideas, comments=0, meetings=args.meetings)
    raw = sqlite3.connect(args.path)
    with raw:
        raw.execute("UPDATE idea SET title = ?, deleted_at = NULL", (TITLE,))
    raw.close()
    print(url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
