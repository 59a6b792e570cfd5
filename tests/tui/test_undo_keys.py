"""``u`` in the console: the newest action, named; nothing older reached past it."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import Input

from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.models import Idea, Speaker
from meetingtui.tui.screens.confirm import ConfirmScreen
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.widgets.ideas_view import IdeasView
from meetingtui.tui.widgets.speaker_list import SpeakerList
from tests.tui.conftest import wait_until


def loaded(app) -> bool:
    return isinstance(app.screen, ConsoleScreen) and app.meeting_state is not None


def said(app, text: str) -> bool:
    return any(text in n.message for n in app._notifications)


def sam_status(database) -> str | None:
    with database.read() as session:
        sam = session.exec(select(Speaker).where(Speaker.name == "Sam")).first()
        return sam.status if sam else None


def idea_deleted(database) -> bool:
    with database.read() as session:
        return session.exec(select(Idea)).one().deleted_at is not None


async def test_u_undoes_the_withdrawal_just_made_not_the_older_delete(console, database, meeting):
    with database.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Evening clinics"))
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("u")
        await wait_until(pilot, lambda: said(console, "Nothing to undo."))

        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(console.focused, Input))
        await pilot.press(*"Sam", "ctrl+s")
        await wait_until(pilot, lambda: sam_status(database) == "waiting")

        ideas = console.screen.query_one(IdeasView)
        await wait_until(pilot, lambda: ideas.shown_refs == ["I-0001"])
        await pilot.press("1", "x")
        await wait_until(pilot, lambda: isinstance(console.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: idea_deleted(database))

        speakers = console.screen.query_one(SpeakerList)
        await wait_until(pilot, lambda: len(speakers.speakers) == 1)
        await pilot.press("2", "w")
        await wait_until(pilot, lambda: sam_status(database) == "withdrawn")

        await pilot.press("u")
        await wait_until(pilot, lambda: sam_status(database) == "waiting")
        await wait_until(pilot, lambda: said(console, "Undone: withdrawing Sam"))
        assert idea_deleted(database)  # the older delete stays until asked

        await pilot.press("u")
        await wait_until(pilot, lambda: not idea_deleted(database))
        await wait_until(pilot, lambda: said(console, "Undone: deleting idea I-0001"))
