"""Phone page benchmark: the server time of the pages a phone reads, on a large meeting and on an
empty one in the same run (issue 8 #13: the cost must not grow with the meeting).

Each route is requested in-process (Starlette's TestClient: the whole app, middleware included,
no network). Prints the median and p95 in ms per route for a large meeting and a small one whose
pages are just as full, and the ratio large / small (1.0: the size of the meeting costs nothing).

    python bench/phone_page.py [--ideas 2000] [--comments 20000] [--supports 6000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from starlette.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.export import seed  # noqa: E402
from meetingtui.domain.models import Idea, Meeting, Support  # noqa: E402
from meetingtui.store.database import Database  # noqa: E402
from meetingtui.web.app import create_web_app  # noqa: E402


def add_supports(database: Database, meeting_id: uuid.UUID, count: int) -> None:
    with database.write() as session:
        ids = [row for row in session.exec(Idea.__table__.select().with_only_columns(Idea.id))]
        session.add_all(
            Support(idea_id=ids[(n * 7) % len(ids)][0], meeting_id=meeting_id, device=f"d{n}")
            for n in range(count)
        )


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=2000)
    parser.add_argument("--comments", type=int, default=20000)
    parser.add_argument("--supports", type=int, default=6000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        # A small meeting fills a page just as the large one does (15 cards, 2 comments each),
        # so the ratio shows what the meeting's size costs, not what a fuller page costs.
        sizes = {
            "large": (args.ideas, args.comments, args.supports),
            "small": (20, 200, 60),
        }
        clients: dict[str, tuple[TestClient, str]] = {}
        databases = []
        for name, (ideas, comments, supports) in sizes.items():
            database = Database.open(f"sqlite:///{Path(folder) / f'{name}.sqlite3'}", migrate=True)
            databases.append(database)
            meeting_id = seed(database, ideas, comments)
            add_supports(database, meeting_id, supports)
            with database.read() as session:
                code = session.get(Meeting, meeting_id).code  # type: ignore[union-attr]
            clients[name] = (TestClient(create_web_app(database, secret="bench")), code)
        print(
            f"large meeting: {args.ideas:,} ideas, {args.comments:,} comments, "
            f"{args.supports:,} supports; small: 20 ideas, 200 comments, 60 supports; "
            f"{args.repeat} requests each, large and small interleaved; server time in ms"
        )
        routes = [
            ("meeting page", "/m/{code}"),
            ("page, most supported", "/m/{code}?sort=support"),
            ("last page", "/m/{code}?page=9999"),
            ("idea page", "/m/{code}/ideas/I-0010"),
            ("/live", "/m/{code}/live"),
            ("projector /screen", "/m/{code}/screen"),
            ("API meeting, page 1", "/api/meetings/{code}?per_page=20"),
            ("API meeting, last page", "/api/meetings/{code}?per_page=20&page=9999"),
        ]
        print(f"\n{'route':<25}{'large p50':>10}{'p95':>8}{'small p50':>11}{'p95':>8}{'ratio':>7}")
        for label, pattern in routes:
            samples: dict[str, list[float]] = {name: [] for name in clients}
            for client, code in clients.values():
                client.get(pattern.format(code=code))  # warm: templates, statement cache
            for _ in range(args.repeat):
                for name, (client, code) in clients.items():
                    began = time.perf_counter()
                    response = client.get(pattern.format(code=code))
                    samples[name].append((time.perf_counter() - began) * 1000)
                    assert response.status_code == 200, (pattern, response.status_code)
            large, small = samples["large"], samples["small"]
            print(
                f"{label:<25}{statistics.median(large):>10.1f}{percentile(large, 0.95):>8.1f}"
                f"{statistics.median(small):>11.1f}{percentile(small, 0.95):>8.1f}"
                f"{statistics.median(large) / statistics.median(small):>7.1f}"
            )
        for database in databases:
            database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
