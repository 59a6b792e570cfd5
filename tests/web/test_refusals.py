"""Every refusal shows the page again with a 4xx status in the GOV.UK error pattern: "There is a
problem" with a link to each field, the message beside the field, "Error: " in the title, and
everything the person typed kept."""

from __future__ import annotations

import pytest
from sqlmodel import select

from meetingtui.domain import meetings
from meetingtui.domain.models import Comment, Idea, Meeting
from tests.web.helpers import (
    LiveWeb,
    add_idea,
    controls,
    error_summary_links,
    field_error,
    page_title,
)

TYPED = {
    "detail": "Because the bus stops at six.",
    "stakeholder": "resident",
    "raised_by": "Sam",
    "organisation": "Tenants' association",
    "publish_name": "yes",
}


def _raw(live_web: LiveWeb, request: bytes) -> bytes:
    """Send bytes no well-behaved client would; return what came back."""
    import socket

    host, port = live_web.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def _count(live_web: LiveWeb, model: type) -> int:
    with live_web.database.read() as session:
        return len(session.exec(select(model)).all())


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Enter a title for your idea"),
        ({"title": "   \t  "}, "title", "Enter a title for your idea"),
        ({"title": "\u200b\u200d\u2060"}, "title", "Enter a title for your idea"),
        ({"title": "x" * 121}, "title", "Title must be 120 characters or fewer (it has 121)"),
        ({"title": "Ok", "detail": "d" * 4001}, "detail", "Detail must be 4,000 characters"),
        ({"title": "Ok", "topic": "Parking"}, "topic", "Choose a topic from the list"),
        ({"title": "Ok", "stakeholder": "alien"}, "stakeholder", "Choose a group from the list"),
    ],
)
def test_refused_idea_is_shown_again_with_the_problem(
    live_web: LiveWeb, meeting: Meeting, changes: dict[str, str], field: str, message: str
) -> None:
    sent = {**TYPED, "topic": "Care at home", **changes}

    response = live_web.post("/m/testcode23/ideas", sent)

    assert response.status_code == 422
    document = response.text
    assert page_title(document).startswith("Error: ")
    assert "There is a problem" in document
    links = error_summary_links(document)
    assert len(links) == 1
    assert links[0][0] == f"#{field}"
    assert links[0][1].startswith(message)
    assert field_error(document, field).startswith(message)
    found = controls(document)
    for name in ("title", "detail", "raised_by", "organisation"):
        assert found.values[name] == sent.get(name, ""), name
    assert found.checked["publish_name"]
    if field != "stakeholder":
        assert found.checked["stakeholder"]  # the first radio is "resident", as chosen
    if field != "topic":
        topic_ids = [
            i for i, v in found.values.items() if i.startswith("topic") and found.checked[i]
        ]
        assert [found.values[i] for i in topic_ids] == ["Care at home"]
    assert _count(live_web, Idea) == 0


def test_several_problems_are_listed_in_page_order(live_web: LiveWeb, meeting: Meeting) -> None:
    response = live_web.post(
        "/m/testcode23/ideas", {"title": "", "organisation": "o" * 201, "topic": "Nope"}
    )
    assert response.status_code == 422
    assert [href for href, _ in error_summary_links(response.text)] == [
        "#title",
        "#topic",
        "#organisation",
    ]


def test_page_without_refusal_has_no_error_pattern(live_web: LiveWeb, meeting: Meeting) -> None:
    document = live_web.page().text
    assert not page_title(document).startswith("Error")
    assert "There is a problem" not in document


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Enter your comment"),
        ("  \n  ", "Enter your comment"),
        ("c" * 1001, "Comment must be 1,000 characters or fewer (it has 1,001)"),
    ],
)
def test_refused_comment_is_shown_again_on_its_idea(
    live_web: LiveWeb, meeting: Meeting, body: str, message: str
) -> None:
    ref = add_idea(live_web.database, meeting, "Free parking for carers")
    add_idea(live_web.database, meeting, "Later buses")

    response = live_web.post(f"/m/testcode23/ideas/{ref}/comments", {"body": body})

    assert response.status_code == 422
    document = response.text
    assert page_title(document).startswith("Error: ")
    assert error_summary_links(document) == [(f"#body-{ref}", message)]
    assert field_error(document, f"body-{ref}") == message
    assert controls(document).values[f"body-{ref}"] == body
    card = document[document.index(f'id="idea-{ref}"') :]
    assert '<details class="details" open>' in card  # the form with the problem is open
    assert _count(live_web, Comment) == 0


def test_unknown_meeting_is_a_friendly_404(live_web: LiveWeb, meeting: Meeting) -> None:
    response = live_web.page("nosuchcode")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Check the meeting code" in response.text
    assert "Traceback" not in response.text


def test_meeting_id_is_not_a_join_code(live_web: LiveWeb, meeting: Meeting) -> None:
    assert live_web.page(str(meeting.id)).status_code == 404


def test_idea_to_unknown_meeting_keeps_the_text(live_web: LiveWeb, meeting: Meeting) -> None:
    response = live_web.post("/m/nosuchcode/ideas", {"title": "Benches", "detail": "By the pond"})
    assert response.status_code == 404
    assert controls(response.text).values["unsent-text"] == "Benches\n\nBy the pond"


