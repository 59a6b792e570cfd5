"""The ideas panel keeps the newest idea in view: after quick captures the newest is highlighted
at the top; a note-taker reading an older idea keeps their place while phones send more, and
the panel's title says how many arrived above until they go back up."""

from __future__ import annotations

from textual.widgets import Input

from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.idea_form import IdeaFormScreen
from meetingtui.tui.widgets.ideas_view import IdeasView
from tests.tui.conftest import wait_until


def loaded(app) -> bool:
    return isinstance(app.screen, ConsoleScreen) and app.meeting_state is not None


def add_from_phones(database, meeting, titles) -> None:
    with database.write() as session:
        for title in titles:
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=title))


def newest_in_view(ideas: IdeasView) -> bool:
    """The newest idea is the highlighted one and its lines are inside the panel."""
    if not ideas.shown_refs or ideas.highlighted != 0:
        return False
    return ideas.scroll_y == 0


async def capture(pilot, title: str) -> None:
    await pilot.press("i")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, IdeaFormScreen))
    await wait_until(pilot, lambda: isinstance(pilot.app.focused, Input))
    await pilot.press(*title, "ctrl+s")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConsoleScreen))


async def test_after_quick_captures_the_newest_idea_is_in_view(console, database, meeting):
    async with console.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        ideas = console.screen.query_one(IdeasView)
        for number in range(1, 9):
            await capture(pilot, f"Quick idea {number}")
            ref = f"I-{number:04d}"
            await wait_until(pilot, lambda ref=ref: ideas.shown_refs[:1] == [ref], 5.0)
            await wait_until(pilot, lambda: newest_in_view(ideas))
        assert ideas.highlighted_idea().title == "Quick idea 8"
        assert "new" not in ideas.border_title


async def test_arrivals_while_reading_an_older_idea_are_counted_not_jumped_to(
    console, database, meeting
):
    add_from_phones(database, meeting, [f"Phone idea {n}" for n in range(1, 7)])
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        ideas = console.screen.query_one(IdeasView)
        await wait_until(pilot, lambda: len(ideas.shown_refs) == 6)
        await pilot.press("1", "down", "down", "down")  # reading I-0003
        await wait_until(pilot, lambda: ideas.highlighted_idea().ref == "I-0003")
        add_from_phones(database, meeting, ["Phone idea 7", "Phone idea 8"])
        await wait_until(pilot, lambda: len(ideas.shown_refs) == 8)
        await wait_until(pilot, lambda: "2 new ↑: Home" in ideas.border_title)
        assert ideas.highlighted_idea().ref == "I-0003"  # their place is kept
        await pilot.press("home")
        await wait_until(pilot, lambda: "new" not in ideas.border_title)
        assert ideas.highlighted_idea().ref == "I-0008"
        add_from_phones(database, meeting, ["Phone idea 9"])  # at the top: follows the newest
        await wait_until(pilot, lambda: ideas.shown_refs[:1] == ["I-0009"])
        await wait_until(pilot, lambda: newest_in_view(ideas))
        assert "new" not in ideas.border_title


async def test_the_note_takers_own_capture_comes_into_view_even_from_an_older_idea(
    console, database, meeting
):
    add_from_phones(database, meeting, [f"Phone idea {n}" for n in range(1, 7)])
    async with console.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        ideas = console.screen.query_one(IdeasView)
        await wait_until(pilot, lambda: len(ideas.shown_refs) == 6)
        await pilot.press("1", "end")  # down at the oldest, I-0001
        await wait_until(pilot, lambda: ideas.highlighted_idea().ref == "I-0001")
        await capture(pilot, "My own idea")
        await wait_until(pilot, lambda: ideas.shown_refs[:1] == ["I-0007"])
        await wait_until(pilot, lambda: newest_in_view(ideas))
        assert ideas.highlighted_idea().title == "My own idea"
        assert "new" not in ideas.border_title
