"""``meetingtui publish``: a programme's static website: every meeting's minutes, each idea's
public page, the split idea catalogue with a find-your-idea box and offline search, the plan's
versions and what changed between them, and the "you said, we did" report.

Plain files with relative links and external files only from the same folder, so the site can be
uploaded anywhere or opened straight from disk (``file://``), with no internet at all. Only the
public record (``domain/public.py``, ``Audience.PUBLIC``) is ever written here.

Written meeting by meeting: one meeting's minutes are gathered, its files, idea pages, catalogue
pages and search file written, and the minutes dropped before the next, so memory does not grow
with the catalogue; pages about every meeting are written from small summaries and from ordered
streams of rows (``site_catalogue``, ``report``).

Each meeting's pages are in that meeting's language. The pages about every meeting (the index,
the catalogue, the plan, the report and ``404.html``) are in the site's language: ``language``
when given (``publish --language``), else the meetings' own when they all share one, else
English. An idea's page is in its meeting's language.
"""

from __future__ import annotations

import multiprocessing
import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select

from meetingtui.domain.i18n import DEFAULT_LANGUAGE, html_lang, thousands_separator
from meetingtui.domain.models import Idea, Meeting, PlanSection, PlanVersion, Programme, utcnow
from meetingtui.domain.programmes import DEFAULT_PROGRAMME, programme_key, programme_of_meeting
from meetingtui.domain.public import Audience, idea_filter
from meetingtui.export.html_page import template_environment
from meetingtui.export.site_catalogue import (
    topic_counts,
    write_refs,
    write_topic_catalogue,
)
from meetingtui.export.site_files import (
    REFS_PATH,
    REPORT_NAME,
    SCRIPT_PATH,
    meeting_catalogue_path,
    relative,
    search_shard_path,
    topic_catalogue_path,
    write_text,
)
from meetingtui.export.site_meetings import MeetingJob, MeetingSummary, write_meetings
from meetingtui.export.site_reach import has_reach
from meetingtui.export.wording import gettext, in_language, long_date_time, topic_name

Progress = Callable[[int, int, str], None]
"""``progress(done, total, what)``: ``what`` names the step ("Writing idea pages"); ``done``
of ``total`` counts its units (ideas, topics, versions)."""
SITE_TITLE = "Public meetings: minutes and ideas"
PAGE_SIZE = 200  # ideas per catalogue page: a page of tens of KB, quick on a phone


def site_language(languages: Iterable[str], language: str | None = None) -> str:
    """The language of the pages about every meeting, from the meetings' ``languages`` (see
    the module's docstring)."""
    if language:
        return language
    found = {code or DEFAULT_LANGUAGE for code in languages}
    return found.pop() if len(found) == 1 else DEFAULT_LANGUAGE


