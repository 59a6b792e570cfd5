"""Agenda on time: pause, extend, jump, rename, add, reorder, skip; every change recorded."""

from __future__ import annotations

from sqlmodel import col, select

from meetingtui.domain.meetings import agenda_items
from meetingtui.domain.models import Event, Meeting
from meetingtui.tui.screens.agenda import AgendaScreen
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.form_dialog import FormDialog
from meetingtui.tui.widgets.item_timer import ItemTimer
from tests.tui.conftest import wait_until


def loaded(app) -> bool:
    return isinstance(app.screen, ConsoleScreen) and app.meeting_state is not None


def items_of(database, meeting_id):
    with database.read() as session:
        return agenda_items(session, meeting_id)


def event_kinds(database) -> list[str]:
    with database.read() as session:
        return [e.kind for e in session.exec(select(Event).order_by(col(Event.id)))]


async def test_space_pauses_and_resumes_the_items_timer(console, database, meeting):
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        timer = console.screen.query_one(ItemTimer)
        await pilot.press("space")
        await wait_until(pilot, lambda: items_of(database, meeting.id)[0].running_since is None)
        await wait_until(pilot, lambda: "PAUSED" in str(timer.content))
        paused_at = items_of(database, meeting.id)[0].elapsed_seconds
        await pilot.press("space")
        await wait_until(pilot, lambda: items_of(database, meeting.id)[0].running_since)
        await wait_until(pilot, lambda: "PAUSED" not in str(timer.content))
    assert paused_at > 0
    assert event_kinds(database)[-2:] == ["timer.paused", "timer.resumed"]


async def test_plus_and_minus_change_the_current_items_planned_time(console, database, meeting):
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("plus")
        await wait_until(pilot, lambda: items_of(database, meeting.id)[0].minutes == 15)
        await wait_until(
            pilot, lambda: "of 15:00" in str(console.screen.query_one(ItemTimer).content)
        )
        await pilot.press("minus", "minus")
        await wait_until(pilot, lambda: items_of(database, meeting.id)[0].minutes == 5)
    assert event_kinds(database).count("agenda.extended") == 3


async def test_agenda_screen_jumps_renames_adds_reorders_and_skips(console, database, meeting):
    items = items_of(database, meeting.id)
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(console.screen, AgendaScreen))

        # Jump to the third item.
        await pilot.press("down", "down", "enter")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))
        await wait_until(pilot, lambda: current_item(database, meeting.id) == items[2].id)
        first = items_of(database, meeting.id)[0]
        assert first.status == "done" and first.started_at and first.ended_at

        # Rename the highlighted (current) item.
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(console.screen, AgendaScreen))
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(console.screen, FormDialog))
        console.screen.query_one("#field-title").value = ""
        await pilot.press(*"Table talk", "enter")
        await wait_until(pilot, lambda: items_of(database, meeting.id)[2].title == "Table talk")

        # Add an item after it.
        await wait_until(pilot, lambda: isinstance(console.screen, AgendaScreen))
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(console.screen, FormDialog))
        await pilot.press(*"Late item", "tab", "backspace", "backspace", "7")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(items_of(database, meeting.id)) == len(items) + 1)
        added = items_of(database, meeting.id)[3]
        assert (added.title, added.minutes, added.kind) == (
            "Late item",
            7,
            "discussion",
        )

        # Move the highlighted item down, then skip the next one (after confirming).
        await wait_until(pilot, lambda: isinstance(console.screen, AgendaScreen))
        await pilot.press("shift+down")
        await wait_until(pilot, lambda: items_of(database, meeting.id)[3].title == "Table talk")
        await pilot.press("down", "s")
        await pilot.press("y")
        await wait_until(pilot, lambda: items_of(database, meeting.id)[4].status == "skipped")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))

    kinds = event_kinds(database)
    for kind in (
        "agenda.jumped",
        "agenda.renamed",
        "agenda.added",
        "agenda.reordered",
        "agenda.skipped",
    ):
        assert kind in kinds


async def test_refused_agenda_change_is_a_notification(console):
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("minus", "minus")  # 10 -> 5 -> refused (0)
        await wait_until(
            pilot, lambda: any("whole number" in n.message for n in console._notifications)
        )
        assert console.is_running


def current_item(database, meeting_id):
    with database.read() as session:
        return session.get(Meeting, meeting_id).current_item_id
