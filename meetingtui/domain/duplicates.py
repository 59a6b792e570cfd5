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
candidate is then scored exactly.

Titles with the same words match each other alike and everyone else alike, so they are compared
once, as a group: a campaign of 10,000 copies of one title is one group and one cluster, found
in the time of one title (not 50,000,000 pairs). Clusters are the connected groups of matching
pairs (union-find); each lists the pairs that join it and a few more per idea, so memory and
output grow with the ideas, not the pairs. Dismissed pairs (``DuplicateDismissal``) are left
out before clusters are made, so a dismissed pair never shows again, however the ideas are
edited; dismissing an idea's pair with every other member takes it out of its cluster.

Deleted ideas and ideas already merged are skipped; the audience is staff (hidden and pending
ideas take part, marked).
"""

from __future__ import annotations

import math
import uuid
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations, islice
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
from meetingtui.domain.text_fold import word_trigrams, words

WORD_WEIGHT = 0.7
TRIGRAM_WEIGHT = 0.3
DEFAULT_THRESHOLD = 0.75
MIN_THRESHOLD = 0.5
MAX_THRESHOLD = 1.0
THRESHOLD_STEP = 0.05
TYPO_MIN_LENGTH = 6  # shorter words differ by one letter too often ("night", "light")
MAX_KEY_WORDS = 3  # q: the most words in one blocking key
REASON_MAX = 500
PAIRS_PER_IDEA = 5  # pairs listed for one idea beyond those that join it to its cluster
SMALL_PRODUCT = 36  # two matching parts this small list each pair between them
DISMISS_CLUSTER_MAX = 60  # a whole cluster dismissed is every pair of it: 1,770 pairs here
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


@dataclass
class TitleSearch:
    """What the blocked search found, by *group*: titles with the same words (``words``: the
    same folded words, in any order) match everyone alike, so each group is compared once, and a
    campaign of 10,000 identical titles is one group, not 50,000,000 pairs.

    ``groups[g]`` are the positions of group g's titles (in order); ``alike[g]`` says how they
    match each other (None: one title, no words, or below the threshold); ``pairs`` yields the
    matching groups (``first < second``: group numbers) as they are found, so nothing holds
    them all."""

    groups: list[list[int]]
    alike: list[ScoredPair | None]
    pairs: Iterator[ScoredPair]


def search_titles(
    titles: Sequence[str],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    figures: SearchFigures | None = None,
    start: float = 0.0,
    end: float = 1.0,
) -> TitleSearch:
    """The groups of ``titles`` with the same words and the pairs of groups scoring at least
    ``threshold``. ``progress`` hears fractions from ``start`` to ``end``; ``cancelled`` is
    asked now and then."""
    check_threshold(threshold)
    figures = figures if figures is not None else SearchFigures()
    span = end - start
    total = len(titles)
    figures.ideas = total
    _report(progress, start, f"Folding {total:,} titles")
    group_of: dict[frozenset[str], int] = {}
    groups: list[list[int]] = []
    folded: list[list[str]] = []  # per group: its first title's words, folded and stemmed
    plain: list[list[str]] = []  # per group: its first title's words, folded
    for index, title in enumerate(titles):
        found = words(title)
        key = frozenset(found)
        number = group_of.get(key)
        if number is None:
            number = group_of[key] = len(groups)
            groups.append([])
            plain.append(found)
            folded.append([stem(word) for word in found])
        groups[number].append(index)
        if index % 5000 == 4999:
            _check(cancelled)
            _report(progress, start + span * 0.2 * index / total, f"Folding {total:,} titles")
    del group_of
    counts: dict[str, int] = defaultdict(int)
    for number, stems in enumerate(folded):
        for word in set(stems):
            counts[word] += len(groups[number])
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

    key_plans: dict[int, list[tuple[int, int]]] = {}  # size -> [(q, prefix length)]

    def keys(number: int) -> Iterator[tuple[int, ...]]:
        tokens = token_sets[number]
        size = len(tokens)
        plan = key_plans.get(size)
        if plan is None:
            own = alpha(size)
            qs = sorted({min(MAX_KEY_WORDS, max(own, alpha(m))) for m in partner_sizes(size)})
            plan = [(q, min(size, size - own + q)) for q in qs if q <= size]
            key_plans[size] = plan
        ordered = sorted(rank[t] for t in tokens)
        for q, prefix in plan:
            yield from combinations(ordered[:prefix], q)

    grams: dict[int, frozenset[str]] = {}

    def grams_of(number: int) -> frozenset[str]:
        found = grams.get(number)
        if found is None:
            found = grams[number] = word_trigrams(plain[number])
        return found

    distinct = len(groups)
    _report(progress, start + span * 0.2, "Indexing words")
    buckets: dict[tuple[int, ...], list[int]] = defaultdict(list)
    alike: list[ScoredPair | None] = [None] * distinct
    for number, tokens in enumerate(token_sets):
        if not tokens:
            continue
        if len(groups[number]) > 1:
            trigram_score = 1.0 if grams_of(number) else 0.0
            score = WORD_WEIGHT + TRIGRAM_WEIGHT * trigram_score
            if score >= threshold - 1e-9:
                shared = _shared_words(folded[number], folded[number], canonical)
                alike[number] = ScoredPair(
                    number, number, round(score, 3), 1.0, trigram_score, shared
                )
        for blocking_key in keys(number):
            buckets[blocking_key].append(number)  # in group order: each bucket is sorted
        if number % 5000 == 4999:
            _check(cancelled)
            _report(progress, start + span * (0.2 + 0.1 * number / distinct), "Indexing words")
    figures.keys = len(buckets)
    _report(progress, start + span * 0.3, "Scoring candidate pairs")

    def scored() -> Iterator[ScoredPair]:
        """Each group against the later groups sharing a key with it (candidates gathered
        for one group at a time, so memory stays that of the index)."""
        for a in range(distinct):
            ta = token_sets[a]
            if not ta:
                continue
            candidates: set[int] = set()
            for blocking_key in keys(a):
                members = buckets[blocking_key]
                candidates.update(islice(members, bisect_right(members, a), None))
            figures.candidates += len(candidates)
            for b in candidates:
                tb = token_sets[b]
                small, big = (len(ta), len(tb)) if len(ta) <= len(tb) else (len(tb), len(ta))
                if small < word_min * big - 1e-9:
                    continue
                shared = len(ta & tb)
                word_score = shared / (len(ta) + len(tb) - shared)
                if WORD_WEIGHT * word_score + TRIGRAM_WEIGHT < threshold - 1e-9:
                    continue
                ga, gb = grams_of(a), grams_of(b)
                both = len(ga & gb)
                trigram_score = both / (len(ga) + len(gb) - both) if ga and gb else 0.0
                score = WORD_WEIGHT * word_score + TRIGRAM_WEIGHT * trigram_score
                if score >= threshold - 1e-9:
                    figures.pairs += 1
                    yield ScoredPair(
                        a,
                        b,
                        round(score, 3),
                        round(word_score, 3),
                        round(trigram_score, 3),
                        _shared_words(folded[a], folded[b], canonical),
                    )
            if a % 2000 == 1999:
                _check(cancelled)
                _report(
                    progress,
                    start + span * (0.3 + 0.7 * a / distinct),
                    f"Scoring candidates of {distinct:,} distinct titles",
                )
        _report(progress, end, "Scored every candidate")

    return TitleSearch(groups, alike, scored())


def similar_pairs(
    titles: Sequence[str],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    figures: SearchFigures | None = None,
) -> list[ScoredPair]:
    """Every pair of ``titles`` scoring at least ``threshold``, best first (by position in
    ``titles``). For checks and short lists: n identical titles are n(n-1)/2 pairs here, which
    is why the catalogue's search (``find_duplicates``) never lists every pair."""
    found = search_titles(
        titles, threshold=threshold, progress=progress, cancelled=cancelled, figures=figures
    )
    every: list[ScoredPair] = []
    for number, how in enumerate(found.alike):
        if how is not None:
            every.extend(
                replace(how, first=a, second=b) for a, b in combinations(found.groups[number], 2)
            )
    for how in found.pairs:
        for a in found.groups[how.first]:
            for b in found.groups[how.second]:
                every.append(replace(how, first=min(a, b), second=max(a, b)))
    every.sort(key=lambda p: (-p.score, p.first, p.second))
    return every


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
    """Ideas joined by matching pairs (largest clusters first; in a cluster, most supported
    first). ``pairs`` are the pairs that join them and a few more per idea (never every pair:
    2,000 identical titles are 2,000 ideas and 1,999 pairs here, not 1,999,000);
    ``alike[i]`` numbers the titles of ``ideas[i]``'s words: ideas with the same number match
    alike, as their listed pair says."""

    ideas: tuple[DuplicateIdea, ...]
    pairs: tuple[DuplicatePair, ...]
    alike: tuple[int, ...] = ()

    @property
    def best(self) -> float:
        return max(pair.score for pair in self.pairs)


