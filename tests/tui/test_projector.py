"""What the room looks at: the current item and its time, who has the floor (a place and a
group, never a name) with their countdown, and the agenda; a QR code drawn whole or replaced by
the address, which is never broken inside the meeting's code."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from rich.console import Console

from meetingtui.domain import meetings
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.models import AgendaItem
from meetingtui.domain.speakers import add_speaker, call_next_speaker
from meetingtui.tui.app import make_app
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.projector import ProjectorScreen, share_rows
from meetingtui.tui.widgets.agenda_panel import AgendaPanel
from meetingtui.tui.widgets.big_text import BigText, url_lines
from meetingtui.tui.widgets.qr_code import QrCode
from tests.tui.conftest import ATTENDEE_URL, screen_text, wait_until

NOW = datetime(2026, 12, 3, 19, 40, 0, tzinfo=UTC)
CODE = "testcode23"


def rendered(widget) -> str:  # noqa: ANN001
    console = Console(width=widget.content_size.width, file=io.StringIO(), record=True)
    console.print(widget.render())
    return console.export_text()


def loaded(app) -> bool:
    return isinstance(app.screen, ConsoleScreen) and app.meeting_state is not None


@pytest.fixture
def open_floor(database, meeting):
    """The open floor (item 5, 35 minutes, 3 minutes a speaker) 12 minutes in: one speaker
    heard, the second 1:40 into their three minutes, one waiting."""
    with database.write() as session:
        for _ in range(4):
            meetings.move_to_item(session, meeting_id=meeting.id, step=1)
        item = session.get(AgendaItem, session.get(type(meeting), meeting.id).current_item_id)
        item.running_since = NOW - timedelta(minutes=12)
        item.elapsed_seconds = 0.0
        item.speaker_minutes = 3
        for name, group in (("Joan Phillips", "resident"), ("Dev Patel", "carer"), ("Ann", "")):
            add_speaker(session, meeting_id=meeting.id, name=name, stakeholder=group)
        heard = call_next_speaker(session, meeting_id=meeting.id)
        speaking = call_next_speaker(session, meeting_id=meeting.id)
        # Every time on the test's clock: the speakers are numbered in the order they spoke,
        # and the real clock's "now" (when the first was called) is after NOW from its day on.
        heard.started_at = NOW - timedelta(minutes=5)
        heard.ended_at = speaking.started_at = NOW - timedelta(seconds=100)
    return meeting


def projector_app(database, meeting, **options):
    return make_app(
        database=database,
        meeting_id=meeting.id,
        attendee_url=ATTENDEE_URL,
        clock=lambda: NOW,
        **options,
    )


async def show_projector(pilot, app) -> ProjectorScreen:
    await wait_until(pilot, lambda: loaded(app))
    await pilot.press("v")
    await wait_until(pilot, lambda: isinstance(app.screen, ProjectorScreen))
    return app.screen


async def test_the_room_sees_the_speaker_the_countdown_the_item_time_and_the_agenda(
    database, open_floor
):
    app = projector_app(database, open_floor)
    async with app.run_test(size=(160, 45)) as pilot:
        projector = await show_projector(pilot, app)
        countdown = projector.query_one("#projector-countdown", BigText)
        await wait_until(pilot, lambda: countdown.text == "01:20")
        text = screen_text(app)
        assert "Speaker 2 of 3 · Carer · time left" in text
        assert "23:00 left of 35 min" in text
        assert "Joan" not in text and "Dev Patel" not in text  # no consent to publish
        agenda = rendered(projector.query_one("#projector-agenda", AgendaPanel))
        for title in ("1. Welcome and how tonight works", "5. Open floor: questions and ideas"):
            assert title in agenda
        (code,) = projector.query(QrCode)
        assert code.drawn_whole and code.scale_for(*code.content_size) >= 2


async def test_nobody_speaking_shows_no_speaker(database, meeting):
    app = projector_app(database, meeting)
    async with app.run_test(size=(160, 45)) as pilot:
        projector = await show_projector(pilot, app)
        await wait_until(pilot, lambda: "of 10 min" in screen_text(app))
        assert not projector.query_one("#projector-speaker").display
        assert not projector.query_one("#projector-countdown").display


@pytest.mark.parametrize("size", [(160, 45), (100, 30), (80, 24)])
async def test_a_code_is_drawn_whole_where_it_fits(database, meeting, size):
    app = projector_app(database, meeting)
    async with app.run_test(size=size) as pilot:
        projector = await show_projector(pilot, app)
        (code,) = projector.query(QrCode)
        await wait_until(pilot, lambda: code.content_size.height > 0)
        assert projector.query_one("#projector-codes").display
        assert code.drawn_whole
        width, height = code.content_size
        lines = code.render().plain.split("\n")
        assert len(lines) <= height and max(len(line.rstrip()) for line in lines) <= width


@pytest.mark.parametrize("wifi", ["", "TownHall-Guest"])
async def test_a_small_terminal_shows_the_address_instead_of_a_cropped_code(
    database, meeting, wifi
):
    app = projector_app(database, meeting, wifi_ssid=wifi, wifi_password="hall2026")
    async with app.run_test(size=(60, 20)) as pilot:
        projector = await show_projector(pilot, app)
        await wait_until(pilot, lambda: projector.has_class("-no-code"))
        assert not projector.query_one("#projector-codes").display
        text = screen_text(app)
        assert "Join on your phone: type this address" in text
        url = projector.query_one("#projector-url", BigText)
        assert url.text == "192.168.1.20:8765/m/testcode23"
        shown = url.render().plain
        assert CODE in shown or url.big_lines(url.content_size.width) is not None
        if wifi:
            assert "Wi-Fi: TownHall-Guest  Password: hall2026" in text
        await pilot.resize_terminal(160, 45)  # and back when there is room again
        await wait_until(pilot, lambda: not projector.has_class("-no-code"))
        assert projector.query_one("#projector-codes").display


def test_a_code_too_big_for_its_place_shows_its_fallback_text():
    code = QrCode(ATTENDEE_URL, fit=True, fallback="192.168.1.20:8765/m/testcode23")
    assert code.fits(code.modules, code.rows)
    assert not code.fits(code.modules - 1, code.rows)
    assert not code.fits(code.modules, code.rows - 1)


@pytest.mark.parametrize("columns", range(4, 40))
def test_the_join_address_is_never_broken_inside_the_code(columns):
    lines = url_lines("192.168.1.20:8765/m/testcode23", columns)
    assert "".join(lines) == "192.168.1.20:8765/m/testcode23"
    assert any(line.endswith(CODE) for line in lines)  # the code whole, on one line
    if columns >= len(CODE):
        assert all(len(line) <= columns for line in lines)


async def test_the_address_in_a_narrow_terminal_breaks_only_after_slashes(database, meeting):
    app = projector_app(database, meeting)
    async with app.run_test(size=(26, 20)) as pilot:  # 22 columns: a fold splits "te|stcode23"
        projector = await show_projector(pilot, app)
        url = projector.query_one("#projector-url", BigText)
        await wait_until(pilot, lambda: url.content_size.width == 22)
        assert url.big_lines(22) is None  # too narrow for the large font: plain text
        assert url.render().plain.split("\n") == ["192.168.1.20:8765/m/", "testcode23"]


@pytest.mark.parametrize(
    ("rows", "items", "shared"),
    [
        (1, 7, (0, 0)),  # not even the label fits
        (9, 7, (7, 0)),  # the whole agenda; no room for three ideas
        (6, 7, (4, 0)),  # a sliding window of the agenda
        (20, 7, (7, 9)),  # the agenda, then ideas
        (20, 30, (13, 3)),  # a long agenda gives up rows so that three ideas show
    ],
)
def test_the_rows_left_go_to_the_agenda_first_then_to_the_ideas(rows, items, shared):
    assert share_rows(rows, items) == shared


async def test_a_small_projector_shows_the_agenda_instead_of_empty_rows(database, meeting):
    app = projector_app(database, meeting)
    async with app.run_test(size=(60, 20)) as pilot:
        projector = await show_projector(pilot, app)
        agenda = projector.query_one("#projector-agenda", AgendaPanel)
        await wait_until(pilot, lambda: agenda.display and agenda.content_size.height >= 3)
        shown = rendered(agenda)
        assert "▶ 1. Welcome and how tonight works" in shown  # the current item is in view
        rest = projector.query_one("#projector-rest")
        used = sum(w.outer_size.height for w in rest.children if w.display)
        assert rest.size.height - used <= 2  # no more than a row or two left blank
        assert projector.query_one("#projector-hint").region.bottom == 20


async def test_a_large_projector_shows_the_whole_agenda_and_the_latest_ideas(database, meeting):
    with database.write() as session:
        for n in range(8):
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=f"Idea number {n}"))
    app = projector_app(database, meeting)
    async with app.run_test(size=(160, 45)) as pilot:
        projector = await show_projector(pilot, app)
        ideas = projector.query_one("#projector-ideas")
        await wait_until(pilot, lambda: len(projector.latest) == 8 and ideas.display)
        agenda = projector.query_one("#projector-agenda", AgendaPanel)
        assert agenda.content_size.height == 7  # every item
        text = screen_text(app)
        assert all(f"Idea number {n}" in text for n in range(8))
        assert ideas.content_size.height >= 8  # room for every one of them


def _poll_on_item(database, meeting, results: str):
    from meetingtui.domain.polls import cast_ballot, create_poll, open_poll

    with database.write() as session:
        item_id = session.get(type(meeting), meeting.id).current_item_id
        poll = create_poll(
            session,
            meeting_id=meeting.id,
            type="single",
            question="Which first? [b]now[/b]",
            options=["Evening GP 👩‍⚕️", "A bus"],
            item_id=item_id,
            results=results,
        )
        open_poll(session, poll_id=poll.id)
        for device, choice in (("d1", [0]), ("d2", [0]), ("d3", [1])):
            cast_ballot(session, poll_id=poll.id, device=device, choices=choice)
        return poll.id


@pytest.mark.parametrize("size", [(160, 45), (80, 24)])
async def test_the_room_sees_the_open_poll_and_its_bars(database, meeting, size):
    """In a vote the room reads the question and the bars (live results), in the ideas'
    place; a ballot cast while it shows moves them; the question is a person's words."""
    from meetingtui.domain.polls import cast_ballot

    poll_id = _poll_on_item(database, meeting, "live")
    app = projector_app(database, meeting)
    async with app.run_test(size=size) as pilot:
        projector = await show_projector(pilot, app)
        poll = projector.query_one("#projector-poll")
        await wait_until(pilot, lambda: poll.display and "3 ballots" in rendered(poll))
        shown = rendered(poll)
        assert "Which first? [b]now[/b]" in shown and "Evening GP" in shown
        assert "67%" in shown and "33%" in shown
        assert not projector.query_one("#projector-ideas").display
        with database.write() as session:
            cast_ballot(session, poll_id=poll_id, device="d4", choices=[1])
        await wait_until(pilot, lambda: "4 ballots" in rendered(poll))
        assert "50%" in rendered(poll)


async def test_results_at_close_show_only_the_count_until_it_closes(database, meeting):
    from meetingtui.domain.polls import close_poll

    poll_id = _poll_on_item(database, meeting, "at close")
    app = projector_app(database, meeting)
    async with app.run_test(size=(160, 45)) as pilot:
        projector = await show_projector(pilot, app)
        poll = projector.query_one("#projector-poll")
        await wait_until(pilot, lambda: poll.display and "3 ballots" in rendered(poll))
        assert "results when it closes" in rendered(poll)
        assert "%" not in rendered(poll)
        with database.write() as session:
            close_poll(session, poll_id=poll_id)
        await wait_until(pilot, lambda: "67%" in rendered(poll))
