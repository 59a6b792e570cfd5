"""The per-meeting part of ``publish``: one meeting's minutes, data files, idea pages, catalogue
pages and search script, then the minutes are dropped (so memory does not grow with the
catalogue). Meetings are independent, so with ``jobs`` above 1 they are written by that many
worker processes, each with its own database connection; the parent keeps only each
meeting's small summary and the paths written.
"""

from __future__ import annotations

import multiprocessing
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session

from meetingtui.domain.models import Meeting
from meetingtui.domain.public import Audience
from meetingtui.domain.states import MeetingKind
from meetingtui.export.csv_table import render_csv
from meetingtui.export.html_page import render_html
from meetingtui.export.json_data import render_json
from meetingtui.export.markdown import render_markdown
from meetingtui.export.minutes import Minutes, build_minutes
from meetingtui.export.site_catalogue import (
    refs_entry,
    write_meeting_catalogue,
    write_search_shard,
)
from meetingtui.export.site_files import write_text
from meetingtui.export.site_ideas import meeting_extras, write_idea_pages
from meetingtui.export.wording import in_language


@dataclass(frozen=True)
class MeetingSummary:
    """What the pages about every meeting need of one meeting (the minutes are dropped)."""

    code: str
    title: str
    date: str
    location: str
    language: str
    idea_count: int
    comment_count: int
    intake: bool = False  # ideas received outside meetings: no minutes, not a meeting


@dataclass(frozen=True)
class MeetingWritten:
    summary: MeetingSummary
    refs: dict[str, Any]
    paths: list[Path]


@dataclass(frozen=True)
class MeetingJob:
    """What every meeting's writer shares (picklable, for worker processes)."""

    out_dir: Path
    sections: dict[tuple[str, str], str]
    pages: Any  # site._Pages: renders a template for a page
    page_size: int


def _meeting_files(out_dir: Path, minutes: Minutes, themes: bool = False) -> list[Path]:
    stem = f"meetings/{minutes.code}"
    files = {}
    if minutes.kind != MeetingKind.INTAKE:  # ideas received outside meetings have no minutes
        files[f"{stem}.html"] = render_html(
            minutes,
            back_link="../index.html",
            catalogue_link="../ideas.html",
            themes_link="../themes/index.html" if themes else "",
        )
        files[f"{stem}.md"] = render_markdown(minutes)
    files[f"{stem}.csv"] = render_csv(minutes)
    files[f"{stem}.json"] = render_json(minutes)
    return [write_text(out_dir, path, text) for path, text in files.items()]


def write_meeting(session: Session, meeting_id: uuid.UUID, job: MeetingJob) -> MeetingWritten:
    # Always the public record: the organisers' copy is never published.
    minutes = build_minutes(session, meeting_id, audience=Audience.PUBLIC)
    if not minutes.for_publication:  # pragma: no cover - a guard against a future edit
        raise ValueError("publish writes the public record only")
    meeting = session.get(Meeting, meeting_id)
    assert meeting is not None
    paths = _meeting_files(job.out_dir, minutes, bool(getattr(job.pages, "themes", False)))
    with in_language(minutes.language):
        extras = meeting_extras(session, meeting)
        paths += write_idea_pages(
            job.out_dir, minutes, extras, job.sections, job.pages, job.page_size
        )
        paths += write_meeting_catalogue(job.out_dir, minutes, job.pages, job.page_size)
        paths.append(write_search_shard(job.out_dir, minutes))
    summary = MeetingSummary(
        minutes.code,
        minutes.title,
        minutes.date,
        minutes.location,
        minutes.language,
        minutes.idea_count,
        minutes.comment_count,
        intake=minutes.kind == MeetingKind.INTAKE,
    )
    return MeetingWritten(
        summary, refs_entry(minutes, {k: v.seq for k, v in extras.items()}), paths
    )


# ---------------------------------------------------------------------------- worker processes

_worker: dict[str, Any] = {}


def _start_worker(url: str, job: MeetingJob) -> None:
    from meetingtui.store.database import Database

    # The parent opened (and checked) this database; a worker only connects. Database.open's
    # integrity check reads the whole file: on a 500 MB catalogue that was seconds and the
    # file's size in resident memory per worker.
    _worker["database"] = Database(url)
    _worker["job"] = job


def _work(meeting_id: uuid.UUID) -> MeetingWritten:
    with _worker["database"].read() as session:
        return write_meeting(session, meeting_id, _worker["job"])


def write_meetings(
    session: Session,
    meeting_ids: list[uuid.UUID],
    job: MeetingJob,
    *,
    jobs: int = 1,
    database_url: str | None = None,
) -> Iterator[MeetingWritten]:
    """Every meeting written, in the order asked; in ``jobs`` processes when a database URL
    the workers can open is known (not an in-memory database)."""
    if jobs <= 1 or not database_url or ":memory:" in database_url or len(meeting_ids) < 2:
        for meeting_id in meeting_ids:
            yield write_meeting(session, meeting_id, job)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_start_worker,
        initargs=(database_url, job),
    ) as pool:
        yield from pool.map(_work, meeting_ids, chunksize=1)
