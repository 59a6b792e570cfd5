"""``meetingtui themes`` as a user runs it (a real process; a SQLite file and PostgreSQL):
add, assign, list, show, respond and publish, suggestions applied, renamed and rejected,
rename, delete (asks; ideas kept); refusals exit 2 with a message and change nothing; the
inherited response in ``meetingtui idea``."""

from __future__ import annotations

import json

from sqlmodel import select

from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.models import Idea, Theme, ThemeDecision
from tests.domain.test_lifecycle_answers import new_meeting
from tests.test_cli import meetingtui

IDEAS = (
    ("Bus shelter on the High Street", "the shelter at the bus stop leaks"),
    ("Shelter at the bus stop by the school", "children wait at the bus stop"),
    ("Bus stop shelters with seats", "a seat in every bus shelter"),
    ("Café in the library", "a community café at weekends"),
)


def _db(database) -> str:
    with database.write() as session:
        east = new_meeting(session, "East", "Transport", code="eastcode23")
        for title, detail in IDEAS:
            capture_idea(session, meeting_id=east.id, data=IdeaInput(title=title, detail=detail))
    return database.url


def run(url: str, *args: str, **kwargs):
    return meetingtui("themes", *args, "--programme", "Transport", db=url, **kwargs)


def test_themes_from_the_command_line(any_database) -> None:
    url = _db(any_database)
    added = run(url, "add", "Buses 🚌", "--summary", "Shelters <and> stops", "--name", "ana")
    assert added.returncode == 0, added.stderr
    assert "Added theme 'Buses 🚌'" in added.stdout
    assigned = run(url, "assign", "buses 🚌", "I-0001", "I-0002", "eastcode23/I-0004")
    assert assigned.returncode == 0, assigned.stderr
    assert "Added 3 ideas to 'Buses 🚌'" in assigned.stdout
    again = run(url, "assign", "Buses 🚌", "I-0001")
    assert "Added 0 ideas" in again.stdout and "1 already in it" in again.stdout
    removed = run(url, "unassign", "Buses 🚌", "I-0004")
    assert "Removed 1 idea" in removed.stdout
    listing = run(url, "list")
    assert listing.returncode == 0
    assert "Buses 🚌" in listing.stdout and "draft" in listing.stdout
    assert (
        "Programme 'Transport' has no published themes"
        in run(url, "list", "--for", "public").stdout
    )
    responded = run(url, "respond", "Buses 🚌", "--response", "New shelters in 2027.")
    assert "saved as a draft" in responded.stdout
    # The draft is not inherited by the public, only by the organisers' view.
    public = meetingtui("idea", "I-0001", "--programme", "Transport", db=url)
    assert "New shelters" not in public.stdout
    published = run(url, "respond", "Buses 🚌", "--publish")
    assert "published" in published.stdout
    public = meetingtui("idea", "I-0001", "--programme", "Transport", db=url)
    assert "Response (inherited from the theme Buses 🚌):" in public.stdout
    assert "Themes: Buses 🚌" in public.stdout
    as_json = json.loads(
        meetingtui("idea", "I-0002", "--format", "json", "--programme", "Transport", db=url).stdout
    )
    assert as_json["response"] == "New shelters in 2027."
    assert as_json["response_from_theme"] == "Buses 🚌"
    shown = run(url, "show", "Buses 🚌")
    assert "Summary: Shelters <and> stops" in shown.stdout
    assert "Ideas: 2 · supports: 0 · channels: Spoken at meeting 2" in shown.stdout
    assert "eastcode23/I-0001" in shown.stdout and "eastcode23/I-0004" not in shown.stdout
    renamed = run(url, "rename", "Buses 🚌", "Buses")
    assert "once published again" in renamed.stdout
    assert "Theme: Buses 🚌" in run(url, "show", "Buses 🚌", "--for", "public").stdout


def test_refusals_exit_2_and_change_nothing(any_database) -> None:
    url = _db(any_database)
    run(url, "add", "Buses")
    for args, message in (
        (("add", "BUSES"), "already has a theme 'Buses'"),
        (("add", "  "), "Give the theme a name"),
        (("assign", "Trains", "I-0001"), "no theme 'Trains'. Themes: Buses"),
        (("assign", "Buses", "I-0001", "I-0099"), "No idea I-0099"),
        (("respond", "Buses"), "Say what to do"),
        (("suggest", "--apply", "9"), "There is no suggestion 9"),
        (("suggest", "--rename", "X"), "--rename goes with --apply"),
        (("delete", "Buses"), "needs confirmation: add --yes"),
    ):
        result = run(url, *args, input="")
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    with any_database.read() as session:
        [theme] = session.exec(select(Theme)).all()
        assert theme.name == "Buses"
        assert session.exec(select(ThemeDecision)).all() == []
    with any_database.read() as session:
        from meetingtui.domain.models import ThemeIdea

        assert session.exec(select(ThemeIdea)).all() == []  # the batch with I-0099: nothing


def test_suggestions_applied_renamed_rejected_and_delete_keeps_ideas(any_database) -> None:
    url = _db(any_database)
    listed = run(url, "suggest")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith("1. ")
    assert "shared words: " in listed.stdout and "bus" in listed.stdout
    assert "eastcode23/I-0001" in listed.stdout and "[" in listed.stdout  # each idea's words
    rejected = run(url, "suggest", "--reject", "1", "--name", "tom")
    assert "it will not be suggested again" in rejected.stdout
    assert "No suggestions" in run(url, "suggest").stdout
    with any_database.read() as session:
        [decision] = session.exec(select(ThemeDecision)).all()
        assert (decision.decision, decision.decided_by) == ("rejected", "tom")
        session.delete(decision)  # as if never decided, to apply it next
        session.commit()
    applied = run(url, "suggest", "--apply", "1", "--rename", "Shelters")
    assert "Made theme 'Shelters' with 3 ideas" in applied.stdout, applied.stderr
    deleted = run(url, "delete", "Shelters", "--yes")
    assert "Deleted theme 'Shelters'; its 3 ideas are kept." in deleted.stdout
    with any_database.read() as session:
        assert len(session.exec(select(Idea)).all()) == 4
        assert session.exec(select(Theme)).all() == []
