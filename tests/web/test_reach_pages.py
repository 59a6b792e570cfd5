"""The phone's optional sign-in and "which matters more", over real HTTP, without JavaScript."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from meetingtui.agenda.loader import load_agenda
from meetingtui.domain import meetings
from meetingtui.domain.models import Meeting, PairwiseChoice, ReachResponse
from meetingtui.store.database import Database
from tests.conftest import SAMPLE_AGENDAS
from tests.web.helpers import LiveWeb, add_idea, error_summary_links, form_token, page_title

CODE = "workshop23"


@pytest.fixture
def workshop(database: Database) -> Meeting:
    with database.write() as session:
        created = meetings.create_meeting(
            session, agenda=load_agenda(SAMPLE_AGENDAS / "community_workshop.toml"), code=CODE
        )
        meetings.start_meeting(session, meeting_id=created.id)
    return created


def _post(web: LiveWeb, path: str, data: dict[str, str]):
    token = form_token(web.client.get(f"/m/{CODE}").text)
    return web.client.post(path, data={**data, "csrf_token": token})


def test_the_sign_in_is_offered_once_and_kept_apart(
    live_web: LiveWeb, database: Database, workshop: Meeting
) -> None:
    page = live_web.client.get(f"/m/{CODE}")
    assert "Help us see who we’re reaching" in page.text or "reaching — optional" in page.text
    form = live_web.client.get(f"/m/{CODE}/reach")
    assert form.status_code == 200
    assert "Prefer not to say" in form.text and "Your age" in form.text
    sent = _post(
        live_web,
        f"/m/{CODE}/reach",
        {
            "name": "Ana",
            "area": "E17",
            "answer-age": "Under 25",
            "answer-carer": "prefer-not",
            "action": "send",
        },
    )
    assert sent.status_code == 303 and sent.headers["location"] == f"/m/{CODE}/reach?done=answered"
    # The phone remembers only that it answered, not what.
    assert live_web.client.cookies.get(f"mt_reach_{CODE}") == "answered"
    assert "Under 25" not in sent.headers.get("set-cookie", "")
    thanks = live_web.client.get(sent.headers["location"])
    assert "Thank you" in thanks.text
    assert "reach-card" not in live_web.client.get(f"/m/{CODE}").text  # not offered again
    with database.read() as session:
        (response,) = session.exec(select(ReachResponse)).all()
    assert json.loads(response.answers) == {"age": "Under 25", "carer": "prefer-not"}
    # Again from the same phone (even with its cookie cleared): refused, nothing added.
    live_web.client.cookies.delete(f"mt_reach_{CODE}")
    again = _post(live_web, f"/m/{CODE}/reach", {"answer-age": "65 or over", "action": "send"})
    assert again.status_code == 409 and "already answered" in again.text
    with database.read() as session:
        assert len(session.exec(select(ReachResponse)).all()) == 1


def test_a_refused_sign_in_keeps_what_was_chosen(live_web: LiveWeb, workshop: Meeting) -> None:
    refused = _post(
        live_web,
        f"/m/{CODE}/reach",
        {"area": "x" * 50, "answer-age": "ancient", "answer-carer": "Yes", "action": "send"},
    )
    assert refused.status_code == 422
    assert page_title(refused.text).startswith("Error: ")
    assert [href for href, _ in error_summary_links(refused.text)] == ["#area", "#answer-age"]
    assert 'value="Yes" checked' in refused.text  # the carer answer is kept


def test_skipping_is_remembered_and_keeps_nothing(
    live_web: LiveWeb, database: Database, workshop: Meeting
) -> None:
    skipped = _post(live_web, f"/m/{CODE}/reach", {"action": "skip", "answer-age": "Under 25"})
    assert skipped.status_code == 303 and skipped.headers["location"] == f"/m/{CODE}"
    assert live_web.client.cookies.get(f"mt_reach_{CODE}") == "skipped"
    assert "reach-card" not in live_web.client.get(f"/m/{CODE}").text
    with database.read() as session:
        assert session.exec(select(ReachResponse)).all() == []


def test_a_forged_sign_in_is_refused(live_web: LiveWeb, workshop: Meeting) -> None:
    live_web.client.get(f"/m/{CODE}")
    forged = live_web.client.post(
        f"/m/{CODE}/reach", data={"answer-age": "Under 25", "action": "send", "csrf_token": "x"}
    )
    assert forged.status_code == 403 and "nothing was sent" in forged.text


def test_no_sign_in_where_the_agenda_asks_nothing(live_web: LiveWeb, meeting: Meeting) -> None:
    assert "reach-card" not in live_web.client.get("/m/testcode23").text
    assert live_web.client.get("/m/testcode23/reach").status_code == 404


def test_pairwise_on_the_phone(live_web: LiveWeb, database: Database, workshop: Meeting) -> None:
    refs = [add_idea(database, workshop, title) for title in ("Benches", "Lights", "Swings")]
    assert "pairwise-card" in live_web.client.get(f"/m/{CODE}").text
    answered = 0
    while True:
        page = live_web.client.get(f"/m/{CODE}/pairwise")
        assert page.status_code == 200
        if "compared every pair" in page.text:
            break
        left = page.text.split('name="left" value="', 1)[1].split('"', 1)[0]
        right = page.text.split('name="right" value="', 1)[1].split('"', 1)[0]
        choice = "skip" if answered == 1 else "left"
        data = {"left": left, "right": right, "choice": choice, "csrf_token": form_token(page.text)}
        sent = live_web.client.post(f"/m/{CODE}/pairwise", data=data)
        assert sent.status_code == 303, sent.text
        again = live_web.client.post(f"/m/{CODE}/pairwise", data=data)  # a double tap
        assert again.status_code == 303
        answered += 1
    assert answered == 3  # three ideas: three pairs, each once
    with database.read() as session:
        assert len(session.exec(select(PairwiseChoice)).all()) == 3
    results = live_web.client.get(f"/api/meetings/{CODE}/pairwise").json()
    assert results["choices"] == 2
    assert {idea["ref"] for idea in results["ideas"]} == set(refs)
    assert sum(idea["wins"] for idea in results["ideas"]) == 2
    top = results["ideas"][0]
    assert top["score"] == pytest.approx((top["wins"] + 1) / (top["comparisons"] + 2), abs=1e-3)
    refused = live_web.client.post(
        f"/m/{CODE}/pairwise",
        data={
            "left": "x",
            "right": "y",
            "choice": "middle",
            "csrf_token": form_token(live_web.client.get(f"/m/{CODE}").text),
        },
    )
    assert refused.status_code == 422 and "There is a problem" in refused.text
    schema = live_web.client.get("/openapi.json").json()
    assert "/api/meetings/{code}/pairwise" in schema["paths"]


def test_sign_in_in_spanish(live_web: LiveWeb, database: Database, workshop: Meeting) -> None:
    with database.write() as session:
        row = session.get(Meeting, workshop.id)
        assert row is not None
        row.language = "es"
    page = live_web.client.get(f"/m/{CODE}/reach")
    assert "Prefiero no decirlo" in page.text and 'lang="es"' in page.text
    assert "Ayúdanos" in live_web.client.get(f"/m/{CODE}").text
