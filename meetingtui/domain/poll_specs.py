"""The rules of a poll's definition, shared by the agenda file's checks (meetingtui.agenda) and
``create_poll`` (domain/polls.py): light on imports, so ``meetingtui check`` stays fast."""

from __future__ import annotations

from meetingtui.domain.agenda import PollSpec
from meetingtui.domain.tallies import MAX_OPTIONS, POLL_TYPES
from meetingtui.domain.text_fold import fold

RESULTS = ("live", "at close")  # what the public sees: results while open, or only once closed
OPENS = ("with the item", "manual")
QUESTION_MAX = 300
LABEL_MAX = 200
MAX_COST = 10**12
MAX_DOTS = 1000


def spec_problems(spec: PollSpec) -> dict[str, str]:
    """What is wrong with a poll's definition, by field (the agenda file's key names); empty
    when it is fine. The agenda loader and ``create_poll`` both use it."""
    problems: dict[str, str] = {}
    if spec.type not in POLL_TYPES:
        problems["type"] = f"must be one of {', '.join(POLL_TYPES)}; not {spec.type!r}"
        return problems
    if not spec.question.strip():
        problems["question"] = "must not be empty"
    elif len(spec.question) > QUESTION_MAX:
        problems["question"] = f"must be at most {QUESTION_MAX} characters"
    count = len(spec.options)
    if spec.from_ideas:
        if count:
            problems["options"] = 'give options or from = "ideas", not both'
    elif count < 2:
        problems["options"] = "needs at least two options"
    elif count > MAX_OPTIONS:
        problems["options"] = f"must have at most {MAX_OPTIONS} options"
    else:
        seen: set[str] = set()
        for label in spec.options:
            if not label.strip():
                problems["options"] = "an option must not be empty"
            elif len(label) > LABEL_MAX:
                problems["options"] = f"an option must be at most {LABEL_MAX} characters"
            elif fold(label) in seen:
                problems["options"] = f"lists {label!r} twice"
            seen.add(fold(label))
    kind = spec.type
    allowed = {
        "multiple": {"min", "max"},
        "score": {"min", "max"},
        "dots": {"dots"},
        "budget": {"budget"},
    }.get(kind, set())
    for name in ("min", "max", "dots", "budget"):
        if getattr(spec, name) is not None and name not in allowed:
            problems[name] = f"does not apply to a {kind} poll"
    if kind == "multiple":
        low = 1 if spec.min is None else spec.min
        high = (count or MAX_OPTIONS) if spec.max is None else spec.max
        if low < 1:
            problems["min"] = "must be at least 1"
        if count and high > count:
            problems["max"] = f"must be at most the number of options ({count})"
        if high < low:
            problems["max"] = f"must be at least min ({low})"
    if kind == "score":
        low = 1 if spec.min is None else spec.min
        high = 5 if spec.max is None else spec.max
        if not 0 <= low < high <= 100:
            problems["max"] = "scores run from min to max, 0 to 100, and max must be above min"
    if kind == "dots" and (spec.dots is None or not 1 <= spec.dots <= MAX_DOTS):
        problems["dots"] = f"give each device between 1 and {MAX_DOTS} dots (or points = 100)"
    if kind == "budget":
        if spec.budget is None or not 1 <= spec.budget <= MAX_COST:
            problems["budget"] = "give the budget as a positive whole number"
        if not spec.from_ideas and len(spec.costs) != count:
            problems["options"] = "give every option of a budget poll a cost: {label, cost}"
        elif any(not 0 < c <= MAX_COST for c in spec.costs):
            problems["options"] = "every cost must be a positive whole number"
        elif spec.from_ideas:
            problems["from"] = 'a budget poll needs costs: list its options, not from = "ideas"'
        elif spec.budget is not None and (
            over := [n for n, cost in enumerate(spec.costs, 1) if cost > spec.budget]
        ):
            # No ballot could choose such an option: a typo in a cost or in the budget.
            first = over[0]
            cost, label = spec.costs[first - 1], spec.options[first - 1]
            more = f" (and {len(over) - 1} more)" if len(over) > 1 else ""
            problems["options"] = (
                f"option {first} ({label!r}) costs {cost}, more than the whole budget "
                f"({spec.budget}){more}: no ballot could choose it"
            )
    elif spec.costs:
        problems["options"] = "only a budget poll gives options a cost"
    if spec.results not in RESULTS:
        problems["results"] = 'must be "live" or "at close"'
    if spec.opens not in OPENS:
        problems["opens"] = 'must be "with the item" or "manual"'
    return problems
