"""u works inside moderation and the agenda, on the console's one undo stack: it says what it
undid, or that there is nothing to undo, without going back to the console first."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import OptionList

from meetingtui.domain.models import AgendaItem
from meetingtui.tui.screens.agenda import AgendaScreen
from meetingtui.tui.screens.moderation import ModerationScreen
from tests.tui.conftest import wait_until
from tests.tui.test_moderation import (
    from_phone,
    loaded,
    open_moderation,
    pre_moderated,
    visibilities,
)


def said(app) -> list[str]:
    return [n.message for n in app._notifications]


def planned_minutes(database, title: str) -> int:
    with database.read() as session:
        return session.exec(select(AgendaItem).where(AgendaItem.title == title)).one().minutes


async def test_u_in_moderation_undoes_the_decision_just_made_and_says_so(
    console, database, meeting
):
    pre_moderated(database, meeting)
    from_phone(database, meeting, "Evening clinics")
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        screen = await open_moderation(pilot, console, 1)
        said_here = screen.query_one("#moderation-said")
        await pilot.press("u")  # nothing done yet
        await wait_until(pilot, lambda: screen.said == "Nothing to undo.")
        await pilot.press("a")
        await wait_until(pilot, lambda: visibilities(database) == {"Evening clinics": "visible"})
        await pilot.press("u")
        await wait_until(pilot, lambda: visibilities(database) == {"Evening clinics": "pending"})
        await wait_until(pilot, lambda: screen.said.startswith("Undone: "))
        assert screen.said.startswith("Undone: approving idea I-0001 (")
        assert isinstance(console.screen, ModerationScreen)  # still moderating
        assert str(said_here.render()).startswith("Undone: ")
        await wait_until(pilot, lambda: screen.entries and screen.entries[0].waiting)
        assert not [m for m in said(console) if m.startswith("Undone")]  # no toast over it


async def test_u_in_the_agenda_undoes_the_change_just_made_and_says_so(console, database, meeting):
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(console.screen, AgendaScreen))
        await pilot.press("u")
        await wait_until(pilot, lambda: "Nothing to undo." in said(console))
        title = "Welcome and how tonight works"
        options = console.screen.query_one(OptionList)
        await wait_until(pilot, lambda: options.highlighted == 0)
        await pilot.press("plus")
        await wait_until(pilot, lambda: planned_minutes(database, title) == 15)
        await pilot.press("u")
        await wait_until(pilot, lambda: planned_minutes(database, title) == 10)
        await wait_until(pilot, lambda: any(m.startswith("Undone: ") for m in said(console)))
        assert isinstance(console.screen, AgendaScreen)  # still in the agenda
