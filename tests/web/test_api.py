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


def _seed_ideas(live_web: LiveWeb, meeting: Meeting, count: int) -> list[str]:
    from meetingtui.domain.ideas import IdeaInput, capture_idea

    with live_web.database.write() as session:
        return [
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=f"Idea {n}")).ref
            for n in range(count)
        ]


def test_meeting_read_is_paged(live_web: LiveWeb, meeting: Meeting) -> None:
    """The listing comes a page at a time (newest first), saying where it is and what is next."""
    refs = _seed_ideas(live_web, meeting, 7)
    newest_first = refs[::-1]

    body = live_web.client.get("/api/meetings/testcode23?per_page=3").json()
    assert [i["ref"] for i in body["ideas"]] == newest_first[:3]
    assert (body["total"], body["page"], body["pages"], body["per_page"]) == (7, 1, 3, 3)
    assert body["next"] == "/api/meetings/testcode23?page=2&per_page=3"
    assert body["previous"] is None

    seen, link = [], "/api/meetings/testcode23?per_page=3"
    while link:
        page = live_web.client.get(link).json()
        seen += [i["ref"] for i in page["ideas"]]
        link = page["next"]
    assert seen == newest_first  # every idea once, in order

    last = live_web.client.get("/api/meetings/testcode23?page=3&per_page=3").json()
    assert [i["ref"] for i in last["ideas"]] == newest_first[6:]
    assert last["next"] is None
    assert last["previous"] == "/api/meetings/testcode23?page=2&per_page=3"

    default = live_web.client.get("/api/meetings/testcode23").json()
    assert (default["total"], default["page"], default["pages"], default["per_page"]) == (
        7,
        1,
        1,
        100,
    )
    assert len(default["ideas"]) == 7 and default["next"] is None


def test_meeting_read_refuses_bad_pages(live_web: LiveWeb, meeting: Meeting) -> None:
    _seed_ideas(live_web, meeting, 2)
    for query in ("per_page=501", "per_page=0", "page=0", "page=two", "per_page=-1"):
        response = live_web.client.get(f"/api/meetings/testcode23?{query}")
        assert response.status_code == 422, query
        assert response.headers["content-type"] == "application/json"
    assert len(live_web.client.get("/api/meetings/testcode23?per_page=500").json()["ideas"]) == 2
    past = live_web.client.get("/api/meetings/testcode23?page=9&per_page=1").json()
    assert (past["page"], past["pages"], past["next"]) == (2, 2, None)  # the last page


def test_meeting_read_matches_its_openapi_schema(live_web: LiveWeb, meeting: Meeting) -> None:
    import jsonschema

    _seed_ideas(live_web, meeting, 3)
    schema = live_web.client.get("/openapi.json").json()
    operation = schema["paths"]["/api/meetings/{code}"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["page"]["schema"]["minimum"] == 1
    assert parameters["per_page"]["schema"]["maximum"] == 500
    assert parameters["per_page"]["schema"]["default"] == 100
    document = {"$ref": "#/components/schemas/MeetingRead", "components": schema["components"]}
    for link in ("/api/meetings/testcode23", "/api/meetings/testcode23?per_page=2&page=2"):
        body = live_web.client.get(link).json()
        jsonschema.validate(body, document)
    required = schema["components"]["schemas"]["MeetingRead"]["required"]
    assert {"total", "page", "pages", "per_page", "next", "previous"} <= set(required)


def test_an_idea_from_a_paper_card_carries_its_card_number(
    live_web: LiveWeb, meeting: Meeting
) -> None:
    from meetingtui.domain.cards import capture_card_idea
    from meetingtui.domain.ideas import IdeaInput

    spoken = add_idea(live_web.database, meeting, "Free parking")
    with live_web.database.write() as session:
        card = capture_card_idea(
            session,
            meeting_id=meeting.id,
            data=IdeaInput(title="A bench by the bus stop"),
            card_number=137,
        ).ref

    listed = live_web.client.get("/api/meetings/testcode23").json()["ideas"]
    assert {i["ref"]: i["card"] for i in listed} == {card: "C-0137", spoken: None}
    one = live_web.client.get(f"/api/meetings/testcode23/ideas/{card}").json()
    assert one["idea"]["card"] == "C-0137"
