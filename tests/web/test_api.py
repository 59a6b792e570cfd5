"""The JSON read API: the same public view as the page, names only with consent."""

from __future__ import annotations

from meetingtui.domain.ideas import add_comment
from meetingtui.domain.models import Meeting
from tests.web.helpers import LiveWeb, add_idea


def test_meeting_read(live_web: LiveWeb, meeting: Meeting) -> None:
    first = add_idea(live_web.database, meeting, "Saturday GP appointments", raised_by="Ann")
    second = add_idea(live_web.database, meeting, "Free parking", raised_by="Bo", publish_name=True)
    with live_web.database.write() as session:
        add_comment(session, meeting_id=meeting.id, idea_ref=second, body="Yes")
        add_comment(session, meeting_id=meeting.id, idea_ref=second, body="Please")

    response = live_web.client.get("/api/meetings/testcode23")

    assert response.status_code == 200
    body = response.json()
    assert body["meeting"]["code"] == "testcode23"
    assert body["meeting"]["status"] == "running"
    assert "Mental health" in body["meeting"]["topics"]
    assert body["current_item"]["title"] == "Welcome and how tonight works"
    assert [(i["ref"], i["comment_count"], i["raised_by"]) for i in body["ideas"]] == [
        (second, 2, "Bo"),
        (first, 0, None),
    ]


def test_unknown_meeting_is_json_404(live_web: LiveWeb) -> None:
    response = live_web.client.get("/api/meetings/nope")
    assert response.status_code == 404
    assert response.json() == {"detail": "No meeting with that code."}
