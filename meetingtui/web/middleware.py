"""ASGI middleware for the attendee web: security headers, bounded request bodies, and a safety net
that turns any unexpected error into a plain page instead of a traceback.

Plain ASGI rather than ``BaseHTTPMiddleware``: it adds no task per request and sees the raw
``receive`` channel, which the body limit needs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import anyio
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from meetingtui.store.errors import is_busy

if TYPE_CHECKING:
    from meetingtui.web.security import RateLimiter

logger = logging.getLogger("meetingtui.web")

# Seconds a client is told to wait when the database is locked by another program.
BUSY_RETRY_AFTER = 5

# Bigger than the largest valid idea: 4,000 characters of detail in a script that takes 3 UTF-8
# bytes a character, percent-encoded (×3), is 36 KB before the other fields. Far below anything
# that could hurt the server.
MAX_BODY_BYTES = 64 * 1024

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    # No referrer to other sites; our own forms keep their Origin (under "no-referrer" a
    # browser posts with "Origin: null", which the CSRF check refuses).
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

RAW_SECURITY_HEADERS = tuple(
    (name.lower().encode("latin-1"), value.encode("latin-1"))
    for name, value in SECURITY_HEADERS.items()
)

# Given a status code and the request path, the response to send (HTML, or JSON under /api).
ErrorRenderer = Callable[[int, str], Response]


class SecurityHeadersMiddleware:
    """Adds the security headers to every response, error pages and static files included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _with_security_headers(message.get("headers", ()))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _with_security_headers(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The response's raw headers plus each security header it does not set itself. On raw
    bytes, once per response: this runs for every post of a busy room."""
    raw = list(headers)
    present = {name.lower() for name, _ in raw}
    raw.extend(header for header in RAW_SECURITY_HEADERS if header[0] not in present)
    return raw


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a body without a declared length grows past the limit.

    An ``HTTPException`` so that FastAPI's form parsing passes it through unchanged and the
    app's 413 page is shown.
    """

    def __init__(self) -> None:
        super().__init__(status_code=413)


class BodySizeLimitMiddleware:
    """Refuses request bodies over ``max_bytes`` before they are parsed.

    A declared ``Content-Length`` over the limit is refused before reading anything; a chunked
    body is counted as it arrives.
    """

    def __init__(
        self, app: ASGIApp, *, render_error: ErrorRenderer, max_bytes: int = MAX_BODY_BYTES
    ) -> None:
        self.app = app
        self.render_error = render_error
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared == -1:
            await self.render_error(400, scope["path"])(scope, receive, send)
            return
        if declared is not None and declared > self.max_bytes:
            await self.render_error(413, scope["path"])(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge()
            return message

        await self.app(scope, counting_receive, send)


def _content_length(scope: Scope) -> int | None:
    """The declared body length; None when absent, -1 when it is not a number."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                return -1
            return length if length >= 0 else -1
    return None


class ErrorPageMiddleware:
    """The last line of defence: an unexpected exception is logged and answered with a plain 500
    page, so no traceback reaches a phone and uvicorn has nothing to print over the console."""

    def __init__(self, app: ASGIApp, *, render_error: ErrorRenderer) -> None:
        self.app = app
        self.render_error = render_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except ClientDisconnect:
            # A phone that lost its signal or closed the tab mid-request: nothing to answer.
            logger.info("Client went away during %s %s", scope.get("method"), scope.get("path"))
        except Exception as error:
            logger.exception("Unexpected error for %s %s", scope.get("method"), scope.get("path"))
            if not started:
                busy = is_busy(error)
                response = self.render_error(503 if busy else 500, scope["path"])
                if busy:
                    response.headers["Retry-After"] = str(BUSY_RETRY_AFTER)
                await response(scope, receive, send)


class HeadAsGetMiddleware:
    """HEAD is answered as GET would be, without the body (RFC 9110), on every page: FastAPI's
    GET routes do not accept HEAD themselves. The app sees a GET; uvicorn, which still sees the
    HEAD, sends the headers only, and the body is dropped here too in case another server runs
    the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body" and message.get("body"):
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


# Page renders (and ``/live``, and the API) at once: a few threads, not the 40 of the default
# pool. Renders are Python holding the GIL; forty of them at once starve the one writer thread
# the posts are waiting on (issue 8 #13: posts p50 0.9 s while pages rendered). More requests
# than slots wait their turn on the event loop, which costs nothing.
READ_SLOTS = 4


class ReadSlots:
    """The limiter for read work, made on first use (in the event loop that serves)."""

    def __init__(self, slots: int | None = None) -> None:
        self.slots = slots or READ_SLOTS
        self._limiter: anyio.CapacityLimiter | None = None

    @property
    def limiter(self) -> anyio.CapacityLimiter:
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.slots)
        return self._limiter


READ_PREFIXES = ("/m/", "/api/")


class ReadLimitMiddleware:
    """Every page, ``/live`` and API read: within the reader's allowance (``RateLimits.reads``
    per device, ``anonymous_reads`` per address without a device cookie: a flood from one
    phone gets 429s, not the server), then in one of the read slots.

    Runs inside ``DeviceCookieMiddleware`` (it needs the device) and ``HeadAsGetMiddleware``.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        limiter: RateLimiter,
        slots: ReadSlots,
        address: Callable[[Scope], str],
        render_error: ErrorRenderer,
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.slots = slots
        self.address = address
        self.render_error = render_error
        self._refusals: dict[str, tuple[int, bytes, str]] = {}

    def _refusal(self, path: str) -> Response:
        """The 429 for ``path``, rendered once per meeting (and once for the API): a flood
        is answered from memory."""
        parts = path.split("/", 3)
        key = "/".join(parts[:3])
        if key not in self._refusals:
            rendered = self.render_error(429, path)
            if len(self._refusals) < 1000:
                self._refusals[key] = (
                    rendered.status_code,
                    bytes(rendered.body),
                    rendered.media_type or "text/html",
                )
            return rendered
        status, body, media_type = self._refusals[key]
        return Response(
            body, status_code=status, media_type=media_type, headers={"Cache-Control": "no-store"}
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].startswith(READ_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        device = scope.get("state", {}).get("device")
        known = device.id if device is not None and device.from_cookie else None
        refusal = self.limiter.take_read(device=known, address=self.address(scope))
        if refusal is not None:
            await anyio.sleep(self.limiter.limits.read_refusal_delay)
            response = self._refusal(scope["path"])
            response.headers["Retry-After"] = str(refusal.retry_after)
            response.headers["Connection"] = "close"  # a flood's connections do not pile up
            await response(scope, receive, send)
            return
        async with self.slots.limiter:
            await self.app(scope, receive, send)
