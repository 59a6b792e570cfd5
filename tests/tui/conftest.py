"""Fixtures for driving the console: a console app over the started sample meeting."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from meetingtui.tui.app import MeetingConsoleApp, make_app

ATTENDEE_URL = "http://192.168.1.20:8765/m/testcode23"


@pytest.fixture
def console(database, meeting) -> MeetingConsoleApp:
    return make_app(database=database, meeting_id=meeting.id, attendee_url=ATTENDEE_URL)


async def wait_until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 2.0) -> float:
    """Let the app run until ``condition`` holds; the seconds it took. Fails after ``timeout``."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"condition not met within {timeout} s")
        await pilot.pause(0.02)
    return time.monotonic() - started
