"""Fixtures for driving the console: a console app over the started sample meeting."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from meetingtui.tui.app import MeetingConsoleApp, make_app

ATTENDEE_URL = "http://192.168.1.20:8765/m/testcode23"


@pytest.fixture
def console(database, meeting) -> MeetingConsoleApp:
    return make_app(database=database, meeting_id=meeting.id, attendee_url=ATTENDEE_URL)


def options_text(options) -> str:  # noqa: ANN001 - any OptionList
    """What an option list shows, as plain text."""
    console = Console(width=200, file=io.StringIO(), record=True)
    for index in range(options.option_count):
        console.print(options.get_option_at_index(index).prompt, markup=False)
    return console.export_text()


def screen_text(app) -> str:  # noqa: ANN001
    """Every visible Static's text on the current screen (titles, timers, headers)."""
    console = Console(width=300, file=io.StringIO(), record=True)
    for widget in app.screen.query(Static):
        if widget.display:
            content = widget.content
            if not hasattr(content, "__rich_console__"):
                content = str(widget.render())  # markup applied, people's text as typed
            console.print(content, markup=False)
    return console.export_text()


async def wait_until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 15.0) -> float:
    """Let the app run until ``condition`` holds; the seconds it took. Fails after ``timeout``
    (generous: only how long a broken run takes to fail, on a busy 2-core machine)."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"condition not met within {timeout} s")
        await pilot.pause(0.02)
    return time.monotonic() - started


async def post_as_phone(client, page_url: str, path: str, data: dict[str, str]):  # noqa: ANN001
    """POST a form as the phone page would: fetch the page (device cookie, form token) first."""
    page = await client.get(page_url)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, "the meeting page has no form token"
    return await client.post(f"{page_url}{path}", data={**data, "csrf_token": match.group(1)})
