"""``serve_meeting`` as the command line runs it, in a child process: the attendee URL is the first
line, the page answers, Ctrl-C stops it with status 0 and no traceback."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from meetingtui.domain.models import Meeting
from meetingtui.store.database import Database

SERVE = textwrap.dedent(
    """
    import sys
    from meetingtui.store.database import Database
    from meetingtui.web.serve import serve_meeting

    url, code, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    sys.exit(serve_meeting(database=Database(url), meeting_code=code, host="127.0.0.1",
                           port=port, public_url=None))
    """
)


def _start(database: Database, code: str, port: int, tmp_path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", SERVE, database.url, code, str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
        cwd=tmp_path,
    )


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_prints_url_first_serves_and_stops_cleanly(
    database: Database, meeting: Meeting, tmp_path: Path, stop: signal.Signals
) -> None:
    process = _start(database, meeting.code, 0, tmp_path)
    try:
        first_line = process.stdout.readline().strip()  # type: ignore[union-attr]
        assert first_line.startswith("http://127.0.0.1:")
        assert first_line.endswith("/m/testcode23")
        page = httpx.get(first_line, timeout=10)
        assert page.status_code == 200
        assert "Our health and care plan" in page.text
    finally:
        process.send_signal(stop)
        out, err = process.communicate(timeout=15)
    assert process.returncode == 0, err
    assert "Traceback" not in err and "Traceback" not in out
    assert "Stopped." in out


def test_port_taken_is_a_clear_error(database: Database, meeting: Meeting, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = _start(database, meeting.code, port, tmp_path)
        out, err = process.communicate(timeout=15)
    assert process.returncode == 1
    assert out == ""
    assert f"Cannot listen on 127.0.0.1:{port}" in err and "--port" in err
    assert "Traceback" not in err


def test_unknown_meeting_is_a_clear_error(database: Database, tmp_path: Path) -> None:
    process = _start(database, "nosuchcode", 0, tmp_path)
    out, err = process.communicate(timeout=15)
    assert process.returncode == 1
    assert "No meeting with code or id 'nosuchcode'" in err
    assert "Traceback" not in err


def test_serve_bounds_header_size(database: Database, meeting: Meeting, tmp_path: Path) -> None:
    """``serve`` runs the same bounded connections as the tests' server (issue 8 #6)."""
    process = _start(database, meeting.code, 0, tmp_path)
    try:
        url = process.stdout.readline().strip()  # type: ignore[union-attr]
        host, port = url.removeprefix("http://").split("/")[0].split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000)
            answer = sock.recv(65536)
        assert answer.startswith(b"HTTP/1.1 431 ")
        assert httpx.get(url, timeout=10).status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=15)


@pytest.mark.parametrize("command", ["serve", "run"])
def test_trust_proxy_reaches_the_web(
    database: Database, meeting: Meeting, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    from meetingtui import cli
    from meetingtui import runtime as run
    from meetingtui.web import serve

    seen: dict[str, object] = {}
    monkeypatch.setattr(serve, "serve_meeting", lambda **kwargs: seen.update(kwargs) or 0)
    monkeypatch.setattr(run, "run_console_lazily", lambda **kwargs: seen.update(kwargs) or 0)
    for flag, expected in (([], False), (["--trust-proxy"], True)):
        seen.clear()
        assert cli.main([command, meeting.code, "--db", database.url, *flag]) == 0
        assert seen["trust_proxy"] is expected
