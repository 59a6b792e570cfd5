"""Possible duplicates across a programme's catalogue: pairs and clusters of ideas that say the
same thing, found locally and explainably, for staff to merge or dismiss.

How two ideas are compared (their titles: "the idea in one line"):

- Each title's meaningful words (``text_fold.words``: no case, no accents, no stop words) are
  reduced to a *stem* (an English or Spanish plural: "benches" → "bench", "buses" → "bus",
  "cafés" → "cafe"), and stems that differ by one typing slip (one letter missing, extra,
  wrong or two swapped, in words of six letters or more: "pavment" ≈ "pavement", "centre" ≈
  "center") are taken as one word across the catalogue.
- ``score = 0.7 × word score + 0.3 × trigram score``: the word score is the share of words the
  two titles have in common (Jaccard of the word sets, whatever their order); the trigram score
  is the same over three-letter pieces (``text_fold.trigrams``), which rewards near spellings.
  Each pair is shown with both and with the words that joined them.

How 100,000 ideas are compared without comparing all 5,000,000,000 pairs (*blocking*): a pair
scoring at least the threshold must share at least ``α`` words, α set by each title's length
and the threshold. Words are ordered rarest first across the catalogue; each idea is indexed
under every ``q``-word combination (q ≤ 3) of its first ``n − α + q`` words, and two ideas are
compared only when they share such a key (a pair sharing α words always shares its ``q``
rarest shared words, and those lie in both prefixes: the generalised prefix filter). Every
candidate is then scored exactly. Clusters are the connected groups of accepted pairs
(union-find). Dismissed pairs (``DuplicateDismissal``) are left out before clusters are made,
so a dismissed pair never shows again, however the ideas are edited.

Deleted ideas and ideas already merged are skipped; the audience is staff (hidden and pending
ideas take part, marked).
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from meetingtui.domain import merging
from meetingtui.domain.errors import DomainError, FieldErrors, NotFound
from meetingtui.domain.feed import record_event
from meetingtui.domain.models import DuplicateDismissal, Idea, Meeting
from meetingtui.domain.public import Audience, idea_filter
from meetingtui.domain.states import IdeaStatus
from meetingtui.domain.supports import idea_support_counts
from meetingtui.domain.text_fold import trigrams, words

WORD_WEIGHT = 0.7
TRIGRAM_WEIGHT = 0.3
DEFAULT_THRESHOLD = 0.75
MIN_THRESHOLD = 0.5
MAX_THRESHOLD = 1.0
THRESHOLD_STEP = 0.05
TYPO_MIN_LENGTH = 6  # shorter words differ by one letter too often ("night", "light")
MAX_KEY_WORDS = 3  # q: the most words in one blocking key
REASON_MAX = 500
AUDIENCE = Audience.ORGANISERS

Progress = Callable[[float, str], None]
Cancelled = Callable[[], bool]


class SearchCancelled(DomainError):
    """The search was stopped (``cancelled()`` answered True) before it finished."""


# ---------------------------------------------------------------------------- words


def stem(word: str) -> str:
    """A folded word without its plural ending: benches → bench, buses → bus, cities → city,
    homes → home, cafes → cafe; short words (bus, gas) and -ss words (access) stay."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("es") and (word[-3] in "sxz" or word[-4:-2] in ("ch", "sh")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def one_slip(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one letter missing, added, changed, or two
    neighbours swapped (optimal string alignment distance 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) > len(b):
        a, b = b, a
    start = 0
    while start < len(a) and a[start] == b[start]:
        start += 1
    if len(a) < len(b):
        return a[start:] == b[start + 1 :]
    if a[start + 1 :] == b[start + 1 :]:
        return True
    return (
        start + 1 < len(a)
        and a[start] == b[start + 1]
        and a[start + 1] == b[start]
        and a[start + 2 :] == b[start + 2 :]
    )


def _deletions(word: str) -> set[str]:
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


