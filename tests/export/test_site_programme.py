"""A programme's published site, on SQLite and on PostgreSQL: each idea's public page (status,
published response and reason, "reflected in v2, section 1.1", where and when, public
history), the plan's version and changes pages, the split catalogue, the data scripts, and
nothing the public may not see anywhere in the folder."""

from __future__ import annotations

import re
from pathlib import Path

from meetingtui import cli
from meetingtui.domain.programmes import find_programme
from meetingtui.export.site import publish_site
from meetingtui.store.database import Database
from tests.export.site_programme import FORBIDDEN, HOSTILE, build_programme


def _publish(database: Database, out: Path) -> list[Path]:
    built = build_programme(database)
    with database.read() as session:
        programme = find_programme(session, "Riverside")
        return publish_site(session, built.meeting_ids, out, programme=programme, page_size=2)


# When a page was written (a minute apart between two runs): "Wednesday 2 December 2026, 19:45",
# and ISO times in the data files.
_GENERATED = re.compile(r"\w+ \d{1,2} \w+ \d{4}, \d{2}:\d{2}|\d{4}-\d{2}-\d{2}T[0-9:.+Z-]+")


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_nothing_private_is_written_anywhere(any_database: Database, tmp_path: Path) -> None:
    out = tmp_path / "site"
    written = _publish(any_database, out)
    on_disk = sorted(p for p in out.rglob("*") if p.is_file())
    assert sorted(written) == on_disk
    for path in on_disk:
        text = _read(path)
        shown = [word for word in FORBIDDEN if word in text]
        assert not shown, f"{path.relative_to(out)} shows {shown}"
        if path.suffix in (".html", ".js"):
            assert "<img" not in text and "</script><" not in text, path
        if path.suffix == ".html":
            for link in re.findall(r'(?:href|src)="([^"]+)"', text):
                assert not link.startswith(("http", "/", "//")), link
                target = (path.parent / link.split("#")[0]).resolve()
                assert target.exists(), f"{path.relative_to(out)} links to missing {link}"
    # Hidden, pending and deleted ideas have no page (their refs are I-0004 to I-0006).
    assert sorted(p.name for p in (out / "ideas" / "riverone1").iterdir()) == [
        "I-0001.html",
        "I-0002.html",
        "I-0003.html",
    ]


def test_an_idea_page_says_what_became_of_it(any_database: Database, tmp_path: Path) -> None:
    out = tmp_path / "site"
    _publish(any_database, out)
    page = _read(out / "ideas" / "riverone1" / "I-0001.html")
    assert "Night bus &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; more" in page
    assert '<span class="badge" id="status">Adopted</span>' in page  # published, not the draft
    assert '<blockquote id="response">We will run a night bus from March.</blockquote>' in page
    assert '<a href="../../plan/v2.html#s-1.1">Reflected in v2, section 1.1 Night buses</a>' in page
    assert "Consenting Carol" in page  # consented
    assert "Riverside &lt;hearing&gt; one</a>, Monday 2 November 2026" in page
    history = page[page.index('<table id="history">') :]
    assert "<td>Plan version</td><td></td><td>v2 §1.1</td>" in history
    assert "<td>Status</td><td>New</td><td>Adopted</td>" in history
    assert "Yes &lt;/script&gt; please" in page and "Signed comment" in page
    bench = _read(out / "ideas" / "riverone1" / "I-0003.html")
    assert "Reflected in" not in bench  # its link to v1 is a draft
    assert "v1" not in page[page.index('<table id="history">') :]  # bus's relink: a draft
    assert '<span id="reason">The pavement is too narrow for benches.</span>' in bench
    assert "<td>Status</td><td>New</td><td>Not taken forward</td>" in bench
    waiting = _read(out / "ideas" / "riverone1" / "I-0002.html")
    assert "No response has been published yet." in waiting and "No published changes" in waiting


