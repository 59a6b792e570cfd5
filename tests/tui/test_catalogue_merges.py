"""The catalogue screen's merge (g), unmerge (U) and split (Y), with confirmation and undo,
on the programme of test_catalogue_screen.py: Textual pilots on a real SQLite file."""

from __future__ import annotations

from textual.widgets import Input, Static

from meetingtui.tui.screens.catalogue import CatalogueScreen
from meetingtui.tui.screens.confirm import ConfirmScreen
from meetingtui.tui.screens.form_dialog import FormDialog
from tests.tui.conftest import wait_until
from tests.tui.test_catalogue_screen import app_for, opened, programme, shown, stored

__all__ = ["programme"]  # the fixture


async def test_merge_asks_shows_both_titles_and_undoes(programme):
    app = app_for(programme)
    kept = stored(programme, "Café at the station")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot, app)
        screen.set_view(screen.view.__class__(text="night"))
        await wait_until(pilot, lambda: len(screen.rows) == 1 and screen.view.text == "night")
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        dialog = app.screen
        dialog.query_one("#field-into", Input).value = "nowhere/I-0099"
        await pilot.press("ctrl+s")
        error = dialog.query_one("#error-into", Static)
        await wait_until(pilot, lambda: "No idea nowhere/I-0099" in str(error.render()))
        dialog.query_one("#field-into", Input).value = f"eastcode23/{kept.ref}"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = app.screen
        assert "Café at the station" in question.question and "Night buses" in question.detail
        await pilot.press("y")
        await wait_until(pilot, lambda: stored(programme, "Night buses").status == "merged")
        assert stored(programme, "Night buses").merged_into_id == kept.id
        await wait_until(pilot, lambda: isinstance(app.screen, CatalogueScreen))
        await wait_until(
            pilot, lambda: screen.catalogue is not None and screen.catalogue.can_undo()
        )
        await pilot.press("u")
        await wait_until(pilot, lambda: stored(programme, "Night buses").status == "new")

        # merged again, then U unmerges it after asking
        screen.catalogue.merge([stored(programme, "Night buses").id], kept.id)
        screen.reload()
        await wait_until(
            pilot, lambda: len(screen.rows) == 1 and screen.rows[0].idea.status == "merged"
        )
        await pilot.press("U")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: stored(programme, "Night buses").status == "new")


async def test_detail_pane_lists_sources_and_split_splits(programme):
    app = app_for(programme)
    kept = stored(programme, "Café at the station")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot, app)
        assert screen.catalogue is not None
        screen.catalogue.merge([stored(programme, "Night buses").id], kept.id)
        screen.set_view(screen.view.__class__(text="station"))
        await wait_until(pilot, lambda: len(screen.rows) == 1 and screen.view.text == "station")
        await pilot.press("enter")
        detail = screen.query_one("#cat-detail-text", Static)
        await wait_until(pilot, lambda: "Sources merged into it: 1" in shown(detail))
        text = shown(detail)
        assert "Night buses" in text and "Attendee phone" in text
        assert "Supports: 1 (each device once" in text  # d0 supported both? only the café
        assert "on I-" in text and "comment 2" in text  # Night buses' comments, marked
        await pilot.press("escape")
        await pilot.press("Y")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        app.screen.query_one("#field-titles").text = "Coffee\nWarm waiting room"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: stored(programme, "Coffee").split_from_id == kept.id)
        assert stored(programme, "Warm waiting room").captured_at == kept.captured_at
