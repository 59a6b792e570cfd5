"""The catalogue's commands as a user runs them (a real process, a real database file): ideas,
idea, respond, plan; the refusals (exit 2, nothing changed); drafts never in public outputs."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from meetingtui.domain.catalogue import RECORD_FIELDS
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.models import Idea, IdeaChange, utcnow
from meetingtui.domain.moderation import set_visibility
from tests.domain.test_lifecycle_answers import new_meeting
from tests.test_cli import meetingtui


@pytest.fixture
def db(database, meeting) -> Path:
    """The town hall (default programme, code testcode23) and two meetings of "Transport"."""
    with database.write() as session:
        east = new_meeting(session, "East", "Transport", code="eastcode23")
        west = new_meeting(session, "West", "Transport", code="westcode23")
        for title, detail in (
            ("Café at the station", "somewhere warm"),
            ("More benches", "benches by the stops"),
        ):
            capture_idea(session, meeting_id=east.id, data=IdeaInput(title=title, detail=detail))
        capture_idea(
            session,
            meeting_id=west.id,
            data=IdeaInput(title="Night buses", raised_by="Ann Lee", publish_name=False),
        )
        hidden = capture_idea(session, meeting_id=west.id, data=IdeaInput(title="Rude words"))
        set_visibility(
            session, meeting_id=west.id, entity="idea", entity_id=hidden.id, visibility="hidden"
        )
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="GP evenings"))
        session.get(Idea, hidden.id)
        for idea in session.exec(select(Idea).where(Idea.title == "Café at the station")):
            idea.captured_at = utcnow() - timedelta(days=30)
    return Path(database.url.removeprefix("sqlite:///"))


def ideas_json(db: Path, *args: str) -> list[dict]:
    result = meetingtui("ideas", "--format", "json", *args, db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def snapshot(database) -> list[tuple]:
    with database.read() as session:
        ideas = [
            (i.ref, i.status, i.status_reason, i.response, i.reviewer, i.public_response)
            for i in session.exec(select(Idea).order_by(Idea.title))
        ]
        return [*ideas, len(session.exec(select(IdeaChange)).all())]


def test_ideas_by_programme_search_status_and_age(db: Path) -> None:
    found = ideas_json(db, "--programme", "Transport")
    assert [(r["meeting"], r["ref"], r["title"]) for r in found] == [
        ("eastcode23", "I-0001", "Café at the station"),
        ("eastcode23", "I-0002", "More benches"),
        ("westcode23", "I-0001", "Night buses"),  # the hidden one is not public
    ]
    assert list(found[0]) == list(RECORD_FIELDS)
    assert found[2]["raised_by"] == ""  # no consent to publish the name
    assert [r["title"] for r in ideas_json(db, "--search", "cafe")] == ["Café at the station"]
    assert [r["title"] for r in ideas_json(db, "--search", "bench stop")] == ["More benches"]
    assert [r["title"] for r in ideas_json(db, "--older-than", "14")] == ["Café at the station"]
    assert len(ideas_json(db)) == 4  # every programme
    assert [r["title"] for r in ideas_json(db, "--programme", "default")] == ["GP evenings"]

    table = meetingtui("ideas", "--programme", "Transport", "--needs-answer", db=db)
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].split(None, 3) == [
        "eastcode23",
        "I-0001",
        "new",
        "Café at the station",
    ]
    assert "3 waiting for an answer (1 over 14 days, 1 over 28 days)" in table.stderr

    as_csv = meetingtui("ideas", "--format", "csv", "--search", "night", db=db)
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [(r["ref"], r["meeting"], r["status"]) for r in rows] == [
        ("I-0001", "westcode23", "new")
    ]

    unknown = meetingtui("ideas", "--programme", "Transprot", db=db)
    assert unknown.returncode == 2 and "Programmes: default, Transport" in unknown.stderr


def test_respond_refuses_and_changes_nothing(db: Path, database) -> None:
    before = snapshot(database)
    refusals = [
        (("eastcode23/I-0002", "--status", "not-taken-forward"), "needs a public reason"),
        (("eastcode23/I-0001", "I-0099", "--status", "adopted"), "No idea I-0099"),
        (("I-0001", "--status", "adopted"), "name one of: eastcode23/I-0001, westcode23/I-0001."),
        (("nocode2345/I-0001", "--status", "adopted"), "No idea nocode2345/I-0001"),
        (("I-0002", "--reason", "why"), "--reason goes with --status"),
    ]
    for args, message in refusals:
        result = meetingtui("respond", "--programme", "Transport", *args, db=db)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert snapshot(database) == before


def test_respond_in_bulk_then_publish(db: Path, database) -> None:
    draft = meetingtui(
        "respond",
        "eastcode23/I-0001",
        "eastcode23/I-0002",
        "--status",
        "adapted",
        "--reason",
        "At the bus station only",
        "--response",
        "You said, we did: two benches and a café kiosk",
        "--reviewer",
        "Priya",
        "--name",
        "Amara",
        db=db,
    )
    assert draft.returncode == 0, draft.stderr
    assert draft.stdout == (
        "2 ideas: status adapted, response saved as a draft (the public sees it once published: "
        "--publish); reviewer Priya saved (organisers only, never public).\n"
    )
    reviewer = meetingtui("respond", "eastcode23/I-0001", "--reviewer", "Priya", db=db)
    assert reviewer.stdout == "1 idea: reviewer Priya saved (organisers only, never public).\n"
    # Not public yet: not in the public list, the public idea, or the public minutes.
    public = ideas_json(db, "--programme", "Transport")
    assert [(r["status"], r["response"]) for r in public[:2]] == [("new", ""), ("new", "")]
    shown = meetingtui("idea", "eastcode23/I-0001", db=db)
    assert "two benches" not in shown.stdout and "History: none" in shown.stdout
    minutes = meetingtui("export", "eastcode23", db=db)
    assert minutes.returncode == 0 and "two benches" not in minutes.stdout
    assert "At the bus station only" not in minutes.stdout
    organisers = meetingtui("export", "eastcode23", "--for", "organisers", db=db)
    assert "two benches" in organisers.stdout
    mine = ideas_json(db, "--for", "organisers", "--reviewer", "Priya")
    assert [(r["status"], r["draft"]) for r in mine] == [("adapted", True), ("adapted", True)]

    published = meetingtui("respond", "eastcode23/I-0001", "eastcode23/I-0002", "--publish", db=db)
    assert published.returncode == 0 and "published" in published.stdout
    public = ideas_json(db, "--programme", "Transport", "--status", "adapted")
    assert [r["response"] for r in public] == ["You said, we did: two benches and a café kiosk"] * 2
    assert (
        meetingtui("ideas", "--needs-answer", "--programme", "Transport", db=db).stdout.count("\n")
        == 1
    )
    whole = json.loads(meetingtui("idea", "eastcode23/I-0001", "--format", "json", db=db).stdout)
    assert whole["full_ref"] == "eastcode23/I-0001" and whole["published_at"]
    assert [(h["field"], h["from"], h["to"], h["reason"], h["by"]) for h in whole["history"]] == [
        ("status", "new", "adapted", "At the bus station only", ""),  # staff are not named
        ("response", "", "You said, we did: two benches and a café kiosk", "", ""),
    ]
    text = meetingtui("idea", "eastcode23/I-0001", "--for", "organisers", db=db).stdout
    assert "by Amara: reviewer - -> Priya [draft]" in text
    assert "Reviewer: Priya" in text
    assert "Priya" not in meetingtui("idea", "eastcode23/I-0001", db=db).stdout
    minutes = meetingtui("export", "eastcode23", db=db)
    assert "two benches" in minutes.stdout


def test_merging_names_the_idea_kept(db: Path) -> None:
    hidden = meetingtui(
        "respond", "eastcode23/2", "--status", "merged", "--into", "westcode23/2", db=db
    )  # westcode23/I-0002 is hidden: the public would be pointed at nothing
    assert hidden.returncode == 2 and "hidden or waiting for moderation" in hidden.stderr
    assert "Traceback" not in hidden.stderr
    merged = meetingtui(
        "respond", "eastcode23/2", "--status", "merged", "--into", "eastcode23/1", db=db
    )
    assert merged.returncode == 0, merged.stderr
    alone = meetingtui("respond", "eastcode23/2", "--status", "merged", db=db)
    assert alone.returncode == 2 and "merged into" in alone.stderr


PLAN = "# Transport plan\n\n## Buses\n\nMore of them.\n\n## Walking\n\n### Benches\n"


def test_plan_versions_and_links(db: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text(PLAN, encoding="utf-8")
    args = ("--programme", "Transport")
    added = meetingtui("plan", "add", "v1", "--title", "First draft", *args, db=db)
    assert added.returncode == 0, added.stderr
    added = meetingtui(
        "plan", "add", "v2", "--title", "Second", "--file", str(plan), "--date", "2026-12-20",
        *args, db=db,
    )  # fmt: skip
    assert "v2 with 4 sections" in added.stdout, added.stderr
    again = meetingtui("plan", "add", "v2", "--title", "Again", *args, db=db)
    assert again.returncode == 2 and "already has a version v2" in again.stderr
    missing = meetingtui("plan", "add", "v3", "--title", "x", "--file", "nope.md", *args, db=db)
    assert missing.returncode == 2 and "There is no file nope.md" in missing.stderr

    link = meetingtui(
        "plan", "link", "eastcode23/I-0002", "I-0001", "--version", "v2", "--section", "1.2.1",
        *args, db=db,
    )  # fmt: skip
    assert link.returncode == 2 and "I-0001 is in more than one meeting" in link.stderr
    link = meetingtui(
        "plan", "link", "eastcode23/I-0002", "--version", "v2", "--section", "9", *args, db=db
    )
    assert link.returncode == 2 and "v2 has no section 9" in link.stderr
    link = meetingtui(
        "plan", "link", "eastcode23/I-0002", "--version", "v2", "--section", "1.2.1", *args, db=db
    )
    assert link.returncode == 0, link.stderr

    listed = meetingtui("plan", "list", "--sections", *args, db=db)
    lines = listed.stdout.splitlines()
    assert lines[1].split() == ["v1", lines[1].split()[1], "0", "First", "draft"]
    assert lines[2].split() == ["v2", "2026-12-20", "0", "Second"]  # the link is a draft
    assert [line.strip() for line in lines[3:]] == [
        "1 Transport plan",
        "1.1 Buses",
        "1.2 Walking",
        "1.2.1 Benches",
    ]
    assert "ideas the public may see" in listed.stderr
    organisers = meetingtui("plan", "list", "--for", "organisers", *args, db=db).stdout
    assert organisers.splitlines()[2].split() == ["v2", "2026-12-20", "1", "Second"]
    # Until published, the link is the organisers' only: not in the public record, nor found.
    assert "Reflected in" not in meetingtui("idea", "eastcode23/I-0002", db=db).stdout
    assert ideas_json(db, "--version", "v2") == []
    assert [r["plan_version"] for r in ideas_json(db)] == [""] * 4
    shown = meetingtui("idea", "eastcode23/I-0002", "--for", "organisers", db=db).stdout
    assert "Reflected in: v2, section 1.2.1 Benches" in shown
    published = meetingtui("respond", "eastcode23/I-0002", "--publish", db=db)
    assert published.returncode == 0, published.stderr
    shown = meetingtui("idea", "eastcode23/I-0002", db=db).stdout
    assert "Reflected in: v2, section 1.2.1 Benches" in shown
    assert [r["plan_version"] for r in ideas_json(db, "--version", "v2")] == ["v2"]
    listed = meetingtui("plan", "list", *args, db=db).stdout
    assert listed.splitlines()[2].split() == ["v2", "2026-12-20", "1", "Second"]
    empty = meetingtui("plan", "list", db=db)
    assert "no plan versions yet" in empty.stdout


def test_write_commands_never_create_a_database(tmp_path: Path) -> None:
    missing = tmp_path / "typo.sqlite3"
    result = meetingtui("respond", "I-0001", "--status", "adopted", db=missing)
    assert result.returncode == 2 and "There is no database" in result.stderr
    assert not missing.exists()


def test_the_catalogue_commands_on_postgresql(postgres_url: str) -> None:
    """The same commands on a PostgreSQL database: full-text search, respond, publish."""
    import os
    import subprocess
    import sys

    from meetingtui.store.database import Database

    database = Database.open(postgres_url, migrate=True)
    with database.write() as session:
        meeting = new_meeting(session, "Hall", "Transport", code="pghall234")
        for title in ("Café at the station", "More benches"):
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=title))
    database.close()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "MEETINGTUI_DB": postgres_url}
        return subprocess.run(
            [sys.executable, "-m", "meetingtui", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )

    found = run("ideas", "--search", "CAFE", "--format", "json")
    assert found.returncode == 0, found.stderr
    assert [r["title"] for r in json.loads(found.stdout)] == ["Café at the station"]
    refused = run("respond", "I-0002", "--status", "adapted")
    assert refused.returncode == 2 and "needs a public reason" in refused.stderr
    done = run("respond", "I-0002", "--status", "adopted", "--response", "Yes", "--publish")
    assert done.returncode == 0, done.stderr
    answered = json.loads(run("ideas", "--status", "adopted", "--format", "json").stdout)
    assert [(r["ref"], r["response"]) for r in answered] == [("I-0002", "Yes")]


def test_organisers_see_moderation_and_the_public_never_does(db: Path, database) -> None:
    from meetingtui.domain.ideas import add_comment

    with database.write() as session:
        east = session.exec(select(Idea).where(Idea.title == "More benches")).one()
        spam = add_comment(session, meeting_id=east.meeting_id, idea_ref=east.ref, body="Spam")
        set_visibility(
            session,
            meeting_id=east.meeting_id,
            entity="comment",
            entity_id=spam.id,
            visibility="hidden",
        )
        add_comment(session, meeting_id=east.meeting_id, idea_ref=east.ref, body="Good idea")
    organisers = ideas_json(db, "--programme", "Transport", "--for", "organisers")
    assert {r["title"]: r["moderation"] for r in organisers} == {
        "Café at the station": "visible",
        "More benches": "visible",
        "Night buses": "visible",
        "Rude words": "hidden",
    }
    as_csv = meetingtui(
        "ideas", "--format", "csv", "--programme", "Transport", "--for", "organisers", db=db
    )
    rows = {r["title"]: r["moderation"] for r in csv.DictReader(io.StringIO(as_csv.stdout))}
    assert rows["Rude words"] == "hidden" and rows["Night buses"] == "visible"

    text = meetingtui("idea", "westcode23/I-0002", "--for", "organisers", db=db).stdout
    assert "Rude words" in text and "Moderation: hidden" in text
    whole = json.loads(
        meetingtui(
            "idea", "eastcode23/I-0002", "--for", "organisers", "--format", "json", db=db
        ).stdout
    )
    assert {c["body"]: c["moderation"] for c in whole["comments"]} == {
        "Spam": "hidden",
        "Good idea": "visible",
    }
    assert whole["moderation"] == "visible"
    benches = meetingtui("idea", "eastcode23/I-0002", "--for", "organisers", db=db).stdout
    assert "(hidden) Spam" in benches

    # The public: no moderation field anywhere, and the hidden comment is not there at all.
    public = ideas_json(db, "--programme", "Transport")
    assert all("moderation" not in r for r in public)
    public_csv = meetingtui("ideas", "--format", "csv", "--programme", "Transport", db=db)
    assert "moderation" not in public_csv.stdout.splitlines()[0]
    public_whole = json.loads(
        meetingtui("idea", "eastcode23/I-0002", "--format", "json", db=db).stdout
    )
    assert "moderation" not in public_whole
    assert [c["body"] for c in public_whole["comments"]] == ["Good idea"]
    assert all("moderation" not in c for c in public_whole["comments"])
    public_text = meetingtui("idea", "eastcode23/I-0002", db=db).stdout
    assert "Moderation" not in public_text and "Spam" not in public_text


@pytest.mark.parametrize(
    "command",
    [
        ("ideas",),
        ("plan", "list"),
        ("report", "you-said-we-did"),
        ("respond", "I-0001", "--status", "adopted"),
        ("catalogue",),
        ("plan", "link", "I-0001", "--version", "v1"),
    ],
)
def test_an_unknown_programme_is_refused_alike_everywhere(db: Path, command: tuple) -> None:
    result = meetingtui(*command, "--programme", "Transprot", db=db)
    assert result.returncode == 2, result.stderr
    assert "No programme 'Transprot'" in result.stderr and "Transport" in result.stderr
    assert "Traceback" not in result.stderr


def test_filters_the_public_view_cannot_apply_are_refused(db: Path) -> None:
    result = meetingtui("ideas", "--reviewer", "Sam", db=db)
    assert result.returncode == 2 and "add --for organisers" in result.stderr
    assert result.stdout == ""
    assert ideas_json(db, "--reviewer", "Sam", "--for", "organisers") == []


def test_an_unknown_plan_version_is_refused_listing_the_versions(db: Path) -> None:
    args = ("--programme", "Transport")
    assert meetingtui("plan", "add", "v1", "--title", "One", *args, db=db).returncode == 0
    result = meetingtui("ideas", "--version", "v9", *args, db=db)
    assert result.returncode == 2 and result.stdout == ""
    assert "Programme 'Transport' has no plan version v9. Versions: v1." in result.stderr
    anywhere = meetingtui("ideas", "--version", "v9", db=db)
    assert anywhere.returncode == 2 and "Versions: v1." in anywhere.stderr
    in_meeting = meetingtui("ideas", "--version", "v1", "--meeting", "testcode23", db=db)
    assert in_meeting.returncode == 2
    assert "Programme 'default' has no plan version v1" in in_meeting.stderr
    assert ideas_json(db, "--version", "v1", *args) == []  # known, nothing linked yet
    report = meetingtui("report", "you-said-we-did", "--version", "v9", *args, db=db)
    assert report.returncode == 2 and "Versions: v1" in report.stderr
    unknown = meetingtui("ideas", "--meeting", "nosuchmeet", db=db)
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr


def test_a_folder_is_not_a_plan_file(db: Path, tmp_path: Path) -> None:
    result = meetingtui("plan", "add", "v3", "--title", "x", "--file", str(tmp_path), db=db)
    assert result.returncode == 2
    assert f"{tmp_path} is a folder: name the plan's Markdown file." in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ("report", "you-said-we-did", "--format", "md", "-o"),
        ("report", "you-said-we-did", "--format", "docx", "-o"),
        ("publish", "-o"),
        ("export", "testcode23", "--format", "csv", "-o"),
    ],
)
def test_an_output_path_that_cannot_be_written_is_refused_in_a_sentence(
    db: Path, tmp_path: Path, command: tuple
) -> None:
    """The person named the path: a sentence naming it, exit 2 (as for every refused input),
    and nothing half-written left behind."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = blocker / "out" / "x.docx"
    result = meetingtui(*command, str(target), db=db)
    assert result.returncode == 2, result.stderr
    assert "Cannot write" in result.stderr and str(blocker) in result.stderr
    assert "Traceback" not in result.stderr
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize("days", ["-1", "36501", "1000000", "100000000000000000000"])
def test_an_age_out_of_range_is_refused_in_a_sentence(db: Path, days: str) -> None:
    """Found by review: ``--older-than 1000000`` put the cut-off before year 1 and the command
    failed with "something went wrong (OverflowError …)" and exit 1."""
    for extra in ((), ("--needs-answer",)):
        result = meetingtui("ideas", "--older-than", days, *extra, db=db)
        assert result.returncode == 2, result.stderr
        assert "--older-than is a number of days, from 0 to 36,500." in result.stderr
        assert result.stdout == "" and "went wrong" not in result.stderr
    assert meetingtui("ideas", "--older-than", "36500", db=db).returncode == 0