@dataclass(frozen=True)
class DuplicateReport:
    threshold: float
    clusters: tuple[Cluster, ...]
    figures: SearchFigures = field(default_factory=SearchFigures)
    dismissed_skipped: int = 0
    dismissed: frozenset[tuple[uuid.UUID, uuid.UUID]] = frozenset()  # every dismissal read

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
    found = search_titles(
        [idea.title for idea in ideas],
        threshold=threshold,
        progress=progress,
        cancelled=cancelled,
        figures=figures,
        start=0.1,
        end=0.95,
    )
    report = group_pairs(ideas, found, dismissed, threshold, figures)
    _report(progress, 1.0, f"{len(report.clusters):,} clusters")
    return report


class _Linker:
    """Joins ideas (by position) into clusters: union-find over the pairs that match and are
    not dismissed, listing the pairs that join two clusters (at most one fewer than the ideas)
    and, while an idea has fewer than ``PAIRS_PER_IDEA``, a few more to show why it is there.
    So memory and output grow with the ideas, never with the pairs."""

    def __init__(self, size: int, dismissed: set[tuple[int, int]]) -> None:
        self.parent = list(range(size))
        self.dismissed = dismissed
        self.listed: list[tuple[int, int, ScoredPair]] = []
        self.shown = [0] * size

    def root(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def matched(self, a: int, b: int) -> bool:
        return ((a, b) if a < b else (b, a)) not in self.dismissed

    def add(self, a: int, b: int, how: ScoredPair) -> None:
        self.listed.append((a, b, how) if a < b else (b, a, how))
        self.shown[a] += 1
        self.shown[b] += 1
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def alike(self, members: Sequence[int], how: ScoredPair | None) -> list[list[int]]:
        """The parts of one group of same-worded ideas (every pair matches, less the dismissed
        ones). A small group lists every pair; a big one a tree found by walking the
        complement of its dismissed pairs (each step either joins an idea or meets a dismissed
        pair, so n ideas cost n plus the dismissals, not n²)."""
        if how is None or len(members) < 2:
            return [[m] for m in members]
        if len(members) <= PAIRS_PER_IDEA + 1:
            for a, b in combinations(members, 2):
                if self.matched(a, b):
                    self.add(a, b, how)
            parts: dict[int, list[int]] = defaultdict(list)
            for m in members:
                parts[self.root(m)].append(m)
            return list(parts.values())
        found: list[list[int]] = []
        left = list(members)
        while left:
            first = left.pop(0)
            part, queue = [first], [first]
            while queue and left:
                u = queue.pop()
                kept = []
                for w in left:
                    if self.matched(u, w):
                        self.add(u, w, how)
                        part.append(w)
                        queue.append(w)
                    else:
                        kept.append(w)
                left = kept
            found.append(part)
        return found

    def between(self, these: list[list[int]], those: list[list[int]], how: ScoredPair) -> None:
        """Two groups match: join each part of one to each part of the other through a pair
        not dismissed (every pair of a small product when the ideas have room)."""
        for one in these:
            for other in those:
                if len(one) * len(other) <= SMALL_PRODUCT:
                    for a in one:
                        for b in other:
                            if self.matched(a, b) and (
                                self.root(a) != self.root(b)
                                or (
                                    self.shown[a] < PAIRS_PER_IDEA
                                    and self.shown[b] < PAIRS_PER_IDEA
                                )
                            ):
                                self.add(a, b, how)
                elif self.root(one[0]) != self.root(other[0]):
                    pair = next(((a, b) for a in one for b in other if self.matched(a, b)), None)
                    if pair is not None:
                        self.add(*pair, how)


def _link(
    size: int,
    groups: Sequence[Sequence[int]],
    alike: Sequence[ScoredPair | None],
    pairs: Iterable[ScoredPair],
    dismissed: set[tuple[int, int]],
) -> _Linker:
    linker = _Linker(size, dismissed)
    parts = [linker.alike(members, how) for members, how in zip(groups, alike, strict=True)]
    for how in pairs:
        linker.between(parts[how.first], parts[how.second], how)
    return linker


def _clusters(
    ideas: Sequence[DuplicateIdea], alike_of: Sequence[int], linker: _Linker
) -> list[Cluster]:
    by_root: dict[int, list[tuple[int, int, ScoredPair]]] = defaultdict(list)
    for one in linker.listed:
        by_root[linker.root(one[0])].append(one)
    clusters = []
    for listed in by_root.values():
        members = sorted(
            {i for a, b, _ in listed for i in (a, b)},
            key=lambda i: (-ideas[i].supports, ideas[i].code, ideas[i].ref),
        )
        clusters.append(
            Cluster(
                ideas=tuple(ideas[i] for i in members),
                pairs=tuple(
                    DuplicatePair(
                        ideas[a], ideas[b], how.score, how.word_score, how.trigram_score, how.shared
                    )
                    for a, b, how in sorted(listed, key=lambda one: -one[2].score)
                ),
                alike=tuple(alike_of[i] for i in members),
            )
        )
    return clusters


def _sort(clusters: list[Cluster]) -> tuple[Cluster, ...]:
    clusters.sort(key=lambda c: (-len(c.ideas), -c.best, c.ideas[0].code, c.ideas[0].ref))
    return tuple(clusters)


def group_pairs(
    ideas: Sequence[DuplicateIdea],
    found: TitleSearch,
    dismissed: set[tuple[uuid.UUID, uuid.UUID]],
    threshold: float,
    figures: SearchFigures,
) -> DuplicateReport:
    """Clusters from what ``search_titles`` found over ``ideas``' titles, dismissed pairs left
    out (and counted when they would have matched)."""
    position = {idea.id: i for i, idea in enumerate(ideas)}
    alike_of = [0] * len(ideas)
    for number, members in enumerate(found.groups):
        for i in members:
            alike_of[i] = number
    near: set[tuple[int, int]] = set()
    for a, b in dismissed:
        if a in position and b in position:
            i, j = position[a], position[b]
            near.add((i, j) if i < j else (j, i))
    watched = {alike_of[i] for pair in near for i in pair}
    matching_groups: set[tuple[int, int]] = set()

    def pairs() -> Iterator[ScoredPair]:
        for how in found.pairs:
            if how.first in watched and how.second in watched:
                matching_groups.add((how.first, how.second))
            yield how

    linker = _link(len(ideas), found.groups, found.alike, pairs(), near)
    skipped = sum(
        1
        for i, j in near
        if (alike_of[i] == alike_of[j] and found.alike[alike_of[i]] is not None)
        or tuple(sorted((alike_of[i], alike_of[j]))) in matching_groups
    )
    return DuplicateReport(
        threshold,
        _sort(_clusters(ideas, alike_of, linker)),
        figures,
        skipped,
        frozenset(dismissed),
    )


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


def without(
    report: DuplicateReport,
    *,
    pairs: Iterable[tuple[uuid.UUID, uuid.UUID]] = (),
    ideas: Iterable[uuid.UUID] = (),
) -> DuplicateReport:
    """The report once ``pairs`` are dismissed and ``ideas`` merged away, without searching
    again: each cluster linked again from how its groups matched (the pairs listed say it:
    ideas with the same words match alike), less every dismissed pair."""
    gone = {ordered_pair(a, b) for a, b in pairs}
    away = set(ideas)
    dismissed = report.dismissed | gone
    partners: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for a, b in dismissed:
        partners[a].append(b)
        partners[b].append(a)
    clusters: list[Cluster] = []
    for cluster in report.clusters:
        alike = cluster.alike or tuple(range(len(cluster.ideas)))
        kept = [i for i, idea in enumerate(cluster.ideas) if idea.id not in away]
        members = [cluster.ideas[i] for i in kept]
        position = {idea.id: n for n, idea in enumerate(members)}
        numbers = sorted({alike[i] for i in kept})
        local = {number: n for n, number in enumerate(numbers)}
        alike_of = [local[alike[i]] for i in kept]
        groups: list[list[int]] = [[] for _ in numbers]
        for n, number in enumerate(alike_of):
            groups[number].append(n)
        group_of = {idea.id: local.get(alike[i]) for i, idea in enumerate(cluster.ideas)}
        how_alike: list[ScoredPair | None] = [None] * len(numbers)
        links: dict[tuple[int, int], ScoredPair] = {}
        for pair in cluster.pairs:
            ga, gb = group_of[pair.a.id], group_of[pair.b.id]
            if ga is None or gb is None:
                continue
            one, two = min(ga, gb), max(ga, gb)
            how = ScoredPair(one, two, pair.score, pair.word_score, pair.trigram_score, pair.shared)
            if one == two:
                how_alike[one] = how
            else:
                links.setdefault((one, two), how)
        near: set[tuple[int, int]] = set()
        for idea in members:
            for other in partners.get(idea.id, ()):
                if other in position:
                    i, j = position[idea.id], position[other]
                    near.add((i, j) if i < j else (j, i))
        linker = _link(len(members), groups, how_alike, links.values(), near)
        clusters.extend(_clusters(members, alike_of, linker))
    return DuplicateReport(
        report.threshold,
        _sort(clusters),
        report.figures,
        report.dismissed_skipped + len(gone - report.dismissed),
        frozenset(dismissed),
    )


def dismissals_for(
    cluster: Cluster, idea: uuid.UUID | None = None
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """The pairs to dismiss so that ``idea`` leaves ``cluster`` (its pair with every other
    member), or, with no idea, so that the whole cluster is gone (every pair of its members:
    refused past ``DISMISS_CLUSTER_MAX`` ideas, where merging or dismissing members is meant)."""
    ids = [one.id for one in cluster.ideas]
    if idea is not None:
        return [(idea, other) for other in ids if other != idea]
    if len(ids) > DISMISS_CLUSTER_MAX:
        raise FieldErrors(
            {
                "cluster": f"This cluster has {len(ids):,} ideas; a whole cluster can be dismissed "
                f"up to {DISMISS_CLUSTER_MAX} ideas. Merge it, or dismiss the ideas that do not "
                "belong one at a time."
            }
        )
    return list(combinations(ids, 2))
