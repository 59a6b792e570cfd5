"""Similar ideas while an idea is typed: "Similar ideas already raised: I-0042 Benches at the bus
stop (12 supports)", so that a person can support or comment on an idea already raised instead of
filing it again.

Computed locally, per keystroke, in two steps:

1. **Candidates** from the full-text index (domain/search.py's pieces): SQLite's FTS5
   ``idea_fts``, titles only (a ``{title}`` column filter), or PostgreSQL's stored
   ``search_vector`` (every word, then any word, ranked by ts_rank).
   On SQLite, first the newest ``NEWEST`` titles with every word typed (each a prefix); then
   every word but the last (a title typed on past the idea it repeats); then any word, the best
   by bm25 among the newest ``RANKED``; a later query runs only when the earlier ones found
   fewer than asked for. A keystroke costs about the same in a 100,000-idea catalogue as in a
   meeting of fifty (bench/intake_similar.py). A scope of a few meetings with at most
   ``SCAN_MAX`` ideas (one meeting: the phone's) is scored whole instead, titles alone read.
2. **Scores** from text_fold's rule (accents, case and punctuation aside): shared words and
   shared three-letter pieces of the words (so "bench" and "benches", or a typo, still count)
   between what is typed and each candidate's title, the word still being typed completed to
   the candidate's word it begins. Below ``MIN_SCORE`` an idea is not shown: a suggestion that
   has nothing to do with the idea is worse than none.

The phone is offered the idea kept instead of a merged one (``follow_merges``: never both),
since only that one takes support; the console is told where a merged one went.

Only ideas the audience may see are suggested (domain/public.py): a phone never sees a hidden,
pending or deleted idea, and reads the published status.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import func, literal_column, text
from sqlmodel import Session, col, select

from meetingtui.domain import public
from meetingtui.domain.catalogue_refs import full_ref
from meetingtui.domain.models import Idea, Meeting, Programme
from meetingtui.domain.programmes import programme_meeting_ids, programme_of_meeting
from meetingtui.domain.public import Audience, idea_filter
from meetingtui.domain.search import (
    POSTGRESQL_SEARCH_VECTOR,
    fts5_any_query,
    fts5_query,
    fts_idea_id,
    postgresql_tsquery,
    sqlite_matches,
)
from meetingtui.domain.states import IdeaStatus
from meetingtui.domain.supports import idea_support_counts
from meetingtui.domain.text_fold import fold, jaccard, word_trigrams, words

MAX_WORDS = 12
"""Words of what is typed that are looked for (a title's; the detail's first few after it)."""
TEXT_MAX = 4200
"""Characters of what is typed that are read at all (a title and a detail)."""
CANDIDATES = 40
"""Best full-text matches per query that are scored."""
RANKED = 500
"""Newest full-text matches per query ranked to find those candidates (ranking costs per
match: a word in half of a 100,000-idea catalogue must not cost 50,000 rankings a keystroke)."""
MIN_SCORE = 0.3
"""The least score shown (0 nothing shared, 1 the same words)."""
LIMIT_MAX = 10


@dataclass(frozen=True)
class SimilarIdea:
    """An idea like the one being typed, as the audience may see it."""

    idea_id: uuid.UUID
    ref: str
    meeting_code: str
    title: str
    support_count: int
    status: str  # as the audience sees it (published, for the public)
    merged_into: str  # the ref it was merged into ("CODE/I-0042" when in another meeting), or ""
    score: float
    visibility: str = "visible"  # hidden · pending: organisers only (the public never gets one)

    @property
    def full_ref(self) -> str:
        return full_ref(self.meeting_code, self.ref)


def scope_of_meeting(session: Session, meeting_id: uuid.UUID) -> list[uuid.UUID]:
    """The meetings whose ideas a note-taker at this meeting should be told about: every
    meeting of its programme."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        return [meeting_id]
    return programme_meeting_ids(session, programme_of_meeting(session, meeting)) or [meeting_id]


