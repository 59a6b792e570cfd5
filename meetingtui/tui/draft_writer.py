"""Keeps the idea form's draft up with the typing, in its own thread.

Every change hands the whole form to ``put``, which only swaps a reference and wakes the thread:
the event loop never waits for the database. The thread writes the newest form it has been
given, then the newest again if more typing arrived meanwhile, so drafts never queue up behind a
slow disk and no timer delays them.

The bound on what a killed process (kill -9, power cut) loses: the keystrokes the form handled
while the one write in progress was running (a SQLite transaction with ``synchronous=FULL``:
milliseconds on a laptop's disk; ``bench`` figures in the form helper's report), plus any keys
read but not yet handled by the field. Nothing waits for a quiet moment or a timer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

Write = Callable[[dict[str, Any]], None]


class DraftWriter:
    """One thread per open form; ``close`` ends it (after writing the last form, or not)."""

    def __init__(self, write: Write, on_error: Callable[[Exception], None]) -> None:
        self._write = write
        self._on_error = on_error
        self._wake = threading.Condition()
        self._pending: dict[str, Any] | None = None
        self._closed = False
        self.written = 0  # writes done (for tests and figures)
        self._thread = threading.Thread(target=self._run, name="idea-draft", daemon=True)
        self._thread.start()

    def put(self, fields: dict[str, Any]) -> None:
        """The form as it is now; written as soon as the thread is free. Never blocks."""
        with self._wake:
            if self._closed:
                return
            self._pending = fields
            self._wake.notify()

    def close(self, *, flush: bool) -> None:
        """No more drafts; ``flush`` writes the last form handed over first. Does not wait:
        ``join`` does."""
        with self._wake:
            if not flush:
                self._pending = None
            self._closed = True
            self._wake.notify()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the write in progress (and a flushed last one) to finish."""
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._pending is None and not self._closed:
                    self._wake.wait()
                fields, self._pending = self._pending, None
                if fields is None:
                    return  # closed, nothing left
            try:
                self._write(fields)
                self.written += 1
            except Exception as error:  # noqa: BLE001 - reported, the next change retries
                self._on_error(error)
