"""The "you said, we did" report (``export/report.py``) as Markdown, HTML or Word.

Each renderer writes to a stream as it reads the ideas, topic by topic, so the report of a
100,000-idea programme never sits whole in memory (Word aside: python-docx builds its package
in memory). People's words pass through the escaping of each format: ``md_text`` for Markdown,
Jinja2's autoescaping for HTML, plain runs (``word._Builder``) for Word. Every label is said in
the report's language (``wording``), as the minutes are.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import BinaryIO, TextIO

from sqlmodel import Session

from meetingtui.domain.i18n import html_lang
from meetingtui.export.markdown import md_text
from meetingtui.export.report import (
    OUTCOME_LABELS,
    OUTCOMES,
    Counts,
    Report,
    ReportIdea,
    ReportTheme,
    plan_reference,
    report_topics,
)
from meetingtui.export.wording import (
    field_label,
    gettext,
    in_language,
    long_date_time,
    number,
    plural,
    topic_name,
)

REPORT_FORMATS = ("md", "html", "docx")
SUFFIXES = {"md": ".md", "html": ".html", "docx": ".docx"}

_NOT_IN_A_NAME = re.compile(r"[^\w.]+")


def report_file_name(kind: str, programme: str, version: str, format: str) -> str:
    """The report's file name inside a folder given with ``-o``: a programme is named by people
    ("Budget 2027/28", "../x"), so every run of characters that is not a letter, digit or dot
    becomes one hyphen and the name can never leave the folder or make one."""
    parts = [kind, programme, version] if version else [kind, programme]
    tidy = [_NOT_IN_A_NAME.sub("-", part).strip("-.") or "-" for part in parts]
    return "-".join(tidy) + SUFFIXES[format]


def report_title(report: Report) -> str:
    return gettext("You said, we did: {programme}", programme=report.programme)


def version_line(report: Report) -> str:
    if not report.version:
        return gettext("Every idea of the programme, with what became of it.")
    return gettext(
        "Ideas reflected in plan version {version}: {title}.",
        version=report.version,
        title=report.version_title,
    )


def outcome_label(outcome: str) -> str:
    return gettext(OUTCOME_LABELS[outcome])


def counts_line(counts: Counts) -> str:
    """``12 ideas: adopted 4, adapted 2, not taken forward 1, merged 0, waiting 5``."""
    parts = [f"{outcome_label(key)} {number(counts.by_outcome.get(key, 0))}" for key in OUTCOMES]
    return plural(counts.total, "{count} idea", "{count} ideas") + ": " + ", ".join(parts)


def idea_fields(idea: ReportIdea) -> list[tuple[str, str]]:
    """The lines under an idea's heading, in order; empty ones are left out."""
    fields = [
        (field_label("Outcome"), outcome_label(idea.outcome)),
        (field_label("Reason"), idea.reason),
        (field_label("Merged into"), idea.merged_into),
        (
            gettext("Response (inherited from the theme {theme})", theme=idea.response_theme)
            if idea.response_theme and idea.response
            else field_label("Response"),
            idea.response or idea.target_response,
        ),
        (field_label("Reflected in"), plan_reference(idea)),
        (field_label("Meeting"), idea.meeting),
    ]
    return [(name, value) for name, value in fields if value]


def theme_fields(theme: ReportTheme) -> list[tuple[str, str]]:
    """The lines of a theme in the report: its summary, its response (or that there is none
    yet), how many ideas."""
    return [
        *([(field_label("Summary"), theme.summary)] if theme.summary else []),
        (
            field_label("Response"),
            theme.response or gettext("No response has been published yet."),
        ),
        (field_label("Ideas"), number(len(theme.ideas))),
    ]


def generated_sentence(report: Report) -> str:
    return gettext(
        "Generated {when} UTC from the published answers. Names are not shown.",
        when=long_date_time(report.generated_at),
    )


# ---------------------------------------------------------------------------- Markdown


