"""The attendee web shows an idea's status as published, never the organisers' draft."""

from __future__ import annotations

from meetingtui.domain import lifecycle
from meetingtui.domain.ideas import find_idea
from meetingtui.domain.models import Meeting
from meetingtui.domain.states import IdeaStatus
from tests.web.helpers import LiveWeb, add_idea


def test_the_api_shows_the_published_status_only(live_web: LiveWeb, meeting: Meeting) -> None:
    ref = add_idea(live_web.database, meeting, "Saturday GP appointments")
    with live_web.database.write() as session:
        idea = find_idea(session, meeting_id=meeting.id, ref=ref)
        lifecycle.set_status(session, idea_ids=[idea.id], status=IdeaStatus.ADOPTED)

    def shown() -> list[str]:
        body = live_web.client.get("/api/meetings/testcode23").json()
        return [i["status"] for i in body["ideas"]]

    assert shown() == ["new"]  # a draft decision
    with live_web.database.write() as session:
        lifecycle.publish_answers(session, idea_ids=[idea.id])
    assert shown() == ["adopted"]
