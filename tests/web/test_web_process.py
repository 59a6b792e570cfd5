"""``meetingtui run`` serves the attendee web from a child process (web/process.py): it serves on
the console's socket, comes back if it dies, stops when asked, and never outlives the console,
not even a ``kill -9`` of it. Real processes, real HTTP; every wait is for a state."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlmodel import select

from meetingtui.domain.models import Idea, Meeting
from meetingtui.store.database import Database
from meetingtui.web.process import WebProcess, WebStartFailed
from meetingtui.web.server import bind_listening_socket
from tests import waiting

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes and signals")

GIVE_UP = 60.0  # seconds: only how long a broken run takes to fail, never a measure


async def eventually(condition: Callable[[], bool]) -> None:
    await waiting.eventually(condition, GIVE_UP, "the state was not reached")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (dead, not yet reaped by its parent) counts as gone.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


def web_process(database: Database, tmp_path: Path) -> WebProcess:
    sock = bind_listening_socket("127.0.0.1", 0)
    host, port = sock.getsockname()[:2]
    return WebProcess(
        database_url=database.url,
        sock=sock,
        base_url=f"http://{host}:{port}",
        log_path=tmp_path / "web.log",
        errors_path=tmp_path / "web-errors.log",
    )


async def test_the_child_serves_the_meeting_and_writes_to_the_same_database(
    database: Database, meeting: Meeting, tmp_path: Path
):
    web = web_process(database, tmp_path)
    commits: list[None] = []
    await web.start(on_commit=lambda: commits.append(None))
    try:
        assert web.process is not None and web.process.pid != os.getpid()
        async with httpx.AsyncClient(base_url=web.base_url, timeout=GIVE_UP) as client:
            page = await client.get(f"/m/{meeting.code}")
            assert page.status_code == 200 and meeting.title in page.text
            token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            heard = len(commits)
            posted = await client.post(
                f"/m/{meeting.code}/ideas",
                data={"csrf_token": token, "title": "Evening clinics 👩‍⚕️", "detail": ""},
                headers={"Origin": web.base_url},
            )
            assert posted.status_code == 303
        # The console hears the commit at once (its feed would otherwise wait for its next poll).
        await eventually(lambda: len(commits) > heard)
        with database.read() as session:
            titles = session.exec(select(Idea.title)).all()
        assert "Evening clinics 👩‍⚕️" in titles
    finally:
        await web.stop()
    assert web.sock.fileno() == -1  # the port is released


async def test_a_child_that_dies_is_started_again_on_the_same_port(
    database: Database, meeting: Meeting, tmp_path: Path
):
    web = web_process(database, tmp_path)
    said: list[str] = []
    await web.start(report=said.append)
    try:
        assert web.process is not None
        first = web.process.pid
        os.kill(first, signal.SIGKILL)
        await eventually(lambda: any("serving again" in sentence for sentence in said))
        assert web.process is not None and web.process.pid != first
        assert "stopped" in said[0] and "Traceback" not in " ".join(said)
        async with httpx.AsyncClient(base_url=web.base_url, timeout=GIVE_UP) as client:
            assert (await client.get(f"/m/{meeting.code}")).status_code == 200
    finally:
        await web.stop()


async def test_a_child_that_stops_answering_is_replaced(
    database: Database, meeting: Meeting, tmp_path: Path
):
    """Found by an attacker review: a child stopped with SIGSTOP (as a wedged event loop) kept
    the port and answered nobody for over a minute. Its heartbeat stops; it is replaced."""
    web = web_process(database, tmp_path)
    web.silent_seconds = 2.0  # the product waits 15 s; the test need not
    said: list[str] = []
    await web.start(report=said.append)
    try:
        assert web.process is not None
        stuck = web.process.pid
        os.kill(stuck, signal.SIGSTOP)
        await eventually(lambda: any("serving again" in sentence for sentence in said))
        assert any("stopped answering" in sentence for sentence in said)
        assert web.process is not None and web.process.pid != stuck
        assert not alive(stuck)
        async with httpx.AsyncClient(base_url=web.base_url, timeout=GIVE_UP) as client:
            assert (await client.get(f"/m/{meeting.code}")).status_code == 200
    finally:
        await web.stop()


async def test_stop_ends_the_child(database: Database, meeting: Meeting, tmp_path: Path):
    web = web_process(database, tmp_path)
    await web.start()
    assert web.process is not None
    pid = web.process.pid
    await web.stop()
    assert not alive(pid)


async def test_a_child_that_cannot_open_the_database_says_why_in_a_sentence(tmp_path: Path):
    missing = tmp_path / "nowhere" / "meeting.sqlite3"
    sock = bind_listening_socket("127.0.0.1", 0)
    web = WebProcess(
        database_url=f"sqlite:///{missing}",
        sock=sock,
        base_url="http://127.0.0.1:1",
        log_path=tmp_path / "web.log",
        errors_path=tmp_path / "web-errors.log",
    )
    with pytest.raises(WebStartFailed) as refused:
        await web.start()
    await web.stop()
    message = str(refused.value)
    assert "did not start" in message and "Traceback" not in message
    assert "sqlalchemy" not in message.lower() and not missing.exists()


def test_the_child_goes_when_the_console_is_killed(
    database: Database, meeting: Meeting, tmp_path: Path
):
    """A stand-in console starts the web and says the child's pid; ``kill -9`` of it must take
    the web with it, and the port is free again."""
    console = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
                import asyncio, sys
                from pathlib import Path
                from meetingtui.web.process import WebProcess
                from meetingtui.web.server import bind_listening_socket

                async def main():
                    sock = bind_listening_socket("127.0.0.1", 0)
                    log = Path({str(tmp_path / "web.log")!r})
                    web = WebProcess(database_url={database.url!r}, sock=sock,
                                     base_url="http://127.0.0.1", log_path=log)
                    await web.start()
                    print(web.process.pid, sock.getsockname()[1], flush=True)
                    await asyncio.sleep(3600)

                asyncio.run(main())
            """),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert console.stdout is not None
        child, port = (int(field) for field in console.stdout.readline().split())
        assert alive(child)
        os.kill(console.pid, signal.SIGKILL)
        console.wait()
        asyncio.run(eventually(lambda: not alive(child)))
        probe = bind_listening_socket("127.0.0.1", port)  # nobody holds the port any more
        probe.close()
    finally:
        if console.poll() is None:
            console.kill()
            console.wait()


async def test_the_child_speaks_the_meetings_language_at_unknown_addresses(
    database: Database, meeting: Meeting, tmp_path: Path
):
    web = web_process(database, tmp_path)
    web.language = "es"
    await web.start()
    try:
        async with httpx.AsyncClient(base_url=web.base_url, timeout=GIVE_UP) as client:
            missing = await client.get("/m/nosuchcode")
        assert missing.status_code == 404 and "Página no encontrada" in missing.text
    finally:
        await web.stop()
