"""Similar ideas on the phone's idea form: the JSON endpoint (public ideas only, escaped, bounded,
rate-limited like every read), the refused form without JavaScript, and a real phone browser at
360 px that shows the hint while typing and still posts the form without JavaScript."""

from __future__ import annotations

import json

import pytest

from meetingtui.domain.models import Meeting
from meetingtui.domain.moderation import set_visibility
from meetingtui.web.api import SIMILAR_TEXT_MAX
from tests.web.helpers import LiveWeb, add_idea
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, _watch, browser  # noqa: F401

SMALL_PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def similar(web: LiveWeb, q: str, code: str = "testcode23", **params: object):
    return web.client.get(f"/api/meetings/{code}/similar", params={"q": q, **params})


def test_the_endpoint_finds_the_meetings_public_ideas_accents_aside(
    live_web: LiveWeb, meeting: Meeting
) -> None:
    add_idea(live_web.database, meeting, "Un café en la biblioteca <script>alert(1)</script>")
    add_idea(live_web.database, meeting, "Ñandú enclosure at the farm")
    hidden = add_idea(live_web.database, meeting, "Un cafe en la estación")
    add_idea(live_web.database, meeting, "Cheaper parking")
    with live_web.database.write() as session:
        from meetingtui.domain.ideas import find_idea

        idea = find_idea(session, meeting_id=meeting.id, ref=hidden)
        set_visibility(
            session,
            meeting_id=meeting.id,
            entity="idea",
            entity_id=idea.id,
            visibility="hidden",
        )
    response = similar(live_web, "un cafe en la bibl")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    ideas = response.json()["ideas"]
    assert [i["ref"] for i in ideas] == ["I-0001"]  # the hidden one is never offered
    assert ideas[0]["title"] == "Un café en la biblioteca <script>alert(1)</script>"  # as typed
    assert ideas[0]["url"] == "/m/testcode23/ideas/I-0001"
    assert ideas[0]["support_count"] == 0 and ideas[0]["merged_into"] is None
    assert "<script>" not in response.text.replace("\\u003c", "<").split('"title"')[0]
    json.loads(response.text)  # valid JSON whatever the title held
    assert similar(live_web, "nandu enclosure").json()["ideas"][0]["ref"] == "I-0002"
    assert similar(live_web, "NANDÚ").json()["ideas"][0]["ref"] == "I-0002"
    assert similar(live_web, "swimming lessons").json() == {"ideas": []}
    assert similar(live_web, "").json() == {"ideas": []}


def test_the_endpoint_is_bounded(live_web: LiveWeb, meeting: Meeting) -> None:
    for n in range(8):
        add_idea(live_web.database, meeting, f"Benches at the bus stop number {n}")
    assert len(similar(live_web, "benches bus stop").json()["ideas"]) == 3
    assert len(similar(live_web, "benches bus stop", limit=5).json()["ideas"]) == 5
    assert similar(live_web, "benches", limit=50).status_code == 422
    assert similar(live_web, "b" * (SIMILAR_TEXT_MAX + 1)).status_code == 422
    assert similar(live_web, "benches", code="nosuchcode").status_code == 404
    assert similar(live_web, '"bench* OR NEAR(').status_code == 200  # words, never a query


def test_reads_of_it_are_rate_limited_like_every_read(web_with, meeting: Meeting) -> None:
    from meetingtui.web.security import Bucket, RateLimits

    web = web_with(rate_limits=RateLimits(reads=Bucket(capacity=3, per_second=0.01)))
    web.page()  # the device cookie
    answers = [similar(web, "benches").status_code for _ in range(6)]
    assert answers[:2] == [200, 200] and 429 in answers


def test_a_refused_idea_shows_similar_ideas_without_javascript(
    live_web: LiveWeb, meeting: Meeting
) -> None:
    add_idea(live_web.database, meeting, "Benches at the bus stop & <b>shelter</b>")
    response = live_web.post(
        "/m/testcode23/ideas", {"title": "benches at the bus stop", "stakeholder": "nonsense"}
    )
    assert response.status_code == 422
    page = response.text
    assert 'id="similar-ideas"' in page
    block = page.split('id="similar-ideas"', 1)[1].split("</div>", 1)[0]
    assert "hidden" not in block.split(">", 1)[0]
    assert "Similar ideas already raised" in block
    assert '<a href="/m/testcode23/ideas/I-0001">I-0001 Benches at the bus stop &amp; ' in block
    assert "&lt;b&gt;shelter&lt;/b&gt;" in block
    # Nothing typed like it: the block is there for the script, hidden.
    plain = live_web.page().text
    assert 'id="similar-ideas"' in plain
    assert plain.split('id="similar-ideas"', 1)[1].split(">", 1)[0].rstrip().endswith("hidden")


def test_the_hint_in_spanish(web_with, database, meeting: Meeting) -> None:
    with database.write() as session:
        stored = session.get(Meeting, meeting.id)
        stored.language = "es"
        session.add(stored)
    add_idea(database, meeting, "Bancos en la parada")
    web = web_with()
    response = web.post(
        "/m/testcode23/ideas", {"title": "bancos en la parada", "stakeholder": "nonsense"}
    )
    assert "Ideas parecidas que ya se han propuesto" in response.text
    assert "Apoyos: 0" in response.text


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}")
def test_a_phone_sees_similar_ideas_while_typing_and_the_form_posts_without_js(
    browser: object,  # noqa: F811
    live_web: LiveWeb,
    meeting: Meeting,
) -> None:
    add_idea(live_web.database, meeting, "Café benches at the bus stop <i>now</i>")
    context = browser.new_context(**SMALL_PHONE)  # type: ignore[attr-defined]
    page = context.new_page()
    problems = _watch(page)
    page.goto(f"{live_web.base_url}/m/testcode23")
    hint = page.locator("#similar-ideas")
    assert not hint.is_visible()
    page.get_by_label("Your idea in one line").press_sequentially("cafe benches at the bus")
    hint.wait_for(state="visible")
    link = hint.get_by_role("link")
    assert link.inner_text() == "I-0001 Café benches at the bus stop <i>now</i>"  # as text
    assert link.get_attribute("href") == "/m/testcode23/ideas/I-0001"
    assert "Supporters: 0" in hint.inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # nothing wider than the phone
    link.click()
    page.wait_for_url("**/m/testcode23/ideas/I-0001")
    assert page.get_by_role("button", name="Support this idea").is_visible()
    assert problems == []
    context.close()

    # Without JavaScript: no hint while typing, and the form posts as before.
    context = browser.new_context(java_script_enabled=False, **SMALL_PHONE)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{live_web.base_url}/m/testcode23")
    page.get_by_label("Your idea in one line").fill("Cafe benches at the bus stop")
    assert not page.locator("#similar-ideas").is_visible()
    page.get_by_role("button", name="Send idea").click()
    page.wait_for_url("**/m/testcode23?notice=idea-added*")
    assert page.locator("#idea-I-0002").get_by_role("heading").inner_text() == (
        "Cafe benches at the bus stop"
    )
    context.close()
