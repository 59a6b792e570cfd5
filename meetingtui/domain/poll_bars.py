"""A poll's results as bars: what every chart draws (the console, the projector, the minutes).

One bar per option in option order: the figure the poll's type is counted by (votes, Borda
points, mean score, dots or points), how it reads ("12", "4.5 avg"), and its length as a share
of the longest bar; ``percent`` is the share of ballots (single, multiple, budget: the share of
ballots that chose it) or of the total (ranking, dots), or of the top score (score).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from meetingtui.domain.polls import PollResults
from meetingtui.domain.tallies import Tally

TYPE_NAMES = {
    "single": "single choice",
    "multiple": "multiple choice",
    "ranking": "ranking",
    "score": "score",
    "dots": "dots",
    "budget": "budget",
}


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the figure as read: "12", "4.5 avg", "30 pts"
    percent: int  # 0-100, see the module docstring
    fill: float  # 0-1, of the longest bar
    leading: bool  # among the leaders (or selected, for a budget poll)


def _figure(kind: str, figures: dict[str, Any]) -> tuple[float, str]:
    if kind in ("single", "multiple", "budget"):
        votes = int(figures.get("votes", 0))
        return float(votes), str(votes)
    if kind == "ranking":
        borda = int(figures.get("borda", 0))
        return float(borda), f"{borda} pts"
    if kind == "score":
        mean = figures.get("mean")
        return (0.0, "–") if mean is None else (float(mean), f"{mean:g} avg")
    points = int(figures.get("points", 0))
    return float(points), str(points)


def bars(results: PollResults, tally: Tally | None = None) -> list[Bar]:
    """The bars of ``tally`` (the combined one by default)."""
    counted = tally or results.combined
    kind = results.poll.type
    values = [_figure(kind, figures) for _, figures in results.rows(counted)]
    top = max((v for v, _ in values), default=0.0)
    total = sum(v for v, _ in values)
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
            shown=shown,
            percent=round(100 * value / base) if base else 0,
            fill=value / top if top else 0.0,
            leading=option.position in selected,
        )
        for (option, _), (value, shown) in zip(results.rows(counted), values, strict=True)
    ]


def channel_tallies(results: PollResults) -> list[tuple[str, Tally]]:
    """("all", combined) then each channel with input, when there is more than one."""
    shown: list[tuple[str, Tally]] = [("all", results.combined)]
    if len(results.by_channel) > 1:
        shown += sorted(results.by_channel.items())
    return shown
