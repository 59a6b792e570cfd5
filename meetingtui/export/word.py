"""Minutes as a real Word document (python-docx): headings, tables and page numbers, opening in
Word and LibreOffice alike."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from meetingtui.export.markdown import appendix_fields, idea_facts, item_line, meeting_facts
from meetingtui.export.minutes import IdeaEntry, ItemEntry, Minutes, summary_line

# XML 1.0 forbids most control characters; python-docx would raise on them.
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _safe(text: str) -> str:
    return _XML_UNSAFE.sub("", text)


def _add_page_number_footer(document) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Page ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _table(document, header: list[str] | None, rows: list[list[str]]) -> None:
    """A grid table; with no header, the first column is bold (a label: value table)."""
    columns = len(header) if header else len(rows[0]) if rows else 2
    table = document.add_table(rows=1 if header else 0, cols=columns)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells if header else [], header or [], strict=True):
        cell.text = title
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = _safe(value)
        if not header and cells[0].paragraphs[0].runs:
            cells[0].paragraphs[0].runs[0].bold = True


def _idea(document, idea: IdeaEntry) -> None:
    paragraph = document.add_paragraph(style="List Bullet")
    paragraph.add_run(idea.ref).bold = True
    paragraph.add_run(" " + _safe(idea.title))
    paragraph.add_run(f" — {_safe(idea_facts(idea))}").italic = True
    who = ", ".join(f for f in (idea.raised_by, idea.organisation) if f)
    if who:
        document.add_paragraph(f"Raised by {_safe(who)}.")
    if idea.detail:
        document.add_paragraph(_safe(idea.detail), style="Quote")
    for comment in idea.comments:
        author = f" ({comment.author})" if comment.author else ""
        document.add_paragraph(_safe(f"Comment{author}: {comment.body}"), style="List Bullet 2")


def _item(document, item: ItemEntry) -> None:
    document.add_heading(_safe(f"{item.position}. {item.title}"), level=2)
    document.add_paragraph(item_line(item)).runs[0].italic = True
    if item.presenter:
        document.add_paragraph(_safe(f"Presenter: {item.presenter}"))
    if item.notes:
        document.add_paragraph(_safe(item.notes))
    for kind, heading in (("decision", "Decisions"), ("action", "Actions"), ("note", "Notes")):
        records = item.records_of(kind)
        if not records:
            continue
        document.add_heading(heading, level=3)
        for record in records:
            extra = "; ".join(
                e
                for e in (
                    f"owner: {record.owner}" if record.owner else "",
                    f"due {record.due}" if record.due else "",
                )
                if e
            )
            text = f"{record.text} ({extra})" if extra else record.text
            document.add_paragraph(_safe(text), style="List Bullet")
    if item.speakers:
        document.add_heading("Speakers heard", level=3)
        for speaker in item.speakers:
            group = f" ({speaker.stakeholder})" if speaker.stakeholder else ""
            name = speaker.name or "Unnamed speaker"
            document.add_paragraph(_safe(f"{name}{group}, {speaker.started}"), style="List Bullet")
    document.add_heading("Ideas", level=3)
    if not item.ideas:
        document.add_paragraph("No ideas recorded.")
    for idea in item.ideas:
        _idea(document, idea)


def render_docx(minutes: Minutes) -> bytes:
    document = Document()
    document.core_properties.title = _safe(f"Minutes: {minutes.title}")
    document.core_properties.language = minutes.language or "en"
    document.styles["Normal"].font.size = Pt(11)
    _add_page_number_footer(document)

    document.add_heading(_safe(f"Minutes: {minutes.title}"), level=0)
    _table(document, None, [[name, value] for name, value in meeting_facts(minutes)])
    document.add_heading("Summary", level=1)
    document.add_paragraph(summary_line(minutes))
    document.add_paragraph(
        f"Planned {minutes.planned_minutes} min; held {minutes.actual_minutes:.0f} min."
    )
    if minutes.ideas_by_topic:
        _table(document, ["Topic", "Ideas"], [[t, str(n)] for t, n in minutes.ideas_by_topic])
    if minutes.ideas_by_stakeholder:
        document.add_paragraph()
        _table(
            document,
            ["Stakeholder group", "Ideas"],
            [[s, str(n)] for s, n in minutes.ideas_by_stakeholder],
        )

    document.add_heading("Agenda", level=1)
    for item in minutes.items:
        _item(document, item)
    if minutes.unassigned_ideas:
        document.add_heading("Ideas outside the agenda", level=1)
        for idea in minutes.unassigned_ideas:
            _idea(document, idea)

    document.add_heading("Appendix: every idea in full", level=1)
    if not minutes.all_ideas:
        document.add_paragraph("No ideas were recorded.")
    for idea in minutes.all_ideas:
        document.add_heading(idea.ref, level=2)
        _table(
            document,
            None,
            [[name, value] for name, value in appendix_fields(idea) if value],
        )
    document.add_paragraph(
        f"Minutes generated {minutes.generated_at} by meetingtui. "
        "Names appear only where people agreed to publish them."
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
