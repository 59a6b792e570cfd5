"""Attendee web under load: many phones posting comments at once, on loopback.

The server is ``serve_meeting``, the function behind ``meetingtui serve``, in its own process,
on a real SQLite file (WAL, ``synchronous=FULL``: every comment is durably committed before its
303 is sent). Beside the meeting's routes, the same uvicorn serves a bare Starlette endpoint
(``POST /bare``: parse the same form, answer 303) — the baseline, measured in the same run.

Each simulated device is an aiohttp session with its own cookie jar: it loads the meeting page
(device cookie and form token, as a phone does), then posts comments one after another. Rate
limits stay on, with buckets too large to refuse anything, so their cost is measured too.

Prints requests/s, p50/p99 latency for the bare endpoint and for comments, the ratio of the two
rates, and checks that the database holds exactly one comment per 303 received.

    python bench/web_load.py [--devices 100] [--requests 3000] [--rounds 3] [--diagnose]

Measured 2026-11-24 on the 2-core build machine, client and server on the same cores (the
machine is shared: the same code swings by 10-15% between runs, so read ratios as a range).
With httptools and uvloop (project dependencies since then), 100 devices, 3 rounds:

    bare endpoint            10,130-10,350/s  p50 9-10 ms    p99 12-13 ms
    comments                 5,560-5,850/s    p50 16-18 ms   p99 27-34 ms
    ratio                    0.54-0.57 (two runs, rounds and medians); target 0.5: met
                             (with httptools alone, before uvloop: 0.43-0.51)
    paced, 300/s offered     p50 1.7-2.2 ms, p99 3.3-5.7 ms
    durability               13,700 comments answered 303, 13,700 in the database

History on the same machine: one SQLModel transaction per comment on the default thread pool,
460/s (p99 250 ms); one writer thread with group commit, 690-860/s; comments batched per
meeting through ``add_comments`` (one query, one insert per table), 1,340-1,640/s; fewer
garbage collections while serving, p99 from 130-160 ms to 60-90 ms; 2,100-2,200/s when quiet
(ratio 0.28-0.31). Then: the comment POST as a plain Starlette route matched first, with
urlencoded forms split by ``parse_qsl`` (ratio 0.33-0.43); the writer waking the event loop
once per batch instead of once per comment, valid signatures remembered instead of two HMACs
a post, security headers added on raw bytes (3,300-3,750/s when quiet, ratio 0.38-0.44);
``add_comments`` on plain rows and Core statements (writer CPU per 48 comments 4.1 -> 2.4 ms).
Last, the HTTP layer itself: uvicorn picks httptools (C) over h11 (pure Python) when it is
installed, and ``meetingtui serve`` runs on uvloop: the server's CPU per request fell for
both endpoints, and comments, bound by server CPU where bare is partly bound by the client,
gained most (2,800 -> 5,600/s in the same run conditions).

After the issue 8 web work (bounded connections in a subclass of uvicorn's httptools protocol,
every POST through one ``handle_post``), against the commit before it, alternating in the same
session (2026-12-01, load average ~4 from other work, so absolute rates far below the above):
comments 529-531/s before, 546-723/s after; p99 298-333 ms before, 254-450 ms after. No
measurable cost.

Reads against writes (``--compare-read-slots``, issue 8 #13): 20 clients loading the page of a
2,000-idea, 20,000-comment meeting back to back while 50 phones post 20 comments/s, against a
server rendering up to 40 pages at once (the default thread pool, as before) and one with 4
read slots; 2 rounds, alternating, 2026-12-01, machine load average 6-9 from other work:

    40 renders at once    posts p50 2.7-3.6 s     p99 8.7-14.3 s    (8/s of the 20/s offered)
    4 read slots          posts p50 0.16-0.42 s   p99 0.66-1.4 s    (16/s)
    pages                 p50 10-17 s either way: the page's own cost grows with the meeting
                          (issue 8 #13, the read side), which the slots do not change.

What is left: the writer thread is busy ~94% at saturation (0.17 ms a comment, most of it
waiting for a core or the GIL beside the event loop and the client); fsync is 1-2 ms a commit
of ~35 comments. Tried without gain: a shorter GIL switch interval, bigger batches (256),
multi-row INSERT ... VALUES, INSERT ... SELECT FROM json_each.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
CODE = "benchcode2"
TARGET_RATIO = 0.5
TARGET_P99_MS = 100.0

SERVER = textwrap.dedent(
    """
    import sys
    from starlette.applications import Starlette
    from starlette.responses import RedirectResponse
    from starlette.routing import Mount, Route

    from meetingtui.store.database import Database
    from meetingtui.web.security import Bucket, RateLimits
    from meetingtui.web.serve import serve_meeting

    async def bare(request):
        await request.form()
        return RedirectResponse("/bare", status_code=303)

    def wrap(app):
        from starlette.responses import JSONResponse
        from meetingtui.web.forms import CommentForm, read_form
        from meetingtui.web.security import Refusal, check_csrf, client_address

        # Diagnosis: the framework's share: the same route shape and checks, no database.
        async def framework(request):
            form = await read_form(request, CommentForm)
            state = request.app.state
            if check_csrf(request, state.signer, form.csrf_token) or isinstance(
                state.rate_limiter.take_post(
                    device=request.state.device.id, address=client_address(request)
                ),
                Refusal,
            ):
                return RedirectResponse("/refused", status_code=403)
            return RedirectResponse("/m/x", status_code=303)

        async def writer_stats(request):
            writer = app.state.writer
            return JSONResponse({"batches": writer.batches, "writes": writer.writes,
                                 "busy_seconds": writer.busy_seconds})

        app.add_route("/m/{code}/ideas/{ref}/noop", framework, methods=["POST"])
        return Starlette(routes=[
            Route("/bare", bare, methods=["POST"]),
            Route("/bench/writer", writer_stats),
            Mount("/", app),
        ])

    if len(sys.argv) > 3:  # --compare-read-slots: the number of page renders at once
        import meetingtui.web.middleware
        meetingtui.web.middleware.READ_SLOTS = int(sys.argv[3])
    huge = Bucket(capacity=1e12, per_second=1e12)
    limits = RateLimits(
        device=huge, address=huge, refused=huge, reads=huge, anonymous_reads=huge
    )
    sys.exit(serve_meeting(
        database=Database(sys.argv[1]), meeting_code=sys.argv[2], host="127.0.0.1", port=0,
        rate_limits=limits, wrap_app=wrap,
    ))
    """
)


def seed(url: str) -> str:
    """A started meeting on its discussion item, with ten ideas to comment on."""
    from meetingtui.agenda import load_agenda
    from meetingtui.domain import meetings
    from meetingtui.domain.ideas import IdeaInput, capture_idea
    from meetingtui.store.database import Database

    database = Database.open(url, migrate=True)
    agenda = load_agenda(ROOT / "sample_agendas" / "health_and_care_town_hall.toml")
    with database.write() as session:
        meeting = meetings.create_meeting(session, agenda=agenda, code=CODE)
        meetings.start_meeting(session, meeting_id=meeting.id)
        meetings.move_to_item(session, meeting_id=meeting.id, step=2)
        for n in range(10):
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=f"Idea {n}"))
    database.close()
    return CODE


def domain_only(url: str, count: int = 2000, batch: int = 50) -> float:
    """Comments/s through the same domain call, no HTTP: ``batch`` per commit, as the writer
    does under load. The ceiling for the whole path with this ORM and this disk."""
    from meetingtui.domain.ideas import add_comment
    from meetingtui.store.database import Database
    from meetingtui.web.views import find_public_meeting

    database = Database.open(url, migrate=True)
    started = time.perf_counter()
    for first in range(0, count, batch):
        with database.write() as session:
            for k in range(first, first + batch):
                meeting = find_public_meeting(session, CODE)
                add_comment(
                    session,
                    meeting_id=meeting.id,
                    idea_ref=f"I-{k % 10 + 1:04d}",
                    body=f"Comment {k}",
                    from_public=True,
                )
    seconds = time.perf_counter() - started
    database.close()
    return count / seconds


def count_comments(url: str) -> int:
    from sqlmodel import func, select

    from meetingtui.domain.models import Comment
    from meetingtui.store.database import Database

    database = Database.open(url, migrate=True)
    with database.read() as session:
        count = session.exec(select(func.count()).select_from(Comment)).one()
    database.close()
    return count


@dataclass
class Result:
    name: str
    seconds: float
    latencies: list[float]
    statuses: dict[int, int]

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


async def run_phase(
    name: str, base: str, devices: int, total: int, path_for: object, rate: float = 0
) -> tuple[Result, int]:
    """``devices`` phones, each posting its share of ``total`` forms: back to back (saturation),
    or, with ``rate``, paced so that all of them together offer ``rate`` posts a second."""
    sessions = [
        aiohttp.ClientSession(
            base,
            connector=aiohttp.TCPConnector(limit=1, force_close=False),
            cookie_jar=aiohttp.CookieJar(unsafe=True),
        )
        for _ in range(devices)
    ]

    async def open_page(session: aiohttp.ClientSession) -> str:
        async with session.get(f"/m/{CODE}") as response:
            page = await response.text()
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert match, "no form token on the page"
        return match.group(1)

    # Each phone opens the page first (cookie and form token), all at once, so that no
    # connection sits idle past the server's keep-alive while the others load.
    tokens = await asyncio.gather(*(open_page(session) for session in sessions))
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []
    per_device = [total // devices + (1 if n < total % devices else 0) for n in range(devices)]

    interval = devices / rate if rate else 0.0

    async def phone(n: int) -> None:
        session, token = sessions[n], tokens[n]
        if interval:
            await asyncio.sleep(interval * n / devices)  # spread the phones' first posts
        next_at = time.perf_counter()
        for k in range(per_device[n]):
            if interval:
                next_at += interval
                await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            path, form = path_for(n, k)  # type: ignore[operator]
            started = time.perf_counter()
            try:
                async with session.post(
                    path, data={**form, "csrf_token": token}, allow_redirects=False
                ) as response:
                    await response.read()
                    status = response.status
            except (TimeoutError, aiohttp.ClientError) as error:
                status = 0  # counted, not fatal: the report shows it
                errors.append(repr(error))
            statuses[status] = statuses.get(status, 0) + 1
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(phone(n) for n in range(devices)))
    seconds = time.perf_counter() - started
    for session in sessions:
        await session.close()
    if errors:
        print(f"          {name}: {len(errors)} client errors, first {errors[0]}")
    return Result(name, seconds, latencies, statuses), statuses.get(303, 0)


async def writer_stats(base: str) -> dict[str, float]:
    async with aiohttp.ClientSession(base) as session, session.get("/bench/writer") as response:
        return await response.json()


def comment_form(n: int, k: int) -> tuple[str, dict[str, str]]:
    ref = f"I-{(n + k) % 10 + 1:04d}"
    body = f"Comment {k} from phone {n}: yes, and evenings too — d'accord & <agree>"
    return f"/m/{CODE}/ideas/{ref}/comments", {"body": body}


def bare_form(n: int, k: int) -> tuple[str, dict[str, str]]:
    return "/bare", comment_form(n, k)[1]


def framework_form(n: int, k: int) -> tuple[str, dict[str, str]]:
    path, form = comment_form(n, k)
    return path.replace("/comments", "/noop"), form


def report(result: Result) -> str:
    return (
        f"{result.name:9} {result.rate:8.0f}/s   p50 {result.percentile(0.5):6.1f} ms   "
        f"p99 {result.percentile(0.99):6.1f} ms   n={len(result.latencies)} "
        f"statuses={dict(sorted(result.statuses.items()))}"
    )


async def bench(
    base: str, devices: int, requests: int, rounds: int, diagnose: bool, paced_rate: float
) -> tuple[int, list, list]:
    # Warm up both paths (imports, caches, SQLite pages) before measuring.
    await run_phase("warm-up", base, min(devices, 10), 200, bare_form)
    _, warm = await run_phase("warm-up", base, min(devices, 10), 200, comment_form)
    committed = warm
    rows = []
    for _ in range(rounds):
        bare, _ = await run_phase("bare", base, devices, requests, bare_form)
        if diagnose:
            framework, _ = await run_phase("framework", base, devices, requests, framework_form)
            print(report(framework))
        before = await writer_stats(base)
        comments, ok = await run_phase("comments", base, devices, requests, comment_form)
        after = await writer_stats(base)
        committed += ok
        rows.append((bare, comments))
        print(report(bare))
        print(report(comments))
        writes = after["writes"] - before["writes"]
        busy = after["busy_seconds"] - before["busy_seconds"]
        batches = after["batches"] - before["batches"]
        print(
            f"          writer: {busy / writes * 1000:.2f} ms per comment, "
            f"{writes / batches:.0f} per commit, busy {busy / comments.seconds:.0%} of the time"
        )
        print(f"          ratio {comments.rate / bare.rate:.2f}")
    paced = []
    if paced_rate:
        for _ in range(rounds):
            count = int(paced_rate * 5)  # five seconds of posting
            result, ok = await run_phase(
                "paced", base, devices, count, comment_form, rate=paced_rate
            )
            committed += ok
            paced.append(result)
            print(report(result))
    return committed, rows, paced


def seed_large(url: str, ideas: int, comments: int) -> None:
    """A meeting whose page is costly to render (issue 8 #13 measured ~250 ms at 2,000 ideas and
    20,000 comments): the room in which page loads starved the writer."""
    from meetingtui.domain.ideas import IdeaInput, add_comments, capture_idea
    from meetingtui.domain.meetings import find_meeting
    from meetingtui.store.database import Database

    seed(url)
    database = Database(url)
    with database.write() as session:
        meeting_id = find_meeting(session, CODE).id
        for n in range(10, ideas):
            capture_idea(session, meeting_id=meeting_id, data=IdeaInput(title=f"Idea {n}"))
    for first in range(0, comments, 1000):
        with database.write() as session:
            requests = [
                (f"I-{k % ideas + 1:04d}", f"Comment {k}") for k in range(first, first + 1000)
            ]
            add_comments(session, meeting_id=meeting_id, requests=requests)
    database.close()


async def readers_and_posts(
    base: str, readers: int, devices: int, rate: float, seconds: float
) -> tuple[Result, Result]:
    """``readers`` clients loading the meeting page back to back while ``devices`` phones post
    ``rate`` comments a second: the posts' latency is what reads must not starve."""
    stop = asyncio.Event()
    pages: list[float] = []
    statuses: dict[int, int] = {}

    async def reader() -> None:
        async with aiohttp.ClientSession(base) as session:
            while not stop.is_set():
                started = time.perf_counter()
                async with session.get(f"/m/{CODE}") as response:
                    await response.read()
                    statuses[response.status] = statuses.get(response.status, 0) + 1
                pages.append(time.perf_counter() - started)

    started = time.perf_counter()
    tasks = [asyncio.create_task(reader()) for _ in range(readers)]
    posts, _ = await run_phase("posts", base, devices, int(rate * seconds), comment_form, rate=rate)
    stop.set()
    await asyncio.gather(*tasks)
    return posts, Result("pages", time.perf_counter() - started, pages, statuses)


