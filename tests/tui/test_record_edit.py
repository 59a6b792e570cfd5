"""Notes, decisions and actions corrected from the minutes panel (``3``, ``e``), undone by ``u``."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import Input, TextArea

from meetingtui.domain.models import ItemRecord
from meetingtui.domain.records import add_record
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.record_form import RecordFormScreen
from meetingtui.tui.widgets.record_list import RecordList
from tests.tui.conftest import options_text, wait_until


def loaded(app) -> bool:
    return isinstance(app.screen, ConsoleScreen) and app.meeting_state is not None


def the_record(database) -> ItemRecord:
    with database.read() as session:
        return session.exec(select(ItemRecord)).one()


async def test_edit_an_action_changes_only_what_was_changed_and_u_undoes_it(
    console, database, meeting
):
    with database.write() as session:
        add_record(
            session,
            meeting_id=meeting.id,
            kind="action",
            text="Bus survey",
            owner="Ann",
            due="2027-01-31",
        )
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        records = console.screen.query_one(RecordList)
        await wait_until(pilot, lambda: len(records.records) == 1)
        await pilot.press("3", "e")
        await wait_until(pilot, lambda: isinstance(console.screen, RecordFormScreen))
        form = console.screen
        assert form.query_one("#field-text", TextArea).text == "Bus survey"
        assert form.query_one("#field-owner", Input).value == "Ann"
        await pilot.press(*" of the estate")  # the cursor starts at the end
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))
        await wait_until(pilot, lambda: "Bus survey of the estate" in options_text(records))
        record = the_record(database)
        assert (record.kind, record.text, record.owner, record.due) == (
            "action",
            "Bus survey of the estate",
            "Ann",
            "2027-01-31",
        )

        await pilot.press("u")
        await wait_until(pilot, lambda: the_record(database).text == "Bus survey")
        await wait_until(pilot, lambda: "Action: Bus survey  (Ann" in options_text(records))


async def test_a_record_changed_by_another_console_is_not_overwritten_silently(
    console, database, meeting, tmp_path
):
    from meetingtui.session import MeetingSession
    from meetingtui.store.database import Database

    with database.write() as session:
        add_record(session, meeting_id=meeting.id, kind="note", text="Room full")
    other = Database.open(f"sqlite:///{tmp_path / 'meeting.sqlite3'}", migrate=False)
    tom = MeetingSession(other, meeting.id, operator="Tom", draft_owner="tom")
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        records = console.screen.query_one(RecordList)
        await wait_until(pilot, lambda: len(records.records) == 1)
        await pilot.press("3", "e")
        await wait_until(pilot, lambda: isinstance(console.screen, RecordFormScreen))
        form = console.screen
        tom.update_record(the_record(database).id, {"text": "Room full, 40 standing"})
        await pilot.press(*", doors open")
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: any("Room full, 40 standing" in n.message for n in console._notifications),
        )
        assert console.screen is form  # kept open, my text in it
        assert the_record(database).text == "Room full, 40 standing"
        await pilot.press("ctrl+s")  # knowingly replace theirs
        await wait_until(pilot, lambda: the_record(database).text == "Room full, doors open")
