"""A poll's results drawn in the terminal: one bar per option with its label, figure and share.

The labels are people's words, drawn literally (tui/literal.py). ``chart_text`` fits ``width``
cells (80x24 consoles: the label column takes at most a third, the bar what is left after the
figures); the widget redraws at its own width.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from meetingtui.domain.poll_bars import Bar, bars, channel_tallies
from meetingtui.domain.polls import PollResults
from meetingtui.domain.words import counted
from meetingtui.tui.literal import display_text, literal

CHANNEL_NAMES = {"all": "All channels", "phone": "Phones", "paper": "Paper", "hands": "Hands"}


def figure_text(bar: Bar) -> str:
    """A bar's figure as the console says it (English, thousands separated): "1,200",
    "1,200 pts", "4.5 avg", "–" for a score nobody has given; then its share, except for a
    score (a percentage of the top mean, which would read as a share of votes)."""
    if bar.kind == "mean":
        return f"{bar.value:,.2f}".rstrip("0").rstrip(".") + " avg" if bar.counted else "–"
    said = f"{int(bar.value):,}" + (" pts" if bar.kind == "borda" else "")
    return f"{said} {bar.percent:>3}%"


def _clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells (with … when cut), padded to exactly ``width``."""
    text = display_text(" ".join(text.split()))
    if cell_len(text) > width:
        out = ""
        for char in text:
            if cell_len(out + char) > width - 1:
                break
            out += char
        text = out + "…"
    return text + " " * (width - cell_len(text))


def chart_text(results: PollResults, width: int = 78, *, channels: bool = True) -> Text:
    """The chart as text: a heading per channel (when more than one), bars, ballots."""
    width = max(width, 30)
    out = Text()
    tallies = channel_tallies(results) if channels else [("all", results.combined)]
    for index, (channel, tally) in enumerate(tallies):
        if len(tallies) > 1:
            if index:
                out.append("\n")
            out.append(CHANNEL_NAMES.get(channel, channel) + "\n", style="bold")
        drawn = bars(results, tally)
        label_width = min(
            max((cell_len(display_text(b.label)) for b in drawn), default=4), width // 3
        )
        label_width = max(label_width, 4)
        figures = [figure_text(b) for b in drawn]
        figure_width = max((len(f) for f in figures), default=1)
        bar_width = max(width - label_width - figure_width - 3, 4)
        for bar, figure in zip(drawn, figures, strict=True):
            filled = round(bar.fill * bar_width)
            out.append_text(literal(_clip(bar.label, label_width), "bold" if bar.leading else ""))
            out.append(" ")
            out.append("█" * filled, style="green" if bar.leading else "cyan")
            out.append("·" * (bar_width - filled), style="dim")
            out.append(f" {figure:>{figure_width}}\n")
        out.append(counted(tally.ballots, "ballot"), style="dim")
        invalid = (
            results.invalid.get(channel, 0) if channel != "all" else sum(results.invalid.values())
        )
        if invalid:
            out.append(f" · {invalid:,} invalid", style="dim")
        out.append("\n")
    out.rstrip()
    return out


class PollChart(Static):
    """Shows ``results`` (None: a hint) as ``chart_text`` at the widget's width."""

    DEFAULT_CSS = "PollChart { height: auto; }"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes)
        self.results: PollResults | None = None
        self.ballots: int | None = None

    def show(self, results: PollResults | None) -> None:
        self.results = results
        self.ballots = results.combined.ballots if results is not None else None
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        if self.results is None:
            self.update(Text("No poll highlighted.", style="dim"))
            return
        width = self.content_size.width or 76
        self.update(chart_text(self.results, width))
