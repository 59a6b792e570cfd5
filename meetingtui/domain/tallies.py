"""Counting a poll's ballots: pure functions, no database.

Options are numbered by position (0, 1, 2 …, the order they are shown). A ballot's *choices*
have one canonical shape per poll type, the shape stored (as JSON) and the shape counted:

=========  ====================================================================================
type       choices
=========  ====================================================================================
single     ``[i]`` — one option
multiple   ``[i, j, …]`` — between ``min`` and ``max`` options (approval, "pick k")
ranking    ``[best, second, …]`` — options in order of preference; a *partial* ranking is
           allowed (rank only the ones you care about; at least one)
score      ``{i: score}`` — a score from ``min`` to ``max`` per option; an option left out is
           a "skip" (counted as a skip, not as a low score)
dots       ``{i: dots}`` — whole dots (or points) spread over options; never more than ``dots``
budget     ``[i, j, …]`` — options approved; their costs together within ``budget``
=========  ====================================================================================

``check_choices`` turns what a person sent into that shape or raises ``BallotRefused`` with a
plain message; ``tally`` counts a list of checked choices.

Results (``Tally``) give per option the figures of its type (``OptionTally.figures``):

- single, multiple: ``votes``.
- ranking: ``borda`` — with *n* options, first place earns *n* − 1 points, second *n* − 2 …,
  an unranked option 0 (the "truncated" Borda count, so a partial ranking gives nothing to
  what it leaves out); and ``first`` — first preferences.
- score: ``mean`` (of the scores given, skips left out), ``count`` (scores given), ``skips``.
- dots: ``points`` (dots or points received).
- budget: ``votes`` (approvals), ``cost``, ``selected_greedy`` and ``selected_equal_shares``.

Ties are explicit and deterministic: ``Tally.order`` lists the options best first, equal
results in option order; ``Tally.leaders`` are all the options tied at the top, and
``Tally.tied`` says whether there is more than one.

Budget selection:

- *greedy*: the options by approvals, most first (equal approvals: option order), each taken
  if it still fits in what is left of the budget.
- *Method of Equal Shares* (approval ballots; Peters & Skowron, "Proportional participatory
  budgeting with additive utilities", NeurIPS 2021; https://equalshares.net): the budget is
  split equally among the voters; an option is bought only with its supporters' money, its
  cost shared as equally as their remaining money allows; the option needing the smallest
  largest share (ρ) is bought first (equal ρ: more approvals, then option order), until no
  option can be paid for. Then the equalshares.net "add1" completion: the per-voter budget
  (from a whole number) is raised by one unit at a time while the outcome still fits the real
  budget and is not exhaustive; finally any budget left is filled greedily by approvals.
  Arithmetic is exact (fractions), so the result never depends on rounding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

POLL_TYPES = ("single", "multiple", "ranking", "score", "dots", "budget")
SCORE_DEFAULT_MIN = 1
SCORE_DEFAULT_MAX = 5
MAX_OPTIONS = 50

Choices = list[int] | dict[int, int]


# The refusals that carry numbers, as templates: domain/i18n.py ``translate_message`` reads the
# numbers back out of a message so the phone shows it in the meeting's language.
NUMBERED_REFUSALS = (
    "Choose exactly {count} options.",
    "Choose between {low} and {high} options.",
    "Give scores from {low} to {high}, or skip.",
    "You placed {total} but you have {dots}. Take some away.",
    "Your choices cost {total} together, more than the budget of {budget}. Untick something.",
)


class BallotRefused(ValueError):
    """A ballot that breaks the poll's rules; the message says what to change."""


@dataclass(frozen=True)
class PollRules:
    """What ``check_choices`` and ``tally`` need to know of a poll."""

    type: str
    options: int
    min: int | None = None  # multiple: fewest choices; score: lowest score
    max: int | None = None  # multiple: most choices; score: highest score
    dots: int | None = None  # dots: per device
    budget: int | None = None  # budget: the money
    costs: tuple[int, ...] = ()  # budget: per option

    @property
    def score_range(self) -> tuple[int, int]:
        low = SCORE_DEFAULT_MIN if self.min is None else self.min
        high = SCORE_DEFAULT_MAX if self.max is None else self.max
        return low, high

    @property
    def choice_range(self) -> tuple[int, int]:
        """multiple: how many options a ballot picks (defaults: 1 to all)."""
        return (1 if self.min is None else self.min, self.options if self.max is None else self.max)


def _index(value: Any, rules: PollRules) -> int:
    try:
        index = int(value)
    except (TypeError, ValueError):
        raise BallotRefused("That choice is not one of the options.") from None
    if isinstance(value, bool) or not 0 <= index < rules.options:
        raise BallotRefused("That choice is not one of the options.")
    return index


def _whole(value: Any) -> int:
    if isinstance(value, bool):
        raise BallotRefused("Enter whole numbers.")
    try:
        return int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise BallotRefused("Enter whole numbers.") from None


