"""Counting ballots (domain/tallies.py): every poll type, ties, limits, and Equal Shares."""

from __future__ import annotations

import pytest

from meetingtui.domain.tallies import (
    BallotRefused,
    PollRules,
    check_choices,
    equal_shares,
    greedy_selection,
    tally,
)


def test_single_choice_counts_votes_and_names_a_tie() -> None:
    rules = PollRules("single", 3)
    ballots = [check_choices(rules, [i]) for i in (0, 1, 1, 0, 2)]
    result = tally(rules, ballots)
    assert [o.figures["votes"] for o in result.options] == [2, 2, 1]
    assert result.leaders == (0, 1) and result.tied
    assert result.order == (0, 1, 2)  # equal results in option order, every time
    with pytest.raises(BallotRefused, match="one option"):
        check_choices(rules, [0, 1])
    with pytest.raises(BallotRefused, match="not one of the options"):
        check_choices(rules, [3])


def test_multiple_choice_keeps_min_and_max() -> None:
    rules = PollRules("multiple", 4, min=2, max=3)
    assert check_choices(rules, [2, 0]) == [0, 2]
    for wrong in ([1], [0, 1, 2, 3]):
        with pytest.raises(BallotRefused, match="between 2 and 3"):
            check_choices(rules, wrong)
    with pytest.raises(BallotRefused, match="once"):
        check_choices(rules, [1, 1])
    result = tally(rules, [[0, 2], [0, 1, 2], [2, 3]])
    assert [o.figures["votes"] for o in result.options] == [2, 1, 3, 1]
    assert result.leaders == (2,) and not result.tied


def test_ranking_by_borda_and_first_preferences_with_partial_rankings() -> None:
    rules = PollRules("ranking", 3)
    ballots = [[0, 1, 2], [1, 0], [2]]  # partial rankings give nothing to what they leave out
    result = tally(rules, [check_choices(rules, b) for b in ballots])
    assert [o.figures["borda"] for o in result.options] == [2 + 1, 1 + 2, 0 + 0 + 2]
    assert [o.figures["first"] for o in result.options] == [1, 1, 1]
    assert result.leaders == (0, 1)  # equal Borda and equal first preferences: a tie
    with pytest.raises(BallotRefused, match="one place"):
        check_choices(rules, [0, 0])
    with pytest.raises(BallotRefused, match="at least one"):
        check_choices(rules, [])
    # Equal Borda points: first preferences decide.
    decided = tally(rules, [[0, 1, 2], [1, 2, 0], [2, 0, 1], [0, 1, 2]])
    assert decided.leaders == (0,)


def test_score_mean_count_and_skips() -> None:
    rules = PollRules("score", 3)  # 1-5 by default
    ballots = [{0: 5, 1: 3}, {0: 4}, {0: 3, 1: 3, 2: 1}]
    result = tally(rules, [check_choices(rules, b) for b in ballots])
    figures = [o.figures for o in result.options]
    assert figures[0] == {"mean": 4.0, "count": 3, "skips": 0}
    assert figures[1] == {"mean": 3.0, "count": 2, "skips": 1}
    assert figures[2] == {"mean": 1.0, "count": 1, "skips": 2}
    assert result.order == (0, 1, 2)
    with pytest.raises(BallotRefused, match="from 1 to 5"):
        check_choices(rules, {0: 6})
    with pytest.raises(BallotRefused, match="at least one score"):
        check_choices(rules, {})
    # Equal means: the option more people scored ranks first; nobody scored ranks last.
    tied = tally(rules, [{0: 4, 1: 4}, {1: 4}])
    assert tied.order == (1, 0, 2) and tied.leaders == (1,)


