"""``meetingtui import`` as a user runs it (a real process; SQLite and PostgreSQL): the preview,
refusals on stderr with exit 2 and nothing written, --apply, a re-import that changes nothing,
the templates, and the intake record in ``meetings``, ``run`` and the published site."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from meetingtui.domain.models import Idea
from tests.domain.test_lifecycle_answers import new_meeting
from tests.test_cli import meetingtui

LETTERS = (
    "Title;Detail;Raised by;Publish name;Stakeholder;Channel;Source id\n"
    "Evening buses;After 8pm =SUM(A1);Ana Núñez;yes;Carer;;L-1\n"
    "Bike racks 🚲;;;;Resident;Online;L-2\n"
    "Benches;;;;Residents;;L-3\n"
)


@pytest.fixture
def db(any_database) -> str:
    with any_database.write() as session:
        new_meeting(session, "East", "Transport", code="eastcode23")
    return str(any_database.url)


def count(any_database) -> int:
    with any_database.read() as session:
        return int(session.exec(select(func.count()).select_from(Idea)).one())


def test_preview_then_apply_then_reimport(any_database, db, tmp_path) -> None:
    path = tmp_path / "letters.csv"
    path.write_text(LETTERS, encoding="utf-8")
    args = ("import", "ideas", str(path), "--programme", "transport")

    shown = meetingtui(*args, db=db)
    assert shown.returncode == 0, shown.stderr
    assert "letters.csv: 3 rows of ideas (UTF-8, semicolon-separated)" in shown.stdout
    assert "Would create 3 ideas" in shown.stdout
    assert "by channel: Email or letter 2, Online 1" in shown.stdout
    assert "row 2: Evening buses" in shown.stdout and "row 3: Bike racks 🚲" in shown.stdout
    assert "nothing was imported. Add --apply" in shown.stderr
    assert count(any_database) == 0

    applied = meetingtui(*args, "--apply", "--name", "Clerk Jo", db=db)
    assert applied.returncode == 0, applied.stderr
    assert "Created 3 ideas" in applied.stdout
    assert "Imported 3 ideas: intake-" in applied.stderr and "I-0001 to I-0003" in applied.stderr
    assert count(any_database) == 3
    with any_database.read() as session:
        first = session.exec(select(Idea).where(Idea.seq == 1)).one()
        assert (first.detail, first.captured_by, first.publish_name) == (
            "After 8pm =SUM(A1)",
            "Clerk Jo",
            True,
        )

    again = meetingtui(*args, "--apply", db=db)
    assert again.returncode == 0, again.stderr
    assert "3 already imported, unchanged" in again.stdout
    assert "Nothing new to import." in again.stderr
    path.write_text(LETTERS.replace("Benches;", "Benches by the stop;"), encoding="utf-8")
    changed = meetingtui(*args, db=db)
    assert "row 4: already imported as intake-" in changed.stdout
    assert "/I-0003 (differs: title), not changed" in changed.stdout
    assert count(any_database) == 3

    listed = meetingtui("meetings", db=db)
    line = next(row for row in listed.stdout.splitlines() if row.startswith("intake-"))
    assert "intake" in line.split()[2] and "Received outside meetings (Transport)" in line
    code = line.split()[0]
    refused = meetingtui("run", code, db=db)
    assert refused.returncode == 2
    assert "cannot be run" in refused.stderr and "outside meetings" in refused.stderr
    exported = meetingtui("ideas", "--programme", "Transport", "--format", "csv", db=db)
    assert "'=SUM" not in exported.stdout  # not at the start of a cell
    assert exported.stdout.count(code) == 3


def test_one_bad_row_refuses_the_file(any_database, db, tmp_path) -> None:
    path = tmp_path / "form.csv"
    path.write_text(
        "title,stakeholder,channel\nGood,resident,\n,resident,\nBad,carers and others,pigeon\n",
        encoding="utf-8",
    )
    result = meetingtui("import", "ideas", str(path), "--programme", "Transport", "--apply", db=db)
    assert result.returncode == 2
    assert "form.csv, row 3, column title: Enter a title for your idea" in result.stderr
    assert "form.csv, row 4, column stakeholder: 'carers and others' is not one of:" in (
        result.stderr
    )
    assert "form.csv, row 4, column channel: 'pigeon' is not one of: Spoken at meeting" in (
        result.stderr
    )
    assert "3 problems in 2 rows of form.csv: nothing was imported" in result.stderr
    assert "Traceback" not in result.stderr
    assert count(any_database) == 0


def test_refusals_before_any_row(db, tmp_path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("title,colour\nA,red\n", encoding="utf-8")
    bad = meetingtui("import", "ideas", str(path), "--programme", "Transport", db=db)
    assert bad.returncode == 2 and "unknown column 'colour'" in bad.stderr
    path.write_text("title\nA\n", encoding="utf-8")
    missing = meetingtui("import", "ideas", str(path), "--programme", "Nope", db=db)
    assert missing.returncode == 2 and "No programme 'Nope'" in missing.stderr
    channel = meetingtui(
        "import", "ideas", str(path), "--meeting", "eastcode23", "--channel", "fax", db=db
    )
    assert channel.returncode == 2 and "--channel 'fax' is not one of" in channel.stderr
    neither = meetingtui("import", "ideas", str(path), db=db)
    assert neither.returncode == 2 and "--meeting" in neither.stderr


def test_templates(db, tmp_path) -> None:
    csv_path = tmp_path / "t.csv"
    result = meetingtui("import", "template", "-o", str(csv_path), db=db)
    assert result.returncode == 0, result.stderr
    assert csv_path.read_text(encoding="utf-8-sig").startswith("title,detail,raised_by")
    assert "allowed: Resident, Patient or service user, Carer" in result.stdout
    xlsx = tmp_path / "t.xlsx"
    result = meetingtui("import", "template", "-o", str(xlsx), "--meeting", "eastcode23", db=db)
    assert result.returncode == 0, result.stderr and xlsx.stat().st_size > 0
    assert meetingtui("import", "template", "-o", str(tmp_path / "t.txt"), db=db).returncode == 2


def test_published_site_lists_imported_ideas_not_minutes(db, tmp_path) -> None:
    path = tmp_path / "letters.csv"
    path.write_text(LETTERS, encoding="utf-8")
    args = ("import", "ideas", str(path), "--programme", "Transport", "--apply")
    assert meetingtui(*args, db=db).returncode == 0
    site = tmp_path / "site"
    result = meetingtui(
        "publish", "--programme", "Transport", "-o", str(site), "--jobs", "1", db=db
    )
    assert result.returncode == 0, result.stderr
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Received outside meetings (by email, letter or online): 3 ideas." in index
    minutes = {p.name for p in (site / "meetings").iterdir()}
    intake = next(name for name in minutes if name.startswith("intake-"))
    code = intake.split(".")[0]
    assert f"{code}.csv" in minutes and f"{code}.html" not in minutes
    assert f'href="meetings/{code}.html"' not in index
    pages = list((site / "ideas").rglob("I-0001.html"))
    assert pages
    text = "".join(p.read_text(encoding="utf-8") for p in pages)
    assert "Evening buses" in text and f"meetings/{code}.html" not in text


def test_intake_record_exports_data_not_minutes(db, tmp_path) -> None:
    path = tmp_path / "letters.csv"
    path.write_text(LETTERS, encoding="utf-8")
    imported = meetingtui(
        "import", "ideas", str(path), "--programme", "Transport", "--apply", db=db
    )
    assert imported.returncode == 0, imported.stderr
    listed = meetingtui("meetings", db=db).stdout
    code = next(row.split()[0] for row in listed.splitlines() if row.startswith("intake-"))
    minutes = meetingtui("export", code, "--format", "md", db=db)
    assert minutes.returncode == 1 and "has no minutes" in minutes.stderr
    data = meetingtui("export", code, "--format", "csv", db=db)
    assert data.returncode == 0 and "Evening buses" in data.stdout
    assert "Bike racks 🚲" in meetingtui("ideas", "--meeting", code, db=db).stdout
