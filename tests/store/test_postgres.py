"""Team mode: the same migrations and services on a shared PostgreSQL server."""

from __future__ import annotations

from meetingtui.agenda import load_agenda
from meetingtui.domain import meetings
from meetingtui.domain.feed import events_since
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.snapshot import load_snapshot
from meetingtui.store.database import Database
from tests.conftest import TOWN_HALL


def test_two_laptops_share_one_meeting(postgres_url) -> None:
    first, second = (
        Database.open(postgres_url, migrate=True),
        Database.open(postgres_url, migrate=True),
    )
    with first.write() as session:
        meeting = meetings.create_meeting(session, agenda=load_agenda(TOWN_HALL))
        meetings.start_meeting(session, meeting_id=meeting.id)
    with second.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="From laptop two"))
    with first.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="From laptop one"))
    with first.read() as session:
        snapshot = load_snapshot(session, meeting.id)
        kinds = [e.kind for e in events_since(session, 0, meeting_id=meeting.id)]
    assert [i.ref for i in snapshot.ideas] == ["I-0001", "I-0002"]
    assert kinds.count("idea.captured") == 2
    first.close()
    second.close()


def test_refs_are_numbered_per_meeting_and_never_repeat_across_laptops(postgres_url) -> None:
    import threading

    from meetingtui.domain.ideas import meeting_ideas

    first, second = (
        Database.open(postgres_url, migrate=True),
        Database.open(postgres_url, migrate=True),
    )
    with first.write() as session:
        one = meetings.create_meeting(session, agenda=load_agenda(TOWN_HALL), code="pgcodeone2")
        two = meetings.create_meeting(session, agenda=load_agenda(TOWN_HALL), code="pgcodetwo2")
        meetings.start_meeting(session, meeting_id=one.id)
        meetings.start_meeting(session, meeting_id=two.id)
    errors: list[BaseException] = []

    def capture_many(database: Database, meeting_id) -> None:
        try:
            for n in range(10):
                with database.write() as session:
                    capture_idea(session, meeting_id=meeting_id, data=IdeaInput(title=f"{n}"))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [
        threading.Thread(target=capture_many, args=(db, m.id))
        for db in (first, second)
        for m in (one, two)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with first.read() as session:
        for meeting in (one, two):
            ideas = meeting_ideas(session, meeting.id)
            assert [i.seq for i in ideas] == list(range(1, 21))
            assert [i.ref for i in ideas][-1] == "I-0020"
    first.close()
    second.close()