def typo_groups(stems: Iterable[str], counts: dict[str, int] | None = None) -> dict[str, str]:
    """Each stem's representative: stems of ``TYPO_MIN_LENGTH`` letters or more one slip apart
    are one word (the most used of them represents it). Found through an index of each stem
    with one letter deleted, so a big vocabulary is not compared all against all."""
    counts = counts or {}
    vocabulary = sorted(set(stems))
    parent = {word: word for word in vocabulary}

    def root(word: str) -> str:
        while parent[word] != word:
            parent[word] = parent[parent[word]]
            word = parent[word]
        return word

    by_deletion: dict[str, list[str]] = defaultdict(list)
    for word in vocabulary:
        if len(word) >= TYPO_MIN_LENGTH:
            for variant in _deletions(word):
                by_deletion[variant].append(word)
    for group in by_deletion.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if one_slip(a, b):
                    ra, rb = root(a), root(b)
                    if ra != rb:
                        parent[rb] = ra
    members: dict[str, list[str]] = defaultdict(list)
    for word in vocabulary:
        members[root(word)].append(word)
    chosen: dict[str, str] = {}
    for group in members.values():
        best = max(group, key=lambda w: (counts.get(w, 0), -len(w), w))
        for word in group:
            chosen[word] = best
    return chosen


# ---------------------------------------------------------------------------- the search


@dataclass(frozen=True)
class ScoredPair:
    """Two ideas (by position in the list compared, ``first < second``) and why they match."""

    first: int
    second: int
    score: float
    word_score: float
    trigram_score: float
    shared: tuple[
        str, ...
    ]  # the words that joined them, as typed in the first ("pavment≈pavement")


@dataclass
class SearchFigures:
    """What one search did, for the bench and the screen's status line."""

    ideas: int = 0
    keys: int = 0
    candidates: int = 0
    pairs: int = 0


def _report(progress: Progress | None, fraction: float, doing: str) -> None:
    if progress is not None:
        progress(min(1.0, max(0.0, fraction)), doing)


