"""A poll's results as bars: what every chart draws (the console, the projector, the minutes).

One bar per option in option order: the figure the poll's type is counted by, as a number and
its ``kind`` (``FIGURE_KINDS``), and its length as a share of the longest bar; ``percent`` is the
share of ballots (single, multiple, budget: the share of ballots that chose it) or of the total
(ranking, dots), or of the top score (score: not a share of anything people cast, so the record
does not print it). No words here: each surface says the figure in its own language and number
format (export/minutes_polls.py, web/poll_views.py, tui/widgets/poll_chart.py), so "1.200 votos"
in a Spanish meeting's minutes is the same figure as "1,200" on the English console.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from meetingtui.domain.polls import PollResults, poll_settings
from meetingtui.domain.tallies import Tally

TYPE_NAMES = {
    "single": "single choice",
    "multiple": "multiple choice",
    "ranking": "ranking",
    "score": "score",
    "dots": "dots",
    "budget": "budget",
}


# What a bar's figure counts, by poll type: ``votes`` (ballots choosing it), ``borda`` (ranking
# points), ``mean`` (the average score given), ``dots`` or ``points`` (a dots poll, by its unit).
FIGURE_KINDS = ("votes", "borda", "mean", "dots", "points")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # the figure; a whole number except for a mean
    kind: str  # one of FIGURE_KINDS
    counted: bool  # False: no figure yet (a score nobody has given), shown as a dash
    percent: int  # 0-100, see the module docstring
    fill: float  # 0-1, of the longest bar
    leading: bool  # among the leaders (or selected, for a budget poll)
    cost: int | None = None  # a budget poll's option: what it costs


def figure_kind(poll_type: str, unit: str = "dots") -> str:
    """The kind of figure a poll of this type is counted by."""
    if poll_type in ("single", "multiple", "budget"):
        return "votes"
    if poll_type == "ranking":
        return "borda"
    if poll_type == "score":
        return "mean"
    return "points" if unit == "points" else "dots"


def _figure(kind: str, figures: dict[str, Any]) -> float | None:
    value = figures.get("points" if kind == "dots" else kind)
    if value is None:
        return None if kind == "mean" else 0.0
    return float(value)


def bars(results: PollResults, tally: Tally | None = None) -> list[Bar]:
    """The bars of ``tally`` (the combined one by default)."""
    counted = tally or results.combined
    kind = results.poll.type
    figure = figure_kind(kind, poll_settings(results.poll).get("unit", "dots"))
    found = [_figure(figure, figures) for _, figures in results.rows(counted)]
    values = [v or 0.0 for v in found]
    top = max(values, default=0.0)
    total = sum(values)
    if kind in ("single", "multiple", "budget"):
        base = float(counted.ballots)
    elif kind == "score":
        base = top
    else:
        base = total
    selected = set(results.selected) if kind == "budget" else set(counted.leaders)
    return [
        Bar(
            label=option.label,
            value=value,
            kind=figure,
            counted=seen is not None,
            percent=round(100 * value / base) if base else 0,
            fill=value / top if top else 0.0,
            leading=option.position in selected,
            cost=option.cost if kind == "budget" else None,
        )
        for (option, _), value, seen in zip(results.rows(counted), values, found, strict=True)
    ]


def channel_tallies(results: PollResults) -> list[tuple[str, Tally]]:
    """("all", combined) then each channel with input, when there is more than one."""
    shown: list[tuple[str, Tally]] = [("all", results.combined)]
    if len(results.by_channel) > 1:
        shown += sorted(results.by_channel.items())
    return shown
