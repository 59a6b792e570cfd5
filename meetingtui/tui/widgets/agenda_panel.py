"""The agenda: every item with its planned time and where the meeting is.

When the agenda is taller than the panel, the rows shown slide so that the current item stays in
view with the one before it, instead of a scrollbar the facilitator would have to drive.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from meetingtui.domain.meetings import item_elapsed_seconds
from meetingtui.domain.models import AgendaItem
from meetingtui.domain.states import ItemStatus
from meetingtui.tui.clock import format_duration
from meetingtui.tui.literal import display_text

_MARKERS = {"done": "✓", "active": "▶", "skipped": "–", "pending": " "}


def visible_window(count: int, current: int, rows: int) -> range:
    """Which item indexes fit in ``rows``, keeping ``current`` and the item before it in view."""
    if rows <= 0 or count <= rows:
        return range(count)
    start = min(max(0, current - 1), count - rows)
    return range(start, start + rows)


class AgendaPanel(Widget):
    """Items with a status marker (✓ done, ▶ current), planned minutes and time used so far."""

    DEFAULT_CSS = """
    AgendaPanel {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual API
        super().__init__(id=id)
        self.items: list[AgendaItem] = []
        self.current_id: object = None

    def show(self, items: list[AgendaItem], current_id: object) -> None:
        self.items = items
        self.current_id = current_id
        self.border_subtitle = self._progress()
        # One row per item (and the border), capped by the stylesheet's max-height. Set as a
        # style rather than left to auto height, which a draw before the first layout misses.
        self.styles.height = max(1, len(items)) + self.styles.gutter.height
        self.refresh(layout=True)

    def _progress(self) -> str:
        index = self._current_index()
        return f"item {index + 1} of {len(self.items)}" if index >= 0 else ""

    def _current_index(self) -> int:
        return next((i for i, it in enumerate(self.items) if it.id == self.current_id), -1)

    def get_content_height(self, container, viewport, width: int) -> int:  # noqa: ANN001
        return max(1, len(self.items))

    def render(self) -> Table | Text:
        if not self.items:
            return Text("This meeting has no agenda items.", style="italic")
        table = Table.grid(expand=True, padding=(0, 1, 0, 0))
        table.add_column(width=1)
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column(justify="right", no_wrap=True)
        current = self._current_index()
        for index in visible_window(len(self.items), current, self.content_size.height):
            item = self.items[index]
            style = (
                "bold reverse"
                if index == current
                else ("dim" if item.status == ItemStatus.DONE else "")
            )
            if item.status == ItemStatus.DONE:
                used = f"{format_duration(item_elapsed_seconds(item))}/{item.minutes}m"
            else:
                used = f"{item.minutes}m"
            table.add_row(
                _MARKERS.get(item.status, " "),
                Text(display_text(f"{index + 1}. {item.title}")),
                used,
                style=style,
            )
        return table
