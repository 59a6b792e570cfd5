"""``meetingtui serve``: the attendee web alone, without the console (a second machine, a kiosk,
tests).

The attendee URL is the first line on stdout, so a script (or a person) can read it at once; the
socket is already listening when it is printed. Ctrl-C, SIGTERM and SIGHUP stop the server the way
the console does, by asking uvicorn to exit: no traceback, exit status 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import sys
import time
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from meetingtui.domain.errors import NotFound
from meetingtui.domain.meetings import find_meeting
from meetingtui.store.database import Database
from meetingtui.store.errors import (
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseReadOnly,
    storage_failure,
)
from meetingtui.web.server import (
    PortUnavailable,
    QuietServer,
    attendee_url,
    base_url_for,
    bind_listening_socket,
    route_web_logs_to_file,
    tune_garbage_collector,
    web_config,
)

if TYPE_CHECKING:
    from starlette.types import ASGIApp

    from meetingtui.web.security import RateLimits

STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def serve_meeting(
    *,
    database: Database,
    meeting_code: str,
    host: str = "0.0.0.0",
    port: int | None = None,
    public_url: str | None = None,
    rate_limits: RateLimits | None = None,
    wrap_app: Callable[[ASGIApp], ASGIApp] | None = None,
    trust_proxy: bool = False,
) -> int:
    """Serve one meeting's attendee web until a stop signal; returns the process exit status.

    ``meeting_code`` is the join code (or the meeting's id). With no ``port``, the first free one
    from 8765 is used. Exit status 1, with a message on stderr, when the meeting is unknown or
    the address cannot be bound. ``trust_proxy`` takes clients' addresses from
    ``X-Forwarded-For`` (``--trust-proxy``). ``rate_limits`` replaces the default limits and
    ``wrap_app`` wraps the ASGI app (the load benchmark uses both to add its bare baseline
    endpoint to the same server).
    """
    try:
        with database.read() as session:
            meeting = find_meeting(session, meeting_code)
            code, title, language = meeting.code, meeting.title, meeting.language
    except NotFound as error:
        print(str(error), file=sys.stderr)
        return 1
    try:
        sock = bind_listening_socket(host, port)
    except OSError as error:
        print(_bind_failure(error, host, port), file=sys.stderr)
        return 1

    # Imported here: the CLI loads this module for `--help` too, and FastAPI is slow to import.
    from meetingtui.web.app import create_web_app

    try:
        base_url = base_url_for(sock, public_url)
        app: ASGIApp = create_web_app(
            database,
            base_url=base_url,
            rate_limits=rate_limits,
            trust_proxy=trust_proxy,
            language=language,  # its error pages speak the meeting's language
        )
        if wrap_app is not None:
            app = wrap_app(app)
        print(attendee_url(base_url, code), flush=True)
        print(f"Serving {title}. Press Ctrl-C to stop.", flush=True)
        _log_to_file_and_say_problems()
        tune_garbage_collector()
        _run_event_loop(_serve_until_stopped(app, sock))
    except KeyboardInterrupt:
        pass  # a second Ctrl-C while shutting down: stop without a traceback
    finally:
        sock.close()
    print("Stopped.", flush=True)
    return 0


def _run_event_loop(main: Coroutine[None, None, None]) -> None:
    """Run on uvloop where it is installed (a faster event loop for a busy room), else asyncio."""
    try:
        import uvloop
    except ImportError:
        asyncio.run(main)
    else:
        uvloop.run(main)


async def _serve_until_stopped(app: ASGIApp, sock: socket.socket) -> None:
    server = QuietServer(web_config(app))

    def stop() -> None:
        # A second signal skips waiting for open connections to finish.
        if server.should_exit:
            server.force_exit = True
        server.should_exit = True

    with _stop_signals(stop):
        await server.serve(sockets=[sock])


@contextlib.contextmanager
def _stop_signals(stop: Callable[[], None]) -> Iterator[None]:
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    previous: dict[signal.Signals, object] = {}
    for sig in STOP_SIGNALS:
        try:
            loop.add_signal_handler(sig, stop)
            installed.append(sig)
        except (NotImplementedError, RuntimeError):  # Windows, or not the main thread
            with contextlib.suppress(ValueError, OSError):
                previous[sig] = signal.signal(sig, lambda *_: loop.call_soon_threadsafe(stop))
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
        for sig, handler in previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]


def _log_to_file_and_say_problems() -> None:
    """Every log line (uvicorn's, the app's, the libraries') goes to the rotating web log file;
    an error puts one plain sentence on stderr, naming that file, at most once every
    ``OneSentence.quiet_seconds``: never a traceback, SQL or library noise on the terminal."""
    path = route_web_logs_to_file()
    file_handler = logging.getLogger("uvicorn").handlers[0]
    root = logging.getLogger()
    root.handlers = [file_handler]
    root.setLevel(logging.WARNING)
    sentence = OneSentence(path)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "meetingtui.web"):
        logging.getLogger(name).addHandler(sentence)
    root.addHandler(sentence)


class OneSentence(logging.Handler):
    """Says on stderr, in one plain sentence, that a request failed and where the details are;
    rate-limited so a flood of failures cannot fill the terminal."""

    quiet_seconds = 30.0

    def __init__(self, log_path: Path) -> None:
        super().__init__(logging.ERROR)
        self.log_path = log_path
        self.last_said = -self.quiet_seconds

    def emit(self, record: logging.LogRecord) -> None:
        now = time.monotonic()
        if now - self.last_said < self.quiet_seconds:
            return
        self.last_said = now
        error = record.exc_info[1] if record.exc_info else None
        with contextlib.suppress(OSError, ValueError):  # no terminal any more: the file has it
            print(
                f"meetingtui: a request failed ({_what_failed(error)}); details in {self.log_path}",
                file=sys.stderr,
                flush=True,
            )


def _what_failed(error: BaseException | None) -> str:
    failure = storage_failure(error) if error is not None else None
    if failure is None:
        return "an unexpected error"
    if isinstance(failure, DatabaseBusy):
        return "the database is busy"
    if isinstance(failure, DatabaseDamaged):
        return "the database is damaged"
    if isinstance(failure, DatabaseReadOnly):
        return "the database is read-only"
    return "the database could not be used"


def _bind_failure(error: OSError, host: str, port: int | None) -> str:
    if isinstance(error, PortUnavailable):
        return str(error)  # already names the address and what to try
    if isinstance(error, socket.gaierror):
        return f"Cannot listen on {host}: no such address on this machine. Check --host."
    return f"Cannot listen on {host}:{port or 'any port'} ({error.strerror or error})."
