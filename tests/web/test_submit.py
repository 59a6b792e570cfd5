"""Submitting an idea and a comment from the phone: 303 back to the page, the input on the page
and in the database, names only with consent, markup shown as text."""

from __future__ import annotations

from sqlmodel import select

from meetingtui.domain.models import Comment, Idea, Meeting
from tests.web.helpers import LiveWeb, add_idea, idea_refs_in_order

IDEA = {
    "title": "Saturday morning GP appointments",
    "detail": "Many of us work weekdays.\nEven two hours would help.",
    "topic": "GP and primary care access",
    "stakeholder": "carer",
    "raised_by": "Jo Bloggs",
    "organisation": "Riverside Carers",
}


def test_idea_is_saved_and_shown(live_web: LiveWeb, meeting: Meeting) -> None:
    response = live_web.post("/m/testcode23/ideas", {**IDEA, "publish_name": "yes"})

    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/m/testcode23?notice=idea-added&ref=I-")
    ref = location.rsplit("=", 1)[1]

    with live_web.database.read() as session:
        idea = session.exec(select(Idea).where(Idea.ref == ref)).one()
    assert idea.meeting_id == meeting.id
    assert idea.title == IDEA["title"] and idea.detail == IDEA["detail"]
    assert (idea.topic, idea.stakeholder, idea.channel) == (IDEA["topic"], "carer", "phone")
    assert idea.publish_name is True and idea.visibility == "visible"
    assert idea.agenda_item_id == meeting.current_item_id

    document = live_web.client.get(location).text
    assert "Your idea has been added." in document
    assert f'href="#idea-{ref}"' in document
    assert idea_refs_in_order(document) == [ref]
    assert "Saturday morning GP appointments" in document
    assert "Raised by Jo Bloggs, Riverside Carers (Carer)" in document


def test_name_and_organisation_hidden_without_consent(live_web: LiveWeb, meeting: Meeting) -> None:
    response = live_web.post("/m/testcode23/ideas", IDEA)
    assert response.status_code == 303

    document = live_web.page().text
    assert "Saturday morning GP appointments" in document
    assert "Jo Bloggs" not in document
    assert "Riverside Carers" not in document
    assert "Raised by: Carer" in document  # the group is not personal
    api = live_web.client.get("/api/meetings/testcode23").json()
    assert api["ideas"][0]["raised_by"] is None and api["ideas"][0]["organisation"] is None
    with live_web.database.read() as session:
        idea = session.exec(select(Idea)).one()
    assert idea.raised_by == "Jo Bloggs" and idea.publish_name is False  # kept for organisers


def test_minimal_idea_needs_only_a_title(live_web: LiveWeb, meeting: Meeting) -> None:
    assert live_web.post("/m/testcode23/ideas", {"title": "More benches"}).status_code == 303
    assert "More benches" in live_web.page().text


def test_markup_is_shown_as_text(live_web: LiveWeb, meeting: Meeting) -> None:
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    live_web.post(
        "/m/testcode23/ideas",
        {"title": attack[:100], "detail": attack, "raised_by": attack, "publish_name": "yes"},
    )
    ref = idea_refs_in_order(live_web.page().text)[0]
    live_web.post(f"/m/testcode23/ideas/{ref}/comments", {"body": attack})
    # A refused form echoes the text back into the form: escaped there too.
    refused = live_web.post("/m/testcode23/ideas", {"title": "", "detail": attack}).text

    for document in (live_web.page().text, refused):
        assert "<script>" not in document
        assert "<img src=x" not in document
        assert "&lt;script&gt;" in document


def test_comment_is_saved_and_shown_on_its_idea(live_web: LiveWeb, meeting: Meeting) -> None:
    ref = add_idea(live_web.database, meeting, "Free parking for carers")
    other = add_idea(live_web.database, meeting, "Later buses")

    response = live_web.post(
        f"/m/testcode23/ideas/{ref}/comments", {"body": "Yes, and blue badges"}
    )

    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/m/testcode23?notice=comment-added&ref={ref}#idea-{ref}"
    )
    with live_web.database.read() as session:
        comment = session.exec(select(Comment)).one()
    assert (comment.body, comment.channel, comment.author) == ("Yes, and blue badges", "phone", "")

    document = live_web.client.get(response.headers["location"]).text
    card = document[document.index(f'id="idea-{ref}"') :]
    assert card.index("Your comment has been added.") < card.index("Yes, and blue badges")
    other_card = document[document.index(f'id="idea-{other}"') : document.index(f'id="idea-{ref}"')]
    assert "Yes, and blue badges" not in other_card


