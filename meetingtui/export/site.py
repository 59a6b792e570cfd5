"""``meetingtui publish``: a static website of meetings' minutes and the idea catalogue.

Plain files with relative links and inline CSS/JS, so the folder can be uploaded anywhere or
opened straight from disk (``file://``), with no internet at all. Only the public record
(``domain/public.py``, ``Audience.PUBLIC``) is ever written here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from meetingtui.domain.models import utcnow
from meetingtui.domain.public import Audience
from meetingtui.export.csv_table import render_csv
from meetingtui.export.html_page import render_html, template_environment
from meetingtui.export.json_data import render_json
from meetingtui.export.markdown import render_markdown
from meetingtui.export.minutes import IdeaEntry, Minutes, build_minutes

Progress = Callable[[int, int, str], None]
SITE_TITLE = "Public meetings: minutes and ideas"


@dataclass
class CatalogueRow:
    idea: IdeaEntry
    code: str
    meeting: str
    search: str


def _catalogue_row(idea: IdeaEntry, minutes: Minutes) -> CatalogueRow:
    words = [
        idea.ref,
        idea.title,
        idea.detail,
        idea.topic,
        idea.stakeholder,
        idea.status,
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


def publish_site(
    session: Session,
    meeting_ids: list[uuid.UUID],
    out_dir: Path,
    *,
    progress: Progress | None = None,
    site_title: str = SITE_TITLE,
) -> list[Path]:
    """Write the site into ``out_dir``; returns the files written. Existing other files stay."""
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
    env = template_environment()
    generated_at = utcnow().strftime("%Y-%m-%d %H:%M UTC")
    ordered = sorted(all_minutes, key=lambda m: (m.date, m.title), reverse=True)
    index = env.get_template("site_index.html.j2").render(
        lang="en", site_title=site_title, meetings=ordered, generated_at=generated_at
    )
    rows = [_catalogue_row(idea, m) for m in ordered for idea in m.all_ideas]
    catalogue = env.get_template("site_ideas.html.j2").render(
        lang="en", site_title=site_title, ideas=rows, generated_at=generated_at
    )
    for path, text in ((out_dir / "index.html", index), (out_dir / "ideas.html", catalogue)):
        _write(path, text)
        written.append(path)
    if progress:
        progress(total, total, "done")
    return written
