"""The console driven from the keyboard, checked against the database and the widgets."""

from __future__ import annotations

import httpx
from sqlmodel import select
from textual.widgets import Input, Select, Static, TextArea

from meetingtui.domain.ideas import IdeaInput, add_comment, capture_idea
from meetingtui.domain.meetings import agenda_items
from meetingtui.domain.models import Idea, Meeting
from meetingtui.tui.app import make_app
from meetingtui.tui.screens.confirm import ConfirmScreen
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.idea_form import IdeaFormScreen
from meetingtui.tui.widgets.agenda_panel import AgendaPanel
from meetingtui.tui.widgets.ideas_view import IdeasView
from meetingtui.web.server import (
    attendee_url,
    base_url_for,
    bind_listening_socket,
)
from tests.tui.conftest import options_text, post_as_phone, wait_until


def console_loaded(app) -> bool:
    return isinstance(app.screen, ConsoleScreen) and app.meeting_state is not None


def ideas_text(app) -> str:
    """What the ideas view shows, as plain text."""
    return options_text(app.screen.query_one(IdeasView))


def current_item_id(database, meeting_id):
    with database.read() as session:
        return session.get(Meeting, meeting_id).current_item_id


async def test_capture_an_idea_with_the_keyboard(console, database, meeting):
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: console_loaded(console))
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(console.screen, IdeaFormScreen))
        assert console.focused is console.screen.query_one("#field-title", Input)
        await pilot.press(*"Evening GP appointments")
        await pilot.press("tab", "tab", "tab")  # detail, topic, stakeholder
        stakeholder = console.screen.query_one("#field-stakeholder", Select)
        assert console.focused is stakeholder
        await pilot.press("enter", *"car", "enter")
        await wait_until(pilot, lambda: stakeholder.value == "carer")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))
        await wait_until(pilot, lambda: "Evening GP appointments" in ideas_text(console))

        with database.read() as session:
            ideas = list(session.exec(select(Idea)))
        assert [(i.ref, i.title, i.stakeholder, i.channel) for i in ideas] == [
            ("I-0001", "Evening GP appointments", "carer", "spoken")
        ]
        assert ideas[0].agenda_item_id == meeting.current_item_id
        assert console.screen.query_one(IdeasView).shown_refs == ["I-0001"]
        assert "Carer" in ideas_text(console)


async def test_next_and_previous_move_the_agenda_and_keep_times(console, database, meeting):
    first, second = (item.id for item in agenda_items_of(database, meeting.id)[:2])
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: console_loaded(console))
        await pilot.press("n")
        await wait_until(pilot, lambda: current_item_id(database, meeting.id) == second)
        agenda = console.screen.query_one(AgendaPanel)
        await wait_until(pilot, lambda: agenda.current_id == second)

        await pilot.press("p")
        await wait_until(pilot, lambda: current_item_id(database, meeting.id) == first)
        await wait_until(pilot, lambda: agenda.current_id == first)

    items = {item.id: item for item in agenda_items_of(database, meeting.id)}
    assert items[first].status == "active" and items[first].elapsed_seconds > 0
    assert items[second].status == "done" and items[second].elapsed_seconds > 0


async def test_refused_move_is_a_notification_not_a_crash(console):
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: console_loaded(console))
        await pilot.press("p")
        await wait_until(
            pilot,
            lambda: any("first item" in n.message for n in console._notifications),
        )
        assert console.is_running


async def test_validation_error_keeps_the_typed_text(console, database):
    async with console.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: console_loaded(console))
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(console.screen, IdeaFormScreen))
        await pilot.press("tab", *"Buses stop at 6pm", "tab", "tab", "tab", "tab", *"Sam")
        await pilot.press("ctrl+s")
        form = console.screen
        error = form.query_one("#error-title", Static)
        await wait_until(pilot, lambda: error.has_class("-shown"))

        assert isinstance(console.screen, IdeaFormScreen)
        assert "Enter a title for your idea" in str(error.render())
        assert form.query_one("#field-detail", TextArea).text == "Buses stop at 6pm"
        assert form.query_one("#field-raised_by", Input).value == "Sam"
        assert console.focused is form.query_one("#field-title", Input)
        with database.read() as session:
            assert list(session.exec(select(Idea))) == []

        await pilot.press(*"Later buses")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))
        with database.read() as session:
            idea = session.exec(select(Idea)).one()
        assert (idea.title, idea.detail, idea.raised_by) == (
            "Later buses",
            "Buses stop at 6pm",
            "Sam",
        )


