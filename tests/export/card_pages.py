"""Printable cards measured as a browser lays them out (headless Chromium)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


def measure_cards(pages: list[Path], script: str) -> dict[str, Any]:
    """Each page's result of ``script`` (a JavaScript function), by file name; skips the test
    where Debian's Chromium is missing."""
    from tests.export.test_site_browser import CHROMIUM, LAUNCH_ARGS

    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's chromium")
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        page = browser.new_page()
        for path in pages:
            page.goto(path.as_uri())
            found[path.name] = page.evaluate(script)
        browser.close()
    return found
