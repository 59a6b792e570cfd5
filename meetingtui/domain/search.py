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

from sqlalchemy import ColumnElement, Text, bindparam, func, literal_column, table, text
from sqlmodel import Session, col, or_, select

from meetingtui.domain.errors import DomainError
from meetingtui.domain.lifecycle import awaiting_answer_conditions
from meetingtui.domain.models import Idea, Meeting, utcnow
from meetingtui.domain.public import Audience, idea_filter, plan_version_column, status_column
from meetingtui.domain.text_fold import spell_apart

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
    # Paging and the catalogue's multi-select filters: a value matches when it is any of those
    # chosen (with the one-value field above, either).
    offset: int = 0
    topics: Sequence[str] = ()
    stakeholders: Sequence[str] = ()
    channels: Sequence[str] = ()
    scales: Sequence[str] = ()
    reviewers: Sequence[str] = ()  # reviewers are staff: organisers only, like ``reviewer``
    plan_versions: Sequence[str] = ()
    answered: bool | None = None  # True: a response is published; False: none is yet


ORDERS = ("meeting", "newest", "oldest")
"""How matches are listed (after the best match, when words were typed): by meeting and number
(the command line's catalogue); newest or oldest first, by when raised (a page of the catalogue
walks ``ix_idea_captured_at``; "needs an answer" is oldest first)."""


def words(typed: str) -> list[str]:
    """The words of a search as typed (letters and digits; punctuation separates them), with
    œ, ł, ß… spelt apart as SQLite's index holds them (text_fold.LETTERS_APART: "œuvre" finds
    "oeuvre" and the other way round); the tokenizer does the rest of the fold."""
    return _WORD.findall(spell_apart(typed))


def search_ideas(session: Session, query: IdeaQuery) -> list[tuple[Idea, str]]:
    """Matching ideas with their meeting's code: best match first when words were typed; oldest
    first for "needs an answer"; otherwise by meeting and number.

    On SQLite a page of a word search is quick whatever the catalogue's size. It takes one of
    two ways, both ranking in FTS5's index (bm25 costs a few microseconds a match, and a fixed
    cost about twice that of finding the matches, per query):

    - Filters that keep few ideas (a status, a reviewer, a plan version or a topic held by at
      most ``FILTERED_MAX`` ideas, counted in that column's index): the ideas they keep are
      found first, and only the matches among them are ranked, the best page kept (exact).
    - Otherwise: the best few hundred matches (``CANDIDATES``, more for later pages) are kept,
      and only then are those ideas read and the filters applied. Words found in more than
      ``RANKED_MAX`` ideas are ranked among their newest ``RANKED_MAX`` matches: beyond that
      many matches the order is approximate (see ``RANKED_MAX``). When the filters leave the
      page short, every match is ranked instead, each idea read for the filters (exact,
      slower: filters with no index, such as "answered", are not known to keep few).

    Below ``RANKED_MAX`` matches the page is exactly the one ranking every match gives
    (tests/domain/test_search_speed.py compares them)."""
    wanted = _page_rows(query)
    if wanted is None or not _sqlite_words(session, query):
        return _run(session, search_statement(session, query))
    if _filters_keep_few(session, query):
        return _run(session, search_statement(session, query, candidates=wanted, within=True))
    candidates = max(CANDIDATES, wanted * CANDIDATES_PER_ROW)
    statement = search_statement(session, query, candidates=candidates, ranked=RANKED_MAX)
    rows = _run(session, statement)
    if len(rows) >= (query.limit or 0):
        return rows  # a full page (the matches are counted only for a short one: counting
        # walks every match's doclist again, as much as ranking them did)
    if _match_count(session, query, RANKED_MAX + 1) <= min(candidates, RANKED_MAX):
        return rows  # every match was ranked and the results end here
    # The filters keep few of the best matches, and are not known to keep few ideas: rank every
    # match, each idea read for the filters. Not ``within``: with no index to find what they
    # keep ("answered"), finding it reads every idea (300 ms for "bus" and answered, 110 so).
    return _run(session, search_statement(session, query))


