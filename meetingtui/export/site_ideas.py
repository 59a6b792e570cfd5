"""Each idea's public page on the published site, written meeting by meeting.

An idea's page is the whole idea as the public may see it: the minutes' public entry
(``minutes.build_minutes``, ``Audience.PUBLIC``: names only with consent, public comments), its
published status, reason and response, the plan version and section that reflect it, where and
when it was raised, and its public history (``domain/public.change_filter``: published entries
only, never a draft, never who reviews it). Staff names are never published, so the history says
when and what, not who.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from meetingtui.domain.i18n import html_lang
from meetingtui.domain.merging import MergeView, merge_view
from meetingtui.domain.models import Idea, IdeaChange, Meeting
from meetingtui.domain.public import (
    Audience,
    answers_for,
    change_filter,
    idea_filter,
    plan_section_column,
    public_ideas_of,
    theme_name,
)
from meetingtui.domain.states import MeetingKind
from meetingtui.domain.themes import themes_of_ideas
from meetingtui.domain.vocab import IDEA_STATUSES
from meetingtui.export.minutes import Minutes
from meetingtui.export.site_files import (
    file_name,
    idea_page_path,
    meeting_catalogue_path,
    relative,
    write_text,
)
from meetingtui.export.site_idea_page import IdeaPageWriter
from meetingtui.export.site_themes import theme_page_path
from meetingtui.export.wording import field_label, gettext, long_date_time, term


@dataclass(frozen=True)
class HistoryEntry:
    at: str  # "3 December 2026 14:05" in the site's words
    what: str  # the field's label
    before: str
    after: str
    reason: str


@dataclass(frozen=True)
class IdeaExtras:
    """What an idea's page shows beyond the minutes' entry."""

    seq: int
    plan_section: str
    published_at: str
    history: list[HistoryEntry]
    themes: tuple[tuple[str, str], ...] = ()  # (published name, page) of its themes
    inherited: tuple[str, str] = ("", "")  # (theme, response) when it has none of its own
    merge: MergeView | None = None  # merged into, sources, split (domain/merging.py)
    # A merged idea's outcome is the idea it went into's: (status, response, the theme
    # that response is inherited from or ""), when the public may see that idea.
    outcome: tuple[str, str, str] | None = None


def _said(field: str, value: str) -> str:
    if field == "status":
        return term(IDEA_STATUSES.get(value, value))
    return value


_FIELD_LABELS = {
    "status": "Status",
    "response": "Response",
    "plan": "Plan version",
    "theme": "Theme",
    "merge": "Merged",
    "split": "Split",
}


def _merge_views(session: Session, meeting: Meeting) -> dict[uuid.UUID, MergeView]:
    """The merge views of this meeting's ideas that have merges or splits (few): found by
    their columns, so a meeting without any costs three index lookups."""
    shown = public_ideas_of(meeting.id, Audience.PUBLIC)
    involved = select(Idea).where(
        shown,
        (col(Idea.merged_into_id).is_not(None))
        | (col(Idea.split_from_id).is_not(None))
        | col(Idea.id).in_(select(Idea.merged_into_id).where(col(Idea.merged_into_id).is_not(None)))
        | col(Idea.id).in_(select(Idea.split_from_id).where(col(Idea.split_from_id).is_not(None))),
    )
    views: dict[uuid.UUID, MergeView] = {}
    for idea in session.exec(involved):
        view = merge_view(session, idea, Audience.PUBLIC)
        if not view.empty:
            views[idea.id] = view
    return views


def meeting_extras(session: Session, meeting: Meeting) -> dict[str, IdeaExtras]:
    """Per idea id (as the minutes write it), its section, publication and public history:
    two queries for the whole meeting."""
    columns: tuple[Any, ...] = (
        Idea.id,
        Idea.seq,
        plan_section_column(Audience.PUBLIC),
        Idea.published_at,
        Idea.public_response,
    )
    ideas = session.execute(
        sa.select(*columns).where(public_ideas_of(meeting.id, Audience.PUBLIC))
    ).all()
    # Themes and the inherited response (domain/public.py ``answers_for``: the one rule).
    answers = answers_for(session, {row[0]: row[4] for row in ideas}, Audience.PUBLIC)
    themed = themes_of_ideas(session, [row[0] for row in ideas], Audience.PUBLIC)
    changes: dict[uuid.UUID, list[HistoryEntry]] = {}
    query = (
        select(IdeaChange)
        .where(IdeaChange.meeting_id == meeting.id, *change_filter(Audience.PUBLIC))
        .order_by(col(IdeaChange.at), col(IdeaChange.id))
    )
    for change in session.exec(query):
        label = _FIELD_LABELS.get(change.field, change.field)
        changes.setdefault(change.idea_id, []).append(
            HistoryEntry(
                at=long_date_time(change.at.strftime("%Y-%m-%dT%H:%M")) + " UTC",
                what=field_label(label),
                before=_said(change.field, change.from_value),
                after=_said(change.field, change.to_value),
                reason=change.reason,
            )
        )
    merges = _merge_views(session, meeting)
    outcomes = _outcomes(session, merges.values())
    return {
        str(idea_id): IdeaExtras(
            seq=seq,
            plan_section=section,
            published_at=long_date_time(published.strftime("%Y-%m-%dT%H:%M")) + " UTC"
            if published
            else "",
            history=changes.get(idea_id, []),
            themes=tuple(
                (theme_name(t, Audience.PUBLIC), theme_page_path(t))
                for t in themed.get(idea_id, [])
            ),
            inherited=(answers[idea_id].theme, answers[idea_id].response)
            if answers[idea_id].inherited
            else ("", ""),
            merge=merges.get(idea_id),
            outcome=outcomes.get(merges[idea_id].merged_into_id) if idea_id in merges else None,
        )
        for idea_id, seq, section, published, _own in ideas
    }


def _outcomes(
    session: Session, views: Iterable[MergeView]
) -> dict[uuid.UUID | None, tuple[str, str, str]]:
    """The outcome (published status, response, inherited-from theme) of each idea the public sees
    merged ideas go into: its published status and its answer by the one rule
    (``answers_for``: its own, else its theme's)."""
    wanted = {view.merged_into_id for view in views if view.merged_into_id is not None}
    if not wanted:
        return {}
    targets = session.execute(
        sa.select(col(Idea.id), col(Idea.public_status), col(Idea.public_response)).where(
            col(Idea.id).in_(list(wanted)), *idea_filter(Audience.PUBLIC)
        )
    ).all()
    answers = answers_for(session, {row[0]: row[2] for row in targets}, Audience.PUBLIC)
    return {
        idea_id: (
            status,
            answers[idea_id].response,
            answers[idea_id].theme,
        )
        for idea_id, status, _ in targets
    }


def plan_words(version: str, section: str, title: str) -> str:
    """ "Reflected in v2, section 4.2 Bus lanes", in the page's language."""
    if not version:
        return ""
    if not section:
        return gettext("Reflected in plan version {version}", version=version)
    return gettext(
        "Reflected in {version}, section {section}",
        version=version,
        section=f"{section} {title}".strip(),
    )


def write_idea_pages(
    root_dir: Path,
    minutes: Minutes,
    extras: dict[str, IdeaExtras],
    sections: dict[tuple[str, str], str],
    render: Any,
    page_size: int,
) -> Iterator[Path]:
    """Write every public idea's page of one meeting; yields each page once written."""
    (root_dir / "ideas" / idea_page_path(minutes.code, "x").split("/")[1]).mkdir(
        parents=True, exist_ok=True
    )
    sample = idea_page_path(minutes.code, "x")
    writer = IdeaPageWriter(render, minutes, html_lang(minutes.language), sample)
    root = relative(sample, "")
    for position, idea in enumerate(minutes.all_ideas):
        path = idea_page_path(minutes.code, idea.ref)
        extra = extras.get(idea.id, IdeaExtras(0, "", "", []))
        themes = tuple((name, relative(path, page)) for name, page in extra.themes)
        title = sections.get((idea.plan_version, extra.plan_section), "")
        plan_link = ""
        if idea.plan_version and (idea.plan_version, "") in sections:
            anchor = f"#s-{extra.plan_section}" if extra.plan_section else ""
            plan_link = relative(path, f"plan/{file_name(idea.plan_version)}.html") + anchor
        yield write_text(
            root_dir,
            path,
            writer.page(
                idea,
                root=root,
                extra=extra,
                reflected=plan_words(idea.plan_version, extra.plan_section, title),
                plan_link=plan_link,
                themes=themes,
                minutes_link=relative(
                    path,
                    meeting_catalogue_path(minutes.code, position // page_size + 1)
                    if minutes.kind == MeetingKind.INTAKE  # no minutes: its ideas' list
                    else f"meetings/{minutes.code}.html#{idea.ref}",
                ),
                meeting_catalogue=relative(
                    path, meeting_catalogue_path(minutes.code, position // page_size + 1)
                ),
            ),
        )