def test_one_respond_never_spans_two_programmes(db: Path, database) -> None:
    """Found by review: without ``--programme``, full refs of two programmes were answered in
    one batch, although programmes stay apart (``merge`` already refused)."""
    before = snapshot(database)
    for extra in (("--status", "adopted"), ("--publish",), ("--reviewer", "Sam")):
        result = meetingtui("respond", "eastcode23/I-0001", "testcode23/I-0001", *extra, db=db)
        assert result.returncode == 2, result.stderr
        assert "different programmes" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(database) == before
    same = meetingtui("respond", "eastcode23/I-0001", "westcode23/I-0001", "--publish", db=db)
    assert same.returncode == 0, same.stderr


def test_a_card_number_is_in_every_machine_readable_output(db: Path, database) -> None:
    """``idea --format json``, ``ideas --format json|csv`` say the paper card's number as the
    text does (``card``: ``C-0137``, empty for an idea from no card), so a program can
    reconcile the stack of cards with the record. It is public: a card names no one."""
    from meetingtui.domain.cards import capture_card_idea
    from meetingtui.domain.models import Meeting

    with database.write() as session:
        east = session.exec(select(Meeting).where(Meeting.code == "eastcode23")).one()
        card = capture_card_idea(
            session,
            meeting_id=east.id,
            data=IdeaInput(title="Shelter at the stop"),
            card_number=137,
        )
        ref = card.ref
    assert "Card: C-0137" in meetingtui("idea", f"eastcode23/{ref}", db=db).stdout
    whole = json.loads(meetingtui("idea", f"eastcode23/{ref}", "--format", "json", db=db).stdout)
    assert whole["card"] == "C-0137"
    for audience in ("public", "organisers"):
        by_title = {r["title"]: r for r in ideas_json(db, "--for", audience)}
        assert by_title["Shelter at the stop"]["card"] == "C-0137"
        assert by_title["More benches"]["card"] == ""
    result = meetingtui("ideas", "--format", "csv", db=db)
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert "card" in RECORD_FIELDS and list(rows[0]).index("card") == RECORD_FIELDS.index("card")
    assert {r["title"]: r["card"] for r in rows}["Shelter at the stop"] == "C-0137"
