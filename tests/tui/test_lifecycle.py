"""The console through a meeting's life: not started until S, the queue asked about on n, the
speaker's clock paused with the item, closed and reopened (O), and the "resume or start a new
meeting?" question on the first frame."""

from __future__ import annotations

from sqlmodel import col, select

from meetingtui.agenda import load_agenda
from meetingtui.domain import meetings
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.models import AgendaItem, Idea, Meeting, Speaker
from meetingtui.domain.speakers import add_speaker, call_next_speaker
from meetingtui.domain.states import ItemStatus, MeetingStatus
from meetingtui.tui.app import make_app
from meetingtui.tui.screens.choice import ChoiceScreen
from meetingtui.tui.screens.confirm import ConfirmScreen
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.idea_form import IdeaFormScreen
from meetingtui.tui.widgets.ideas_view import IdeasView
from meetingtui.tui.widgets.item_timer import ItemTimer
from tests.conftest import TOWN_HALL
from tests.tui.conftest import ATTENDEE_URL, options_text, screen_text, wait_until


def loaded(app) -> bool:
    return isinstance(app.screen, ConsoleScreen) and app.meeting_state is not None


def stored(database, meeting_id) -> Meeting:
    with database.read() as session:
        return session.get(Meeting, meeting_id)


def items(database, meeting_id) -> list[AgendaItem]:
    with database.read() as session:
        return meetings.agenda_items(session, meeting_id)


def queue(database) -> list[tuple[str, str, str]]:
    with database.read() as session:
        rows = session.exec(select(Speaker).order_by(col(Speaker.requested_at)))
        item_titles = {i.id: i.title for i in session.exec(select(AgendaItem))}
        return [(s.name, s.status, item_titles[s.agenda_item_id]) for s in rows]


# ---- not started ----------------------------------------------------------------------------


async def test_a_meeting_not_started_runs_no_clock_until_s(database):
    with database.write() as session:
        planned = meetings.create_meeting(session, agenda=load_agenda(TOWN_HALL), code="plan23")
    app = make_app(database=database, meeting_id=planned.id, attendee_url=ATTENDEE_URL)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        timer = app.screen.query_one(ItemTimer)
        await wait_until(pilot, lambda: "Not started" in str(timer.content))
        assert "not started · S starts" in screen_text(app)
        assert "S starts the clock" in str(timer.content)
        await pilot.press("n")  # moving on would start it unasked: it says what to press
        await wait_until(
            pilot, lambda: any("Press S to start" in n.message for n in app._notifications)
        )
        assert stored(database, planned.id).status == MeetingStatus.PLANNED
        assert all(i.started_at is None for i in items(database, planned.id))

        await pilot.press("S")
        await wait_until(pilot, lambda: stored(database, planned.id).status == "running")
        first = items(database, planned.id)[0]
        assert first.status == ItemStatus.ACTIVE and first.running_since is not None
        await wait_until(pilot, lambda: "Not started" not in str(timer.content))
        assert "Welcome and how tonight works" in str(timer.content)
        await pilot.press("S")
        await wait_until(
            pilot, lambda: any("already running" in n.message for n in app._notifications)
        )


async def test_ideas_raised_before_the_start_are_not_lost_from_view(database):
    """Phones and the note-taker can add ideas while the QR code waits on screen; once item 1
    runs they are in no item's list, so the ideas panel says how many there are and where."""
    with database.write() as session:
        planned = meetings.create_meeting(session, agenda=load_agenda(TOWN_HALL), code="early1")
        for title in ("Parking at the hall", "Hearing loop 👍🏽"):
            capture_idea(session, meeting_id=planned.id, data=IdeaInput(title=title))
    app = make_app(database=database, meeting_id=planned.id, attendee_url=ATTENDEE_URL)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        panel = app.screen.query_one(IdeasView)
        await wait_until(pilot, lambda: "Parking at the hall" in options_text(panel))
        await pilot.press("S")
        await wait_until(pilot, lambda: stored(database, planned.id).status == "running")
        await wait_until(pilot, lambda: "2 from before the start: b" in str(panel.border_title))
        with database.write() as session:
            capture_idea(session, meeting_id=planned.id, data=IdeaInput(title="Later"))
        await wait_until(pilot, lambda: "Later" in options_text(panel))
        assert "Ideas for this item (1) · 2 from before the start: b" in str(panel.border_title)


