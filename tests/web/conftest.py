"""The attendee web under test runs for real: uvicorn on 127.0.0.1, an ephemeral port, in a
background thread, and the tests talk to it over HTTP with httpx, as a phone would."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from meetingtui.domain.models import Meeting
from meetingtui.store.database import Database
from meetingtui.web.app import create_web_app
from meetingtui.web.security import RateLimits
from meetingtui.web.server import (
    DEFAULT_LIMITS,
    ConnectionLimits,
    QuietServer,
    bind_listening_socket,
    web_config,
)
from tests.web.helpers import LiveWeb


@contextlib.contextmanager
def running_web(
    database: Database, limits: ConnectionLimits = DEFAULT_LIMITS, **options: Any
) -> Iterator[LiveWeb]:
    """The attendee web (``create_web_app(database, **options)``) served on a free port, by
    the same uvicorn configuration as ``serve`` and ``run`` (with ``limits``)."""
    sock = bind_listening_socket("127.0.0.1", 0)
    # Tests of features post from one new phone many times within its first minute: a
    # brand-new device's small first allowance is tested on its own (test_fair_limits.py).
    options.setdefault("rate_limits", RateLimits(first_posts=int(RateLimits().device.capacity)))
    app = create_web_app(database, **options)
    server = QuietServer(web_config(app, limits))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    host, port = sock.getsockname()[:2]
    base_url = f"http://{host}:{port}"
    try:
        with httpx.Client(base_url=base_url, follow_redirects=False, timeout=10) as client:
            yield LiveWeb(
                base_url=base_url, client=client, database=database, app=app, server=server
            )
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
    assert not thread.is_alive(), "uvicorn did not stop"


@pytest.fixture
def live_web(database: Database) -> Iterator[LiveWeb]:
    with running_web(database) as web:
        yield web


@pytest.fixture
def web_with(database: Database) -> Iterator[Callable[..., LiveWeb]]:
    """Start the web with options (rate limits, base URL...): ``web_with(rate_limits=...)``."""
    with contextlib.ExitStack() as stack:
        yield lambda **options: stack.enter_context(running_web(database, **options))


@pytest.fixture
def pre_moderated(database: Database, meeting: Meeting) -> Meeting:
    """The town hall sample, switched to pre-moderation: public input waits for a moderator."""
    with database.write() as session:
        row = session.get(Meeting, meeting.id)
        assert row is not None
        row.moderation = "pre"
    return meeting


@pytest.fixture
def discussion(database: Database, meeting: Meeting) -> Meeting:
    """The town hall on its third item, the table discussions: phones may ask to speak."""
    from meetingtui.domain import meetings

    with database.write() as session:
        meetings.move_to_item(session, meeting_id=meeting.id, step=2)
    with database.read() as session:
        moved = session.get(Meeting, meeting.id)
        assert moved is not None
        return moved
