"""Supporting ideas, asking to speak, reading one idea whole, sorting and paging the list: over
real HTTP, as phones do it."""

from __future__ import annotations

import re

from sqlmodel import select

from meetingtui.domain import meetings
from meetingtui.domain.ideas import add_comment
from meetingtui.domain.models import Meeting, Speaker, Support
from meetingtui.domain.speakers import add_speaker
from tests.web.helpers import (
    LiveWeb,
    add_idea,
    controls,
    error_summary_links,
    field_error,
    idea_refs_in_order,
    page_title,
)


def _supports(live_web: LiveWeb) -> list[Support]:
    with live_web.database.read() as session:
        return list(session.exec(select(Support)))


def _card(document: str, ref: str) -> str:
    start = document.index(f'id="idea-{ref}"')
    end = document.find('<article class="idea"', start + 1)
    return document[start : end if end != -1 else len(document)]


# ---------------------------------------------------------------------------- supports


def test_support_once_per_device_and_a_second_tap_takes_it_back(
    live_web: LiveWeb, meeting: Meeting
) -> None:
    ref = add_idea(live_web.database, meeting, "Saturday GP appointments")

    first = live_web.post(f"/m/testcode23/ideas/{ref}/support", {})
    assert first.status_code == 303
    assert first.headers["location"] == f"/m/testcode23?notice=supported&ref={ref}#idea-{ref}"
    card = _card(live_web.client.get(first.headers["location"]).text, ref)
    assert "Supporters: 1" in card
    assert 'aria-pressed="true"' in card and "You support this" in card
    assert "You support this idea." in card  # the notice, on the card itself

    again = live_web.post(f"/m/testcode23/ideas/{ref}/support", {})
    assert again.status_code == 303 and "notice=unsupported" in again.headers["location"]
    card = _card(live_web.page().text, ref)
    assert "Supporters: 0" in card and 'aria-pressed="false"' in card
    assert _supports(live_web) == []


def test_each_device_supports_on_its_own(live_web: LiveWeb, meeting: Meeting) -> None:
    ref = add_idea(live_web.database, meeting, "Saturday GP appointments")
    other = live_web.phone()

    assert live_web.post(f"/m/testcode23/ideas/{ref}/support", {}).status_code == 303
    assert other.post(f"/m/testcode23/ideas/{ref}/support", {}).status_code == 303

    assert len({s.device for s in _supports(live_web)}) == 2
    assert "Supporters: 2" in _card(other.page().text, ref)
    api = live_web.client.get("/api/meetings/testcode23").json()
    assert api["ideas"][0]["support_count"] == 2


def test_support_returns_to_the_view_it_came_from(live_web: LiveWeb, meeting: Meeting) -> None:
    ref = add_idea(live_web.database, meeting, "Saturday GP appointments")
    path = f"/m/testcode23/ideas/{ref}/support"

    sorted_view = live_web.post(path, {"back": "/m/testcode23?sort=support&page=2"})
    assert sorted_view.headers["location"].startswith("/m/testcode23?sort=support&page=2&notice")
    idea_view = live_web.post(path, {"back": f"/m/testcode23/ideas/{ref}"})
    assert idea_view.headers["location"].startswith(f"/m/testcode23/ideas/{ref}?notice=")
    for elsewhere in ("https://evil.example/", "//evil.example", "/m/othercode2", "/m/testcode23x"):
        response = live_web.post(path, {"back": elsewhere})
        assert response.headers["location"].startswith("/m/testcode23?notice="), elsewhere


def test_support_refusals(live_web: LiveWeb, pre_moderated: Meeting) -> None:
    unknown = live_web.post("/m/testcode23/ideas/I-9999/support", {})
    assert unknown.status_code == 404
    assert "your support was not recorded" in error_summary_links(unknown.text)[0][1]
    assert live_web.post("/m/testcode23/ideas/nonsense/support", {}).status_code == 404
    live_web.post("/m/testcode23/ideas", {"title": "Waiting for a moderator"})
    pending = live_web.post("/m/testcode23/ideas/I-0001/support", {})
    assert pending.status_code == 404
    assert live_web.post("/m/nosuchcode/ideas/I-0001/support", {}).status_code == 404
    assert _supports(live_web) == []


