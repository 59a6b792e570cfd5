"""The themes' pages on the published site: the programme's published themes with their counts
(``themes/index.html``), and a page per theme (``themes/<id>.html``) with its summary, its
response and its ideas.

Only what the public may see (domain/public.py): themes once published, by their published name,
summary and response; ideas the public may see, of the meetings the site carries, and only
those counted. An idea with no response of its own shows that it inherits the theme's.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session

from meetingtui.domain.models import Programme, Theme
from meetingtui.domain.public import (
    Audience,
    answers_for,
    idea_response,
    idea_status,
    theme_name,
    theme_response,
    theme_summary,
)
from meetingtui.domain.supports import theme_support_counts
from meetingtui.domain.themes import theme_ideas, theme_overviews
from meetingtui.domain.vocab import CHANNELS, IDEA_STATUSES, STAKEHOLDERS
from meetingtui.export.site_files import idea_page_path, write_text

PUBLIC = Audience.PUBLIC


def theme_page_path(theme: Theme) -> str:
    """A theme's page: by its key, so a link stays good when the theme is renamed."""
    return f"themes/{theme.id.hex[:16]}.html"


@dataclass(frozen=True)
class ThemeIdeaRow:
    code: str
    ref: str
    title: str
    status: str  # a vocabulary label (English; the page translates it)
    response: str  # its own response ("" when it inherits the theme's or has none)
    inherits: bool

    @property
    def page(self) -> str:
        return idea_page_path(self.code, self.ref)


def _counted(counter: Any, labels: dict[str, str]) -> list[tuple[str, int]]:
    return [(labels.get(key, key) if key else "", n) for key, n in counter.most_common()]


def write_theme_pages(
    session: Session,
    root: Path,
    programme: Programme,
    meeting_ids: list[uuid.UUID],
    render: Any,
) -> list[Path]:
    """Write the themes' index and each published theme's page; returns the files (none when
    the programme has no published theme: the site then has no themes' pages)."""
    if not theme_overviews(session, programme, PUBLIC):
        return []
    (root / "themes").mkdir(parents=True, exist_ok=True)
    carried = set(meeting_ids)
    written: list[Path] = []
    rows = []
    overviews = theme_overviews(session, programme, PUBLIC)
    # The one count for a theme (domain/supports.py), of the ideas this site carries.
    counted = theme_support_counts(
        session, [o.theme.id for o in overviews], PUBLIC, meeting_ids=meeting_ids
    )
    for overview in overviews:
        theme = overview.theme
        ideas = [(i, c) for i, c in theme_ideas(session, theme, PUBLIC) if i.meeting_id in carried]
        own = answers_for(session, {i.id: idea_response(i, PUBLIC) for i, _ in ideas}, PUBLIC)
        response = theme_response(theme, PUBLIC)
        listed = [
            ThemeIdeaRow(
                code=code,
                ref=idea.ref,
                title=idea.title,
                status=IDEA_STATUSES.get(idea_status(idea, PUBLIC), idea_status(idea, PUBLIC)),
                response=idea_response(idea, PUBLIC),
                inherits=bool(response)
                and not idea_response(idea, PUBLIC)
                and own[idea.id].theme == theme_name(theme, PUBLIC),
            )
            for idea, code in ideas
        ]
        channels: dict[str, int] = {}
        groups: dict[str, int] = {}
        for idea, _ in ideas:
            channels[idea.channel] = channels.get(idea.channel, 0) + 1
            groups[idea.stakeholder] = groups.get(idea.stakeholder, 0) + 1
        supports = counted[theme.id]
        path = theme_page_path(theme)
        written.append(
            write_text(
                root,
                path,
                render(
                    "site_theme.html.j2",
                    path,
                    programme=programme,
                    name=theme_name(theme, PUBLIC),
                    summary=theme_summary(theme, PUBLIC),
                    response=response,
                    ideas=listed,
                    supports=supports,
                    channels=_sorted(channels, CHANNELS),
                    groups=_sorted(groups, STAKEHOLDERS),
                ),
            )
        )
        rows.append(
            {
                "name": theme_name(theme, PUBLIC),
                "summary": theme_summary(theme, PUBLIC),
                "ideas": len(listed),
                "supports": supports,
                "answered": bool(response),
                "page": path.split("/")[-1],
            }
        )
    written.append(
        write_text(
            root,
            "themes/index.html",
            render("site_themes.html.j2", "themes/index.html", programme=programme, rows=rows),
        )
    )
    return written


def _sorted(counts: dict[str, int], labels: dict[str, str]) -> list[tuple[str, int]]:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(labels.get(key, key) if key else "", n) for key, n in ordered]
