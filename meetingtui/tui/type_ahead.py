"""Type-ahead: no keystroke is lost or lands in the wrong field while a dialog opens or saves.

A note-taker types ``i``, the title, Tab, the picks and ctrl+s as one burst, before the form is on
screen. Textual hands each key to whatever has focus *when the key is read*, and a widget acts on
its keys later, in its own queue. Three gaps follow, each closed here:

- **Between the key that opens a dialog and the dialog's focus.** The app *holds* every key read
  in between (``KeyHolder.hold_keys``) and, once the dialog has focused its first field, replays
  them in order through the ordinary dispatch (``release_keys``), so they go where they would have
  gone had the dialog been there at once, ctrl+s and Tab included. The same hold covers a save:
  keys typed after ctrl+s wait for the form to close (then reach the console: the next ``i``) or
  for a refusal (then go back into the form).
- **Between a Tab and the focus moving.** Dialogs bind Tab and shift+Tab as priority bindings, so
  the focus moves when the Tab is read, not when the field it leaves gets round to it: the text
  typed after an early Tab goes to the next field, never back into the title.
- **Between a key and its binding.** A widget's own binding (space ticks a box) is looked up when
  the key has come back up to the app, by what has focus *then*; a Tab read meanwhile sent that
  space to the next field (opening its list) and the box was saved unticked. So the app reads
  keys one at a time, always: the next only once the one before has been handled
  (``KeyHolder``).
- **Between ctrl+s and the last letters reaching their field.** ``OrderedKeysScreen.after_keys``
  sends a marker through every field's queue; the save runs once every field has handled all the
  keys read before ctrl+s.

Holding and replaying happen in the app's own message queue, the one place where keys are in the
order they were typed; nothing depends on how fast anything is.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from itertools import count
from time import monotonic
from typing import Any, TypeVar

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.screen import ModalScreen, Screen

_tokens = count(1)
# A key's marker normally comes back within milliseconds; these only bound a lost one.
MARKER_CHECK_SECONDS = 0.05
MARKER_GIVE_UP_SECONDS = 5.0
Result = TypeVar("Result")

# The bindings that make Tab move focus when it is read (see the module's docstring).
FOCUS_BINDINGS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
    Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
    Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
]


class KeyReplayed(Message):
    """A marker posted behind a key to whatever took it; when it has bubbled up to the app, that
    key has been handled (its non-priority bindings included) and the next may go."""

    def __init__(self, token: int) -> None:
        super().__init__()
        self.token = token


class KeyHolder(App[Result]):
    """The app's part: keys go one at a time; held while a dialog is not ready, then replayed.

    One at a time, always: a key forwarded to a widget is handled in that widget's queue, later,
    and its non-priority binding (space ticking a box, Escape opening "Discard?") is looked up
    when it has bubbled back to the app, *by what has focus then*. A Tab read meanwhile (a
    priority binding, acting at once) had moved the focus on, and the space opened the next
    field's list instead of ticking the box; a letter read meanwhile went into the field the
    dialog was about to cover. So the app dispatches the next key only once the previous one's
    marker (``KeyReplayed``) has come back up: what was typed acts in the order typed, at any
    speed. The cost is one trip through the widget's queues per key (tens of milliseconds on a
    loaded machine), paid only by keys that can act through a binding: not by the letters a text
    field takes for itself, nor by priority keys (Tab, ctrl+s), which have acted when read.

    Mixed into the console's app; dialogs look for these methods and do nothing without them.
    """

    _held_keys: list[events.Key] | None = None
    _queued: list[events.Key] | None = None  # read, waiting for the key before them
    _in_flight: int | None = None  # the marker of the key being handled
    _in_flight_since = 0.0
    _hold_ticket = 0  # counts holds: a release with an older ticket leaves a newer hold alone

    def hold_keys(self) -> int:
        """From now on, keep every key instead of dispatching it (until ``release_keys``).

        Returns a ticket: ``release_keys(ticket)`` releases only if nobody has held since (a
        confirmation closing must not let go of keys its answer held for the next dialog)."""
        if self._held_keys is None:
            self._held_keys = []
        self._hold_ticket += 1
        return self._hold_ticket

    @property
    def holding_keys(self) -> bool:
        return self._held_keys is not None or bool(self._queued) or self._in_flight is not None

    def release_keys(self, ticket: int | None = None) -> None:
        """Dispatch the kept keys, in order, then go back to dispatching keys as they come.

        Queued behind the app's pending work (focus changes, screen switches), so the keys reach
        whatever has focus once that work is done."""
        self.call_later(self._start_replay, ticket)

    async def _start_replay(self, ticket: int | None = None) -> None:
        if ticket is not None and ticket != self._hold_ticket:
            return  # held again since, by whoever will release it
        held, self._held_keys = self._held_keys or [], None
        self._queued = held + (self._queued or [])
        if self._in_flight is None:
            await self._dispatch_next()

    async def _dispatch_next(self) -> None:
        if not self.screen_stack:  # closing down: nothing left to type into
            self._queued = None
            return
        while self._queued and self._held_keys is None:
            event = self._queued.pop(0)
            await super().on_event(event)
            if self._held_keys is not None:
                # That key opened a dialog (or saved): the rest wait for it in turn.
                self._held_keys[:0] = self._queued
                self._queued = None
                return
            target = self.focused or self.screen
            if not event.is_forwarded or (
                target is self.focused and target.check_consume_key(event.key, event.character)
            ):
                # A priority binding has acted already; a letter for a text field is that
                # field's alone (no binding looked up later), in order with what follows it.
                continue
            token = next(_tokens)
            self._in_flight = token
            self._in_flight_since = monotonic()
            target.post_message(KeyReplayed(token))
            self.set_timer(MARKER_CHECK_SECONDS, partial(self._check_marker, token, target))
            return

    async def _key_done(self, token: int) -> None:
        if self._in_flight == token:
            self._in_flight = None
            await self._dispatch_next()

    async def on_key_replayed(self, message: KeyReplayed) -> None:
        message.stop()
        await self._key_done(message.token)

    def _check_marker(self, token: int, target: Any) -> None:
        """Never a frozen console: a marker whose widget went away with the key (Escape closed
        its dialog) will not come back, so the next key goes at once; one that takes longer
        than ``MARKER_GIVE_UP_SECONDS`` on a live path is given up too.

        A timer runs in its own task, beside the app's queue: it only posts the marker itself,
        so keys are still dispatched from the app's queue alone, one at a time."""
        if self._in_flight != token:
            return
        path = [target, *target.ancestors]
        gone = not target.is_attached or any(node._closing or node._closed for node in path)
        if gone or monotonic() - self._in_flight_since > MARKER_GIVE_UP_SECONDS:
            self.post_message(KeyReplayed(token))
            return
        self.set_timer(MARKER_CHECK_SECONDS, partial(self._check_marker, token, target))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._held_keys is not None:
                self._held_keys.append(event)
                return
            self._queued = [*(self._queued or []), event]
            if self._in_flight is None:
                await self._dispatch_next()
            return
        await super().on_event(event)


