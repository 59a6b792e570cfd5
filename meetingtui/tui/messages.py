"""Messages that carry worker results back to the UI thread (``post_message`` is thread-safe)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:  # the app imports these messages before the database layer is loaded
    from meetingtui.session import LiveChange


class MeetingChanged(Message):
    """The feed follower read what changed (or the whole live view, at first). The app applies
    it to its state and tells the screens."""

    def __init__(self, change: LiveChange) -> None:
        super().__init__()
        self.change = change


class ActionRefused(Message):
    """A service function refused an action (a ``DomainError``); ``text`` is for people."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class ActionDone(Message):
    """A change was committed (or an undo said why not). ``text`` (if any) is said in a
    notification. What ``u`` takes back is on the session's undo stack (session.py)."""

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.text = text


class DraftLoaded(Message):
    """The idea draft this terminal left behind (a crash, a quit), or None."""

    def __init__(self, fields: dict[str, Any] | None, idea_id: Any = None) -> None:
        super().__init__()
        self.fields = fields
        self.idea_id = idea_id


class RoomViewClosed(Message):
    """A screen shown to the room (the projector) gave way to the console again: the
    notifications held while it showed can be said now."""