async def test_start_is_in_the_command_palette(console):
    async with console.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        commands = {title: action for title, _help, action in console.screen.palette_commands()}
        start = commands["Start the meeting (its first item's clock)"]
        assert start == "start_meeting('any')"  # answers in every state, as S does
        assert commands["Reopen a closed meeting"] == "reopen_meeting"
        await console.screen.run_action(start)  # a running meeting: says so
        await wait_until(
            pilot, lambda: any("already running" in n.message for n in console._notifications)
        )


# ---- the queue when the item changes --------------------------------------------------------


def discussion_with_queue(database, meeting) -> None:
    with database.write() as session:
        meetings.move_to_item(session, meeting_id=meeting.id, step=2)
        for name in ("Joan Phillips", "Devika Zorn", "Xanthe Voss"):
            add_speaker(session, meeting_id=meeting.id, name=name)
        call_next_speaker(session, meeting_id=meeting.id)


async def test_n_with_people_waiting_asks_and_carries_them_over(console, database, meeting):
    discussion_with_queue(database, meeting)
    async with console.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(console.screen, ChoiceScreen))
        assert "2 people are still waiting to speak" in screen_text(console)
        assert "Devika Zorn, Xanthe Voss." in screen_text(console)
        await pilot.press("c")
        await wait_until(pilot, lambda: queue(database)[1][2] == "Break")
    assert queue(database) == [
        ("Joan Phillips", "done", "Table discussions: what would make the biggest difference?"),
        ("Devika Zorn", "waiting", "Break"),
        ("Xanthe Voss", "waiting", "Break"),
    ]


async def test_n_can_record_those_waiting_as_not_heard(console, database, meeting):
    discussion_with_queue(database, meeting)
    async with console.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(console.screen, ChoiceScreen))
        await pilot.press("h")
        await wait_until(pilot, lambda: queue(database)[1][1] == "not-heard")
        await wait_until(
            pilot,
            lambda: any(
                "2 people recorded as not heard" in n.message for n in console._notifications
            ),
        )
    assert [s for _n, s, _i in queue(database)] == ["done", "not-heard", "not-heard"]
    assert stored(database, meeting.id).current_item_id == items(database, meeting.id)[3].id


async def test_escape_on_the_question_stays_on_the_item(console, database, meeting):
    discussion_with_queue(database, meeting)
    current = stored(database, meeting.id).current_item_id
    async with console.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(console.screen, ChoiceScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))
    assert stored(database, meeting.id).current_item_id == current
    assert [s for _n, s, _i in queue(database)] == ["speaking", "waiting", "waiting"]


async def test_pausing_the_item_pauses_the_speaker_and_says_so(console, database, meeting):
    discussion_with_queue(database, meeting)
    async with console.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        timer = console.screen.query_one(ItemTimer)
        await wait_until(pilot, lambda: "speaking: Joan Phillips" in str(timer.content))
        await pilot.press("space")
        await wait_until(pilot, lambda: "(paused) · speaking: Joan Phillips" in str(timer.content))
        with database.read() as session:
            joan = session.exec(select(Speaker).where(Speaker.name == "Joan Phillips")).one()
        assert joan.paused_since is not None

        def shown_paused_since():  # what the console's clock counts from, not the database
            return next(s for s in console.meeting_state.speakers if s.id == joan.id).paused_since

        await wait_until(pilot, lambda: shown_paused_since() is not None)
        assert shown_paused_since() == joan.paused_since  # so its countdown stands still
        await pilot.press("space")
        await wait_until(pilot, lambda: "(paused)" not in str(timer.content))
        with database.read() as session:
            assert session.get(Speaker, joan.id).paused_since is None


# ---- closed: organisers keep working, and can reopen ----------------------------------------