def check_choices(rules: PollRules, raw: Any) -> Choices:
    """``raw`` (a list of option positions, or a mapping of position to number) as the checked,
    canonical choices of ``rules.type``; ``BallotRefused`` says what is wrong."""
    kind = rules.type
    if kind in ("single", "multiple", "ranking", "budget"):
        if not isinstance(raw, (list, tuple)):
            raise BallotRefused("Choose an option.")
        picked = [_index(value, rules) for value in raw]
        if len(set(picked)) != len(picked):
            raise BallotRefused(
                "Give each option one place only."
                if kind == "ranking"
                else "Choose each option once."
            )
        if kind == "single":
            if len(picked) != 1:
                raise BallotRefused("Choose one option.")
            return picked
        if kind == "multiple":
            low, high = rules.choice_range
            if not low <= len(picked) <= high:
                if low == high:
                    raise BallotRefused(f"Choose exactly {low} options.")
                raise BallotRefused(f"Choose between {low} and {high} options.")
            return sorted(picked)
        if kind == "ranking":
            if not picked:
                raise BallotRefused("Rank at least one option.")
            return picked
        # budget
        if not picked:
            raise BallotRefused("Choose at least one option.")
        total = sum(rules.costs[i] for i in picked)
        if rules.budget is not None and total > rules.budget:
            raise BallotRefused(
                f"Your choices cost {total:,} together, more than the budget of "
                f"{rules.budget:,}. Untick something."
            )
        return sorted(picked)
    if kind in ("score", "dots"):
        if not isinstance(raw, Mapping):
            raise BallotRefused("Give at least one score." if kind == "score" else "Place a dot.")
        given: dict[int, int] = {}
        for key, value in raw.items():
            index = _index(key, rules)
            if index in given:
                raise BallotRefused("Give each option one value only.")
            given[index] = _whole(value)
        if kind == "score":
            low, high = rules.score_range
            for number in given.values():
                if not low <= number <= high:
                    raise BallotRefused(f"Give scores from {low} to {high}, or skip.")
            if not given:
                raise BallotRefused("Give at least one score (you can skip the others).")
            return dict(sorted(given.items()))
        if any(number < 0 for number in given.values()):
            raise BallotRefused("Dots cannot be negative.")
        given = {i: n for i, n in given.items() if n}
        total = sum(given.values())
        if not total:
            raise BallotRefused("Place at least one dot.")
        if rules.dots is not None and total > rules.dots:
            raise BallotRefused(f"You placed {total} but you have {rules.dots}. Take some away.")
        return dict(sorted(given.items()))
    raise BallotRefused(f"Unknown poll type {kind!r}.")


def choices_from_json(kind: str, data: Any) -> Choices:
    """Stored JSON back to choices (JSON object keys are text)."""
    if kind in ("score", "dots"):
        return {int(k): int(v) for k, v in dict(data).items()}
    return [int(v) for v in data]


@dataclass
class OptionTally:
    position: int
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass
class Tally:
    type: str
    ballots: int
    options: list[OptionTally]
    order: tuple[int, ...]  # best first; equal results in option order
    leaders: tuple[int, ...]  # every option tied at the top (empty without ballots)
    spent_greedy: int = 0
    spent_equal_shares: int = 0

    @property
    def tied(self) -> bool:
        return len(self.leaders) > 1