def _check(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise SearchCancelled("The search for duplicates was stopped.")


def check_threshold(threshold: float) -> float:
    if not MIN_THRESHOLD <= threshold <= MAX_THRESHOLD:
        raise FieldErrors(
            {
                "threshold": f"The threshold is a similarity from {MIN_THRESHOLD:g} to "
                f"{MAX_THRESHOLD:g} (default {DEFAULT_THRESHOLD:g}); {threshold:g} is outside it."
            }
        )
    return threshold


def similar_pairs(
    titles: Sequence[str],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    figures: SearchFigures | None = None,
    start: float = 0.0,
    end: float = 1.0,
) -> list[ScoredPair]:
    """Every pair of ``titles`` scoring at least ``threshold``, best first. ``progress`` hears
    fractions from ``start`` to ``end``; ``cancelled`` is asked now and then."""
    check_threshold(threshold)
    figures = figures if figures is not None else SearchFigures()
    span = end - start
    total = len(titles)
    figures.ideas = total
    _report(progress, start, f"Folding {total:,} titles")
    folded: list[list[str]] = []
    counts: dict[str, int] = defaultdict(int)
    for index, title in enumerate(titles):
        stems = [stem(word) for word in words(title)]
        folded.append(stems)
        for word in set(stems):
            counts[word] += 1
        if index % 5000 == 4999:
            _check(cancelled)
            _report(progress, start + span * 0.2 * index / total, f"Folding {total:,} titles")
    canonical = typo_groups(counts, counts)
    token_sets: list[frozenset[str]] = [frozenset(canonical[w] for w in s) for s in folded]
    frequency: dict[str, int] = defaultdict(int)
    for tokens in token_sets:
        for token in tokens:
            frequency[token] += 1
    rank = {token: i for i, token in enumerate(sorted(frequency, key=lambda t: (frequency[t], t)))}

    word_min = max(0.0, (threshold - TRIGRAM_WEIGHT) / WORD_WEIGHT)
    largest = max((len(t) for t in token_sets), default=0)

    def alpha(size: int) -> int:
        return max(1, math.ceil(word_min * size - 1e-9))

    def partner_sizes(size: int) -> range:
        low = max(1, math.ceil(word_min * size - 1e-9))
        high = largest if word_min == 0 else min(largest, math.floor(size / word_min + 1e-9))
        return range(low, high + 1)

    _report(progress, start + span * 0.2, "Indexing words")
    buckets: dict[tuple[int, ...], list[int]] = defaultdict(list)
    key_plans: dict[int, list[tuple[int, int]]] = {}  # size -> [(q, prefix length)]
    for index, tokens in enumerate(token_sets):
        size = len(tokens)
        if size == 0:
            continue
        plan = key_plans.get(size)
        if plan is None:
            own = alpha(size)
            qs = sorted({min(MAX_KEY_WORDS, max(own, alpha(m))) for m in partner_sizes(size)})
            plan = [(q, min(size, size - own + q)) for q in qs if q <= size]
            key_plans[size] = plan
        ordered = sorted(rank[t] for t in tokens)
        for q, prefix in plan:
            for key in combinations(ordered[:prefix], q):
                buckets[key].append(index)
        if index % 5000 == 4999:
            _check(cancelled)
            _report(progress, start + span * (0.2 + 0.1 * index / total), "Indexing words")
    figures.keys = len(buckets)

    _report(progress, start + span * 0.3, "Finding candidate pairs")
    seen: set[int] = set()
    for members in buckets.values():
        if len(members) < 2:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                seen.add(a * total + b if a < b else b * total + a)
        if len(seen) > 50_000_000:  # pragma: no cover - a guard for absurd inputs
            break
    _check(cancelled)
    figures.candidates = len(seen)

    grams: dict[int, frozenset[str]] = {}
    found: list[ScoredPair] = []
    count = len(seen)
    for done, code in enumerate(seen):
        a, b = divmod(code, total)
        ta, tb = token_sets[a], token_sets[b]
        small, big = (len(ta), len(tb)) if len(ta) <= len(tb) else (len(tb), len(ta))
        if small < word_min * big - 1e-9:
            continue
        shared = len(ta & tb)
        word_score = shared / (len(ta) + len(tb) - shared)
        if WORD_WEIGHT * word_score + TRIGRAM_WEIGHT < threshold - 1e-9:
            continue
        ga = grams.get(a)
        if ga is None:
            ga = grams[a] = trigrams(titles[a])
        gb = grams.get(b)
        if gb is None:
            gb = grams[b] = trigrams(titles[b])
        both = len(ga & gb)
        trigram_score = both / (len(ga) + len(gb) - both) if ga and gb else 0.0
        score = WORD_WEIGHT * word_score + TRIGRAM_WEIGHT * trigram_score
        if score >= threshold - 1e-9:
            found.append(
                ScoredPair(
                    a,
                    b,
                    round(score, 3),
                    round(word_score, 3),
                    round(trigram_score, 3),
                    _shared_words(folded[a], folded[b], canonical),
                )
            )
        if done % 20000 == 19999:
            _check(cancelled)
            _report(
                progress,
                start + span * (0.3 + 0.7 * done / max(1, count)),
                f"Scoring {count:,} candidate pairs",
            )
    found.sort(key=lambda p: (-p.score, p.first, p.second))
    figures.pairs = len(found)
    _report(progress, end, f"Found {len(found):,} pairs")
    return found


def _shared_words(a: list[str], b: list[str], canonical: dict[str, str]) -> tuple[str, ...]:
    """The words the two titles share, in the first's order; a word spelled differently in the
    second is shown as both ("pavment≈pavement")."""
    theirs: dict[str, str] = {}
    for word in b:
        theirs.setdefault(canonical[word], word)
    shown: list[str] = []
    used: set[str] = set()
    for word in a:
        key = canonical[word]
        if key in theirs and key not in used:
            used.add(key)
            other = theirs[key]
            shown.append(word if other == word else f"{word}≈{other}")
    return tuple(shown)


# ---------------------------------------------------------------------------- the catalogue


@dataclass(frozen=True)
class DuplicateIdea:
    """One idea as the duplicates view lists it."""

    id: uuid.UUID
    ref: str
    code: str  # its meeting's join code: ``CODE/I-0042`` names it anywhere
    title: str
    channel: str
    meeting: str  # the meeting's title
    supports: int
    visibility: str  # visible · hidden · pending (staff see all, marked)
    captured_at: object = None

    @property
    def full_ref(self) -> str:
        return f"{self.code}/{self.ref}"


@dataclass(frozen=True)
class DuplicatePair:
    a: DuplicateIdea
    b: DuplicateIdea
    score: float
    word_score: float
    trigram_score: float
    shared: tuple[str, ...]


@dataclass(frozen=True)
class Cluster:
    """Ideas joined by accepted pairs (largest clusters first; in a cluster, most supported
    first), with every pair inside it and its score."""

    ideas: tuple[DuplicateIdea, ...]
    pairs: tuple[DuplicatePair, ...]

    @property
    def best(self) -> float:
        return max(pair.score for pair in self.pairs)


@dataclass(frozen=True)
class DuplicateReport:
    threshold: float
    clusters: tuple[Cluster, ...]
    figures: SearchFigures = field(default_factory=SearchFigures)
    dismissed_skipped: int = 0

    @property
    def pair_count(self) -> int:
        return sum(len(cluster.pairs) for cluster in self.clusters)


def ordered_pair(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    """A pair's stored order: the smaller id first (as text, the same on every database)."""
    return (a, b) if str(a) < str(b) else (b, a)


def catalogue_ideas(session: Session, meeting_ids: Sequence[uuid.UUID]) -> list[DuplicateIdea]:
    """The ideas the search compares: the programme's, for staff, not deleted, not merged."""
    meetings = {
        row[0]: (row[1], row[2])
        for row in session.exec(
            select(Meeting.id, Meeting.code, Meeting.title).where(col(Meeting.id).in_(meeting_ids))
        )
    }
    columns: list[Any] = [
        Idea.id,
        Idea.ref,
        Idea.meeting_id,
        Idea.title,
        Idea.channel,
        Idea.support_count,
        Idea.visibility,
        Idea.captured_at,
    ]
    query = sa.select(*columns).where(
        col(Idea.meeting_id).in_(list(meetings)),
        col(Idea.status) != IdeaStatus.MERGED,
        *idea_filter(AUDIENCE),
    )
    rows = list(session.execute(query.order_by(col(Idea.captured_at), col(Idea.id))))
    # The one count (domain/supports.py): an idea with ideas merged into it counts each device
    # once across them; the stored own counts are read above.
    supports = idea_support_counts(
        session, [row[0] for row in rows], AUDIENCE, own={row[0]: row[5] for row in rows}
    )
    ideas = []
    for idea_id, ref, meeting_id, title, channel, _own, visibility, at in rows:
        code, meeting = meetings[meeting_id]
        ideas.append(
            DuplicateIdea(
                idea_id, ref, code, title, channel, meeting, supports[idea_id], visibility, at
            )
        )
    return ideas


def dismissed_pairs(session: Session) -> set[tuple[uuid.UUID, uuid.UUID]]:
    return {
        (a, b)
        for a, b in session.exec(select(DuplicateDismissal.idea_a_id, DuplicateDismissal.idea_b_id))
    }


def find_duplicates(
    session: Session,
    meeting_ids: Sequence[uuid.UUID],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> DuplicateReport:
    """The clusters of possible duplicates among the programme's ideas (``meeting_ids``),
    dismissed pairs left out."""
    check_threshold(threshold)
    _report(progress, 0.0, "Reading ideas")
    ideas = catalogue_ideas(session, meeting_ids)
    dismissed = dismissed_pairs(session)
    _check(cancelled)
    figures = SearchFigures()
    scored = similar_pairs(
        [idea.title for idea in ideas],
        threshold=threshold,
        progress=progress,
        cancelled=cancelled,
        figures=figures,
        start=0.1,
        end=0.95,
    )
    _report(progress, 0.95, "Grouping pairs into clusters")
    report = group_pairs(ideas, scored, dismissed, threshold, figures)
    _report(progress, 1.0, f"{len(report.clusters):,} clusters")
    return report


def group_pairs(
    ideas: Sequence[DuplicateIdea],
    scored: Sequence[ScoredPair],
    dismissed: set[tuple[uuid.UUID, uuid.UUID]],
    threshold: float,
    figures: SearchFigures,
) -> DuplicateReport:
    parent = list(range(len(ideas)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    kept: list[ScoredPair] = []
    skipped = 0
    for pair in scored:
        if ordered_pair(ideas[pair.first].id, ideas[pair.second].id) in dismissed:
            skipped += 1
            continue
        kept.append(pair)
        ra, rb = root(pair.first), root(pair.second)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[ScoredPair]] = defaultdict(list)
    for pair in kept:
        groups[root(pair.first)].append(pair)
    clusters = []
    for pairs in groups.values():
        members = sorted(
            {i for pair in pairs for i in (pair.first, pair.second)},
            key=lambda i: (-ideas[i].supports, ideas[i].code, ideas[i].ref),
        )
        clusters.append(
            Cluster(
                ideas=tuple(ideas[i] for i in members),
                pairs=tuple(
                    DuplicatePair(
                        ideas[p.first],
                        ideas[p.second],
                        p.score,
                        p.word_score,
                        p.trigram_score,
                        p.shared,
                    )
                    for p in pairs
                ),
            )
        )
    clusters.sort(key=lambda c: (-len(c.ideas), -c.best, c.ideas[0].code, c.ideas[0].ref))
    return DuplicateReport(threshold, tuple(clusters), figures, skipped)


# ---------------------------------------------------------------------------- decisions


def _idea(session: Session, idea_id: uuid.UUID) -> Idea:
    idea = session.get(Idea, idea_id)
    if idea is None or idea.deleted_at is not None:
        raise NotFound("That idea is no longer in the catalogue.")
    return idea


def dismiss_pairs(
    session: Session,
    pairs: Iterable[tuple[uuid.UUID, uuid.UUID]],
    *,
    actor: str,
    reason: str = "",
) -> int:
    """Record that each pair is not a duplicate (never shown again); how many were new. Each
    dismissal is a staff-only feed event (the public history is made of ``IdeaChange``)."""
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise FieldErrors({"reason": f"Keep the reason under {REASON_MAX} characters."})
    already = dismissed_pairs(session)
    made = 0
    for one, two in pairs:
        if one == two:
            raise FieldErrors({"pair": "An idea cannot be a duplicate of itself."})
        a, b = ordered_pair(one, two)
        if (a, b) in already:
            continue
        first, second = _idea(session, a), _idea(session, b)
        session.add(DuplicateDismissal(idea_a_id=a, idea_b_id=b, dismissed_by=actor, reason=reason))
        already.add((a, b))
        made += 1
        record_event(
            session,
            kind="duplicates.dismissed",
            meeting_id=first.meeting_id,
            entity="idea",
            entity_id=a,
            actor=actor,
            detail={"ref": first.ref, "other": str(b), "other_ref": second.ref, "reason": reason},
        )
    session.flush()
    return made


def undismiss_pair(session: Session, one: uuid.UUID, two: uuid.UUID, *, actor: str) -> bool:
    """Show the pair again in the next search; False when it was not dismissed."""
    a, b = ordered_pair(one, two)
    row = session.exec(
        select(DuplicateDismissal).where(
            DuplicateDismissal.idea_a_id == a, DuplicateDismissal.idea_b_id == b
        )
    ).first()
    if row is None:
        return False
    session.delete(row)
    first = _idea(session, a)
    record_event(
        session,
        kind="duplicates.undismissed",
        meeting_id=first.meeting_id,
        entity="idea",
        entity_id=a,
        actor=actor,
        detail={"ref": first.ref, "other": str(b)},
    )
    session.flush()
    return True


def list_dismissals(session: Session) -> list[DuplicateDismissal]:
    return list(
        session.exec(select(DuplicateDismissal).order_by(col(DuplicateDismissal.dismissed_at)))
    )


def merge_duplicates(
    session: Session,
    source_ids: Sequence[uuid.UUID],
    into_id: uuid.UUID,
    actor: str,
    reason: str = "",
) -> list[Idea]:
    """The one place the duplicates view merges ideas: the merge that never deletes
    (domain/merging.py), so each source stays readable as "merged into" the idea kept."""
    sources = [idea_id for idea_id in source_ids if idea_id != into_id]
    if not sources:
        raise FieldErrors({"merged_into": "Choose ideas to merge other than the one kept."})
    return merging.merge_ideas(session, sources, into_id, actor, reason=reason)


def _root(parent: dict[uuid.UUID, uuid.UUID], key: uuid.UUID) -> uuid.UUID:
    parent.setdefault(key, key)
    while parent[key] != key:
        parent[key] = parent[parent[key]]
        key = parent[key]
    return key


def without(
    report: DuplicateReport,
    *,
    pairs: Iterable[tuple[uuid.UUID, uuid.UUID]] = (),
    ideas: Iterable[uuid.UUID] = (),
) -> DuplicateReport:
    """The report once ``pairs`` are dismissed and ``ideas`` merged away, without searching
    again: those pairs dropped and each cluster regrouped from the pairs left."""
    gone = {ordered_pair(a, b) for a, b in pairs}
    away = set(ideas)
    clusters: list[Cluster] = []
    for cluster in report.clusters:
        left = [
            pair
            for pair in cluster.pairs
            if ordered_pair(pair.a.id, pair.b.id) not in gone
            and pair.a.id not in away
            and pair.b.id not in away
        ]
        parent: dict[uuid.UUID, uuid.UUID] = {}
        for pair in left:
            parent[_root(parent, pair.a.id)] = _root(parent, pair.b.id)
        groups: dict[uuid.UUID, list[DuplicatePair]] = defaultdict(list)
        for pair in left:
            groups[_root(parent, pair.a.id)].append(pair)
        for group in groups.values():
            members = {i.id for pair in group for i in (pair.a, pair.b)}
            kept = tuple(idea for idea in cluster.ideas if idea.id in members)
            clusters.append(Cluster(kept, tuple(group)))
    clusters.sort(key=lambda c: (-len(c.ideas), -c.best, c.ideas[0].code, c.ideas[0].ref))
    return DuplicateReport(
        report.threshold, tuple(clusters), report.figures, report.dismissed_skipped + len(gone)
    )
