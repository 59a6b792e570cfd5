"""The top line: which meeting this is, what waits for moderation, and the join code."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from meetingtui.domain.models import Meeting
from meetingtui.domain.moderation import PendingCounts
from meetingtui.domain.states import MeetingStatus


class MeetingHeader(Static):
    """Meeting title on the left, join code on the right; one line so the body keeps its rows.

    Attendee input waiting for a moderator shows as a counter (``m`` opens the queue).
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual API
        super().__init__(id=id)
        self.waiting = 0

    def show(self, meeting: Meeting, pending: PendingCounts) -> None:
        self.waiting = pending.total
        grid = Table.grid(expand=True, padding=(0, 1, 0, 0))
        # The title gives way (ellipsis) before the state, the moderation count or the code:
        # at 80 columns a closed meeting still says so, and how to reopen it.
        status = ""
        if meeting.status == MeetingStatus.CLOSED:
            status = "[closed · O reopens]"
        elif meeting.status == MeetingStatus.PLANNED:
            status = "[not started · S starts]"
        elif meeting.status != MeetingStatus.RUNNING:
            status = f"[{meeting.status}]"
        waiting = (
            Text(f" {pending.total} waiting (m) ", style="bold reverse") if pending.total else ""
        )
        cells = [Text(meeting.title, style="bold")]
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        if status:
            cells.append(Text(status, style="bold"))
            grid.add_column(no_wrap=True)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(*cells, waiting, Text.assemble("Join code ", (meeting.code, "bold")))
        self.update(grid, layout=False)  # always one line (its stylesheet's height)
