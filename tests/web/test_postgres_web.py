"""The attendee web in team mode: every kind of post, through the group-commit writer, on a
shared PostgreSQL server (skipped when none answers, like the store's team-mode test)."""

from __future__ import annotations

from sqlmodel import select

from meetingtui.agenda import load_agenda
from meetingtui.domain import meetings
from meetingtui.domain.models import Comment, Event, Speaker, Support
from meetingtui.store.database import Database
from tests.conftest import TOWN_HALL
from tests.web.conftest import running_web


def test_phone_posts_on_postgresql(postgres_url) -> None:
    database = Database.open(postgres_url, migrate=True)
    with database.write() as session:
        meeting = meetings.create_meeting(session, agenda=load_agenda(TOWN_HALL), code="testcode23")
        meetings.start_meeting(session, meeting_id=meeting.id)
        meetings.move_to_item(session, meeting_id=meeting.id, step=2)
    with running_web(database) as web:
        idea = web.post("/m/testcode23/ideas", {"title": "Saturday GP appointments"})
        assert idea.status_code == 303
        ref = idea.headers["location"].rsplit("=", 1)[1]
        for body in ("Yes", "  ", "And evenings"):
            web.post(f"/m/testcode23/ideas/{ref}/comments", {"body": body})
        assert web.post(f"/m/testcode23/ideas/{ref}/support", {}).status_code == 303
        assert web.post("/m/testcode23/speakers", {"name": "Sam"}).status_code == 303
        page = web.page().text
    with database.read() as session:
        assert sorted(c.body for c in session.exec(select(Comment))) == ["And evenings", "Yes"]
        assert len(session.exec(select(Support)).all()) == 1
        assert len(session.exec(select(Speaker)).all()) == 1
        kinds = [e.kind for e in session.exec(select(Event).order_by(Event.id))]
    assert kinds.count("comment.added") == 2 and "support.added" in kinds
    assert "You are next in the queue to speak." in page and "Supporters: 1" in page
    database.close()
