"""Messages that carry worker results back to the UI thread (``post_message`` is thread-safe)."""

from __future__ import annotations

from textual.message import Message

from meetingtui.domain.snapshot import MeetingSnapshot


class SnapshotLoaded(Message):
    """A fresh read of the meeting. ``event_id`` is the feed position it reflects, so a slow
    read that finishes after a newer one can be recognised and dropped."""

    def __init__(self, snapshot: MeetingSnapshot, event_id: int) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.event_id = event_id


class ActionRefused(Message):
    """A service function refused an action (a ``DomainError``); ``text`` is for people."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
