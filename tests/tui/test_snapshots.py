"""SVG snapshots of the console with a fixed clock, join code and URL, so they never drift.

Regenerate with ``pytest tests/tui --snapshot-update`` and look at the SVGs before committing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from textual.pilot import Pilot

from meetingtui.domain.ideas import IdeaInput, add_comment, capture_idea
from meetingtui.domain.meetings import agenda_items, move_to_item
from meetingtui.tui.app import make_app
from meetingtui.tui.screens.console import ConsoleScreen
from tests.tui.conftest import ATTENDEE_URL, wait_until

NOW = datetime(2026, 12, 3, 18, 52, 5, tzinfo=UTC)


def fixed_clock() -> datetime:
    return NOW


@pytest.fixture
def busy_meeting(database, meeting):
    """Item 1 ran 12½ minutes of its 10; item 2 has run 4:05 and has two ideas, one discussed."""
    with database.write() as session:
        move_to_item(session, meeting_id=meeting.id, step=1)
        first, second = agenda_items(session, meeting.id)[:2]
        first.elapsed_seconds = 750.0
        second.elapsed_seconds = 0.0
        second.running_since = NOW - timedelta(minutes=4, seconds=5)
        capture_idea(
            session,
            meeting_id=meeting.id,
            data=IdeaInput(
                title="Evening and weekend GP appointments",
                stakeholder="carer",
                topic="GP and primary care access",
            ),
        )
        capture_idea(
            session,
            meeting_id=meeting.id,
            data=IdeaInput(
                title="A bus from the estate to the hospital",
                stakeholder="resident",
                topic="Travel and transport to services",
                raised_by="Joan Phillips",
                publish_name=True,
                channel="phone",
            ),
        )
        add_comment(session, meeting_id=meeting.id, idea_ref="I-0001", body="Saturdays too")
        add_comment(
            session,
            meeting_id=meeting.id,
            idea_ref="I-0001",
            body="Book online as well as by phone",
            author="Dev",
        )
    return meeting


async def wait_for_ideas(pilot: Pilot) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, ConsoleScreen)
    await wait_until(pilot, lambda: screen.snapshot is not None)
    await pilot.pause()


def test_console_snapshot(snap_compare, database, busy_meeting):
    app = make_app(
        database=database, meeting_id=busy_meeting.id, attendee_url=ATTENDEE_URL, clock=fixed_clock
    )
    assert snap_compare(app, terminal_size=(100, 30), run_before=wait_for_ideas)


def test_console_snapshot_small_terminal_item_over_time(snap_compare, database, busy_meeting):
    """80x24, fifteen minutes later: the current item has run over and the timer says so."""
    app = make_app(
        database=database,
        meeting_id=busy_meeting.id,
        attendee_url=ATTENDEE_URL,
        clock=lambda: NOW + timedelta(minutes=15),
    )
    assert snap_compare(app, terminal_size=(80, 24), run_before=wait_for_ideas)


def test_idea_form_snapshot_with_error(snap_compare, database, busy_meeting):
    async def refuse_an_untitled_idea(pilot: Pilot) -> None:
        await wait_for_ideas(pilot)
        await pilot.press("i", "tab", *"No title typed", "ctrl+s")
        await wait_until(
            pilot, lambda: pilot.app.screen.query_one("#error-title").has_class("-shown")
        )
        pilot.app.screen.query_one("#field-title").cursor_blink = False
        await pilot.pause()

    app = make_app(
        database=database, meeting_id=busy_meeting.id, attendee_url=ATTENDEE_URL, clock=fixed_clock
    )
    assert snap_compare(app, terminal_size=(80, 24), run_before=refuse_an_untitled_idea)
