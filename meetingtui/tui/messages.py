"""Messages that carry worker results back to the UI thread (``post_message`` is thread-safe)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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


Undo = tuple[str, Callable[[Any], object]]
"""What an undo does: a description and a change to run in a write session."""


class ActionDone(Message):
    """A change was committed. ``text`` (if any) is said in a notification; ``undo`` (if any)
    becomes what ``u`` takes back."""

    def __init__(self, text: str = "", undo: Undo | None = None) -> None:
        super().__init__()
        self.text = text
        self.undo = undo


class DraftLoaded(Message):
    """The idea draft this terminal left behind (a crash, a quit), or None."""

    def __init__(self, fields: dict[str, Any] | None, idea_id: Any = None) -> None:
        super().__init__()
        self.fields = fields
        self.idea_id = idea_id


class RoomViewClosed(Message):
    """A screen shown to the room (the projector) gave way to the console again: the
    notifications held while it showed can be said now."""