async def test_after_closing_the_note_taker_still_enters_cards_and_can_reopen(
    console, database, meeting
):
    with database.write() as session:
        meetings.close_meeting(session, meeting_id=meeting.id)
    async with console.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await wait_until(pilot, lambda: "[closed · O reopens]" in screen_text(console))
        timer = console.screen.query_one(ItemTimer)
        assert " CLOSED  at " in str(timer.content) and "PAUSED" not in str(timer.content)
        assert "left" not in str(timer.content)  # no time left on a closed meeting
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(console.screen, IdeaFormScreen))
        await pilot.press(*"Written card: bus to the clinic", "ctrl+s")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))

        def titles() -> list[str]:
            with database.read() as session:
                return [i.title for i in session.exec(select(Idea))]

        await wait_until(pilot, lambda: titles() == ["Written card: bus to the clinic"])

        await pilot.press("O")
        await wait_until(pilot, lambda: isinstance(console.screen, ConfirmScreen))
        assert "Reopen the meeting?" in screen_text(console)
        await pilot.press("y")
        await wait_until(pilot, lambda: stored(database, meeting.id).status == "running")
        await wait_until(pilot, lambda: "closed" not in screen_text(console).split("\n")[0])
    with database.write() as session:  # attendees are heard again
        capture_idea(
            session, meeting_id=meeting.id, data=IdeaInput(title="Phone"), from_public=True
        )


async def test_o_on_an_open_meeting_changes_nothing(console, database, meeting):
    async with console.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("O")
        await wait_until(
            pilot, lambda: any("not closed" in n.message for n in console._notifications)
        )
        assert isinstance(console.screen, ConsoleScreen)
    assert stored(database, meeting.id).status == MeetingStatus.RUNNING


# ---- a rehearsal does not use up the real meeting -------------------------------------------


def _run_opener(monkeypatch, database, agenda_path, sock):  # noqa: ANN001, ANN202
    """What ``meetingtui run AGENDA`` hands the console: the CLI's own ``open_meeting`` and
    the runtime's opener around it (the console itself is driven by a pilot)."""
    from meetingtui import cli, runtime

    captured = {}
    monkeypatch.setattr(
        runtime, "run_console_lazily", lambda *, open_meeting, **_: captured.update(o=open_meeting)
    )
    cli.main(["run", str(agenda_path), "--db", database.url])
    return runtime.make_opener(captured["o"], sock, None)


def _agenda_with_closed_rehearsal(database, tmp_path):  # noqa: ANN001, ANN202
    path = tmp_path / "hall.toml"
    path.write_text(TOWN_HALL.read_text(encoding="utf-8"), encoding="utf-8")
    with database.write() as session:
        rehearsal, _ = meetings.open_meeting_for_agenda(session, agenda=load_agenda(path))
        meetings.start_meeting(session, meeting_id=rehearsal.id)
        meetings.close_meeting(session, meeting_id=rehearsal.id)
    path.write_text(path.read_text(encoding="utf-8").replace("Break", "Tea break"), "utf-8")
    return path, rehearsal


async def test_running_a_rehearsed_agenda_again_asks_and_starts_a_new_meeting(
    database, tmp_path, monkeypatch
):
    import socket

    path, rehearsal = _agenda_with_closed_rehearsal(database, tmp_path)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        app = make_app(opener=_run_opener(monkeypatch, database, path, sock))
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_until(
                pilot, lambda: "Resume that meeting, or start a new one" in screen_text(app), 10
            )
            text = screen_text(app)
            assert isinstance(app.screen, ChoiceScreen)
            assert "has closed" in text and "The agenda file has changed since" in text
            await pilot.press("n")
            await wait_until(pilot, lambda: loaded(app), timeout=30)
            assert app.meeting_id != rehearsal.id
            new = stored(database, app.meeting_id)
            assert new.status == MeetingStatus.PLANNED  # not started: S starts it
            assert "Tea break" in [i.title for i in items(database, new.id)]
            await wait_until(pilot, lambda: "Not started" in screen_text(app))
    assert stored(database, rehearsal.id).status == MeetingStatus.CLOSED


async def test_resuming_a_closed_rehearsal_opens_it_as_it_stands(database, tmp_path, monkeypatch):
    import socket

    path, rehearsal = _agenda_with_closed_rehearsal(database, tmp_path)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        app = make_app(opener=_run_opener(monkeypatch, database, path, sock))
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen), timeout=30)
            await pilot.press("r")
            await wait_until(pilot, lambda: loaded(app), timeout=30)
            assert app.meeting_id == rehearsal.id
    with database.read() as session:
        assert len(session.exec(select(Meeting)).all()) == 1


# ---- the agenda screen: un-skip in place, and an added item's every field -------------------


