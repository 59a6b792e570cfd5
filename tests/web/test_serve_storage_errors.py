"""``serve`` when the database fails while serving: a locked database answers 503 with
Retry-After and keeps the typed text; the terminal gets at most one plain sentence (never a
traceback, SQL or library noise); the details go to the web log file."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx

from meetingtui.domain.models import Meeting
from meetingtui.store.database import Database
from tests.web.test_serve import SERVE


def _start(database: Database, code: str, tmp_path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    return subprocess.Popen(
        [sys.executable, "-c", SERVE, database.url, code, "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
        cwd=tmp_path,
        env=env,
    )


def _db_file(database: Database) -> str:
    return database.url.removeprefix("sqlite:///")


def test_locked_database_is_503_and_one_plain_sentence(
    database: Database, meeting: Meeting, tmp_path: Path
) -> None:
    process = _start(database, meeting.code, tmp_path)
    try:
        url = process.stdout.readline().strip()  # type: ignore[union-attr]
        with httpx.Client(timeout=30) as client:
            page = client.get(url)
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert token
            locker = sqlite3.connect(_db_file(database), isolation_level=None)
            locker.execute("BEGIN EXCLUSIVE")
            try:
                answer = client.post(
                    f"{url}/ideas",
                    data={"title": "A bench by the pond", "csrf_token": token.group(1)},
                )
            finally:
                locker.execute("ROLLBACK")
                locker.close()
        assert answer.status_code == 503
        assert answer.headers["retry-after"].isdigit()
        assert "A bench by the pond" in answer.text
        assert "SQL" not in answer.text and "sqlite" not in answer.text.lower()
        # Junk on the wire: logged to the file, nothing on the terminal.
        host, port = url.removeprefix("http://").split("/")[0].split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(b"\x16\x03\x01junk\r\n\r\n")
            sock.recv(1024)
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    for noise in ("Traceback", "SQL", "sqlalche.me", "OperationalError", "Invalid HTTP"):
        assert noise not in err and noise not in out
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("meetingtui: a request failed (the database is busy)")
    assert "details in" in lines[0]
    log = Path(lines[0].rsplit("details in ", 1)[1].rstrip("."))
    assert log.exists() and "locked" in log.read_text()
