"""The catalogue screen's questions of the database: one page of a programme's ideas under many
filters and a sort, how many match, the values there are to filter by, and the ids of every
match (for "select all").

It builds on the catalogue's one search (domain/search.py ``search_statement``: words, the
audience's rules, statuses, "needs an answer") and adds what a screen asks and the command line
does not: several values per filter (any of them matches), channel, scale, has a published
response, age bands, and sorts by supports, comments and waiting time. Only ever a page of rows
is loaded; counts are made in the database, so a 100,000-idea catalogue opens as fast as a small
one. The sorts read what the database keeps ready (revision 0010): each idea's supports and
comments, counted by triggers, and whether its answer is published, each in an index walked in
order, so a sorted page costs what a newest-first one does. What an audience may see is decided
by domain/public.py, as everywhere.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, or_
from sqlmodel import Session, col, func, select

from meetingtui.domain import lifecycle, public
from meetingtui.domain.errors import DomainError
from meetingtui.domain.models import Idea, Meeting, utcnow
from meetingtui.domain.public import Audience
from meetingtui.domain.search import IdeaQuery, search_statement
from meetingtui.domain.supports import idea_support_counts
from meetingtui.domain.vocab import CHANNELS, IDEA_STATUSES, SCALES, STAKEHOLDERS

SORTS: dict[str, str] = {
    "newest": "newest first",
    "supported": "most supported",
    "discussed": "most discussed",
    "waiting": "longest waiting for an answer",
}
"""How the catalogue can be sorted. With words typed, "newest first" puts the best match first
(then the newest); the other sorts sort every match by their own measure."""

AGES: dict[str, tuple[int, int | None]] = {
    "under-14": (0, 14),
    "14-28": (14, 28),
    "over-28": (28, None),
}
"""Age bands (days since the idea was raised): the thresholds of "needs an answer"."""
AGE_LABELS = {"under-14": "under 14 days", "14-28": "14 to 28 days", "over-28": "over 28 days"}

FACETS: dict[str, str] = {
    "meetings": "Meeting",
    "topics": "Topic",
    "stakeholders": "Stakeholder group",
    "channels": "Channel",
    "statuses": "Status",
    "scales": "Scale",
    "reviewers": "Reviewer",
    "plan_versions": "Plan version",
    "published": "Published response",
    "ages": "Age",
}
"""The filters, by the ``CatalogueView`` field each sets, with the name people read."""

PUBLISHED_LABELS = {"yes": "has a published response", "no": "no published response"}
NOBODY = ""  # the reviewer filter's value for ideas nobody reviews yet


@dataclass(frozen=True)
class CatalogueView:
    """What the catalogue screen shows: words, filters (each a set of values; an idea matches a
    filter when it has any of them; an empty set does not filter) and a sort."""

    text: str = ""
    meetings: frozenset[str] = frozenset()  # meeting ids, as text
    topics: frozenset[str] = frozenset()
    stakeholders: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    scales: frozenset[str] = frozenset()
    reviewers: frozenset[str] = frozenset()  # NOBODY for ideas no one reviews
    plan_versions: frozenset[str] = frozenset()
    published: frozenset[str] = frozenset()  # "yes", "no"
    ages: frozenset[str] = frozenset()  # AGES keys
    needs_answer: bool = False  # no published answer, oldest first
    sort: str = "newest"  # SORTS key

    def with_values(self, facet: str, values: Sequence[str]) -> CatalogueView:
        if facet not in FACETS:
            raise DomainError(f"No such filter: {facet}.")
        changes: dict[str, Any] = {facet: frozenset(values)}
        return replace(self, **changes)

    def filtered(self) -> bool:
        return any(getattr(self, facet) for facet in FACETS) or self.needs_answer

    def cleared(self) -> CatalogueView:
        """The same words and sort, no filters."""
        return CatalogueView(text=self.text, sort=self.sort)


@dataclass(frozen=True)
class CatalogueRow:
    """One line of the catalogue: the idea, its meeting's code, and its counts."""

    idea: Idea
    meeting_code: str
    supports: int
    comments: int


