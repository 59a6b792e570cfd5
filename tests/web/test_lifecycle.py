"""The phone page through a meeting's life: before it starts (read the agenda, share ideas and
comment; asking to speak waits, and the page says so), a queue carried over to the next item,
and a reopened meeting."""

from __future__ import annotations

from sqlmodel import select

from meetingtui.agenda import load_agenda
from meetingtui.domain import meetings, speakers
from meetingtui.domain.models import Comment, Idea, Meeting, Speaker
from tests.conftest import TOWN_HALL
from tests.web.helpers import LiveWeb, add_idea


def _planned(database) -> Meeting:  # noqa: ANN001
    with database.write() as session:
        return meetings.create_meeting(session, agenda=load_agenda(TOWN_HALL), code="plancode23")


def test_before_the_start_phones_read_the_agenda_share_ideas_and_comment(
    live_web: LiveWeb,
) -> None:
    planned = _planned(live_web.database)
    page = live_web.page("plancode23")
    assert page.status_code == 200
    assert "The meeting has not started yet. You can already share an idea." in page.text
    assert "The agenda" in page.text
    for spec in load_agenda(TOWN_HALL).items:
        assert spec.title in page.text
    assert "You can ask to speak once its discussion or public comment item begins" in page.text
    assert 'action="/m/plancode23/speakers"' not in page.text  # no form to ask with yet

    sent = live_web.post("/m/plancode23/ideas", {"title": "Early idea"})
    assert sent.status_code == 303
    commented = live_web.post("/m/plancode23/ideas/I-0001/comments", {"body": "Agreed"})
    assert commented.status_code == 303
    with live_web.database.read() as session:
        assert [i.title for i in session.exec(select(Idea))] == ["Early idea"]
        assert [c.body for c in session.exec(select(Comment))] == ["Agreed"]
        assert session.get(Meeting, planned.id).status == "planned"


def test_asking_to_speak_before_the_start_is_refused_in_words(live_web: LiveWeb) -> None:
    _planned(live_web.database)
    token = live_web.csrf_token("/m/plancode23")
    refused = live_web.post("/m/plancode23/speakers", {"name": "Sam", "csrf_token": token})
    assert refused.status_code == 409
    assert "The meeting has not started yet. You can ask to speak once" in refused.text
    with live_web.database.read() as session:
        assert session.exec(select(Speaker)).all() == []


def test_once_started_the_agenda_list_gives_way_to_the_current_item(live_web: LiveWeb) -> None:
    planned = _planned(live_web.database)
    with live_web.database.write() as session:
        meetings.start_meeting(session, meeting_id=planned.id)
    page = live_web.page("plancode23").text
    assert "Happening now" in page and 'id="agenda"' not in page


def test_a_phone_carried_over_keeps_its_place_on_the_next_item(
    live_web: LiveWeb, discussion: Meeting
) -> None:
    asked = live_web.post("/m/testcode23/speakers", {"name": "Sam"})
    assert asked.status_code == 303
    with live_web.database.write() as session:
        left = session.get(Meeting, discussion.id).current_item_id
        # The break takes no requests from phones; the open floor after it does.
        meetings.move_to_item(session, meeting_id=discussion.id, step=1)
        after = meetings.move_to_item(session, meeting_id=discussion.id, step=1)
        speakers.settle_waiting(
            session,
            meeting_id=discussion.id,
            from_item_id=left,
            to_item_id=after.id,
            choice=speakers.CARRY_OVER,
        )
    page = live_web.page().text
    assert "Open floor: questions and ideas" in page
    assert "Take me out of the queue" in page  # still waiting, now on this item


def test_a_reopened_meeting_takes_phone_input_again(live_web: LiveWeb, meeting: Meeting) -> None:
    add_idea(live_web.database, meeting, "Before the close")
    token = live_web.csrf_token()  # the page was open before the meeting closed
    with live_web.database.write() as session:
        meetings.close_meeting(session, meeting_id=meeting.id)
    closed = live_web.post("/m/testcode23/ideas", {"title": "Late", "csrf_token": token})
    assert closed.status_code == 409 and "This meeting has closed" in closed.text
    with live_web.database.write() as session:
        meetings.reopen_meeting(session, meeting_id=meeting.id)
    assert live_web.post("/m/testcode23/ideas", {"title": "After reopening"}).status_code == 303
    with live_web.database.read() as session:
        titles = [i.title for i in session.exec(select(Idea))]
    assert titles == ["Before the close", "After reopening"]


def test_serve_alone_starts_a_meeting_nobody_started(database, monkeypatch) -> None:  # noqa: ANN001
    """There is no start key without a console: ``serve`` serves the meeting as it stands,
    started if nobody has started it; ``run`` leaves it for the facilitator's S."""
    from meetingtui import cli
    from meetingtui import runtime as run
    from meetingtui.web import serve

    planned = _planned(database)
    monkeypatch.setattr(run, "run_console_lazily", lambda **kwargs: kwargs["open_meeting"]() and 0)
    assert cli.main(["run", planned.code, "--db", database.url]) == 0
    with database.read() as session:
        assert session.get(Meeting, planned.id).status == "planned"

    monkeypatch.setattr(serve, "serve_meeting", lambda **kwargs: 0)
    assert cli.main(["serve", planned.code, "--db", database.url]) == 0
    with database.read() as session:
        started = session.get(Meeting, planned.id)
        assert started.status == "running" and started.current_item_id is not None
