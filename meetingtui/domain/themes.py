"""Themes: a programme's ideas grouped under names, and suggestions of themes from shared words.

A theme has a name (unique in its programme, as people read it: case and accents aside), a
summary and a response. Like an idea's answer (domain/lifecycle.py), the summary and response
are the organisers' working copy until the theme is *published*; the public then reads the
published copy (``Theme.public_*``) and a theme never published is not public at all
(domain/public.py ``theme_filter``). A theme's published response is inherited by its ideas that
have no response of their own (domain/public.py ``idea_answers``).

Ideas sit in themes many-to-many; assigning or removing many at once is one call. Every change
is a feed event (``theme.*``); the ones the public can see (a theme published, an idea of a
published theme added or removed) are also entries in each idea's public history
(``IdeaChange`` with field ``theme``), so a contributor can follow where their idea went.

**Suggestions** (``suggest_themes``) are computed offline from the words the ideas share
(domain/text_fold.py ``word_set``), and each one says why: its ideas, and the words that joined
them. Words that say something about a catalogue are neither rare (in fewer than
``min_ideas`` ideas) nor common (in more than a tenth of them, or a third in a small catalogue).
Pairs of such words that occur together in most ideas seed a group; a group gathers the ideas
that share at least two of its words, and its words are those most of its ideas have. A
suggestion's name is its leading words as people wrote them. Groups are greedy and disjoint, and
leave out ideas already in a theme. A person accepts (the theme is made with those ideas),
renames (accepts under another name) or rejects a suggestion; the decision is kept with who and
when (``ThemeDecision``), and a suggestion with the same words, or the same ideas, as one
decided is not made again.
"""

from __future__ import annotations

import hashlib
import json
import math
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, delete, func, select

from meetingtui.domain.errors import DomainError, FieldErrors, NotFound
from meetingtui.domain.feed import record_event
from meetingtui.domain.lifecycle import record_change
from meetingtui.domain.models import (
    Idea,
    Meeting,
    Programme,
    Theme,
    ThemeDecision,
    ThemeIdea,
    utcnow,
)
from meetingtui.domain.programmes import programme_meeting_ids
from meetingtui.domain.public import (
    Audience,
    idea_filter,
    idea_visible,
    theme_filter,
    theme_name,
)
from meetingtui.domain.supports import theme_support_counts
from meetingtui.domain.text import clean_text
from meetingtui.domain.text_fold import fold, word_set

NAME_MAX = 120
TEXT_MAX = 4000
THEME_FIELD = "theme"  # ``IdeaChange.field`` of a membership entry

Progress = Callable[[int, int, str], None]


# ---------------------------------------------------------------------------- finding


def list_themes(session: Session, programme: Programme, audience: Audience) -> list[Theme]:
    """The programme's themes ``audience`` may see, by name as people read it."""
    query = select(Theme).where(Theme.programme_id == programme.id, *theme_filter(audience))
    found = list(session.exec(query))
    return sorted(found, key=lambda t: (fold(theme_name(t, audience)), theme_name(t, audience)))


def find_theme(
    session: Session, programme: Programme, name: str, audience: Audience = Audience.ORGANISERS
) -> Theme:
    """The theme called ``name`` (exactly, else the one matching case and accents aside);
    NotFound lists the themes there are."""
    wanted = clean_text(name)
    themes = list_themes(session, programme, audience)
    for theme in themes:
        if theme_name(theme, audience) == wanted:
            return theme
    matches = [t for t in themes if fold(theme_name(t, audience)) == fold(wanted)]
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(theme_name(t, audience) for t in themes) or "none yet"
    raise NotFound(f"Programme '{programme.name}' has no theme '{wanted}'. Themes: {names}.")


def _check_name(
    session: Session, programme: Programme, name: str, *, keep: uuid.UUID | None = None
) -> str:
    clean = clean_text(name)
    if not clean:
        raise FieldErrors({"name": "Give the theme a name."})
    if len(clean) > NAME_MAX:
        raise FieldErrors({"name": f"A theme's name must be at most {NAME_MAX} characters."})
    for theme in session.exec(select(Theme).where(Theme.programme_id == programme.id)):
        if theme.id != keep and fold(theme.name) == fold(clean):
            raise FieldErrors(
                {"name": f"Programme '{programme.name}' already has a theme '{theme.name}'."}
            )
    return clean


