"""The published site in a real headless Chromium, opened from file:// with no network: the
find-your-idea box finds an idea by its ref (full, or bare within a meeting), says plainly when
there is none; the offline search loads the catalogue's data scripts and finds ideas; the plan's
pages list ideas per section; and no page logs an error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.programmes import find_programme
from meetingtui.export.site import publish_site
from tests.export.site_programme import HOSTILE, build_programme

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
)
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route("http*://**", lambda route: route.abort())  # no network at all
        yield page
        browser.close()
        assert errors == []


@pytest.fixture
def site(tmp_path: Path, database) -> Path:
    built = build_programme(database)
    with database.read() as session:
        programme = find_programme(session, "Riverside")
        publish_site(session, built.meeting_ids, tmp_path, programme=programme, page_size=2)
    return tmp_path


def test_find_your_idea_by_ref_from_file(site: Path, browser_page) -> None:
    page = browser_page
    page.goto((site / "index.html").as_uri())
    page.fill("#find-ref", "riverone1/i-1")
    page.click("form[data-find] button")
    page.wait_for_url("**/ideas/riverone1/I-0001.html")
    assert page.locator("h1").inner_text() == f"I-0001: {HOSTILE}"
    assert page.locator("#status").inner_text() == "Adopted"

    page.goto((site / "ideas.html").as_uri())
    page.fill("#find-ref", "I-0009")
    page.press("#find-ref", "Enter")
    result = page.locator("#find-result")
    result.filter(has_text="No idea I-0009 on this site.").wait_for()
    page.fill("#find-ref", "zzz")  # not a ref: what one looks like
    page.press("#find-ref", "Enter")
    result.filter(has_text="Type a ref like I-0042, or CODE/I-0042.").wait_for()
    page.fill("#find-ref", "nowhere/I-0001")
    page.press("#find-ref", "Enter")
    result.filter(has_text="No meeting nowhere on this site.").wait_for()
    page.fill("#find-ref", "I-0004")  # hidden: unknown to the public
    page.press("#find-ref", "Enter")
    result.filter(has_text="No idea I-0004 on this site.").wait_for()
    page.fill("#find-ref", "I-0001")  # in both meetings: a choice
    page.press("#find-ref", "Enter")
    result.filter(has_text="I-0001 is in more than one meeting").wait_for()
    assert result.locator("a").count() == 2

    # Within a meeting's catalogue page the bare ref is that meeting's idea.
    page.goto((site / "catalogue" / "rivertwo2-1.html").as_uri())
    page.fill("#find-ref", "2")
    page.press("#find-ref", "Enter")
    page.wait_for_url("**/ideas/rivertwo2/I-0002.html")
    assert "A cafe in the library" in page.locator("h1").inner_text()


def test_offline_search_loads_the_catalogue_and_finds_ideas(site: Path, browser_page) -> None:
    page = browser_page
    page.goto((site / "ideas.html").as_uri())
    page.fill("#q", "bus lanes")
    results = page.locator("#results li")
    results.first.wait_for()
    page.locator("#count", has_text="1 idea").wait_for()
    assert results.count() == 1 and "Bus lanes on the high street" in results.inner_text()
    page.fill("#q", "</script><img")  # people's words are matched as text, shown as text
    page.locator("#count", has_text="1 idea").wait_for()
    assert HOSTILE in results.inner_text()
    page.fill("#q", "hidden-idea")
    page.locator("#count", has_text="0 ideas").wait_for()
    page.fill("#q", "bus lanes")
    page.locator("#count", has_text="1 idea").wait_for()
    results.locator("a").click()
    page.wait_for_url("**/ideas/rivertwo2/I-0001.html")


def test_plan_pages_list_ideas_per_section(site: Path, browser_page) -> None:
    page = browser_page
    page.goto((site / "plan" / "index.html").as_uri())
    page.click("text=v2")
    night = page.locator("#s-1\\.1")
    assert "1.1 Night buses" in night.locator("h3").inner_text()
    assert night.locator(".cited li").count() == 1
    assert "riverone1/I-0001" in night.locator(".cited li").inner_text()
    page.click("text=Changes since v1")
    assert page.locator(".change-added h2").inner_text() == "Added: 1.2 Bus lanes"
    assert page.locator(".change-removed h2").inner_text() == "Removed: 2 Health"
    page.goto((site / "ideas" / "riverone1" / "I-0001.html").as_uri())
    page.click("#reflected a")
    page.wait_for_url("**/plan/v2.html#s-1.1")


def test_a_meeting_without_a_programme_still_publishes(
    tmp_path: Path, database, meeting, browser_page
) -> None:
    with database.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Evening GP slots"))
    with database.read() as session:
        publish_site(session, [meeting.id], tmp_path)
    page = browser_page
    page.goto((tmp_path / "ideas.html").as_uri())
    page.fill("#find-ref", "testcode23/I-0001")
    page.press("#find-ref", "Enter")
    page.wait_for_url("**/ideas/testcode23/I-0001.html")
    assert page.locator("h1").inner_text() == "I-0001: Evening GP slots"