async def test_s_on_a_skipped_item_puts_it_back_without_jumping(console, database, meeting):
    from meetingtui.tui.screens.agenda import AgendaScreen

    later = items(database, meeting.id)[3]
    with database.write() as session:
        meetings.skip_item(session, meeting_id=meeting.id, item_id=later.id)
    current = stored(database, meeting.id).current_item_id
    async with console.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(console.screen, AgendaScreen))
        await pilot.press("down", "down", "down", "s")  # no question: nothing is lost
        await wait_until(pilot, lambda: items(database, meeting.id)[3].status == "pending")
        assert isinstance(console.screen, AgendaScreen)
    assert stored(database, meeting.id).current_item_id == current


async def test_the_add_dialog_takes_speaker_minutes_presenter_and_notes(console, database, meeting):
    from meetingtui.tui.screens.agenda import AgendaScreen
    from meetingtui.tui.screens.form_dialog import FormDialog

    async with console.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(console.screen, AgendaScreen))
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(console.screen, FormDialog))
        await pilot.press(*"Questions from the floor", "tab", "backspace", "backspace", *"15")
        await pilot.press("tab", "tab", *"x")  # not a number: refused, beside its field
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "whole number from 1" in screen_text(console), timeout=15)
        await pilot.press("backspace", "2", "tab", *"Dr Amara Singh", "tab", *"Two minutes each")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(items(database, meeting.id)) == 8)
    added = items(database, meeting.id)[1]
    assert (added.title, added.minutes, added.speaker_minutes) == (
        "Questions from the floor",
        15,
        2,
    )
    assert (added.presenter, added.notes) == ("Dr Amara Singh", "Two minutes each")


async def test_jumping_from_the_agenda_asks_about_those_waiting_too(console, database, meeting):
    from meetingtui.tui.screens.agenda import AgendaScreen

    discussion_with_queue(database, meeting)
    async with console.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(console.screen, AgendaScreen))
        await pilot.press("down", "down", "enter")  # from the discussion to the open floor
        await wait_until(pilot, lambda: isinstance(console.screen, ChoiceScreen))
        await pilot.press("c")
        await wait_until(pilot, lambda: queue(database)[1][2] == "Open floor: questions and ideas")
    assert stored(database, meeting.id).current_item_id == items(database, meeting.id)[4].id
    assert [s for _n, s, _i in queue(database)] == ["done", "waiting", "waiting"]


async def test_closing_with_people_waiting_says_they_will_be_recorded_not_heard(
    console, database, meeting
):
    discussion_with_queue(database, meeting)
    async with console.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await wait_until(pilot, lambda: len(console.meeting_state.speakers) == 3)
        await pilot.press("X")
        await wait_until(
            pilot,
            lambda: "The 2 people still waiting to speak will be recorded" in screen_text(console),
        )
        await pilot.press("y")
        await wait_until(pilot, lambda: stored(database, meeting.id).status == "closed")
    assert [s for _n, s, _i in queue(database)] == ["done", "not-heard", "not-heard"]


async def test_skipping_the_current_item_asks_about_those_waiting(console, database, meeting):
    from meetingtui.tui.screens.agenda import AgendaScreen

    discussion_with_queue(database, meeting)
    async with console.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: loaded(console))
        await wait_until(pilot, lambda: len(console.meeting_state.speakers) == 3)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(console.screen, AgendaScreen))
        await pilot.press("s")  # the highlighted item is the current one
        await wait_until(pilot, lambda: isinstance(console.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(console.screen, ChoiceScreen))
        await pilot.press("c")
        await wait_until(pilot, lambda: queue(database)[1][2] == "Break")
    assert items(database, meeting.id)[2].status == "skipped"
    assert [s for _n, s, _i in queue(database)] == ["done", "waiting", "waiting"]


def test_a_move_that_would_leave_someone_waiting_unasked_is_refused(database, meeting):
    """The console asks from its live view; a phone that asked a moment later is not lost:
    the session refuses the move (nothing changes) and says to press the key again."""
    import pytest

    from meetingtui.domain.errors import DomainError
    from meetingtui.session import MeetingSession

    discussion_with_queue(database, meeting)
    before = stored(database, meeting.id).current_item_id
    session = MeetingSession(database, meeting.id, operator="chair", draft_owner="t")
    with pytest.raises(DomainError, match="just asked to speak"):
        session.move_agenda(1)
    assert stored(database, meeting.id).current_item_id == before
    assert [s for _n, s, _i in queue(database)] == ["speaking", "waiting", "waiting"]
    assert "2 people recorded as not heard" in session.move_agenda(1, waiting="not-heard")
