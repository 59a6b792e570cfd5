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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TYPE_CHECKING, Any

import uvicorn
from platformdirs import user_log_path
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

if TYPE_CHECKING:
    from starlette.types import ASGIApp

logger = logging.getLogger("meetingtui.web")

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


@dataclass(frozen=True)
class ConnectionLimits:
    """What one connection may cost the server before its request reaches the app.

    uvicorn's httptools protocol bounds none of this: a 182 MB header was read whole (and
    answered 200), 100 connections sending 10 MB headers took the process from 91 MB to
    1,180 MB, and a connection may hold its place forever by sending a byte now and then.

    - ``max_header_bytes``: the request line and headers together. Browsers send 1-3 KB; a
      cookie jar full of other sites' cookies is not ours to receive. Over it: 431, closed.
    - ``max_headers``: how many header lines. Over it: 431, closed.
    - ``header_seconds``: from a connection's first byte (or a kept-alive connection's next
      request's first byte) to the end of the headers. Over it: 408, closed. A connection that
      sends nothing at all is closed after the same time, quietly.
    - ``body_seconds``: from the end of the headers to the end of the body (forms here are at
      most 64 KB: a phone on poor Wi-Fi sends that in well under this). Over it: closed; the
      app sees the client go away.
    - ``max_connections``: open connections at once. A room of 300 phones keeps one or two
      each. At the limit a kept-alive idle connection is closed to make room (from the address
      holding the most); only when none is idle is a new connection answered 503 at once and
      closed, never left hanging.
    - ``max_pending_per_address``: connections from one client address that have not yet sent
      their request's headers (a new connection, or a kept-alive one part-way through its next
      request's headers). Honest phones finish their headers within milliseconds, so even a
      room behind one NAT address has a handful at any moment; one client holding hundreds of
      half-sent requests (to use up ``max_connections``) never has more than this. At the
      limit a new connection is not refused: the address's oldest half-sent request is (408,
      closed). Refusing the newcomer would let one slow attacker behind a venue's NAT address
      lock out every phone sharing it; the oldest is the attacker's, as an honest phone's
      headers are only ever milliseconds old. Idle kept-alive connections do not count.
    """

    max_header_bytes: int = 32 * 1024
    max_headers: int = 100
    header_seconds: float = 10.0
    body_seconds: float = 30.0
    max_connections: int = 1000
    max_pending_per_address: int = 64


DEFAULT_LIMITS = ConnectionLimits()
# After a refusal, how much more of the client's sending we read (and drop), and for how long,
# before closing: enough for a browser to have sent its whole request and read the answer.
LINGER_BYTES = 256 * 1024
LINGER_SECONDS = 2.0


def _plain_response(status: int, reason: str, text: str) -> bytes:
    body = text.encode("ascii")
    return (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: text/plain; charset=utf-8\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    ).encode("ascii") + body


