"""Type-ahead in a real ``meetingtui run`` process: several ideas written to its terminal as one
burst (as tmux ``send-keys`` or a fast typist does), then killed with SIGKILL while a draft is
half typed. Every saved idea holds exactly what was typed, and the draft holds the burst."""

from __future__ import annotations

import sys

import pytest
from sqlmodel import select

from meetingtui.domain.drafts import draft_fields
from meetingtui.domain.models import Idea, Meeting
from meetingtui.store.database import Database
from tests.draft_lookup import terminal_draft
from tests.tui.test_restart import TERMINAL, Console, free_port, wait_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

TAB, CTRL_S, DELETE = "\t", "\x13", "\x1b[3~"


def saved(database: Database) -> list[tuple[str, str, str, str]]:
    with database.read() as session:
        ideas = session.exec(select(Idea).order_by(Idea.seq))
        return [(i.title, i.detail, i.topic, i.stakeholder) for i in ideas]


def draft(database: Database) -> dict:
    with database.read() as session:
        meeting = session.exec(select(Meeting)).first()
        found = terminal_draft(session, meeting_id=meeting.id, owner=TERMINAL) if meeting else None
        return draft_fields(found) if found else {}


def test_ideas_typed_as_one_burst_then_a_draft_killed_with_sigkill(tmp_path):
    db_path = tmp_path / "meeting.sqlite3"
    database = Database.open(f"sqlite:///{db_path}", migrate=True)
    console = Console(db_path, free_port())
    wanted = [
        (
            "Longer appointments for people with learning disabilities",
            "Double slots",
            "gp",
            "GP and primary care access",
            "car",
            "carer",
        ),
        ("Nurse 👩‍⚕️ at the school ❤️", "Two days a week", "me", "Mental health", "res", "resident"),
        (
            "Volunteer drivers",
            "For the clinic",
            "tra",
            "Travel and transport to services",
            "vol",
            "voluntary",
        ),
    ]
    burst = "".join(
        f"i{title}{TAB}{detail}{TAB}{topic}{TAB}{DELETE}{who}{CTRL_S}"
        for title, detail, topic, _t, who, _w in wanted
    )
    try:
        console.wait_for_output("Welcome and how tonight works")
        wait_for(lambda: database is not None and saved(database) == [])
        console.type(burst + f"iHalf typed{TAB}and its detail")  # one write to the terminal
        wait_for(lambda: len(saved(database)) == 3, timeout=30)
        wait_for(lambda: draft(database).get("detail") == "and its detail", timeout=30)
    finally:
        console.kill()
    assert saved(database) == [(t, d, topic, who) for t, d, _k, topic, _w, who in wanted]
    assert (draft(database)["title"], draft(database)["detail"]) == ("Half typed", "and its detail")
    database.close()
