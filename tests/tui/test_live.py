"""Several terminals, one meeting: changes made elsewhere (another terminal, another laptop on a
shared PostgreSQL) show within a second, and two note-takers capture at once without clashes."""

from __future__ import annotations

from sqlmodel import select

from meetingtui.agenda import load_agenda
from meetingtui.domain import meetings
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.models import Idea
from meetingtui.store.database import Database
from meetingtui.tui.app import make_app
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.idea_form import IdeaFormScreen
from meetingtui.tui.widgets.agenda_panel import AgendaPanel
from meetingtui.tui.widgets.ideas_view import IdeasView
from tests.conftest import TOWN_HALL
from tests.tui.conftest import ATTENDEE_URL, wait_until


def loaded(app) -> bool:
    return isinstance(app.screen, ConsoleScreen) and app.meeting_state is not None


async def follows_another_writer(app, other: Database, meeting_id) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        agenda = app.screen.query_one(AgendaPanel)
        with other.write() as session:
            second = meetings.move_to_item(session, meeting_id=meeting_id, step=1)
        await wait_until(pilot, lambda: agenda.current_id == second.id)
        with other.write() as session:
            capture_idea(session, meeting_id=meeting_id, data=IdeaInput(title="From elsewhere"))
        ideas = app.screen.query_one(IdeasView)
        await wait_until(pilot, lambda: ideas.shown_refs == ["I-0001"])


async def test_a_second_terminal_on_the_same_file_shows_live(console, database, meeting):
    other = Database.open(
        database.url, migrate=True
    )  # another process's connection to the same file
    try:
        await follows_another_writer(console, other, meeting.id)
    finally:
        other.close()


async def test_a_shared_postgresql_meeting_shows_live(postgres_url):
    here, there = (
        Database.open(postgres_url, migrate=True),
        Database.open(postgres_url, migrate=True),
    )
    try:
        with here.write() as session:
            meeting = meetings.create_meeting(session, agenda=load_agenda(TOWN_HALL))
            meetings.start_meeting(session, meeting_id=meeting.id)
        app = make_app(database=here, meeting_id=meeting.id, attendee_url=ATTENDEE_URL)
        await follows_another_writer(app, there, meeting.id)
    finally:
        here.close()
        there.close()


async def test_two_note_takers_capture_at_once(database, meeting):
    other = Database.open(database.url, migrate=True)
    one = make_app(
        database=database,
        meeting_id=meeting.id,
        attendee_url=ATTENDEE_URL,
        operator="Priya",
        draft_owner="pane-1",
    )
    two = make_app(
        database=other,
        meeting_id=meeting.id,
        attendee_url=ATTENDEE_URL,
        operator="Tom",
        draft_owner="pane-2",
    )
    try:
        async with one.run_test(size=(100, 30)) as p1, two.run_test(size=(100, 30)) as p2:
            await wait_until(p1, lambda: loaded(one))
            await wait_until(p2, lambda: loaded(two))
            await p1.press("i")
            await p2.press("i")
            await wait_until(p1, lambda: isinstance(one.screen, IdeaFormScreen))
            await wait_until(p2, lambda: isinstance(two.screen, IdeaFormScreen))
            await p1.press(*"Bus")
            await p2.press(*"Hours")
            await p1.press("ctrl+s")
            await p2.press("ctrl+s")
            for pilot, app in ((p1, one), (p2, two)):
                ideas = app.screen.query_one(IdeasView) if loaded(app) else None
                await wait_until(pilot, lambda app=app: loaded(app))
                ideas = app.screen.query_one(IdeasView)
                await wait_until(pilot, lambda ideas=ideas: len(ideas.shown_refs) == 2, 2.0)
    finally:
        other.close()
    with database.read() as session:
        rows = {(i.title, i.captured_by) for i in session.exec(select(Idea))}
        refs = sorted(i.ref for i in session.exec(select(Idea)))
    assert rows == {("Bus", "Priya"), ("Hours", "Tom")}
    assert refs == ["I-0001", "I-0002"]
