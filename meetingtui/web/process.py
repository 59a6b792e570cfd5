"""The attendee web of ``meetingtui run`` in a process of its own, beside the console.

Why a process: one interpreter runs one Python thread at a time. With the console and the web in
one process, a room of 300 phones posting 20 times a second had every page wait for the console's
redraws and the console wait for the pages (page p95 1.8 s, ``/live`` 1.7 s, the process at 100%
of one core) while ``meetingtui serve`` answered the same room in 82 ms. The two already meet
only in the database (the console follows the feed; every write is a committed row), so the web
needs nothing of the console but the database URL and the listening socket.

The console follows the feed a few times a second, and at once when told something was committed:
in one process an SQLAlchemy ``after_commit`` listener told it; across the process boundary the
child says so on its stdout, one byte per commit (dropped when the pipe is full: the console is
already behind and will read everything new on its next read). A comment reaches the console's
screen as fast as when both ran in one process.

The console binds the socket (so "port in use" is said before the TUI starts) and hands it to the
child by file descriptor; it keeps its own copy, never accepts on it, and starts a new child on
the same socket if one dies, so phones see at most a pause. The child stops when the console asks
(``SIGTERM``) and when the console is gone (its stdin reaches end of file: ``kill -9`` of the
console leaves no web behind). It starts in a session of its own, so the terminal's signals go
to the console only.

This module imports only the standard library at the top: the console imports it for
``WebProcess`` and must not pay for FastAPI.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path

READY = b"ready\n"
COMMITTED = b"."
HEARTBEAT = b"h"
HEARTBEAT_SECONDS = 1.0  # the child's event loop says it is alive this often
SILENT_SECONDS = 15.0  # no word from the child for this long: it is hung, and is replaced
DATABASE_URL_VARIABLE = "MEETINGTUI_WEB_DATABASE_URL"
SAY = "meetingtui: "  # a child's stderr line meant for the facilitator starts so
START_TIMEOUT_SECONDS = 60.0  # importing FastAPI on a busy, slow laptop; normally ~1 s
STOP_TIMEOUT_SECONDS = 10.0
RESTART_PAUSE_SECONDS = 1.0  # between a child's death and the next, so a crash loop cannot spin


class WebStartFailed(Exception):
    """The attendee web process did not come up; the message says why in a sentence."""


class WebProcess:
    """The console's handle on the web process (the ``WebServer`` protocol of ``tui.app``).

    ``start`` returns once the child serves; ``stop`` ends it and closes the socket. A child
    that dies on its own is started again on the same socket after ``RESTART_PAUSE_SECONDS``,
    and ``report`` (given to ``start``) tells the facilitator in a sentence.
    """

    def __init__(
        self,
        *,
        database_url: str,
        sock: socket.socket,
        base_url: str,
        trust_proxy: bool = False,
        language: str = "en",
        log_path: Path | None = None,
        errors_path: Path | None = None,
    ) -> None:
        self.database_url = database_url
        self.sock = sock
        self.base_url = base_url
        self.trust_proxy = trust_proxy
        self.language = language
        self.log_path = log_path
        self.errors_path = errors_path or Path(os.devnull)
        self.report: Callable[[str], None] = lambda _sentence: None
        self.on_commit: Callable[[], None] = lambda: None
        self._listen: asyncio.Task[None] | None = None
        self.silent_seconds = SILENT_SECONDS
        self.process: asyncio.subprocess.Process | None = None
        self._watch: asyncio.Task[None] | None = None
        self._stopping = False

    def command(self) -> list[str]:
        command = [
            sys.executable,
            "-m",
            "meetingtui.web.process",
            "--fd",
            str(self.sock.fileno()),
            "--base-url",
            self.base_url,
            "--language",
            self.language,
        ]
        if self.trust_proxy:
            command.append("--trust-proxy")
        if self.log_path is not None:
            command += ["--log", str(self.log_path)]
        return command

    async def start(
        self,
        report: Callable[[str], None] | None = None,
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        """``on_commit`` is called (in this loop) each time the web has committed a write."""
        if report is not None:
            self.report = report
        if on_commit is not None:
            self.on_commit = on_commit
        self._stopping = False
        await self._spawn()
        self._watch = asyncio.create_task(self._keep_serving())

    async def _spawn(self) -> None:
        # The child's stderr goes to a file, never a pipe nobody reads (a full pipe would stall
        # it) and never the terminal the console draws on.
        with open(self.errors_path, "ab") as errors:
            began = errors.tell()
            process = await asyncio.create_subprocess_exec(
                *self.command(),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=errors,
                pass_fds=(self.sock.fileno(),),
                start_new_session=True,
                # In the environment, not the arguments: `ps` shows arguments to every user of
                # the machine, and a server URL may hold a password.
                env={**os.environ, DATABASE_URL_VARIABLE: self.database_url},
            )
        self.process = process
        assert process.stdout is not None
        try:
            line = await asyncio.wait_for(process.stdout.readline(), START_TIMEOUT_SECONDS)
        except TimeoutError:
            line = b""
        if line != READY:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            raise WebStartFailed(
                f"the attendee web did not start ({self._last_error(began, process.returncode)})"
            )
        self._listen = asyncio.create_task(self._hear_child(process, process.stdout))

    async def _hear_child(
        self, process: asyncio.subprocess.Process, stdout: asyncio.StreamReader
    ) -> None:
        """Commits and heartbeats. A child that stops talking (its loop wedged, or stopped with
        SIGSTOP) is killed, and ``_keep_serving`` starts another: phones must not wait on a web
        that only looks alive."""
        while True:
            try:
                chunk = await asyncio.wait_for(stdout.read(4096), self.silent_seconds)
            except TimeoutError:
                self.report(
                    f"The attendee web stopped answering for {self.silent_seconds:.0f} s; "
                    "starting it again."
                )
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                return
            if not chunk:
                return
            if COMMITTED in chunk:
                self.on_commit()

    def _last_error(self, began: int, code: int | None) -> str:
        """What the child said for the facilitator since it started (a plain sentence, such as
        a storage error), else its exit status and where the details are: never a traceback."""
        with contextlib.suppress(OSError), open(self.errors_path, "rb") as errors:
            errors.seek(began)
            lines = errors.read().decode("utf-8", "replace").splitlines()
            said = [line.removeprefix(SAY) for line in lines if line.startswith(SAY)]
            if said:
                return said[-1]
        return f"exit status {code}; details in {self.errors_path}"

    async def _keep_serving(self) -> None:
        while not self._stopping and self.process is not None:
            code = await self.process.wait()
            if self._stopping:
                return
            self.report(
                f"The attendee web stopped (exit status {code}); starting it again. "
                f"Details in {self.errors_path}."
            )
            await asyncio.sleep(RESTART_PAUSE_SECONDS)
            if self._stopping:
                return
            try:
                await self._spawn()
            except WebStartFailed as error:
                self.report(f"{str(error).capitalize()}; trying again.")
                continue
            self.report("The attendee web is serving again.")

    def end_now(self) -> None:
        """Tell the child to stop, without waiting: the console is ending regardless (its
        shutdown blocked); from any thread."""
        process = self.process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError, OSError):
                os.kill(process.pid, signal.SIGTERM)

    async def stop(self) -> None:
        self._stopping = True
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
            self._watch = None
        if self._listen is not None:
            self._listen.cancel()
            self._listen = None
        process, self.process = self.process, None
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), STOP_TIMEOUT_SECONDS)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        self.sock.close()


# ---------------------------------------------------------------------------- the child


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="meetingtui.web.process")
    parser.add_argument("--fd", type=int, required=True, help="the listening socket, inherited")
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--trust-proxy", action="store_true")
    parser.add_argument("--language", default="en")
    parser.add_argument("--log", type=Path, default=None)
    args = parser.parse_args(argv)

    from meetingtui.store.database import Database
    from meetingtui.store.errors import StorageError
    from meetingtui.web.app import create_web_app
    from meetingtui.web.server import (
        QuietServer,
        route_web_logs_to_file,
        tune_garbage_collector,
        web_config,
    )

    sock = socket.socket(fileno=args.fd)
    sock.setblocking(False)
    try:
        database = Database.open(os.environ[DATABASE_URL_VARIABLE])
    except StorageError as error:
        print(f"{SAY}{error}", file=sys.stderr)
        return 1
    app = create_web_app(
        database, base_url=args.base_url, trust_proxy=args.trust_proxy, language=args.language
    )
    route_web_logs_to_file(args.log)
    tune_garbage_collector()
    server = QuietServer(web_config(app))

    async def serve() -> None:
        loop = asyncio.get_running_loop()

        def stop() -> None:
            server.should_exit = True

        loop.add_signal_handler(signal.SIGTERM, stop)
        loop.add_signal_handler(signal.SIGINT, stop)

        def stop_soon() -> None:
            loop.call_soon_threadsafe(stop)

        _stop_when_parent_goes(stop_soon)
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not serving.done():
            await asyncio.sleep(0.01)
        if server.started:
            os.write(sys.stdout.fileno(), READY)
            beat = _say_each_commit(sys.stdout.fileno())
            asyncio.create_task(_heartbeat(beat))
        await serving

    try:
        import uvloop
    except ImportError:
        asyncio.run(serve())
    else:
        uvloop.run(serve())
    database.close()
    return 0


def _say_each_commit(fd: int) -> int:
    """One byte on ``fd`` (the console's pipe) after each commit of this process. Whatever
    else would print to stdout goes to stderr (the errors file) from now on."""
    from sqlalchemy import event
    from sqlmodel import Session

    signal_fd = os.dup(fd)
    os.set_blocking(signal_fd, False)
    os.dup2(sys.stderr.fileno(), fd)

    def committed(_session: Session) -> None:
        with contextlib.suppress(BlockingIOError, BrokenPipeError):
            os.write(signal_fd, COMMITTED)

    event.listen(Session, "after_commit", committed)
    return signal_fd


async def _heartbeat(fd: int) -> None:
    """From the event loop itself: a loop that cannot run this cannot answer phones either."""
    while True:
        with contextlib.suppress(BlockingIOError, BrokenPipeError):
            os.write(fd, HEARTBEAT)
        await asyncio.sleep(HEARTBEAT_SECONDS)


def _stop_when_parent_goes(stop: Callable[[], None]) -> None:
    """The console holds our stdin's other end: end of file means it has gone, even by
    ``kill -9``, and a web with no console must not go on taking the room's input."""

    def wait_for_end_of_file() -> None:
        with contextlib.suppress(OSError):
            while os.read(sys.stdin.fileno(), 4096):
                pass
        stop()

    threading.Thread(target=wait_for_end_of_file, name="parent-watch", daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