def similar_ideas(
    session: Session,
    *,
    text: str,
    audience: Audience,
    meeting_ids: Sequence[uuid.UUID] | None = None,
    programme_id: uuid.UUID | None = None,
    limit: int = 3,
    exclude: uuid.UUID | Iterable[uuid.UUID] | None = None,
    follow_merges: bool = False,
) -> list[SimilarIdea]:
    """The few ideas most like ``text`` (what is being typed: a title, maybe its detail after
    it), best first, each scoring at least ``MIN_SCORE``, each with domain/supports.py's count.

    ``meeting_ids``: only these meetings' ideas; ``programme_id``: only that programme's; neither:
    every idea. ``exclude``: ideas never suggested (the one being edited). ``follow_merges``
    (the phone, offering an idea to support): a merged idea is suggested as the idea it went
    into, which takes the support (never both); otherwise it is suggested as itself, saying
    where it went."""
    limit = max(0, min(limit, LIMIT_MAX))
    typed = text[:TEXT_MAX]
    found = words(typed)[:MAX_WORDS]
    if not found or limit == 0:
        return []
    # The last word is still being typed unless something follows it.
    typing = bool(fold(typed)) and typed[-1:].isalnum() and len(words(typed)) <= MAX_WORDS
    scope = list(meeting_ids) if meeting_ids is not None else None
    if programme_id is not None:
        programme = session.get(Programme, programme_id)
        owned = programme_meeting_ids(session, programme) if programme is not None else []
        scope = owned if scope is None else [m for m in scope if m in set(owned)]
    if scope is not None and not scope:
        return []
    left_out = _ids(exclude)
    typed_words = Typed(found, typing)
    best: dict[uuid.UUID, float] = {}
    full: dict[uuid.UUID, _Row] = {}
    for rows in _candidates(session, found, typing, audience, scope):
        for row in rows:
            if row.idea_id in best or row.idea_id in left_out:
                continue
            if not typed_words.may_match(row.title):
                continue
            score = _score(found, typing, row.title)
            if score >= MIN_SCORE:
                best[row.idea_id] = score
                if isinstance(row, _Row):
                    full[row.idea_id] = row
        if len(best) >= limit:
            break  # enough alike already: the looser query is not needed
    top = sorted(best.items(), key=lambda entry: -entry[1])[: 2 * limit]
    missing = [idea_id for idea_id, _ in top if idea_id not in full]
    if missing:
        full.update(_rows_by_id(session, missing, audience))
    ranked = sorted(
        ((score, full[idea_id]) for idea_id, score in top if idea_id in full),
        key=lambda entry: (-entry[0], -entry[1].support_count, entry[1].captured_at),
    )
    targets = _merge_targets(session, [row for _, row in ranked], audience)
    chosen = _live(session, ranked, targets, audience, follow_merges, left_out)[:limit]
    supports = idea_support_counts(
        session,
        [row.idea_id for _, row in chosen],
        audience,
        own={row.idea_id: row.support_count for _, row in chosen},
    )
    return [
        SimilarIdea(
            idea_id=row.idea_id,
            ref=row.ref,
            meeting_code=row.code,
            title=row.title,
            support_count=supports[row.idea_id],
            status=row.status,
            merged_into=_merged_ref(row, targets),
            score=round(score, 3),
            visibility=row.visibility,
        )
        for score, row in chosen
    ]


