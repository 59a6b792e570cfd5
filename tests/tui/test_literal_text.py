"""People's words are data, never markup: text that a person typed (a phone's name, an idea, a
comment, the agenda) reaches every surface of the console literally, and never stops it.

Each test pushes strings that Textual's markup parser would choke on or style through one path and
checks that the app is still running and that the exact characters are on the screen.
"""

from __future__ import annotations

import io

import httpx
from rich.console import Console
from textual.widgets import Select
from textual.widgets._toast import Toast

from meetingtui.agenda import load_agenda
from meetingtui.domain import meetings
from meetingtui.domain.ideas import IdeaInput, add_comment, capture_idea
from meetingtui.domain.speakers import add_speaker
from meetingtui.tui.app import make_app
from meetingtui.tui.screens.confirm import ConfirmScreen
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.form_dialog import FormDialog
from meetingtui.tui.screens.idea_form import IdeaFormScreen
from meetingtui.tui.screens.moderation import ModerationScreen
from meetingtui.tui.screens.projector import ProjectorScreen
from meetingtui.tui.widgets.ideas_view import IdeasView
from meetingtui.tui.widgets.speaker_list import SpeakerList
from meetingtui.web.app import create_web_app
from meetingtui.web.server import (
    attendee_url,
    base_url_for,
    bind_listening_socket,
)
from tests.tui.conftest import ATTENDEE_URL, options_text, post_as_phone, screen_text, wait_until
from tests.web.embedded_server import EmbeddedWebServer

# Closing tags with nothing open, a link, and styling: each one crashed or styled the console.
HOSTILE = ["[/]", "[/bold]", "x [link=https://evil.example]y", "[bold red]Fire alarm"]

HOSTILE_AGENDA = """
[meeting]
title = "[bold red]Fire alarm [/] meeting"
date = 2026-12-03
start = "18:30"
timezone = "Europe/London"
topics = ["[/]", "[bold red]Fire alarm"]

[[item]]
title = "[/bold] Welcome"
minutes = 10
kind = "discussion"
presenter = "x [link=https://evil.example]y"
notes = "[/]"

[[item]]
title = "[bold red]Fire alarm"
minutes = 10
kind = "discussion"
"""


def loaded(app) -> bool:
    return isinstance(app.screen, ConsoleScreen) and app.meeting_state is not None


def rendered(renderable) -> str:
    console = Console(width=300, file=io.StringIO(), record=True)
    console.print(renderable)
    return console.export_text()


def toasts_text(app) -> str:
    """What the toasts on the current screen say, as drawn."""
    return "\n".join(str(toast.render()) for toast in app.screen.query(Toast))


def notified(app) -> str:
    return "\n".join(n.message for n in app._notifications)


async def settle(pilot, app) -> None:
    """Let the app draw (toasts included) and check it is still alive."""
    await pilot.pause()
    await pilot.pause()
    assert app.is_running and app._exception is None


async def test_phone_speakers_named_with_markup_are_shown_and_called_literally(database, meeting):
    # The town hall's fourth item onwards takes requests to speak.
    with database.write() as session:
        for _ in range(4):
            meetings.move_to_item(session, meeting_id=meeting.id, step=1)
    sock = bind_listening_socket("127.0.0.1", 0)
    url = attendee_url(base_url_for(sock), meeting.code)
    app = make_app(
        database=database,
        meeting_id=meeting.id,
        attendee_url=url,
        web_server=EmbeddedWebServer(create_web_app(database), sock),
    )
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        speakers = app.screen.query_one(SpeakerList)
        # The first over real HTTP, as a phone does; the rest through the same domain call.
        async with httpx.AsyncClient() as client:
            response = await post_as_phone(client, url, "/speakers", {"name": HOSTILE[0]})
        assert response.status_code == 303
        await wait_until(pilot, lambda: len(speakers.speakers) == 1, 5)
        await wait_until(pilot, lambda: f"{HOSTILE[0]} asked to speak" in notified(app))
        await settle(pilot, app)
        assert f"{HOSTILE[0]} asked to speak from a phone." in toasts_text(app)
        # One at a time: at most a few toasts show at once (the oldest give way).
        for number, name in enumerate(HOSTILE[1:]):
            with database.write() as session:
                add_speaker(
                    session, meeting_id=meeting.id, name=name, source="phone", device=f"d{number}"
                )
            await wait_until(pilot, lambda name=name: f"{name} asked to speak" in notified(app))
            await settle(pilot, app)
            assert f"{name} asked to speak from a phone." in toasts_text(app)
        await wait_until(pilot, lambda: len(speakers.speakers) == len(HOSTILE), 5)
        shown = options_text(speakers)
        for name in HOSTILE:
            assert name in shown

        for name in HOSTILE:  # calling each one: the toast, the timer's speaker line
            await pilot.press("c")
            await wait_until(pilot, lambda name=name: f"Now speaking: {name}." in notified(app))
            await wait_until(pilot, lambda name=name: f"speaking: {name}" in screen_text(app))
            await settle(pilot, app)
            assert f"Now speaking: {name}." in toasts_text(app)
        await pilot.press("d")
        await wait_until(pilot, lambda: f"{HOSTILE[-1]} has been heard." in notified(app))
        await settle(pilot, app)