def test_comment_on_unknown_idea_is_404_and_keeps_the_text(
    live_web: LiveWeb, meeting: Meeting
) -> None:
    response = live_web.post("/m/testcode23/ideas/I-9999/comments", {"body": "My thoughts"})

    assert response.status_code == 404
    document = response.text
    assert page_title(document).startswith("Error: ")
    assert "That idea is no longer on this page" in error_summary_links(document)[0][1]
    assert controls(document).values["unsent-text"] == "My thoughts"
    assert live_web.post("/m/testcode23/ideas/nonsense/comments", {"body": "x"}).status_code == 404


def test_comment_on_an_idea_waiting_for_moderation_is_refused(
    live_web: LiveWeb, pre_moderated: Meeting
) -> None:
    live_web.post("/m/testcode23/ideas", {"title": "Pending idea"})
    with live_web.database.read() as session:
        ref = session.exec(select(Idea.ref)).one()
    response = live_web.post(f"/m/testcode23/ideas/{ref}/comments", {"body": "Me too"})
    assert response.status_code == 404
    assert _count(live_web, Comment) == 0


def test_closed_meeting_refuses_and_keeps_the_text(live_web: LiveWeb, meeting: Meeting) -> None:
    ref = add_idea(live_web.database, meeting, "Free parking for carers")
    token = live_web.csrf_token()  # the page was open before the meeting closed
    with live_web.database.write() as session:
        meetings.close_meeting(session, meeting_id=meeting.id)

    idea = live_web.post(
        "/m/testcode23/ideas", {"title": "Too late", "detail": "Sorry", "csrf_token": token}
    )
    comment = live_web.post(
        f"/m/testcode23/ideas/{ref}/comments", {"body": "Late comment", "csrf_token": token}
    )

    for response, typed in ((idea, "Too late\n\nSorry"), (comment, "Late comment")):
        assert response.status_code == 409
        document = response.text
        assert page_title(document).startswith("Error: ")
        assert error_summary_links(document) == [
            ("#unsent", "This meeting has closed and is no longer taking ideas or comments.")
        ]
        assert controls(document).values["unsent-text"] == typed
    assert _count(live_web, Idea) == 1 and _count(live_web, Comment) == 0


def test_oversized_body_is_refused_with_a_friendly_413(live_web: LiveWeb, meeting: Meeting) -> None:
    response = live_web.post("/m/testcode23/ideas", {"title": "x", "detail": "y" * 70_000})

    assert response.status_code == 413
    assert "Your message is too long to send" in response.text
    assert 'href="/m/testcode23"' in response.text
    assert _count(live_web, Idea) == 0


def test_oversized_chunked_body_is_refused(live_web: LiveWeb, meeting: Meeting) -> None:
    """No Content-Length: the body is counted as it arrives."""

    def chunks():  # noqa: ANN202 - a generator makes httpx send chunked
        yield b"title=x&detail="
        for _ in range(20):
            yield b"y" * 4096

    response = live_web.client.post(
        "/m/testcode23/ideas",
        content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert "Your message is too long to send" in response.text
    assert _count(live_web, Idea) == 0


def test_longest_valid_idea_in_a_wide_script_fits_the_limit(
    live_web: LiveWeb, meeting: Meeting
) -> None:
    """4,000 characters of Chinese percent-encode to 36 KB: the body limit must not refuse it."""
    response = live_web.post("/m/testcode23/ideas", {"title": "意" * 120, "detail": "见" * 4000})
    assert response.status_code == 303


def test_get_on_a_form_address_leads_back_to_the_page(live_web: LiveWeb, meeting: Meeting) -> None:
    ideas = live_web.client.get("/m/testcode23/ideas")
    assert (ideas.status_code, ideas.headers["location"]) == (303, "/m/testcode23")
    comments = live_web.client.get("/m/testcode23/ideas/i-0001/comments")
    assert comments.headers["location"] == "/m/testcode23#idea-I-0001"
    support = live_web.client.get("/m/testcode23/ideas/I-0001/support")
    assert (support.status_code, support.headers["location"]) == (303, "/m/testcode23#idea-I-0001")
    speakers = live_web.client.get("/m/testcode23/speakers")
    assert (speakers.status_code, speakers.headers["location"]) == (303, "/m/testcode23#speak")


def test_other_methods_and_malformed_requests_get_friendly_pages(
    live_web: LiveWeb, meeting: Meeting
) -> None:
    put = live_web.client.put("/m/testcode23", content=b"x")
    assert put.status_code == 405 and "Page not found" in put.text and "allow" in put.headers
    bad_length = _raw(
        live_web,
        b"POST /m/testcode23/ideas HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n"
        b"Connection: close\r\n\r\ntitle=x",
    )
    assert bad_length.startswith(b"HTTP/1.1 400")
    broken = live_web.client.post(
        "/m/testcode23/ideas",
        content=b"--x\r\nbroken",
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    assert broken.status_code in (400, 403, 422) and "Traceback" not in broken.text
    assert _count(live_web, Idea) == 0


def test_unexpected_error_is_a_plain_500_page_and_logged(
    live_web: LiveWeb, meeting: Meeting, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    from meetingtui.web import pages

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pages, "load_public_meeting", broken)

    response = live_web.page()

    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
    assert "disk on fire" not in response.text and "Traceback" not in response.text
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert any("disk on fire" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)