def _check_text(value: str, what: str) -> str:
    clean = clean_text(value, multiline=True)
    if len(clean) > TEXT_MAX:
        raise FieldErrors({what: f"The {what} must be at most {TEXT_MAX:,} characters."})
    return clean


def _event(session: Session, theme: Theme, kind: str, actor: str, **detail: object) -> None:
    record_event(
        session,
        kind=kind,
        meeting_id=None,
        entity="theme",
        entity_id=theme.id,
        actor=clean_text(actor)[:120],
        detail={"theme": theme.name, **detail},
    )


# ---------------------------------------------------------------------------- changing


def add_theme(
    session: Session, *, programme: Programme, name: str, summary: str = "", actor: str = ""
) -> Theme:
    """A new theme (a draft: the public sees it once published); FieldErrors when the name is
    empty, too long or taken."""
    clean = _check_name(session, programme, name)
    theme = Theme(
        programme_id=programme.id,
        name=clean,
        summary=_check_text(summary, "summary"),
        created_by=clean_text(actor)[:120],
    )
    session.add(theme)
    session.flush()
    _event(session, theme, "theme.added", actor)
    return theme


def rename_theme(session: Session, *, theme: Theme, name: str, actor: str = "") -> Theme:
    """A new working name (the public keeps the published one until the theme is published
    again)."""
    programme = session.get(Programme, theme.programme_id)
    assert programme is not None
    clean = _check_name(session, programme, name, keep=theme.id)
    if clean != theme.name:
        before, theme.name, theme.updated_at = theme.name, clean, utcnow()
        _event(session, theme, "theme.renamed", actor, before=before)
        session.flush()
    return theme


def edit_theme(
    session: Session,
    *,
    theme: Theme,
    summary: str | None = None,
    response: str | None = None,
    publish: bool = False,
    actor: str = "",
) -> Theme:
    """Change the summary and/or the draft response (None leaves one as it is); ``publish``
    then publishes the theme as it stands."""
    changed = []
    if summary is not None:
        clean = _check_text(summary, "summary")
        if clean != theme.summary:
            theme.summary = clean
            changed.append("summary")
    if response is not None:
        clean = _check_text(response, "response")
        if clean != theme.response:
            theme.response = clean
            changed.append("response")
    if changed:
        theme.updated_at = utcnow()
        _event(session, theme, "theme.edited", actor, fields=changed)
        session.flush()
    if publish:
        publish_theme(session, theme=theme, actor=actor)
    return theme


def has_draft(theme: Theme) -> bool:
    """Unpublished work: the working name, summary or response differs from what the public
    sees (or the theme was never published)."""
    if theme.published_at is None:
        return True
    working = (theme.name, theme.summary, theme.response)
    return working != (theme.public_name, theme.public_summary, theme.public_response)


def publish_theme(session: Session, *, theme: Theme, actor: str = "") -> Theme:
    """Publish the theme's name, summary and response as they stand. The first publication
    puts the theme in the public history of each of its ideas (a published entry, "added to
    theme X"); later ones change only the theme. Nothing happens when nothing changed."""
    if not has_draft(theme):
        return theme
    now = utcnow()
    first = theme.published_at is None
    renamed = not first and theme.public_name != theme.name
    if first or renamed:
        for idea in _member_ideas(session, theme):
            entry = record_change(
                session,
                idea,
                THEME_FIELD,
                theme.public_name if renamed else "",
                theme.name,
                actor=actor,
            )
            entry.published_at = now
    theme.public_name, theme.public_summary = theme.name, theme.summary
    theme.public_response = theme.response
    theme.published_at = theme.updated_at = now
    _event(session, theme, "theme.published", actor, public=True)
    session.flush()
    return theme


