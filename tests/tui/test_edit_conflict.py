"""Two consoles, one SQLite file, one idea: the second save no longer overwrites the first.
The console shows both versions and saves the one chosen; other fields merge."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import Input, TextArea

from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.models import Idea
from meetingtui.session import MeetingSession
from meetingtui.store.database import Database
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.edit_conflict import EditConflictScreen
from meetingtui.tui.screens.idea_form import IdeaFormScreen
from tests.tui.conftest import screen_text, wait_until


def loaded(app) -> bool:
    return isinstance(app.screen, ConsoleScreen) and app.meeting_state is not None


def the_idea(database) -> Idea:
    with database.read() as session:
        return session.exec(select(Idea)).one()


def other_console(meeting, tmp_path) -> MeetingSession:
    """Another process's console on the same file (its own engine and connections)."""
    other = Database.open(f"sqlite:///{tmp_path / 'meeting.sqlite3'}", migrate=False)
    return MeetingSession(other, meeting.id, operator="Tom", draft_owner="tom")


async def open_edit(pilot) -> IdeaFormScreen:
    await pilot.press("1", "e")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, IdeaFormScreen))
    return pilot.app.screen


async def test_same_field_saved_on_both_shows_both_and_keeps_mine(
    console, database, meeting, tmp_path
):
    with database.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Evening clincs"))
    tom = other_console(meeting, tmp_path)
    async with console.run_test(size=(110, 34)) as pilot:
        await wait_until(pilot, lambda: loaded(console) and console.meeting_state.idea_total == 1)
        form = await open_edit(pilot)
        tom.update_idea(the_idea(database).id, {"title": "Evening clinics (Tom)"})
        form.query_one("#field-title", Input).value = "Evening clinics (Priya)"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(console.screen, EditConflictScreen))
        text = screen_text(console)
        assert "Evening clinics (Tom)" in text and "Evening clinics (Priya)" in text
        assert the_idea(database).title == "Evening clinics (Tom)"  # nothing overwritten yet

        await pilot.press("m")
        await wait_until(pilot, lambda: the_idea(database).title == "Evening clinics (Priya)")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))


async def test_keep_theirs_keeps_their_field_and_saves_my_other_changes(
    console, database, meeting, tmp_path
):
    with database.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Evening clincs"))
    tom = other_console(meeting, tmp_path)
    async with console.run_test(size=(110, 34)) as pilot:
        await wait_until(pilot, lambda: loaded(console) and console.meeting_state.idea_total == 1)
        form = await open_edit(pilot)
        tom.update_idea(the_idea(database).id, {"title": "Evening clinics"})
        form.query_one("#field-title", Input).value = "Evening clinic"
        form.query_one("#field-detail", TextArea).load_text("Twice a week")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(console.screen, EditConflictScreen))
        await pilot.press("t")
        await wait_until(pilot, lambda: the_idea(database).detail == "Twice a week")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))
    assert the_idea(database).title == "Evening clinics"


async def test_edit_goes_back_to_the_form_and_the_next_save_wins(
    console, database, meeting, tmp_path
):
    with database.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Evening clincs"))
    tom = other_console(meeting, tmp_path)
    async with console.run_test(size=(110, 34)) as pilot:
        await wait_until(pilot, lambda: loaded(console) and console.meeting_state.idea_total == 1)
        form = await open_edit(pilot)
        tom.update_idea(the_idea(database).id, {"title": "Evening clinics"})
        form.query_one("#field-title", Input).value = "Evening clinic"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(console.screen, EditConflictScreen))
        await pilot.press("e")
        await wait_until(pilot, lambda: console.screen is form)
        assert any(
            "Saved meanwhile: Title: Evening clinics" in n.message for n in console._notifications
        )
        form.query_one("#field-title", Input).value = "Evening clinics, twice a week"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: the_idea(database).title == "Evening clinics, twice a week")


async def test_a_field_only_the_other_console_changed_merges_without_asking(
    console, database, meeting, tmp_path
):
    with database.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Evening clincs"))
    tom = other_console(meeting, tmp_path)
    async with console.run_test(size=(110, 34)) as pilot:
        await wait_until(pilot, lambda: loaded(console) and console.meeting_state.idea_total == 1)
        form = await open_edit(pilot)
        tom.update_idea(the_idea(database).id, {"detail": "After 6pm"})
        form.query_one("#field-title", Input).value = "Evening clinics"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))
    idea = the_idea(database)
    assert (idea.title, idea.detail) == ("Evening clinics", "After 6pm")
