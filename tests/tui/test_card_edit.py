"""Correcting a paper card's number in the console's edit form (``e`` on an idea typed in from
a card): refused beside the field as card entry refuses it, and part of an edit like any
field (only what was changed is written; another console's change to it is asked about)."""

from __future__ import annotations

import uuid

from sqlmodel import select
from textual.widgets import Input

from meetingtui.domain.cards import capture_card_idea
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.models import Idea
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.edit_conflict import EditConflictScreen
from meetingtui.tui.screens.idea_form import IdeaFormScreen
from tests.tui.conftest import screen_text, wait_until
from tests.tui.test_edit_conflict import loaded, other_console


def idea_of(database, idea_id: uuid.UUID) -> Idea:
    with database.read() as session:
        return session.exec(select(Idea).where(Idea.id == idea_id)).one()


def card_ideas(database, meeting) -> tuple[uuid.UUID, uuid.UUID]:
    """I-0001 from card C-0005, I-0002 from card C-0007 (mistyped: the card says 6)."""
    with database.write() as session:
        ids = [
            capture_card_idea(
                session,
                meeting_id=meeting.id,
                data=IdeaInput(title=title, raised_by="Ana"),
                card_number=number,
            ).id
            for title, number in (("Benches", 5), ("Lights by the path", 7))
        ]
    return ids[0], ids[1]


async def open_edit(pilot, idea_id: uuid.UUID) -> IdeaFormScreen:
    console = pilot.app.screen
    assert isinstance(console, ConsoleScreen)
    console.open_stored_idea(idea_id)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, IdeaFormScreen))
    form = pilot.app.screen
    await wait_until(pilot, lambda: bool(form.query("#field-title")))
    # Ready once it has focused its first field (its on_mount, after every field has mounted):
    # a test that ended before that shut the app down under a list still mounting (CI).
    await wait_until(pilot, lambda: form.focused is not None)
    await pilot.pause()
    return form


async def test_a_mistyped_card_number_is_corrected_and_a_taken_one_refused(
    console, database, meeting
):
    first, second = card_ideas(database, meeting)
    async with console.run_test(size=(110, 34)) as pilot:
        await wait_until(pilot, lambda: loaded(console) and console.meeting_state.idea_total == 2)
        form = await open_edit(pilot, second)
        field = form.query_one("#field-card_number", Input)
        assert field.value == "C-0007"
        field.value = "5"  # card C-0005 is I-0001's
        await pilot.press("ctrl+s")

        def refused() -> str:
            return str(form.query_one("#error-card_number").render())

        await wait_until(pilot, lambda: "I-0001" in refused(), timeout=30)
        assert "Card C-0005 was already entered as idea I-0001" in refused()
        assert "Benches" in refused()
        assert console.screen is form and idea_of(database, second).card_number == 7
        field.value = "C-0006"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen), timeout=30)
    idea = idea_of(database, second)
    assert (idea.card_number, idea.title, idea.raised_by, idea.channel) == (
        6,
        "Lights by the path",
        "Ana",
        "card",
    )
    assert idea_of(database, first).card_number == 5


async def test_an_idea_from_no_card_has_no_card_field(console, database, meeting):
    with database.write() as session:
        spoken = capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Buses")).id
    async with console.run_test(size=(110, 34)) as pilot:
        await wait_until(pilot, lambda: loaded(console) and console.meeting_state.idea_total == 1)
        form = await open_edit(pilot, spoken)
        assert not form.query("#field-card_number")


async def test_only_the_card_number_changed_keeps_the_other_consoles_title(
    console, database, meeting, tmp_path
):
    _first, second = card_ideas(database, meeting)
    tom = other_console(meeting, tmp_path)
    async with console.run_test(size=(110, 34)) as pilot:
        await wait_until(pilot, lambda: loaded(console) and console.meeting_state.idea_total == 2)
        form = await open_edit(pilot, second)
        tom.update_idea(second, {"title": "Lights along the path"})
        form.query_one("#field-card_number", Input).value = "6"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen), timeout=30)
    idea = idea_of(database, second)
    assert (idea.card_number, idea.title) == (6, "Lights along the path")


async def test_a_card_number_changed_on_both_consoles_asks_which(
    console, database, meeting, tmp_path
):
    _first, second = card_ideas(database, meeting)
    tom = other_console(meeting, tmp_path)
    async with console.run_test(size=(110, 34)) as pilot:
        await wait_until(pilot, lambda: loaded(console) and console.meeting_state.idea_total == 2)
        form = await open_edit(pilot, second)
        tom.update_idea(second, {"card_number": "C-0009"})
        form.query_one("#field-card_number", Input).value = "10"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(console.screen, EditConflictScreen))
        text = screen_text(console)
        assert "Card number" in text and "C-0009" in text and "C-0010" in text
        assert idea_of(database, second).card_number == 9  # nothing overwritten yet
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen), timeout=30)
    assert idea_of(database, second).card_number == 9
