"""A closed meeting looks closed: its clock says when it closed and how long it ran (never time
left), and the header keeps "closed · O reopens" and the join code whole at 80 and 100 columns;
a meeting not started says so in lines that fit too."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from rich.console import Console

from meetingtui.agenda import load_agenda
from meetingtui.domain import meetings
from meetingtui.domain.models import Meeting
from meetingtui.tui.app import make_app
from meetingtui.tui.clock import local_time
from meetingtui.tui.widgets.item_timer import ItemTimer
from meetingtui.tui.widgets.meeting_header import MeetingHeader
from tests.conftest import TOWN_HALL
from tests.tui.conftest import ATTENDEE_URL, wait_until
from tests.tui.test_console_chrome import loaded

CLOSED_AT = datetime(2026, 12, 3, 21, 4, 0, tzinfo=UTC)


def drawn(widget) -> list[str]:  # noqa: ANN001
    """The widget's lines as the terminal shows them (its own width)."""
    console = Console(width=widget.content_size.width, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text().rstrip("\n").split("\n")


@pytest.fixture
def closed(database, meeting):
    with database.write() as session:
        meetings.close_meeting(session, meeting_id=meeting.id)
        stored = session.get(Meeting, meeting.id)
        stored.closed_at = CLOSED_AT
        stored.started_at = CLOSED_AT - timedelta(hours=1, minutes=58, seconds=10)
        return stored.timezone


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_a_closed_meeting_shows_when_it_closed_and_how_long_it_ran(
    database, meeting, closed, size
):
    app = make_app(
        database=database,
        meeting_id=meeting.id,
        attendee_url=ATTENDEE_URL,
        clock=lambda: CLOSED_AT + timedelta(minutes=30),
    )
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        timer = app.screen.query_one(ItemTimer)
        at = local_time(CLOSED_AT, closed)
        await wait_until(pilot, lambda: f"CLOSED  at {at} · ran 1:58:10" in str(timer.content))
        assert "left" not in str(timer.content) and "OVER" not in str(timer.content)
        assert not timer.has_class("-near") and not timer.has_class("-over")
        assert any(f"CLOSED  at {at} · ran 1:58:10" in line for line in drawn(timer))  # whole
        header = app.screen.query_one(MeetingHeader)
        (line,) = drawn(header)
        assert "[closed · O reopens]" in line
        assert line.rstrip().endswith("Join code testcode23")


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_a_meeting_not_started_says_so_in_lines_that_fit(database, size):
    with database.write() as session:
        planned = meetings.create_meeting(session, agenda=load_agenda(TOWN_HALL), code="testcode23")
    app = make_app(database=database, meeting_id=planned.id, attendee_url=ATTENDEE_URL)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        timer = app.screen.query_one(ItemTimer)
        await wait_until(pilot, lambda: "Not started" in str(timer.content))
        lines = drawn(timer)
        assert lines[0].strip() == "Not started  S starts the clock"
        assert not any("…" in line for line in lines)  # nothing cut
        (line,) = drawn(app.screen.query_one(MeetingHeader))
        assert "[not started · S starts]" in line and line.rstrip().endswith("testcode23")


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 45)])
async def test_the_meeting_line_keeps_the_drift_whole_in_a_narrow_panel(database, meeting, size):
    with database.write() as session:
        for _ in range(2):  # two items done at once: the meeting runs 25 minutes ahead
            meetings.move_to_item(session, meeting_id=meeting.id, step=1)
    app = make_app(database=database, meeting_id=meeting.id, attendee_url=ATTENDEE_URL)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        timer = app.screen.query_one(ItemTimer)
        await wait_until(pilot, lambda: "ahead" in str(timer.content))
        (line,) = [line.strip() for line in drawn(timer) if line.strip().startswith("Meeting ")]
        assert "…" not in line and line.endswith("ahead")
        if size[0] >= 100:
            assert "planned" in line  # room for the whole sentence