def test_closed_meeting_takes_no_support_and_no_requests_to_speak(
    live_web: LiveWeb, discussion: Meeting
) -> None:
    ref = add_idea(live_web.database, discussion, "Saturday GP appointments")
    token = live_web.csrf_token()
    with live_web.database.write() as session:
        meetings.close_meeting(session, meeting_id=discussion.id)

    support = live_web.post(f"/m/testcode23/ideas/{ref}/support", {"csrf_token": token})
    speak = live_web.post("/m/testcode23/speakers", {"name": "Sam", "csrf_token": token})

    assert support.status_code == 409 and speak.status_code == 409
    assert "This meeting has closed" in support.text
    assert controls(speak.text).values["unsent-text"] == "Sam"
    assert _supports(live_web) == []
    with live_web.database.read() as session:
        assert session.exec(select(Speaker)).all() == []
    page = live_web.page().text
    assert "Support this idea" not in page and "/speakers" not in page


def test_most_supported_first(live_web: LiveWeb, meeting: Meeting) -> None:
    quiet = add_idea(live_web.database, meeting, "Quiet idea")
    popular = add_idea(live_web.database, meeting, "Popular idea")
    newest = add_idea(live_web.database, meeting, "Newest idea")
    for phone in (live_web, live_web.phone(), live_web.phone()):
        phone.post(f"/m/testcode23/ideas/{popular}/support", {})
    live_web.phone().post(f"/m/testcode23/ideas/{quiet}/support", {})

    assert idea_refs_in_order(live_web.page().text) == [newest, popular, quiet]
    by_support = live_web.client.get("/m/testcode23", params={"sort": "support"}).text
    assert idea_refs_in_order(by_support) == [popular, quiet, newest]
    assert '<strong aria-current="true">Most supported first</strong>' in by_support


# ---------------------------------------------------------------------------- speakers


def test_ask_to_speak_and_see_the_place(live_web: LiveWeb, discussion: Meeting) -> None:
    with live_web.database.write() as session:
        add_speaker(session, meeting_id=discussion.id, name="From the floor")

    response = live_web.post("/m/testcode23/speakers", {"name": "Sam Jones"})

    assert response.status_code == 303
    assert response.headers["location"] == "/m/testcode23?notice=speaker-added#speak"
    document = live_web.client.get(response.headers["location"]).text
    assert "You have asked to speak." in document
    assert "You are number 2 in the queue to speak." in document
    assert 'action="/m/testcode23/speakers"' not in document  # no second request offered
    with live_web.database.read() as session:
        speaker = session.exec(select(Speaker).where(Speaker.source == "phone")).one()
    assert (speaker.name, speaker.agenda_item_id) == ("Sam Jones", discussion.current_item_id)

    # Asking again (a double tap, a second tab) keeps the place.
    assert live_web.post("/m/testcode23/speakers", {"name": ""}).status_code == 303
    with live_web.database.read() as session:
        assert len(session.exec(select(Speaker)).all()) == 2
    assert live_web.client.get("/m/testcode23/live").json()["text"]["queue"] == (
        "You are number 2 in the queue to speak."
    )


