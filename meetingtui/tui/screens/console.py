"""The facilitator console: agenda, the current item's clock, its ideas, and the join QR code.

Every database touch happens in a thread worker. One long-running worker follows the change feed
(a cheap query a few times a second) and reloads the meeting when anything happened, whoever
wrote it: this console, the attendee web in the same process, or another terminal.
"""

from __future__ import annotations

import threading
import uuid

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker, WorkerState, get_current_worker

from meetingtui.domain.errors import DomainError
from meetingtui.domain.feed import events_since, latest_event_id
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.meetings import move_to_item
from meetingtui.domain.snapshot import MeetingSnapshot, load_snapshot
from meetingtui.store.database import Database
from meetingtui.tui.clock import Clock
from meetingtui.tui.messages import ActionRefused, SnapshotLoaded
from meetingtui.tui.screens.idea_form import IdeaFormScreen
from meetingtui.tui.widgets.agenda_panel import AgendaPanel
from meetingtui.tui.widgets.ideas_view import IdeasView
from meetingtui.tui.widgets.item_timer import ItemTimer
from meetingtui.tui.widgets.join_panel import JoinPanel
from meetingtui.tui.widgets.meeting_header import MeetingHeader

FEED_POLL_SECONDS = 0.3
CONSOLE_ACTOR = "console"


class ConsoleScreen(Screen[None]):
    """The one screen the facilitator keeps open for the whole meeting."""

    BINDINGS = [
        Binding("i", "capture_idea", "Capture idea"),
        Binding("n", "next_item", "Next item"),
        Binding("p", "previous_item", "Previous item"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(
        self, *, database: Database, meeting_id: uuid.UUID, attendee_url: str, clock: Clock
    ) -> None:
        super().__init__()
        self.database = database
        self.meeting_id = meeting_id
        self.attendee_url = attendee_url
        self.clock = clock
        self.snapshot: MeetingSnapshot | None = None
        self.shown_event_id = -1
        self._stop_following = threading.Event()

    def compose(self) -> ComposeResult:
        yield MeetingHeader(id="meeting-header")
        with Horizontal(id="console-body"):
            with Vertical(id="console-main"):
                yield AgendaPanel(id="agenda")
                yield ItemTimer(clock=self.clock, id="item-timer")
                yield IdeasView(id="ideas")
            yield JoinPanel(self.attendee_url, id="join")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#agenda").border_title = "Agenda"
        self.query_one("#item-timer").border_title = "Now"
        self.follow_feed()

    def on_unmount(self) -> None:
        self._stop_following.set()

    # ---- reading -------------------------------------------------------------------------

    def read_snapshot(self) -> tuple[MeetingSnapshot, int]:
        """The meeting and the feed position it reflects, read in one transaction."""
        with self.database.read() as session:
            event_id = latest_event_id(session)
            return load_snapshot(session, self.meeting_id), event_id

    @work(thread=True, group="feed", exclusive=True, exit_on_error=False)
    def follow_feed(self) -> None:
        """Load the meeting, then reload it whenever the change feed moves."""
        worker = get_current_worker()
        snapshot, last_id = self.read_snapshot()
        self.post_message(SnapshotLoaded(snapshot, last_id))
        failing = False
        while not self._stop_following.wait(FEED_POLL_SECONDS) and not worker.is_cancelled:
            try:
                with self.database.read() as session:
                    events = events_since(session, last_id, meeting_id=self.meeting_id)
                    if not events:
                        continue
                    last_id = latest_event_id(session)
                    snapshot = load_snapshot(session, self.meeting_id)
            except Exception as error:  # noqa: BLE001 - the live view must outlive a bad read
                if not failing:
                    self.post_message(ActionRefused(f"Live updates paused: {error}"))
                failing = True
                continue
            failing = False
            self.post_message(SnapshotLoaded(snapshot, last_id))

    @work(thread=True, group="reload", exit_on_error=False)
    def reload_snapshot(self) -> None:
        """Show our own change at once rather than at the feed's next poll."""
        self.post_message(SnapshotLoaded(*self.read_snapshot()))

    def on_snapshot_loaded(self, message: SnapshotLoaded) -> None:
        if message.event_id < self.shown_event_id:
            return  # an older read finishing late
        self.shown_event_id = message.event_id
        snapshot = self.snapshot = message.snapshot
        current = snapshot.current_item
        self.query_one(MeetingHeader).show(snapshot.meeting)
        self.query_one(AgendaPanel).show(snapshot.items, snapshot.meeting.current_item_id)
        self.query_one(ItemTimer).show(current)
        ideas = snapshot.ideas_for_item(current.id if current else None)
        self.query_one(IdeasView).show(ideas, snapshot.comments)

    # ---- actions -------------------------------------------------------------------------

    def action_next_item(self) -> None:
        self.move_agenda(1)

    def action_previous_item(self) -> None:
        self.move_agenda(-1)

    @work(thread=True, group="agenda", exit_on_error=False)
    def move_agenda(self, step: int) -> None:
        try:
            with self.database.write() as session:
                move_to_item(session, meeting_id=self.meeting_id, step=step, actor=CONSOLE_ACTOR)
        except DomainError as error:
            self.post_message(ActionRefused(str(error)))
            return
        self.post_message(SnapshotLoaded(*self.read_snapshot()))

    def action_capture_idea(self) -> None:
        if self.snapshot is None:
            self.notify("The meeting is still loading.")
            return
        form = IdeaFormScreen(topics=self.snapshot.topics, save=self.store_idea)
        self.app.push_screen(form, self.idea_form_closed)

    def store_idea(self, data: IdeaInput) -> str:
        """Called by the idea form in its worker thread."""
        with self.database.write() as session:
            idea = capture_idea(
                session, meeting_id=self.meeting_id, data=data, captured_by=CONSOLE_ACTOR
            )
            return idea.ref

    def idea_form_closed(self, ref: str | None) -> None:
        if ref:
            self.notify(f"Idea {ref} saved.")
            self.reload_snapshot()

    # ---- problems ------------------------------------------------------------------------

    def on_action_refused(self, message: ActionRefused) -> None:
        self.notify(message.text, severity="warning")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place unexpected worker failures surface: a notification, not a traceback."""
        if event.state == WorkerState.ERROR:
            self.log.error(event.worker.error)
            self.notify(f"Something went wrong: {event.worker.error}", severity="error")
