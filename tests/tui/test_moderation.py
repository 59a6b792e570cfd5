"""Moderation under pressure: the whole text before approval, the cursor on the next row still
waiting while rows keep arriving, a question before changing a decision, decisions on a
selection, and no toast over the text being judged."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import OptionList

from meetingtui.domain.ideas import IdeaInput, add_comment, capture_idea
from meetingtui.domain.models import Comment, Idea, Meeting
from meetingtui.tui.screens.confirm import ConfirmScreen
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.moderation import ModerationScreen
from tests.tui.conftest import options_text, screen_text, wait_until


def loaded(app) -> bool:
    return isinstance(app.screen, ConsoleScreen) and app.meeting_state is not None


def pre_moderated(database, meeting) -> None:
    with database.write() as session:
        session.get(Meeting, meeting.id).moderation = "pre"


def from_phone(database, meeting, title: str, device: str = "", **fields) -> Idea:
    with database.write() as session:
        return capture_idea(
            session,
            meeting_id=meeting.id,
            data=IdeaInput(title=title, channel="phone", **fields),
            from_public=True,
            device=device,
        )


def visibilities(database) -> dict[str, str]:
    with database.read() as session:
        ideas = {i.title: i.visibility for i in session.exec(select(Idea))}
        comments = {c.body: c.visibility for c in session.exec(select(Comment))}
    return ideas | comments


def highlighted_text(screen: ModerationScreen) -> str:
    entry = screen.highlighted_entry()
    return entry.text if entry is not None else ""


async def open_moderation(pilot, app, rows: int) -> ModerationScreen:
    await pilot.press("m")
    await wait_until(pilot, lambda: isinstance(app.screen, ModerationScreen))
    screen = app.screen
    await wait_until(pilot, lambda: len(screen.entries) == rows, 5)
    return screen


async def test_the_whole_text_and_the_name_rule_are_shown_before_approval(
    console, database, meeting
):
    pre_moderated(database, meeting)
    with database.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Evening clinics"))
    from_phone(
        database,
        meeting,
        "Help with forms",
        detail="My NHS number is 943 476 5919, [b]call me[/b]",
        raised_by="Jo Bloggs",
        organisation="Carers [Network]",
    )
    from_phone(database, meeting, "Named on purpose", raised_by="Sam Lee", publish_name=True)
    with database.write() as session:
        add_comment(
            session,
            meeting_id=meeting.id,
            idea_ref="I-0001",
            body="Ring 07700 900123",
            author="Pat",
            from_public=True,
        )
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        screen = await open_moderation(pilot, console, 3)
        shown = options_text(screen.query_one(OptionList))
        assert "My NHS number is 943 476 5919, [b]call me[/b]" in shown  # literally
        assert "Name: Jo Bloggs, Carers [Network] · no consent: the name is not published" in shown
        assert "Name: Sam Lee · consented: the name is published" in shown
        assert "Comment on I-0001 “Evening clinics”" in shown and "Ring 07700 900123" in shown
        assert "Name: Pat · not published (comment names never are)" in shown
        assert "2 ideas and 1 comment waiting." in screen_text(console)


async def test_the_cursor_goes_to_the_next_waiting_row_and_stays_as_rows_arrive(
    console, database, meeting
):
    pre_moderated(database, meeting)
    for title in ("First", "Second", "Third"):
        from_phone(database, meeting, title)
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        screen = await open_moderation(pilot, console, 3)
        options = screen.query_one(OptionList)
        assert highlighted_text(screen) == "First"
        await pilot.press("a")
        assert highlighted_text(screen) == "Second"  # at once, before the write is read back
        await wait_until(pilot, lambda: visibilities(database)["First"] == "visible")

        await pilot.press("down")  # look at Third, leave Second for later
        assert highlighted_text(screen) == "Third"
        scrolled = options.scroll_y
        for number in range(12):  # the phones keep sending while the moderator reads
            from_phone(database, meeting, f"Arrived {number}")
        await wait_until(pilot, lambda: len(screen.entries) == 15, 5)
        assert highlighted_text(screen) == "Third"
        assert options.scroll_y == scrolled
        assert [e.text for e in screen.entries][:3] == ["First", "Second", "Third"]

        await pilot.press("h")
        assert highlighted_text(screen) == "Arrived 0"  # the next waiting, in arrival order
        await pilot.press("up", "up")
        assert highlighted_text(screen) == "Second"
        await pilot.press("a")  # the next waiting after Second is Arrived 0 (Third is decided)
        assert highlighted_text(screen) == "Arrived 0"
        await wait_until(
            pilot,
            lambda: (
                [visibilities(database)[t] for t in ("First", "Second", "Third")]
                == ["visible", "visible", "hidden"]
            ),
        )


async def test_changing_a_decision_asks_first(console, database, meeting):
    pre_moderated(database, meeting)
    from_phone(database, meeting, "Approved already")
    from_phone(database, meeting, "Still waiting")
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        screen = await open_moderation(pilot, console, 2)
        await pilot.press("a")
        await wait_until(pilot, lambda: visibilities(database)["Approved already"] == "visible")
        await pilot.press("up")
        assert highlighted_text(screen) == "Approved already"
        await pilot.press("h")  # one key must not hide an approved idea
        await wait_until(pilot, lambda: isinstance(console.screen, ConfirmScreen))
        assert "Hide this idea? It is shown now." in screen_text(console)
        await pilot.press("n")
        await wait_until(pilot, lambda: console.screen is screen)
        assert visibilities(database)["Approved already"] == "visible"
        assert screen.highlighted_entry().visibility == "visible"
        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(console.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: visibilities(database)["Approved already"] == "hidden")
        assert visibilities(database)["Still waiting"] == "pending"


async def test_a_selection_is_approved_or_hidden_at_once(console, database, meeting):
    pre_moderated(database, meeting)
    for title in ("Spam one", "Good idea", "Spam two", "Another good one"):
        from_phone(database, meeting, title)
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        screen = await open_moderation(pilot, console, 4)
        await pilot.press("space")  # selects Spam one and moves on
        assert highlighted_text(screen) == "Good idea"
        await pilot.press("down", "space")
        assert "2 selected" in screen_text(console)
        assert "[x]" in options_text(screen.query_one(OptionList))
        await pilot.press("h")
        await wait_until(
            pilot,
            lambda: (
                visibilities(database)
                == {
                    "Spam one": "hidden",
                    "Good idea": "pending",
                    "Spam two": "hidden",
                    "Another good one": "pending",
                }
            ),
        )
        assert not screen.selected
        await pilot.press("asterisk")  # every row still waiting
        assert len(screen.selected) == 2
        await pilot.press("a")  # all were waiting: no question
        await wait_until(
            pilot,
            lambda: (
                visibilities(database)["Good idea"]
                == visibilities(database)["Another good one"]
                == "visible"
            ),
        )
        assert visibilities(database)["Spam one"] == "hidden"

        await pilot.press("home", "space", "down", "space", "a")  # the two hidden rows
        await wait_until(pilot, lambda: isinstance(console.screen, ConfirmScreen))
        assert "Approve 2 rows? 2 of them were already moderated." in screen_text(console)
        await pilot.press("n")
        await wait_until(pilot, lambda: console.screen is screen)
        assert visibilities(database)["Spam one"] == "hidden"


async def test_no_toast_covers_the_text_being_moderated(console, database, meeting):
    pre_moderated(database, meeting)
    from_phone(database, meeting, "Already here")
    async with console.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        console.notify("Someone asked to speak.")
        await wait_until(pilot, lambda: any("Press m" in n.message for n in console._notifications))
        screen = await open_moderation(pilot, console, 1)
        assert list(console._notifications) == []  # taken down, not left over the list
        await pilot.press("a")
        for number in range(5):
            from_phone(database, meeting, f"Arrived {number}")
        await wait_until(pilot, lambda: len(screen.entries) == 6, 5)
        await wait_until(pilot, lambda: visibilities(database)["Already here"] == "visible")
        console.notify("A phone asked to speak.")
        assert list(console._notifications) == []  # held, and none for each decision
        assert "Idea I-0001 shown." in screen_text(console)  # said in the screen instead
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))
        await wait_until(
            pilot,
            lambda: (
                [n.message for n in console._notifications]
                == ["Someone asked to speak.", "A phone asked to speak."]
            ),
        )
        assert console.held_notifications == []
        # "N waiting. Press m to moderate." was answered by moderating: not said again.
        assert not any("Press m" in n.message for n in console._notifications)


async def test_undo_takes_back_a_moderation_decision(console, database, meeting):
    pre_moderated(database, meeting)
    from_phone(database, meeting, "Approved by mistake")
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await open_moderation(pilot, console, 1)
        await pilot.press("a")
        await wait_until(pilot, lambda: visibilities(database)["Approved by mistake"] == "visible")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))
        await wait_until(pilot, lambda: len(console.session.undo_stack) > 0)
        await pilot.press("u")
        await wait_until(pilot, lambda: visibilities(database)["Approved by mistake"] == "pending")


async def test_everything_one_phone_sent_is_hidden_at_once(console, database, meeting):
    pre_moderated(database, meeting)
    with database.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Organisers' idea"))
    from_phone(database, meeting, "Flood 1", device="phone-aaaa")
    from_phone(database, meeting, "Fair point", device="phone-bbbb")
    from_phone(database, meeting, "Flood 2", device="phone-aaaa")
    with database.write() as session:
        add_comment(
            session,
            meeting_id=meeting.id,
            idea_ref="I-0001",
            body="Flood 3",
            from_public=True,
            device="phone-aaaa",
        )
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        screen = await open_moderation(pilot, console, 4)
        assert "from phone phone-" in options_text(screen.query_one(OptionList))
        assert highlighted_text(screen) == "Flood 1"
        await pilot.press("D")
        await wait_until(pilot, lambda: isinstance(console.screen, ConfirmScreen))
        assert "Hide everything phone phone- sent?" in screen_text(console)
        await pilot.press("y")
        await wait_until(
            pilot,
            lambda: (
                visibilities(database)
                == {
                    "Organisers' idea": "visible",
                    "Flood 1": "hidden",
                    "Fair point": "pending",
                    "Flood 2": "hidden",
                    "Flood 3": "hidden",
                }
            ),
        )
        assert highlighted_text(screen) == "Fair point"  # the next still waiting
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))
        await wait_until(pilot, lambda: len(console.session.undo_stack) > 0)
        await pilot.press("u")
        await wait_until(
            pilot,
            lambda: (
                [visibilities(database)[t] for t in ("Flood 1", "Flood 2", "Flood 3")]
                == ["pending", "pending", "pending"]
            ),
        )
