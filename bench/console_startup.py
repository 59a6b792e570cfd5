"""Console start-up and live-input benchmark.

1. Cold start to first frame of ``meetingtui run`` on a meeting with 300 ideas, against a minimal
   Textual app measured in the same run, both as real processes in a pseudo-terminal (so Python's
   start-up and every import count). Two moments are timed: the first frame (the first painted
   screen; with the lazy start it is the "Opening the meeting…" screen, drawn before the database
   layer is imported) and the meeting shown (its title drawn, read from the database). The
   baseline draws one word. Prints medians and ratios (target: first frame at most 2x).

   Both ways into the console are measured: the ``meetingtui run`` command (whose ``cmd_run``
   starts the console lazily) and ``run_console_lazily`` called directly (the meeting opened in
   a worker after the first frame).
2. Live attendee input: with the console running, an idea POSTed to the attendee web the way a
   phone sends it, timed until the console draws it (target: within 0.5 s).

    python bench/console_startup.py [--runs 7] [--ideas 300] [--posts 10]
"""

from __future__ import annotations

import argparse
import os
import pty
import random
import re
import signal
import socket
import statistics
import struct
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 2.0
# A frame is painted line by line with cursor moves; the move to the second row marks the first
# painted frame (mode switches and the alternate screen come before it), the same for any app.
FRAME_MARK = "\x1b[2;1H"
TARGET_LIVE_SECONDS = 0.5

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Footer, Static

class Minimal(App):
    def compose(self):
        yield Static("baseline-ready")
        yield Footer()

Minimal().run()
"""


class PtyProcess:
    """A process in a 100x30 pseudo-terminal; its output collected by a thread."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            os.execvpe(command[0], command, env)
        import fcntl
        import termios

        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.pid, self.fd = pid, fd
        self.output = bytearray()
        self.seen: dict[bytes, float] = {}
        self.watch: list[bytes] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            now = time.perf_counter()
            with self.lock:
                self.output.extend(chunk)
                for text in self.watch:
                    if text not in self.seen and text in self.output:
                        self.seen[text] = now

    def wait_for(self, text: str, timeout: float = 20.0) -> float:
        """When ``text`` was first drawn (perf_counter), waiting for it if need be."""
        key = text.encode()
        with self.lock:
            if key in self.output and key not in self.seen:
                self.seen[key] = time.perf_counter()
            self.watch.append(key)
        deadline = time.perf_counter() + timeout
        while key not in self.seen:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{text!r} not drawn within {timeout} s")
            time.sleep(0.002)
        return self.seen[key]

    def stop(self) -> None:
        os.kill(self.pid, signal.SIGTERM)
        deadline = time.perf_counter() + 5
        while time.perf_counter() < deadline:
            if os.waitpid(self.pid, os.WNOHANG)[0]:
                break
            time.sleep(0.02)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def seed(db_path: Path, ideas: int) -> tuple[str, str]:
    from meetingtui.agenda import load_agenda
    from meetingtui.domain import meetings
    from meetingtui.domain.ideas import IdeaInput, add_comment, capture_idea
    from meetingtui.store.database import Database

    database = Database.open(f"sqlite:///{db_path}", migrate=True)
    agenda = load_agenda(ROOT / "sample_agendas" / "health_and_care_town_hall.toml")
    topics = list(agenda.topics)
    with database.write() as session:
        meeting = meetings.create_meeting(session, agenda=agenda)
        meetings.start_meeting(session, meeting_id=meeting.id)
        for number in range(ideas):
            idea = capture_idea(
                session,
                meeting_id=meeting.id,
                data=IdeaInput(
                    title=f"Idea number {number}: more evening appointments near home",
                    detail="Because people work in the day. " * 5,
                    topic=topics[number % len(topics)],
                    stakeholder="resident",
                ),
            )
            if number % 3 == 0:
                add_comment(
                    session, meeting_id=meeting.id, idea_ref=idea.ref, body="Yes, and weekends."
                )
        code, title = meeting.code, meeting.title
    database.close()
    return code, title


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment() -> dict[str, str]:
    env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(ROOT)}
    env.pop("NO_COLOR", None)
    return env


def console_command(db_path: Path, code: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "meetingtui",
        "run",
        code,
        "--db",
        str(db_path),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]


