"""Merged ideas and themes on the published site, on SQLite and PostgreSQL (found by review):
an idea page's two support figures agree (each device once across the merge); a theme's count
is of distinct devices; a merged idea's page points to the kept idea's outcome rather than
inheriting a theme's response as if it were live; every page's navigation links the themes'
pages when the site has them. Plain HTML parsing proves each point; hidden input appears
nowhere."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from meetingtui.domain import lifecycle, merging, themes
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.moderation import set_visibility
from meetingtui.domain.programmes import find_programme
from meetingtui.domain.states import IdeaStatus
from meetingtui.domain.supports import toggle_support
from meetingtui.export.site import publish_site
from tests.domain.test_lifecycle_answers import new_meeting

THEME_ANSWER = "THEME-ANSWER for every bus idea"
KEPT_ANSWER = "Lanes on the high street by spring"


class _Page(HTMLParser):
    """Text by element id, the navigation's links, and the facts list (dt -> dd)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, str] = {}
        self.nav_links: list[str] = []
        self.facts: dict[str, str] = {}
        self.order: list[str] = []  # ids and h2 texts, in document order
        self._open: list[tuple[str, str | None]] = []
        self._nav = 0
        self._dt = ""
        self._in: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "nav":
            self._nav += 1
        if tag == "a" and self._nav and attributes.get("href"):
            self.nav_links.append(attributes["href"] or "")
        if element_id := attributes.get("id"):
            self.by_id.setdefault(element_id, "")
            self.order.append(element_id)
        self._open.append((tag, attributes.get("id")))
        if tag in ("dt", "dd", "h2"):
            self._in, self._text = tag, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._nav -= 1
        while self._open:
            opened, _ = self._open.pop()
            if opened == tag:
                break
        if tag == self._in:
            if tag == "dt":
                self._dt = self._text.strip()
            elif tag == "dd":
                self.facts[self._dt] = self._text.strip()
            else:
                self.order.append(f"h2:{self._text.strip()}")
            self._in = None

    def handle_data(self, data: str) -> None:
        for _, element_id in self._open:
            if element_id:
                self.by_id[element_id] += data
        if self._in:
            self._text += data


def _read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _site(database, out: Path, *, kept_answer: str = KEPT_ANSWER, theme: bool = True) -> None:
    """East: A "Bus lane on Main Street", B "Faster buses", C "Cycle racks" and
    H "HIDDEN-SOURCE" (merged into B, then hidden). Phones: A p1 p2; B p2 p3; C p1; H p4.
    B answered (adopted, ``kept_answer``), A and H merged into it; theme "Buses" with A, B, C
    and a published response."""
    with database.write() as session:
        meeting = new_meeting(session, "East", "Transport", code="eastcode23")
        ids = {
            key: capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=title)).id
            for key, title in (
                ("A", "Bus lane on Main Street"),
                ("B", "Faster buses"),
                ("C", "Cycle racks"),
                ("H", "HIDDEN-SOURCE words"),
            )
        }
        for ref, devices in (
            ("I-0001", ("p1", "p2")),
            ("I-0002", ("p2", "p3")),
            ("I-0003", ("p1",)),
            ("I-0004", ("p4",)),
        ):
            for device in devices:
                toggle_support(session, meeting_id=meeting.id, idea_ref=ref, device=device)
    with database.write() as session:
        lifecycle.review_ideas(
            session,
            idea_ids=[ids["B"]],
            review=lifecycle.Review(status=IdeaStatus.ADOPTED, response=kept_answer, publish=True),
        )
        merging.merge_ideas(session, [ids["A"], ids["H"]], ids["B"], "Clerk")
        set_visibility(
            session, meeting_id=meeting.id, entity="idea", entity_id=ids["H"], visibility="hidden"
        )
        if theme:
            programme = find_programme(session, "Transport")
            made = themes.add_theme(session, programme=programme, name="Buses")
            themes.assign_ideas(session, theme=made, idea_ids=[ids["A"], ids["B"], ids["C"]])
            themes.edit_theme(session, theme=made, response=THEME_ANSWER, publish=True)
    with database.read() as session:
        publish_site(session, [meeting.id], out, programme=find_programme(session, "Transport"))


@pytest.fixture
def site(any_database, tmp_path: Path) -> Path:
    out = tmp_path / "site"
    _site(any_database, out)
    return out


