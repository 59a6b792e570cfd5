"""The current item's clock: time used against time planned, refreshed every second.

It turns to the warning colour when the item runs over, which is the moment the facilitator
needs to notice.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from meetingtui.domain.meetings import item_elapsed_seconds
from meetingtui.domain.models import AgendaItem
from meetingtui.domain.vocab import ITEM_KINDS, label
from meetingtui.tui.clock import Clock, format_duration


class ItemTimer(Static):
    """``mm:ss / planned`` for the current item; the ``-over`` class once over time."""

    def __init__(self, *, clock: Clock, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.clock = clock
        self.item: AgendaItem | None = None

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)

    def show(self, item: AgendaItem | None) -> None:
        self.item = item
        self.tick()

    def elapsed_seconds(self) -> float:
        return item_elapsed_seconds(self.item, self.clock()) if self.item else 0.0

    def tick(self) -> None:
        item = self.item
        if item is None:
            self.remove_class("-over")
            self.update("No current item.")
            return
        elapsed = self.elapsed_seconds()
        planned = item.minutes * 60
        over = elapsed > planned
        self.set_class(over, "-over")
        clock = Text.assemble(
            (format_duration(elapsed), "bold"),
            f" / {format_duration(planned)}",
            (f"  over by {format_duration(elapsed - planned)}" if over else "", "bold"),
        )
        about = [label(ITEM_KINDS, item.kind), item.presenter]
        if item.running_since is None:
            about.insert(0, "paused")
        clock.append("  " + " · ".join(p for p in about if p), style="dim")
        title = Text(item.title, style="bold")
        for line in (title, clock):
            line.no_wrap = True
            line.overflow = "ellipsis"
        self.update(Text("\n").join([title, clock]))
