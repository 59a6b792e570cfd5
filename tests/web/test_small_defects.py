"""Issue 8 #12, the web's part: HEAD answers like GET without a body; a client that goes away is
one info line in the log, not an error with a traceback; the web log rotates; the phone form's
inputs carry ``maxlength`` and ``required`` matching the domain's limits."""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from meetingtui.domain.ideas import COMMENT_MAX, DETAIL_MAX, NAME_MAX, ORGANISATION_MAX, TITLE_MAX
from meetingtui.domain.models import Meeting
from meetingtui.web.server import WEB_LOG_BACKUPS, WEB_LOG_MAX_BYTES, route_web_logs_to_file
from tests.web.helpers import LiveWeb, add_idea


def _raw(web: LiveWeb, request: bytes) -> bytes:
    host, port = web.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_head_answers_like_get_without_a_body(live_web: LiveWeb, meeting: Meeting) -> None:
    ref = add_idea(live_web.database, meeting, "Saturday GP appointments")
    for path in (
        "/m/testcode23",
        f"/m/testcode23/ideas/{ref}",
        "/m/testcode23/screen",
        "/m/testcode23/live",
        "/m/testcode23/ideas",  # a redirect, as for GET
        "/m/nosuchcode",  # a 404, as for GET
        "/healthz",
        "/api/meetings/testcode23",
        "/static/site.css",
    ):
        get = live_web.client.get(path)
        raw = _raw(
            live_web, f"HEAD {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
        )
        head, _, body = raw.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        assert status == get.status_code, path
        assert body == b"", path
        headers = dict(
            line.decode("latin-1").lower().split(": ", 1) for line in head.split(b"\r\n")[1:]
        )
        assert headers.get("content-type") == get.headers.get("content-type"), path


@pytest.fixture
def web_log() -> Iterator[logging.Logger]:
    logger = logging.getLogger("meetingtui.web")
    saved = {
        name: (logging.getLogger(name).handlers[:], logging.getLogger(name).propagate)
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "meetingtui.web")
    }
    yield logger
    for name, (handlers, propagate) in saved.items():
        for handler in logging.getLogger(name).handlers:
            if handler not in handlers:
                handler.close()
        logging.getLogger(name).handlers = handlers
        logging.getLogger(name).propagate = propagate


def test_the_web_log_rotates(tmp_path: Path, web_log: logging.Logger) -> None:
    path = route_web_logs_to_file(tmp_path / "web.log")
    line = "x" * 1000
    for _ in range(WEB_LOG_MAX_BYTES * (WEB_LOG_BACKUPS + 2) // 1000):
        web_log.info(line)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["web.log"] + [f"web.log.{n}" for n in range(1, WEB_LOG_BACKUPS + 1)]
    assert all(p.stat().st_size <= WEB_LOG_MAX_BYTES for p in tmp_path.iterdir())
    assert path == tmp_path / "web.log"


def test_a_client_that_goes_away_is_one_info_line(
    live_web: LiveWeb, meeting: Meeting, caplog: pytest.LogCaptureFixture
) -> None:
    ref = add_idea(live_web.database, meeting, "Saturday GP appointments")
    host, port = live_web.base_url.removeprefix("http://").split(":")
    caplog.set_level(logging.INFO, logger="meetingtui.web")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            f"POST /m/testcode23/ideas/{ref}/comments HTTP/1.1\r\nHost: x\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\n"
            "body=half a comm".encode()
        )
    # Wait for the server to notice (the state, not a time): the next request on a new
    # connection is answered after the first one's handling has run its course.
    for _ in range(200):
        if any("went away" in r.getMessage() for r in caplog.records):
            break
        live_web.client.get("/healthz")
    gone = [r for r in caplog.records if "went away" in r.getMessage()]
    assert len(gone) == 1
    assert gone[0].levelno == logging.INFO and gone[0].exc_info is None
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def _attributes(document: str, element_id: str) -> dict[str, str]:
    match = re.search(rf'<(?:input|textarea)[^>]*\bid="{re.escape(element_id)}"[^>]*>', document)
    assert match, element_id
    return dict(re.findall(r'\s([a-z-]+)(?:="([^"]*)")?', match.group(0)))


def test_phone_form_inputs_carry_the_domain_limits(live_web: LiveWeb, discussion: Meeting) -> None:
    ref = add_idea(live_web.database, discussion, "Saturday GP appointments")
    page = live_web.page().text
    expected = {
        "title": (TITLE_MAX, True),
        "detail": (DETAIL_MAX, False),
        "raised_by": (NAME_MAX, False),
        "organisation": (ORGANISATION_MAX, False),
        "speaker-name": (NAME_MAX, False),
        f"body-{ref}": (COMMENT_MAX, True),
    }
    for element_id, (limit, required) in expected.items():
        attributes = _attributes(page, element_id)
        assert attributes.get("maxlength") == str(limit), element_id
        assert ("required" in attributes) is required, element_id
    idea_page = live_web.client.get(f"/m/testcode23/ideas/{ref}").text
    assert _attributes(idea_page, f"body-{ref}").get("maxlength") == str(COMMENT_MAX)
