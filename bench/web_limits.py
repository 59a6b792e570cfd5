"""Attendee web under hostile connections (issue 8 #6): what a few raw clients cost ``serve``.

The server is ``serve_meeting`` (the function behind ``meetingtui serve``) in its own process.
Three measurements, each against the server's own state:

- memory: the server's resident size before and after 100 connections each send a 10 MB header
  at once (the issue measured 91 MB -> 1,180 MB before headers were bounded);
- a 64 MB header on one connection while another asks ``/healthz`` back to back: the health
  check's latency, against the same check with nothing else going on (the issue: stalled 4.8 s);
- what the 64 MB sender was answered (431 once headers are bounded; 200 before);
- another phone's page time, alone and while one device (one cookie) asks for the page back
  to back over 20 connections (issue 8 #8: 18 -> 233 ms before GETs were limited per device).

    python bench/web_limits.py [--source DIR]

``--source`` runs the same measurements against another checkout (for a before/after in the
same run, e.g. ``git archive <commit> | tar -x -C /tmp/base``).

Measured 2026-12-01 on the shared 2-core build machine (load average 6-9 from other work, so
read latencies as orders of magnitude), base = the commit before the bounds, then this one:

                                  base (d343c1f)             bounded (this branch)
    100 x 10 MB headers, RSS        75 -> 746 MB, all 200      75 -> 76 MB, all refused
    64 MB header                    200 OK                     refused at 32 KB (431, then
                                                               reset as the client keeps sending)
    /healthz during it              p50 590 ms, max 3.5 s      p50 0.7 ms, max 0.8 ms
    /healthz alone                  p50 0.6 ms                 p50 0.6 ms
    another phone's page, alone     p50 12 ms                  p50 16-20 ms
      while one device floods GETs  p50 215 ms, p90 299 ms     p50 16 ms, p90 28 ms
      the flooder (5 s, 20 conns)   504 pages rendered         69 pages, then 429s, each
                                                               after 1 s (answered from memory)
    (with 429s answered at once and rendered each time, the other phone's p50 was 132 ms)

A browser that sends its whole (too large) request and then reads gets the 431: see
tests/web/test_connection_limits.py.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = "benchcode2"

SERVER = textwrap.dedent(
    """
    import sys
    from meetingtui.store.database import Database
    from meetingtui.web.serve import serve_meeting
    sys.exit(serve_meeting(database=Database(sys.argv[1]), meeting_code=sys.argv[2],
                           host="127.0.0.1", port=0))
    """
)


def seed(url: str, source: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import sys
                from pathlib import Path
                from meetingtui.agenda import load_agenda
                from meetingtui.domain import meetings
                from meetingtui.store.database import Database
                database = Database(sys.argv[1])
                agenda = load_agenda(Path("sample_agendas/health_and_care_town_hall.toml"))
                with database.write() as session:
                    meeting = meetings.create_meeting(session, agenda=agenda, code=sys.argv[2])
                    meetings.start_meeting(session, meeting_id=meeting.id)
                """
            ),
            url,
            CODE,
        ],
        cwd=source,
        env={"PYTHONPATH": str(source)},
        check=True,
    )


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def send_header(host: str, port: int, size: int) -> bytes:
    """A GET whose one header is ``size`` bytes, sent in 64 KB slices; what came back."""
    reader, writer = await asyncio.open_connection(host, port)
    head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Junk: "
    chunk = b"a" * 65536
    with contextlib.suppress(ConnectionError):
        writer.write(head)
        for _ in range(size // len(chunk)):
            writer.write(chunk)
            await writer.drain()
        writer.write(b"\r\n\r\n")
        await writer.drain()
    answer = b""
    with contextlib.suppress(ConnectionError):
        answer = await asyncio.wait_for(reader.readline(), 60)
    writer.close()
    return answer.strip()


async def healthz(host: str, port: int, stop: asyncio.Event) -> list[float]:
    reader, writer = await asyncio.open_connection(host, port)
    times = []
    while not stop.is_set():
        started = time.perf_counter()
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        await writer.drain()
        await reader.readuntil(b'{"status":"ok"}')
        times.append(time.perf_counter() - started)
    writer.close()
    return times


async def measure(host: str, port: int, pid: int) -> None:
    stop = asyncio.Event()
    quiet = asyncio.create_task(healthz(host, port, stop))
    await asyncio.sleep(1)
    stop.set()
    alone = await quiet
    before = rss_mb(pid)
    answers = await asyncio.gather(*(send_header(host, port, 10 * 2**20) for _ in range(100)))
    after = rss_mb(pid)
    kinds: dict[str, int] = {}
    for answer in answers:
        key = answer.decode("latin-1")[:12] or "(reset)"
        kinds[key] = kinds.get(key, 0) + 1
    print(f"100 x 10 MB headers: server RSS {before:.0f} MB -> {after:.0f} MB; answers {kinds}")
    stop = asyncio.Event()
    during = asyncio.create_task(healthz(host, port, stop))
    big = await send_header(host, port, 64 * 2**20)
    stop.set()
    busy = await during
    print(f"64 MB header answered: {big.decode('latin-1') or '(reset)'}")
    print(
        f"/healthz alone: p50 {statistics.median(alone) * 1000:.1f} ms, "
        f"max {max(alone) * 1000:.1f} ms (n={len(alone)}); during the 64 MB header: "
        f"p50 {statistics.median(busy) * 1000:.1f} ms, max {max(busy) * 1000:.1f} ms "
        f"(n={len(busy)})"
    )


async def page_times(base: str, stop: asyncio.Event, pause: float = 0.05) -> list[float]:
    """One honest phone loading the meeting page now and then, with its cookie."""
    import aiohttp

    times = []
    async with aiohttp.ClientSession(base) as session:
        while not stop.is_set():
            started = time.perf_counter()
            async with session.get(f"/m/{CODE}") as response:
                await response.read()
            times.append(time.perf_counter() - started)
            await asyncio.sleep(pause)
    return times


async def get_flood(base: str, stop: asyncio.Event, connections: int = 20) -> dict[int, int]:
    """One device (one cookie) asking for the page back to back over many connections."""
    import aiohttp

    statuses: dict[int, int] = {}
    jar = aiohttp.CookieJar(unsafe=True)
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(base, cookie_jar=jar, connector=connector) as session:
        async with session.get(f"/m/{CODE}") as response:
            await response.read()

        async def one() -> None:
            while not stop.is_set():
                async with session.get(f"/m/{CODE}") as response:
                    await response.read()
                    statuses[response.status] = statuses.get(response.status, 0) + 1

        await asyncio.gather(*(one() for _ in range(connections)))
    return statuses


async def flood(base: str) -> None:
    stop = asyncio.Event()
    quiet = asyncio.create_task(page_times(base, stop))
    await asyncio.sleep(3)
    stop.set()
    alone = await quiet
    stop = asyncio.Event()
    honest = asyncio.create_task(page_times(base, stop))
    flooder = asyncio.create_task(get_flood(base, stop))
    await asyncio.sleep(5)
    stop.set()
    during, statuses = await honest, await flooder
    print(
        f"another phone's page: alone p50 {statistics.median(alone) * 1000:.0f} ms; while one "
        f"device floods GETs: p50 {statistics.median(during) * 1000:.0f} ms, "
        f"p90 {sorted(during)[int(len(during) * 0.9)] * 1000:.0f} ms; flooder answered "
        f"{dict(sorted(statuses.items()))}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=ROOT, help="checkout to run")
    args = parser.parse_args()
    source = args.source.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        seed(url, source)
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, url, CODE],
            stdout=subprocess.PIPE,
            text=True,
            cwd=source,
            env={"PYTHONPATH": str(source)},
        )
        try:
            assert server.stdout is not None
            base = server.stdout.readline().strip().rsplit("/m/", 1)[0]
            host, port = base.removeprefix("http://").split(":")
            print(f"server: serve_meeting from {source} at {base}")
            asyncio.run(measure(host, int(port), server.pid))
            asyncio.run(flood(base))
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
