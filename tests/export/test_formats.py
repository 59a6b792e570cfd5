"""Every export format on a fixed meeting: golden files, read-backs with the tools people use,
escaping, consent, and the same content in every format.

Regenerate the golden files after an intended change with: UPDATE_GOLDEN=1 pytest tests/export
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import uuid
from html.parser import HTMLParser
from pathlib import Path

import docx
import docx.table
import docx.text.paragraph
import jsonschema
import pytest

from meetingtui.export import FORMATS, render_minutes
from meetingtui.export.json_data import json_schema
from meetingtui.export.minutes import minutes_from_snapshot
from tests.export.fixture_meeting import NOW, fixture_snapshot

GOLDEN = Path(__file__).parent / "golden"
TEXT_FORMATS = ["md", "html", "csv", "json"]


@pytest.fixture(scope="module")
def minutes():
    return minutes_from_snapshot(fixture_snapshot(), now=NOW)


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_golden_files(minutes, fmt: str) -> None:
    rendered = render_minutes(minutes, fmt)
    golden = GOLDEN / f"minutes{FORMATS[fmt].suffix}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(rendered.encode("utf-8"))
    assert rendered == golden.read_bytes().decode("utf-8")


class _TextAndTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:  # noqa: ANN001
        self.tags.add(tag)
        for name, value in attrs:
            assert name in {"lang", "charset", "name", "content", "class", "id", "href"}, name
            if name == "href":
                assert not value.startswith(("http:", "https:", "//", "javascript:")), value

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_self_contained_escaped_and_printable(minutes) -> None:
    page = render_minutes(minutes, "html")
    parser = _TextAndTags()
    parser.feed(page)
    assert "script" not in parser.tags and "b" not in parser.tags  # input markup stays text
    assert "img" not in parser.tags and "link" not in parser.tags  # no external assets
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "@media print" in page and '<html lang="en">' in page
    text = "".join(parser.text)
    assert "Evening GP slots <b>now</b> 🩺" in text


def _docx_text(data: bytes) -> str:
    """Paragraphs and table cells in body order, with each paragraph's style: what Word shows."""
    document = docx.Document(io.BytesIO(data))
    lines = []
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p"):
            paragraph = docx.text.paragraph.Paragraph(block, document)
            lines.append(f"[{paragraph.style.name}] {paragraph.text}")
        elif block.tag.endswith("}tbl"):
            table = docx.table.Table(block, document)
            lines += ["| " + " | ".join(c.text for c in row.cells) + " |" for row in table.rows]
    return "\n".join(lines) + "\n"


def test_docx_golden_text(minutes) -> None:
    """The .docx zip holds timestamps, so its golden file is the text Word would show."""
    text = _docx_text(render_minutes(minutes, "docx"))
    golden = GOLDEN / "minutes.docx.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(text.encode("utf-8"))
    assert text == golden.read_bytes().decode("utf-8")


def test_docx_reads_back_with_headings_tables_and_page_numbers(minutes) -> None:
    data = render_minutes(minutes, "docx")
    document = docx.Document(io.BytesIO(data))
    styles = ("Heading", "Title")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(styles)]
    assert headings[0] == "Minutes: Santé & care: « your say » <2026>"
    assert "2. Open floor: *questions* and ideas" in headings
    assert "Appendix: every idea in full" in headings
    assert len(document.tables) >= 4
    footer_xml = document.sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer_xml


def test_csv_reads_back_one_row_per_idea_with_every_column(minutes) -> None:
    text = render_minutes(minutes, "csv")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [r["ref"] for r in rows] == ["I-0001", "I-0002"]
    first = rows[0]
    assert first["title"] == "Evening GP slots <b>now</b> 🩺"
    assert first["raised_by"] == "Zoë Müller" and first["tags"] == "access; évening"
    assert first["supports"] == "12" and first["comments"] == "1"
    assert "\n=SUM" in first["detail"]  # inside the cell, not at its start
    assert rows[1]["raised_by"] == "" and rows[1]["organisation"] == ""
    for column in (
        "title",
        "detail",
        "stakeholder",
        "channel",
        "topic",
        "scale",
        "benefits",
        "affects",
        "meeting",
        "agenda_item",
        "captured_by",
        "captured_at",
        "status",
        "response",
    ):
        assert column in first


def test_csv_defuses_formulas() -> None:
    from meetingtui.export.csv_table import _cell

    assert _cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert _cell("-1") == "'-1" and _cell("plain") == "plain"


def test_json_matches_its_schema(minutes) -> None:
    document = json.loads(render_minutes(minutes, "json"))
    jsonschema.Draft202012Validator.check_schema(json_schema())
    jsonschema.validate(document, json_schema())
    assert document["meeting"]["attendance"] == 87
    assert document["items"][1]["records"][1] == {
        "id": "00000000-0000-0000-0000-00000000002a",
        "kind": "action",
        "text": "Publish minutes | all formats",
        "owner": "Clerk",
        "due": "2026-12-10",
    }
    assert document["meeting"]["started_at"] == "2026-12-03T18:30:00+00:00"


def test_names_only_with_consent_in_every_format(minutes) -> None:
    for fmt in FORMATS:
        rendered = render_minutes(minutes, fmt)
        if isinstance(rendered, bytes):
            rendered = "\n".join(p.text for p in docx.Document(io.BytesIO(rendered)).paragraphs)
        assert "Private Person" not in rendered and "Hidden Org" not in rendered, fmt


def _rendered_text(minutes, fmt: str) -> str:
    rendered = render_minutes(minutes, fmt)
    return _plain(fmt, rendered) if isinstance(rendered, bytes) else rendered