def test_lower_case_ref_in_the_address_is_accepted(live_web: LiveWeb, meeting: Meeting) -> None:
    ref = add_idea(live_web.database, meeting, "Free parking for carers")
    response = live_web.post(f"/m/testcode23/ideas/{ref.lower()}/comments", {"body": "Agreed"})
    assert response.status_code == 303


def test_pre_moderated_idea_waits_and_the_person_is_told(
    live_web: LiveWeb, pre_moderated: Meeting
) -> None:
    response = live_web.post("/m/testcode23/ideas", {"title": "Longer pharmacy hours"})

    assert response.status_code == 303
    assert "notice=idea-pending" in response.headers["location"]
    document = live_web.client.get(response.headers["location"]).text
    assert "A moderator will check it before it appears" in document
    assert "Longer pharmacy hours" not in document
    with live_web.database.read() as session:
        assert session.exec(select(Idea)).one().visibility == "pending"


def test_pre_moderated_comment_waits(live_web: LiveWeb, pre_moderated: Meeting) -> None:
    ref = add_idea(live_web.database, pre_moderated, "Free parking for carers")  # note-taker's

    response = live_web.post(f"/m/testcode23/ideas/{ref}/comments", {"body": "Please do"})

    assert response.status_code == 303
    assert "notice=comment-pending" in response.headers["location"]
    document = live_web.client.get(response.headers["location"]).text
    assert "your comment has been sent" in document
    assert "Please do" not in document


def test_notice_query_cannot_put_words_on_the_page(live_web: LiveWeb, meeting: Meeting) -> None:
    document = live_web.client.get(
        "/m/testcode23", params={"notice": "You have won", "ref": "<b>x</b>"}
    ).text
    assert "You have won" not in document and "<b>x</b>" not in document
    document = live_web.client.get(
        "/m/testcode23", params={"notice": "idea-added", "ref": '"><b>x</b>'}
    ).text
    assert "<b>x</b>" not in document


def test_reload_after_post_does_not_resubmit(live_web: LiveWeb, meeting: Meeting) -> None:
    """The 303 turns the POST into a GET, so a reload or Back shows the page again only."""
    first = live_web.post("/m/testcode23/ideas", {"title": "More benches"})
    live_web.client.get(first.headers["location"])
    live_web.client.get(first.headers["location"])
    with live_web.database.read() as session:
        assert len(session.exec(select(Idea)).all()) == 1


def test_raw_utf8_in_a_urlencoded_body_is_stored_as_typed(
    live_web: LiveWeb, meeting: Meeting
) -> None:
    """Issue 8 #10: some clients send a urlencoded form without percent-encoding its text. Its
    bytes are UTF-8 (what these pages declare), not latin-1: no mojibake."""
    ref = add_idea(live_web.database, meeting, "Saturday GP appointments")
    token = live_web.csrf_token()
    typed = "Café für alle — 日本語, مرحبا 🎉"  # (joiners: domain/text.py's test)
    for path, field in (
        (f"/m/testcode23/ideas/{ref}/comments", "body"),
        ("/m/testcode23/ideas", "title"),
    ):
        body = f"{field}=".encode() + typed.encode("utf-8") + f"&csrf_token={token}".encode()
        response = live_web.client.post(
            path, content=body, headers={"content-type": "application/x-www-form-urlencoded"}
        )
        assert response.status_code == 303, path
    encoded = live_web.client.post(
        f"/m/testcode23/ideas/{ref}/comments", data={"body": typed, "csrf_token": token}
    )
    assert encoded.status_code == 303  # and percent-encoded, as browsers send it, still works
    with live_web.database.read() as session:
        bodies = [c.body for c in session.exec(select(Comment))]
        titles = [i.title for i in session.exec(select(Idea))]
    assert bodies == [typed, typed]
    assert typed in titles
