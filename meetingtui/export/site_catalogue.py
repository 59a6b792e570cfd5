"""The published idea catalogue, split so it opens on a phone: pages of ``page_size`` ideas per
meeting and per topic, a find-your-idea index (``data/refs.js``) and one search file per meeting
(``data/search-CODE.js``), loaded only when someone searches. Written meeting by meeting, and
the topic pages from one ordered stream of rows, so nothing grows with the catalogue.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, col, select

from meetingtui.domain.ideas import format_ref
from meetingtui.domain.models import Idea, Meeting
from meetingtui.domain.public import Audience, idea_filter, plan_version_column
from meetingtui.domain.states import MeetingKind
from meetingtui.domain.text_fold import fold
from meetingtui.domain.vocab import IDEA_STATUSES, label
from meetingtui.export.minutes import IdeaEntry, Minutes
from meetingtui.export.site_files import (
    file_name,
    idea_page_path,
    js_call,
    meeting_catalogue_path,
    search_shard_path,
    seq_ranges,
    topic_catalogue_path,
    write_text,
)
from meetingtui.export.wording import term

STREAM_CHUNK = 2000
CATALOGUE_TEMPLATE = "site_catalogue_page.html.j2"
Row = TypeVar("Row")


@dataclass(frozen=True)
class CatalogueRow:
    """One line of a catalogue page."""

    code: str
    ref: str
    title: str
    meeting: str
    topic: str
    status: str  # a label, as the minutes say it
    reason: str
    response: str
    plan_version: str

    @property
    def page(self) -> str:
        return idea_page_path(self.code, self.ref)


def row_of(idea: IdeaEntry, minutes: Minutes) -> CatalogueRow:
    return CatalogueRow(
        minutes.code,
        idea.ref,
        idea.title,
        minutes.title,
        idea.topic,
        idea.status,
        idea.status_reason,
        idea.response,
        idea.plan_version,
    )


def search_words(idea: IdeaEntry, minutes: Minutes) -> str:
    """What the search box matches (in the site's words; the detail is on the idea's page)."""
    words = [
        idea.ref,
        idea.title,
        idea.topic,
        term(idea.stakeholder),
        term(idea.status),
        idea.response,
        idea.plan_version,
        minutes.title,
        *idea.tags,
    ]
    # Folded as every search folds (text_fold; site.js folds what is typed the same way), so
    # "cafe" finds "Café" and "nandu" "Ñandú".
    return fold(" ".join(w for w in words if w))


def write_search_shard(root: Path, minutes: Minutes) -> Path:
    rows: list[list[str]] = []
    for idea in minutes.all_ideas:
        row = [idea.ref, idea.title, term(idea.status), search_words(idea, minutes)]
        if file_name(idea.ref) != idea.ref:
            row.append(file_name(idea.ref))
        rows.append(row)
    call = js_call("meetingSearchShard", minutes.code, file_name(minutes.code), rows)
    return write_text(root, search_shard_path(minutes.code), call)


def refs_entry(minutes: Minutes, seqs: dict[str, int]) -> dict[str, Any]:
    """The meeting's entry in the find index: its title, the numbers of its ideas whose ref is
    the usual ``I-0042`` as ranges, and any other ref with its number (refs kept from before
    per-meeting numbering)."""
    plain: list[int] = []
    other: dict[str, list[Any]] = {}
    for idea in minutes.all_ideas:
        seq = seqs.get(idea.id, 0)
        if seq and format_ref(seq) == idea.ref:
            plain.append(seq)
        else:
            other[idea.ref] = [seq, file_name(idea.ref)]
    return {
        "t": minutes.title,
        "d": file_name(minutes.code),
        "r": seq_ranges(sorted(plain)),
        "x": other,
    }


def write_refs(root: Path, entries: dict[str, Any], language_words: dict[str, str]) -> Path:
    return write_text(root, "data/refs.js", js_call("meetingRefs", entries, language_words))


def pages_of(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    """The rows of a stream in lists of ``size`` (the last may be shorter)."""
    page: list[Row] = []
    for row in rows:
        page.append(row)
        if len(page) == size:
            yield page
            page = []
    if page:
        yield page


def write_pages(
    root: Path,
    pages: Iterator[list[Any]],
    path_of: Any,
    render: Any,
    heading: str,
    total: int,
    *,
    template: str = CATALOGUE_TEMPLATE,
    **context: Any,
) -> list[Path]:
    """Write a run of pages (1, 2 …) of ``total`` rows, ``page_size`` a page, each linking to
    the one before and after: the catalogue's, and the report's ideas of a topic
    (``site_report``, with its own ``template``)."""
    written: list[Path] = []
    count = max(1, -(-total // max(1, context.get("page_size", 1))))
    for number, rows in enumerate(pages, start=1):
        path = path_of(number)
        written.append(
            write_text(
                root,
                path,
                render(
                    template,
                    path,
                    rows=rows,
                    heading=heading,
                    page=number,
                    pages=count,
                    previous=path_of(number - 1).split("/")[-1] if number > 1 else "",
                    next=path_of(number + 1).split("/")[-1] if number < count else "",
                    total=total,
                    **context,
                ),
            )
        )
    return written


def write_meeting_catalogue(
    root: Path, minutes: Minutes, render: Any, page_size: int
) -> list[Path]:
    rows = (row_of(idea, minutes) for idea in minutes.all_ideas)
    return write_pages(
        root,
        pages_of(rows, page_size),
        lambda n: meeting_catalogue_path(minutes.code, n),
        render,
        minutes.title,
        len(minutes.all_ideas),
        page_size=page_size,
        meeting_code=minutes.code,
        no_minutes=minutes.kind == MeetingKind.INTAKE,
    )


@dataclass(frozen=True)
class TopicIndex:
    topic: str  # "" = no topic
    number: int  # its pages are catalogue/topic-N-*.html
    count: int


def topic_counts(session: Session, meeting_ids: list[uuid.UUID]) -> list[TopicIndex]:
    query = (
        select(Idea.topic, func.count())
        .where(col(Idea.meeting_id).in_(meeting_ids), *idea_filter(Audience.PUBLIC))
        .group_by(col(Idea.topic))
    )
    found = sorted(session.exec(query).all(), key=lambda r: (r[0] == "", r[0].casefold(), r[0]))
    return [TopicIndex(t or "", n, int(c)) for n, (t, c) in enumerate(found, start=1)]


_TOPIC_COLUMNS: tuple[Any, ...] = (
    Meeting.code,
    Idea.ref,
    Idea.title,
    Meeting.title,
    Idea.topic,
    Idea.public_status,
    Idea.public_reason,
    Idea.public_response,
    plan_version_column(Audience.PUBLIC),  # the link as published (domain/public.py)
)


def _topic_rows(
    session: Session, meeting_ids: list[uuid.UUID], topic: str
) -> Iterator[CatalogueRow]:
    query = (
        select(*_TOPIC_COLUMNS)
        .join(Meeting, col(Meeting.id) == col(Idea.meeting_id))
        .where(col(Idea.meeting_id).in_(meeting_ids), *idea_filter(Audience.PUBLIC))
        .where(Idea.topic == topic)
        .order_by(col(Meeting.date).desc(), col(Meeting.code), col(Idea.seq))
        .execution_options(yield_per=STREAM_CHUNK)
    )
    for code, ref, title, meeting, topic_, status, reason, response, version in session.exec(query):
        yield CatalogueRow(
            code,
            ref,
            title,
            meeting,
            topic_,
            label(IDEA_STATUSES, status),
            reason,
            response,
            version,
        )


def write_topic_catalogue(
    root: Path,
    session: Session,
    meeting_ids: list[uuid.UUID],
    topic: TopicIndex,
    heading: str,
    render: Any,
    page_size: int,
) -> list[Path]:
    return write_pages(
        root,
        pages_of(_topic_rows(session, meeting_ids, topic.topic), page_size),
        lambda n: topic_catalogue_path(topic.number, n),
        render,
        heading,
        topic.count,
        page_size=page_size,
        meeting_code="",
    )