TOO_LARGE = _plain_response(431, "Request Header Fields Too Large", "Request headers too large.\n")
TOO_SLOW = _plain_response(408, "Request Timeout", "The request took too long to arrive.\n")
TOO_BUSY = _plain_response(
    503, "Service Unavailable", "The meeting page is very busy. Try again in a moment.\n"
)


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with ``ConnectionLimits`` enforced, and Nagle's algorithm off.

    Header bytes are counted in ``data_received`` before the parser sees them, so an oversized
    head is refused without ever being buffered (the parser concatenates a long header in
    memory). Timers are plain ``call_later`` handles, cancelled as the request moves on.
    Subclassed per server by ``bounded_protocol`` (uvicorn builds protocols from a class).
    """

    limits: ConnectionLimits = DEFAULT_LIMITS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = True  # waiting for (the rest of) a request line and headers
        self._head_bytes = 0
        self._header_count = 0
        self._refused = False
        self._linger_bytes = LINGER_BYTES
        self._timer: asyncio.TimerHandle | None = None
        self._address = ""
        self._pending = False  # counted in the address's connections waiting for headers
        # Per server (uvicorn's ``ServerState`` is shared by its connections): client address ->
        # its connections that have not yet sent their headers, oldest first (a dict as an
        # ordered set).
        if not hasattr(self.server_state, "pending_heads"):
            self.server_state.pending_heads = {}  # type: ignore[attr-defined]
        self._pending_heads: dict[str, dict[BoundedHttpToolsProtocol, None]] = (
            self.server_state.pending_heads  # type: ignore[attr-defined]
        )

    # -- the connection

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        set_no_delay(transport)
        peer = transport.get_extra_info("peername")
        self._address = str(peer[0]) if isinstance(peer, tuple) and peer else ""
        if (
            len(self.connections) >= self.limits.max_connections
            and not self._close_an_idle_connection()
        ):
            self.transport = transport
            self._refuse(TOO_BUSY, "connection limit (%d) reached", self.limits.max_connections)
            return
        self.transport = transport
        self._start_pending()
        super().connection_made(transport)
        self._arm(self.limits.header_seconds, self._head_timed_out)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        self._end_pending()
        super().connection_lost(exc)

    def _start_pending(self) -> None:
        """Count this connection as waiting for headers; at its address's limit, the oldest
        half-sent request of that address is refused to make room."""
        if self._pending:
            return
        waiting = self._pending_heads.setdefault(self._address, {})
        while waiting and len(waiting) >= self.limits.max_pending_per_address:
            next(iter(waiting))._give_way()
        # Re-read: giving way may have emptied (and removed) the address's entry.
        self._pending_heads.setdefault(self._address, {})[self] = None
        self._pending = True

    def _give_way(self) -> None:
        """Refused for a newer connection from the same address (see ``ConnectionLimits``)."""
        self._end_pending()
        if self.cycle is not None and not self.cycle.response_complete:
            self._refused = True  # still sending the previous answer: no 408 in the middle
            self._disarm()
            self.transport.close()
            return
        self._refuse(
            TOO_SLOW,
            "a newer connection from its address needed its place (%d waiting)",
            self.limits.max_pending_per_address,
        )

    @property
    def _idle(self) -> bool:
        """Kept alive between requests: nothing half-sent, nothing being answered."""
        return (
            not self._pending
            and not self._refused
            and self._in_head
            and self._head_bytes == 0
            and (self.cycle is None or self.cycle.response_complete)
        )

    def _close_an_idle_connection(self) -> bool:
        """At ``max_connections``: close one kept-alive idle connection, from the address that
        holds the most, to make room. A browser opens a new connection for its next request
        without a word, so this costs an honest phone nothing; one client holding hundreds of
        kept-alive connections gives them up first. False if none is idle."""
        per_address: dict[str, int] = {}
        for connection in self.connections:
            address = getattr(connection, "_address", "")
            per_address[address] = per_address.get(address, 0) + 1
        idle = [c for c in self.connections if isinstance(c, BoundedHttpToolsProtocol) and c._idle]
        if not idle:
            return False
        victim = max(idle, key=lambda c: per_address.get(c._address, 0))
        victim._refused = True
        victim._disarm()
        victim.transport.close()
        self.connections.discard(victim)  # uvicorn forgets it on connection_lost, a tick later
        return True

    def _end_pending(self) -> None:
        if not self._pending:
            return
        self._pending = False
        waiting = self._pending_heads.get(self._address)
        if waiting is not None:
            waiting.pop(self, None)
            if not waiting:
                del self._pending_heads[self._address]

    def data_received(self, data: bytes) -> None:
        if self._refused:
            self._linger_bytes -= len(data)  # read and dropped, so the refusal can arrive
            if self._linger_bytes < 0:
                self.transport.close()
            return
        if not self._in_head:
            super().data_received(data)
            return
        # A kept-alive connection's next request: waiting for headers again.
        if self._head_bytes == 0 and not self._pending:
            self._start_pending()
        if self._head_bytes == 0 and self._timer is None:
            self._arm(self.limits.header_seconds, self._head_timed_out)  # a new request
        room = self.limits.max_header_bytes - self._head_bytes
        head, rest = data[:room], data[room:]
        self._head_bytes += len(head)
        if head:
            super().data_received(head)
        if self._refused or self.transport.is_closing():
            return
        if self._too_many_headers:
            self._refuse(TOO_LARGE, "more than %d headers", self.limits.max_headers)
        elif rest and self._in_head:
            self._refuse(TOO_LARGE, "headers over %d bytes", self.limits.max_header_bytes)
        elif rest:
            super().data_received(rest)  # the body (or the next request) after the headers

    # -- parser callbacks

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_count += 1
        if self._header_count <= self.limits.max_headers:
            super().on_header(name, value)

    def on_headers_complete(self) -> None:
        if self._too_many_headers:
            return  # refused once the parser returns; the app never sees it
        self._in_head = False
        self._head_bytes = 0
        self._header_count = 0
        self._end_pending()
        self._arm(self.limits.body_seconds, self._body_timed_out)
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if not self._too_many_headers:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if self._too_many_headers:
            return
        self._disarm()
        self._in_head = True
        super().on_message_complete()

    @property
    def _too_many_headers(self) -> bool:
        return self._header_count > self.limits.max_headers

    # -- refusals

    def _refuse(self, response: bytes, why: str, *args: object) -> None:
        self._refused = True
        self._disarm()
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "a client"
        logger.info("Refused %s: " + why, client, *args)
        if self.transport.is_closing():
            return
        self.transport.write(response)
        # A lingering close: closing with the client's bytes still unread would reset the
        # connection, and the client would lose the answer before reading it. So say we are
        # done sending, read and drop a little more of what it sends, then close.
        if self.transport.can_write_eof():
            self.transport.write_eof()
            self._arm(LINGER_SECONDS, self.transport.close)
        else:
            self.transport.close()

    def _head_timed_out(self) -> None:
        self._timer = None
        if self.cycle is not None and not self.cycle.response_complete:
            # Still answering the previous request on this connection: the next one's time
            # starts again (it cannot be refused while a response is being written).
            self._arm(self.limits.header_seconds, self._head_timed_out)
        elif self._head_bytes == 0:
            self.transport.close()  # an idle connection that never asked for anything
        else:
            self._refuse(TOO_SLOW, "headers not complete in %ss", self.limits.header_seconds)

    def _body_timed_out(self) -> None:
        self._timer = None
        logger.info("Closed a request whose body took over %ss", self.limits.body_seconds)
        self._refused = True
        self.transport.close()  # the app hears the client went away

    def _arm(self, seconds: float, callback: Callable[[], None]) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, callback)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def bounded_protocol(limits: ConnectionLimits = DEFAULT_LIMITS) -> type[BoundedHttpToolsProtocol]:
    """The protocol class for a server with these limits (uvicorn takes a class, not options)."""
    if limits == DEFAULT_LIMITS:
        return BoundedHttpToolsProtocol
    return type("BoundedHttpToolsProtocol", (BoundedHttpToolsProtocol,), {"limits": limits})


def set_no_delay(transport: asyncio.BaseTransport) -> None:
    """Nagle's algorithm off: a response is sent at once instead of waiting for the client's
    acknowledgement of the previous one (~40 ms a request on a kept-alive connection). asyncio
    sets it only on sockets created with ``IPPROTO_TCP``; uvloop always does."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