def compare_read_slots(args: argparse.Namespace) -> int:
    """The same room against a server with 40 page renders at once (the default thread pool,
    as before) and with ``READ_SLOTS``, one after the other in the same run."""
    from meetingtui.web.middleware import READ_SLOTS

    print(
        f"{args.readers} page readers back to back, {args.devices} phones posting "
        f"{args.paced_rate:.0f} comments/s, meeting of {args.ideas} ideas and "
        f"{args.comments} comments"
    )
    for slots in (40, READ_SLOTS) * args.rounds:
        with tempfile.TemporaryDirectory(dir=ROOT / "bench") as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            seed_large(url, args.ideas, args.comments)
            server = subprocess.Popen(
                [sys.executable, "-c", SERVER, url, CODE, str(slots)],
                stdout=subprocess.PIPE,
                text=True,
                cwd=ROOT,
            )
            try:
                assert server.stdout is not None
                base = server.stdout.readline().strip().rsplit("/m/", 1)[0]
                posts, pages = asyncio.run(
                    readers_and_posts(base, args.readers, args.devices, args.paced_rate, 10)
                )
            finally:
                server.terminate()
                server.wait(timeout=30)
        print(f"read slots {slots:2}: {report(posts)}")
        print(f"               {report(pages)}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=100)
    parser.add_argument("--requests", type=int, default=3000, help="per phase")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--paced-rate",
        type=float,
        default=300,
        help="posts/s offered by all devices together in the paced phase (0: skip)",
    )
    parser.add_argument(
        "--diagnose",
        action="store_true",
        help="also time the same FastAPI route shape without the database write",
    )
    parser.add_argument(
        "--compare-read-slots",
        action="store_true",
        help="instead: page readers and paced posts on a large meeting, 40 renders at once "
        "against the server's read slots",
    )
    parser.add_argument("--readers", type=int, default=40)
    parser.add_argument("--ideas", type=int, default=2000)
    parser.add_argument("--comments", type=int, default=20000)
    args = parser.parse_args()
    if args.compare_read_slots:
        return compare_read_slots(args)

    with tempfile.TemporaryDirectory(dir=ROOT / "bench") as tmp:
        reference = f"sqlite:///{Path(tmp) / 'domain.sqlite3'}"
        seed(reference)
        domain_rate = domain_only(reference)
        print(f"domain only (no HTTP, 50 per commit): {domain_rate:.0f} comments/s")
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        seed(url)
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, url, CODE],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        try:
            assert server.stdout is not None
            join_url = server.stdout.readline().strip()
            base = join_url.rsplit("/m/", 1)[0]
            print(
                f"server: serve_meeting at {base}, {args.devices} devices, "
                f"{args.requests} posts per phase, {args.rounds} rounds"
            )
            committed, rows, paced = asyncio.run(
                bench(
                    base, args.devices, args.requests, args.rounds, args.diagnose, args.paced_rate
                )
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
        stored = count_comments(url)

    bare_rate = statistics.median(b.rate for b, _ in rows)
    comment_rate = statistics.median(c.rate for _, c in rows)
    p50 = statistics.median(c.percentile(0.5) for _, c in rows)
    p99 = statistics.median(c.percentile(0.99) for _, c in rows)
    ratio = comment_rate / bare_rate
    print()
    print(
        f"median of {len(rows)} rounds: bare {bare_rate:.0f}/s, comments {comment_rate:.0f}/s, "
        f"ratio {ratio:.2f} (target >= {TARGET_RATIO})"
    )
    print(
        f"comments p50 {p50:.1f} ms, p99 {p99:.1f} ms at {args.devices} devices "
        f"(target p99 < {TARGET_P99_MS:.0f} ms)"
    )
    if paced:
        paced_p50 = statistics.median(r.percentile(0.5) for r in paced)
        paced_p99 = statistics.median(r.percentile(0.99) for r in paced)
        print(
            f"paced: {args.devices} devices offering {args.paced_rate:.0f} comments/s: "
            f"p50 {paced_p50:.1f} ms, p99 {paced_p99:.1f} ms"
        )
    durable = stored == committed
    print(
        f"durability: {committed} comments answered 303, {stored} in the database "
        f"({'all committed' if durable else 'MISMATCH'})"
    )
    met = ratio >= TARGET_RATIO and p99 < TARGET_P99_MS and durable
    print("targets met" if met else "targets NOT met")
    return 0 if durable else 1


if __name__ == "__main__":
    sys.exit(main())
