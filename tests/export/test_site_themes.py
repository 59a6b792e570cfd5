"""Themes on the published site and in the "you said, we did" report, on SQLite and
PostgreSQL: a themes page and a page per published theme listing only the ideas the public may
see (and counting only those), each idea's page with its themes and, where it has no response
of its own, the theme's (said to be the theme's); draft themes and drafts of published ones
nowhere; the report's themes section in Markdown, HTML and Word."""

from __future__ import annotations

import io
from pathlib import Path

from sqlmodel import select

from meetingtui.domain import themes
from meetingtui.domain.models import Idea
from meetingtui.domain.programmes import find_programme
from meetingtui.export.report import build_report
from meetingtui.export.report_formats import write_report
from meetingtui.export.site import publish_site
from meetingtui.store.database import Database
from tests.export.site_programme import FORBIDDEN, HOSTILE, build_programme

THEME = "Getting about <b>"
PRIVATE = [*FORBIDDEN, "DRAFT-THEME", "DRAFT-THEME-RESPONSE", "DRAFT-SUMMARY"]


def _themed(database: Database):
    built = build_programme(database)
    with database.write() as session:
        programme = find_programme(session, "Riverside")
        ideas = {i.title: i.id for i in session.exec(select(Idea))}
        theme = themes.add_theme(session, programme=programme, name=THEME, summary="Travel & GP")
        themes.assign_ideas(
            session,
            theme=theme,
            idea_ids=[
                ideas[HOSTILE],
                ideas["Evening GP appointments"],
                ideas["HIDDEN-IDEA about buses"],
                ideas["PENDING-IDEA about buses"],
                ideas["A cafe in the library"],
            ],
        )
        themes.edit_theme(session, theme=theme, response="We will fix getting about.", publish=True)
        themes.edit_theme(
            session, theme=theme, summary="DRAFT-SUMMARY", response="DRAFT-THEME-RESPONSE"
        )
        draft = themes.add_theme(session, programme=programme, name="DRAFT-THEME")
        themes.assign_ideas(session, theme=draft, idea_ids=[ideas["Benches at the bus stops"]])
    return built


def _publish(database: Database, out: Path) -> list[Path]:
    built = _themed(database)
    with database.read() as session:
        programme = find_programme(session, "Riverside")
        return publish_site(session, built.meeting_ids, out, programme=programme, page_size=2)


def test_themes_pages_show_only_what_the_public_may_see(any_database, tmp_path: Path) -> None:
    out = tmp_path / "site"
    written = _publish(any_database, out)
    for path in written:
        text = path.read_text(encoding="utf-8")
        shown = [word for word in PRIVATE if word in text]
        assert not shown, f"{path.relative_to(out)} shows {shown}"
    index = (out / "themes" / "index.html").read_text(encoding="utf-8")
    assert "Getting about &lt;b&gt;" in index and "Travel &amp; GP" in index
    assert 'href="themes/index.html"' in (out / "index.html").read_text(encoding="utf-8")
    [page] = [p for p in written if p.parent.name == "themes" and p.name != "index.html"]
    text = page.read_text(encoding="utf-8")
    assert "We will fix getting about." in text
    assert "3 ideas" in text  # the hidden and the pending ones are neither listed nor counted
    assert "riverone1/I-0001" in text and "riverone1/I-0002" in text
    assert "rivertwo2/I-0002" in text and "riverone1/I-0004" not in text
    assert "riverone1/I-0005" not in text
    assert "Spoken at meeting 3" in text
    assert "The theme&#39;s response" in text or "The theme's response" in text


def test_an_idea_page_shows_its_themes_and_the_inherited_response(any_database, tmp_path) -> None:
    out = tmp_path / "site"
    _publish(any_database, out)
    gp = (out / "ideas" / "riverone1" / "I-0002.html").read_text(encoding="utf-8")
    assert "Our response to the theme Getting about &lt;b&gt;" in gp
    assert 'class="inherited">We will fix getting about.</blockquote>' in gp
    assert '<ul id="themes">' in gp and "../../themes/" in gp
    bus = (out / "ideas" / "riverone1" / "I-0001.html").read_text(encoding="utf-8")
    assert "We will run a night bus from March." in bus  # its own response wins
    assert "We will fix getting about." not in bus
    assert "Getting about &lt;b&gt;" in bus  # but it sits in the theme
    bench = (out / "ideas" / "riverone1" / "I-0003.html").read_text(encoding="utf-8")
    assert 'id="themes"' not in bench  # its only theme is a draft
    # The public history says the idea was added to the theme.
    assert "Theme" in gp and ">Getting about &lt;b&gt;</td>" in gp


def _report(database, fmt: str) -> str | bytes:
    out: io.StringIO | io.BytesIO = io.BytesIO() if fmt == "docx" else io.StringIO()
    with database.read() as session:
        report = build_report(session, find_programme(session, "Riverside"))
        write_report(session, report, fmt, out)
    return out.getvalue()


def test_the_report_has_a_themes_section_and_marks_inherited_responses(any_database) -> None:
    from docx import Document

    _themed(any_database)
    text = _report(any_database, "md")
    assert isinstance(text, str)
    assert not [word for word in PRIVATE if word in text]
    themes_part = text[text.index("## Themes") :]
    assert "### Getting about \\<b\\>" in themes_part
    assert "- **Response:** We will fix getting about." in themes_part
    assert "- **Ideas:** 3" in themes_part
    assert "riverone1/I-0002 Evening GP appointments (Waiting for an answer)" in themes_part
    gp = text[text.index("riverone1/I-0002") :]
    assert gp.index(
        "- **Response (inherited from the theme Getting about \\<b\\>):** We will fix"
    ) < (gp.index("###"))
    html = _report(any_database, "html")
    assert isinstance(html, str)
    assert 'id="themes"' in html and "Getting about &lt;b&gt;" in html
    assert "Response (inherited from the theme Getting about &lt;b&gt;)" in html
    assert not [word for word in PRIVATE if word in html]
    content = _report(any_database, "docx")
    assert isinstance(content, bytes)
    document = Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "Themes" in paragraphs and THEME in paragraphs
    assert "Response (inherited from the theme Getting about <b>)" in cells
    assert not [word for word in PRIVATE if word in "\n".join(paragraphs + cells)]
