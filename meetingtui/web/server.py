"""Serving the attendee web: a quiet uvicorn that lives inside another program's event loop.

The console owns the terminal, so uvicorn must not print (logs go to a file), must not install
signal handlers (the console handles Ctrl-C and SIGTERM), and must not ``sys.exit`` when the port
is taken (we bind the socket ourselves first and report a clear error).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import uvicorn
from platformdirs import user_log_path

if TYPE_CHECKING:
    from fastapi import FastAPI

DEFAULT_PORT = 8765
PORT_SEARCH_SPAN = 100


class PortUnavailable(OSError):
    """The requested port (or every port we tried) is in use or not allowed."""


# Collections of the youngest generation after this many allocations (Python's default: 700),
# and the older ones rarely. Measured in bench/web_load.py: p99 of comments at 100 busy phones
# from 130-160 ms down to 80-87 ms, throughput unchanged.
SERVING_GC_THRESHOLDS = (20_000, 20, 100)


def tune_garbage_collector() -> None:
    """Fewer, cheaper garbage collections while serving.

    Everything alive at start-up (modules, the app, templates) is moved out of the collector's
    sight with ``gc.freeze()``, so a full collection no longer walks it; and collections run
    less often. Pauses of tens of milliseconds under load become rare. For a long-running
    server process: call once, after the app is built.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SERVING_GC_THRESHOLDS)


class QuietServer(uvicorn.Server):
    """uvicorn without signal capture: its owner decides when to stop (``should_exit``)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def log_file_path() -> Path:
    path = user_log_path("meetingtui", appauthor=False) / "web.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def route_web_logs_to_file(path: Path | None = None) -> Path:
    """Send uvicorn's logs to a file so nothing is printed over the console."""
    path = path or log_file_path()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "meetingtui.web"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.propagate = False
        logger.setLevel(logging.INFO)
    return path


def bind_listening_socket(host: str = "0.0.0.0", port: int | None = None) -> socket.socket:
    """Bind before serving. With no port, take the first free one from 8765 upwards."""
    candidates = (
        [port] if port is not None else range(DEFAULT_PORT, DEFAULT_PORT + PORT_SEARCH_SPAN)
    )
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    last_error: OSError | None = None
    for candidate in candidates:
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, candidate))
        except OSError as error:
            sock.close()
            last_error = error
            continue
        sock.listen(128)
        sock.setblocking(False)
        return sock
    if port is not None:
        reason = last_error.strerror if last_error and last_error.strerror else "unavailable"
        raise PortUnavailable(f"Cannot listen on {host}:{port} ({reason}). Try another --port.")
    raise PortUnavailable(
        f"No free port on {host} between {DEFAULT_PORT} and {DEFAULT_PORT + PORT_SEARCH_SPAN - 1}."
    )


def lan_address() -> str:
    """This machine's address on the local network, as phones in the room would reach it.

    ``gethostbyname(gethostname())`` often answers 127.0.0.1; connecting a UDP socket (which
    sends nothing) makes the OS pick the outgoing interface, whose address we read back.
    """
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.254.254.254", 1))
        address = probe.getsockname()[0]
        if address and not address.startswith("0."):
            return address
    with contextlib.suppress(OSError):
        address = socket.gethostbyname(socket.gethostname())
        if address:
            return address
    return "127.0.0.1"


def base_url_for(sock: socket.socket, public_url: str | None = None) -> str:
    """The address attendees use: ``--public-url`` if given, else the bound host and port."""
    if public_url:
        return public_url.rstrip("/")
    host, port = sock.getsockname()[:2]
    if host in ("0.0.0.0", "::"):
        host = lan_address()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def attendee_url(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/m/{code}"


class EmbeddedWebServer:
    """The attendee web running as a plain asyncio task in the caller's loop.

    Not a Textual worker: Textual cancels workers on exit, uvicorn's shutdown would never run
    and the port would stay bound.
    """

    def __init__(self, app: FastAPI, sock: socket.socket):
        self.sock = sock
        config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="off")
        self.server = QuietServer(config)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self.server.serve(sockets=[self.sock]))
        while not self.server.started and not self._task.done():
            await asyncio.sleep(0.01)
        if self._task.done():
            self._task.result()  # surface the start-up error

    async def stop(self) -> None:
        if self._task is None:
            return
        self.server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        self.sock.close()
