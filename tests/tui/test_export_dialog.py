"""Exporting from the console never writes over a file without a yes."""

from __future__ import annotations

from textual.widgets import Input

from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.tui.screens.confirm import ConfirmScreen
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.export import ExportDialog
from tests.tui.conftest import screen_text, wait_until


def loaded(app) -> bool:
    return isinstance(app.screen, ConsoleScreen) and app.meeting_state is not None


async def test_an_existing_file_is_replaced_only_after_a_yes(console, database, meeting, tmp_path):
    with database.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Evening clinics"))
    target = tmp_path / "minutes.md"
    target.write_text("Last week's minutes", encoding="utf-8")
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("E")
        await wait_until(pilot, lambda: isinstance(console.screen, ExportDialog))
        dialog = console.screen
        dialog.query_one("#field-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(console.screen, ConfirmScreen))
        assert "Replace minutes.md?" in screen_text(console)
        await pilot.press("n")
        await wait_until(pilot, lambda: console.screen is dialog)
        assert target.read_text(encoding="utf-8") == "Last week's minutes"

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(console.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen), 10)
    assert "Evening clinics" in target.read_text(encoding="utf-8")


async def test_a_new_file_is_written_without_a_question(console, tmp_path):
    target = tmp_path / "new.md"
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("E")
        await wait_until(pilot, lambda: isinstance(console.screen, ExportDialog))
        console.screen.query_one("#field-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen), 10)
    assert target.is_file()
