"""Storage failures on the command line: one plain sentence, a non-zero exit, nothing created or
touched. Never a traceback, SQL, bound parameters or a secret."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from meetingtui import cli
from meetingtui.domain.ideas import IdeaInput, capture_idea
from tests.test_cli import meetingtui

LEAKS = ("Traceback", "SELECT", "INSERT", "UPDATE", "[SQL", "parameters", "sqlalchemy", "sqlite3.")


def _assert_plain(stderr: str) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("meetingtui: "), stderr
    for leak in LEAKS:
        assert leak not in stderr, stderr


def _fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _file_of(database) -> Path:
    return Path(database.url.removeprefix("sqlite:///"))


@pytest.mark.parametrize(
    "command", [["meetings"], ["ideas"], ["export", "testcode23"], ["publish", "-o", "site"]]
)
def test_read_commands_never_create_a_database(tmp_path: Path, command: list[str]) -> None:
    typo = tmp_path / "mettings" / "sub" / "meeting.sqlite3"
    result = meetingtui(*command, "--db", str(typo), db=tmp_path / "unused.sqlite3", cwd=tmp_path)
    assert result.returncode == 2  # an input error: what was typed names no database
    _assert_plain(result.stderr)
    assert str(typo) in result.stderr and "no database" in result.stderr.lower()
    assert not (tmp_path / "mettings").exists()
    assert not (tmp_path / "unused.sqlite3").exists()
    assert not (tmp_path / "site").exists()


def test_read_commands_refuse_an_empty_file_and_leave_it_alone(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    result = meetingtui("meetings", "--db", str(empty), db=empty)
    assert result.returncode == 1
    _assert_plain(result.stderr)
    assert empty.stat().st_size == 0 and _fingerprint(tmp_path) == {
        "empty.sqlite3": hashlib.sha256(b"").hexdigest()
    }


def _set_revision(path: Path, revision: str) -> None:
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    connection.close()


@pytest.mark.parametrize(
    "command", [["meetings"], ["export", "testcode23"], ["serve", "testcode23", "--port", "0"]]
)
def test_a_newer_schema_is_refused_plainly_and_untouched(
    tmp_path: Path, database, meeting, command: list[str]
) -> None:
    path = _file_of(database)
    database.close()
    _set_revision(path, "0099_from_the_future")
    before = _fingerprint(path.parent)
    result = meetingtui(*command, "--db", str(path), db=path)
    assert result.returncode == 1
    _assert_plain(result.stderr)
    assert "newer" in result.stderr and "0099_from_the_future" in result.stderr
    assert _fingerprint(path.parent) == before


def test_read_commands_refuse_an_older_schema_and_say_how_to_upgrade(
    tmp_path: Path, database, meeting
) -> None:
    path = _file_of(database)
    database.close()
    _set_revision(path, "0002_queue_supports_records")
    before = _fingerprint(path.parent)
    result = meetingtui("meetings", "--db", str(path), db=path)
    assert result.returncode == 1
    _assert_plain(result.stderr)
    assert "meetingtui upgrade" in result.stderr
    assert _fingerprint(path.parent) == before


def _damage_the_middle(path: Path) -> None:
    size = path.stat().st_size
    page = 4096
    middle = (size // page // 2) * page
    with path.open("r+b") as file:
        file.seek(middle)
        file.write(b"\xa5" * page)


@pytest.mark.parametrize(
    "command", [["serve", "testcode23", "--port", "0"], ["meetings"], ["export", "testcode23"]]
)
def test_a_database_damaged_in_the_middle_is_refused_at_open(
    tmp_path: Path, database, meeting, command: list[str]
) -> None:
    with database.write() as session:
        for n in range(400):
            capture_idea(
                session, meeting_id=meeting.id, data=IdeaInput(title=f"Idea {n}", detail="x" * 300)
            )
    path = _file_of(database)
    database.close()
    assert not Path(f"{path}-wal").exists()  # everything is in the main file
    _damage_the_middle(path)
    before = _fingerprint(path.parent)
    result = meetingtui(*command, "--db", str(path), db=path)
    assert result.returncode == 1
    _assert_plain(result.stderr)
    assert "damaged" in result.stderr
    assert _fingerprint(path.parent) == before


def test_a_held_write_lock_is_one_plain_sentence(
    tmp_path: Path, database, meeting, monkeypatch, capsys
) -> None:
    from meetingtui.store import database as store

    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 50)
    path = _file_of(database)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        code = cli.main(["serve", "testcode23", "--port", "0", "--db", str(path)])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    captured = capsys.readouterr()
    assert code == 1
    _assert_plain(captured.err)
    assert "busy" in captured.err
    assert captured.out == ""


def test_storage_errors_after_open_are_plain(
    tmp_path: Path, database, meeting, monkeypatch, capsys
) -> None:
    """Whatever a command hits after the database opened (here: the write lock taken between
    open and the first write) is still one sentence, with no SQL or parameters."""
    from meetingtui.store import database as store

    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 50)
    path = _file_of(database)
    holder = sqlite3.connect(path, isolation_level=None)
    real_open = store.Database.open

    def open_then_lock(*args, **kwargs):
        opened = real_open(*args, **kwargs)
        holder.execute("BEGIN IMMEDIATE")
        return opened

    monkeypatch.setattr(store.Database, "open", open_then_lock)
    try:
        code = cli.main(["serve", "testcode23", "--port", "0", "--db", str(path)])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    captured = capsys.readouterr()
    assert code == 1
    _assert_plain(captured.err)
    assert "busy" in captured.err


NOBODY = 65534


def _can_run_as_nobody() -> bool:
    if os.geteuid() != 0:
        return False
    try:
        probe = subprocess.run(
            [sys.executable, "-c", "import meetingtui"], user=NOBODY, capture_output=True, cwd="/"
        )
    except OSError:
        return False
    return probe.returncode == 0


def test_a_read_only_database_file_is_refused_plainly_and_untouched(
    tmp_path_factory, database, meeting
) -> None:
    """As an ordinary user (root writes to read-only files anyway)."""
    if not _can_run_as_nobody():
        pytest.skip("needs root to run the command as an unprivileged user")
    folder = Path(tmp_path_factory.mktemp("shared"))
    folder.chmod(0o777)
    for parent in folder.parents:
        if str(parent).startswith("/tmp/"):
            parent.chmod(parent.stat().st_mode | 0o005)
    path = folder / "readonly.sqlite3"
    database.close()
    path.write_bytes(_file_of(database).read_bytes())
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    before = _fingerprint(folder)
    env = {**os.environ, "MEETINGTUI_DB": str(path), "HOME": str(folder)}
    result = subprocess.run(
        [sys.executable, "-m", "meetingtui", "serve", "testcode23", "--port", "0"],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        user=NOBODY,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.returncode == 1
    _assert_plain(result.stderr)
    assert "read-only" in result.stderr
    assert _fingerprint(folder) == before


def test_a_read_only_database_is_refused_before_anything_is_written(
    tmp_path: Path, database, meeting, monkeypatch, capsys
) -> None:
    """The same, in this process: the file reports itself read-only (as it does to any user but
    root), and serve, which would store its signing secret, stops with one sentence."""
    path = _file_of(database)
    database.close()
    real_access = os.access

    def read_only(target, mode, *args, **kwargs):
        if Path(target) == path and mode & os.W_OK:
            return False
        return real_access(target, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", read_only)
    before = _fingerprint(path.parent)
    code = cli.main(["serve", "testcode23", "--port", "0", "--db", str(path)])
    captured = capsys.readouterr()
    assert code == 1
    _assert_plain(captured.err)
    assert "read-only" in captured.err
    assert _fingerprint(path.parent) == before


def test_a_reader_that_stops_early_ends_the_listing_quietly(
    tmp_path: Path, database, meeting
) -> None:
    """``meetingtui meetings | head``: the reader closes the pipe; no traceback, no error log."""
    path = _file_of(database)
    state = tmp_path / "state"
    env = {
        **os.environ,
        "MEETINGTUI_DB": str(path),
        "HOME": str(state),
        "XDG_STATE_HOME": str(state),
    }
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before we print anything
    try:
        result = subprocess.run(
            [sys.executable, "-m", "meetingtui", "meetings"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert result.stderr == ""
    assert result.returncode == 141
    assert not state.exists() or not list(state.rglob("errors.log"))


def test_the_console_opener_turns_storage_failures_into_a_sentence(
    tmp_path: Path, database, meeting, monkeypatch
) -> None:
    """`meetingtui run` opens the database behind its first frame and shows the error's text:
    that text is the plain sentence too."""
    from meetingtui import runtime as tui_run
    from meetingtui.store import database as store

    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 50)
    path = _file_of(database)
    seen: list[BaseException] = []

    def fake_console(*, open_meeting, **_options) -> int:
        try:
            open_meeting()
        except BaseException as error:  # noqa: BLE001 - what the console would show
            seen.append(error)
        return 1

    monkeypatch.setattr(tui_run, "run_console_lazily", fake_console)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        cli.main(["run", "testcode23", "--db", str(path)])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(seen) == 1 and isinstance(seen[0], cli.UserError)
    message = str(seen[0])
    assert "busy" in message
    for leak in LEAKS:
        assert leak not in message
