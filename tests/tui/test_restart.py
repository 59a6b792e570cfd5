"""Never lose the meeting: a console killed with SIGKILL restarts on the same item, with the same
timer state, speakers' queue and half-typed idea.

The console runs for real (``python -m meetingtui run``) in a pseudo-terminal; keys go in through
the terminal, the state is read back from the database and from what the restarted console draws.
"""

from __future__ import annotations

import os
import pty
import signal
import socket
import struct
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlmodel import col, select

from meetingtui.domain.drafts import draft_fields
from meetingtui.domain.meetings import agenda_items
from meetingtui.domain.models import Meeting, Speaker
from meetingtui.store.database import Database
from meetingtui.tui.clock import format_duration
from tests import waiting
from tests.conftest import ROOT, TOWN_HALL
from tests.draft_lookup import terminal_draft

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")
TERMINAL = "restart-test-pane"


class Console:
    """A ``meetingtui run`` process in a pty, its output collected by a reader thread."""

    def __init__(self, db_path: Path, port: int, terminal: str = TERMINAL) -> None:
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "MEETINGTUI_TERMINAL": terminal,
            "PYTHONPATH": str(ROOT),
        }
        env.pop("NO_COLOR", None)
        command = [
            sys.executable,
            "-m",
            "meetingtui",
            "run",
            str(TOWN_HALL),
            "--db",
            str(db_path),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ]
        pid, fd = pty.fork()
        if pid == 0:  # the child: become the console
            os.execvpe(command[0], command, env)
        self.pid, self.fd = pid, fd
        import fcntl
        import termios

        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.output = bytearray()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output.extend(chunk)

    def wait_for_output(self, text: str, timeout: float = 15.0, *, since: int = 0) -> None:
        """Until ``text`` is drawn (after byte ``since`` of the output: a mark from ``type``)."""
        deadline = time.monotonic() + timeout
        while text.encode() not in self.output[since:]:
            if time.monotonic() > deadline:
                tail = bytes(self.output[-2000:]).decode(errors="replace")
                raise AssertionError(f"{text!r} not drawn within {timeout} s; last output: {tail}")
            time.sleep(0.05)

    def type(self, keys: str, *, then_drawn: str = "") -> None:
        """Type ``keys``; with ``then_drawn``, wait until the console draws that text in
        answer (a dialog opening), so the next keys go to the right place however busy the
        machine is."""
        mark = len(self.output)
        os.write(self.fd, keys.encode())
        if then_drawn:
            self.wait_for_output(then_drawn, since=mark)

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)

    def quit(self) -> int:
        # The attendee web is serving the meeting: quitting asks first.
        self.type("q", then_drawn="Quit the console?")
        self.type("y")  # then wait for the process to end
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.05)
        self.kill()
        raise AssertionError("the console did not quit")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float = 10.0) -> None:  # noqa: ANN001
    waiting.wait_for(condition, timeout)


def meeting_state(database: Database):  # noqa: ANN201
    """What must survive: the current item, its timer, the queue, and the idea draft."""
    with database.read() as session:
        meeting = session.exec(select(Meeting)).first()
        if meeting is None:
            return None
        items = agenda_items(session, meeting.id)
        current = next((i for i in items if i.id == meeting.current_item_id), None)
        if current is None:  # not started yet
            return None
        speakers = session.exec(select(Speaker).order_by(col(Speaker.requested_at)))
        draft = terminal_draft(session, meeting_id=meeting.id, owner=TERMINAL)
        return {
            "item": current.title,
            "running": current.running_since is not None,
            "elapsed": round(current.elapsed_seconds, 3),
            "statuses": [i.status for i in items],
            "queue": [(s.name, s.status) for s in speakers],
            "draft": draft_fields(draft).get("title") if draft else None,
        }