def test_version_pages_list_ideas_per_section_and_what_changed(
    any_database: Database, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    _publish(any_database, out)
    v2 = _read(out / "plan" / "v2.html")
    night = v2[v2.index('id="s-1.1"') : v2.index('id="s-1.2"')]
    assert "riverone1/I-0001</a>" in night and "Bus lanes on the high street" not in night
    lanes = v2[v2.index('id="s-1.2"') :]
    assert "rivertwo2/I-0001</a> Bus lanes on the high street" in lanes
    assert "It reflects 2 ideas" in v2
    changes = _read(out / "plan" / "v2-changes.html")
    assert "Sections added: 1. Removed: 1. Changed: 2. Ideas v2 cites: 2." in changes
    assert "<h2>Added: 1.2 Bus lanes</h2>" in changes and "<h2>Removed: 2 Health</h2>" in changes
    assert "<del>- Buses every hour.</del>\n<ins>+ Buses every half hour.</ins>" in changes
    index = _read(out / "plan" / "index.html")
    assert '<a href="v2-changes.html">' in index and '<a href="v1-changes.html">' not in index


def test_the_catalogue_is_split_into_pages(any_database: Database, tmp_path: Path) -> None:
    out = tmp_path / "site"
    _publish(any_database, out)
    first, second = out / "catalogue" / "riverone1-1.html", out / "catalogue" / "riverone1-2.html"
    assert "3 ideas · page 1 of 2" in _read(first) and 'href="riverone1-2.html"' in _read(first)
    assert 'href="riverone1-1.html" rel="prev"' in _read(second)
    catalogue = _read(out / "ideas.html")
    assert 'href="catalogue/topic-1-1.html">Health</a>' in catalogue
    assert 'href="catalogue/topic-3-1.html">(no topic)</a>' in catalogue
    refs = _read(out / "data" / "refs.js")
    assert (
        '"riverone1":{"t":"Riverside \\u003chearing\\u003e one","d":"riverone1","r":"1-3"' in refs
    )
    assert HOSTILE not in _read(out / "data" / "search-riverone1.js")  # escaped inside the JS
    assert "you-said-we-did.html" in _read(out / "index.html")
    report = _read(out / "you-said-we-did.html")  # the index; a topic's ideas on its pages
    assert 'href="report/topic-1-1.html">Health</a>' in report
    assert "riverone1/I-0001" in "".join(_read(p) for p in (out / "report").glob("*.html"))


def test_publish_command_takes_a_programme(tmp_path: Path, database: Database, capsys) -> None:
    build_programme(database)
    out = tmp_path / "site"
    assert cli.main(["--db", database.url, "publish", "-o", str(out)]) == 2
    assert "name one with --programme: Riverside" in capsys.readouterr().err
    assert (
        cli.main(["--db", database.url, "publish", "-o", str(out), "--programme", "Riverside"]) == 0
    )
    captured = capsys.readouterr()
    assert "Writing idea pages 5/5" in captured.err
    assert "Published 2 meetings of programme 'Riverside'" in captured.out
    assert (out / "ideas" / "rivertwo2" / "I-0002.html").exists()
    assert (
        cli.main(["--db", database.url, "publish", "-o", str(out), "--meeting", "rivertwo2"]) == 0
    )


def test_publishing_again_removes_the_page_of_an_idea_hidden_since(
    database: Database, tmp_path: Path
) -> None:
    """Found by a reviewer: the old page of an idea hidden after a publish stayed in the folder
    (and so on the web server) when the site was published again into it."""
    from sqlmodel import select

    from meetingtui.domain.models import Idea, Meeting
    from meetingtui.domain.moderation import set_visibility

    out = tmp_path / "site"
    built = build_programme(database)
    mine = out / "assets" / "my-logo.svg"
    with database.read() as session:
        programme = find_programme(session, "Riverside")
        publish_site(session, built.meeting_ids, out, programme=programme, page_size=2)
    mine.write_text("<svg/>", encoding="utf-8")
    page = out / "ideas" / "riverone1" / "I-0002.html"
    assert page.exists()
    with database.write() as session:
        idea = session.exec(
            select(Idea)
            .join(Meeting, Meeting.id == Idea.meeting_id)  # type: ignore[arg-type]
            .where(Idea.ref == "I-0002", Meeting.code == "riverone1")
        ).one()
        set_visibility(
            session,
            meeting_id=idea.meeting_id,
            entity="idea",
            entity_id=idea.id,
            visibility="hidden",
        )
    with database.read() as session:
        programme = find_programme(session, "Riverside")
        written = publish_site(session, built.meeting_ids, out, programme=programme, page_size=2)
    assert not page.exists()
    assert mine.exists()  # files the site did not write outside its own folders stay
    site_files = sorted(
        p
        for folder in ("meetings", "ideas", "catalogue", "data", "plan", "report")
        for p in (out / folder).rglob("*")
        if p.is_file()
    )
    assert site_files == sorted(p for p in written if p.parent != out and "assets" not in p.parts)


def test_a_version_without_its_text_is_not_shown_as_every_section_removed(
    database: Database, tmp_path: Path
) -> None:
    """Found by a reviewer: v3 added without --file listed every section of v2 as removed."""
    from meetingtui.domain import plans

    out = tmp_path / "site"
    built = build_programme(database)
    with database.write() as session:
        programme = find_programme(session, "Riverside")
        plans.add_version(session, programme=programme, name="v3", title="Final", date="2026-12-10")
    with database.read() as session:
        programme = find_programme(session, "Riverside")
        publish_site(session, built.meeting_ids, out, programme=programme, page_size=2)
    changes = _read(out / "plan" / "v3-changes.html")
    assert "Removed:" not in changes
    assert "Version v3 was published without the text of the plan" in changes


def test_worker_processes_write_the_same_site_as_one_process(
    any_database: Database, tmp_path: Path
) -> None:
    """With ``jobs`` above 1 the meetings are written by worker processes and the report beside
    them in one more; the site must be the one a single process writes."""
    built = build_programme(any_database)
    sites = {}
    for jobs in (1, 2):
        out = tmp_path / f"site-{jobs}"
        with any_database.read() as session:
            programme = find_programme(session, "Riverside")
            written = publish_site(
                session, built.meeting_ids, out, programme=programme, page_size=2, jobs=jobs
            )
        assert sorted(written) == sorted(p for p in out.rglob("*") if p.is_file())
        sites[jobs] = {p.relative_to(out): _GENERATED.sub("", _read(p)) for p in written}
    assert sites[1].keys() == sites[2].keys()
    assert Path("you-said-we-did.html") in sites[2]
    different = [path for path in sites[1] if sites[1][path] != sites[2][path]]
    assert not different
