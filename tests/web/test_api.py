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


def test_idea_read_with_comments_and_supports(live_web: LiveWeb, meeting: Meeting) -> None:
    from meetingtui.domain.supports import toggle_support

    ref = add_idea(live_web.database, meeting, "Free parking", raised_by="Bo")
    with live_web.database.write() as session:
        add_comment(session, meeting_id=meeting.id, idea_ref=ref, body="First")
        add_comment(session, meeting_id=meeting.id, idea_ref=ref, body="<b>Second</b>")
        toggle_support(session, meeting_id=meeting.id, idea_ref=ref, device="phone-1")

    body = live_web.client.get(f"/api/meetings/testcode23/ideas/{ref.lower()}").json()

    assert body["meeting_code"] == "testcode23"
    assert body["idea"]["ref"] == ref and body["idea"]["raised_by"] is None  # no consent
    assert body["idea"]["support_count"] == 1 and body["idea"]["comment_count"] == 2
    assert [c["body"] for c in body["comments"]] == ["First", "<b>Second</b>"]  # JSON, as is
    schema = live_web.client.get("/openapi.json").json()
    assert "/api/meetings/{code}/ideas/{ref}" in schema["paths"]


def test_unknown_idea_is_json_404(live_web: LiveWeb, meeting: Meeting) -> None:
    for path in ("/api/meetings/testcode23/ideas/I-9999", "/api/meetings/nope/ideas/I-0001"):
        response = live_web.client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/json"
