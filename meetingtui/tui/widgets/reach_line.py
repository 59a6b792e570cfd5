"""The console's reach line: the most under-represented group, "Under 25: 3% in the room, 29%
locally" (domain/reach.py ``room_line``), for the organisers' eyes (exact counts).

Hidden in a meeting that asks no monitoring questions. Read in a thread worker when the console
opens and when the feed says the figures moved (``LiveChange.reach``: every fifth sign-in, a new
population), never on each sign-in, so the line cannot be watched to tell one answer.
"""

from __future__ import annotations

import uuid

from textual import work
from textual.widgets import Static

from meetingtui.store.database import Database
from meetingtui.tui.literal import literal


class ReachLine(Static):
    DEFAULT_CSS = """
    ReachLine { display: none; height: 1; padding: 0 1; color: $text-muted; }
    ReachLine.-asked { display: block; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.line = ""
        self.loaded = False  # read at least once

    @work(thread=True, group="reach-line", exclusive=True, exit_on_error=False)
    def reload(self, database: Database, meeting_id: uuid.UUID) -> None:
        from meetingtui.domain.reach import meeting_questions, reach_figures, room_line

        with database.read() as session:
            asked = bool(meeting_questions(session, meeting_id))
            line = room_line(reach_figures(session, meeting_id=meeting_id)) if asked else ""
        self.app.call_from_thread(self.show_line, line, asked)

    def show_line(self, line: str, asked: bool) -> None:
        self.line = line
        self.loaded = True
        self.set_class(asked, "-asked")
        shown = line if line.startswith("Reach") else f"Reach · {line}"
        self.update(literal(f"{shown}  (W: full view)") if asked else "")