def _live(
    session: Session,
    ranked: list[tuple[float, _Row]],
    targets: dict[uuid.UUID, tuple[str, str]],
    audience: Audience,
    follow_merges: bool,
    left_out: set[uuid.UUID],
) -> list[tuple[float, _Row]]:
    """With ``follow_merges`` (the phone): each merged idea replaced by the idea it went into,
    at the merged one's place, and never both listed (the idea kept once, at its best place);
    a merged idea whose kept idea the audience may not see is left out (it takes no support,
    and the kept one must not be named). Without (the console, which says where each went):
    as ranked."""
    if not follow_merges:
        return ranked
    wanted = {
        row.merged_into_id
        for _, row in ranked
        if row.merged_into_id in targets and row.merged_into_id not in left_out
    }
    kept = _rows_by_id(session, list(wanted), audience) if wanted else {}
    seen: set[uuid.UUID] = set()
    live: list[tuple[float, _Row]] = []
    for score, row in ranked:
        target = kept.get(row.merged_into_id) if row.merged_into_id is not None else None
        if target is not None and target.status != IdeaStatus.MERGED:
            row = target
        elif row.status == IdeaStatus.MERGED:
            continue  # went into an idea the audience may not see: nothing there to support
        if row.idea_id in seen:
            continue
        seen.add(row.idea_id)
        live.append((score, row))
    return live


def _ids(exclude: uuid.UUID | Iterable[uuid.UUID] | None) -> set[uuid.UUID]:
    if exclude is None:
        return set()
    if isinstance(exclude, uuid.UUID):
        return {exclude}
    return set(exclude)


class _Brief(NamedTuple):
    """An idea of a scope scored whole: its title only, until it is among the best."""

    idea_id: uuid.UUID
    title: str


def _rows_by_id(
    session: Session, idea_ids: list[uuid.UUID], audience: Audience
) -> dict[uuid.UUID, _Row]:
    statement = (
        select(*_columns(audience))
        .join(Meeting, col(Meeting.id) == col(Idea.meeting_id))
        .where(col(Idea.id).in_(idea_ids))
    )
    return {row[0]: _Row(*row) for row in session.exec(statement)}


class _Row(NamedTuple):
    """What a suggestion needs of an idea (not its detail: reading 4,000 characters of detail
    for each of 80 candidates on every keystroke is most of the cost)."""

    idea_id: uuid.UUID
    ref: str
    title: str
    support_count: int
    status: str
    merged_into_id: uuid.UUID | None
    captured_at: Any
    code: str
    visibility: str  # organisers see hidden and pending ideas too: the console marks them


def _columns(audience: Audience) -> tuple[Any, ...]:
    return (
        col(Idea.id),
        col(Idea.ref),
        col(Idea.title),
        col(Idea.support_count),
        public.status_column(audience),
        col(Idea.merged_into_id),
        col(Idea.captured_at),
        col(Meeting.code),
        col(Idea.visibility),
    )


class Typed:
    """A cheap first test of a title, before it is scored: it shares a word's first three
    letters with what is typed (so a typo or a plural still passes; nothing else could reach
    the least score)."""

    def __init__(self, found: list[str], typing: bool) -> None:
        self.heads = frozenset(word[:3] for word in found)
        self.last = found[-1] if typing else ""

    def may_match(self, title: str) -> bool:
        theirs = _profile(title)
        if self.heads & theirs.heads:
            return True
        # A word that begins with the one being typed shares its first three letters (tested
        # just now) unless the typed one is shorter.
        if not self.last or len(self.last) >= 3:
            return False
        return any(word.startswith(self.last) for word in theirs.words)


# ---------------------------------------------------------------------------- candidates

SCAN_MAX = 1_500
"""A scope with at most this many ideas (one meeting, as the phone asks) is scored whole: an
index of the whole catalogue ranks mostly other meetings' ideas, and this is quicker."""