async def test_escape_with_typed_text_asks_before_discarding(console, database):
    async with console.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: console_loaded(console))
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(console.focused, Input))  # the form's title
        await pilot.press(*"Half-typed idea", "escape")
        await wait_until(pilot, lambda: isinstance(console.screen, ConfirmScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(console.screen, IdeaFormScreen))
        assert console.screen.query_one("#field-title", Input).value == "Half-typed idea"

        await pilot.press("escape", "y")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))
        with database.read() as session:
            assert list(session.exec(select(Idea))) == []

        await pilot.press("i", "escape")  # nothing typed: closes at once
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))

        # Only zero-width characters (pasted, say) are nothing typed too; an emoji is something.
        for typed, asks in (("\u200b\u200d\ufeff", False), ("\U0001f44d\U0001f3fd", True)):
            await pilot.press("i")
            await wait_until(pilot, lambda: isinstance(console.focused, Input))
            console.screen.query_one("#field-title", Input).value = typed
            await pilot.press("escape")
            if asks:
                await wait_until(pilot, lambda: isinstance(console.screen, ConfirmScreen))
                await pilot.press("y")
            await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))


async def test_comment_written_elsewhere_appears_live(console, database, meeting):
    with database.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Evening clinics"))
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: "Evening clinics" in ideas_text(console))
        with database.write() as session:
            add_comment(
                session,
                meeting_id=meeting.id,
                idea_ref="I-0001",
                body="Saturdays too, please",
                from_public=True,
            )
        await wait_until(pilot, lambda: "Saturdays too" in ideas_text(console))


async def test_attendee_comment_over_http_reaches_the_console(database, meeting, tmp_path):
    """The real shape of ``meetingtui run``: the attendee web in its own process on the console's
    socket; its commit wakes the console's feed, and the comment is drawn."""
    from meetingtui.web.process import WebProcess

    with database.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Evening clinics"))
    sock = bind_listening_socket("127.0.0.1", 0)
    base = base_url_for(sock)
    url = attendee_url(base, meeting.code)
    web = WebProcess(
        database_url=database.url,
        sock=sock,
        base_url=base,
        log_path=tmp_path / "web.log",
        errors_path=tmp_path / "web-errors.log",
    )
    app = make_app(database=database, meeting_id=meeting.id, attendee_url=url, web_server=web)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: "Evening clinics" in ideas_text(app))
        await wait_until(pilot, lambda: app._web_start is not None and app._web_start.done(), 60)
        assert app.web_server is web and web.process is not None
        wakes: list[None] = []
        follower = app.follower
        assert follower is not None
        original_wake = follower.wake
        follower.wake = lambda: (wakes.append(None), original_wake())  # type: ignore[method-assign]
        async with httpx.AsyncClient() as client:
            response = await post_as_phone(
                client, url, "/ideas/I-0001/comments", {"body": "A bus from the estate"}
            )
        assert response.status_code == 303
        await wait_until(pilot, lambda: "A bus from the estate" in ideas_text(app))
        assert wakes, "the web's commit did not wake the console's feed"
    assert sock.fileno() == -1  # the web stopped with the console and released the port
    assert web.process is None


async def test_console_actions_are_in_the_command_palette(console):
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: console_loaded(console))
        titles = [command.title for command in console.get_system_commands(console.screen)]
    assert {"Capture an idea", "Next agenda item", "Previous agenda item"} <= set(titles)
    assert {"Export minutes…", "High-contrast theme", "Close the meeting"} <= set(titles)


def agenda_items_of(database, meeting_id):
    with database.read() as session:
        return agenda_items(session, meeting_id)
