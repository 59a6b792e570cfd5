"""``q`` (and ctrl+c, ctrl+q, the palette's Quit) asks first while the attendee web serves a
meeting phones are using, and quits at once when nothing is served."""

from __future__ import annotations

import pytest

from meetingtui.domain.meetings import close_meeting
from meetingtui.tui.app import QuitQuestion, make_app
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.web.server import (
    attendee_url,
    base_url_for,
    bind_listening_socket,
)
from tests.tui.conftest import screen_text, wait_until
from tests.web.embedded_server import EmbeddedWebServer


def serving_console(database, meeting):
    from meetingtui.web.app import create_web_app

    sock = bind_listening_socket("127.0.0.1", 0)
    url = attendee_url(base_url_for(sock), meeting.code)
    app = make_app(
        database=database,
        meeting_id=meeting.id,
        attendee_url=url,
        web_server=EmbeddedWebServer(create_web_app(database), sock),
    )
    return app, url


def loaded(app) -> bool:
    return isinstance(app.screen, ConsoleScreen) and app.meeting_state is not None


@pytest.mark.parametrize("key", ["q", "ctrl+c", "ctrl+q"])
async def test_quit_asks_while_phones_are_served(database, meeting, key):
    app, url = serving_console(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await pilot.press(key)
        await wait_until(pilot, lambda: isinstance(app.screen, QuitQuestion))
        assert url in screen_text(app)
        await pilot.press("n")  # keep running
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))
        assert app.is_running

        await pilot.press(key)
        await wait_until(pilot, lambda: isinstance(app.screen, QuitQuestion))
        await pilot.press("y")
        await wait_until(pilot, lambda: not app.is_running)


async def test_the_palette_quit_asks_too(database, meeting):
    app, _url = serving_console(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        quit_command = next(c for c in app.get_system_commands(app.screen) if c.title == "Quit")
        await quit_command.callback()
        await wait_until(pilot, lambda: isinstance(app.screen, QuitQuestion))


async def test_quit_is_at_once_without_the_attendee_web(console):
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("q")
        await wait_until(pilot, lambda: not console.is_running)


async def test_quit_is_at_once_once_the_meeting_is_closed(database, meeting):
    with database.write() as session:
        close_meeting(session, meeting_id=meeting.id)
    app, _url = serving_console(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running)