def test_a_phone_can_take_its_own_request_back(live_web: LiveWeb, discussion: Meeting) -> None:
    assert live_web.post("/m/testcode23/speakers", {"name": "Sam Jones"}).status_code == 303
    page = live_web.page().text
    assert 'action="/m/testcode23/speakers/withdraw"' in page  # offered while waiting

    response = live_web.post("/m/testcode23/speakers/withdraw", {})
    assert response.status_code == 303
    assert response.headers["location"] == "/m/testcode23?notice=speaker-withdrawn#speak"
    document = live_web.client.get(response.headers["location"]).text
    assert "You are no longer in the queue to speak." in document
    assert 'action="/m/testcode23/speakers"' in document  # may ask again
    with live_web.database.read() as session:
        assert session.exec(select(Speaker)).one().status == "withdrawn"

    # Nothing left to withdraw (a second tap): back to the page, nobody else touched.
    with live_web.database.write() as session:
        add_speaker(session, meeting_id=discussion.id, name="From the floor")
    again = live_web.post("/m/testcode23/speakers/withdraw", {})
    assert again.status_code == 303 and again.headers["location"] == "/m/testcode23#speak"
    with live_web.database.read() as session:
        statuses = sorted(s.status for s in session.exec(select(Speaker)))
    assert statuses == ["waiting", "withdrawn"]


def test_withdrawing_needs_the_form_token(live_web: LiveWeb, discussion: Meeting) -> None:
    assert live_web.post("/m/testcode23/speakers", {}).status_code == 303
    forged = live_web.client.post("/m/testcode23/speakers/withdraw", data={"csrf_token": "x"})
    assert forged.status_code == 403
    with live_web.database.read() as session:
        assert session.exec(select(Speaker)).one().status == "waiting"


def test_name_is_optional_and_bounded(live_web: LiveWeb, discussion: Meeting) -> None:
    assert live_web.post("/m/testcode23/speakers", {}).status_code == 303

    other = live_web.phone()
    response = other.post("/m/testcode23/speakers", {"name": "n" * 121})
    assert response.status_code == 422
    assert page_title(response.text).startswith("Error: ")
    assert error_summary_links(response.text) == [
        ("#speaker-name", "Name must be 120 characters or fewer (it has 121)")
    ]
    assert field_error(response.text, "speaker-name").startswith("Name must be 120")
    assert controls(response.text).values["speaker-name"] == "n" * 121


def test_requests_to_speak_only_in_discussion_items(live_web: LiveWeb, meeting: Meeting) -> None:
    page = live_web.page().text  # the first item is a presentation
    assert 'action="/m/testcode23/speakers"' not in page
    assert "Requests to speak open during discussion and public comment items." in page

    response = live_web.post("/m/testcode23/speakers", {"name": "Sam"})

    assert response.status_code == 409
    assert error_summary_links(response.text) == [
        ("#speak", "Requests to speak open during discussion and public comment items.")
    ]
    assert controls(response.text).values["unsent-text"] == "Sam"


# ---------------------------------------------------------------------------- reading


def test_idea_page_shows_the_whole_idea_and_every_comment(
    live_web: LiveWeb, meeting: Meeting
) -> None:
    long_detail = "Word " * 200
    ref = add_idea(live_web.database, meeting, "Saturday GP appointments", detail=long_detail)
    with live_web.database.write() as session:
        for n in range(5):
            add_comment(session, meeting_id=meeting.id, idea_ref=ref, body=f"Comment number {n}")

    listing = _card(live_web.page().text, ref)
    assert long_detail.strip() not in listing and "…" in listing  # cut on the list
    assert f'href="/m/testcode23/ideas/{ref}"' in listing
    assert "See all 5 comments" in listing
    assert "Comment number 0" not in listing and "Comment number 4" in listing

    page = live_web.client.get(f"/m/testcode23/ideas/{ref.lower()}")
    assert page.status_code == 200
    assert long_detail.strip() in page.text
    assert all(f"Comment number {n}" in page.text for n in range(5))
    assert page_title(page.text).startswith(f"{ref}: Saturday GP appointments")
    assert f'action="/m/testcode23/ideas/{ref}/comments"' in page.text


