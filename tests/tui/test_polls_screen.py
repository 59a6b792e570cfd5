"""The console's polls screen (P): open, close (after asking), reopen, an ad hoc poll, and the
chart following ballots cast on another session (wait for state)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Input, OptionList, Select, TextArea

from meetingtui.domain import polls
from meetingtui.domain.polls import OptionSpec
from meetingtui.tui.screens.confirm import ConfirmScreen
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.form_dialog import FormDialog
from meetingtui.tui.screens.polls import PollsScreen
from meetingtui.tui.widgets.poll_chart import PollChart, chart_text
from tests.tui.conftest import options_text, wait_until


def loaded(app) -> bool:
    return isinstance(app.screen, ConsoleScreen) and app.meeting_state is not None


def make_poll(database, meeting, question="Where first?", options=("Park", "[bold]Library[/]")):
    with database.write() as session:
        poll = polls.create_poll(
            session, meeting_id=meeting.id, type="single", question=question, options=list(options)
        )
        return poll.id


def status(database, poll_id) -> str:
    with database.read() as session:
        return polls._poll(session, poll_id).status


def chart_plain(screen: PollsScreen) -> str:
    results = screen.query_one(PollChart).results
    return chart_text(results, 76).plain if results is not None else ""


async def open_polls(pilot, app) -> PollsScreen:
    await wait_until(pilot, lambda: loaded(app))
    await pilot.press("P")
    await wait_until(pilot, lambda: isinstance(app.screen, PollsScreen) and app.screen.polls)
    return app.screen


async def ad_hoc_dialog(pilot, app) -> tuple[FormDialog, dict[str, Input]]:
    """``a`` on the polls screen: the ad hoc poll's dialog and its one-line fields by name."""
    await pilot.press("a")
    await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
    dialog = app.screen
    inputs = {i.id.removeprefix("field-"): i for i in dialog.query(Input) if i.id}
    return dialog, inputs


async def test_open_close_reopen_and_live_chart(console, database, meeting) -> None:
    poll_id = make_poll(database, meeting)
    async with console.run_test(size=(80, 24)) as pilot:
        screen = await open_polls(pilot, console)
        listing = screen.query_one(OptionList)
        assert "draft" in options_text(listing) and "Where first?" in options_text(listing)
        await pilot.press("o")
        await wait_until(pilot, lambda: status(database, poll_id) == "open")
        await wait_until(pilot, lambda: screen.polls[0].status == "open")
        # Ballots cast elsewhere (a phone's session): the chart follows the feed.
        for number, choice in enumerate([0, 1, 1]):
            with database.write() as session:
                polls.cast_ballot(
                    session, poll_id=poll_id, device=f"phone-{number}", choices=[choice]
                )
        chart = screen.query_one(PollChart)
        await wait_until(pilot, lambda: chart.ballots == 3)
        text = chart_plain(screen)
        assert "[bold]Library[/]" in text and "67%" in text and "3 ballots" in text
        assert "3 ballots" in options_text(listing)
        # Close asks first; "keep open" keeps it open.
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(console.screen, ConfirmScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: console.screen is screen)
        assert status(database, poll_id) == "open"
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(console.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: status(database, poll_id) == "closed")
        await wait_until(pilot, lambda: screen.polls[0].status == "closed")
        assert chart.ballots == 3  # counted, anonymous, still shown
        await pilot.press("r")
        await wait_until(pilot, lambda: status(database, poll_id) == "open")
        await pilot.press("escape")
        await wait_until(pilot, lambda: loaded(console))


async def test_ad_hoc_poll_with_options_typed_and_from_ideas(console, database, meeting) -> None:
    with database.read() as session:
        from sqlmodel import select

        from meetingtui.domain.models import Idea

        idea = session.exec(select(Idea).where(Idea.meeting_id == meeting.id)).first()
    make_poll(database, meeting)
    async with console.run_test(size=(80, 24)) as pilot:
        screen = await open_polls(pilot, console)
        dialog, inputs = await ad_hoc_dialog(pilot, console)
        question = inputs["question"]
        question.value = "Which 2 matter most? 🌳"
        dialog.query_one(TextArea).text = "Trees\nBenches\n\nLights"
        settings = inputs["settings"]
        settings.value = "max=2"
        if idea is not None:
            ideas_field = inputs["ideas"]
            ideas_field.value = idea.ref
        question.focus()
        await pilot.press("ctrl+s")
        # A setting the type does not take is named beside Settings; everything typed stays.
        await wait_until(pilot, lambda: "max" in str(dialog.query_one("#error-settings").render()))
        assert dialog.query_one(TextArea).text == "Trees\nBenches\n\nLights"
        dialog.query_one("#field-type", Select).value = "multiple"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: console.screen is screen and len(screen.polls) == 2)
    with database.read() as session:
        made = polls.meeting_polls(session, meeting.id)[-1]
        labels = [o.label for o in polls.poll_options(session, made.id)]
        assert made.status == "open" and made.question == "Which 2 matter most? 🌳"
        assert labels[:3] == ["Trees", "Benches", "Lights"]
        if idea is not None:
            assert labels[3] == idea.title


