"""The app's feed follower: one thread that follows the meeting's change feed for every screen.

Woken at once when this process commits (the attendee web, the console's own writes: an
SQLAlchemy ``after_commit`` listener it registers while running and removes when stopped) and a
few times a second otherwise (another terminal, another laptop on PostgreSQL). Each read takes
every event since the last one and reads only what they name (``MeetingSession.changes_since``).

Bursts coalesce by state: while the app has not yet applied the last change it posted, the
follower does not read, so twenty comments arriving during one redraw become one read and one
redraw, and the console never falls behind the feed however busy the room.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy import event as sa_event
from sqlmodel import Session
from textual.message import Message

from meetingtui.session import LiveChange, MeetingSession
from meetingtui.tui.messages import ActionDone, ActionRefused, MeetingChanged

FEED_POLL_SECONDS = 0.25
# Twenty posts a second redrawn one by one cost the console a quarter of a core (bench/
# console_live.py); read together in tenths of a second, half that, for ~50 ms more on the screen.
BURST_GAP_SECONDS = 0.1


class FeedFollower:
    def __init__(self, session: MeetingSession, post: Callable[[Message], object]) -> None:
        self.session = session
        self.post = post
        self._stopped = threading.Event()
        self._wake = threading.Event()
        self._applied = threading.Event()
        self._applied.set()

    def start(self) -> None:
        """Listen for this process's commits (call before running ``follow``)."""
        sa_event.listen(Session, "after_commit", self._committed)

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()
        self._applied.set()
        if sa_event.contains(Session, "after_commit", self._committed):
            sa_event.remove(Session, "after_commit", self._committed)

    def _committed(self, _session: Session) -> None:
        self._wake.set()

    def applied(self) -> None:
        """The app has applied the last change: the follower may read the next."""
        self._applied.set()

    def wake(self) -> None:
        self._wake.set()

    def follow(self) -> None:
        """Load the live view, then post each change (runs in the app's feed thread)."""
        first = self.session.load()
        item_id = first.full.meeting.current_item_id if first.full else None
        last_id = first.event_id
        last_read = time.monotonic()
        self._send(first)
        failing = False
        while not self._stopped.is_set():
            self._applied.wait()
            self._wake.wait(FEED_POLL_SECONDS)
            # In a burst, at most one read (and one redraw) per BURST_GAP_SECONDS: the first
            # change after a quiet spell is read at once, the rest of the burst together.
            self._stopped.wait(max(0.0, last_read + BURST_GAP_SECONDS - time.monotonic()))
            self._wake.clear()
            if self._stopped.is_set():
                break
            last_read = time.monotonic()
            try:
                change = self.session.changes_since(last_id, item_id)
            except Exception as error:  # noqa: BLE001 - the live view must outlive a bad read
                if not failing:
                    self.post(ActionRefused(f"Live updates paused: {error}"))
                failing = True
                continue
            if failing:
                self.post(ActionDone("Live updates resumed."))
            failing = False
            if change is None:
                continue
            last_id = change.event_id
            if change.full is not None:
                item_id = change.full.meeting.current_item_id
            self._send(change)

    def _send(self, change: LiveChange) -> None:
        self._applied.clear()
        self.post(MeetingChanged(change))
