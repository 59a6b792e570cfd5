"""``run_console`` refuses a taken port with a message before the console takes the terminal."""

from __future__ import annotations

import socket
import uuid

from meetingtui.runtime import run_console


def test_port_in_use_is_a_message_and_exit_code_1(database, meeting, capsys):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        code = run_console(database=database, meeting_id=meeting.id, host="127.0.0.1", port=port)
    assert code == 1
    error = capsys.readouterr().err
    assert f"127.0.0.1:{port}" in error and "--port" in error


def test_unknown_meeting_is_a_message_and_exit_code_1(database, capsys):
    assert run_console(database=database, meeting_id=uuid.uuid4()) == 1
    assert "No meeting" in capsys.readouterr().err


async def test_first_frame_comes_before_the_meeting_opens(database, meeting):
    """The lazy start: the opening screen at once, the console once the opener has run."""
    import threading

    from meetingtui.tui.app import OpenedMeeting, make_app
    from meetingtui.tui.screens.console import ConsoleScreen
    from meetingtui.tui.screens.opening import OpeningScreen
    from tests.tui.conftest import ATTENDEE_URL, wait_until

    release = threading.Event()

    def opener() -> OpenedMeeting:
        release.wait(5)
        return OpenedMeeting(database=database, meeting_id=meeting.id, attendee_url=ATTENDEE_URL)

    app = make_app(opener=opener)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)  # the opener is still waiting
        release.set()
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))
        await wait_until(pilot, lambda: app.meeting_state is not None)
        assert app.attendee_url == ATTENDEE_URL


async def test_a_meeting_that_cannot_open_ends_with_its_message_and_code():
    from meetingtui.tui.app import OpenFailed, make_app
    from tests.tui.conftest import wait_until

    def opener():
        raise OpenFailed("x.toml is not a valid agenda; nothing was started.", 2)

    app = make_app(opener=opener)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 2
