"""Attendee web under hostile connections (issue 8 #6): what a few raw clients cost ``serve``.

The server is ``serve_meeting`` (the function behind ``meetingtui serve``) in its own process.
Three measurements, each against the server's own state:

- memory: the server's resident size before and after 100 connections each send a 10 MB header
  at once (the issue measured 91 MB -> 1,180 MB before headers were bounded);
- a 64 MB header on one connection while another asks ``/healthz`` back to back: the health
  check's latency, against the same check with nothing else going on (the issue: stalled 4.8 s);
- what the 64 MB sender was answered (431 once headers are bounded; 200 before).

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
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