LAZY_RUN = """
import sys
from meetingtui.runtime import run_console_lazily

def open_meeting():
    from meetingtui.cli import _open_database, _resolve_meeting
    database = _open_database(sys.argv[2])
    return database, _resolve_meeting(database, sys.argv[1], start=True).id

sys.exit(run_console_lazily(open_meeting=open_meeting, host="127.0.0.1", port=int(sys.argv[3])))
"""


def lazy_command(db_path: Path, code: str, port: int) -> list[str]:
    return [sys.executable, "-c", LAZY_RUN, code, str(db_path), str(port)]


def time_start(command: list[str], *ready_texts: str) -> list[float]:
    """Seconds from spawn until each text is drawn."""
    process = PtyProcess(command, environment())
    try:
        return [process.wait_for(text) - process.started for text in ready_texts]
    finally:
        process.stop()


def distinct_title(number: int) -> str:
    """A title that differs from the previous one in every character: the terminal is sent only
    the cells that changed, so a title that shares letters with the one drawn before it would
    not appear in the output as one string. The first is in capitals (seeded titles are not)."""
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ" if number % 2 == 0 else "abcdefghjkmnpqrstuvwxyz"
    rng = random.Random(number)
    return "".join(rng.choice(letters) for _ in range(24))


def live_input(db_path: Path, code: str, posts: int) -> list[float]:
    import httpx

    port = free_port()
    process = PtyProcess(console_command(db_path, code, port), environment())
    base = f"http://127.0.0.1:{port}/m/{code}"
    delays = []
    try:
        process.wait_for("Join code")
        time.sleep(1.0)  # let the console settle: measure the live path, not the start-up
        for number in range(posts):
            with httpx.Client(timeout=10) as client:
                page = client.get(base)
                token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
                title = distinct_title(number)
                process.watch.append(title.encode())
                sent = time.perf_counter()
                response = client.post(
                    f"{base}/ideas",
                    data={"title": title, "csrf_token": token},
                    follow_redirects=False,
                )
                if response.status_code != 303:
                    raise RuntimeError(f"POST refused: {response.status_code}")
            delays.append(process.wait_for(title, timeout=5) - sent)
            time.sleep(0.3)
    finally:
        process.stop()
    return delays


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ideas", type=int, default=300)
    parser.add_argument("--posts", type=int, default=10)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bench.sqlite3"
        code, title = seed(db_path, args.ideas)
        minimal_command = [sys.executable, "-c", MINIMAL_APP]
        texts = (FRAME_MARK, title[:30])
        minimal_times: list[float] = []
        times: dict[str, list[list[float]]] = {"meetingtui run": [], "run_console_lazily": []}
        commands = {"meetingtui run": console_command, "run_console_lazily": lazy_command}
        time_start(minimal_command, "baseline-ready")  # warm the OS file cache
        time_start(console_command(db_path, code, free_port()), *texts)
        for _ in range(args.runs):
            minimal_times.append(time_start(minimal_command, FRAME_MARK, "baseline-ready")[0])
            for name, command in commands.items():
                times[name].append(time_start(command(db_path, code, free_port()), *texts))
        delays = live_input(db_path, code, args.posts)

    minimal = statistics.median(minimal_times)
    print(f"meeting: {args.ideas} ideas; {args.runs} runs each, medians; 100x30 pty")
    print(f"minimal Textual app, cold start to first frame: {minimal * 1000:6.0f} ms")
    for name, runs in times.items():
        first = statistics.median(r[0] for r in runs)
        shown = statistics.median(r[1] for r in runs)
        ratio = first / minimal
        verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
        print(
            f"{name:<19} first frame {first * 1000:6.0f} ms (ratio {ratio:.2f}, target <= "
            f"{TARGET_RATIO:.0f}: {verdict}); meeting shown {shown * 1000:6.0f} ms "
            f"(ratio {shown / minimal:.2f})"
        )
    print(
        f"attendee idea POST to shown on the console ({len(delays)} posts): "
        f"median {statistics.median(delays) * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms "
        f"(target <= {TARGET_LIVE_SECONDS * 1000:.0f} ms: "
        f"{'met' if max(delays) <= TARGET_LIVE_SECONDS else 'NOT met'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
