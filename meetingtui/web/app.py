"""The attendee web app factory, used alike by ``meetingtui run`` (inside the console's loop),
``meetingtui serve`` and the tests.

Every failure ends in a page a person can act on: a friendly 404 for an unknown meeting or idea,
413 for an oversized form, a plain 500 (logged) for anything unexpected. JSON callers under
``/api`` get JSON errors instead.
"""

from __future__ import annotations

from functools import partial
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Match
from starlette.types import Receive, Scope, Send

from meetingtui import __version__
from meetingtui.domain.errors import DomainError, NotFound
from meetingtui.domain.settings import web_signing_secret
from meetingtui.store.database import Database
from meetingtui.web import api, live, pages, reach_pages
from meetingtui.web.middleware import (
    MAX_BODY_BYTES,
    BodySizeLimitMiddleware,
    ErrorPageMiddleware,
    HeadAsGetMiddleware,
    ReadLimitMiddleware,
    ReadSlots,
    SecurityHeadersMiddleware,
)
from meetingtui.web.rendering import STATIC_DIR, build_templates, render_error
from meetingtui.web.security import (
    DeviceCookieMiddleware,
    RateLimiter,
    RateLimits,
    Signer,
    scope_address,
)
from meetingtui.web.writer import GroupCommitWriter

JSON_PREFIXES = ("/api/", "/openapi.json", "/healthz")


def create_web_app(
    database: Database,
    *,
    max_body_bytes: int = MAX_BODY_BYTES,
    rate_limits: RateLimits | None = None,
    base_url: str | None = None,
    secret: str | None = None,
    trust_proxy: bool = False,
    language: str = "en",
) -> FastAPI:
    """The attendee web over ``database``: the phone page, the projector page, the JSON read API
    and /healthz.

    Only attendee actions are routed; facilitator actions live in the console and are never
    reachable over HTTP. The interactive docs pages are off because they load scripts from a
    CDN (the venue may have no internet, and the CSP forbids them); the schema stays at
    ``/openapi.json``.

    ``base_url`` is the address phones use (``--public-url``, or the LAN address the server is
    bound to), shown and encoded in the projector page's QR code; without it, the address the
    projector's browser used, with a loopback host replaced by this machine's LAN address.
    ``secret`` signs device cookies and form tokens; by default it is kept in the database, so
    both survive a restart. ``trust_proxy`` (``--trust-proxy``) takes the client's address from
    the last ``X-Forwarded-For`` entry, for a reverse proxy in front; otherwise that header is
    ignored.

    Error pages are in the language of the meeting their address belongs to, once a page of it
    has been read; else in ``language`` (the meeting being served): a Spanish meeting's
    mistyped address gets a Spanish "page not found".
    """
    app = FastAPI(
        title="meetingtui attendee web",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    templates = build_templates()
    if secret is None:
        with database.write() as session:
            secret = web_signing_secret(session)
    signer = Signer(secret)
    app.state.database = database
    app.state.templates = templates
    app.state.signer = signer
    app.state.rate_limiter = limiter = RateLimiter(rate_limits or RateLimits())
    app.state.read_slots = read_slots = ReadSlots()
    app.state.trust_proxy = trust_proxy
    app.state.writer = GroupCommitWriter(database)  # one writer, group commit
    app.state.languages = {}  # join code -> language, for pages rendered without a read
    app.state.language = language  # for an address of no meeting known (yet)
    app.state.base_url = base_url.rstrip("/") if base_url else None

    def error_response(status_code: int, path: str, detail: str = "") -> Response:
        if path.startswith(JSON_PREFIXES):
            return JSONResponse({"detail": detail or _reason(status_code)}, status_code=status_code)
        back_url = _meeting_url(path) if status_code != 404 else ""
        code = _meeting_url(path).removeprefix("/m/")
        spoken = app.state.languages.get(code, app.state.language)
        return render_error(
            templates, status_code, message=detail, back_url=back_url, language=spoken
        )

    async def on_http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        response = error_response(error.status_code, request.url.path)
        for name, value in (error.headers or {}).items():
            response.headers[name] = value  # e.g. Allow on a 405
        return response

    async def on_not_found(request: Request, error: Exception) -> Response:
        # Unknown meeting or idea on a GET; the POST routes handle theirs to keep typed text.
        path = request.url.path
        return error_response(404, path, str(error) if path.startswith(JSON_PREFIXES) else "")

    async def on_domain_error(request: Request, error: Exception) -> Response:
        # Outside the form POSTs (which keep the person's text): the same table's status.
        assert isinstance(error, DomainError)
        return error_response(pages.refusal_status(error), request.url.path, str(error))

    async def on_invalid_request(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        if request.url.path.startswith(JSON_PREFIXES):
            return JSONResponse({"detail": error.errors()}, status_code=422)
        return error_response(400, request.url.path)

    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(NotFound, on_not_found)
    app.add_exception_handler(DomainError, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_invalid_request)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(pages.router)
    app.router.routes[0:0] = pages.HOT_ROUTES  # first: matched before anything else
    app.include_router(live.router)
    app.include_router(api.router)
    app.include_router(reach_pages.router)  # the sign-in (reach) and pairwise pages
    app.include_router(reach_pages.api_router)

    _relative_slash_redirects(app)

    @app.get("/healthz", tags=["health"], summary="Liveness check")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    # The last added runs first: headers go on everything, including the refusals below them.
    app.add_middleware(
        ReadLimitMiddleware,
        limiter=limiter,
        slots=read_slots,
        address=partial(scope_address, trust_proxy=trust_proxy),
        render_error=error_response,
    )
    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(DeviceCookieMiddleware, signer=signer)
    app.add_middleware(ErrorPageMiddleware, render_error=error_response)
    app.add_middleware(
        BodySizeLimitMiddleware, render_error=error_response, max_bytes=max_body_bytes
    )
    app.add_middleware(SecurityHeadersMiddleware)
    return app


def _relative_slash_redirects(app: FastAPI) -> None:
    """``/m/CODE/`` leads to ``/m/CODE`` with a relative ``Location``. Starlette's own
    trailing-slash redirect builds an absolute URL from the Host header, which anyone can
    set (``Host: evil.example`` sent the browser there)."""
    router = app.router
    router.redirect_slashes = False
    not_found = router.default

    async def default(scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] == "http" and len(path) > 1 and path.endswith("/"):
            wanted = {**scope, "path": path.rstrip("/")}
            if any(route.matches(wanted)[0] != Match.NONE for route in router.routes):
                raw = scope.get("raw_path") or path.encode()
                # One leading slash only: "//host" would be another site.
                target = "/" + raw.decode("latin-1").rstrip("/").lstrip("/\\")
                if scope.get("query_string"):
                    target += "?" + scope["query_string"].decode("latin-1")
                await RedirectResponse(target, status_code=307)(scope, receive, send)
                return
        await not_found(scope, receive, send)

    router.default = default


def _meeting_url(path: str) -> str:
    """The meeting page a failed request came from, to offer a way back (not for a 404: the
    meeting may be the thing that does not exist)."""
    parts = path.split("/")
    if len(parts) >= 3 and parts[1] == "m" and parts[2]:
        return f"/m/{parts[2].lower()}"
    return ""


def _reason(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"
