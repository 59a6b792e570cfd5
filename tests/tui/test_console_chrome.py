"""The console's frame: the footer keeps the main keys on screen at 80 and 100 columns (help
lists every key), toasts never pile up, the theme is named in the console's words and counts
agree with their nouns."""

from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey

from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.models import Meeting
from meetingtui.domain.words import counted
from meetingtui.tui.app import MAX_TOASTS
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.help import HelpScreen
from tests.tui.conftest import screen_text, wait_until

MAIN_KEYS = ["i", "n", "s", "c", "a", "m", "v", "question_mark"]


def loaded(app) -> bool:
    return isinstance(app.screen, ConsoleScreen) and app.meeting_state is not None


def keys_wholly_shown(app) -> set[str]:
    """The footer keys drawn whole: inside the screen, and not under the palette's key."""
    width = app.screen.size.width
    palette = [k for k in app.screen.query(FooterKey) if k.action == "app.command_palette"]
    limit = palette[0].region.x if palette else width
    return {
        key.key
        for key in app.screen.query(FooterKey)
        if key.region.width and key.region.right <= limit
    }


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
@pytest.mark.parametrize("panel", ["1", "2", "3"])
async def test_the_main_keys_stay_in_the_footer(console, size, panel):
    async with console.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press(panel)  # whichever panel has the focus
        await wait_until(pilot, lambda: set(MAIN_KEYS) <= keys_wholly_shown(console))


async def test_help_still_lists_the_keys_the_footer_leaves_out(console):
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        hidden = [b for b in ConsoleScreen.BINDINGS if not b.show]
        assert {b.key for b in hidden} >= {"p", "E", "X", "ctrl+t", "u"}
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(console.screen, HelpScreen))
        text = screen_text(console)
        for binding in hidden:
            assert (binding.tooltip or binding.description) in text
        assert "Edit the highlighted idea" in text


async def test_ctrl_t_names_the_themes_in_the_console_s_words(console):
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        said = []
        for _ in range(3):
            await pilot.press("ctrl+t")
            said.append(list(console._notifications)[-1].message)
        assert said == ["Theme: terminal colours", "Theme: high contrast", "Theme: default"]
        assert not any("textual" in text for text in said)


async def test_toasts_do_not_pile_up(console):
    async with console.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        for number in range(8):
            console.notify(f"Message {number}")
        await wait_until(
            pilot,
            lambda: (
                [n.message for n in console._notifications]
                == [f"Message {n}" for n in range(8 - MAX_TOASTS, 8)]
            ),
        )


async def test_the_waiting_count_agrees_with_its_noun(console, database, meeting):
    with database.write() as session:
        session.get(Meeting, meeting.id).moderation = "pre"
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        with database.write() as session:
            capture_idea(
                session,
                meeting_id=meeting.id,
                data=IdeaInput(title="From a phone", channel="phone"),
                from_public=True,
            )
        await wait_until(
            pilot,
            lambda: any(
                n.message == "1 attendee contribution waiting. Press m to moderate."
                for n in console._notifications
            ),
        )
        assert not any("(s)" in n.message for n in console._notifications)


def test_counted_nouns():
    assert counted(1, "idea") == "1 idea"
    assert counted(0, "idea") == "0 ideas"
    assert counted(2, "comment") == "2 comments"
    assert counted(4000, "person", "people") == "4,000 people"


async def test_the_console_s_qr_code_is_whole_or_replaced_by_the_address(console):
    from meetingtui.tui.widgets.join_panel import JoinPanel, JoinUrl
    from meetingtui.tui.widgets.qr_code import QrCode

    async with console.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        panel = console.screen.query_one(JoinPanel)
        qr = panel.query_one(QrCode)
        await wait_until(pilot, lambda: qr.display and qr.drawn_whole)
        await pilot.resize_terminal(80, 20)  # too short for the whole code
        await wait_until(pilot, lambda: not qr.display)
        assert panel.query_one("#join-no-code").display
        url = panel.query_one(JoinUrl)
        assert url.render().plain == "http://192.168.1.20:8765/m/testcode23"
        await pilot.resize_terminal(60, 30)  # too narrow: the address breaks after a slash
        await wait_until(pilot, lambda: url.render().plain.count("\n") == 1)
        assert url.render().plain.split("\n")[-1].strip() == "testcode23"
        await pilot.resize_terminal(100, 30)
        await wait_until(pilot, lambda: qr.display)