def test_kill_9_and_restart_resume_with_nothing_lost(tmp_path):
    db_path = tmp_path / "meeting.sqlite3"
    database = Database.open(f"sqlite:///{db_path}", migrate=True)
    port = free_port()
    console = Console(db_path, port)
    try:
        console.wait_for_output("Not started")
        console.type("S")  # start the meeting: its first item's clock starts now
        wait_for(lambda: meeting_state(database) is not None)

        console.type("n")  # on to item 2
        wait_for(lambda: meeting_state(database)["item"] == "The draft plan in ten minutes")
        console.type("s", then_drawn="Add a speaker")  # a speaker from the floor ...
        console.type("Joan Phillips\r")
        wait_for(lambda: meeting_state(database)["queue"] == [("Joan Phillips", "waiting")])
        console.type("s", then_drawn="Add a speaker")  # ... and another, who is called
        console.type("Dev\r")
        wait_for(lambda: len(meeting_state(database)["queue"]) == 2)
        console.type("c")
        wait_for(lambda: meeting_state(database)["queue"][0][1] == "speaking")
        console.type(" ")  # pause the item's timer
        wait_for(lambda: not meeting_state(database)["running"])
        console.type("i", then_drawn="Capture an idea")  # and start typing an idea, never saved
        console.type("Half-typed idea")
        wait_for(lambda: meeting_state(database)["draft"] == "Half-typed idea")
        before = meeting_state(database)
    finally:
        console.kill()

    assert before["queue"] == [("Joan Phillips", "speaking"), ("Dev", "waiting")]
    assert before["statuses"][:2] == ["done", "active"]
    assert meeting_state(database) == before

    again = Console(db_path, port)  # the port is free again at once
    try:
        again.wait_for_output("The draft plan in ten minutes")
        again.wait_for_output("PAUSED")
        again.wait_for_output("Joan Phillips")
        again.wait_for_output("Half-typed idea")  # the draft is offered back
        # The paused timer shows the time used when it was killed, and nothing was written.
        again.wait_for_output(f"{format_duration(before['elapsed'])} used")
        assert meeting_state(database) == before
        assert again.quit() == 0
    finally:
        if again.fd:
            try:
                os.kill(again.pid, 0)
                again.kill()
            except OSError:
                pass
    database.close()


def terminal_title(database: Database, terminal: str) -> str | None:
    """The title in the draft held by the console in ``terminal``, if any."""
    with database.read() as session:
        meeting = session.exec(select(Meeting)).first()
        found = terminal_draft(session, meeting_id=meeting.id, owner=terminal) if meeting else None
        return draft_fields(found).get("title") if found else None


def test_a_killed_consoles_draft_is_offered_back_in_a_new_terminal(tmp_path):
    """kill -9, then a console in another terminal (another pty, another MEETINGTUI_TERMINAL)
    on the same database and meeting offers the half-typed idea back; while the first console
    lives, a second one never takes its draft."""
    db_path = tmp_path / "meeting.sqlite3"
    database = Database.open(f"sqlite:///{db_path}", migrate=True)
    first = Console(db_path, free_port(), terminal="window-one")
    try:
        first.wait_for_output("Not started")
        first.type("i", then_drawn="Capture an idea")
        first.type("Bus to the clinic")
        wait_for(lambda: terminal_title(database, "window-one") == "Bus to the clinic")

        live = Console(db_path, free_port(), terminal="window-two")  # while the first lives
        try:
            live.wait_for_output("Not started")
            live.type("i", then_drawn="Capture an idea")
            live.type("Its own")  # its form opened empty: the first console's draft is not its
            wait_for(lambda: terminal_title(database, "window-two") == "Its own")
            assert terminal_title(database, "window-one") == "Bus to the clinic"
            live.type("\x13")  # saved as an idea: its draft ends
            wait_for(lambda: terminal_title(database, "window-two") is None)
        finally:
            live.kill()
    finally:
        first.kill()

    again = Console(db_path, free_port(), terminal="window-three")
    try:
        wait_for(lambda: terminal_title(database, "window-three") == "Bus to the clinic")
        again.wait_for_output("Bus to the clinic")  # in the notice: the draft was kept
        assert terminal_title(database, "window-one") is None  # taken over, not copied
        again.type("i", then_drawn="Capture an idea")
        again.type(" stop")
        wait_for(lambda: terminal_title(database, "window-three") == "Bus to the clinic stop")
    finally:
        again.kill()
    database.close()
