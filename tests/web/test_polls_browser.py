"""Voting on a phone-sized screen (360 px) in headless Chromium: every ballot type's form,
without JavaScript too, and an axe-core audit of the page with open polls, a refused ballot and
results (fixtures from tests/web/test_browser.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from meetingtui.domain import polls
from meetingtui.domain.models import Meeting
from tests.web.helpers import LiveWeb
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS

PHONE_360 = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Chromium, launched as tests/web/test_browser.py launches it."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open(database, meeting: Meeting, kind: str, options, **settings) -> int:
    with database.write() as session:
        poll = polls.create_poll(
            session,
            meeting_id=meeting.id,
            type=kind,
            question=f"{kind.title()}: what first?",
            options=options,
            **settings,
        )
        polls.open_poll(session, poll_id=poll.id)
        return poll.number


def test_voting_on_a_phone_passes_the_audit(
    browser: object, live_web: LiveWeb, meeting: Meeting
) -> None:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    database = live_web.database
    single = _open(
        database, meeting, "single", ["Evening GP appointments", "A bus to the hospital"]
    )
    _open(database, meeting, "ranking", ["Red", "Green", "Blue"])
    _open(database, meeting, "score", ["Room", "Food"])
    dots = _open(database, meeting, "dots", ["North", "South"], dots=3)
    _open(
        database,
        meeting,
        "budget",
        [polls.OptionSpec("Shade", 18000), polls.OptionSpec("Benches", 9000)],
        budget=20000,
    )
    axe = axe_module.Axe()
    context = browser.new_context(bypass_csp=True, **PHONE_360)  # type: ignore[attr-defined]
    page = context.new_page()
    found: dict[str, list[str]] = {}

    def audit(name: str) -> None:
        result = axe.run(page)
        found[name] = [
            f"{v['id']} ({v['impact']}): {v['help']}" for v in result.response["violations"]
        ]

    page.goto(f"{live_web.base_url}/m/testcode23#polls")
    audit("open polls")
    page.click(f"label[for=poll-{single}-1]")  # the styled radio: its label takes the tap
    page.locator(f"#poll-{single}-form button").click()
    page.wait_for_url("**notice=ballot-recorded**")
    assert "Your vote is recorded" in page.content()
    audit("after a vote, with live results")
    page.fill(f"#poll-{dots}-0", "3")
    page.fill(f"#poll-{dots}-1", "2")
    page.locator(f"#poll-{dots}-form button").click()
    page.wait_for_selector(".error-summary")
    assert "You placed 5 but you have 3." in page.content()
    assert page.input_value(f"#poll-{dots}-0") == "3"  # the choices kept
    audit("refused ballot")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the page scrolls sideways at 360 px"
    context.close()
    assert found == {name: [] for name in found}


def test_ranking_without_javascript(browser: object, live_web: LiveWeb, meeting: Meeting) -> None:
    number = _open(live_web.database, meeting, "ranking", ["Red", "Green", "Blue"])
    context = browser.new_context(java_script_enabled=False, **PHONE_360)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{live_web.base_url}/m/testcode23")
    page.select_option(f"#poll-{number}-2", "1")
    page.select_option(f"#poll-{number}-0", "2")
    page.locator(f"#poll-{number}-form button").click()
    page.wait_for_url("**notice=ballot-recorded**")
    assert page.input_value(f"#poll-{number}-2") == "1"  # the recorded ballot shown to change
    context.close()
    with live_web.database.read() as session:
        poll = polls.find_poll(session, meeting_id=meeting.id, key=number)
        assert [f["borda"] for _, f in polls.poll_results(session, poll).rows()] == [1, 0, 2]