async def test_ideas_and_comments_with_markup_show_literally_everywhere(console, database, meeting):
    with database.write() as session:
        for number, text in enumerate(HOSTILE):
            capture_idea(
                session,
                meeting_id=meeting.id,
                data=IdeaInput(
                    title=text,
                    detail=text,
                    raised_by=f"{text} {number}",
                    organisation=text,
                    publish_name=True,
                    channel="phone",
                ),
                from_public=True,
            )
            add_comment(
                session,
                meeting_id=meeting.id,
                idea_ref=f"I-{number + 1:04d}",
                body=f"comment {text}",
                author=text,
                from_public=True,
            )
    async with console.run_test(size=(140, 40), notifications=True) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await settle(pilot, console)
        shown = options_text(console.screen.query_one(IdeasView))
        for text in HOSTILE:
            assert text in shown and f"comment {text}" in shown

        await pilot.press("1", "x")  # delete asks first, quoting the idea's title
        await wait_until(pilot, lambda: isinstance(console.screen, ConfirmScreen))
        await settle(pilot, console)
        assert "[bold red]Fire alarm" in screen_text(console)
        await pilot.press("n")

        await pilot.press("e")  # the edit form carries the text as typed
        await wait_until(pilot, lambda: isinstance(console.screen, IdeaFormScreen))
        await settle(pilot, console)
        assert console.screen.query_one("#field-title").value == "[bold red]Fire alarm"
        await pilot.press("escape")  # nothing was changed: closes without asking
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))

        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(console.screen, ModerationScreen))
        await settle(pilot, console)
        listed = options_text(console.screen.query_one("#moderation-list"))
        for text in HOSTILE:
            assert text in listed and f"comment {text}" in listed
        await pilot.press("h")  # hiding one says so in a toast naming nothing but the kind
        await settle(pilot, console)
        await pilot.press("escape")

        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(console.screen, ProjectorScreen))
        await settle(pilot, console)
        projected = screen_text(console)
        for text in HOSTILE[1:]:
            assert text in projected


async def test_agenda_text_with_markup_shows_literally(database, tmp_path):
    path = tmp_path / "hostile.toml"
    path.write_text(HOSTILE_AGENDA, encoding="utf-8")
    with database.write() as session:
        created = meetings.create_meeting(session, agenda=load_agenda(path), code="hostile234")
        meetings.start_meeting(session, meeting_id=created.id)
    app = make_app(database=database, meeting_id=created.id, attendee_url=ATTENDEE_URL)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await settle(pilot, app)
        text = screen_text(app)
        assert "[bold red]Fire alarm [/] meeting" in text  # the header
        assert "[/bold] Welcome" in text  # the timer's title
        assert "x [link=https://evil.example]y" in text  # the presenter
        assert "[/bold] Welcome" in rendered(app.screen.query_one("#agenda").render())

        await pilot.press("r")  # the record form's heading names the item
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        await settle(pilot, app)
        assert "[/bold] Welcome" in app.screen.query_one("#form-dialog").border_title
        await pilot.press("escape")

        await pilot.press("i")  # the idea form lists the agenda's topics as written
        await wait_until(pilot, lambda: isinstance(app.screen, IdeaFormScreen))
        topic = app.screen.query_one("#field-topic", Select)
        topic.value = "[bold red]Fire alarm"
        await settle(pilot, app)
        topic.expanded = True
        await settle(pilot, app)
        assert "[bold red]Fire alarm" in screen_text(app)
        topic.expanded = False
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))

        await pilot.press("plus")  # "<title>: 15 minutes planned"
        await wait_until(pilot, lambda: "[/bold] Welcome: 15 minutes planned." in notified(app))
        await pilot.press("n")  # "Now: <title>"
        await wait_until(pilot, lambda: "Now: [bold red]Fire alarm" in notified(app))
        await settle(pilot, app)
        assert "Now: [bold red]Fire alarm" in toasts_text(app)

        await pilot.press("a")  # the agenda screen, its add dialog naming the item after
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "AgendaScreen")
        await settle(pilot, app)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        await settle(pilot, app)
        assert "[bold red]Fire alarm" in app.screen.query_one("#form-dialog").border_title
        await pilot.press("escape")
        await pilot.press("s")  # skip asks, quoting the title
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await settle(pilot, app)
        assert "Skip “[bold red]Fire alarm”?" in screen_text(app)
        await pilot.press("n")

        await pilot.press("escape")
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectorScreen))
        await settle(pilot, app)
        projected = screen_text(app)
        assert "[bold red]Fire alarm [/] meeting" in projected
        assert "[bold red]Fire alarm" in projected
