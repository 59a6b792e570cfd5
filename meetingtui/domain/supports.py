"""Supports: an attendee backs an idea, once per device; a second tap takes it back.

**The one count** every surface shows (the console, the phone page and its API, similar ideas,
the minutes and exports, the published site, the command line) comes from
``idea_support_counts`` for an idea and ``theme_support_counts`` for a theme:

- an idea: the distinct devices supporting it or any idea merged into it that the audience may
  see listed (``public.merge_source_listed``): a device that supported both counts once;
- a merged idea: its own supports (they stay with it, and come back with it on unmerge); every
  surface that shows it says where it went, and its target's count includes them. It takes no
  new support (``toggle_support`` refuses): the phone points to the idea kept instead;
- a theme: the distinct devices supporting any of its ideas the audience may see, or any idea
  merged into one of them (listed as above): a device counts once per theme.

So no surface sums stored per-idea counts, and none counts rows of ``support`` itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from meetingtui.domain import public
from meetingtui.domain.errors import DomainError
from meetingtui.domain.feed import record_event
from meetingtui.domain.ideas import find_idea, open_meeting
from meetingtui.domain.models import Idea, Meeting, Support, ThemeIdea
from meetingtui.domain.public import Audience

CHUNK = 500
"""Ids named in one IN list (more are asked in several queries)."""


def toggle_support(
    session: Session, *, meeting_id: uuid.UUID, idea_ref: str, device: str
) -> tuple[bool, int]:
    """Support the idea, or withdraw this device's support. Returns (supported now, total:
    ``idea_support_counts`` for the public).

    A merged idea the public sees as merged takes no support, nor a withdrawal: its supports
    are counted on the idea kept (the phone offers that one instead)."""
    open_meeting(session, meeting_id)
    idea = find_idea(session, meeting_id=meeting_id, ref=idea_ref, public=True)
    if public.merge_shown(idea, Audience.PUBLIC):
        raise DomainError(_merged_refusal(session, idea))
    existing = session.exec(
        select(Support).where(Support.idea_id == idea.id, Support.device == device)
    ).first()
    if existing:
        session.delete(existing)
        supported = False
    else:
        session.add(Support(idea_id=idea.id, meeting_id=meeting_id, device=device))
        supported = True
    session.flush()
    record_event(
        session,
        kind="support.added" if supported else "support.withdrawn",
        meeting_id=meeting_id,
        entity="idea",
        entity_id=idea.id,
        detail={"idea": idea.ref},
    )
    total = idea_support_counts(session, [idea.id], Audience.PUBLIC)[idea.id]
    return supported, total


def _merged_refusal(session: Session, idea: Idea) -> str:
    """Why a merged idea takes no support: naming the idea kept only when the public may see it
    (``public.merge_target_shown``)."""
    target = session.get(Idea, idea.merged_into_id) if idea.merged_into_id else None
    if target is None or not public.merge_target_shown(target, Audience.PUBLIC):
        return f"{idea.ref} was merged into another idea, so it takes no more support."
    ref = target.ref
    if target.meeting_id != idea.meeting_id:
        code = session.exec(select(Meeting.code).where(Meeting.id == target.meeting_id)).one()
        ref = f"{code}/{target.ref}"
    return f"{idea.ref} was merged into {ref}: support {ref} instead."


def _chunks(ids: list[uuid.UUID]) -> Iterable[list[uuid.UUID]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def listed_sources_of(
    session: Session,
    idea_ids: Iterable[uuid.UUID],
    audience: Audience,
    *,
    meeting_id: uuid.UUID | None = None,
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Per idea of ``idea_ids`` that has any: the ideas merged into it that ``audience`` may see
    listed (``public.merge_source_filter``), by the ``merged_into_id`` index. ``meeting_id``:
    the ideas are that meeting's (only its ideas' sources are read). More than ``CHUNK`` ideas:
    every merged idea is read once (merged ideas are few) rather than an IN list per chunk."""
    ids = list(dict.fromkeys(idea_ids))
    if not ids:
        return {}
    conditions = public.merge_source_filter(audience)
    if meeting_id is not None and len(ids) > CHUNK:
        targets = select(Idea.id).where(Idea.meeting_id == meeting_id)
        batches = [[col(Idea.merged_into_id).in_(targets.scalar_subquery())]]
    elif len(ids) > CHUNK:
        batches = [[]]  # ``conditions`` keep merged ideas only
    else:
        batches = [[col(Idea.merged_into_id).in_(chunk)] for chunk in _chunks(ids)]
    wanted = set(ids)
    found: dict[uuid.UUID, list[uuid.UUID]] = {}
    for batch in batches:
        query = select(Idea.merged_into_id, Idea.id).where(*batch, *conditions)
        for target_id, source_id in session.exec(query.order_by(col(Idea.seq))):
            if target_id in wanted:
                found.setdefault(target_id, []).append(source_id)
    return found


