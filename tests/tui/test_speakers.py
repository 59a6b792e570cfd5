"""The speakers' queue: from the floor and from phones; call, countdown, done, withdrawn."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from meetingtui.domain.meetings import move_to_item
from meetingtui.domain.models import Speaker, utcnow
from meetingtui.domain.speakers import add_speaker
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.form_dialog import FormDialog
from meetingtui.tui.widgets.item_timer import ItemTimer
from meetingtui.tui.widgets.speaker_list import SpeakerList
from tests.tui.conftest import options_text, wait_until


def loaded(app) -> bool:
    return isinstance(app.screen, ConsoleScreen) and app.meeting_state is not None


def queue(database) -> list[tuple[str, str, str]]:
    with database.read() as session:
        rows = session.exec(select(Speaker).order_by(col(Speaker.requested_at)))
        return [(s.name, s.status, s.source) for s in rows]


def open_floor(database, meeting) -> None:
    """Move to the town hall's open floor (public comment, 2 minutes per speaker)."""
    with database.write() as session:
        for _ in range(4):
            move_to_item(session, meeting_id=meeting.id, step=1)


async def test_queue_from_the_floor_and_from_phones(console, database, meeting):
    open_floor(database, meeting)
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(console.screen, FormDialog))
        await pilot.press(*"Joan Phillips", "tab", "enter", *"res", "enter")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: queue(database) == [("Joan Phillips", "waiting", "floor")])

        # A phone asks to speak: it arrives in the queue and the facilitator is told.
        with database.write() as session:
            add_speaker(session, meeting_id=meeting.id, name="Dev", source="phone", device="d1")
        speakers = console.screen.query_one(SpeakerList)
        await wait_until(pilot, lambda: len(speakers.speakers) == 2)
        assert any("Dev asked to speak" in n.message for n in console._notifications)
        await pilot.press("2")
        assert "1. Joan Phillips  Resident" in options_text(speakers)
        assert "2. Dev  phone" in options_text(speakers)

        await pilot.press("c")
        await wait_until(pilot, lambda: queue(database)[0][1] == "speaking")
        timer = console.screen.query_one(ItemTimer)
        await wait_until(pilot, lambda: "speaking: Joan Phillips" in str(timer.content))
        assert "left" in str(timer.content) and "1 waiting" in str(timer.content)

        await pilot.press("d")
        await wait_until(pilot, lambda: queue(database)[0][1] == "done")

        # Dev leaves before being called: highlight and withdraw.
        await wait_until(pilot, lambda: speakers.highlighted_speaker().name == "Dev")
        await pilot.press("w")
        await wait_until(pilot, lambda: queue(database)[1][1] == "withdrawn")
    assert [s[1] for s in queue(database)] == ["done", "withdrawn"]


async def test_speaker_countdown_warns_and_runs_over(console, database, meeting):
    open_floor(database, meeting)
    with database.write() as session:
        speaker = add_speaker(session, meeting_id=meeting.id, name="Sam")
        speaker.status, speaker.started_at = "speaking", utcnow() - timedelta(seconds=150)
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        timer = console.screen.query_one(ItemTimer)
        await wait_until(pilot, lambda: "speaking: Sam" in str(timer.content))
        assert "00:2" in str(timer.content) or "00:3" in str(timer.content)
        assert "left" in str(timer.content)  # three minutes each on the open floor

        timer.speakers[0].started_at = utcnow() - timedelta(seconds=200)
        timer.tick()
        assert "over by 00:2" in str(timer.content)


async def test_calling_with_nobody_waiting_says_so(console, database, meeting):
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("c")
        await wait_until(
            pilot, lambda: any("Nobody is waiting" in n.message for n in console._notifications)
        )


async def test_a_request_to_speak_from_the_phone_page_arrives_in_the_queue(database, meeting):
    """The attendee web in the console's own loop: a phone's POST lands in the queue."""
    import httpx

    from meetingtui.tui.app import make_app
    from meetingtui.web.app import create_web_app
    from meetingtui.web.server import (
        attendee_url,
        base_url_for,
        bind_listening_socket,
    )
    from tests.tui.conftest import post_as_phone
    from tests.web.embedded_server import EmbeddedWebServer

    open_floor(database, meeting)
    sock = bind_listening_socket("127.0.0.1", 0)
    url = attendee_url(base_url_for(sock), meeting.code)
    app = make_app(
        database=database,
        meeting_id=meeting.id,
        attendee_url=url,
        web_server=EmbeddedWebServer(create_web_app(database), sock),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        async with httpx.AsyncClient() as client:
            response = await post_as_phone(client, url, "/speakers", {"name": "Maya"})
        assert response.status_code == 303
        speakers = app.screen.query_one(SpeakerList)
        await wait_until(pilot, lambda: len(speakers.speakers) == 1)
        assert "Maya  phone" in options_text(speakers)
    assert queue(database) == [("Maya", "waiting", "phone")]