async def test_ad_hoc_poll_with_options_from_themes(console, database, meeting) -> None:
    """The room weighs the programme's themes: named in the dialog (case and accents aside),
    each becomes an option; an unknown name is refused beside the options, text kept."""
    from meetingtui.domain.programmes import programme_of_meeting
    from meetingtui.domain.themes import add_theme

    with database.write() as session:
        programme = programme_of_meeting(session, session.get(type(meeting), meeting.id))
        for name in ("Trees & parks", "Café"):
            add_theme(session, programme=programme, name=name)
    make_poll(database, meeting)
    async with console.run_test(size=(80, 24)) as pilot:
        screen = await open_polls(pilot, console)
        dialog, inputs = await ad_hoc_dialog(pilot, console)
        question = inputs["question"]
        question.value = "Which theme first?"
        themes = inputs["themes"]
        themes.value = "trees & PARKS; Nowhere"
        question.focus()
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: "no theme" in str(dialog.query_one("#error-options").render())
        )
        assert themes.value == "trees & PARKS; Nowhere"
        themes.value = "trees & PARKS; cafe"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: console.screen is screen and len(screen.polls) == 2)
    with database.read() as session:
        made = polls.meeting_polls(session, meeting.id)[-1]
        assert [o.label for o in polls.poll_options(session, made.id)] == ["Trees & parks", "Café"]


async def test_ad_hoc_poll_refusal_keeps_the_dialog(console, database, meeting) -> None:
    async with console.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("P")
        await wait_until(pilot, lambda: isinstance(console.screen, PollsScreen))
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(console.screen, FormDialog))
        await pilot.press("ctrl+s")  # no question, no options
        await pilot.pause()
        await wait_until(pilot, lambda: isinstance(console.screen, FormDialog))
        with database.read() as session:
            assert polls.meeting_polls(session, meeting.id) == []


def test_chart_labels_literal_and_widths(database, meeting) -> None:
    long = "A long label: the [red]riverside[/] path and more 👩‍⚕️ words, cut to fit the chart"
    with database.write() as session:
        poll = polls.create_poll(
            session,
            meeting_id=meeting.id,
            type="budget",
            question="Budget",
            options=[OptionSpec(long, 400), OptionSpec("Short", 300)],
            budget=800,
        )
        polls.open_poll(session, poll_id=poll.id)
        polls.cast_ballot(session, poll_id=poll.id, device="a", choices=[0])
        polls.cast_ballot(session, poll_id=poll.id, device="b", choices=[0, 1])
        results = polls.poll_results(session, poll)
        for width in (40, 76, 120):
            text = chart_text(results, width)
            assert isinstance(text, Text)
            for line in text.plain.splitlines():
                assert text.cell_len and len(line) <= width, (width, line)
        plain = chart_text(results, 76).plain
        assert (
            "[red]riverside" in chart_text(results, 120).plain
            and "2 ballots" in plain
            and "100%" in plain
        )
        assert "50%" in plain


async def test_console_poll_line_while_a_poll_is_open(console, database, meeting) -> None:
    from meetingtui.tui.widgets.poll_line import PollLine

    poll_id = make_poll(database, meeting, question="Open [b]now[/b]?")
    async with console.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        line = console.screen.query_one(PollLine)
        assert not line.display  # a draft: nothing on the console
        with database.write() as session:
            polls.open_poll(session, poll_id=poll_id)
            polls.cast_ballot(session, poll_id=poll_id, device="x", choices=[0])
        await wait_until(pilot, lambda: line.display and "1 ballot" in str(line.render()))
        assert "Open [b]now[/b]?" in str(line.render())
        with database.write() as session:
            polls.close_poll(session, poll_id=poll_id)
        await wait_until(pilot, lambda: not line.display)
