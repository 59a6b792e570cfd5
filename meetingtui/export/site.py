"""``meetingtui publish``: a static website of meetings' minutes and the idea catalogue.

Plain files with relative links and inline CSS/JS, so the folder can be uploaded anywhere or
opened straight from disk (``file://``), with no internet at all. Only the public record
(``domain/public.py``, ``Audience.PUBLIC``) is ever written here.

Each meeting's pages are in that meeting's language. The pages about every meeting (the index,
the idea catalogue and ``404.html``) are in the site's language: ``language`` when given
(``publish --language``), else the meetings' own when they all share one, else English.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from meetingtui.domain.i18n import DEFAULT_LANGUAGE, html_lang
from meetingtui.domain.models import utcnow
from meetingtui.domain.public import Audience
from meetingtui.export.csv_table import render_csv
from meetingtui.export.html_page import render_html, template_environment
from meetingtui.export.json_data import render_json
from meetingtui.export.markdown import render_markdown
from meetingtui.export.minutes import IdeaEntry, Minutes, build_minutes
from meetingtui.export.wording import gettext, in_language, long_date_time, term

Progress = Callable[[int, int, str], None]
SITE_TITLE = "Public meetings: minutes and ideas"


@dataclass
class CatalogueRow:
    idea: IdeaEntry
    code: str
    meeting: str
    search: str


def _catalogue_row(idea: IdeaEntry, minutes: Minutes) -> CatalogueRow:
    """A row of the catalogue, searchable by the words it shows (the labels as the site says
    them, within ``in_language``)."""
    words = [
        idea.ref,
        idea.title,
        idea.detail,
        idea.topic,
        term(idea.stakeholder),
        term(idea.status),
        idea.response,
        idea.plan_version,
        minutes.title,
        *idea.tags,
    ]
    return CatalogueRow(
        idea=idea,
        code=minutes.code,
        meeting=minutes.title,
        search=" ".join(w for w in words if w).lower(),
    )


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def site_language(all_minutes: list[Minutes], language: str | None = None) -> str:
    """The language of the pages about every meeting (see the module's docstring)."""
    if language:
        return language
    languages = {minutes.language or DEFAULT_LANGUAGE for minutes in all_minutes}
    return languages.pop() if len(languages) == 1 else DEFAULT_LANGUAGE


def publish_site(
    session: Session,
    meeting_ids: list[uuid.UUID],
    out_dir: Path,
    *,
    progress: Progress | None = None,
    site_title: str | None = None,
    language: str | None = None,
) -> list[Path]:
    """Write the site into ``out_dir``; returns the files written. Existing other files stay.
    ``site_title`` defaults to ``SITE_TITLE`` in the site's language."""
    (out_dir / "meetings").mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    all_minutes: list[Minutes] = []
    total = len(meeting_ids) + 1
    for done, meeting_id in enumerate(meeting_ids):
        # Always the public record: the organisers' copy is never published.
        minutes = build_minutes(session, meeting_id, audience=Audience.PUBLIC)
        if not minutes.for_publication:  # pragma: no cover - a guard against a future edit
            raise ValueError("publish writes the public record only")
        if progress:
            progress(done, total, minutes.title)
        all_minutes.append(minutes)
        stem = out_dir / "meetings" / minutes.code
        files = {
            stem.with_suffix(".html"): render_html(
                minutes, back_link="../index.html", catalogue_link="../ideas.html"
            ),
            stem.with_suffix(".md"): render_markdown(minutes),
            stem.with_suffix(".csv"): render_csv(minutes),
            stem.with_suffix(".json"): render_json(minutes),
        }
        for path, text in files.items():
            _write(path, text)
            written.append(path)
    if progress:
        progress(total - 1, total, "index and idea catalogue")
    chosen = site_language(all_minutes, language)
    with in_language(chosen):
        pages = _site_pages(all_minutes, chosen, site_title or gettext(SITE_TITLE))
    for name, text in pages.items():
        _write(out_dir / name, text)
        written.append(out_dir / name)
    if progress:
        progress(total, total, "done")
    return written


def _site_pages(all_minutes: list[Minutes], language: str, site_title: str) -> dict[str, str]:
    """The index, the idea catalogue and the not-found page, in the current language."""
    env = template_environment()
    common = {
        "lang": html_lang(language),
        "site_title": site_title,
        "generated_at": long_date_time(utcnow().strftime("%Y-%m-%dT%H:%M")) + " UTC",
    }
    ordered = sorted(all_minutes, key=lambda m: (m.date, m.title), reverse=True)
    rows = [_catalogue_row(idea, m) for m in ordered for idea in m.all_ideas]
    return {
        "index.html": env.get_template("site_index.html.j2").render(meetings=ordered, **common),
        "ideas.html": env.get_template("site_ideas.html.j2").render(ideas=rows, **common),
        "404.html": env.get_template("site_404.html.j2").render(**common),
    }