CANDIDATES = 500
"""The fewest best matches a page of a word search ranks before filters apply (SQLite)."""
CANDIDATES_PER_ROW = 10
"""…and at least this many per row wanted (offset + limit): filters that keep one match in ten
still fill the page at the first try."""
RANKED_MAX = 3_000
"""Words matching more ideas than this are ranked among their newest this many matches, the
rest not ranked at all: beyond this many matches the order is approximate (the page is the best
of the newest 3,000), so that a page stays near 50 ms. Ranking costs about 3 us a match (bm25
reads each match's positions and its column sizes) on top of a fixed cost about twice that of
finding the matches (bm25 finds each word's ideas again to weigh it): with 10,000, "care home
elderly" (8,320 matches, every one ranked) took 88-110 ms at load 1-2.4. FTS5 offers nothing
cheaper: ``ORDER BY rank LIMIT n`` ranks every match too (the benchmark's baseline), and
ranking title matches first costs more (more phrases to weigh). bench/catalogue.py's docstring
has the figures. A page past the newest matches' best (a deep offset), and a search with
filters that keep few ideas, rank every match they need (exact)."""
FILTERED_MAX = 5_000
"""Filters that keep at most this many ideas are applied before ranking (``within``): finding
that many ideas by their index (a few milliseconds) and ranking only their matches costs no
more than ranking ``RANKED_MAX`` matches, the page is exact, and nothing is tried twice
(before, such filters left the first page short, and every match was ranked again with its
idea read: 76-112 ms for "night bus" and adopted, 24-34 ms p50 now at load 5)."""


def _filters_keep_few(session: Session, query: IdeaQuery) -> bool:
    """At most ``FILTERED_MAX`` ideas have one of the filter's values, for some filter whose
    column is indexed (counted in the index alone, stopping there): an upper bound of what all
    the filters keep. Other filters (channel, answered…) are not counted (no index: counting
    would read the ideas), so that a search with only those takes the candidates' way."""
    organisers = query.audience is Audience.ORGANISERS
    chosen = (
        (status_column(query.audience), list(query.statuses)),
        (col(Idea.reviewer), [*([query.reviewer] if query.reviewer else []), *query.reviewers])
        if organisers
        else (col(Idea.reviewer), []),
        (
            plan_version_column(query.audience),
            [*([query.plan_version] if query.plan_version else []), *query.plan_versions],
        ),
        (col(Idea.topic), [*([query.topic] if query.topic else []), *query.topics]),
    )
    for column, values in chosen:
        if not values:
            continue
        kept: Any = select(literal_column("1")).where(column.in_(values)).limit(FILTERED_MAX + 1)
        counted = session.exec(select(func.count()).select_from(kept.subquery())).one()
        if int(counted) <= FILTERED_MAX:
            return True
    return False


def _run(session: Session, statement: Any) -> list[tuple[Idea, str]]:
    return [(idea, code) for idea, code in session.exec(statement)]


def _page_rows(query: IdeaQuery) -> int | None:
    """How many ranked rows a page needs (its offset and its rows); None: every row."""
    return None if query.limit is None else max(0, query.offset) + max(0, query.limit)


def _sqlite_words(session: Session, query: IdeaQuery) -> bool:
    return bool(words(query.text)) and session.get_bind().dialect.name == "sqlite"


def _match_count(session: Session, query: IdeaQuery, at_most: int) -> int:
    """How many ideas the words match, counting no further than ``at_most`` (FTS5 alone: no
    ranking, no idea read)."""
    found = session.connection().execute(
        text(
            "SELECT count(*) FROM (SELECT 1 FROM idea_fts WHERE idea_fts MATCH :q LIMIT :n)"
        ).bindparams(q=fts5_query(words(query.text)), n=at_most)
    )
    return int(found.scalar_one())


