"""The "you said, we did" report on the published site, split so it opens on a phone: a small
index (``you-said-we-did.html``: the counts overall and per topic, the themes) and each topic's
ideas on pages of ``page_size`` (``report/topic-N-P.html``), written as the catalogue's pages
are (``site_catalogue.write_pages``) from the report's one ordered stream of ideas.

A topic's pages are named by its number in the report, never by its name. The report to
download (``you-said-we-did.md``, and ``meetingtui report``) stays one document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlmodel import Session

from meetingtui.export.report import OUTCOMES, Report, report_topics
from meetingtui.export.report_formats import (
    counts_line,
    generated_sentence,
    idea_fields,
    outcome_label,
    report_title,
    site_idea_path,
    theme_fields,
    version_line,
)
from meetingtui.export.site_catalogue import pages_of, write_pages
from meetingtui.export.site_files import REPORT_NAME, relative, report_topic_path, write_text
from meetingtui.export.wording import in_language, topic_name

REPORT_PAGE = f"{REPORT_NAME}.html"
TOPIC_TEMPLATE = "site_report_topic.html.j2"


def write_report_pages(
    session: Session, root: Path, report: Report, render: Any, page_size: int
) -> list[Path]:
    """Write the report's index and every topic's pages; returns the files. ``render`` is the
    site's (``site._Pages``)."""
    (root / "report").mkdir(parents=True, exist_ok=True)
    numbers = {topic: n for n, topic in enumerate(report.counts, start=1)}
    written: list[Path] = []
    with in_language(report.language):
        shared = {
            "title": report_title(report),
            "version_line": version_line(report),
            "counts_line": counts_line,
            "outcome_label": outcome_label,
            "outcomes": OUTCOMES,
            "generated": generated_sentence(report),
            "theme_fields": theme_fields,
        }
        topics = [
            (topic_name(report.topic_label(topic)), counts, report_topic_path(numbers[topic]))
            for topic, counts in report.counts.items()
        ]
        for part in report_topics(session, report):
            # A topic the stream has and the counts not (never, in one reading) gets a number.
            number = numbers.setdefault(part.topic, len(numbers) + 1)
            written += write_pages(
                root,
                pages_of(part.ideas, page_size),
                lambda n, number=number: report_topic_path(number, n),
                render,
                topic_name(report.topic_label(part.topic)),
                part.counts.total,
                template=TOPIC_TEMPLATE,
                page_size=page_size,
                counts=part.counts,
                idea_fields=idea_fields,
                site_path=site_idea_path,
                report_page=relative(report_topic_path(number), REPORT_PAGE),
                **shared,
            )
        index = render("site_report.html.j2", REPORT_PAGE, report=report, topics=topics, **shared)
        written.insert(0, write_text(root, REPORT_PAGE, index))
    return written