def delete_theme(session: Session, *, theme: Theme, actor: str = "") -> int:
    """Delete a theme and its memberships (never an idea). A published theme leaves a public
    history entry on each idea ("removed from theme X"). Returns how many ideas it held."""
    members = _member_ideas(session, theme)
    if theme.published_at is not None:
        now = utcnow()
        for idea in members:
            entry = record_change(session, idea, THEME_FIELD, theme.public_name, "", actor=actor)
            entry.published_at = now
    session.exec(delete(ThemeIdea).where(col(ThemeIdea.theme_id) == theme.id))
    _event(
        session,
        theme,
        "theme.deleted",
        actor,
        ideas=len(members),
        public=theme.published_at is not None,
    )
    session.delete(theme)
    session.flush()
    return len(members)


def _member_ideas(session: Session, theme: Theme) -> list[Idea]:
    query = (
        select(Idea)
        .join(ThemeIdea, col(ThemeIdea.idea_id) == col(Idea.id))
        .where(ThemeIdea.theme_id == theme.id, col(Idea.deleted_at).is_(None))
    )
    return list(session.exec(query))


def _programme_ideas(session: Session, theme: Theme, idea_ids: Sequence[uuid.UUID]) -> list[Idea]:
    """The ideas named, loaded; DomainError naming any that is not of the theme's programme
    (or deleted): a batch is refused whole."""
    wanted = list(dict.fromkeys(idea_ids))
    if not wanted:
        return []
    programme = session.get(Programme, theme.programme_id)
    assert programme is not None
    meetings = set(programme_meeting_ids(session, programme))
    ideas: dict[uuid.UUID, Idea] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = select(Idea).where(col(Idea.id).in_(chunk), col(Idea.deleted_at).is_(None))
        ideas.update({idea.id: idea for idea in session.exec(query)})
    missing = [i for i in wanted if i not in ideas]
    outside = [ideas[i].ref for i in wanted if i in ideas and ideas[i].meeting_id not in meetings]
    if missing:
        raise NotFound(f"{len(missing)} of the ideas named no longer exist.")
    if outside:
        raise DomainError(
            f"Not in programme '{programme.name}': {', '.join(outside)}. "
            "A theme holds ideas of its own programme."
        )
    return [ideas[i] for i in wanted]