def idea_support_counts(
    session: Session,
    idea_ids: Iterable[uuid.UUID],
    audience: Audience,
    *,
    meeting_id: uuid.UUID | None = None,
    own: Mapping[uuid.UUID, int] | None = None,
) -> dict[uuid.UUID, int]:
    """The support count of each idea as ``audience`` reads it (0 for none): the one rule
    (see the module): distinct devices across the idea and the ideas merged into it that the
    audience may see listed. ``meeting_id``: the ideas are all that meeting's, counted by
    meeting rather than by a long IN list. ``own``: each idea's own supports when the caller
    has read them already (``Idea.support_count``, kept by revision 0010's triggers, in a
    session that has not written supports since): only ideas with sources are counted again."""
    ids = list(dict.fromkeys(idea_ids))
    if own is not None:
        counts = {idea_id: int(own.get(idea_id, 0)) for idea_id in ids}
    else:
        counts = _own_counts(session, ids, meeting_id=meeting_id)
    groups = listed_sources_of(session, ids, audience, meeting_id=meeting_id)
    if groups:
        every = [i for target, sources in groups.items() for i in (target, *sources)]
        devices: dict[uuid.UUID, set[str]] = {}
        for chunk in _chunks(every):
            query = select(Support.idea_id, Support.device).where(col(Support.idea_id).in_(chunk))
            for idea_id, device in session.exec(query):
                devices.setdefault(idea_id, set()).add(device)
        for target, sources in groups.items():
            counts[target] = len(set().union(*(devices.get(i, set()) for i in (target, *sources))))
    return counts


def support_count_expression(audience: Audience) -> Any:
    """``idea_support_counts`` as a SQL expression on ``Idea`` (correlated), to sort by: an
    idea's stored own count (revision 0010's triggers), or, for an idea with sources the
    audience may see listed, the distinct devices across them (counted only for those: an
    index probe of ``merged_into_id`` for the rest)."""
    source = aliased(Idea)
    sources = select(source.id).where(
        col(source.merged_into_id) == col(Idea.id), *public.merge_source_filter(audience, source)
    )
    combined = (
        select(func.count(sa.distinct(col(Support.device))))
        .where(sa.or_(col(Support.idea_id) == col(Idea.id), col(Support.idea_id).in_(sources)))
        .scalar_subquery()
    )
    return sa.case((sa.exists(sources), combined), else_=col(Idea.support_count))


def idea_support_count(session: Session, idea_id: uuid.UUID, audience: Audience) -> int:
    """``idea_support_counts`` of one idea."""
    return idea_support_counts(session, [idea_id], audience)[idea_id]


def theme_support_counts(
    session: Session,
    theme_ids: Iterable[uuid.UUID],
    audience: Audience,
    *,
    meeting_ids: Iterable[uuid.UUID] | None = None,
) -> dict[uuid.UUID, int]:
    """Per theme (0 for none): the distinct devices supporting any of its ideas ``audience``
    may see, or any idea merged into one of them that the audience may see listed. A device
    that supported two ideas of the theme, or an idea and the one it was merged into, counts
    once. ``meeting_ids``: only the theme's ideas of these meetings (a site of some meetings).
    One query for every theme."""
    ids = list(dict.fromkeys(theme_ids))
    counts = {theme_id: 0 for theme_id in ids}
    if not ids:
        return counts
    member = aliased(Idea)
    source = aliased(Idea)
    in_themes: Any = col(ThemeIdea.theme_id).in_(ids)
    if meeting_ids is not None:
        in_themes = sa.and_(in_themes, col(member.meeting_id).in_(list(meeting_ids)))
    members: Any = (
        sa.select(col(ThemeIdea.theme_id).label("theme_id"), col(member.id).label("idea_id"))
        .join(member, col(member.id) == col(ThemeIdea.idea_id))
        .where(in_themes, *public.idea_filter(audience, member))
    )
    sources: Any = (
        sa.select(col(ThemeIdea.theme_id).label("theme_id"), col(source.id).label("idea_id"))
        .join(member, col(member.id) == col(ThemeIdea.idea_id))
        .join(source, col(source.merged_into_id) == col(member.id))
        .where(
            in_themes,
            *public.idea_filter(audience, member),
            *public.merge_source_filter(audience, source),
        )
    )
    ideas = sa.union(members, sources).subquery("theme_ideas")
    query = (
        sa.select(ideas.c.theme_id, func.count(sa.distinct(col(Support.device))))
        .join(Support, col(Support.idea_id) == ideas.c.idea_id)
        .group_by(ideas.c.theme_id)
    )
    for theme_id, count in session.execute(query):
        counts[theme_id] = int(count)
    return counts


def _own_counts(
    session: Session, idea_ids: Iterable[uuid.UUID], *, meeting_id: uuid.UUID | None = None
) -> dict[uuid.UUID, int]:
    """Each idea's own supports (0 for none), one device each (the unique (idea, device)
    index). ``meeting_id`` selects by meeting, not a long IN list."""
    ids = list(idea_ids)
    if not ids:
        return {}
    counts = {idea_id: 0 for idea_id in ids}
    if meeting_id is not None and len(ids) > CHUNK // 5:
        batches = [[col(Support.meeting_id) == meeting_id]]
    else:
        batches = [[col(Support.idea_id).in_(chunk)] for chunk in _chunks(ids)]
    for batch in batches:
        query = select(Support.idea_id, func.count()).where(*batch)
        for idea_id, count in session.exec(query.group_by(col(Support.idea_id))).all():
            if idea_id in counts:
                counts[idea_id] = count
    return counts


def supported_by_device(session: Session, *, meeting_id: uuid.UUID, device: str) -> set[uuid.UUID]:
    rows = session.exec(
        select(Support.idea_id).where(Support.meeting_id == meeting_id, Support.device == device)
    ).all()
    return set(rows)
