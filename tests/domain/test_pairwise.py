"""Pairwise "which matters more": scores, pair selection, once per device, public ideas only."""

from __future__ import annotations

import random
from itertools import combinations

import pytest

from meetingtui.domain import meetings
from meetingtui.domain.errors import DomainError, MeetingClosed, NotFound
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.moderation import set_visibility
from meetingtui.domain.pairwise import (
    PairAnswered,
    next_pair,
    ranking,
    record_choice,
    score,
)
from meetingtui.store.database import Database


def _ideas(database: Database, meeting, count: int) -> list[str]:
    refs = []
    with database.write() as session:
        for number in range(count):
            idea = capture_idea(
                session, meeting_id=meeting.id, data=IdeaInput(title=f"Idea number {number}")
            )
            refs.append(idea.ref)
    return refs


def _choose(database: Database, meeting, device: str, left: str, right: str, chosen) -> None:
    with database.write() as session:
        record_choice(
            session,
            meeting_id=meeting.id,
            device=device,
            left_ref=left,
            right_ref=right,
            chosen_ref=chosen,
        )


def test_scores_are_wins_plus_one_over_comparisons_plus_two() -> None:
    assert score(0, 0) == 0.5 and score(3, 4) == pytest.approx(4 / 6) and score(0, 2) == 0.25


@pytest.fixture
def either_meeting(any_database: Database):
    from meetingtui.agenda.loader import load_agenda
    from tests.conftest import TOWN_HALL

    with any_database.write() as session:
        created = meetings.create_meeting(session, agenda=load_agenda(TOWN_HALL), code="pairs234")
        meetings.start_meeting(session, meeting_id=created.id)
    return created


def test_ranking_counts_choices_and_not_skips(any_database: Database, either_meeting) -> None:
    database, meeting = any_database, either_meeting
    a, b, c = _ideas(database, meeting, 3)
    _choose(database, meeting, "d1", a, b, a)
    _choose(database, meeting, "d2", a, b, a)
    _choose(database, meeting, "d1", a, c, c)
    _choose(database, meeting, "d1", b, c, None)  # a skip: no comparison
    with database.read() as session:
        ranked = ranking(session, meeting.id)
    by_ref = {idea.ref: idea for idea in ranked}
    assert (by_ref[a].wins, by_ref[a].comparisons) == (2, 3)
    assert by_ref[a].score == pytest.approx(3 / 5)
    assert by_ref[c].score == pytest.approx(2 / 3)
    assert by_ref[b].score == pytest.approx(1 / 4)
    assert [idea.ref for idea in ranked] == [c, a, b]


def test_one_answer_per_device_per_pair(database: Database, meeting) -> None:
    a, b = _ideas(database, meeting, 2)
    _choose(database, meeting, "d1", a, b, a)
    with pytest.raises(PairAnswered):
        _choose(database, meeting, "d1", b, a, b)  # the same pair, either way round
    _choose(database, meeting, "d2", b, a, b)
    with pytest.raises(DomainError, match="one of the two"):
        (c,) = _ideas(database, meeting, 1)
        _choose(database, meeting, "d3", a, b, c)
    with pytest.raises(NotFound):
        _choose(database, meeting, "d3", a, "I-9999", a)
    with database.write() as session:
        meetings.close_meeting(session, meeting_id=meeting.id)
    with pytest.raises(MeetingClosed):
        _choose(database, meeting, "d4", a, b, a)


def test_a_device_never_sees_a_pair_twice_and_sees_them_all(database: Database, meeting) -> None:
    refs = _ideas(database, meeting, 6)
    seen: set[frozenset[str]] = set()
    rng = random.Random(7)
    while True:
        with database.read() as session:
            pair = next_pair(session, meeting_id=meeting.id, device="d1", rng=rng)
        if pair is None:
            break
        key = frozenset(idea.ref for idea in pair)
        assert key not in seen
        seen.add(key)
        _choose(database, meeting, "d1", pair[0].ref, pair[1].ref, pair[0].ref)
    assert seen == {frozenset(p) for p in combinations(refs, 2)}  # 15 pairs, then none


def test_a_room_ranks_30_ideas_without_reading_all_of_them(database: Database, meeting) -> None:
    """20 phones answer 6 pairs each (120 choices, each phone reads 12 titles at most): every
    idea has been compared, and none far more than another (the least compared come first)."""
    _ideas(database, meeting, 30)
    rng = random.Random(3)
    for phone in range(20):
        for _ in range(6):
            with database.read() as session:
                left, right = next_pair(
                    session, meeting_id=meeting.id, device=f"phone-{phone}", rng=rng
                )
            chosen = left if int(left.ref[2:]) > int(right.ref[2:]) else right  # higher wins
            _choose(database, meeting, f"phone-{phone}", left.ref, right.ref, chosen.ref)
    with database.read() as session:
        ranked = ranking(session, meeting.id)
    comparisons = [idea.comparisons for idea in ranked]
    assert min(comparisons) >= 7 and max(comparisons) <= 9  # 240 sides over 30 ideas: 8 each
    top = {idea.ref for idea in ranked[:8]}
    assert len(top & {f"I-{n:04d}" for n in range(20, 31)}) >= 6  # the better ideas rise


def test_only_public_ideas_are_compared(database: Database, meeting) -> None:
    a, b, c = _ideas(database, meeting, 3)
    with database.write() as session:
        from meetingtui.domain.ideas import find_idea

        hidden = find_idea(session, meeting_id=meeting.id, ref=c)
        set_visibility(
            session, meeting_id=meeting.id, entity="idea", entity_id=hidden.id, visibility="hidden"
        )
    with database.read() as session:
        for _ in range(5):
            pair = next_pair(session, meeting_id=meeting.id, device="d1")
            assert pair is not None and c not in {idea.ref for idea in pair}
        assert c not in {idea.ref for idea in ranking(session, meeting.id)}
    with pytest.raises(NotFound):
        _choose(database, meeting, "d1", a, c, a)