def _ranked(keys: Sequence[Any], ballots: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    order = tuple(sorted(range(len(keys)), key=lambda i: (_neg(keys[i]), i)))
    if not ballots or not order:
        return order, ()
    top = keys[order[0]]
    return order, tuple(i for i in order if keys[i] == top)


def _neg(key: Any) -> Any:
    if isinstance(key, tuple):
        return tuple(-k for k in key)
    return -key


def tally(rules: PollRules, ballots: Sequence[Choices]) -> Tally:
    """Count checked choices (``check_choices``) under ``rules``."""
    n = rules.options
    kind = rules.type
    figures: list[dict[str, Any]] = [{} for _ in range(n)]
    keys: list[Any]
    spent = (0, 0)
    if kind in ("single", "multiple", "budget"):
        votes = [0] * n
        for choices in ballots:
            for i in choices:
                votes[i] += 1
        for i in range(n):
            figures[i]["votes"] = votes[i]
        keys = votes
        if kind == "budget":
            costs = list(rules.costs)
            budget = rules.budget or 0
            greedy = greedy_selection(costs, votes, budget)
            shares = equal_shares(costs, [list(map(int, b)) for b in ballots], budget)
            for i in range(n):
                figures[i]["cost"] = costs[i]
                figures[i]["selected_greedy"] = i in greedy
                figures[i]["selected_equal_shares"] = i in shares
            spent = (sum(costs[i] for i in greedy), sum(costs[i] for i in shares))
    elif kind == "ranking":
        borda = [0] * n
        first = [0] * n
        for choices in ballots:
            order_list = list(choices)
            for place, i in enumerate(order_list):
                borda[i] += n - 1 - place
            if order_list:
                first[order_list[0]] += 1
        for i in range(n):
            figures[i]["borda"] = borda[i]
            figures[i]["first"] = first[i]
        keys = [(borda[i], first[i]) for i in range(n)]
    elif kind == "score":
        sums = [0] * n
        counts = [0] * n
        for choices in ballots:
            assert isinstance(choices, Mapping)
            for i, score in choices.items():
                sums[i] += score
                counts[i] += 1
        means = [Fraction(sums[i], counts[i]) if counts[i] else None for i in range(n)]
        for i in range(n):
            mean = means[i]
            figures[i]["mean"] = None if mean is None else round(float(mean), 2)
            figures[i]["count"] = counts[i]
            figures[i]["skips"] = len(ballots) - counts[i]
        # Compared exactly; an option nobody scored ranks below every scored one.
        keys = [
            (1, means[i], counts[i]) if means[i] is not None else (0, Fraction(0), 0)
            for i in range(n)
        ]
    elif kind == "dots":
        points = [0] * n
        for choices in ballots:
            assert isinstance(choices, Mapping)
            for i, number in choices.items():
                points[i] += number
        for i in range(n):
            figures[i]["points"] = points[i]
        keys = points
    else:
        raise ValueError(f"unknown poll type {kind!r}")
    order, leaders = _ranked(keys, len(ballots))
    return Tally(
        type=kind,
        ballots=len(ballots),
        options=[OptionTally(i, figures[i]) for i in range(n)],
        order=order,
        leaders=leaders,
        spent_greedy=spent[0],
        spent_equal_shares=spent[1],
    )


def greedy_selection(costs: Sequence[int], votes: Sequence[int], budget: int) -> set[int]:
    """Options by votes (most first; equal votes in option order), each taken while it fits.
    Options nobody voted for are never selected."""
    left = budget
    chosen: set[int] = set()
    for i in sorted(range(len(costs)), key=lambda i: (-votes[i], i)):
        if votes[i] > 0 and costs[i] <= left:
            chosen.add(i)
            left -= costs[i]
    return chosen


def _equal_shares_fixed(
    costs: Sequence[int], approvals: Sequence[Sequence[int]], per_voter: Fraction
) -> list[int]:
    """MES with every voter starting with ``per_voter``; returns the options in buying order."""
    money = [per_voter] * len(approvals)
    supporters: dict[int, list[int]] = {i: [] for i in range(len(costs))}
    for voter, approved in enumerate(approvals):
        for i in approved:
            supporters[i].append(voter)
    left = {i for i in supporters if supporters[i]}
    bought: list[int] = []
    while True:
        best: tuple[Fraction, int, int] | None = None  # (rho, -approvals, option)
        for i in sorted(left):
            voters = supporters[i]
            cost = Fraction(costs[i])
            if sum(money[v] for v in voters) < cost:
                continue
            rho = _rho(sorted(money[v] for v in voters), cost)
            key = (rho, -len(voters), i)
            if best is None or key < best:
                best = key
        if best is None:
            return bought
        rho, _, chosen = best
        for v in supporters[chosen]:
            money[v] -= min(money[v], rho)
        bought.append(chosen)
        left.discard(chosen)


def _rho(balances: list[Fraction], cost: Fraction) -> Fraction:
    """The smallest ρ with sum(min(balance, ρ)) = cost (balances ascending, enough in all)."""
    paid = Fraction(0)
    remaining = len(balances)
    for balance in balances:
        share = (cost - paid) / remaining
        if share <= balance:
            return share
        paid += balance
        remaining -= 1
    return balances[-1] if balances else cost  # unreachable when the money suffices


def equal_shares(costs: Sequence[int], approvals: Sequence[Sequence[int]], budget: int) -> set[int]:
    """The Method of Equal Shares with add1 completion, then greedy completion (module doc).
    ``approvals`` is one list of approved options per ballot."""
    voters = len(approvals)
    if not voters or budget <= 0:
        return set()

    def cost_of(chosen: Sequence[int]) -> int:
        return sum(costs[i] for i in chosen)

    def exhaustive(chosen: Sequence[int]) -> bool:
        spent = cost_of(chosen)
        return all(
            i in chosen or spent + costs[i] > budget
            for i in range(len(costs))
            if any(i in a for a in approvals)
        )

    chosen = _equal_shares_fixed(costs, approvals, Fraction(budget, voters))
    per_voter = budget // voters  # add1 starts from a whole amount per voter
    # Raising the budget can only help while it is below what buying everything would take.
    ceiling = max(sum(costs), 1)
    while not exhaustive(chosen) and per_voter * voters <= ceiling:
        per_voter += 1
        attempt = _equal_shares_fixed(costs, approvals, Fraction(per_voter))
        if cost_of(attempt) > budget:
            break
        chosen = attempt
    result = set(chosen)
    votes = [sum(1 for a in approvals if i in a) for i in range(len(costs))]
    left = budget - cost_of(chosen)
    for i in sorted(range(len(costs)), key=lambda i: (-votes[i], i)):
        if i not in result and votes[i] > 0 and costs[i] <= left:
            result.add(i)
            left -= costs[i]
    return result