def test_idea_page_404s(live_web: LiveWeb, pre_moderated: Meeting) -> None:
    live_web.post("/m/testcode23/ideas", {"title": "Waiting for a moderator"})
    for path in (
        "/m/testcode23/ideas/I-0001",  # pending
        "/m/testcode23/ideas/I-9999",
        "/m/testcode23/ideas/nonsense",
        "/m/nosuchcode/ideas/I-0001",
    ):
        response = live_web.client.get(path)
        assert response.status_code == 404, path
        assert "Page not found" in response.text


def test_refused_comment_on_the_idea_page_comes_back_there(
    live_web: LiveWeb, meeting: Meeting
) -> None:
    ref = add_idea(live_web.database, meeting, "Saturday GP appointments")
    response = live_web.post(
        f"/m/testcode23/ideas/{ref}/comments",
        {"body": " ", "back": f"/m/testcode23/ideas/{ref}"},
    )
    assert response.status_code == 422
    assert page_title(response.text).startswith(f"Error: {ref}")
    ok = live_web.post(
        f"/m/testcode23/ideas/{ref}/comments", {"body": "Yes", "back": f"/m/testcode23/ideas/{ref}"}
    )
    assert ok.headers["location"] == (
        f"/m/testcode23/ideas/{ref}?notice=comment-added&ref={ref}#idea-{ref}"
    )


def test_long_lists_are_paged(live_web: LiveWeb, meeting: Meeting) -> None:
    refs = [add_idea(live_web.database, meeting, f"Idea number {n}") for n in range(20)]

    first = live_web.page().text
    assert idea_refs_in_order(first) == refs[::-1][:15]
    assert "Page 1 of 2" in first
    assert re.search(r'href="/m/testcode23\?page=2#ideas">More ideas</a>', first)
    second = live_web.client.get("/m/testcode23", params={"page": "2"}).text
    assert idea_refs_in_order(second) == refs[::-1][15:]
    beyond = live_web.client.get("/m/testcode23", params={"page": "99"}).text
    assert idea_refs_in_order(beyond) == refs[::-1][15:]
    for nonsense in ("-1", "abc", "9" * 50):
        assert live_web.client.get("/m/testcode23", params={"page": nonsense}).status_code == 200
    assert "Read the ideas (20)" in first


def test_each_form_says_whether_the_name_is_published_and_keeps_its_word(
    live_web: LiveWeb, discussion: Meeting
) -> None:
    """Issue 8 #5: the forms state plainly what happens to a name, and the record does it."""
    from meetingtui.domain.public import Audience
    from meetingtui.domain.speakers import call_next_speaker
    from meetingtui.export import export_meeting

    page = live_web.page().text
    assert "Published only if you tick the box below." in page
    assert "Publish my name and organisation with my idea" in page
    assert "Unticked: they are not published, and only the meeting organisers see them." in page
    assert "It is not published: not on this page, not in the minutes." in page

    assert live_web.post("/m/testcode23/speakers", {"name": "Ada Phone"}).status_code == 303
    idea = {"title": "Bench by the bus stop", "raised_by": "Una Ticked"}
    assert live_web.post("/m/testcode23/ideas", idea).status_code == 303
    named = {"title": "Lights on the path", "raised_by": "Tia Ticked", "publish_name": "yes"}
    assert live_web.post("/m/testcode23/ideas", named).status_code == 303
    with live_web.database.write() as session:
        call_next_speaker(session, meeting_id=discussion.id)
    page = live_web.page().text
    assert "Tia Ticked" in page and "Una Ticked" not in page and "Ada Phone" not in page
    with live_web.database.read() as session:
        minutes = export_meeting(session, discussion.id, "md")
        copy = export_meeting(session, discussion.id, "md", audience=Audience.ORGANISERS)
    assert "Tia Ticked" in minutes and "Una Ticked" not in minutes and "Ada Phone" not in minutes
    assert "Not for publication" in copy and "Una Ticked" in copy and "Ada Phone" in copy
