# ruff: noqa: UP031, E501, B023, B905  (a measuring script: printf-style figures, long commands)
"""The issue's proof by hand, scripted: a real console in tmux (100x30), 20 ideas each typed as
one ``send-keys -l`` burst (i, title with emoji, Tab, detail with joined emoji, Tab, topic
letters, Tab, Backspace, stakeholder letters, and every other idea a name, consent and a
benefit, ctrl+s); then the database and ``export --format csv`` are checked against what was
typed. Prints key-to-form latency (polling tmux until the form is drawn) and ideas a minute.

    python bench/tmux_capture.py [CODE_DIR ...]   (default: this checkout; several compare)

Each CODE_DIR is a checkout of meetingtui; the first is the baseline the others are compared
with, all measured in the same run. Needs tmux; uses the tmux socket ``bench-capture``.
"""

import csv
import io
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOCK = ["tmux", "-L", "bench-capture"]
PY = sys.executable


def tmux(*a):
    return subprocess.run([*SOCK, *a], capture_output=True, text=True).stdout


def pane():
    return tmux("capture-pane", "-p", "-t", "p")


def wait(cond, timeout=30):
    t = time.monotonic()
    while not cond():
        if time.monotonic() - t > timeout:
            raise SystemExit("timeout")
        time.sleep(0.01)
    return time.monotonic() - t


def run(code_dir, DB):
    def count():
        try:
            with sqlite3.connect(DB) as c:
                return c.execute("select count(*) from idea").fetchone()[0]
        except sqlite3.Error:
            return -1

    TOPICS = [
        ("gp", "GP and primary care access"),
        ("me", "Mental health"),
        ("car", "Care at home"),
        ("urg", "Urgent and emergency care"),
        ("tra", "Travel and transport to services"),
    ]
    WHO = [
        ("res", "resident"),
        ("car", "carer"),
        ("vol", "voluntary"),
        ("pat", "patient"),
        ("cli", "clinician"),
    ]
    wanted, bursts = [], []
    for n in range(20):
        tk, topic = TOPICS[n % 5]
        wk, who = WHO[n % 5]
        title = f"Idea {n} ❤️ longer GP hours [b]not bold[/b]"
        detail = f"Nurse 👩‍⚕️ said so, family 👨‍👩‍👧 #{n}"
        keys = (
            "i" + title + "\t" + detail + "\t" + tk + "\t\x7f" + wk
        )  # \x7f = Backspace clears the carried pick
        if n % 2:  # every other one: a name, consent ticked, a benefit
            keys += "\t\t" + f"Ana {n}" + "\t\t \t\t "
        keys += "\x13"
        bursts.append(keys)
        wanted.append(
            (
                title,
                detail,
                topic,
                who,
                f"Ana {n}" if n % 2 else "",
                1 if n % 2 else 0,
                '["quality"]' if n % 2 else "[]",
            )
        )
    # key to form, 10 times: i alone, poll until the form is drawn, then Escape
    lat = []
    for _ in range(10):
        t = time.monotonic()
        tmux("send-keys", "-t", "p", "-l", "i")
        wait(lambda: "Capture an idea" in pane())
        lat.append(time.monotonic() - t)
        tmux("send-keys", "-t", "p", "Escape")
        wait(lambda: "Capture an idea" not in pane())
    print(
        "key to form (tmux capture polling): median %.0f ms, min %.0f, max %.0f"
        % (statistics.median(lat) * 1000, min(lat) * 1000, max(lat) * 1000)
    )
    start = time.monotonic()
    per = []
    for n, keys in enumerate(bursts):
        t = time.monotonic()
        tmux("send-keys", "-t", "p", "-l", keys)
        wait(lambda: count() == n + 1, 60)
        per.append(time.monotonic() - t)
    total = time.monotonic() - start
    print(
        "20 bursts of %d-%d keys: %.1f s, %.1f ideas a minute (console-bound); per idea median %.2f s max %.2f s"
        % (
            min(map(len, bursts)),
            max(map(len, bursts)),
            total,
            20 * 60 / total,
            statistics.median(per),
            max(per),
        )
    )
    keys_per_idea = statistics.mean(len(b) for b in bursts)
    for cps in (4, 6):
        print(
            "a note-taker typing %d keys/s: %.1f ideas a minute (typing-bound)"
            % (
                cps,
                60 / (keys_per_idea / cps + max(statistics.median(per) - keys_per_idea / 200, 0)),
            )
        )
    with sqlite3.connect(DB) as c:
        got = c.execute(
            "select title, detail, topic, stakeholder, raised_by, publish_name, benefits from idea order by ref"
        ).fetchall()
    bad = [(w, g) for w, g in zip(wanted, got) if tuple(g) != w]
    print(
        "database: %d ideas, %d differ from what was typed"
        % (len(got), len(bad) + abs(len(got) - 20))
    )
    for w, g in bad[:5]:
        print("  wanted", w, "\n  got   ", g)
    with sqlite3.connect(DB) as c:
        mcode = c.execute("select code from meeting").fetchone()[0]
    out = subprocess.run(
        [PY, "-m", "meetingtui", "export", mcode, "--format", "csv", "--db", DB],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": code_dir},
    )
    rows = list(csv.reader(io.StringIO(out.stdout)))
    cells = {cell for row in rows for cell in row}
    missing = [w for w in wanted if w[0] not in cells or w[1] not in cells]
    print(
        "csv export: %d rows, every title and detail as typed in a cell: %s (%d missing)%s"
        % (
            len(rows),
            not missing,
            len(missing),
            (" stderr: " + out.stderr[:300]) if out.returncode else "",
        )
    )
    if rows:
        print("  header:", rows[0][:14])
    return statistics.median(lat), 20 * 60 / total


def console(code_dir, db):
    tmux("kill-server")
    agenda = Path(code_dir) / "sample_agendas" / "health_and_care_town_hall.toml"
    command = f"cd {code_dir} && PYTHONPATH={code_dir} MEETINGTUI_DB={db} {PY} -m meetingtui run {agenda} --port 8812; sleep 900"
    tmux("new-session", "-d", "-s", "p", "-x", "100", "-y", "30", command)
    wait(lambda: "Join code" in pane(), 60)
    tmux("send-keys", "-t", "p", "S")
    wait(lambda: "not started" not in pane(), 30)


if __name__ == "__main__":
    dirs = sys.argv[1:] or [str(Path(__file__).resolve().parent.parent)]
    results = []
    for code_dir in dirs:
        print("==", code_dir)
        with tempfile.TemporaryDirectory() as tmp:
            db = os.path.join(tmp, "bench.sqlite")
            console(code_dir, db)
            try:
                results.append(run(code_dir, db))
            finally:
                tmux("kill-server")
    for code_dir, (latency, rate) in zip(dirs[1:], results[1:]):
        base_latency, base_rate = results[0]
        print(
            f"{code_dir} vs {dirs[0]}: key to form x{latency / base_latency:.2f}, ideas a minute x{rate / base_rate:.2f}"
        )
