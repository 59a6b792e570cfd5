"""The published site's offline search folds as every search does (text_fold in Python, the same
fold in site.js): "nandu" finds "Ñandú", "CAFÉ" finds "cafe", in a real headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.programmes import find_programme
from meetingtui.export.site import publish_site
from tests.export.site_programme import build_programme
from tests.export.test_site_browser import CHROMIUM, browser_page  # noqa: F401


@pytest.fixture
def site(tmp_path: Path, database) -> Path:
    built = build_programme(database)
    with database.write() as session:
        capture_idea(
            session,
            meeting_id=built.meeting_ids[1],
            data=IdeaInput(title="Ñandú enclosure at the city farm", tags=["Zoológico"]),
        )
    with database.read() as session:
        programme = find_programme(session, "Riverside")
        publish_site(session, built.meeting_ids, tmp_path, programme=programme, page_size=2)
    return tmp_path


def test_the_search_data_are_folded(site: Path) -> None:
    shards = "".join(p.read_text() for p in (site / "data").glob("search-*.js"))
    assert "nandu enclosure at the city farm" in shards
    assert "zoologico" in shards
    assert "Ñandú enclosure at the city farm" in shards  # the title itself is shown as written


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
def test_offline_search_is_accent_insensitive_both_ways(site: Path, browser_page) -> None:  # noqa: F811
    page = browser_page
    page.goto((site / "ideas.html").as_uri())
    results = page.locator("#results li")
    for typed, wanted in (
        ("nandu", "Ñandú enclosure"),
        ("ÑANDÚ farm", "Ñandú enclosure"),
        ("zoologico", "Ñandú enclosure"),
        ("CAFÉ library", "A cafe in the library"),
        ("café", "A cafe in the library"),
    ):
        page.fill("#q", typed)
        page.locator("#count", has_text="1 idea").wait_for()
        assert wanted in results.inner_text(), typed