def test_public_minutes_name_no_speaker_note_taker_or_comment_author(minutes) -> None:
    """Issue 8 #5: a speaker's name (typed on a phone or by the facilitator), the note-taker's
    login and a comment's author were published, though no form asks consent for them."""
    for fmt in FORMATS:
        text = _rendered_text(minutes, fmt)
        for name in ("Ana Souza", "Note-taker 1", "Note-taker 2", "(Sam)", '"Sam"'):
            assert name not in text, (fmt, name)
        assert "Zoë Müller" in text, fmt  # the one name given with consent
        assert "Not for publication" not in text
    document = json.loads(render_minutes(minutes, "json"))
    assert document["audience"] == "public" and "marking" not in document


def test_organisers_copy_names_everyone_and_is_marked_in_every_format() -> None:
    """The phone form promises "only the organisers see your name": their copy shows it."""
    from meetingtui.domain.public import Audience

    copy = minutes_from_snapshot(fixture_snapshot(), now=NOW, audience=Audience.ORGANISERS)
    for fmt in FORMATS:
        text = _rendered_text(copy, fmt)
        assert "Not for publication" in text, fmt
        names: tuple[str, ...] = ("Private Person", "Hidden Org")
        if fmt in ("csv", "json"):  # the data formats carry every column
            names += ("Note-taker 1",)
        if fmt != "csv":  # one row per idea: no speakers, no comment text
            names += ("Ana Souza", "Sam")
        for name in names:
            assert name in text, (fmt, name)
    assert render_minutes(copy, "md").splitlines()[2].startswith("**Not for publication")
    assert render_minutes(copy, "csv").removeprefix("\ufeff").startswith("Not for publication")
    document = json.loads(render_minutes(copy, "json"))
    jsonschema.validate(document, json_schema())
    assert document["audience"] == "organisers" and "Not for publication" in document["marking"]
    assert document["items"][1]["ideas"][0]["captured_by"] == "Note-taker 1"
    assert "do not publish this copy" in render_minutes(copy, "html")


def _plain(fmt: str, rendered: str | bytes) -> str:
    """Format-neutral text of an export, to compare what each one says."""
    if fmt == "docx":
        document = docx.Document(io.BytesIO(rendered))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if fmt == "html":
        parser = _TextAndTags()
        parser.feed(rendered)
        return "".join(parser.text)
    if fmt == "md":
        return re.sub(r"\\(.)", r"\1", rendered)
    if fmt == "json":
        return json.dumps(json.loads(rendered), ensure_ascii=False)
    return rendered


def test_every_minutes_format_says_the_same(minutes) -> None:
    expected = [minutes.title, minutes.location, "87"]
    for item in minutes.items:
        expected.append(item.title)
        expected += [r.text for r in item.records]
        expected += [s.name for s in item.speakers if s.name]
    for idea in minutes.all_ideas:
        expected += [idea.ref, idea.title, idea.topic, idea.stakeholder, idea.response]
        expected += [c.body for c in idea.comments]
    expected = [e for e in expected if e]
    for fmt in ("md", "html", "docx", "json"):
        text = _plain(fmt, render_minutes(minutes, fmt))
        missing = [e for e in expected if e not in text]
        assert missing == [], f"{fmt} lacks {missing}"
    csv_text = render_minutes(minutes, "csv")
    for idea in minutes.all_ideas:
        for value in (idea.ref, idea.title, idea.response, idea.topic):
            assert value in csv_text


def test_a_speaker_without_a_group_reads_naturally_in_every_format() -> None:
    """Found by review: a speaker who gave no stakeholder group was "Speaker, 18:50", and one
    who gave a group "Speaker (Resident)": the public copy names nobody, so every nameless
    speaker began with that stray word. Now: the name and group, the name, the group, or
    "A speaker" when neither was given, in one line every format prints."""
    from datetime import timedelta

    from meetingtui.domain.models import Speaker
    from meetingtui.domain.public import Audience
    from tests.export.fixture_meeting import T0

    snapshot = fixture_snapshot()
    for n, (name, minute) in enumerate([("Asha Rahman", 20), ("", 25)]):
        snapshot.speakers.append(
            Speaker(
                id=uuid.UUID(int=60 + n),
                meeting_id=snapshot.meeting.id,
                agenda_item_id=snapshot.speakers[0].agenda_item_id,
                name=name,
                stakeholder="",
                source="floor",
                status="done",
                requested_at=T0 + timedelta(minutes=minute - 1),
                started_at=T0 + timedelta(minutes=minute),
                ended_at=T0 + timedelta(minutes=minute + 2),
            )
        )
    expected = {
        Audience.PUBLIC: ["Resident, 18:44", "A speaker, 18:50", "A speaker, 18:55"],
        Audience.ORGANISERS: [
            "Ana Souza (Resident), 18:44",
            "Asha Rahman, 18:50",
            "A speaker, 18:55",
        ],
    }
    for audience, lines in expected.items():
        minutes = minutes_from_snapshot(snapshot, now=NOW, audience=audience)
        md = render_minutes(minutes, "md")
        parser = _TextAndTags()
        parser.feed(render_minutes(minutes, "html"))
        html_text = "".join(parser.text)
        docx_text = _docx_text(render_minutes(minutes, "docx"))
        for line in lines:
            assert f"- {line}\n" in md, (audience, line)
            assert line in html_text, (audience, line)
            assert f"[List Bullet] {line}\n" in docx_text, (audience, line)
        for text in (md, html_text, docx_text):
            assert "Speaker," not in text and "Speaker (" not in text
