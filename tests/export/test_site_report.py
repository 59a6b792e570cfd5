"""The "you said, we did" report on the published site: a small index page and each topic's
ideas on pages of ``page_size`` (``site_report``), every page reachable from the index by plain
relative links, every idea on exactly one page, topics named by people kept out of file names
and escaped, the page words in the site's language; the download stays one file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.meetings import meeting_topics
from meetingtui.domain.models import Meeting
from meetingtui.export.site import publish_site
from meetingtui.store.database import Database

SCRIPT = "<script>alert(1)</script>"
TOPICS = {"Transport": 7, SCRIPT: 2, "../../etc/passwd": 1, "a/b": 1, "": 1}


def _ideas(database: Database, meeting: Meeting, *, language: str = "") -> None:
    with database.write() as session:
        row = session.get(Meeting, meeting.id)
        assert row is not None
        row.topics = json.dumps([*meeting_topics(row), *(t for t in TOPICS if t)])
        if language:
            row.language = language
        for topic, count in TOPICS.items():
            for n in range(count):
                title = f"Idea {n} about {topic or 'nothing'}"
                capture_idea(
                    session, meeting_id=meeting.id, data=IdeaInput(title=title, topic=topic)
                )


def _publish(database: Database, meeting: Meeting, out: Path, page_size: int) -> list[Path]:
    with database.read() as session:
        return publish_site(session, [meeting.id], out, page_size=page_size)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _links(page: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', page)


def _next(page: str) -> str | None:
    found = re.search(r'<a href="([^"]+)" rel="next">', page)
    return found.group(1) if found else None


@pytest.fixture
def site(tmp_path: Path, database: Database, meeting: Meeting) -> tuple[Path, list[Path]]:
    _ideas(database, meeting)
    out = tmp_path / "site"
    return out, _publish(database, meeting, out, page_size=3)


def test_every_topic_page_is_reached_from_the_index_and_each_idea_is_on_one(site) -> None:
    out, written = site
    index = _read(out / "you-said-we-did.html")
    firsts = re.findall(r'<li><a href="(report/topic-\d+-1\.html)">', index)
    assert len(firsts) == len(TOPICS)
    reached: list[Path] = []
    refs: list[str] = []
    for first in firsts:
        path: Path | None = out / first
        count = 0
        while path is not None:
            count += 1
            text = _read(path)
            reached.append(path)
            refs += re.findall(r'<span class="ref"><a href="[^"]+">([^<]+)</a>', text)
            following = _next(text)
            path = path.parent / following if following else None
        assert count >= 1
    pages = sorted((out / "report").glob("*.html"))
    assert sorted(reached) == pages  # every page reachable, none left over
    assert set(pages) <= set(written)
    total = sum(TOPICS.values())
    assert sorted(refs) == sorted(f"testcode23/I-{n:04d}" for n in range(1, total + 1))
    transport = [p for p in reached if "Idea 0 about Transport" in _read(p)]
    assert len(transport) == 1
    first = _read(transport[0])
    assert "7 ideas: " in first and "page 1 of 3" in first and "Previous page" not in first
    last = _read(transport[0].with_name(transport[0].name.replace("-1.html", "-3.html")))
    assert "page 3 of 3" in last and 'rel="prev"' in last and 'rel="next"' not in last
    assert len(re.findall(r'<div class="idea">', last)) == 1  # 7 = 3 + 3 + 1


def _links_resolve(out: Path) -> None:
    for path in [out / "you-said-we-did.html", *(out / "report").glob("*.html")]:
        for link in _links(_read(path)):
            assert not link.startswith(("http", "/", "//")), link
            target = (path.parent / link.split("#")[0]).resolve()
            assert target.is_file(), f"{path.relative_to(out)} links to missing {link}"


def test_every_link_of_the_report_resolves(site) -> None:
    out, _ = site
    _links_resolve(out)
    assert 'href="you-said-we-did.html"' in _read(out / "index.html")


def test_the_report_index_links_its_themes_pages(tmp_path: Path, database: Database) -> None:
    from tests.export.test_site_merges import _site

    out = tmp_path / "site"
    _site(database, out)
    index = _read(out / "you-said-we-did.html")
    assert '<section class="themes" id="themes">' in index
    assert re.search(r'<h3><a href="themes/[0-9a-f]{16}\.html">', index)
    assert 'href="themes/index.html"' in index
    _links_resolve(out)


def test_topics_named_by_people_are_escaped_and_kept_out_of_file_names(site) -> None:
    out, _ = site
    names = [p.name for p in (out / "report").iterdir()]
    assert all(re.fullmatch(r"topic-\d+-\d+\.html", name) for name in names), names
    assert not (out / "etc").exists() and not (out.parent / "etc").exists()
    for path in [out / "you-said-we-did.html", *(out / "report").glob("*.html")]:
        assert SCRIPT not in _read(path)
    index = _read(out / "you-said-we-did.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</a>" in index
    assert "../../etc/passwd</a>" in index and "a/b</a>" in index


def test_the_download_stays_one_document(site) -> None:
    out, _ = site
    text = _read(out / "you-said-we-did.md")
    assert all(f"testcode23/I-{n:04d}" in text for n in range(1, sum(TOPICS.values()) + 1))
    assert "report/" not in text


def test_republished_with_bigger_pages_no_old_report_page_stays(
    site, database: Database, meeting: Meeting
) -> None:
    out, _ = site
    assert any(p.name.endswith("-3.html") for p in (out / "report").iterdir())
    written = _publish(database, meeting, out, page_size=200)
    assert sorted((out / "report").glob("*.html")) == sorted(
        p for p in written if p.parent == out / "report"
    )
    assert not any(p.name.endswith("-2.html") for p in (out / "report").iterdir())


def test_the_report_pages_speak_the_sites_language(
    tmp_path: Path, database: Database, meeting: Meeting
) -> None:
    _ideas(database, meeting, language="es")
    out = tmp_path / "site"
    _publish(database, meeting, out, page_size=3)
    index = _read(out / "you-said-we-did.html")
    assert '<html lang="es">' in index and "Dijiste, hicimos" in index
    assert "Ideas por tema" in index and "(sin tema)</a>" in index
    assert "7 ideas: Aceptada 0" in index
    middle = next(p for p in (out / "report").glob("*-2.html") if "3 de 3" not in _read(p))
    text = _read(middle)
    assert "página 2 de 3" in text
    assert "Página anterior" in text and "Página siguiente" in text
    assert "Previous" not in text and "Next" not in text and "page 2" not in text
