"""The meeting page as a phone loads it: the current item, the ideas newest first with their
comments, the forms, and the headers and assets a public page needs."""

from __future__ import annotations

import re

from meetingtui.domain import meetings
from meetingtui.domain.ideas import add_comment
from meetingtui.domain.models import Meeting
from tests.web.helpers import LiveWeb, add_idea, controls, idea_refs_in_order, page_title


def test_page_shows_meeting_current_item_and_forms(live_web: LiveWeb, meeting: Meeting) -> None:
    response = live_web.page()

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    document = response.text
    assert page_title(document) == "Our health and care plan: have your say"
    assert '<html lang="en">' in document
    assert "Happening now" in document
    assert "Welcome and how tonight works" in document
    assert "Thursday 3 December 2026, 18:30" in document
    assert 'action="/m/testcode23/ideas"' in document
    found = controls(document)
    for field in ("title", "detail", "topic", "stakeholder", "raised_by", "organisation"):
        assert field in found.ids, field
    assert "publish_name" in found.ids
    assert "GP and primary care access" in document  # the meeting's topics are offered
    assert "Patient or service user" in document  # the stakeholder groups too
    assert "No ideas yet" in document


def test_current_item_follows_the_agenda(live_web: LiveWeb, meeting: Meeting) -> None:
    with live_web.database.write() as session:
        meetings.move_to_item(session, meeting_id=meeting.id, step=1)

    document = live_web.page().text

    assert "The draft plan in ten minutes" in document
    assert "Welcome and how tonight works" not in document


def test_ideas_newest_first_with_their_comments(live_web: LiveWeb, meeting: Meeting) -> None:
    first = add_idea(live_web.database, meeting, "Saturday GP appointments")
    second = add_idea(live_web.database, meeting, "Free parking for carers")
    with live_web.database.write() as session:
        add_comment(session, meeting_id=meeting.id, idea_ref=first, body="Yes, evenings too")

    document = live_web.page().text

    assert idea_refs_in_order(document) == [second, first]
    first_card = document[document.index(f'id="idea-{first}"') :]
    assert "Yes, evenings too" in first_card
    assert "Comments (1)" in first_card
    assert f'action="/m/testcode23/ideas/{first}/comments"' in document
    assert f'id="body-{first}"' in document and f'id="body-{second}"' in document


def test_code_in_capitals_still_finds_the_meeting(live_web: LiveWeb, meeting: Meeting) -> None:
    assert live_web.page("TESTCODE23").status_code == 200


def test_security_headers_on_pages_assets_and_errors(live_web: LiveWeb, meeting: Meeting) -> None:
    for path in ("/m/testcode23", "/static/site.css", "/m/nope", "/healthz"):
        headers = live_web.client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "same-origin", path
        policy = headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, path


def test_no_external_assets_and_small_page(live_web: LiveWeb, meeting: Meeting) -> None:
    document = live_web.page().text

    assert not re.search(r'(?:src|href)="(?:https?:)?//', document)
    assert '<link rel="stylesheet" href="/static/site.css">' in document
    # Two scripts, local, deferred; live updates and similar ideas while typing a title (the
    # page works without them).
    assert re.findall(r"<script[^>]*>", document) == [
        '<script src="/static/live.js" defer>',
        '<script src="/static/similar.js" defer>',
    ]
    assert "onclick" not in document and "javascript:" not in document
    css = live_web.client.get("/static/site.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    assert "http" not in css.text
    assert len(document.encode()) < 30_000 and len(css.content) < 20_000
    for name in ("live.js", "similar.js"):
        script = live_web.client.get(f"/static/{name}")
        assert script.status_code == 200 and "javascript" in script.headers["content-type"]
        assert "http" not in script.text and "innerHTML" not in script.text
        assert len(script.content) < 3_000


def test_closed_meeting_page_offers_no_forms(live_web: LiveWeb, meeting: Meeting) -> None:
    add_idea(live_web.database, meeting, "Keep the minor injuries unit")
    with live_web.database.write() as session:
        meetings.close_meeting(session, meeting_id=meeting.id)

    document = live_web.page().text

    assert "This meeting has closed" in document
    assert "Keep the minor injuries unit" in document  # still readable
    assert "<form" not in document


def test_health_and_openapi(live_web: LiveWeb) -> None:
    assert live_web.client.get("/healthz").json() == {"status": "ok"}
    schema = live_web.client.get("/openapi.json").json()
    assert "/api/meetings/{code}" in schema["paths"]
    # Only the read API is described; the docs UI (CDN scripts) is off.
    assert all(path.startswith(("/api/", "/healthz")) for path in schema["paths"])
    assert live_web.client.get("/docs").status_code == 404


def test_facilitator_actions_are_not_reachable(live_web: LiveWeb, meeting: Meeting) -> None:
    schema = live_web.client.get("/openapi.json").json()
    methods = {m for operations in schema["paths"].values() for m in operations}
    assert methods == {"get"}
    for path in ("/m/testcode23/close", "/m/testcode23/next", "/api/meetings/testcode23"):
        assert live_web.client.post(path).status_code in (404, 405), path


def test_new_meetings_get_random_unguessable_codes(live_web: LiveWeb) -> None:
    """Codes come from the domain's generator: 10 symbols of 31 (about 50 bits), no 0/o/1/l/i."""
    from meetingtui.agenda import load_agenda
    from tests.conftest import TOWN_HALL

    agenda = load_agenda(TOWN_HALL)
    with live_web.database.write() as session:
        codes = [meetings.create_meeting(session, agenda=agenda).code for _ in range(2)]

    assert codes[0] != codes[1]
    for code in codes:
        assert len(code) >= 10 and set(code) <= set(meetings.JOIN_CODE_ALPHABET)
        assert live_web.page(code).status_code == 200
        assert live_web.page(code[:-1]).status_code == 404