def hold_keys(app: App[Any]) -> int | None:
    if isinstance(app, KeyHolder):
        return app.hold_keys()
    return None


def release_keys(app: App[Any], ticket: int | None = None) -> None:
    if isinstance(app, KeyHolder):
        app.release_keys(ticket)


def dismiss_with_keys(screen: Screen[Any], result: Any = None) -> None:
    """Close ``screen``, holding the keys typed meanwhile, and hand them to whatever is under
    it once it is the screen again with its focus back (a key replayed while the dialog was
    still closing went nowhere: ``c`` between two speakers typed in one burst called nobody;
    the key after a confirmation's answer was lost). Released after the screen's result
    callback has run, and not at all if that callback held the keys again (it opened another
    dialog, or closes one in turn: that one lets them go)."""
    app = screen.app
    ticket = hold_keys(app)
    callbacks = screen._result_callbacks
    requester = callbacks[-1].requester if callbacks else None

    def release() -> None:
        app.call_after_refresh(release_keys, app, ticket)

    async def close_then_release() -> None:
        await screen.dismiss(result)  # run by the app, so it may wait for the pop
        if requester is not None and requester.is_running:
            requester.call_next(release)  # behind the result callback, queued there by dismiss
        else:
            release()

    app.call_later(close_then_release)


class KeysHandled(Message):
    """A marker sent through one field's queue; it reaches the screen once the field has
    handled every key before it."""

    def __init__(self, token: int) -> None:
        super().__init__()
        self.token = token


class OrderedKeysScreen(ModalScreen[Any]):
    """A dialog that takes type-ahead: it releases held keys once its first field has focus,
    and runs saves only after every key typed before them has reached its field."""

    BINDINGS = FOCUS_BINDINGS

    def __init__(self) -> None:
        super().__init__()
        self._waiting: dict[int, tuple[int, Callable[[], None]]] = {}

    def focus_first(self, widget: Any) -> None:
        """Focus ``widget`` at once (not on the next turn of the loop) and let the held keys in.

        Call from ``on_mount``."""
        self.set_focus(widget)
        release_keys(self.app)

    def after_keys(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once every field has handled the keys already given to it; keys
        typed from now on are held until ``release_keys`` (a refusal) or the dialog closes."""
        hold_keys(self.app)
        fields = [widget for widget in self.query("*") if widget.can_focus]
        if not fields:
            callback()
            return
        token = next(_tokens)
        self._waiting[token] = (len(fields), callback)
        for widget in fields:
            widget.post_message(KeysHandled(token))

    def on_keys_handled(self, message: KeysHandled) -> None:
        message.stop()
        waiting = self._waiting.get(message.token)
        if waiting is None:
            return
        left, callback = waiting
        if left > 1:
            self._waiting[message.token] = (left - 1, callback)
            return
        del self._waiting[message.token]
        # Through the app's queue: a key's own binding (Space ticking a box) acts when the key
        # has bubbled up to the app, which is after its field passed the marker on to us.
        self.app.call_later(callback)

    def dismiss_with_keys(self, result: Any = None) -> None:
        """Close; the keys typed meanwhile go to what is under the dialog (see the function)."""
        dismiss_with_keys(self, result)
