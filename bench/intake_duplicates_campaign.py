"""A campaign in the duplicates view (issue 11): ``--ideas`` ideas with one identical title
(a petition copied in by thousands), seeded into a new SQLite file for timing
``meetingtui duplicates`` under ``/usr/bin/time -v`` (wall time and peak memory).

    python bench/intake_duplicates_campaign.py PATH --ideas 10000
    /usr/bin/time -v meetingtui duplicates --db sqlite:///PATH --programme Bench --format csv

Measured on the 2-core development machine, 2026-12-03, load average about 4-7 (shared with
other engineers' tests), ``--format text``, wall time and peak RSS from ``/usr/bin/time -v``:

    ideas    before (every pair scored and listed)          after (one group, one cluster)
    2,000    84.4 s, 1,170 MB; 1 cluster, 1,999,000 pairs   2.2 s, 69 MB; 1 cluster, 1,999 pairs
    10,000   MemoryError after 48 s under a 4 GB address    2.2 s, 78 MB; 1 cluster, 9,999 pairs
             cap (2.4 GB resident; ~50,000,000 pairs, some
             10 GB unbounded)

Most of "after" is starting Python and reading the ideas: the 2,000 or 10,000 copies are one
group, compared once. Titles that are near but not the same words (each with its own extra
word, say) are still compared pair by pair: memory stays bounded (pairs are streamed, clusters
list at most one pair more than their ideas plus five per idea), time grows with the pairs.
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