# Longer than the phone page's 5-second /live poll: with uvicorn's default of 5 s the idle
# connection was closed just as the next poll went out, and ~40% of a room's requests paid for a
# new connection (bench/room.py). Open connections stay bounded by ConnectionLimits.
KEEP_ALIVE_SECONDS = 15


def web_config(app: ASGIApp, limits: ConnectionLimits = DEFAULT_LIMITS) -> uvicorn.Config:
    """The uvicorn configuration every attendee web runs with (``serve``, ``run``, the tests):
    quiet, bounded connections, no lifespan. ``proxy_headers`` off: uvicorn would otherwise
    believe ``X-Forwarded-For`` from any client on this machine; the app reads it itself, and
    only with ``--trust-proxy``."""
    return uvicorn.Config(
        app,
        http=bounded_protocol(limits),
        proxy_headers=False,
        log_config=None,
        access_log=False,
        lifespan="off",
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )


class QuietServer(uvicorn.Server):
    """uvicorn without signal capture: its owner decides when to stop (``should_exit``)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def log_file_path() -> Path:
    path = user_log_path("meetingtui", appauthor=False) / "web.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


# The web log is kept to a few megabytes: a long evening (or a flood of refused requests)
# must not fill the facilitator's disk.
WEB_LOG_MAX_BYTES = 2 * 1024 * 1024
WEB_LOG_BACKUPS = 3


def route_web_logs_to_file(path: Path | None = None) -> Path:
    """Send uvicorn's logs to a file so nothing is printed over the console; the file rotates
    at ``WEB_LOG_MAX_BYTES``, keeping ``WEB_LOG_BACKUPS`` old ones (web.log.1 the newest)."""
    path = path or log_file_path()
    handler = RotatingFileHandler(
        path, maxBytes=WEB_LOG_MAX_BYTES, backupCount=WEB_LOG_BACKUPS, encoding="utf-8"
    )
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
        # IPPROTO_TCP, not 0: asyncio turns Nagle's algorithm off only on sockets that say so.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
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