def _statement(
    session: Session,
    meeting_ids: Sequence[uuid.UUID],
    view: CatalogueView,
    audience: Audience,
    now: datetime,
) -> Any:
    """The SELECT of (idea, meeting code) for the view, sorted."""
    if view.sort not in SORTS:
        raise DomainError(f"Sort by {', '.join(SORTS)}; not {view.sort}.")
    wanted = list(meeting_ids)
    if view.meetings:
        chosen = {str(m) for m in view.meetings}
        wanted = [m for m in wanted if str(m) in chosen]
    query = IdeaQuery(
        meeting_ids=wanted,
        text=view.text,
        statuses=tuple(sorted(view.statuses)),
        needs_answer=view.needs_answer,
        audience=audience,
        order="oldest" if view.needs_answer else "newest",
    )
    statement = search_statement(session, query)
    conditions: list[Any] = []
    for values, column in (
        (view.topics, Idea.topic),
        (view.stakeholders, Idea.stakeholder),
        (view.channels, Idea.channel),
        (view.scales, Idea.scale),
        (view.plan_versions, Idea.plan_version),
    ):
        if values:
            conditions.append(col(column).in_(sorted(values)))
    if view.reviewers and audience is Audience.ORGANISERS:  # reviewers are staff
        conditions.append(col(Idea.reviewer).in_(sorted(view.reviewers)))
    if view.published and view.published != {"yes", "no"}:
        answered = col(Idea.public_response) != ""
        conditions.append(answered if "yes" in view.published else ~answered)
    if view.ages and set(view.ages) != set(AGES):
        conditions.append(or_(*(_age_band(key, now) for key in sorted(view.ages))))
    if conditions:
        statement = statement.where(*conditions)
    if view.needs_answer:
        return statement  # oldest first (after the best match): who has waited longest
    if view.sort == "newest":
        return statement
    order: list[Any] = []
    if view.sort == "supported":  # stored counts (revision 0010): an index walk
        order.append(col(Idea.support_count).desc())
    elif view.sort == "discussed":
        order.append(public.comment_count_column(audience).desc())
    elif view.sort == "waiting":  # unanswered first, oldest first: ``ix_idea_awaiting``
        # Always true (it is 0 or 1), and what lets SQLite walk the index in order: each
        # value in turn, oldest first (without it a sampled ANALYZE leads it to sort).
        every = lifecycle.ANSWER_PUBLISHED.in_((0, 1))
        order += [lifecycle.ANSWER_PUBLISHED, col(Idea.captured_at)]
        return statement.where(every).order_by(None).order_by(*order)
    order.append(col(Idea.captured_at).desc())
    return statement.order_by(None).order_by(*order)


def _age_band(key: str, now: datetime) -> Any:
    """Raised between the band's bounds (days before ``now``)."""
    if key not in AGES:
        raise DomainError(f"No such age: {key}.")
    younger, older = AGES[key]
    band = [col(Idea.captured_at) <= now - timedelta(days=younger)]
    if older is not None:
        band.append(col(Idea.captured_at) > now - timedelta(days=older))
    return and_(*band)


def catalogue_page(
    session: Session,
    meeting_ids: Sequence[uuid.UUID],
    view: CatalogueView,
    *,
    offset: int = 0,
    limit: int = 100,
    audience: Audience = Audience.ORGANISERS,
    now: datetime | None = None,
) -> list[CatalogueRow]:
    """One page of the view: ``limit`` rows from ``offset``, with their supports (the one
    count, domain/supports.py: an idea with ideas merged into it counts each device once across
    them) and the comments ``audience`` may see (the stored count the sort uses). "Most
    supported" sorts by each idea's own stored count: an idea with sources may read higher
    than its place."""
    statement = _statement(session, meeting_ids, view, audience, now or utcnow())
    found = list(session.exec(statement.offset(offset).limit(limit)))
    comments = public.comment_count_column(audience).key
    supports = idea_support_counts(
        session,
        [idea.id for idea, _ in found],
        audience,
        own={idea.id: idea.support_count for idea, _ in found},
    )
    return [
        CatalogueRow(idea, code, supports[idea.id], getattr(idea, comments)) for idea, code in found
    ]


