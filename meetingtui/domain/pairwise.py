"""Pairwise "which matters more": two ideas on the phone, pick one or skip, so a room ranks 30
ideas without anyone reading all 30.

The ideas compared are the meeting's public ideas (``domain/public.py``: what the public may see;
merged ideas left out, their survivor stands for them); a meeting with fewer than two compares
its programme's public catalogue instead. Each idea's score is ``(wins + 1) / (comparisons + 2)``:
an idea never compared scores 0.5, one always chosen tends to 1 (a skip is no comparison).

Pairs: the idea compared least so far (ties at random) against the least compared of the others,
never a pair this phone has already answered; so every idea is seen early and often enough,
whatever the room's size. A phone answers each pair once (a second answer is refused).
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from meetingtui.domain.errors import DomainError, MeetingClosed, NotFound
from meetingtui.domain.feed import record_event
from meetingtui.domain.models import Idea, Meeting, PairwiseChoice
from meetingtui.domain.public import Audience, idea_filter
from meetingtui.domain.states import MeetingStatus

MERGED = "merged"


class PairAnswered(DomainError):
    """This phone has already answered this pair."""


@dataclass(frozen=True)
class PairIdea:
    id: uuid.UUID
    ref: str
    title: str
    detail: str
    meeting_code: str


@dataclass(frozen=True)
class RankedIdea:
    ref: str
    title: str
    meeting_code: str
    wins: int
    comparisons: int

    @property
    def score(self) -> float:
        return (self.wins + 1) / (self.comparisons + 2)


def score(wins: int, comparisons: int) -> float:
    return (wins + 1) / (comparisons + 2)


def pool(session: Session, meeting: Meeting) -> list[PairIdea]:
    """The ideas this meeting's room compares (see the module's note)."""
    base = (
        sa.select(col(Idea.id), col(Idea.ref), col(Idea.title), col(Idea.detail), col(Meeting.code))
        .join(Meeting, col(Meeting.id) == col(Idea.meeting_id))
        .where(*idea_filter(Audience.PUBLIC), col(Idea.public_status) != MERGED)
    )
    rows = session.execute(
        base.where(col(Idea.meeting_id) == meeting.id).order_by(col(Idea.seq))
    ).all()
    if len(rows) < 2 and meeting.programme_id is not None:
        rows = session.execute(
            base.where(col(Meeting.programme_id) == meeting.programme_id).order_by(
                col(Idea.captured_at), col(Idea.id)
            )
        ).all()
    return [PairIdea(*row) for row in rows]


def _choices(session: Session, meeting_id: uuid.UUID) -> list[PairwiseChoice]:
    return list(session.exec(select(PairwiseChoice).where(PairwiseChoice.meeting_id == meeting_id)))


def _ordered(first: uuid.UUID, second: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    return (first, second) if str(first) < str(second) else (second, first)


def next_pair(
    session: Session, *, meeting_id: uuid.UUID, device: str, rng: random.Random | None = None
) -> tuple[PairIdea, PairIdea] | None:
    """The next pair for this phone, or None when it has answered every pair (or there are
    fewer than two ideas)."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("That meeting does not exist.")
    ideas = pool(session, meeting)
    if len(ideas) < 2:
        return None
    rng = rng or random.Random()
    compared: Counter[uuid.UUID] = Counter()
    seen: set[tuple[uuid.UUID, uuid.UUID]] = set()
    for choice in _choices(session, meeting_id):
        if choice.winner is not None:
            compared[choice.idea_low] += 1
            compared[choice.idea_high] += 1
        if choice.device == device:
            seen.add((choice.idea_low, choice.idea_high))
    order = sorted(ideas, key=lambda idea: (compared[idea.id], rng.random()))
    for position, first in enumerate(order):
        for second in order[position + 1 :]:
            if _ordered(first.id, second.id) not in seen:
                pair = (first, second) if rng.random() < 0.5 else (second, first)
                return pair
    return None


def record_choice(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    device: str,
    left_ref: str,
    right_ref: str,
    chosen_ref: str | None,
) -> None:
    """Keep this phone's answer to the pair (``chosen_ref`` None: skipped)."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("That meeting does not exist.")
    if meeting.status == MeetingStatus.CLOSED:
        raise MeetingClosed("This meeting has closed and is no longer taking ideas or comments.")
    ideas = {(idea.meeting_code, idea.ref): idea for idea in pool(session, meeting)}
    by_ref = {ref: idea for (_code, ref), idea in ideas.items()}
    by_key = {f"{code}/{ref}": idea for (code, ref), idea in ideas.items()}

    def find(key: str) -> PairIdea:
        idea = by_key.get(key) or by_ref.get(key)
        if idea is None:
            raise NotFound("That idea is no longer on this page.")
        return idea

    left, right = find(left_ref), find(right_ref)
    if left.id == right.id:
        raise DomainError("Choose between two different ideas.")
    winner: uuid.UUID | None = None
    if chosen_ref is not None:
        chosen = find(chosen_ref)
        if chosen.id not in (left.id, right.id):
            raise DomainError("Choose one of the two ideas shown.")
        winner = chosen.id
    low, high = _ordered(left.id, right.id)
    existing = session.exec(
        select(PairwiseChoice.id).where(
            PairwiseChoice.meeting_id == meeting_id,
            PairwiseChoice.device == device,
            PairwiseChoice.idea_low == low,
            PairwiseChoice.idea_high == high,
        )
    ).first()
    if existing is not None:
        raise PairAnswered("You have already answered this pair.")
    choice = PairwiseChoice(
        meeting_id=meeting_id, device=device, idea_low=low, idea_high=high, winner=winner
    )
    session.add(choice)
    record_event(
        session,
        kind="pairwise.choice",
        meeting_id=meeting_id,
        entity="pairwise",
        entity_id=choice.id,
        detail={"skipped": winner is None},
    )
    session.flush()


def ranking(session: Session, meeting_id: uuid.UUID) -> list[RankedIdea]:
    """The meeting's ideas by score, highest first (more comparisons first among equals, then
    by ref); only ideas the public may see now."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("That meeting does not exist.")
    ideas = pool(session, meeting)
    wins: Counter[uuid.UUID] = Counter()
    compared: Counter[uuid.UUID] = Counter()
    for choice in _choices(session, meeting_id):
        if choice.winner is None:
            continue
        compared[choice.idea_low] += 1
        compared[choice.idea_high] += 1
        wins[choice.winner] += 1
    ranked = [
        RankedIdea(idea.ref, idea.title, idea.meeting_code, wins[idea.id], compared[idea.id])
        for idea in ideas
    ]
    return sorted(ranked, key=lambda r: (-r.score, -r.comparisons, r.meeting_code, r.ref))


def choice_count(session: Session, meeting_id: uuid.UUID) -> int:
    return len([c for c in _choices(session, meeting_id) if c.winner is not None])
