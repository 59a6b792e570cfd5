"""The published site: relative links that all resolve (so it works from file://), escaping,
consent, and every meeting's minutes and data files."""

from __future__ import annotations

import re
from pathlib import Path

from meetingtui.domain import meetings
from meetingtui.domain.ideas import IdeaInput, add_comment, capture_idea
from meetingtui.export.site import publish_site


def _links(page: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', page)


def test_site_links_resolve_and_input_is_escaped(tmp_path: Path, database, meeting) -> None:
    with database.write() as session:
        capture_idea(
            session,
            meeting_id=meeting.id,
            data=IdeaInput(
                title="<img src=x onerror=alert(1)> Safer crossings", raised_by="Secret Name"
            ),
        )
        add_comment(session, meeting_id=meeting.id, idea_ref="I-0001", body="</script><b>hi")
    seen: list[tuple[int, int, str]] = []
    with database.read() as session:
        written = publish_site(
            session,
            [meeting.id],
            tmp_path / "site",
            progress=lambda d, t, label: seen.append((d, t, label)),
        )
    site = tmp_path / "site"
    assert {p.relative_to(site).as_posix() for p in written} == {
        "index.html",
        "ideas.html",
        "404.html",
        "meetings/testcode23.html",
        "meetings/testcode23.md",
        "meetings/testcode23.csv",
        "meetings/testcode23.json",
        "ideas/testcode23/I-0001.html",
        "catalogue/testcode23-1.html",
        "catalogue/topic-1-1.html",
        "data/search-testcode23.js",
        "data/refs.js",
        "assets/site.js",
        "plan/index.html",
        "you-said-we-did.html",
        "report/topic-1-1.html",
        "you-said-we-did.md",
    }
    assert seen[-1][0] == seen[-1][1]  # progress reaches the end
    assert any(label == "Writing idea pages" for _, _, label in seen)
    pages = [p.relative_to(site).as_posix() for p in written if p.suffix == ".html"]
    for page in pages:
        path = site / page
        text = path.read_text(encoding="utf-8")
        for link in _links(text):
            assert not link.startswith(("http", "/", "//")), link
            target = (path.parent / link.split("#")[0]).resolve()
            assert target.exists(), f"{page} links to missing {link}"
        assert "<img" not in text and "<b>hi" not in text
        assert "Secret Name" not in text
    catalogue = (site / "catalogue/testcode23-1.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt; Safer crossings" in catalogue
    shard = (site / "data/search-testcode23.js").read_text(encoding="utf-8")
    # The title as written (escaped for a script), and its words folded for the search.
    assert '"\\u003cimg src=x onerror=alert(1)\\u003e Safer crossings"' in shard
    assert '"i 0001 img src x onerror alert 1 safer crossings' in shard
    assert "</script>" not in shard and "<b>" not in shard


def test_site_lists_only_selected_meetings(tmp_path: Path, database, meeting) -> None:
    from meetingtui.agenda import load_agenda
    from tests.conftest import SAMPLE_AGENDAS

    with database.write() as session:
        other = meetings.create_meeting(
            session, agenda=load_agenda(SAMPLE_AGENDAS / "community_workshop.toml")
        )
    with database.read() as session:
        publish_site(session, [other.id], tmp_path)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Elm Park: co-design workshop" in index and meeting.title not in index


def test_a_site_with_no_meetings_has_every_page_it_links_to(tmp_path: Path, database) -> None:
    with database.read() as session:
        written = publish_site(session, [], tmp_path)
    for path in written:
        if path.suffix != ".html":
            continue
        text = path.read_text(encoding="utf-8")
        for link in _links(text):
            assert (path.parent / link.split("#")[0]).resolve().exists(), f"{path}: {link}"
    assert "No meetings yet." in (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "No plan version has been published yet." in (tmp_path / "plan/index.html").read_text(
        encoding="utf-8"
    )
