"""Similar ideas while typing (issue 11): the cost of one keystroke's suggestion on a big catalogue.

Seeds ``--ideas`` ideas (100,000) over ``--meetings`` meetings (200) of one programme in a fresh
SQLite file (bench/catalogue_seed.py's ``seed``; ``--db`` reuses a file), then types real titles
letter by letter (``TITLES``, and ``--catalogue-titles`` titles drawn from the catalogue itself)
and asks ``domain/similar.py``'s ``similar_ideas`` after every keystroke, as the idea form would
if it did not wait for a pause: the programme's ideas for the console (organisers), one
meeting's for the phone (public). Baseline, in the same run on the same file and the same
keystrokes: the plain catalogue search (``domain/search.py``'s ``search_ideas``, best 3 of the
programme), and the ratio to it. Target: p95 under 30 ms per keystroke.

    python bench/intake_similar.py [--ideas 100000] [--meetings 200] [--db PATH] [--keep]

Importable: ``measure(database, …)`` returns the figures (``Figures``) without printing.

Measured on the shared 2-core development machine, 2026-12-02, 100,000 ideas (seeded in 366 s),
477 keystrokes of 16 titles, other helpers' test suites running (load 2.2-2.5), ms:

    per keystroke                         p50    p95
    similar ideas (programme, console)   14.6   31.5   (max 57.6)
    similar ideas (one meeting, phone)          31.5
    baseline: catalogue search, best 3   36.5  123.6
    ratio (similar p95 / baseline p95)   0.25

Measured again on the same machine quiet, 2026-12-02 19:17 (load average 0.5-1.0), 100,000
ideas (seeded in 119 s), the same 477 keystrokes, two runs on one file, ms:

    per keystroke                         p50    p95
    similar ideas (programme, console)   13.8   24.3   (max 126.6)   second run 16.5 / 26.3
    similar ideas (one meeting, phone)          14.4                 second run 15.1
    baseline: catalogue search, best 3   36.5  103.3                 second run 42.1 / 118.0
    ratio (similar p95 / baseline p95)   0.24                        second run 0.22

Target p95 < 30 ms: met on the quiet machine; under the load of other suites it is 31.5.

The first version (bm25 over title and detail, whole rows read) measured p95 139 ms (phone
456 ms) on the same file: see domain/similar.py for what changed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.catalogue_seed import PROGRAMME, seed  # noqa: E402
from meetingtui.domain.models import Idea  # noqa: E402
from meetingtui.domain.programmes import find_programme, programme_meeting_ids  # noqa: E402
from meetingtui.domain.public import Audience  # noqa: E402
from meetingtui.domain.search import IdeaQuery, search_ideas  # noqa: E402
from meetingtui.domain.similar import similar_ideas  # noqa: E402
from meetingtui.store.database import Database  # noqa: E402

TITLES = (
    "Benches at the bus stop by the surgery",
    "Later evening GP appointments for carers",
    "A café in the library",
    "Wheelchair access to the train station",
    "Cheaper parking near the hospital",
    "More litter bins in the park",
    "Translation and interpreter help at the clinic",
    "Safer crossing by the school",
)
TARGET_MS = 30.0


@dataclass(frozen=True)
class Figures:
    keystrokes: int
    similar_p50: float
    similar_p95: float
    similar_max: float
    baseline_p50: float
    baseline_p95: float
    phone_p95: float
    shown: int  # keystrokes after which at least one similar idea was offered

    @property
    def ratio(self) -> float:
        return self.similar_p95 / self.baseline_p95 if self.baseline_p95 else float("nan")


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def keystrokes(titles: list[str]) -> list[str]:
    """Every prefix of every title, as typed one letter at a time."""
    return [title[:n] for title in titles for n in range(1, len(title) + 1)]


def measure(database: Database, *, catalogue_titles: int = 8, seed_value: int = 11) -> Figures:
    with database.read() as session:
        scope = programme_meeting_ids(session, find_programme(session, PROGRAMME))
        drawn = list(session.exec(select(Idea.title).where(Idea.meeting_id == scope[0]).limit(200)))
    rng = random.Random(seed_value)
    titles = [*TITLES, *rng.sample(drawn, min(catalogue_titles, len(drawn)))]
    typed = keystrokes(titles)
    one_meeting: list[uuid.UUID] = [scope[len(scope) // 2]]

    def similar(text: str, meetings: list[uuid.UUID], audience: Audience) -> int:
        with database.read() as session:
            return len(similar_ideas(session, text=text, audience=audience, meeting_ids=meetings))

    def baseline(text: str) -> None:
        with database.read() as session:
            search_ideas(session, IdeaQuery(meeting_ids=scope, text=text, limit=3))

    for text in typed[:20]:  # warm the caches both use
        similar(text, scope, Audience.ORGANISERS)
        baseline(text)
    console: list[float] = []
    phone: list[float] = []
    plain: list[float] = []
    shown = 0
    for text in typed:
        began = time.perf_counter()
        shown += similar(text, scope, Audience.ORGANISERS) > 0
        console.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        similar(text, one_meeting, Audience.PUBLIC)
        phone.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        baseline(text)
        plain.append((time.perf_counter() - began) * 1000)
    return Figures(
        keystrokes=len(typed),
        similar_p50=statistics.median(console),
        similar_p95=p95(console),
        similar_max=max(console),
        baseline_p50=statistics.median(plain),
        baseline_p95=p95(plain),
        phone_p95=p95(phone),
        shown=shown,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--ideas", type=int, default=100_000)
    parser.add_argument("--meetings", type=int, default=200)
    parser.add_argument("--comments", type=int, default=0)
    parser.add_argument("--catalogue-titles", type=int, default=8)
    parser.add_argument("--db", type=Path, help="a file seeded before (bench/catalogue_seed.py)")
    parser.add_argument("--keep", action="store_true", help="keep the seeded file")
    args = parser.parse_args()
    if args.db:
        path = args.db
    else:
        path = Path(tempfile.mkdtemp(prefix="similar-bench-")) / "catalogue.sqlite3"
        began = time.perf_counter()
        seed(path, ideas=args.ideas, comments=args.comments, meetings=args.meetings)
        print(f"seeded {args.ideas:,} ideas in {time.perf_counter() - began:.0f} s ({path})")
    database = Database.open(f"sqlite:///{path}", migrate=True)
    try:
        figures = measure(database, catalogue_titles=args.catalogue_titles)
    finally:
        database.close()
        if not args.db and not args.keep:
            path.unlink(missing_ok=True)
    print(f"keystrokes typed: {figures.keystrokes} ({figures.shown} offered a similar idea)")
    print(f"{'per keystroke, ms':<36} {'p50':>6} {'p95':>6}")
    print(
        f"{'similar ideas (programme, console)':<36} {figures.similar_p50:6.1f} "
        f"{figures.similar_p95:6.1f}   max {figures.similar_max:.1f}"
    )
    print(f"{'similar ideas (one meeting, phone)':<36} {'':>6} {figures.phone_p95:6.1f}")
    print(
        f"{'baseline: catalogue search, best 3':<36} {figures.baseline_p50:6.1f} "
        f"{figures.baseline_p95:6.1f}"
    )
    print(f"ratio (similar p95 / baseline p95): {figures.ratio:.2f}")
    met = figures.similar_p95 < TARGET_MS and figures.phone_p95 < TARGET_MS
    print(f"target p95 < {TARGET_MS:.0f} ms: {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
