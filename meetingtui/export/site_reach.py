"""The published site's reach page (``reach.html``): who took part across the programme's
meetings and channels against the local population, the groups not yet heard.

Only ``domain.reach.published`` figures (small numbers suppressed, counts rounded), the same
section the minutes and ``meetingtui reach report`` write. No page when the programme's
meetings asked no monitoring questions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlmodel import Session

from meetingtui.domain.models import Programme
from meetingtui.domain.reach import programme_questions, published, reach_figures
from meetingtui.export.reach_report import reach_section
from meetingtui.export.site_files import write_text

REACH_PAGE = "reach.html"


def has_reach(session: Session, programme: Programme) -> bool:
    """Whether the site has a reach page: a meeting of the programme asked questions."""
    return bool(programme_questions(session, programme.id))


def write_reach_page(session: Session, root: Path, programme: Programme, render: Any) -> list[Path]:
    if not has_reach(session, programme):
        return []
    figures = published(reach_figures(session, programme_id=programme.id))
    section = reach_section(figures)
    text = render("site_reach.html.j2", REACH_PAGE, programme=programme, section=section)
    return [write_text(root, REACH_PAGE, text)]
