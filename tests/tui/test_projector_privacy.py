"""The projector shows the room only what the facilitator chose: no operator notifications over
it (they wait until the console is back), and only public content: no input waiting for or hidden
by a moderator, no deleted ideas, no names."""

from __future__ import annotations

from textual.widgets._toast import Toast

from meetingtui.domain import meetings
from meetingtui.domain.ideas import IdeaInput, capture_idea, set_idea_deleted
from meetingtui.domain.models import Meeting
from meetingtui.domain.moderation import set_visibility
from meetingtui.domain.speakers import add_speaker
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.projector import ProjectorScreen
from tests.tui.conftest import screen_text, wait_until

PHONE_NAME = "Sam, call me on 07700 900123"


def loaded(app) -> bool:
    return isinstance(app.screen, ConsoleScreen) and app.meeting_state is not None


def toasts(app) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query(Toast) if toast.display]


async def test_notifications_wait_while_the_projector_shows(console, database, meeting):
    with database.write() as session:
        for _ in range(4):  # the open floor takes requests to speak
            meetings.move_to_item(session, meeting_id=meeting.id, step=1)
    async with console.run_test(size=(120, 36), notifications=True) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(console.screen, ProjectorScreen))
        projector = console.screen
        with database.write() as session:
            add_speaker(
                session, meeting_id=meeting.id, name=PHONE_NAME, source="phone", device="d1"
            )
        await wait_until(pilot, lambda: bool(console.held_notifications))
        await pilot.pause()
        assert console.screen is projector
        assert toasts(console) == []
        assert PHONE_NAME not in screen_text(console)
        console.notify("An operator's own message")  # anything said goes to the operator later
        await pilot.pause()
        assert toasts(console) == []

        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))
        await wait_until(pilot, lambda: any(PHONE_NAME in t for t in toasts(console)))
        assert any("An operator's own message" in t for t in toasts(console))
        assert console.held_notifications == []


async def test_the_projector_shows_only_public_ideas_and_no_names(console, database, meeting):
    with database.write() as session:
        session.get(Meeting, meeting.id).moderation = "pre"
    with database.write() as session:
        shown = capture_idea(
            session,
            meeting_id=meeting.id,
            data=IdeaInput(title="Shown idea", raised_by="Private Person", channel="phone"),
        )
        waiting = capture_idea(
            session,
            meeting_id=meeting.id,
            data=IdeaInput(title="Waiting idea", channel="phone"),
            from_public=True,
        )
        hidden = capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Hidden idea"))
        deleted = capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Deleted idea"))
        set_visibility(
            session,
            meeting_id=meeting.id,
            entity="idea",
            entity_id=hidden.id,
            visibility="hidden",
        )
        set_idea_deleted(session, meeting_id=meeting.id, idea_id=deleted.id, deleted=True)
    assert shown.visibility == "visible" and waiting.visibility == "pending"
    async with console.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(console.screen, ProjectorScreen))
        await wait_until(pilot, lambda: "Shown idea" in screen_text(console))
        text = screen_text(console)
        for private in ("Waiting idea", "Hidden idea", "Deleted idea", "Private Person"):
            assert private not in text
