"""The console ends cleanly on SIGHUP and SIGTERM, also once its terminal is gone (an ssh link
dropped, a terminal window closed): it used to stay alive serving, its shutdown blocked on
writes to a terminal that no longer exists. What was acknowledged is already in the database;
the attendee web stops with it.

The console runs for real (``python -m meetingtui run``) in a pseudo-terminal, as in
test_restart.py.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

from meetingtui.store.database import Database
from tests.tui.test_restart import Console, free_port, meeting_state, wait_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


def serving(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def ended(console: Console, timeout: float = 60.0) -> int | None:
    """The console's exit code once it has ended, None if it is still running at
    ``timeout`` (then killed): waiting for the process, the timeout only a guard."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(console.pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.1)
    os.kill(console.pid, signal.SIGKILL)
    os.waitpid(console.pid, 0)
    return None


@pytest.mark.parametrize("how", ["terminal closed", "SIGHUP", "SIGTERM", "SIGTERM, no terminal"])
def test_the_console_ends_and_stops_serving_when_told_or_its_terminal_goes(tmp_path, how):
    db_path = tmp_path / "meeting.sqlite3"
    database = Database.open(f"sqlite:///{db_path}", migrate=True)
    port = free_port()
    console = Console(db_path, port)
    closed = False
    try:
        console.wait_for_output("Not started", timeout=60)
        console.type("S")  # acknowledged on screen: committed before it is drawn
        wait_for(lambda: meeting_state(database) is not None, timeout=30)
        wait_for(lambda: serving(port), timeout=60)
        if how in ("terminal closed", "SIGTERM, no terminal"):
            os.close(console.fd)  # the terminal goes away: the kernel hangs the console up
            closed = True
        if how == "SIGHUP":
            os.kill(console.pid, signal.SIGHUP)
        if how.startswith("SIGTERM"):
            os.kill(console.pid, signal.SIGTERM)
        code = ended(console)
        assert code == 0, f"{how}: {'still running' if code is None else f'exit {code}'}"
        assert not serving(port)  # the web child went with it
        assert meeting_state(database)["item"]  # and the meeting is as acknowledged
    finally:
        if not closed:
            os.close(console.fd)
        database.close()


class FrozenTerminal(Console):
    """A terminal that stops reading (an ssh link frozen, not yet dropped): no hang-up, and
    the console's writes to it block once its buffer is full."""

    def __init__(self, db_path: Path, port: int) -> None:
        self.reading = threading.Event()
        self.reading.set()
        super().__init__(db_path, port)

    def _read(self) -> None:
        while True:
            self.reading.wait()
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output.extend(chunk)


def writing_to_a_full_terminal(console: Console) -> bool:
    """Whether the console's terminal is full (4 KB unread) and a thread of the console waits
    in the kernel for room to write (Linux)."""
    import fcntl
    import struct
    import termios

    unread = struct.unpack("i", fcntl.ioctl(console.fd, termios.FIONREAD, b"\0" * 4))[0]
    if unread < 4000:
        return False
    for task in Path(f"/proc/{console.pid}/task").iterdir():
        try:
            waits = (task / "wchan").read_text()
        except OSError:
            continue
        if "tty_write" in waits or waits == "wait_woken":
            return True
    return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_sigterm_ends_a_console_blocked_on_a_terminal_that_stopped_reading(tmp_path):
    """Its event loop waits on output that cannot go out, so nothing of the loop runs: the
    signal's handler still ends it (exit 1 once the orderly shutdown has had its time)."""
    db_path = tmp_path / "meeting.sqlite3"
    port = free_port()
    console = FrozenTerminal(db_path, port)
    try:
        console.wait_for_output("Not started", timeout=60)
        wait_for(lambda: serving(port), timeout=60)
        console.reading.clear()
        console.type("S")  # the clock runs and redraws; help opened and closed draws a lot

        keys = iter([b"?", b"\x1b"] * 1000)  # help open, closed: one key per look

        def blocked() -> bool:
            if not writing_to_a_full_terminal(console):
                os.write(console.fd, next(keys))
            return writing_to_a_full_terminal(console)

        wait_for(blocked, timeout=60)
        os.kill(console.pid, signal.SIGTERM)
        assert ended(console) in (0, 1)
        wait_for(lambda: not serving(port), timeout=30)  # the web child was told to stop
    finally:
        console.reading.set()
        os.close(console.fd)
