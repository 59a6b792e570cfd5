"""One line on the console while a poll of the current item (or an ad hoc poll) is open:
"Poll 2 open · Where first? · 14 ballots · P: results". Hidden otherwise, so the console's layout
is unchanged without polls. Follows the feed: reads again (in a worker) on a poll event or a
new current item."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import work
from textual.widgets import Static

from meetingtui.domain import polls as poll_service
from meetingtui.domain.models import Meeting
from meetingtui.domain.words import counted
from meetingtui.tui.literal import literal

if TYPE_CHECKING:
    from meetingtui.session import LiveChange
    from meetingtui.tui.app import MeetingConsoleApp


class PollLine(Static):
    DEFAULT_CSS = "PollLine { height: 1; padding: 0 1; background: $success 20%; display: none; }"

    def on_mount(self) -> None:
        app = cast("MeetingConsoleApp", self.app)
        app.meeting_signal.subscribe(self, self.meeting_changed, immediate=True)
        self.load()

    def meeting_changed(self, change: LiveChange) -> None:
        if change.full is not None or change.polls or change.meeting is not None:
            self.load()

    @work(thread=True, group="poll-line", exclusive=True, exit_on_error=False)
    def load(self) -> None:
        app = cast("MeetingConsoleApp", self.app)
        session = app.session
        if session is None:
            return
        shown: list[tuple[int, str, int]] = []
        with session.database.read() as db:
            meeting = db.get(Meeting, session.meeting_id)
            current: uuid.UUID | None = meeting.current_item_id if meeting else None
            for poll in poll_service.meeting_polls(db, session.meeting_id):
                if poll.status == "open" and poll.agenda_item_id in (None, current):
                    results = poll_service.poll_results(db, poll)
                    shown.append((poll.number, poll.question, results.ballots))
        self.app.call_from_thread(self.show, shown)

    def show(self, shown: list[tuple[int, str, int]]) -> None:
        self.display = bool(shown)
        if not shown:
            return
        number, question, ballots = shown[-1]
        line = Text(f"Poll {number} open · ", style="bold")
        line.append_text(literal(" ".join(question.split())))
        line.append(f" · {counted(ballots, 'ballot')}")
        if len(shown) > 1:
            line.append(f" · {len(shown) - 1} more open")
        line.append(" · P: results", style="dim")
        line.no_wrap, line.overflow = True, "ellipsis"
        self.update(line)