def _candidates(
    session: Session,
    found: list[str],
    typing: bool,
    audience: Audience,
    scope: list[uuid.UUID] | None,
) -> Iterator[list[_Row] | list[_Brief]]:
    """Batches of candidates, best first: every idea of a small scope; else the ideas whose
    title has every typed word (each a prefix), then those whose title has any."""
    conditions: list[Any] = list(idea_filter(audience))
    if scope is not None and len(scope) <= SCAN_MEETINGS:
        scoped = [*conditions, col(Idea.meeting_id).in_(scope)]
        if _at_most(session, scoped, SCAN_MAX):
            statement = select(col(Idea.id), col(Idea.title)).where(*scoped)
            yield [_Brief(*row) for row in session.exec(statement)]
            return
    postgresql = session.get_bind().dialect.name == "postgresql"
    if postgresql:
        if scope is not None:
            conditions = [*conditions, col(Idea.meeting_id).in_(scope)]
        for any_word in [False, True] if len(found) > 1 else [False]:
            yield _postgresql_rows(session, found, any_word, audience, conditions)
        return
    # SQLite, titles only: every word; every word but the last (a title typed on past the idea
    # it repeats, "… bus stop by the surgery"); then any word, ranked by bm25.
    stages = [(fts5_query(found), False)]
    if len(found) >= 3:
        stages.append((fts5_query(found[:-1]), False))
    if len(found) > 1:
        stages.append((fts5_any_query(found, prefix_last=typing), True))
    for fts, ranked in stages:
        yield _sqlite_rows(
            session, found, f"{{title}} : ({fts})", audience, conditions, scope, ranked
        )


SCAN_MEETINGS = 5
"""A scope of this many meetings or fewer is counted (to be scored whole if small)."""


def _at_most(session: Session, conditions: list[Any], count: int) -> bool:
    """The scope has at most ``count`` ideas the audience may see (counted no further)."""
    kept = select(col(Idea.id)).where(*conditions).limit(count + 1).subquery()
    return int(session.exec(select(func.count()).select_from(kept)).one()) <= count


def _sqlite_rows(
    session: Session,
    found: list[str],
    fts: str,
    audience: Audience,
    conditions: list[Any],
    scope: list[uuid.UUID] | None,
    ranked: bool,
) -> list[_Row]:
    """Title matches from FTS5's index alone: the newest ``NEWEST`` (every word matched: all
    are worth scoring), or (``ranked``: any word) the best ``2 * CANDIDATES`` by bm25 among the
    newest ``RANKED``; then those ideas read by row with the audience's filters. The scope is
    checked here, not in SQL (a programme's two hundred meeting ids in every query cost more
    than the query)."""
    wanted = set(scope) if scope is not None else None
    rows: list[_Row] = []
    for widen in (False, True):
        if ranked:
            kept = RANKED if widen else 2 * CANDIDATES
            matches = sqlite_matches(found, kept, RANKED, fts=fts)
            statement: Any = select(matches.c.fts_row, fts_idea_id(matches.c.fts_row)).order_by(
                matches.c.score, matches.c.fts_row
            )
        else:
            kept = 4 * NEWEST if widen else NEWEST
            statement = text(
                "SELECT rowid, idea_id FROM idea_fts WHERE idea_fts MATCH :q "
                "ORDER BY rowid DESC LIMIT :n"
            ).bindparams(q=fts, n=kept)
        matched = [(row, idea_id) for row, idea_id in session.connection().execute(statement)]
        if not matched:
            return []
        order = {row: place for place, (row, _) in enumerate(matched)}
        ids = {row: str(idea_id) for row, idea_id in matched}
        columns: tuple[Any, ...] = (
            *_columns(audience),
            col(Idea.meeting_id),
            literal_column("idea.rowid"),
        )
        read = (
            select(*columns)
            .join(Meeting, col(Meeting.id) == col(Idea.meeting_id))
            .where(literal_column("idea.rowid").in_(list(order)), *conditions)
        )
        kept_rows = sorted(
            (
                (order[fts_row], _Row(*values))
                for *values, meeting_id, fts_row in session.exec(read)
                if ids.get(fts_row) in (str(values[0]), values[0].hex)
                and (wanted is None or meeting_id in wanted)
            ),
            key=lambda entry: entry[0],
        )
        rows = [row for _, row in kept_rows]
        if len(rows) >= CANDIDATES // 2 or len(matched) < kept:
            break  # enough; or every match there is was looked at
        # The filters left out most of them (another programme's ideas, hidden ones): look
        # further.
    return rows


NEWEST = 200
"""Title matches of every word typed that are scored (the newest; scoring is the ranking)."""