def search_statement(
    session: Session,
    query: IdeaQuery,
    *,
    candidates: int | None = None,
    ranked: int | None = None,
    within: bool = False,
) -> Any:
    """The SELECT of (idea, meeting code) that ``search_ideas`` runs (to EXPLAIN, or to page).

    SQLite, words typed: ``candidates`` keeps only that many of the best matches before the
    filters apply, ``ranked`` ranks only the newest that many matches (as ``search_ideas``
    does first); None for both ranks every match, the filters applied to each. ``within``: the
    ideas the filters keep are found first (their rows, by their indexes) and only the matches
    among them are ranked, ``candidates`` of them kept: exact, whatever ``ranked``."""
    if query.order not in ORDERS:
        raise DomainError(f"Order by {', '.join(ORDERS)}; not {query.order}.")
    order: list[Any] = []
    typed = query.text.strip()
    found = words(typed)
    sqlite = session.get_bind().dialect.name != "postgresql"
    if found and sqlite:
        kept_rows: Any = None
        if within:
            kept_rows = (
                select(literal_column("idea.rowid"))
                .select_from(Idea)
                .where(*_conditions(query, sqlite=sqlite))
            )
            ranked = None
        matches = sqlite_matches(found, candidates, ranked, within=kept_rows)
        # The FTS row of an idea is the idea's row (revision 0008's triggers): read by row, and
        # its id checked last, once the filters have kept it (reading it costs more than them).
        statement = (
            select(Idea, Meeting.code)
            .select_from(matches)
            .join(Idea, literal_column("idea.rowid") == matches.c.fts_row)
            .join(Meeting, col(Meeting.id) == col(Idea.meeting_id))
        )
        order += [matches.c.score, matches.c.fts_row]  # bm25: lower is better
    else:
        statement = select(Idea, Meeting.code).join(
            Meeting, col(Meeting.id) == col(Idea.meeting_id)
        )
    statement = statement.where(*_conditions(query, sqlite=sqlite))
    if found and sqlite:
        statement = statement.where(col(Idea.id) == fts_idea_id(matches.c.fts_row))
    if typed and not found:
        statement = statement.where(_literal(typed))
    elif found and not sqlite:
        statement, rank = _postgresql(statement, found)
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
    if query.offset:
        statement = statement.offset(query.offset)
    return statement


def _conditions(query: IdeaQuery, *, sqlite: bool = True) -> list[ColumnElement[bool]]:
    """The filters of ``query`` (the audience's own included), as conditions on ``Idea``.
    ``sqlite``: several values of one filter keep the planner off that column's index (SQLite
    does not know how many ideas each value has; PostgreSQL does)."""
    any_of = _any_of if sqlite else (lambda column, values: column.in_(values))
    found: list[ColumnElement[bool]] = list(idea_filter(query.audience))
    if query.meeting_ids is not None:
        found.append(col(Idea.meeting_id).in_(list(query.meeting_ids)))
    statuses = list(dict.fromkeys(query.statuses))
    if len(statuses) == 1:
        found.append(status_column(query.audience) == statuses[0])
    elif statuses:
        found.append(any_of(status_column(query.audience), statuses))
    organisers = query.audience is Audience.ORGANISERS
    for column, one, many in (
        (Idea.topic, query.topic, query.topics),
        (Idea.stakeholder, query.stakeholder, query.stakeholders),
        (
            Idea.reviewer,
            query.reviewer if organisers else "",
            query.reviewers if organisers else (),
        ),
        (plan_version_column(query.audience), query.plan_version, query.plan_versions),
        (Idea.channel, "", query.channels),
        (Idea.scale, "", query.scales),
    ):
        chosen = list(dict.fromkeys([*([one] if one else []), *many]))
        if len(chosen) == 1:  # one value: its index (revision 0009) reads its ideas in order
            found.append(col(column) == chosen[0])
        elif chosen:  # several: ``|| ''`` keeps the planner off the index (see _any_of)
            found.append(any_of(col(column), chosen))
    if query.answered is not None:
        answered = col(Idea.public_response) != ""
        found.append(answered if query.answered else ~answered)
    if query.needs_answer:
        found.extend(awaiting_answer_conditions())
    if query.older_than_days is not None:
        cutoff = utcnow() - timedelta(days=query.older_than_days)
        found.append(col(Idea.captured_at) < cutoff)
    return found


def _any_of(column: Any, values: list[str]) -> ColumnElement[bool]:
    """``column`` is one of ``values``, compared as ``column || ''`` so that no index on the
    column is used: the page walks ``ix_idea_captured_at`` in order instead of sorting every
    idea of each value (SQLite has no statistics of how many ideas each value has)."""
    return column.concat("").in_(values)


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


BM25_WEIGHTS = {"title": 4.0, "detail": 1.0, "affects": 1.0, "tags": 2.0}
"""How much a word found in each searched column counts (bm25's column weights): a word in the
title says more about an idea than the same word in its detail."""


