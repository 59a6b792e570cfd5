"""``meetingtui duplicates`` as a person types it (a subprocess on a real SQLite file): the
clusters as text, CSV and JSON; dismiss and undismiss by ref; clear refusals (exit 2)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from meetingtui.domain.ideas import IdeaInput, capture_idea
from tests.domain.test_lifecycle_answers import new_meeting
from tests.test_cli import meetingtui


def seeded(database) -> Path:
    with database.write() as session:
        east = new_meeting(session, "East", "Transport", code="eastcode23")
        west = new_meeting(session, "West", "Transport", code="westcode23")
        for meeting, title in (
            (east, "Café at the station"),
            (west, "cafe at the STATION"),
            (east, "=SUM(A1) more benches"),
            (west, "more benches =SUM(A1)"),
            (east, "Longer library opening hours"),
        ):
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=title))
    return Path(database.url.removeprefix("sqlite:///"))


def test_clusters_as_text_csv_and_json(database) -> None:
    db = seeded(database)
    text = meetingtui("duplicates", "--programme", "Transport", db=db)
    assert text.returncode == 0, text.stderr
    assert "2 clusters, 2 pairs" in text.stdout
    assert "eastcode23/I-0001  Café at the station" in text.stdout
    assert "westcode23/I-0001  cafe at the STATION" in text.stdout
    # A pair names both ideas in full with their titles (both meetings have an I-0001).
    pair = 'eastcode23/I-0001 "Café at the station" ~ westcode23/I-0001 "cafe at the STATION"'
    assert pair in text.stdout
    assert 'eastcode23/I-0002 "=SUM(A1) more benches" ~' in text.stdout  # literally, as typed
    assert "Longer library" not in text.stdout
    assert text.stderr == ""  # progress only on a terminal
    rows = list(csv.DictReader(io.StringIO(meetingtui(
        "duplicates", "--programme", "Transport", "--format", "csv", db=db
    ).stdout)))  # fmt: skip
    assert len(rows) == 2
    assert {row["title_a"][:2] for row in rows} >= {"'="}  # a formula stays words
    data = json.loads(
        meetingtui("duplicates", "--programme", "Transport", "--format", "json", db=db).stdout
    )
    assert data["threshold"] == 0.75 and len(data["clusters"]) == 2
    pair = data["clusters"][0]["pairs"][0]
    assert pair["score"] >= 0.75 and pair["shared_words"]


def test_dismiss_and_undismiss_by_ref(database) -> None:
    db = seeded(database)
    done = meetingtui(
        "duplicates", "dismiss", "eastcode23/I-0001", "westcode23/I-0001",
        "--programme", "Transport", "--reason", "Two cafés", "--name", "Priya", db=db,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "dismissed" in done.stdout
    assert 'I-0001 "Café at the station" and I-0001 "cafe at the STATION"' in done.stdout
    listed = meetingtui("duplicates", "--programme", "Transport", db=db).stdout
    assert "1 cluster, 1 pair" in listed and "1 dismissed pair left out" in listed
    assert "Café" not in listed
    again = meetingtui(
        "duplicates", "undismiss", "eastcode23/I-0001", "westcode23/I-0001",
        "--programme", "Transport", db=db,
    )  # fmt: skip
    assert again.returncode == 0 and "listed again" in again.stdout
    assert "Café" in meetingtui("duplicates", "--programme", "Transport", db=db).stdout


def test_mistakes_are_refused_with_a_plain_message(database) -> None:
    db = seeded(database)
    for args, said in (
        (("duplicates", "--threshold", "0.1"), "outside"),
        (("duplicates", "--threshold", "lots"), "not a number"),
        (("duplicates", "--programme", "Transprt"), "No programme"),
        (("duplicates", "dismiss", "I-0001", "--programme", "Transport"), "Name two ideas"),
        (("duplicates", "dismiss", "I-0001", "I-0009", "--programme", "Transport"), "more than"),
        (("duplicates", "dismiss", "I-0001", "I-0009"), "No idea I-0001 in programme 'default'"),
        (
            (
                "duplicates",
                "dismiss",
                "eastcode23/I-0001",
                "eastcode23/I-0001",
                "--programme",
                "Transport",
            ),
            "same idea",
        ),
    ):
        result = meetingtui(*args, db=db)
        assert result.returncode == 2, (args, result.stderr)
        assert said in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_moderation_is_named_in_the_console_s_words(database) -> None:
    """Found by review: the list said [pending] where the console says "waiting for
    moderation" (MOD); both now come from domain/vocab.py."""
    from sqlmodel import select

    from meetingtui.domain.models import Idea, Meeting
    from meetingtui.domain.moderation import set_visibility

    db = seeded(database)
    with database.write() as session:
        for code, visibility in (("eastcode23", "pending"), ("westcode23", "hidden")):
            meeting = session.exec(select(Meeting).where(Meeting.code == code)).one()
            idea = session.exec(
                select(Idea).where(Idea.meeting_id == meeting.id, Idea.ref == "I-0001")
            ).one()
            set_visibility(
                session,
                meeting_id=meeting.id,
                entity="idea",
                entity_id=idea.id,
                visibility=visibility,
            )
    listed = meetingtui("duplicates", "--programme", "Transport", db=db).stdout
    assert "Café at the station [waiting for moderation]" in listed
    assert "cafe at the STATION [hidden]" in listed
    assert "[pending]" not in listed
