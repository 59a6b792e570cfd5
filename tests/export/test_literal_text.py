"""People's words reach the Markdown minutes and the CSV exactly as typed: no lists, headings,
entities or formulas made out of them."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from markdown_it import MarkdownIt

from meetingtui.export.csv_table import _cell
from meetingtui.export.markdown import md_text

TYPED = [
    "1) first point",
    "2. second point",
    "  10) indented",
    "&lt;b&gt; is how you write <b>",
    "AT&T &amp; friends &#169; &copy;",
    "- not a list",
    "+ not a list either",
    "* nor this",
    "# not a heading",
    "Title\n===",
    "Title\n---",
    "> not a quote",
    "`code` and ```fences```",
    "[link](http://example.com) ![img](x.png)",
    "<script>alert(1)</script>",
    "a | b | c",
    "~~strike~~ _under_ *star* **bold**",
    "back\\slash \\*",
    "    four spaces of indent",
    "http://example.com/auto",
    "1\\) already escaped",
]


def _rendered_text(markdown: str) -> str:
    out = MarkdownIt("commonmark").render(markdown)
    out = re.sub(r"<[^>]+>", "", out)
    return html.unescape(out)


@pytest.mark.parametrize("typed", TYPED)
def test_markdown_shows_text_literally(typed: str) -> None:
    for line in typed.splitlines():
        rendered = _rendered_text(md_text(line))
        assert " ".join(rendered.split()) == " ".join(line.split()), md_text(line)
    html_out = MarkdownIt("commonmark").render(md_text(typed.splitlines()[0]))
    assert "<ol" not in html_out and "<ul" not in html_out and "<h" not in html_out
    assert "<script" not in html_out and "<code" not in html_out and "<a " not in html_out


@pytest.mark.parametrize(
    "value", ["=1+1", "\ufeff=1+1", "\ufeff\ufeff@SUM(A1)", " =1+1", "\u200b=HYPERLINK(x)"]
)
def test_csv_defuses_formulas_behind_invisible_characters(value: str) -> None:
    cell = _cell(value)
    assert cell.startswith("'"), cell
    buffer = io.StringIO()
    csv.writer(buffer).writerow([cell])
    assert next(csv.reader(io.StringIO(buffer.getvalue())))[0] == cell


def test_csv_leaves_ordinary_text_alone() -> None:
    assert _cell("Evening GP slots") == "Evening GP slots"
    assert _cell("👩\u200d⚕️ nurse") == "👩\u200d⚕️ nurse"


@pytest.mark.parametrize("typed", ["Title\n===", "Title\n---", "a\n1) b\n    c"])
def test_markdown_lines_together_make_no_heading_list_or_code(typed: str) -> None:
    out = MarkdownIt("commonmark").render(md_text(typed))
    assert not re.search(r"<(h\d|ol|ul|pre|code|hr)", out), out


def test_docx_keeps_markup_like_text_as_text() -> None:
    import docx

    from meetingtui.export import render_minutes
    from meetingtui.export.minutes import minutes_from_snapshot
    from tests.export.fixture_meeting import NOW, fixture_snapshot

    snapshot = fixture_snapshot()
    hostile = '</w:t></w:r></w:p><w:p><w:r><w:t>injected & "quoted" \x07'
    snapshot.ideas[0].title = hostile
    data = render_minutes(minutes_from_snapshot(snapshot, now=NOW), "docx")
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert any('</w:t></w:r></w:p><w:p><w:r><w:t>injected & "quoted" ' in t for t in texts)
    assert not any(t == "injected" for t in texts)