def fts5_any_query(found: list[str], *, prefix_last: bool = True) -> str:
    """Any of the words (FTS5 ``OR``), each quoted; words of three letters or more match as
    prefixes ("bench" finds "benches"), and the last word too when it is still being typed
    (``prefix_last``): what domain/similar.py looks for while a title is typed."""
    terms = []
    for index, word in enumerate(found):
        last = index == len(found) - 1
        star = "*" if len(word) >= 3 or (last and prefix_last) else ""
        terms.append('"' + word.replace('"', '""') + '"' + star)
    return " OR ".join(terms)


def sqlite_matches(
    found: list[str],
    candidates: int | None,
    ranked: int | None,
    *,
    fts: str | None = None,
    within: Any = None,
) -> Any:
    """(fts_row, score) of the matches: the ``candidates`` best (ties by row) among the newest
    ``ranked``; or (``candidates`` None) every match. Only FTS5's index is read. ``fts``: an
    FTS5 query of one's own instead of every word of ``found`` (``fts5_any_query``).
    ``within``: a SELECT of idea rows; only the matches among them are ranked (it is run once,
    its rows kept in a temporary index; ``+rowid`` keeps FTS5 from looking each one up, which
    would find the words' matches again per row)."""
    weights = ", ".join(["0.0", *(repr(BM25_WEIGHTS[c]) for c in SEARCHED)])
    q: Any = bindparam("q", fts if fts is not None else fts5_query(found))
    if within is not None:
        kept: Any = (
            select(
                literal_column("idea_fts.rowid").label("fts_row"),
                literal_column(f"bm25(idea_fts, {weights})").label("score"),
            )
            .select_from(table("idea_fts"))
            .where(
                literal_column("idea_fts").op("MATCH")(q),
                literal_column("+idea_fts.rowid").in_(within.scalar_subquery()),
            )
            .order_by(literal_column("score"), literal_column("fts_row"))
        )
        if candidates is not None:
            kept = kept.limit(candidates)
        return kept.subquery("matches")
    params: list[Any] = [q]
    sql = f"SELECT rowid AS fts_row, bm25(idea_fts, {weights}) AS score FROM idea_fts"
    sql += " WHERE idea_fts MATCH :q"
    if candidates is not None:
        if ranked is not None:  # FTS5 walks its rows newest first and stops there
            sql = f"SELECT * FROM ({sql} ORDER BY rowid DESC LIMIT :ranked)"
            params.append(bindparam("ranked", ranked))
        sql += " ORDER BY score, fts_row LIMIT :candidates"
        params.append(bindparam("candidates", candidates))
    return (
        text(sql)
        .bindparams(*params)
        .columns(literal_column("fts_row"), literal_column("score"))
        .subquery("matches")
    )


def fts_idea_id(fts_row: Any) -> Any:
    """The idea id an FTS row was written for (one row read by its key)."""
    return (
        select(literal_column("idea_id"))
        .select_from(table("idea_fts"))
        .where(literal_column("idea_fts.rowid") == fts_row)
        .scalar_subquery()
    )


def postgresql_tsquery(found: list[str], *, any_word: bool = False) -> Any:
    """Each word folded as the index folds the text, then matched as a prefix; all must match
    (``any_word``: any may)."""
    joiner = " | " if any_word else " & "
    terms: Any = None
    for word in found:
        folded = func.meetingtui_fold(bindparam("w", word, unique=True), type_=Text)
        term = func.replace(func.btrim(folded), " ", ":*" + joiner, type_=Text).concat(":*")
        terms = term if terms is None else terms.concat(joiner).concat(term)
    return func.to_tsquery(literal_column("'simple'::regconfig"), terms)


POSTGRESQL_SEARCH_VECTOR: Any = literal_column("idea.search_vector")
"""The stored vector (revision 0009: ``postgresql_vector`` kept ready, and indexed)."""


def _postgresql(statement: Any, found: list[str]) -> tuple[Any, Any]:
    vector = POSTGRESQL_SEARCH_VECTOR
    statement = statement.where(vector.op("@@")(postgresql_tsquery(found)))
    return statement, func.ts_rank(vector, postgresql_tsquery(found)).desc()