def write_markdown(session: Session, report: Report, out: TextIO) -> None:
    with in_language(report.language):
        out.write(f"# {md_text(report_title(report))}\n\n{md_text(version_line(report))}\n\n")
        out.write(f"**{md_text(gettext('Summary'))}:** {md_text(counts_line(report.total))}\n")
        for part in report_topics(session, report):
            out.write(f"\n## {md_text(topic_name(report.topic_label(part.topic)))}\n\n")
            out.write(f"{md_text(counts_line(part.counts))}\n")
            for idea in part.ideas:
                out.write(
                    f"\n### {md_text(idea.full_ref)} {md_text(' '.join(idea.title.split()))}\n\n"
                )
                for name, value in idea_fields(idea):
                    out.write(f"- **{md_text(name)}:** {md_text(value)}\n")
        if not report.counts:
            out.write(f"\n{md_text(gettext('No ideas yet.'))}\n")
        if report.themes:
            out.write(f"\n## {md_text(gettext('Themes'))}\n")
        for theme in report.themes:
            out.write(f"\n### {md_text(theme.name)}\n\n")
            for name, value in theme_fields(theme):
                out.write(f"- **{md_text(name)}:** {md_text(value)}\n")
            for ref, title, outcome in theme.ideas:
                said = f"{ref} {' '.join(title.split())} ({outcome_label(outcome)})"
                out.write(f"- {md_text(said)}\n")
        out.write(f"\n{md_text(generated_sentence(report))}\n")


# ---------------------------------------------------------------------------- HTML


def html_chunks(session: Session, report: Report) -> Iterator[str]:
    """The report as one page to download or print, chunk by chunk (Jinja2 ``generate``). The
    published site has its own pages of it, split by topic (``site_report``)."""
    from meetingtui.export.html_page import template_environment

    with in_language(report.language):
        template = template_environment().get_template("report.html.j2")
        yield from template.generate(
            report=report,
            lang=html_lang(report.language),
            title=report_title(report),
            version_line=version_line(report),
            counts_line=counts_line,
            outcome_label=outcome_label,
            idea_fields=idea_fields,
            theme_fields=theme_fields,
            topics=report_topics(session, report),
            outcomes=OUTCOMES,
            generated=generated_sentence(report),
        )


def site_idea_path(idea: ReportIdea) -> str:
    """The idea's page on the published site, relative to the site's folder."""
    from meetingtui.export.site_files import idea_page_path

    return idea_page_path(idea.code, idea.ref)


def write_html(session: Session, report: Report, out: TextIO) -> None:
    for chunk in html_chunks(session, report):
        out.write(chunk)


# ---------------------------------------------------------------------------- Word


def write_docx(session: Session, report: Report, out: BinaryIO) -> None:
    from docx import Document
    from docx.shared import Pt

    from meetingtui.export.word import _add_page_number_footer, _Builder, _safe, _with_body

    with in_language(report.language):
        document = Document()
        document.core_properties.title = _safe(report_title(report))
        document.core_properties.language = html_lang(report.language)
        document.styles["Normal"].font.size = Pt(11)
        _add_page_number_footer(document)
        body = _Builder(document)
        body.heading(report_title(report), level=0)
        body.paragraph(version_line(report))
        body.table(
            [gettext("Outcome"), gettext("Ideas")],
            [[outcome_label(k), number(report.total.by_outcome.get(k, 0))] for k in OUTCOMES],
        )
        for part in report_topics(session, report):
            body.heading(topic_name(report.topic_label(part.topic)), level=1)
            body.paragraph(counts_line(part.counts))
            for idea in part.ideas:
                body.heading(f"{idea.full_ref} {idea.title}", level=2)
                body.table(None, [[name, value] for name, value in idea_fields(idea)])
        if not report.counts:
            body.paragraph(gettext("No ideas yet."))
        if report.themes:
            body.heading(gettext("Themes"), level=1)
        for theme in report.themes:
            body.heading(theme.name, level=2)
            body.table(None, [[name, value] for name, value in theme_fields(theme)])
            for ref, title, outcome in theme.ideas:
                body.paragraph(f"{ref} {title} ({outcome_label(outcome)})")
        body.paragraph(generated_sentence(report))
        buffer = io.BytesIO()
        document.save(buffer)
        out.write(_with_body(buffer.getvalue(), body.markup()))


def write_report(session: Session, report: Report, fmt: str, out: TextIO | BinaryIO) -> None:
    """Write ``report`` in ``fmt`` (md, html or docx) to ``out`` (text, or bytes for docx)."""
    if fmt == "md":
        write_markdown(session, report, out)  # type: ignore[arg-type]
    elif fmt == "html":
        write_html(session, report, out)  # type: ignore[arg-type]
    elif fmt == "docx":
        write_docx(session, report, out)  # type: ignore[arg-type]
    else:
        raise ValueError(f"unknown report format {fmt}")
