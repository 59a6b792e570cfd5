"""SVG snapshots of the console with a fixed clock, join code and URL, so they never drift.

Regenerate with ``pytest tests/tui --snapshot-update`` and look at the SVGs before committing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from textual.pilot import Pilot

from meetingtui.domain.ideas import IdeaInput, add_comment, capture_idea
from meetingtui.domain.meetings import agenda_items, move_to_item
from meetingtui.domain.records import add_record
from meetingtui.domain.speakers import add_speaker, call_next_speaker
from meetingtui.tui.app import make_app
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.widgets.agenda_panel import AgendaPanel
from tests.tui.conftest import ATTENDEE_URL, wait_until

NOW = datetime(2026, 12, 3, 18, 52, 5, tzinfo=UTC)


def fixed_clock() -> datetime:
    return NOW


@pytest.fixture
def busy_meeting(database, meeting):
    """Item 1 ran 12½ minutes of its 10; item 2 has run 4:05 and has two ideas, one discussed,
    a speaker 1:40 into their time with two waiting, and a decision and an action."""
    with database.write() as session:
        move_to_item(session, meeting_id=meeting.id, step=1)
        first, second = agenda_items(session, meeting.id)[:2]
        first.elapsed_seconds = 750.0
        first.started_at = NOW - timedelta(minutes=16, seconds=35)
        first.ended_at = second.started_at = NOW - timedelta(minutes=4, seconds=5)
        second.elapsed_seconds = 0.0
        second.running_since = NOW - timedelta(minutes=4, seconds=5)
        second.speaker_minutes = 3
        for name, group, source in (
            ("Joan Phillips", "resident", "floor"),
            ("Dev Patel", "carer", "phone"),
            ("", "frontline-staff", "floor"),
        ):
            add_speaker(
                session,
                meeting_id=meeting.id,
                name=name,
                stakeholder=group,
                source=source if source == "floor" else "floor",
            ).source = source
        session.flush()
        speaking = call_next_speaker(session, meeting_id=meeting.id)
        speaking.started_at = NOW - timedelta(seconds=100)
        add_record(
            session,
            meeting_id=meeting.id,
            kind="decision",
            text="Publish the draft plan's GP chapter for a further four weeks of comment",
        )
        add_record(
            session,
            meeting_id=meeting.id,
            kind="action",
            text="Ask the bus operator about an estate-to-hospital route",
            owner="Transport lead",
            due="2027-01-31",
        )
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
    await wait_until(pilot, lambda: pilot.app.meeting_state is not None)
    agenda = screen.query_one(AgendaPanel)  # laid out for its items (the layout follows a draw)
    await wait_until(pilot, lambda: agenda.content_size.height >= min(3, len(agenda.items)) > 0)
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


def busy_app(database, meeting, **options):
    return make_app(
        database=database,
        meeting_id=meeting.id,
        attendee_url=ATTENDEE_URL,
        clock=fixed_clock,
        operator="Priya",
        draft_owner="snapshot",
        **options,
    )


def test_console_snapshot_large_terminal_shows_every_panel(snap_compare, database, busy_meeting):
    app = busy_app(database, busy_meeting)
    assert snap_compare(app, terminal_size=(160, 45), run_before=wait_for_ideas)


def test_speakers_panel_snapshot(snap_compare, database, busy_meeting):
    async def show_speakers(pilot: Pilot) -> None:
        await wait_for_ideas(pilot)
        await pilot.press("2")
        await pilot.pause()

    app = busy_app(database, busy_meeting)
    assert snap_compare(app, terminal_size=(100, 30), run_before=show_speakers)


def press_and_wait(*keys: str, screen: type):
    async def run_before(pilot: Pilot) -> None:
        await wait_for_ideas(pilot)
        await pilot.press(*keys)
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen))
        shown = pilot.app.screen
        await wait_until(
            pilot, lambda: shown.is_mounted and all(w.is_mounted for w in shown.walk_children())
        )
        for field in shown.query("Input, TextArea"):  # a blinking cursor is a race
            field.cursor_blink = False
        await pilot.pause()  # until the messages the mount queued are handled, not for a time
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(100, 30), (160, 45)])
def test_projector_snapshot_with_wifi(snap_compare, database, busy_meeting, size):
    from meetingtui.tui.screens.projector import ProjectorScreen

    app = busy_app(database, busy_meeting, wifi_ssid="TownHall-Guest", wifi_password="hall2026")
    assert snap_compare(
        app, terminal_size=size, run_before=press_and_wait("f5", screen=ProjectorScreen)
    )


@pytest.mark.parametrize("size", [(100, 30), (160, 45)])
def test_agenda_screen_snapshot(snap_compare, database, busy_meeting, size):
    from meetingtui.tui.screens.agenda import AgendaScreen

    app = busy_app(database, busy_meeting)
    assert snap_compare(
        app, terminal_size=size, run_before=press_and_wait("a", screen=AgendaScreen)
    )


def test_moderation_snapshot(snap_compare, database, busy_meeting):
    from meetingtui.domain.models import Meeting
    from meetingtui.tui.screens.moderation import ModerationScreen

    with database.write() as session:
        session.get(Meeting, busy_meeting.id).moderation = "pre"
    with database.write() as session:
        capture_idea(
            session,
            meeting_id=busy_meeting.id,
            data=IdeaInput(title="Free parking for carers at the hospital", channel="phone"),
            from_public=True,
        )
        add_comment(
            session,
            meeting_id=busy_meeting.id,
            idea_ref="I-0002",
            body="The 47 used to do this route",
            author="Ray",
            from_public=True,
        )
    app = busy_app(database, busy_meeting)
    assert snap_compare(
        app, terminal_size=(100, 30), run_before=press_and_wait("m", screen=ModerationScreen)
    )


def test_help_snapshot(snap_compare, database, busy_meeting):
    from meetingtui.tui.screens.help import HelpScreen

    app = busy_app(database, busy_meeting)
    assert snap_compare(
        app, terminal_size=(100, 30), run_before=press_and_wait("question_mark", screen=HelpScreen)
    )


@pytest.mark.parametrize("size", [(100, 30), (160, 45)])
def test_idea_form_snapshot(snap_compare, database, busy_meeting, size):
    from meetingtui.tui.screens.idea_form import IdeaFormScreen

    app = busy_app(database, busy_meeting)
    assert snap_compare(
        app, terminal_size=size, run_before=press_and_wait("i", screen=IdeaFormScreen)
    )


def test_record_form_snapshot(snap_compare, database, busy_meeting):
    from meetingtui.tui.screens.form_dialog import FormDialog

    app = busy_app(database, busy_meeting)
    assert snap_compare(
        app, terminal_size=(100, 30), run_before=press_and_wait("r", screen=FormDialog)
    )


def test_high_contrast_snapshot(snap_compare, database, busy_meeting):
    from meetingtui.tui.app import HIGH_CONTRAST

    app = busy_app(database, busy_meeting, theme=HIGH_CONTRAST.name)
    assert snap_compare(app, terminal_size=(100, 30), run_before=wait_for_ideas)
