"""The reach and pairwise sections of the minutes, in every format; and no export links a
person's sign-in answers to their ideas, comments or choices."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from sqlmodel import select

from meetingtui.agenda.loader import load_agenda
from meetingtui.domain import meetings
from meetingtui.domain.ideas import IdeaInput, add_comment, capture_idea
from meetingtui.domain.models import ReachResponse
from meetingtui.domain.pairwise import record_choice
from meetingtui.domain.public import Audience
from meetingtui.domain.reach import record_response
from meetingtui.domain.supports import toggle_support
from meetingtui.export import FORMATS, export_meeting
from meetingtui.export.json_data import json_schema
from meetingtui.store.database import Database
from tests.conftest import SAMPLE_AGENDAS

AGES = ["Under 25"] * 2 + ["25 to 44"] * 6 + ["45 to 64"] * 7 + ["65 or over"] * 5


@pytest.fixture
def room(database: Database):
    """Twenty phones: each posts an idea and a comment, supports, compares a pair and answers
    the sign-in (its own area and age), so a link, if any export kept one, would show."""
    with database.write() as session:
        meeting = meetings.create_meeting(
            session, agenda=load_agenda(SAMPLE_AGENDAS / "community_workshop.toml"), code="room2345"
        )
        meetings.start_meeting(session, meeting_id=meeting.id)
    refs = []
    for number, age in enumerate(AGES):
        device = f"phone-id-{number:02d}"
        with database.write() as session:
            idea = capture_idea(
                session,
                meeting_id=meeting.id,
                data=IdeaInput(title=f"Idea from phone {number}", channel="phone"),
                from_public=True,
                device=device,
            )
            refs.append(idea.ref)
            add_comment(session, meeting_id=meeting.id, idea_ref=refs[0], body=f"Comment {number}")
            toggle_support(session, meeting_id=meeting.id, idea_ref=refs[0], device=device)
            if number:
                record_choice(
                    session,
                    meeting_id=meeting.id,
                    device=device,
                    left_ref=refs[0],
                    right_ref=idea.ref,
                    chosen_ref=idea.ref,
                )
            record_response(
                session,
                meeting_id=meeting.id,
                answers={"age": age, "carer": "Yes" if number % 4 == 0 else "No"},
                area=f"AREA{number:02d}",
                name=f"Person{number:02d}",
                device=device,
            )
    return meeting


def _text(content: str | bytes) -> str:
    if isinstance(content, bytes):  # docx: the document's words
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            xml = package.read("word/document.xml").decode()
        return re.sub(r"<[^>]+>", " ", xml)
    return content


@pytest.mark.parametrize("audience", [Audience.PUBLIC, Audience.ORGANISERS])
def test_no_export_links_answers_to_people(database: Database, room, audience) -> None:
    with database.read() as session:
        responses = session.exec(select(ReachResponse)).all()
        outputs = {
            fmt: _text(export_meeting(session, room.id, fmt, audience=audience)) for fmt in FORMATS
        }
    assert len(responses) == len(AGES)
    for fmt, text in outputs.items():
        for response in responses:  # no response key, in any spelling
            assert str(response.id) not in text and response.id.hex not in text, fmt
        assert "phone-id-" not in text, fmt  # no device id to join on
        assert "AREA" not in text and "Person" not in text, fmt  # areas and names stay in
        if fmt == "json":
            continue
        assert "Who took part (reach)" in text, fmt
        assert "Which matters more (pairwise)" in text, fmt
        # Only totals: no count under 5 anywhere in the reach section.
        section = text.split("Who took part (reach)", 1)[1].split("Which matters more", 1)[0]
        assert "fewer than 5" in section, fmt
    document = json.loads(outputs["json"])
    reach = document["reach"]
    assert reach["published"] and reach["responses"] == 20
    assert "first_names" not in reach
    for question in reach["questions"]:
        # Marginal counts per question, never a row per person or a time.
        assert set(question) == {
            "key",
            "label",
            "answered",
            "prefer_not_to_say",
            "not_answered",
            "representativeness",
            "groups",
        }
        for group in question["groups"]:
            assert group["count"] is None or group["count"] % 5 == 0
    ages = [g["count"] for g in reach["questions"][0]["groups"]]
    assert ages == [None, 5, 5, None]  # 2 hidden, and 5 with it: no subtraction from 20
    assert [idea["ref"] for idea in document["pairwise"]][0] != "I-0001"


def test_minutes_json_with_reach_meets_its_schema(database: Database, room) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    with database.read() as session:
        document = json.loads(export_meeting(session, room.id, "json"))
    jsonschema.validate(document, json_schema())


def test_csv_keeps_its_idea_table_first(database: Database, room) -> None:
    with database.read() as session:
        text = export_meeting(session, room.id, "csv")
    assert isinstance(text, str)
    blocks = text.split("\r\n\r\n")
    assert len(blocks[0].splitlines()) == len(AGES) + 1  # header + one row per idea
    assert "Who took part (reach)" in blocks[1]


def test_the_published_site_has_a_reach_page_with_published_figures_only(
    database: Database, room, meeting, tmp_path
) -> None:
    """``reach.html``: the programme's meetings and channels together, small numbers
    suppressed as everywhere published; no name, no area code; linked from the index. A site
    whose meetings asked nothing has no such page."""
    from meetingtui.export.site import publish_site

    with database.read() as session:
        publish_site(session, [room.id], tmp_path / "with")
    page = (tmp_path / "with" / "reach.html").read_text("utf-8")
    assert "Who took part" in page and "Under 25" in page
    assert "fewer than 5" in page  # two under-25s: never shown as 2
    assert "Person" not in page and "AREA0" not in page and "phone-id" not in page
    assert 'href="reach.html"' in (tmp_path / "with" / "index.html").read_text("utf-8")
    # Another meeting of the same programme publishes the same, cumulative page.
    with database.read() as session:
        publish_site(session, [meeting.id], tmp_path / "other")
    assert "Under 25" in (tmp_path / "other" / "reach.html").read_text("utf-8")


def test_a_programme_that_asked_nothing_has_no_reach_page(
    database: Database, meeting, tmp_path
) -> None:
    from meetingtui.export.site import publish_site

    with database.read() as session:
        publish_site(session, [meeting.id], tmp_path)
    assert not (tmp_path / "reach.html").exists()
    assert "reach.html" not in (tmp_path / "index.html").read_text("utf-8")
