"""The room: moderation, the projector with its QR codes, closing the meeting, exports, help,
the command palette and themes."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.command import CommandList, CommandPalette
from textual.widgets import Input

from meetingtui.domain.errors import MeetingClosed
from meetingtui.domain.ideas import IdeaInput, add_comment, capture_idea
from meetingtui.domain.models import Comment, Idea, Meeting
from meetingtui.domain.speakers import add_speaker
from meetingtui.tui.app import HIGH_CONTRAST, make_app
from meetingtui.tui.screens.confirm import ConfirmScreen
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.export import ExportDialog
from meetingtui.tui.screens.help import HelpScreen
from meetingtui.tui.screens.moderation import ModerationScreen
from meetingtui.tui.screens.projector import ProjectorScreen
from meetingtui.tui.widgets.big_text import BigText
from meetingtui.tui.widgets.ideas_view import IdeasView
from meetingtui.tui.widgets.meeting_header import MeetingHeader
from meetingtui.tui.widgets.qr_code import QrCode, wifi_payload
from tests.tui.conftest import ATTENDEE_URL, screen_text, wait_until


def loaded(app) -> bool:
    return isinstance(app.screen, ConsoleScreen) and app.meeting_state is not None


def visibility(database, model, **where) -> str:
    with database.read() as session:
        query = select(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return session.exec(query).one().visibility


async def test_pre_moderation_waits_for_approval(console, database, meeting):
    with database.write() as session:
        session.get(Meeting, meeting.id).moderation = "pre"
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        with database.write() as session:
            capture_idea(
                session,
                meeting_id=meeting.id,
                data=IdeaInput(title="Free parking for carers", channel="phone"),
                from_public=True,
            )
        header = console.screen.query_one(MeetingHeader)
        await wait_until(pilot, lambda: header.waiting == 1)
        assert "1 waiting (m)" in screen_text(console)
        assert any("Press m to moderate" in n.message for n in console._notifications)

        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(console.screen, ModerationScreen))
        await wait_until(pilot, lambda: "1 idea and 0 comments waiting." in screen_text(console))
        await pilot.press("a")
        await wait_until(pilot, lambda: visibility(database, Idea, ref="I-0001") == "visible")
        await wait_until(pilot, lambda: header.waiting == 0)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))
        ideas = console.screen.query_one(IdeasView)
        await wait_until(pilot, lambda: ideas.shown_refs == ["I-0001"])


async def test_post_moderation_shows_at_once_and_can_hide(console, database, meeting):
    with database.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Evening clinics"))
        add_comment(
            session,
            meeting_id=meeting.id,
            idea_ref="I-0001",
            body="Something rude",
            from_public=True,
        )
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(console.screen, ModerationScreen))
        moderation = console.screen
        assert [e.text for e in moderation.entries] == ["Something rude"]
        await pilot.press("h")
        await wait_until(pilot, lambda: visibility(database, Comment) == "hidden")
        await wait_until(pilot, lambda: moderation.entries[0].visibility == "hidden")
        await pilot.press("a")  # shown again, after a question: it was a moderator's decision
        await wait_until(pilot, lambda: isinstance(console.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: visibility(database, Comment) == "visible")


async def test_projector_shows_both_qr_codes_the_url_and_live_ideas(database, meeting):
    app = make_app(
        database=database,
        meeting_id=meeting.id,
        attendee_url=ATTENDEE_URL,
        wifi_ssid="TownHall-Guest",
        wifi_password="hall;2026",
    )
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectorScreen))
        codes = {q.id: q.data for q in app.screen.query(QrCode)}
        assert codes == {
            "projector-qr": ATTENDEE_URL,
            "projector-wifi-qr": wifi_payload("TownHall-Guest", "hall;2026"),
        }
        assert codes["projector-wifi-qr"] == "WIFI:T:WPA;S:TownHall-Guest;P:hall\\;2026;;"
        big = app.screen.query_one(BigText)
        assert big.text == "192.168.1.20:8765/m/testcode23"
        assert "Welcome and how tonight works" in screen_text(app)

        with database.write() as session:
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Shuttle bus"))
        await wait_until(pilot, lambda: "Shuttle bus" in screen_text(app))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))


async def test_projector_without_wifi_has_one_code_that_grows(console):
    async with console.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(console.screen, ProjectorScreen))
        await wait_until(pilot, lambda: len(console.screen.query(QrCode)) == 1)
        (code,) = console.screen.query(QrCode)
        big = console.screen.query_one(BigText)  # the join address in large type, host then path

        def laid_out() -> bool:  # sizes are known once the projector's layout has run
            size = code.content_size
            return code.scale_for(size.width, size.height) >= 2 and big.big_lines(
                big.content_size.width
            ) == ["192.168.1.20:8765/", "m/testcode23"]

        await wait_until(pilot, laid_out)


async def test_closing_asks_then_stops_attendee_input(console, database, meeting):
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("X")
        await wait_until(pilot, lambda: isinstance(console.screen, ConfirmScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))
        with database.read() as session:
            assert session.get(Meeting, meeting.id).status == "running"
        await pilot.press("X")
        await wait_until(pilot, lambda: isinstance(console.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: "closed" in screen_text(console))
    with database.read() as session:
        closed = session.get(Meeting, meeting.id)
        assert closed.status == "closed" and closed.closed_at is not None
    with pytest.raises(MeetingClosed), database.write() as session:
        capture_idea(
            session, meeting_id=meeting.id, data=IdeaInput(title="Too late"), from_public=True
        )
    with pytest.raises(Exception), database.write() as session:  # noqa: B017, PT011
        add_speaker(session, meeting_id=meeting.id, name="Late", source="phone")


async def test_export_minutes_from_the_console(console, database, meeting, tmp_path):
    with database.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Evening clinics"))
    target = tmp_path / "minutes.html"
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("E")
        await wait_until(pilot, lambda: isinstance(console.screen, ExportDialog))
        dialog = console.screen
        path = dialog.query_one("#field-path", Input)
        assert path.value == "minutes-testcode23.md"
        dialog.query_one("#field-format").value = "html"
        await wait_until(pilot, lambda: path.value == "minutes-testcode23.html")
        path.value = str(tmp_path / "no-such-folder" / "m.html")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: dialog.query_one("#error-path").has_class("-shown"))
        path.value = str(target)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen), 10)
        await wait_until(
            pilot, lambda: any(str(target) in n.message for n in console._notifications)
        )
    assert "Evening clinics" in target.read_text(encoding="utf-8")


async def test_help_lists_every_console_key(console):
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(console.screen, HelpScreen))
        text = screen_text(console)
        for binding in ConsoleScreen.BINDINGS:
            assert (binding.tooltip or binding.description) in text
        assert "Approve or show again" in text and "Jump to" in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))


async def test_every_key_is_in_the_palette_and_the_palette_runs_it(console, database, meeting):
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        titles = {c.title for c in console.get_system_commands(console.screen)}
        for binding in ConsoleScreen.BINDINGS:
            if binding.action != "app.quit":
                assert (binding.tooltip or binding.description) in titles
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(console.screen, CommandPalette))
        palette = console.screen
        await pilot.press(*"Next agenda")
        options = palette.query_one(CommandList)

        def found() -> bool:
            first = options.get_option_at_index(0) if options.option_count else None
            return first is not None and "Next agenda" in str(first.prompt)

        await wait_until(pilot, found)
        await pilot.press("enter")
        await wait_until(pilot, lambda: current_position(database, meeting) == 1)


async def test_ctrl_t_cycles_to_terminal_colours_and_high_contrast(console):
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("ctrl+t")
        assert console.theme == "ansi-dark"
        await pilot.press("ctrl+t")
        assert console.theme == HIGH_CONTRAST.name


def current_position(database, meeting) -> int:
    from meetingtui.domain.meetings import agenda_items

    with database.read() as session:
        current = session.get(Meeting, meeting.id).current_item_id
        return [i.id for i in agenda_items(session, meeting.id)].index(current)


async def test_small_projector_shows_one_code_at_a_time(database, meeting):
    app = make_app(
        database=database, meeting_id=meeting.id, attendee_url=ATTENDEE_URL, wifi_ssid="Hall"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectorScreen))
        await wait_until(pilot, lambda: app.screen.has_class("-one-code"))

        def shown() -> list[str]:
            return [q.id for q in app.screen.query(QrCode) if q.parent.display]

        assert shown() == ["projector-wifi-qr"]
        await pilot.press("w")
        assert shown() == ["projector-qr"]


async def test_head_count_and_the_qr_panel_toggle(console, database, meeting):
    from meetingtui.tui.screens.form_dialog import FormDialog
    from meetingtui.tui.widgets.join_panel import JoinPanel

    async with console.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(console.screen, FormDialog))
        await pilot.press(*"abc", "enter")  # refused: the message says what to type
        dialog = console.screen
        await wait_until(pilot, lambda: dialog.query_one("#error-count").has_class("-shown"))
        dialog.query_one("#field-count", Input).value = "112"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))
        with database.read() as session:
            assert session.get(Meeting, meeting.id).attendance == 112

        join = console.screen.query_one(JoinPanel)
        ideas_width = console.screen.query_one(IdeasView).size.width
        await pilot.press("j")
        await pilot.pause()
        assert not join.display
        assert console.screen.query_one(IdeasView).size.width > ideas_width
        await pilot.press("j")
        assert join.display
