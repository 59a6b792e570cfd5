"""The ``meetingtui`` command as a user runs it: a real process, a real database file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import SAMPLE_AGENDAS, TOWN_HALL


def meetingtui(*args: str, db: Path, **kwargs) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MEETINGTUI_DB": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "meetingtui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        **kwargs,
    )


def test_check_accepts_samples_and_names_problems(tmp_path: Path) -> None:
    db = tmp_path / "m.sqlite3"
    samples = sorted(SAMPLE_AGENDAS.glob("*.toml"))
    assert len(samples) == 4  # English ones and a Spanish one
    ok = meetingtui("check", *map(str, samples), db=db)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.count("ok: ") == len(samples)

    bad = tmp_path / "bad.toml"
    bad.write_text('[meeting]\ntitle = "Hearing"\n\n[[item]]\ntitle = "Open"\nminutes = "ten"\n')
    result = meetingtui("check", str(bad), db=db)
    assert result.returncode == 2
    assert f"{bad}:6: item 1.minutes: must be a positive whole number" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_refuses_an_invalid_agenda_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[meeting]\ntitel = "x"\n[[item]]\ntitle = "a"\nminutes = 1\n')
    result = meetingtui("run", str(bad), db=tmp_path / "m.sqlite3")
    assert result.returncode == 2
    assert "bad.toml:2: meeting.titel: unknown key (did you mean 'title'?)" in result.stderr
    assert "Traceback" not in result.stderr


def test_meetings_export_and_unknown_meeting(tmp_path: Path, database, meeting) -> None:
    db = Path(database.url.removeprefix("sqlite:///"))
    listing = meetingtui("meetings", db=db)
    assert listing.returncode == 0 and "testcode23" in listing.stdout

    out = tmp_path / "minutes.md"
    exported = meetingtui("export", "testcode23", "--format", "md", "-o", str(out), db=db)
    assert exported.returncode == 0, exported.stderr
    assert out.read_text(encoding="utf-8").startswith("# Minutes: Our health and care plan")

    missing = meetingtui("export", "nosuchcode", db=db)
    assert missing.returncode == 1
    assert "No meeting with code or id 'nosuchcode'" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_ideas_lists_the_catalogue_with_filters(tmp_path: Path, database, meeting) -> None:
    from meetingtui.domain.ideas import IdeaInput, capture_idea

    with database.write() as session:
        capture_idea(
            session,
            meeting_id=meeting.id,
            data=IdeaInput(title="Evening GP slots", topic="GP and primary care access"),
        )
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Bus route 12"))
    db = Path(database.url.removeprefix("sqlite:///"))
    everything = meetingtui("ideas", db=db)
    assert "I-0001" in everything.stdout and "I-0002" in everything.stdout
    found = meetingtui("ideas", "--search", "bus", db=db)
    assert "Bus route 12" in found.stdout and "Evening" not in found.stdout
    by_topic = meetingtui("ideas", "--topic", "GP and primary care access", db=db)
    assert "I-0001" in by_topic.stdout and "I-0002" not in by_topic.stdout


def test_bad_database_url_is_a_clear_error(tmp_path: Path) -> None:
    result = meetingtui("meetings", "--db", "nosuchdriver://x", db=tmp_path / "unused")
    assert result.returncode == 1
    assert "neither a file path nor a database URL" in result.stderr


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = meetingtui("--help", db=tmp_path / "m.sqlite3")
    for command in ("run", "serve", "check", "meetings", "ideas", "export"):
        assert command in result.stdout
    assert TOWN_HALL.exists()


def test_export_every_format_and_publish(tmp_path: Path, database, meeting) -> None:
    db = Path(database.url.removeprefix("sqlite:///"))
    for fmt in ("md", "html", "docx", "csv", "json"):
        result = meetingtui("export", "testcode23", "--format", fmt, "-o", str(tmp_path), db=db)
        assert result.returncode == 0, result.stderr
        assert (tmp_path / f"minutes-testcode23.{fmt}").stat().st_size > 100
    published = meetingtui("publish", "-o", str(tmp_path / "site"), db=db)
    assert published.returncode == 0, published.stderr
    assert "Published 1 meeting" in published.stdout
    assert (tmp_path / "site" / "meetings" / "testcode23.html").exists()
    blocked = meetingtui("publish", "-o", str(tmp_path / "minutes-testcode23.md"), db=db)
    assert blocked.returncode == 1 and "is not a folder" in blocked.stderr


def test_run_refuses_a_bad_wifi_password_before_opening_the_console(tmp_path: Path) -> None:
    result = meetingtui(
        "run",
        str(TOWN_HALL),
        "--wifi-ssid",
        "Hall",
        "--wifi-password",
        "short",
        db=tmp_path / "m.sqlite3",
    )
    assert result.returncode == 1
    assert "8 to 63 characters" in result.stderr and "Traceback" not in result.stderr


def test_a_file_that_is_not_a_database_is_named_plainly(tmp_path: Path) -> None:
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("shopping list\n")
    result = meetingtui("meetings", "--db", str(not_a_db), db=tmp_path / "unused")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"meetingtui: Cannot open the database {not_a_db}: file is not a database."
    )
    assert not_a_db.read_text() == "shopping list\n"  # nothing written over it


def test_ideas_and_meetings_count_only_the_public_record(tmp_path: Path, database, meeting) -> None:
    """Issue 8 #4: deleted and still-pending ideas were listed and counted (24 against the
    minutes' 22); the catalogue and the meeting list now say what the minutes say."""
    from meetingtui.domain.ideas import IdeaInput, capture_idea, set_idea_deleted
    from meetingtui.domain.models import Meeting
    from meetingtui.export.minutes import build_minutes

    with database.write() as session:
        for title in ("Kept one", "Kept two", "Kept three"):
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=title))
        gone = capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Deleted two"))
        set_idea_deleted(session, meeting_id=meeting.id, idea_id=gone.id, deleted=True)
        session.get(Meeting, meeting.id).moderation = "pre"
    with database.write() as session:
        capture_idea(
            session, meeting_id=meeting.id, data=IdeaInput(title="Waiting one"), from_public=True
        )
        first = capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Deleted x"))
        set_idea_deleted(session, meeting_id=meeting.id, idea_id=first.id, deleted=True)
    with database.read() as session:
        expected = build_minutes(session, meeting.id).idea_count
    db = Path(database.url.removeprefix("sqlite:///"))
    listed = meetingtui("ideas", db=db)
    assert listed.returncode == 0, listed.stderr
    assert "Deleted two" not in listed.stdout and "Deleted x" not in listed.stdout
    assert "Waiting one" not in listed.stdout
    assert len(listed.stdout.splitlines()) == expected == 3
    assert listed.stderr.strip() == "3 ideas"
    row = next(
        line for line in meetingtui("meetings", db=db).stdout.splitlines() if "testcode23" in line
    )
    assert row.split()[3] == "3"


def test_check_counts_in_words_that_agree(tmp_path: Path) -> None:
    one = tmp_path / "one.toml"
    one.write_text('[meeting]\ntitle = "Quick one"\n\n[[item]]\ntitle = "All of it"\nminutes = 1\n')
    result = meetingtui("check", str(one), db=tmp_path / "m.sqlite3")
    assert result.returncode == 0, result.stderr
    assert f"ok: {one} (1 item, 1 minute planned)" in result.stdout
