"""Browse (``b``): every idea of the meeting, searched as you type, any of them edited, and
the live agenda untouched: no item moves, no timer or status changes."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import Input, OptionList, Select

from meetingtui.domain.ideas import BROWSE_PAGE, IdeaInput, capture_idea
from meetingtui.domain.meetings import agenda_items, move_to_item
from meetingtui.domain.models import Idea, Meeting
from meetingtui.tui.screens.browse import BrowseScreen
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.idea_form import IdeaFormScreen
from tests.tui.conftest import options_text, wait_until
from tests.tui.key_burst import burst, typed


def loaded(app) -> bool:
    return isinstance(app.screen, ConsoleScreen) and app.meeting_state is not None


def agenda_state(database, meeting):
    """Everything about the live agenda that editing must not change."""
    with database.read() as session:
        current = session.get(Meeting, meeting.id).current_item_id
        items = [
            (i.id, i.status, i.elapsed_seconds, i.started_at, i.ended_at, i.running_since)
            for i in agenda_items(session, meeting.id)
        ]
    return current, items


def ideas_on_items(database, meeting, titles_per_item: dict[int, list[str]]) -> None:
    """Ideas captured against several items, then the meeting moved on to item 3."""
    with database.write() as session:
        items = agenda_items(session, meeting.id)
        for index, titles in titles_per_item.items():
            for title in titles:
                capture_idea(
                    session,
                    meeting_id=meeting.id,
                    data=IdeaInput(title=title),
                    agenda_item_id=items[index].id,
                )
        move_to_item(session, meeting_id=meeting.id, step=1)
        move_to_item(session, meeting_id=meeting.id, step=1)


def browse_list(app) -> OptionList:
    return app.screen.query_one("#browse-list", OptionList)


async def open_browse(pilot) -> None:
    await pilot.press("b")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, BrowseScreen))
    await wait_until(pilot, lambda: browse_list(pilot.app).option_count > 0)


async def test_edit_an_idea_of_item_1_while_item_3_is_live(console, database, meeting):
    ideas_on_items(
        database,
        meeting,
        {0: ["Evening clincs", "Parking at the GP"], 2: ["Pharmacy hours"]},
    )
    before = agenda_state(database, meeting)
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await open_browse(pilot)
        shown = options_text(browse_list(console))
        assert all(t in shown for t in ("Evening clincs", "Parking at the GP", "Pharmacy hours"))
        assert "1. " in shown and "3. " in shown  # each row names its item

        await pilot.press(*"clincs")
        await wait_until(pilot, lambda: browse_list(console).option_count == 1)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(console.screen, IdeaFormScreen))
        title = console.screen.query_one("#field-title", Input)
        assert title.value == "Evening clincs"
        await pilot.press("left", "left", "i")  # clin|cs -> clinics
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(console.screen, BrowseScreen))
        # The list follows the edit: the fixed title no longer matches the typo searched for.
        await wait_until(pilot, lambda: browse_list(console).option_count == 0)
        await pilot.press(*["backspace"] * 6, *"clinics")
        await wait_until(pilot, lambda: "Evening clinics" in options_text(browse_list(console)))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))

    with database.read() as session:
        edited = session.exec(select(Idea).where(Idea.ref == "I-0001")).one()
    assert edited.title == "Evening clinics"
    assert agenda_state(database, meeting) == before  # same item, timers and statuses


async def test_search_is_literal_and_finds_refs_and_details(console, database, meeting):
    with database.write() as session:
        for title, detail in [
            ("50% off bus fares", ""),
            ("Bus_stop by the clinic", ""),
            ("Later buses", "after the evening clinic"),
        ]:
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=title, detail=detail))
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await open_browse(pilot)
        search = console.screen.query_one("#browse-search", Input)
        cases = {
            "50%": ["50% off"],
            "_": ["Bus_stop"],
            "evening": ["Later buses"],
            "i2": ["Bus_stop"],
        }
        for typed, wanted in cases.items():
            search.value = typed
            await wait_until(
                pilot,
                lambda wanted=wanted: (
                    browse_list(console).option_count == len(wanted)
                    and all(w in options_text(browse_list(console)) for w in wanted)
                ),
            )


async def test_the_item_filter_keeps_to_one_item(console, database, meeting):
    ideas_on_items(database, meeting, {0: ["First item idea"], 1: ["Second item idea"]})
    with database.read() as session:
        second = agenda_items(session, meeting.id)[1].id
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await open_browse(pilot)
        console.screen.query_one("#browse-item", Select).value = str(second)
        await wait_until(pilot, lambda: browse_list(console).option_count == 1)
        assert "Second item idea" in options_text(browse_list(console))


async def test_two_thousand_ideas_are_read_a_page_at_a_time(console, database, meeting):
    with database.write() as session:
        for n in range(1, 2001):
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=f"Idea number {n}"))
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await open_browse(pilot)
        options = browse_list(console)
        assert options.option_count == BROWSE_PAGE  # one page, not the whole meeting
        assert "Idea number 2000" in options_text(options)  # newest first
        summary = console.screen.query_one("#browse-summary")
        assert "2000 ideas match" in str(summary.render())

        for _ in range(BROWSE_PAGE // 10):
            await pilot.press("pagedown")
        await wait_until(pilot, lambda: options.option_count == 2 * BROWSE_PAGE)

        console.screen.query_one("#browse-search", Input).value = "I-0042"
        await wait_until(pilot, lambda: options.option_count == 1)
        assert "Idea number 42" in options_text(options)


async def test_browse_is_in_the_palette_and_the_help(console):
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        titles = [c.title for c in console.get_system_commands(console.screen)]
        assert "Browse, search and edit every idea of the meeting" in titles
        sections = dict(console.screen.help_sections())
        assert any(b.action == "edit" for b in sections["Browse every idea (b)"])


async def test_a_busy_room_does_not_queue_a_read_per_change(console, database, meeting):
    """Changes arriving faster than pages are read: one read runs, one more follows, and the
    list ends up as the database is."""
    import threading
    import uuid

    from meetingtui.session import LiveChange

    ideas_on_items(database, meeting, {0: ["Evening clinics"]})
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await open_browse(pilot)
        session = console.session
        real = session.search_ideas
        reads: list[int] = []
        gate = threading.Event()

        def counted(*args, **kwargs):
            reads.append(1)
            gate.wait()  # the first read is slow: the room keeps changing meanwhile
            return real(*args, **kwargs)

        session.search_ideas = counted
        idea_id = uuid.UUID(browse_list(console).get_option_at_index(0).id)
        with database.write() as db:
            capture_idea(db, meeting_id=meeting.id, data=IdeaInput(title="Late buses"))
        for _ in range(20):
            console.meeting_signal.publish(LiveChange(event_id=0, gone={idea_id}))
        await wait_until(pilot, lambda: len(reads) == 1)
        gate.set()
        screen = console.screen
        await wait_until(pilot, lambda: "Late buses" in options_text(browse_list(console)))
        await wait_until(pilot, lambda: not screen.reading)
        assert len(reads) <= 3  # not one per change (21); the feed's own change may add one


async def test_slash_opens_browse_too(console, database, meeting):
    ideas_on_items(database, meeting, {0: ["Evening clinics"]})
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("slash")
        await wait_until(pilot, lambda: isinstance(console.screen, BrowseScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))


async def test_b_a_search_and_enter_in_one_burst_edits_what_was_searched(
    console, database, meeting
):
    """A note-taker types ``b``, a few letters and Enter without looking: the idea found by
    those letters opens, never the top row of the unfiltered list (found in a room trial)."""
    ideas_on_items(
        database,
        meeting,
        {0: ["Pharmacy hours", "Benches on the high street"], 2: ["Later buses"]},
    )
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        burst(console, ["b", *typed("benches"), "enter"])
        await wait_until(
            pilot,
            lambda: (
                isinstance(console.screen, IdeaFormScreen) and isinstance(console.focused, Input)
            ),
        )
        title = console.screen.query_one("#field-title", Input)
        assert title.value == "Benches on the high street"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(console.screen, BrowseScreen))