def _members(session: Session, theme: Theme, idea_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    ids = list(idea_ids)
    for start in range(0, len(ids), 500):
        query = select(ThemeIdea.idea_id).where(
            ThemeIdea.theme_id == theme.id, col(ThemeIdea.idea_id).in_(ids[start : start + 500])
        )
        found.update(session.exec(query))
    return found


def assign_ideas(
    session: Session, *, theme: Theme, idea_ids: Sequence[uuid.UUID], actor: str = ""
) -> int:
    """Put ideas in the theme (those already in it are left as they are); returns how many were
    added. All or nothing: an idea of another programme refuses the batch."""
    ideas = _programme_ideas(session, theme, idea_ids)
    already = _members(session, theme, [i.id for i in ideas])
    added = [idea for idea in ideas if idea.id not in already]
    now = utcnow()
    who = clean_text(actor)[:120]
    for idea in added:
        session.add(ThemeIdea(theme_id=theme.id, idea_id=idea.id, added_by=who, added_at=now))
        entry = record_change(session, idea, THEME_FIELD, "", theme.name, actor=actor)
        if theme.published_at is not None:  # public: the theme is, and so is its membership
            entry.to_value = theme.public_name
            entry.published_at = now
    if added:
        public = theme.published_at is not None and any(
            idea_visible(i, Audience.PUBLIC) for i in added
        )
        _event(session, theme, "theme.assigned", actor, refs=[i.ref for i in added], public=public)
    session.flush()
    return len(added)


def unassign_ideas(
    session: Session, *, theme: Theme, idea_ids: Sequence[uuid.UUID], actor: str = ""
) -> int:
    """Take ideas out of the theme (the ideas stay); returns how many were in it."""
    ideas = [i for i in _programme_ideas(session, theme, idea_ids)]
    members = _members(session, theme, [i.id for i in ideas])
    removed = [idea for idea in ideas if idea.id in members]
    now = utcnow()
    for idea in removed:
        session.exec(
            delete(ThemeIdea).where(
                col(ThemeIdea.theme_id) == theme.id, col(ThemeIdea.idea_id) == idea.id
            )
        )
        published = theme.published_at is not None
        before = theme.public_name if published else theme.name
        entry = record_change(session, idea, THEME_FIELD, before, "", actor=actor)
        if published:
            entry.published_at = now
    if removed:
        public = theme.published_at is not None and any(
            idea_visible(i, Audience.PUBLIC) for i in removed
        )
        _event(
            session, theme, "theme.unassigned", actor, refs=[i.ref for i in removed], public=public
        )
    session.flush()
    return len(removed)


# ---------------------------------------------------------------------------- at a glance


@dataclass
class ThemeOverview:
    """A theme at a glance, as ``audience`` may see it: its ideas counted by channel and
    stakeholder group, and their supports."""

    theme: Theme
    ideas: int = 0
    channels: Counter[str] = field(default_factory=Counter)
    stakeholders: Counter[str] = field(default_factory=Counter)
    supports: int = 0


def theme_overviews(
    session: Session, programme: Programme, audience: Audience
) -> list[ThemeOverview]:
    """Every theme ``audience`` may see with its counts (ideas ``audience`` may see only), by
    one aggregate query; its supports by domain/supports.py's one count for a theme (each
    device once across its ideas and the ideas merged into them)."""
    themes = list_themes(session, programme, audience)
    overviews = {theme.id: ThemeOverview(theme) for theme in themes}
    if not themes:
        return []
    columns: tuple[Any, ...] = (
        ThemeIdea.theme_id,
        Idea.channel,
        Idea.stakeholder,
        func.count(),
    )
    rows = session.execute(
        sa.select(*columns)
        .join(Idea, col(Idea.id) == col(ThemeIdea.idea_id))
        .where(col(ThemeIdea.theme_id).in_(list(overviews)), *idea_filter(audience))
        .group_by(col(ThemeIdea.theme_id), col(Idea.channel), col(Idea.stakeholder))
    ).all()
    for theme_id, channel, stakeholder, count in rows:
        overview = overviews[theme_id]
        overview.ideas += int(count)
        overview.channels[channel or ""] += int(count)
        overview.stakeholders[stakeholder or ""] += int(count)
    for theme_id, supports in theme_support_counts(session, list(overviews), audience).items():
        overviews[theme_id].supports = supports
    return [overviews[theme.id] for theme in themes]


def theme_overview(session: Session, theme: Theme, audience: Audience) -> ThemeOverview:
    programme = session.get(Programme, theme.programme_id)
    assert programme is not None
    for overview in theme_overviews(session, programme, audience):
        if overview.theme.id == theme.id:
            return overview
    return ThemeOverview(theme)


def theme_ideas(session: Session, theme: Theme, audience: Audience) -> list[tuple[Idea, str]]:
    """The theme's ideas ``audience`` may see with their meeting's code, by meeting and number."""
    query = (
        select(Idea, Meeting.code)
        .join(ThemeIdea, col(ThemeIdea.idea_id) == col(Idea.id))
        .join(Meeting, col(Meeting.id) == col(Idea.meeting_id))
        .where(ThemeIdea.theme_id == theme.id, *idea_filter(audience))
        .order_by(col(Meeting.date), col(Meeting.code), col(Idea.seq))
    )
    return [(idea, code) for idea, code in session.exec(query)]


def themes_of_ideas(
    session: Session, idea_ids: Sequence[uuid.UUID], audience: Audience
) -> dict[uuid.UUID, list[Theme]]:
    """Per idea, the themes it sits in that ``audience`` may see (by name)."""
    found: dict[uuid.UUID, list[Theme]] = {}
    ids = list(idea_ids)
    for start in range(0, len(ids), 500):
        query = (
            select(ThemeIdea.idea_id, Theme)
            .join(Theme, col(Theme.id) == col(ThemeIdea.theme_id))
            .where(col(ThemeIdea.idea_id).in_(ids[start : start + 500]), *theme_filter(audience))
        )
        for idea_id, theme in session.exec(query):
            found.setdefault(idea_id, []).append(theme)
    for themes in found.values():
        themes.sort(key=lambda t: (fold(theme_name(t, audience)), theme_name(t, audience)))
    return found


# ---------------------------------------------------------------------------- suggestions


@dataclass(frozen=True)
class SuggestedIdea:
    id: uuid.UUID
    full_ref: str  # CODE/I-0042
    title: str
    shared: tuple[str, ...]  # the suggestion's words this idea has (folded)


@dataclass(frozen=True)
class Suggestion:
    """A theme the words suggest: its ideas, the words that joined them, a name to start from."""

    number: int  # 1, 2 … in the order listed (``themes suggest --apply N``)
    name: str
    words: tuple[str, ...]  # folded, most shared first
    ideas: tuple[SuggestedIdea, ...]

    @property
    def words_key(self) -> str:
        return _key(sorted(self.words))

    @property
    def ideas_key(self) -> str:
        return _key(sorted(str(i.id) for i in self.ideas))


def _key(parts: Iterable[str]) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class SuggestionSettings:
    min_ideas: int = 0  # 0: from the catalogue's size (``_thresholds``)
    max_share: float = 0.0  # 0: a tenth (a third in a small catalogue)
    words_per_idea: int = 8  # an idea's rarest significant words are the ones paired
    limit: int = 100  # suggestions at most


def _thresholds(total: int, settings: SuggestionSettings) -> tuple[int, int]:
    """(fewest, most) ideas a significant word is in."""
    fewest = settings.min_ideas or max(2, min(5, total // 400))
    share = settings.max_share or (0.1 if total >= 200 else 0.34)
    most = max(fewest + 1, math.floor(total * share))
    return fewest, most


_TEXT_COLUMNS: tuple[Any, ...] = (Idea.id, Meeting.code, Idea.ref, Idea.title, Idea.detail)


def _catalogue_texts(
    session: Session, programme: Programme
) -> list[tuple[uuid.UUID, str, str, str]]:
    """(id, full ref, title, title and detail) of every idea of the programme not deleted, not
    merged into another (its target stands for it) and not yet in a theme."""
    ids = programme_meeting_ids(session, programme)
    themed = (
        select(ThemeIdea.idea_id)
        .join(Theme, col(Theme.id) == col(ThemeIdea.theme_id))
        .where(Theme.programme_id == programme.id)
    )
    query = (
        sa.select(*_TEXT_COLUMNS)
        .join(Meeting, col(Meeting.id) == col(Idea.meeting_id))
        .where(
            col(Idea.meeting_id).in_(ids),
            *idea_filter(Audience.ORGANISERS),
            col(Idea.merged_into_id).is_(None),
            col(Idea.id).not_in(themed),
        )
        .order_by(col(Meeting.date), col(Meeting.code), col(Idea.seq))
    )
    return [
        (idea_id, f"{code}/{ref}", title, f"{title}\n{detail}")
        for idea_id, code, ref, title, detail in session.execute(query)
    ]


def _decided_keys(session: Session, programme: Programme) -> tuple[set[str], set[str]]:
    rows = session.exec(
        select(ThemeDecision.words_key, ThemeDecision.ideas_key).where(
            ThemeDecision.programme_id == programme.id
        )
    ).all()
    return {w for w, _ in rows}, {i for _, i in rows}


def suggest_themes(
    session: Session,
    programme: Programme,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    settings: SuggestionSettings | None = None,
) -> list[Suggestion]:
    """Themes the shared words suggest, largest first (see the module's note). ``progress``
    hears (done, total, step); ``cancelled`` is asked between steps (a worker that stops)."""
    texts = _catalogue_texts(session, programme)
    decided_words, decided_ideas = _decided_keys(session, programme)
    return suggest_from_texts(
        texts,
        decided_words=decided_words,
        decided_ideas=decided_ideas,
        progress=progress,
        cancelled=cancelled,
        settings=settings,
    )


def suggest_from_texts(
    texts: Sequence[tuple[uuid.UUID, str, str, str]],
    *,
    decided_words: set[str] | frozenset[str] = frozenset(),
    decided_ideas: set[str] | frozenset[str] = frozenset(),
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    settings: SuggestionSettings | None = None,
) -> list[Suggestion]:
    """``suggest_themes`` on texts already read: (id, full ref, title, text to compare)."""
    chosen = settings or SuggestionSettings()
    step = progress or (lambda done, total, what: None)
    stop = cancelled or (lambda: False)
    total = len(texts)
    step(0, total, "Reading words")
    sets: list[frozenset[str]] = []
    for position, (_, _, _, text) in enumerate(texts):
        sets.append(word_set(text))
        if position % 500 == 499:
            step(position + 1, total, "Reading words")
            if stop():
                return []
    frequency: Counter[str] = Counter()
    for words in sets:
        frequency.update(words)
    fewest, most = _thresholds(total, chosen)
    significant = {w for w, n in frequency.items() if fewest <= n <= most}
    # Each idea's rarest significant words (ties by the word: the same input, the same output).
    kept: list[frozenset[str]] = [
        frozenset(
            sorted((w for w in words if w in significant), key=lambda w: (frequency[w], w))[
                : chosen.words_per_idea
            ]
        )
        for words in sets
    ]
    postings: dict[str, set[int]] = {}
    pairs: Counter[tuple[str, str]] = Counter()
    for index, words in enumerate(kept):
        for word in words:
            postings.setdefault(word, set()).add(index)
        pairs.update(combinations(sorted(words), 2))
    step(total, total, "Reading words")
    if stop():
        return []
    seeds = sorted(
        ((pair, n) for pair, n in pairs.items() if n >= fewest),
        # Pairs most of whose ideas they share first: strongly tied words, then bigger groups.
        key=lambda item: (
            -item[1] / min(frequency[item[0][0]], frequency[item[0][1]]),
            -item[1],
            item[0],
        ),
    )
    taken: set[int] = set()
    found: list[tuple[tuple[str, ...], list[int]]] = []
    for position, ((first, second), _) in enumerate(seeds):
        if position % 2000 == 1999:
            step(position + 1, len(seeds), "Grouping ideas")
            if stop():
                return []
        members = (postings[first] & postings[second]) - taken
        if len(members) < fewest:
            continue
        joined, grown = _grow(members, (first, second), kept, postings, taken, fewest)
        if len(grown) < fewest:
            continue
        words_key = _key(sorted(joined))
        ideas_key = _key(sorted(str(texts[i][0]) for i in grown))
        if words_key in decided_words or ideas_key in decided_ideas:
            continue
        found.append((joined, sorted(grown)))
        taken |= grown
        if len(found) >= chosen.limit:
            break
    step(len(seeds), len(seeds), "Grouping ideas")
    found.sort(key=lambda f: (-len(f[1]), f[0]))
    suggestions = []
    for number, (joined, listed) in enumerate(found, start=1):
        ideas = tuple(
            SuggestedIdea(
                id=texts[i][0],
                full_ref=texts[i][1],
                title=texts[i][2],
                shared=tuple(w for w in joined if w in kept[i]),
            )
            for i in listed
        )
        name = _proposed_name(joined, [texts[i][3] for i in listed])
        suggestions.append(Suggestion(number=number, name=name, words=joined, ideas=ideas))
    return suggestions


def _grow(
    members: set[int],
    seed: tuple[str, str],
    kept: list[frozenset[str]],
    postings: dict[str, set[int]],
    taken: set[int],
    fewest: int,
) -> tuple[tuple[str, ...], set[int]]:
    """A seed pair's group: the words at least half its ideas share (the seed's always), then
    the untaken ideas with two or more of those words; each idea keeps two of them at least."""
    counts: Counter[str] = Counter()
    for index in members:
        counts.update(kept[index])
    half = len(members) / 2
    words = set(seed) | {w for w, n in counts.items() if n >= half}
    candidates: set[int] = set()
    for word in words:
        candidates |= postings[word]
    grown = {i for i in candidates - taken if len(kept[i] & words) >= 2}
    counts = Counter()
    for index in grown:
        counts.update(kept[index] & words)
    order = sorted(words, key=lambda w: (-counts[w], w))
    return tuple(order), grown


def _proposed_name(words: tuple[str, ...], texts: list[str]) -> str:
    """The leading words as most people wrote them (accents kept): "Bus, shelters, café"."""
    wanted = set(words[:3])
    spelt: dict[str, Counter[str]] = {w: Counter() for w in wanted}
    for text in texts:
        for token in text.split():
            bare = token.strip(".,;:!?()[]{}\"'«»“”‘’-—").casefold()
            folded = fold(bare)
            if folded in spelt:
                spelt[folded][bare] += 1
    shown = [spelt[w].most_common(1)[0][0] if spelt[w] else w for w in words[:3]]
    name = ", ".join(shown)
    return (name[:1].upper() + name[1:])[:NAME_MAX]


def _record_decision(
    session: Session,
    *,
    programme: Programme,
    suggestion: Suggestion,
    decision: str,
    name: str = "",
    theme: Theme | None = None,
    actor: str = "",
) -> ThemeDecision:
    made = ThemeDecision(
        programme_id=programme.id,
        decision=decision,
        words_key=suggestion.words_key,
        ideas_key=suggestion.ideas_key,
        words=json.dumps(list(suggestion.words), ensure_ascii=False),
        idea_count=len(suggestion.ideas),
        proposed_name=suggestion.name[:NAME_MAX],
        name=name,
        theme_id=theme.id if theme is not None else None,
        decided_by=clean_text(actor)[:120],
    )
    session.add(made)
    record_event(
        session,
        kind=f"theme.suggestion_{decision}",
        meeting_id=None,
        entity="theme_decision",
        entity_id=made.id,
        actor=clean_text(actor)[:120],
        detail={
            "programme": programme.name,
            "words": list(suggestion.words),
            "ideas": len(suggestion.ideas),
            "name": name or suggestion.name,
        },
    )
    session.flush()
    return made


def accept_suggestion(
    session: Session,
    *,
    programme: Programme,
    suggestion: Suggestion,
    name: str | None = None,
    actor: str = "",
) -> Theme:
    """Make the suggested theme with its ideas: under its proposed name, or ``name`` (a
    rename). The decision is kept (who, when, which words and ideas)."""
    chosen = clean_text(name) if name is not None else suggestion.name
    renamed = name is not None and chosen != suggestion.name
    words = ", ".join(suggestion.words)
    theme = add_theme(
        session,
        programme=programme,
        name=chosen,
        summary=f"Suggested from the shared words: {words}."[:TEXT_MAX],
        actor=actor,
    )
    assign_ideas(session, theme=theme, idea_ids=[i.id for i in suggestion.ideas], actor=actor)
    _record_decision(
        session,
        programme=programme,
        suggestion=suggestion,
        decision="renamed" if renamed else "accepted",
        name=theme.name,
        theme=theme,
        actor=actor,
    )
    return theme


def reject_suggestion(
    session: Session, *, programme: Programme, suggestion: Suggestion, actor: str = ""
) -> ThemeDecision:
    """Record that the suggestion is not a theme: it is not suggested again."""
    return _record_decision(
        session, programme=programme, suggestion=suggestion, decision="rejected", actor=actor
    )


def decisions(session: Session, programme: Programme) -> list[ThemeDecision]:
    """Every decision on a suggestion, newest first."""
    query = select(ThemeDecision).where(ThemeDecision.programme_id == programme.id)
    return list(session.exec(query.order_by(col(ThemeDecision.decided_at).desc())))


def counts_line(overview: ThemeOverview) -> str:
    """A theme's counts in a line: "12 ideas · 40 supports"."""
    noun = "idea" if overview.ideas == 1 else "ideas"
    support = "support" if overview.supports == 1 else "supports"
    return f"{overview.ideas} {noun} · {overview.supports} {support}"