def catalogue_count(
    session: Session,
    meeting_ids: Sequence[uuid.UUID],
    view: CatalogueView,
    *,
    audience: Audience = Audience.ORGANISERS,
    now: datetime | None = None,
) -> int:
    """How many ideas the view matches (counted in the database)."""
    statement = _statement(session, meeting_ids, view, audience, now or utcnow())
    inner = statement.order_by(None).with_only_columns(col(Idea.id)).subquery()
    return int(session.exec(select(func.count()).select_from(inner)).one())


def catalogue_ids(
    session: Session,
    meeting_ids: Sequence[uuid.UUID],
    view: CatalogueView,
    *,
    limit: int,
    audience: Audience = Audience.ORGANISERS,
    now: datetime | None = None,
) -> list[uuid.UUID]:
    """The ids of the first ``limit`` matches, in the view's order ("select every match")."""
    statement = _statement(session, meeting_ids, view, audience, now or utcnow())
    rows: Any = session.exec(statement.with_only_columns(col(Idea.id)).limit(limit))
    return [row[0] for row in rows]  # plain ids, not rows (PostgreSQL's driver adapts no Row)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Facets:
    """The values there are to filter by, per filter (``FACETS`` keys), with how many ideas of
    the programme have each."""

    values: dict[str, list[FacetValue]] = field(default_factory=dict)


def catalogue_facets(
    session: Session,
    meeting_ids: Sequence[uuid.UUID],
    *,
    audience: Audience = Audience.ORGANISERS,
    now: datetime | None = None,
) -> Facets:
    """Every value of every filter in the programme (the filters' choices), counted."""
    moment = now or utcnow()
    base = (col(Idea.meeting_id).in_(list(meeting_ids)), *public.idea_filter(audience))

    def grouped(column: Any) -> list[tuple[str, int]]:
        query = select(column, func.count()).where(*base).group_by(column).order_by(column)
        return [(str(value or ""), int(n)) for value, n in session.exec(query)]

    values: dict[str, list[FacetValue]] = {}
    meeting_counts = dict(grouped(col(Idea.meeting_id)))
    meetings_rows = session.exec(
        select(Meeting)
        .where(col(Meeting.id).in_(list(meeting_ids)))
        .order_by(col(Meeting.date), col(Meeting.created_at))
    ).all()
    values["meetings"] = [
        FacetValue(
            str(m.id),
            f"{m.title} ({m.code}{', ' + m.date if m.date else ''})",
            meeting_counts.get(str(m.id), 0),
        )
        for m in meetings_rows
    ]
    values["topics"] = [FacetValue(v, v or "no topic", n) for v, n in grouped(col(Idea.topic))]
    for facet, column, vocabulary in (
        ("stakeholders", Idea.stakeholder, STAKEHOLDERS),
        ("channels", Idea.channel, CHANNELS),
        ("statuses", public.status_column(audience), IDEA_STATUSES),
        ("scales", Idea.scale, SCALES),
    ):
        values[facet] = [
            FacetValue(v, vocabulary.get(v, v) if v else "not given", n)
            for v, n in grouped(col(column) if facet != "statuses" else column)
        ]
    if audience is Audience.ORGANISERS:
        values["reviewers"] = [
            FacetValue(v, v or "nobody yet", n) for v, n in grouped(col(Idea.reviewer))
        ]
    else:
        values["reviewers"] = []
    values["plan_versions"] = [
        FacetValue(v, v or "not linked", n) for v, n in grouped(col(Idea.plan_version))
    ]
    answered = case((col(Idea.public_response) != "", "yes"), else_="no")
    values["published"] = [
        FacetValue(v, PUBLISHED_LABELS[v], n) for v, n in grouped(answered) if v in PUBLISHED_LABELS
    ]
    ages = [func.count(case((_age_band(key, moment), 1))) for key in AGES]
    age_counts: Any = session.exec(select(*ages).where(*base)).one()
    values["ages"] = [
        FacetValue(key, AGE_LABELS[key], int(n)) for key, n in zip(AGES, age_counts, strict=True)
    ]
    return Facets(values)
