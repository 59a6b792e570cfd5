"""The full reach view (``W`` on the console): every question's groups, the room against the
local population, the groups not yet heard and the representativeness figure. Exact counts, for
the organisers in the room; what is published goes through ``domain.reach.published``."""

from __future__ import annotations

import uuid

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from meetingtui.store.database import Database
from meetingtui.tui.literal import literal


class ReachScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,W,q", "close", "Close", key_display="esc")]

    DEFAULT_CSS = """
    ReachScreen { align: center middle; }
    #reach-dialog { width: 90%; height: 90%; border: round $accent; padding: 0 1; }
    """

    def __init__(self, database: Database, meeting_id: uuid.UUID) -> None:
        super().__init__()
        self.database = database
        self.meeting_id = meeting_id
        self.text = ""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="reach-dialog") as dialog:
            dialog.border_title = "Reach (exact counts: not for publication)"
            dialog.border_subtitle = "esc closes"
            yield Static("Reading the sign-ins…", id="reach-text")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, group="reach-view", exclusive=True, exit_on_error=False)
    def load(self) -> None:
        from meetingtui.domain.reach import reach_figures, room_line
        from meetingtui.export.reach_report import reach_section, text_lines

        with self.database.read() as session:
            figures = reach_figures(session, meeting_id=self.meeting_id)
        report = text_lines(reach_section(figures))
        lines = [room_line(figures), "", *report] if figures.questions else report
        self.app.call_from_thread(self.show, "\n".join(lines))

    def show(self, text: str) -> None:
        """The report's plain-text form, its underlined headings drawn in bold instead."""
        self.text = text
        shown = Text()
        lines = text.split("\n")
        for index, line in enumerate(lines):
            below = lines[index + 1] if index + 1 < len(lines) else ""
            if line and set(line) <= {"=", "-"}:
                continue  # a heading's underline (the line above is drawn bold)
            heading = bool(line) and bool(below) and set(below) <= {"=", "-"}
            shown.append_text(literal(line, "bold" if heading else ""))
            shown.append("\n")
        shown.rstrip()
        self.query_one("#reach-text", Static).update(shown)

    def action_close(self) -> None:
        self.dismiss(None)
