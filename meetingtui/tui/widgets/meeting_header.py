"""The top line: which meeting this is and the code attendees type to join it."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from meetingtui.domain.models import Meeting


class MeetingHeader(Static):
    """Meeting title on the left, join code on the right; one line so the body keeps its rows."""

    def show(self, meeting: Meeting) -> None:
        grid = Table.grid(expand=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        status = "" if meeting.status == "running" else f"  [{meeting.status}]"
        grid.add_row(
            Text(meeting.title + status, style="bold"),
            Text.assemble("Join code ", (meeting.code, "bold")),
        )
        self.update(grid)
