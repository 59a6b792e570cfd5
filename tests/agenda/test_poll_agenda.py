"""``[item.poll]`` in agenda files: every problem named by file, line and field."""

from __future__ import annotations

import pytest

from meetingtui.agenda import parse_agenda
from meetingtui.agenda.errors import AgendaError
from meetingtui.domain.agenda import PollSpec

HEAD = '[meeting]\ntitle = "Polls"\n\n[[item]]\ntitle = "Welcome"\nminutes = 5\n\n'


def _problems(text: str) -> list[str]:
    with pytest.raises(AgendaError) as raised:
        parse_agenda(HEAD + text, "polls.toml")
    return [str(p) for p in raised.value.problems]


def test_a_poll_of_each_type_is_read() -> None:
    agenda = parse_agenda(
        HEAD + '[[item]]\ntitle = "Budget"\nminutes = 10\nkind = "vote"\n\n[item.poll]\n'
        'type = "budget"\nquestion = "Spend it"\nbudget = 100\nresults = "at close"\n'
        'options = [{ label = "Shade", cost = 60 }, { label = "Benches", cost = 30 }]\n\n'
        '[[item]]\ntitle = "Dots"\nminutes = 5\nkind = "vote"\n'
        'poll = { type = "dots", question = "Spread them", points = 100, from = "ideas" }\n'
    )
    budget, dots = agenda.items[1].poll, agenda.items[2].poll
    assert budget == PollSpec(
        type="budget",
        question="Spend it",
        options=("Shade", "Benches"),
        costs=(60, 30),
        budget=100,
        results="at close",
    )
    assert dots is not None and dots.dots == 100 and dots.unit == "points" and dots.from_ideas


def test_problems_name_the_line_and_the_field() -> None:
    problems = _problems(
        '[[item]]\ntitle = "Vote"\nminutes = 5\nkind = "vote"\n\n[item.poll]\n'
        'type = "multiple"\nquestion = "Pick"\noptions = ["A", "B", "C"]\nmax = 5\ncolour = "red"\n'
    )
    assert problems == [
        "polls.toml:18: item 2.poll.colour: unknown key; allowed keys: budget, dots, from, max, "
        "min, opens, options, points, question, results, type"
    ]
    problems = _problems(
        '[[item]]\ntitle = "Vote"\nminutes = 5\nkind = "vote"\n\n[item.poll]\n'
        'type = "multiple"\nquestion = "Pick"\noptions = ["A", "B", "C"]\nmax = 5\n'
    )
    assert problems == ["polls.toml:17: item 2.poll.max: must be at most the number of options (3)"]


def test_budget_rules_and_kind() -> None:
    problems = _problems(
        '[[item]]\ntitle = "Talk"\nminutes = 5\n\n[item.poll]\ntype = "budget"\n'
        'question = "Spend"\noptions = ["A", "B"]\n'
    )
    assert 'polls.toml:12: item 2.poll: only an item with kind = "vote" has a poll' in problems[0]
    assert any("item 2.poll.budget" in p for p in problems)
    assert any(
        "item 2.poll.options: give every option of a budget poll a cost" in p for p in problems
    )


def test_unknown_type_and_bad_option_table() -> None:
    problems = _problems(
        '[[item]]\ntitle = "Vote"\nminutes = 5\nkind = "vote"\n\n[item.poll]\n'
        'type = "approval"\nquestion = "Pick"\noptions = [{ label = "A", price = 3 }]\n'
    )
    assert any(
        p.startswith("polls.toml:14: item 2.poll.type: must be one of single") for p in problems
    )
    assert any(
        "polls.toml:16: item 2.poll.options: option 1: unknown key 'price'" in p for p in problems
    )


def test_an_option_costing_more_than_the_whole_budget_is_refused() -> None:
    """No ballot could choose it: a typo in a cost or in the budget (found by review)."""
    problems = _problems(
        '[[item]]\ntitle = "Vote"\nminutes = 5\nkind = "vote"\n\n[item.poll]\n'
        'type = "budget"\nquestion = "Spend"\nbudget = 100\n'
        'options = [{ label = "Café ☕", cost = 60 }, { label = "Bus", cost = 200 }, '
        '{ label = "Lift", cost = 101 }]\n'
    )
    assert problems == [
        "polls.toml:17: item 2.poll.options: option 2 ('Bus') costs 200, more than the whole "
        "budget (100) (and 1 more): no ballot could choose it"
    ]
    agenda = parse_agenda(
        HEAD + '[[item]]\ntitle = "Vote"\nminutes = 5\nkind = "vote"\n\n[item.poll]\n'
        'type = "budget"\nquestion = "Spend"\nbudget = 100\n'
        'options = [{ label = "All of it", cost = 100 }, { label = "Bus", cost = 1 }]\n'
    )
    assert agenda.items[1].poll is not None and agenda.items[1].poll.costs == (100, 1)
