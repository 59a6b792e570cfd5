"""Many ballots at once (``cast_ballots``, what the attendee web's group commit calls), on a real
database (SQLite file and PostgreSQL): each ballot kept or refused on its own, the same device
twice in one batch counted once with its later ballot, a closed poll refusing them all, budget
limits, and the feed and anonymity exactly as for one ballot at a time."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import func, select

from meetingtui.domain import meetings, polls
from meetingtui.domain.errors import DomainError, FieldErrors
from meetingtui.domain.feed import events_since
from meetingtui.domain.models import Event, PollBallot, PollCountedBallot, PollVoter
from tests.domain.test_polls import AGENDA


@pytest.fixture
def running(any_database):
    from meetingtui.agenda import parse_agenda

    with any_database.write() as session:
        meeting = meetings.create_meeting(session, agenda=parse_agenda(AGENDA), code="batches23")
        meetings.start_meeting(session, meeting_id=meeting.id)
    return any_database, meeting


def _open(database, meeting, kind: str = "single", options=("A", "B", "C"), **settings):
    with database.write() as session:
        poll = polls.create_poll(
            session,
            meeting_id=meeting.id,
            type=kind,
            question=f"A {kind} question",
            options=list(options),
            **settings,
        )
        polls.open_poll(session, poll_id=poll.id)
        return poll


def _votes(database, poll) -> list[int]:
    with database.read() as session:
        results = polls.poll_results(session, poll)
    return [figures["votes"] for _, figures in results.rows()]


def _ballot_events(database, meeting) -> int:
    with database.read() as session:
        return sum(e.kind == "poll.ballot" for e in events_since(session, 0, meeting_id=meeting.id))


def test_a_bad_ballot_among_good_ones_is_refused_alone(running) -> None:
    database, meeting = running
    poll = _open(database, meeting)
    with database.write() as session:
        outcomes = polls.cast_ballots(
            session,
            poll_id=poll.id,
            ballots=[("d1", [0]), ("d2", [0, 1]), ("", [1]), ("d3", [7]), ("d4", [2])],
        )
    good, two, nobody, unknown, last = outcomes
    assert isinstance(good, polls.BallotReceipt) and not good.changed
    assert isinstance(two, FieldErrors) and two.errors == {"choices": "Choose one option."}
    assert isinstance(nobody, DomainError) and "could not be recognised" in str(nobody)
    assert isinstance(unknown, FieldErrors)
    assert isinstance(last, polls.BallotReceipt) and last.poll_number == poll.number
    assert _votes(database, poll) == [1, 0, 1]
    assert _ballot_events(database, meeting) == 2  # one per ballot kept, none for the refused


def test_the_same_device_twice_in_one_batch_counts_once_with_its_later_ballot(running) -> None:
    database, meeting = running
    poll = _open(database, meeting)
    with database.write() as session:
        polls.cast_ballot(session, poll_id=poll.id, device="before", choices=[0])
    with database.write() as session:
        outcomes = polls.cast_ballots(
            session,
            poll_id=poll.id,
            ballots=[
                ("twice", [0]),
                ("before", [1]),
                ("twice", [2]),
                ("twice", [0, 1]),  # refused: the ballot before it stands
                ("before", [2]),
            ],
        )
    assert [o.changed for o in outcomes if isinstance(o, polls.BallotReceipt)] == [
        False,
        True,
        True,
        True,
    ]
    assert isinstance(outcomes[3], FieldErrors)
    assert _votes(database, poll) == [0, 0, 2]
    with database.read() as session:
        assert polls.device_choices(session, poll_id=poll.id, device="twice") == [2]
        assert polls.device_choices(session, poll_id=poll.id, device="before") == [2]
        rows = session.exec(select(func.count()).where(PollBallot.poll_id == poll.id)).one()
    assert rows == 2


def test_a_closed_poll_refuses_the_whole_batch_and_stores_nothing(running) -> None:
    database, meeting = running
    poll = _open(database, meeting)
    with database.write() as session:
        polls.close_poll(session, poll_id=poll.id)
    with database.write() as session:
        outcomes = polls.cast_ballots(
            session, poll_id=poll.id, ballots=[("d1", [0]), ("d2", [1]), ("", [0])]
        )
    assert [str(o) for o in outcomes[:2]] == [polls.CLOSED, polls.CLOSED]
    assert "could not be recognised" in str(outcomes[2])  # as one ballot alone is answered
    assert all(isinstance(o, DomainError) for o in outcomes)
    assert _votes(database, poll) == [0, 0, 0] and _ballot_events(database, meeting) == 0


def test_budget_limits_and_devices_counted_before_a_reopen(running) -> None:
    database, meeting = running
    costs = [polls.OptionSpec("Shade", 60), polls.OptionSpec("Benches", 50)]
    poll = _open(database, meeting, "budget", costs + [polls.OptionSpec("Lane", 40)], budget=100)
    with database.write() as session:
        polls.cast_ballot(session, poll_id=poll.id, device="early", choices=[0])
        polls.close_poll(session, poll_id=poll.id)
        polls.reopen_poll(session, poll_id=poll.id)
    with database.write() as session:
        outcomes = polls.cast_ballots(
            session,
            poll_id=poll.id,
            ballots=[("over", [0, 1]), ("early", [2]), ("fits", [0, 2]), ("over", [1])],
        )
    over, early, fits, under = outcomes
    assert isinstance(over, FieldErrors) and "more than the budget of 100" in over.errors["choices"]
    assert isinstance(early, DomainError) and str(early) == polls.COUNTED
    assert isinstance(fits, polls.BallotReceipt) and isinstance(under, polls.BallotReceipt)
    assert not under.changed  # its earlier ballot in the batch was refused: nothing to replace
    assert _votes(database, poll) == [2, 1, 1]


def test_no_link_from_device_to_choice_after_a_batch_is_closed(running) -> None:
    database, meeting = running
    poll = _open(database, meeting)
    devices = [f"batch-device-{n}" for n in range(30)]
    with database.write() as session:
        polls.cast_ballots(
            session, poll_id=poll.id, ballots=[(d, [n % 3]) for n, d in enumerate(devices)]
        )
        polls.close_poll(session, poll_id=poll.id)
    with database.read() as session:
        assert session.exec(select(PollBallot)).all() == []
        assert len(session.exec(select(PollCountedBallot)).all()) == 30
        assert len(session.exec(select(PollVoter)).all()) == 30
        connection = session.connection()
        for table in sa.inspect(connection).get_table_names():
            for row in connection.execute(sa.text(f'SELECT * FROM "{table}"')):
                text = " ".join(str(value) for value in row)
                assert not any(device in text for device in devices), table
        ballots = session.exec(select(Event).where(Event.kind == "poll.ballot")).all()
    assert len(ballots) == 30
    assert all(e.actor == "" and e.detail == f'{{"poll": {poll.number}}}' for e in ballots)


def test_a_ballot_loaded_earlier_in_the_same_transaction_sees_its_change(running) -> None:
    """The web's group commit runs other work in the same session before a batch."""
    database, meeting = running
    poll = _open(database, meeting)
    with database.write() as session:
        polls.cast_ballot(session, poll_id=poll.id, device="phone", choices=[0])
    with database.write() as session:
        loaded = session.exec(select(PollBallot).where(PollBallot.poll_id == poll.id)).one()
        polls.cast_ballots(session, poll_id=poll.id, ballots=[("phone", [1])])
        assert loaded.choices == "[1]"
