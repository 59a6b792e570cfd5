"""The console's reach line (the most under-represented group) and the full reach view (W)."""

from __future__ import annotations

from meetingtui.agenda.loader import load_agenda
from meetingtui.domain import meetings
from meetingtui.domain.reach import parse_population, record_response, set_population
from meetingtui.tui.app import make_app
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.reach import ReachScreen
from meetingtui.tui.widgets.reach_line import ReachLine
from tests.conftest import SAMPLE_AGENDAS
from tests.tui.conftest import ATTENDEE_URL, wait_until

POPULATION = (
    "area,question,option,share\n"
    ",age,Under 25,14%\n,age,25 to 44,34%\n,age,45 to 64,32%\n,age,65 or over,20%\n"
)


def _sign_in(database, meeting_id, age: str) -> None:
    with database.write() as session:
        record_response(session, meeting_id=meeting_id, answers={"age": age})


async def test_the_line_follows_the_sign_ins(database) -> None:
    with database.write() as session:
        workshop = meetings.create_meeting(
            session, agenda=load_agenda(SAMPLE_AGENDAS / "community_workshop.toml"), code="line2345"
        )
        meetings.start_meeting(session, meeting_id=workshop.id)
        set_population(
            session, programme_id=workshop.programme_id, shares=parse_population(POPULATION)
        )
    app = make_app(database=database, meeting_id=workshop.id, attendee_url=ATTENDEE_URL)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))
        line = app.screen.query_one(ReachLine)
        await wait_until(pilot, lambda: "nobody has answered" in line.line)
        assert line.display
        # Another process (the phones' web) signs people in: the line moves with every fifth.
        for age in ["25 to 44"] * 3 + ["45 to 64"] * 2:
            _sign_in(database, workshop.id, age)
        await wait_until(pilot, lambda: line.line == "65 or over: 0% in the room, 20% locally")
        await pilot.press("W")
        await wait_until(pilot, lambda: isinstance(app.screen, ReachScreen))
        view = app.screen
        await wait_until(pilot, lambda: "Your age" in view.text)
        assert "not for publication" in view.query_one("#reach-dialog").border_title.lower()
        assert "25 to 44           3" in view.text  # exact counts for the organisers
        assert "Representativeness" in view.text
        drawn = str(view.query_one("#reach-text").content)
        assert "Who took part (reach)" in drawn and "====" not in drawn  # a bold heading
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))


async def test_no_line_where_the_agenda_asks_nothing(console) -> None:
    async with console.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))
        line = console.screen.query_one(ReachLine)
        await wait_until(pilot, lambda: line.loaded)
        assert line.line == "" and not line.has_class("-asked") and not line.display
