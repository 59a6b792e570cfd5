"""The published idea catalogue in a real headless Chromium, opened from file:// with no
network: the offline search filters the ideas and the page logs no errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.export.site import publish_site

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


def test_catalogue_search_works_from_file(tmp_path: Path, database, meeting) -> None:
    from playwright.sync_api import sync_playwright

    with database.write() as session:
        for title, topic in [
            ("Evening GP slots", "GP and primary care access"),
            ("Night bus to the hospital", "Travel and transport to services"),
            ("Peer support for carers", "Mental health"),
        ]:
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=title, topic=topic))
    with database.read() as session:
        publish_site(session, [meeting.id], tmp_path)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((tmp_path / "ideas.html").as_uri())
        assert page.locator("#ideas tbody tr:visible").count() == 3
        page.fill("#q", "transport")
        visible = page.locator("#ideas tbody tr:visible")
        assert visible.count() == 1 and "Night bus" in visible.inner_text()
        assert page.inner_text("#count") == "1 idea"
        page.fill("#q", "")
        assert page.locator("#ideas tbody tr:visible").count() == 3
        page.click("text=I-0001")
        assert page.url.endswith(f"meetings/{meeting.code}.html#I-0001")
        assert page.locator("h1").inner_text().startswith("Minutes: ")
        browser.close()
    assert errors == []
