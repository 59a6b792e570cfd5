"""Waiting for a state, never for a time: poll ``condition`` until it holds; fail with ``message``
after ``timeout`` seconds (only how long a broken run takes to fail, never a measure).

For threads and plain code (``wait_for``) and for asyncio code outside a Textual pilot
(``eventually``); pilots use ``tests.tui.conftest.wait_until``, which lets the app run."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

POLL_SECONDS = 0.01


def wait_for(
    condition: Callable[[], object],
    timeout: float = 15.0,
    message: str = "condition not met in time",
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(POLL_SECONDS)


async def eventually(
    condition: Callable[[], object], timeout: float = 15.0, message: str = "condition not met"
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        await asyncio.sleep(POLL_SECONDS)