class _Pages:
    """Renders the site's templates with what every page shares; links are made relative to
    the page being written, so the site works from any folder."""

    def __init__(self, site_title: str, language: str) -> None:
        self.env = template_environment()
        self.site_title = site_title
        self.language = language
        self.generated_at = long_date_time(utcnow().strftime("%Y-%m-%dT%H:%M")) + " UTC"
        self.themes = False  # the site has themes' pages (``has_themes``): linked from every nav

    def __getstate__(self) -> dict[str, Any]:  # to worker processes: the environment is rebuilt
        return {k: v for k, v in self.__dict__.items() if k != "env"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.env = template_environment()

    def __call__(self, template: str, path: str, **context: Any) -> str:
        shared = {
            "lang": html_lang(self.language),
            "site_title": self.site_title,
            "generated_at": self.generated_at,
            "root": relative(path, ""),
            "script": relative(path, SCRIPT_PATH),
            "refs_script": relative(path, REFS_PATH),
            "site_themes": self.themes,
        }
        return self.env.get_template(template).render({**shared, **context})


def database_url(session: Session) -> str | None:
    """The URL worker processes open to read the same database (password kept)."""
    bind = session.get_bind()
    url = getattr(bind, "url", None)
    return url.render_as_string(hide_password=False) if url is not None else None


def _programme(session: Session, meeting_ids: list[uuid.UUID]) -> Programme:
    """The first meeting's programme; with no meeting, the default one (as it would be made:
    a site with no meetings still has its plan and report pages, empty)."""
    meeting = session.get(Meeting, meeting_ids[0]) if meeting_ids else None
    if meeting is not None:
        return programme_of_meeting(session, meeting)
    found = session.exec(select(Programme).where(Programme.name == DEFAULT_PROGRAMME)).first()
    return found or Programme(id=programme_key(DEFAULT_PROGRAMME), name=DEFAULT_PROGRAMME)


def _sections(session: Session, programme: Programme) -> dict[tuple[str, str], str]:
    """(version, section number) → section title, and (version, "") → the version's title."""
    versions = session.exec(select(PlanVersion).where(PlanVersion.programme_id == programme.id))
    found = {(v.name, ""): v.title for v in versions}
    rows = session.exec(
        select(PlanVersion.name, PlanSection.number, PlanSection.title)
        .join(PlanVersion, col(PlanVersion.id) == col(PlanSection.plan_version_id))
        .where(PlanVersion.programme_id == programme.id)
    )
    found.update({(name, number): title for name, number, title in rows})
    return found


def publish_site(
    session: Session,
    meeting_ids: list[uuid.UUID],
    out_dir: Path,
    *,
    progress: Progress | None = None,
    site_title: str | None = None,
    language: str | None = None,
    programme: Programme | None = None,
    page_size: int = PAGE_SIZE,
    jobs: int = 1,
) -> list[Path]:
    """Write the site into ``out_dir``; returns the files written. The site's own folders hold
    only this run's pages (a page of an idea hidden or deleted since the last publish is removed:
    an old page left beside the new ones would go on being served); other files stay.
    ``programme``: whose plan and report the site carries (default: the first meeting's).
    ``jobs``: how many processes write meetings at once (``site_meetings``).
    ``site_title`` defaults to ``SITE_TITLE`` in the site's language."""
    step = progress or (lambda done, total, what: None)
    for folder in ("meetings", "ideas", "catalogue", "data", "assets", "plan", "report"):
        (out_dir / folder).mkdir(parents=True, exist_ok=True)
    programme = programme or _programme(session, meeting_ids)
    sections = _sections(session, programme)
    total_ideas = int(
        session.exec(
            select(func.count())
            .select_from(Idea)
            .where(col(Idea.meeting_id).in_(meeting_ids), *idea_filter(Audience.PUBLIC))
        ).one()
    )
    languages = session.exec(select(Meeting.language).where(col(Meeting.id).in_(meeting_ids)))
    chosen = site_language(languages, language)
    with in_language(chosen):
        pages = _Pages(site_title or gettext(SITE_TITLE), chosen)
    # Every page's navigation links the themes' pages when the site has them.
    pages.themes = has_themes(session, programme)
    written: list[Path] = []
    summaries: list[MeetingSummary] = []
    refs: dict[str, Any] = {}
    done = 0
    step(0, total_ideas, "Writing idea pages")
    job = MeetingJob(out_dir, sections, pages, page_size)
    url = database_url(session) if jobs > 1 else None
    with _report_writer(session, url, out_dir, programme, meeting_ids, pages, page_size) as report:
        for result in write_meetings(session, meeting_ids, job, jobs=jobs, database_url=url):
            written += result.paths
            summaries.append(result.summary)
            refs[result.summary.code] = result.refs
            done += result.summary.idea_count
            step(done, total_ideas, "Writing idea pages")
        step(total_ideas, total_ideas, "Writing idea pages")
        with in_language(chosen):
            written += _site_pages(
                session, out_dir, pages, summaries, refs, meeting_ids, step, page_size
            )
            from meetingtui.export.site_plan import write_plan_pages

            step(0, 1, "Writing plan versions")
            written += write_plan_pages(session, out_dir, programme, meeting_ids, pages)
            step(1, 1, "Writing plan versions")
            from meetingtui.export.site_themes import write_theme_pages

            written += write_theme_pages(session, out_dir, programme, meeting_ids, pages)
            from meetingtui.export.site_reach import write_reach_page

            written += write_reach_page(session, out_dir, programme, pages)
        step(0, 1, "Writing the report")
        written += report()
        step(1, 1, "Writing the report")
    _remove_stale_pages(out_dir, written)
    step(1, 1, "done")
    return written


SITE_FOLDERS = ("meetings", "ideas", "catalogue", "data", "plan", "themes", "report")
"""The folders whose every file the site writes (``assets`` and the top level may hold others)."""


def _remove_stale_pages(out_dir: Path, written: list[Path]) -> None:
    """Remove what an earlier publish wrote into the site's folders and this one did not.
    Paths as strings, folder by folder: a 100,000-idea site is as many files."""
    kept = {os.fspath(path) for path in written}
    for folder in SITE_FOLDERS:
        for root, folders, files in os.walk(out_dir / folder, topdown=False):
            for name in files:
                path = os.path.join(root, name)
                if path not in kept:
                    os.unlink(path)
            for name in folders:
                path = os.path.join(root, name)
                if not os.listdir(path):
                    os.rmdir(path)


def _site_pages(
    session: Session,
    out_dir: Path,
    pages: _Pages,
    summaries: list[MeetingSummary],
    refs: dict[str, Any],
    meeting_ids: list[uuid.UUID],
    step: Progress,
    page_size: int,
) -> list[Path]:
    """The index, the catalogue's first page and its topic pages, the find index, the script
    and the not-found page, in the current language."""
    ordered = sorted(summaries, key=lambda m: (m.date, m.title), reverse=True)
    topics = topic_counts(session, meeting_ids)
    written: list[Path] = []
    for number, topic in enumerate(topics, start=1):
        step(number - 1, len(topics), "Writing the catalogue by topic")
        heading = topic_name(topic.topic or "(no topic)")
        written += write_topic_catalogue(
            out_dir, session, meeting_ids, topic, heading, pages, page_size
        )
    step(len(topics), len(topics), "Writing the catalogue by topic")
    total = sum(m.idea_count for m in summaries)
    listing = [(m, meeting_catalogue_path(m.code), search_shard_path(m.code)) for m in ordered]
    topic_links = [
        (topic_name(t.topic or "(no topic)"), t.count, topic_catalogue_path(t.number))
        for t in topics
    ]
    files = {
        "index.html": pages(
            "site_index.html.j2",
            "index.html",
            meetings=ordered,
            report=REPORT_NAME + ".html",
            reach=has_reach(session, _programme(session, meeting_ids)),
            intake_pages={m.code: meeting_catalogue_path(m.code) for m in ordered if m.intake},
        ),
        "ideas.html": pages(
            "site_ideas.html.j2",
            "ideas.html",
            meetings=listing,
            topics=topic_links,
            total=total,
        ),
        "404.html": pages("site_404.html.j2", "404.html"),
    }
    for name, text in files.items():
        written.append(write_text(out_dir, name, text))
    written.append(write_refs(out_dir, refs, find_words()))
    written.append(write_text(out_dir, SCRIPT_PATH, site_script()))
    return written


SCRIPT_APART = "  var APART = {};\n"


def site_script() -> str:
    """templates/site.js with text_fold's table of letters spelt apart written in: what is
    typed in the site's search folds exactly as the search data were folded in Python."""
    import json

    from meetingtui.domain.text_fold import SEARCH_LETTERS

    script = resources.files("meetingtui.export").joinpath("templates/site.js").read_text("utf-8")
    if SCRIPT_APART not in script:
        raise RuntimeError("templates/site.js has lost its APART table")  # a test catches it
    table = json.dumps(SEARCH_LETTERS, ensure_ascii=True, sort_keys=True)
    return script.replace(SCRIPT_APART, f"  var APART = {table};\n", 1)


def has_themes(session: Session, programme: Programme) -> bool:
    """Whether the site has themes' pages (``site_themes.write_theme_pages``): the programme
    it carries has a published theme."""
    from meetingtui.domain.public import Audience
    from meetingtui.domain.themes import list_themes

    return bool(list_themes(session, programme, Audience.PUBLIC))


def find_words() -> dict[str, str]:
    """The find box's and search's sentences in the current language (the script says them)."""
    return {
        "notFound": gettext("No idea {ref} on this site. Check the ref: it is on your receipt."),
        "noMeeting": gettext("No meeting {code} on this site."),
        "several": gettext("{ref} is in more than one meeting; choose yours:"),
        "notARef": gettext("Type a ref like I-0042, or CODE/I-0042."),
        "loading": gettext("Loading the catalogue…"),
        "one": gettext("{count} idea"),
        "many": gettext("{count} ideas"),
        "shown": gettext("showing the first {count}"),
        "sep": thousands_separator(),
    }


@contextmanager
def _report_writer(
    session: Session,
    url: str | None,
    out_dir: Path,
    programme: Programme,
    meeting_ids: list[uuid.UUID],
    pages: _Pages,
    page_size: int,
) -> Iterator[Callable[[], list[Path]]]:
    """The "you said, we did" report, written beside the meetings when they are written by
    worker processes: it reads the whole programme on one core (about 9 s of a 100,000-idea
    site), so written last it was a sixth of the publish with the other core idle. Yields what
    to call for the report's paths once the rest is written (the report itself then, when
    there are no workers)."""
    stored = session.get(Programme, programme.id) is not None
    if not url or ":memory:" in url or len(meeting_ids) < 2 or not stored:
        yield lambda: _write_report(session, out_dir, programme, meeting_ids, pages, page_size)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        future = pool.submit(_report_job, url, out_dir, programme.id, meeting_ids, pages, page_size)
        yield future.result


def _report_job(
    url: str,
    out_dir: Path,
    programme_id: uuid.UUID,
    meeting_ids: list[uuid.UUID],
    pages: _Pages,
    page_size: int,
) -> list[Path]:
    """The report written in a worker process, on its own connection."""
    from meetingtui.store.database import Database

    database = Database(url)  # the parent opened and checked it; a worker only connects
    try:
        with database.read() as session:
            programme = session.get(Programme, programme_id)
            assert programme is not None  # checked by the parent before starting this
            return _write_report(session, out_dir, programme, meeting_ids, pages, page_size)
    finally:
        database.close()


def _write_report(
    session: Session,
    out_dir: Path,
    programme: Programme,
    meeting_ids: list[uuid.UUID],
    pages: _Pages,
    page_size: int,
) -> list[Path]:
    """The report on the site: its index ``you-said-we-did.html`` and each topic's pages
    (``site_report``), in the site's language, and the whole report to download as one
    ``you-said-we-did.md``; returns every file written."""
    from meetingtui.export.report import build_report
    from meetingtui.export.report_formats import write_markdown
    from meetingtui.export.site_report import write_report_pages

    report = build_report(session, programme, language=pages.language, meeting_ids=meeting_ids)
    written = write_report_pages(session, out_dir, report, pages, page_size)
    md = out_dir / f"{REPORT_NAME}.md"
    with md.open("w", encoding="utf-8") as out:
        write_markdown(session, report, out)
    return [*written, md]