def test_an_idea_page_says_one_support_figure(site: Path) -> None:
    kept = _read(site / "ideas/eastcode23/I-0002.html")
    # p1 (through A), p2 (both: once), p3; the hidden H's p4 not at all.
    assert kept.facts["Supports"] == "3"
    assert kept.by_id["combined-supports"].strip() == "Supporters: 3"
    source = _read(site / "ideas/eastcode23/I-0001.html")
    assert source.facts["Supports"] == "2"  # a merged idea keeps its own supports


def test_a_theme_counts_each_device_once(site: Path) -> None:
    [page] = [p for p in (site / "themes").glob("*.html") if p.name != "index.html"]
    counts = _read(page).by_id["counts"]
    assert "3 ideas" in counts and "3 supports" in counts  # p1 p2 p3; not 2+2+1
    index = (site / "themes/index.html").read_text(encoding="utf-8")
    assert re.search(r'<td class="num">3</td><td class="num">3</td>', index)


def test_a_merged_idea_page_points_to_the_kept_ideas_outcome(site: Path) -> None:
    source = _read(site / "ideas/eastcode23/I-0001.html")
    assert "I-0002: Faster buses" in source.by_id["merged-into"]
    outcome = source.by_id["merged-outcome"]
    assert "What became of I-0002:" in outcome and "Adopted" in outcome
    assert source.by_id["response"] == KEPT_ANSWER
    text = (site / "ideas/eastcode23/I-0001.html").read_text(encoding="utf-8")
    assert THEME_ANSWER not in text and "Our response to the theme" not in text
    assert 'class="inherited"' not in text
    # Said first thing, with what became of it, not at the bottom of the page.
    assert source.order.index("merged-into") < source.order.index("h2:Where and when it was raised")
    # C, live and without an answer, still inherits the theme's.
    live = (site / "ideas/eastcode23/I-0003.html").read_text(encoding="utf-8")
    assert THEME_ANSWER in live and "Our response to the theme Buses" in live


def test_the_kept_ideas_own_inherited_answer_is_its_outcome(any_database, tmp_path: Path) -> None:
    out = tmp_path / "site"
    _site(any_database, out, kept_answer="")
    source = _read(out / "ideas/eastcode23/I-0001.html")
    assert "Adopted" in source.by_id["merged-outcome"]
    # B has no answer of its own: its outcome is its theme's, said to be the theme's.
    assert source.by_id["response"] == THEME_ANSWER
    text = (out / "ideas/eastcode23/I-0001.html").read_text(encoding="utf-8")
    assert "Our response to the theme Buses" in text


def test_hidden_input_appears_nowhere(site: Path) -> None:
    for path in site.rglob("*.*"):
        if path.suffix in (".html", ".md", ".csv", ".json", ".js"):
            assert "HIDDEN-SOURCE" not in path.read_text(encoding="utf-8"), path


def _navigated(site: Path) -> list[Path]:
    return [
        site / "ideas.html",
        site / "you-said-we-did.html",
        site / "plan/index.html",
        site / "meetings/eastcode23.html",
        *sorted((site / "catalogue").rglob("*.html")),
        *sorted((site / "ideas").rglob("*.html")),
        *sorted(p for p in (site / "themes").glob("*.html") if p.name != "index.html"),
    ]


def test_every_page_navigates_to_the_themes(site: Path) -> None:
    pages = _navigated(site)
    assert len(pages) >= 10
    for path in pages:
        links = _read(path).nav_links
        assert any(
            link.endswith("themes/index.html")
            or (path.parent.name == "themes" and link == "index.html")
            for link in links
        ), f"{path.relative_to(site)}: {links}"
        for link in links:  # and every link of it is to a page that exists
            target = (path.parent / link.split("#")[0]).resolve()
            assert target.exists(), f"{path.relative_to(site)} links {link}"
    ideas = _read(site / "ideas.html").nav_links
    assert "themes/index.html" in ideas


def test_a_site_without_themes_links_none(any_database, tmp_path: Path) -> None:
    out = tmp_path / "site"
    _site(any_database, out, theme=False)
    assert not (out / "themes").exists() or not list((out / "themes").glob("*.html"))
    for path in _navigated(out):
        if path.exists():
            assert not any("themes/" in link for link in _read(path).nav_links), path