def test_dots_never_exceed_the_devices_dots() -> None:
    rules = PollRules("dots", 3, dots=5)
    assert check_choices(rules, {"0": "3", "2": "2", "1": "0"}) == {0: 3, 2: 2}
    with pytest.raises(BallotRefused, match="you have 5"):
        check_choices(rules, {0: 4, 1: 2})
    with pytest.raises(BallotRefused, match="negative"):
        check_choices(rules, {0: -1, 1: 6})
    result = tally(rules, [{0: 3, 2: 2}, {2: 5}])
    assert [o.figures["points"] for o in result.options] == [3, 0, 7]


def test_budget_ballots_stay_within_the_budget_and_select_greedily() -> None:
    rules = PollRules("budget", 3, budget=100, costs=(60, 50, 40))
    assert check_choices(rules, [2, 0]) == [0, 2]
    with pytest.raises(BallotRefused, match="more than the budget of 100"):
        check_choices(rules, [0, 1])
    result = tally(rules, [[0, 2], [1], [1, 2], [1]])
    figures = [o.figures for o in result.options]
    assert [f["votes"] for f in figures] == [1, 3, 2]
    # Greedy: B (3 votes, 50) fits, C (2 votes, 40) fits, A (60) no longer does.
    assert [f["selected_greedy"] for f in figures] == [False, True, True]
    assert result.spent_greedy == 90


def test_greedy_passes_over_what_does_not_fit_and_takes_what_does() -> None:
    assert greedy_selection([80, 30, 20], [5, 4, 3], 100) == {0, 2}


def test_equal_shares_worked_example_from_the_literature() -> None:
    """The motivating example of the Method of Equal Shares (Peters & Skowron, "Proportional
    participatory budgeting with additive utilities", NeurIPS 2021; equalshares.net, "Why
    equal shares"): 51% of voters approve 10 red projects, 49% approve 10 blue ones, the money
    pays for 10. Greedy (utilitarian) selection funds the 10 red projects and ignores 49% of
    the voters; Equal Shares funds 5 red and 5 blue.

    By hand, with 100 voters, projects of 1,000 and a budget of 10,000: each voter has 100;
    red voters can pay for 5 red projects (51 × 100 = 5,100) and blue voters for 4 blue ones
    (4,900). The add1 completion raises each voter's share one unit at a time; at 103 the blue
    voters hold 5,047 and buy a fifth blue project, 10 projects costing exactly 10,000.
    """
    costs = [1000] * 20
    red, blue = list(range(10)), list(range(10, 20))
    ballots = [red] * 51 + [blue] * 49
    assert equal_shares(costs, ballots, 10_000) == set(red[:5]) | set(blue[:5])
    votes = [51] * 10 + [49] * 10
    assert greedy_selection(costs, votes, 10_000) == set(red)
    rules = PollRules("budget", 20, budget=10_000, costs=tuple(costs))
    result = tally(rules, ballots)
    assert sum(o.figures["selected_equal_shares"] for o in result.options) == 10
    assert result.spent_equal_shares == 10_000


def test_equal_shares_shares_cost_unequally_when_money_runs_out() -> None:
    """A small case worked by hand: 3 voters, budget 90 (30 each). A (cost 60) is approved by
    all three, B (cost 30) by voter 1, C (cost 40) by voters 2 and 3.

    ρ(A) = 60/3 = 20, ρ(B) = 30, ρ(C) = 40/2 = 20: A and C tie at 20 and A has more approvals,
    so A is bought; everyone keeps 10, too little for B or C. add1: with p each, C becomes
    affordable after A at p = 40 (2 × (p − 20) ≥ 40), but A + C cost 100 > 90, so the outcome
    stays {A}. The greedy completion then takes, by approvals, C (100 > 90: no) and B (90:
    yes): A and B."""
    assert equal_shares([60, 30, 40], [[0, 1], [0, 2], [0, 2]], 90) == {0, 1}


def test_no_ballots_no_leaders() -> None:
    for kind in ("single", "ranking", "score", "dots"):
        result = tally(PollRules(kind, 2, dots=3), [])
        assert result.ballots == 0 and result.leaders == ()
