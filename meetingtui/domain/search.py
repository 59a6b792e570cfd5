"""The catalogue's one search: every idea of a programme, by words and filters.

Words are found with the database's full-text search (revision 0006): SQLite's FTS5 (unicode61,
diacritics removed, ranked by bm25) or PostgreSQL's text search (``meetingtui_fold``: lower
case, accents removed, punctuation a space; ranked by ts_rank). Each word typed matches as a
prefix ("bench" finds "benches"), every word must match, "cafe" finds "café", and punctuation
separates words. Text with no word in it at all ("%", "_") is looked for literally instead, as
typed. Only the idea's own words are searched (title, detail, who is affected, tags), never
names.

What an audience may see is decided by domain/public.py: the public never finds a hidden,
pending or deleted idea, and filters on status read the published status.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, Text, bindparam, func, literal_column, text
from sqlmodel import Session, col, or_, select

from meetingtui.domain.errors import DomainError
from meetingtui.domain.lifecycle import awaiting_answer_conditions
from meetingtui.domain.models import Idea, Meeting, utcnow
from meetingtui.domain.public import Audience, idea_filter, status_column

_WORD = re.compile(r"[^\W_]+")

SEARCHED = ("title", "detail", "affects", "tags")


def postgresql_vector(table: str = "") -> str:
    """The expression PostgreSQL's GIN index ix_idea_search is built on (revision 0006 writes it
    unqualified; a test compares them): a query must say the same for the index to be used."""
    joined = " || ' ' || ".join(f"coalesce({table}{column}, '')" for column in SEARCHED)
    return f"to_tsvector('simple'::regconfig, meetingtui_fold({joined}))"


POSTGRESQL_VECTOR = postgresql_vector()


@dataclass(frozen=True)
class IdeaQuery:
    """What to find. Empty values do not filter."""

    meeting_ids: Sequence[uuid.UUID] | None = None  # None: every meeting
    text: str = ""
    statuses: Sequence[str] = ()
    topic: str = ""
    stakeholder: str = ""
    reviewer: str = ""
    plan_version: str = ""
    needs_answer: bool = False
    older_than_days: int | None = None
    audience: Audience = Audience.PUBLIC
    order: str = "meeting"  # see ORDERS
    limit: int | None = None


ORDERS = ("meeting", "newest", "oldest")
"""How matches are listed (after the best match, when words were typed): by meeting and number
(the command line's catalogue); newest or oldest first, by when raised (a page of the catalogue
walks ``ix_idea_captured_at``; "needs an answer" is oldest first)."""


def words(typed: str) -> list[str]:
    """The words of a search as typed (letters and digits; punctuation separates them)."""
    return _WORD.findall(typed)


def search_ideas(session: Session, query: IdeaQuery) -> list[tuple[Idea, str]]:
    """Matching ideas with their meeting's code: best match first when words were typed; oldest
    first for "needs an answer"; otherwise by meeting and number."""
    return [(idea, code) for idea, code in session.exec(search_statement(session, query))]


def search_statement(session: Session, query: IdeaQuery) -> Any:
    """The SELECT of (idea, meeting code) that ``search_ideas`` runs (to EXPLAIN, or to page)."""
    if query.order not in ORDERS:
        raise DomainError(f"Order by {', '.join(ORDERS)}; not {query.order}.")
    statement = (
        select(Idea, Meeting.code)
        .join(Meeting, col(Meeting.id) == col(Idea.meeting_id))
        .where(*idea_filter(query.audience))
    )
    if query.meeting_ids is not None:
        statement = statement.where(col(Idea.meeting_id).in_(list(query.meeting_ids)))
    if query.statuses:
        statement = statement.where(status_column(query.audience).in_(list(query.statuses)))
    if query.topic:
        statement = statement.where(Idea.topic == query.topic)
    if query.stakeholder:
        statement = statement.where(Idea.stakeholder == query.stakeholder)
    if query.reviewer and query.audience is Audience.ORGANISERS:
        statement = statement.where(Idea.reviewer == query.reviewer)
    if query.plan_version:
        statement = statement.where(Idea.plan_version == query.plan_version)
    if query.needs_answer:
        statement = statement.where(*awaiting_answer_conditions())
    if query.older_than_days is not None:
        cutoff = utcnow() - timedelta(days=query.older_than_days)
        statement = statement.where(col(Idea.captured_at) < cutoff)
    order: list[Any] = []
    typed = query.text.strip()
    if typed:
        found = words(typed)
        if not found:
            statement = statement.where(_literal(typed))
        elif session.get_bind().dialect.name == "postgresql":
            statement, rank = _postgresql(statement, found)
            order.append(rank)
        else:
            statement, rank = _sqlite(statement, found)
            order.append(rank)
    if query.order == "newest":
        order.append(col(Idea.captured_at).desc())
    elif query.order == "oldest" or query.needs_answer:
        order.append(col(Idea.captured_at))
    else:
        order += [col(Meeting.created_at), col(Meeting.code), col(Idea.seq)]
    statement = statement.order_by(*order)
    if query.limit is not None:
        statement = statement.limit(query.limit)
    return statement


def _literal(typed: str) -> ColumnElement[bool]:
    """Title or detail contains the text itself (% and _ are letters here, not wildcards)."""
    escaped = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return or_(
        col(Idea.title).ilike(pattern, escape="\\"), col(Idea.detail).ilike(pattern, escape="\\")
    )


def fts5_query(found: list[str]) -> str:
    """Each word quoted (so FTS5's operators are letters) and matched as a prefix; all must
    match."""
    return " ".join('"' + word.replace('"', '""') + '"*' for word in found)


def _sqlite(statement: Any, found: list[str]) -> tuple[Any, Any]:
    matches = (
        text("SELECT idea_id, bm25(idea_fts) AS score FROM idea_fts WHERE idea_fts MATCH :q")
        .bindparams(bindparam("q", fts5_query(found)))
        .columns(literal_column("idea_id"), literal_column("score"))
        .subquery("matches")
    )
    statement = statement.join(matches, matches.c.idea_id == col(Idea.id))
    return statement, matches.c.score  # bm25: lower is better


def _postgresql(statement: Any, found: list[str]) -> tuple[Any, Any]:
    def query() -> Any:
        # Each word folded as the index folds the text, then matched as a prefix; all must match.
        terms: Any = None
        for word in found:
            folded = func.meetingtui_fold(bindparam("w", word, unique=True), type_=Text)
            term = func.replace(func.btrim(folded), " ", ":* & ", type_=Text).concat(":*")
            terms = term if terms is None else terms.concat(" & ").concat(term)
        return func.to_tsquery(literal_column("'simple'::regconfig"), terms)

    vector: Any = literal_column(postgresql_vector("idea."))
    statement = statement.where(vector.op("@@")(query()))
    return statement, func.ts_rank(vector, query()).desc()