def _postgresql_rows(
    session: Session, found: list[str], any_word: bool, audience: Audience, conditions: list[Any]
) -> list[_Row]:
    vector = POSTGRESQL_SEARCH_VECTOR
    tsquery = postgresql_tsquery(found, any_word=any_word)
    # The newest RANKED matches (the GIN index finds them), ranked, the best CANDIDATES kept.
    newest = (
        select(col(Idea.id).label("idea_id"))
        .where(vector.op("@@")(tsquery), *conditions)
        .order_by(col(Idea.captured_at).desc())
        .limit(RANKED)
        .subquery("newest")
    )
    statement = (
        select(*_columns(audience))
        .join(newest, newest.c.idea_id == col(Idea.id))
        .join(Meeting, col(Meeting.id) == col(Idea.meeting_id))
        .order_by(_rank(vector, found, any_word).desc(), col(Idea.captured_at).desc())
        .limit(CANDIDATES)
    )
    return [_Row(*row) for row in session.exec(statement)]


def _rank(vector: Any, found: list[str], any_word: bool) -> Any:
    return func.ts_rank(vector, postgresql_tsquery(found, any_word=any_word))


# ---------------------------------------------------------------------------- scores


class _Profile(NamedTuple):
    words: tuple[str, ...]
    word_set: frozenset[str]
    grams: frozenset[str]
    heads: frozenset[str]


@lru_cache(maxsize=16_384)
def _profile(title: str) -> _Profile:
    """A title's folded words, their three-letter pieces and first letters, worked out once
    (a title is asked about on keystroke after keystroke)."""
    theirs = tuple(words(title))
    return _Profile(
        theirs, frozenset(theirs), word_trigrams(theirs), frozenset(w[:3] for w in theirs)
    )


def _score(found: list[str], typing: bool, title: str) -> float:
    """How alike the typed words and a title are: shared words and shared three-letter pieces,
    mostly over everything either says (Jaccard), partly over what is typed (so a short title
    being typed still meets the longer idea it is)."""
    profile = _profile(title)
    if not profile.words:
        return 0.0
    mine = list(found)
    if typing:  # the word being typed, completed to the title's word it begins
        last = mine[-1]
        completed = [word for word in profile.words if word.startswith(last)]
        if completed:
            mine[-1] = min(completed, key=len)
    mine_set = frozenset(mine)
    grams_mine, grams_theirs = _grams_of(tuple(mine)), profile.grams
    gram_score = jaccard(grams_mine, grams_theirs)
    if not mine_set & profile.word_set and gram_score < 0.5:
        return 0.0  # nothing in common but letters
    word_score = jaccard(mine_set, profile.word_set)
    covered = len(grams_mine & grams_theirs) / len(grams_mine) if grams_mine else 0.0
    return 0.35 * word_score + 0.45 * gram_score + 0.2 * covered


@lru_cache(maxsize=4096)
def _grams_of(found: tuple[str, ...]) -> frozenset[str]:
    return word_trigrams(found)


# ---------------------------------------------------------------------------- merged ideas


def _merge_targets(
    session: Session, rows: list[_Row], audience: Audience
) -> dict[uuid.UUID, tuple[str, str]]:
    """(meeting code, ref) of the ideas these were merged into, where the audience may see it
    merged and may see the idea it went into."""
    wanted = {
        row.merged_into_id
        for row in rows
        if row.merged_into_id is not None and row.status == IdeaStatus.MERGED
    }
    if not wanted:
        return {}
    statement = (
        select(Idea.id, Meeting.code, Idea.ref)
        .join(Meeting, col(Meeting.id) == col(Idea.meeting_id))
        .where(col(Idea.id).in_(list(wanted)), *idea_filter(audience))
    )
    return {idea_id: (code, ref) for idea_id, code, ref in session.exec(statement)}


def _merged_ref(row: _Row, targets: dict[uuid.UUID, tuple[str, str]]) -> str:
    if row.merged_into_id is None or row.merged_into_id not in targets:
        return ""
    target_code, ref = targets[row.merged_into_id]
    return ref if target_code == row.code else full_ref(target_code, ref)
