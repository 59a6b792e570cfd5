"""Reach: the optional sign-in's answers, kept apart; aggregation, suppression, representativeness
and the reference population (domain/reach.py). On SQLite and PostgreSQL where it matters."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from sqlmodel import select

from meetingtui.agenda.loader import load_agenda
from meetingtui.domain import meetings
from meetingtui.domain.errors import FieldErrors, MeetingClosed
from meetingtui.domain.models import Event, ReachDevice, ReachName, ReachResponse
from meetingtui.domain.reach import (
    PREFER_NOT,
    AlreadyAnswered,
    PopulationError,
    device_answered,
    parse_population,
    published,
    reach_figures,
    record_response,
    representativeness_of,
    room_line,
    round_count,
    set_population,
    suppress,
)
from meetingtui.store.database import Database
from tests.conftest import SAMPLE_AGENDAS

WORKSHOP = SAMPLE_AGENDAS / "community_workshop.toml"
POPULATION = SAMPLE_AGENDAS / "elm_park_population.csv"


@pytest.fixture
def workshop(any_database: Database):
    with any_database.write() as session:
        created = meetings.create_meeting(session, agenda=load_agenda(WORKSHOP), code="reachcode2")
        meetings.start_meeting(session, meeting_id=created.id)
    return created


def _answer(database: Database, meeting, age: str, carer: str = "No", **options) -> None:
    with database.write() as session:
        record_response(
            session, meeting_id=meeting.id, answers={"age": age, "carer": carer}, **options
        )


def test_answers_are_kept_apart_and_once_per_device(any_database: Database, workshop) -> None:
    _answer(any_database, workshop, "Under 25", area="E17", name="Ana", device="phone-1")
    with any_database.write() as session, pytest.raises(AlreadyAnswered):
        record_response(
            session, meeting_id=workshop.id, answers={"age": "65 or over"}, device="phone-1"
        )
    with any_database.read() as session:
        assert device_answered(session, meeting_id=workshop.id, device="phone-1")
        assert not device_answered(session, meeting_id=workshop.id, device="phone-2")
        (response,) = session.exec(select(ReachResponse)).all()
        # The response holds the meeting, channel, area and answers: nothing that joins.
        assert set(response.model_dump()) == {"id", "meeting_id", "channel", "area", "answers"}
        assert json.loads(response.answers) == {"age": "Under 25", "carer": "No"}
        (device,) = session.exec(select(ReachDevice)).all()
        assert "phone-1" not in device.device_hash and len(device.device_hash) == 64
        assert [n.name for n in session.exec(select(ReachName))] == ["Ana"]
    figures = _figures(any_database, workshop)
    assert figures.responses == 1 and figures.names == 1


def test_refusals_name_the_field(any_database: Database, workshop) -> None:
    with any_database.write() as session, pytest.raises(FieldErrors) as refused:
        record_response(
            session,
            meeting_id=workshop.id,
            answers={"age": "ancient", "colour": "blue"},
            area="x" * 41,
        )
    assert set(refused.value.errors) == {"answer-age", "answer-colour", "area"}
    with any_database.write() as session:  # accents and case aside, "prefer not to say"
        record_response(
            session,
            meeting_id=workshop.id,
            answers={"age": "UNDER 25", "carer": "Prefer not to say"},
            device="d",
        )
    with any_database.write() as session:
        meetings.close_meeting(session, meeting_id=workshop.id)
    with any_database.write() as session, pytest.raises(MeetingClosed):
        record_response(session, meeting_id=workshop.id, answers={}, device="late")
    with any_database.write() as session:  # paper cards are entered after the meeting
        record_response(session, meeting_id=workshop.id, answers={}, channel="paper")
    figures = _figures(any_database, workshop)
    age, carer = figures.questions
    assert [g.count for g in age.groups] == [1, 0, 0, 0] and age.not_answered == 1
    assert carer.prefer_not == 1
    assert dict(figures.channels) == {"phone": 1, "paper": 1}


def _figures(database: Database, meeting, **options):
    with database.read() as session:
        return reach_figures(session, meeting_id=meeting.id, **options)


def test_representativeness_on_a_worked_example(database: Database) -> None:
    # Population: under 25 14%, 25-44 34%, 45-64 32%, 65+ 20%. Room: 1, 10, 12, 7 of 30.
    # Shares 3.3%, 33.3%, 40%, 23.3%; |differences| 10.7 + 0.7 + 8 + 3.3 = 22.7 points;
    # Duncan's D = 11.3 points; representativeness 1 - 0.113 = 0.887.
    assert representativeness_of([1, 10, 12, 7], [14, 34, 32, 20]) == pytest.approx(0.8867, 1e-3)
    assert representativeness_of([14, 34, 32, 20], [0.14, 0.34, 0.32, 0.20]) == pytest.approx(1)
    assert representativeness_of([5, 0], [0, 1]) == pytest.approx(0)


def test_room_figures_against_the_population(any_database: Database, workshop) -> None:
    for age, count in (("Under 25", 1), ("25 to 44", 10), ("45 to 64", 12), ("65 or over", 7)):
        for _ in range(count):
            _answer(any_database, workshop, age)
    with any_database.write() as session:
        shares = parse_population(
            "area,question,option,share\n"
            ",age,Under 25,14%\n,age,25 to 44,34%\n,age,45 to 64,32%\n,age,65 or over,20%\n"
        )
        set_population(session, programme_id=workshop.programme_id, shares=shares)
    figures = _figures(any_database, workshop)
    age = figures.questions[0]
    assert age.representativeness == pytest.approx(0.8867, 1e-3)
    assert figures.questions[1].representativeness is None  # no population for "carer"
    assert figures.representativeness == pytest.approx(0.8867, 1e-3)
    assert room_line(figures) == "Under 25: 3% in the room, 14% locally"
    under = age.groups[0]
    assert under.not_heard and not age.groups[1].not_heard  # 3% is under half of 14%
    assert [(q.key, g.label) for q, g in figures.not_heard()] == [("age", "Under 25")]


def test_small_numbers_are_suppressed_and_cannot_be_subtracted() -> None:
    # One small cell alone would be the total minus the others: a second one is hidden too.
    assert suppress([3, 12, 20, 0]) == [None, None, 20, 0]
    assert suppress([3, 2, 20]) == [None, None, 20]  # two small ones hide each other
    assert suppress([0, 7, 8]) == [0, 5, 10]  # zero is shown (nobody), the rest rounded
    assert [round_count(n) for n in (5, 7, 8, 12, 13)] == [5, 5, 10, 10, 15]


def test_published_figures_hide_and_round(any_database: Database, workshop) -> None:
    for age, count in (("Under 25", 2), ("25 to 44", 13), ("45 to 64", 9)):
        for _ in range(count):
            _answer(any_database, workshop, age, carer="Yes" if count == 2 else "No")
    exact = _figures(any_database, workshop)
    shown = published(exact)
    assert shown.published and shown.responses == 25  # 24 rounded to the nearest 5
    age, carer = shown.questions
    counts = [g.count for g in age.groups]
    # Under 25 (2) is hidden; so is the smallest other non-zero cell (45 to 64: 9), so neither
    # is the published total less the others.
    assert counts == [None, 15, None, 0]
    assert [g.share for g in age.groups][0] is None
    assert [g.count for g in carer.groups] == [None, None]  # 2 and 22: both hidden
    assert all(g.count is None or g.count % 5 == 0 for q in shown.questions for g in q.groups)
    # Fewer than 5 responses in all: no breakdown at all.
    with any_database.write() as session:
        other = meetings.create_meeting(session, agenda=load_agenda(WORKSHOP), code="smallone2")
    for _ in range(4):
        _answer(any_database, other, "Under 25")
    few = published(_figures(any_database, other))
    assert few.responses is None and all(not q.groups for q in few.questions)


def test_programme_figures_add_meetings_and_channels(any_database: Database, workshop) -> None:
    with any_database.write() as session:
        second = meetings.create_meeting(session, agenda=load_agenda(WORKSHOP), code="second22")
    for _ in range(3):
        _answer(any_database, workshop, "Under 25", area="E17")
    for _ in range(4):
        _answer(any_database, second, "65 or over", channel="paper", area="e17 ")
    _answer(any_database, second, "65 or over", channel="paper", area="N1")
    with any_database.read() as session:
        whole = reach_figures(session, programme_id=workshop.programme_id)
        e17 = reach_figures(session, programme_id=workshop.programme_id, area="E17")
    assert whole.meetings == 2 and whole.responses == 8
    assert dict(whole.channels) == {"phone": 3, "paper": 5}
    assert [g.count for g in whole.questions[0].groups] == [3, 0, 0, 5]
    assert e17.responses == 7  # "E17" and "e17 " are the same district


def test_the_feed_hears_of_sign_ins_five_at_a_time(any_database: Database, workshop) -> None:
    for _ in range(11):
        _answer(any_database, workshop, "Under 25")
    with any_database.read() as session:
        events = session.exec(select(Event).where(Event.kind == "reach.responses")).all()
    assert [json.loads(e.detail) for e in events] == [{"responses": 5}, {"responses": 10}]
    assert all(e.actor == "" for e in events)


def test_sqlite_keeps_no_insertion_order(database: Database, meeting) -> None:
    with database.read() as session:
        sql = session.execute(
            sa.text("SELECT sql FROM sqlite_master WHERE name = 'reach_response'")
        ).scalar_one()
    assert "WITHOUT ROWID" in sql.upper()
    with database.read() as session, pytest.raises(sa.exc.OperationalError):
        session.execute(sa.text("SELECT rowid FROM reach_response")).all()


def test_population_file_errors_name_line_and_column(any_database: Database, workshop) -> None:
    with pytest.raises(PopulationError) as wrong:
        parse_population("area,question,choice,share\n,age,Under 25,1\n", "pop.csv")
    assert "line 1" in str(wrong.value) and "missing option" in str(wrong.value)
    with pytest.raises(PopulationError) as wrong:
        parse_population(
            "area,question,option,share\n"
            ",age,Under 25,lots\n"
            ",age,25 to 44,150%\n"
            ",age,45 to 64,0.4\n"
            ",age,45 to 64,0.4\n"
            ",carer,Yes,0.2\n"
            ",carer,No,0.2,extra\n",
            "pop.csv",
        )
    text = str(wrong.value)
    assert "pop.csv: line 2, column share: 'lots' is not a share" in text
    assert "line 3, column share" in text and "between 0 and 1" in text
    assert "line 5, column option: '45 to 64' is given twice" in text
    assert "line 7: has 5 cells" in text
    assert "the shares of 'carer' for the whole area add up to 20%" in text
    with pytest.raises(PopulationError, match="empty"):
        parse_population("", "pop.csv")
    shares = parse_population(
        ",".join(["area", "question", "option", "share"]) + "\n,agex,a,1\n,age,Old,1\n"
    )
    with any_database.write() as session, pytest.raises(PopulationError) as unknown:
        set_population(session, programme_id=workshop.programme_id, shares=shares)
    assert "'agex' is not a monitoring question" in str(unknown.value)
    assert "'Old' is not an answer of 'age'" in str(unknown.value)
    good = parse_population(POPULATION.read_text(), str(POPULATION))
    with any_database.write() as session:
        assert set_population(session, programme_id=workshop.programme_id, shares=good) == 10
        # Entered again: replaced, not added to.
        assert set_population(session, programme_id=workshop.programme_id, shares=good) == 10
    assert _figures(any_database, workshop).has_population


def test_prefer_not_is_stored_as_its_own_answer(database: Database) -> None:
    with database.write() as session:
        created = meetings.create_meeting(session, agenda=load_agenda(WORKSHOP), code="prefer22")
        record_response(session, meeting_id=created.id, answers={"age": PREFER_NOT})
        (response,) = session.exec(select(ReachResponse)).all()
    assert json.loads(response.answers) == {"age": PREFER_NOT}
