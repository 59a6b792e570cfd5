"""Receipts on the phone: an idea just sent shows its ref and where its answer will be
published; the idea's own page shows its published status, response and history, never a
draft. Real HTTP, no JavaScript (plain HTML)."""

from __future__ import annotations

import html

import pytest

from meetingtui.domain import lifecycle, receipts
from meetingtui.domain.errors import FieldErrors
from meetingtui.domain.ideas import find_idea
from meetingtui.domain.lifecycle import Review, review_ideas
from meetingtui.domain.models import Meeting
from meetingtui.domain.states import IdeaStatus
from tests.web.helpers import LiveWeb, add_idea

NO_SITE = "Your idea's answer will be published with the meeting's record; keep this reference."


def _text(document: str) -> str:
    return html.unescape(document)


def test_an_idea_sent_from_a_phone_shows_its_ref_and_where_its_answer_goes(
    live_web: LiveWeb, meeting: Meeting
) -> None:
    sent = live_web.post("/m/testcode23/ideas", {"title": "Later buses on Sundays"})
    assert sent.status_code == 303
    page = _text(live_web.client.get(sent.headers["location"]).text)
    assert "Your idea's reference is testcode23/I-0001." in page
    assert NO_SITE in page

    with live_web.database.write() as session:
        receipts.set_site_url(session, "https://consult.example.org/town")
    sent = live_web.post("/m/testcode23/ideas", {"title": "A second idea"})
    page = live_web.client.get(sent.headers["location"]).text
    address = "https://consult.example.org/town/ideas/testcode23/I-0002.html"
    assert f'<a href="{address}">{address}</a>' in page
    assert NO_SITE not in page


def test_a_waiting_idea_gets_its_receipt_too(live_web: LiveWeb, pre_moderated: Meeting) -> None:
    sent = live_web.post("/m/testcode23/ideas", {"title": "Longer pharmacy hours"})
    page = _text(live_web.client.get(sent.headers["location"]).text)
    assert "A moderator will check it" in page
    assert "Your idea's reference is testcode23/I-0001." in page


def test_the_idea_page_shows_the_published_answer_and_history_only(
    live_web: LiveWeb, meeting: Meeting
) -> None:
    ref = add_idea(live_web.database, meeting, "Saturday GP appointments")
    with live_web.database.write() as session:
        idea = find_idea(session, meeting_id=meeting.id, ref=ref)
        review = Review(
            status=IdeaStatus.ADAPTED, reason="Mornings only", response="From March, 9 to 12"
        )
        review_ideas(session, idea_ids=[idea.id], review=review)

    def page() -> str:
        return _text(live_web.client.get(f"/m/testcode23/ideas/{ref}").text)

    drafted = page()
    assert "Reference: testcode23/I-0001" in drafted
    assert "Status: New" in drafted
    assert "No answer has been published yet." in drafted
    assert "Mornings only" not in drafted and "From March" not in drafted  # drafts never
    assert "History" not in drafted

    with live_web.database.write() as session:
        lifecycle.publish_answers(session, idea_ids=[idea.id])
        lifecycle.set_response(session, idea_ids=[idea.id], response="A newer draft")
    shown = page()
    assert "Status: Adapted" in shown
    assert "Why: Mornings only" in shown
    assert "From March, 9 to 12" in shown
    assert "status changed from New to Adapted (Mornings only)" in shown
    assert "the response was published" in shown
    assert "A newer draft" not in shown
    assert NO_SITE in shown


def test_people_s_words_in_an_answer_are_shown_as_typed(
    live_web: LiveWeb, meeting: Meeting
) -> None:
    attack = '<script>alert("x")</script> & <b>bold</b>'
    ref = add_idea(live_web.database, meeting, "Benches")
    with live_web.database.write() as session:
        idea = find_idea(session, meeting_id=meeting.id, ref=ref)
        review = Review(
            status=IdeaStatus.NOT_TAKEN_FORWARD, reason=attack, response=attack, publish=True
        )
        review_ideas(session, idea_ids=[idea.id], review=review)
    document = live_web.client.get(f"/m/testcode23/ideas/{ref}").text
    assert "<script>alert" not in document and "<b>bold</b>" not in document
    assert (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in document
    )


def test_the_answer_page_is_in_the_meeting_s_language(live_web: LiveWeb, meeting: Meeting) -> None:
    with live_web.database.write() as session:
        session.get(Meeting, meeting.id).language = "es"
    ref = add_idea(live_web.database, meeting, "Bancos")
    page = _text(live_web.client.get(f"/m/testcode23/ideas/{ref}").text)
    assert "Qué ha sido de esta idea" in page
    assert "Estado: Nueva" in page
    assert "La respuesta a tu idea se publicará con el acta de la reunión" in page


def test_a_site_address_must_be_on_the_web(database) -> None:
    with database.write() as session:
        with pytest.raises(FieldErrors):
            receipts.set_site_url(session, "javascript:alert(1)")
        with pytest.raises(FieldErrors):
            receipts.set_site_url(session, "file:///tmp/site")
        assert (
            receipts.set_site_url(session, " https://x.example/site ") == "https://x.example/site/"
        )
        assert receipts.site_url(session) == "https://x.example/site/"
        assert receipts.set_site_url(session, "") == ""


def test_a_crafted_link_shows_no_receipt(live_web: LiveWeb, pre_moderated: Meeting) -> None:
    """Only an idea this phone may see, or its own waiting one, gets a receipt."""
    from meetingtui.domain.ideas import IdeaInput, capture_idea, set_idea_deleted
    from meetingtui.domain.moderation import set_visibility

    mine = live_web.post("/m/testcode23/ideas", {"title": "Mine, waiting"})  # I-0001, pending
    own = _text(live_web.client.get(mine.headers["location"]).text)
    assert "Your idea's reference is testcode23/I-0001." in own
    with live_web.database.write() as session:
        meeting_id = pre_moderated.id
        other = capture_idea(  # I-0002: another phone's, waiting
            session,
            meeting_id=meeting_id,
            data=IdeaInput(title="Someone else's"),
            from_public=True,
            device="another-phone",
        )
        hidden, gone, shown = (
            capture_idea(session, meeting_id=meeting_id, data=IdeaInput(title=t))
            for t in ("Taken down", "Deleted", "Public")
        )
        set_visibility(
            session, meeting_id=meeting_id, entity="idea", entity_id=hidden.id, visibility="hidden"
        )
        set_idea_deleted(session, meeting_id=meeting_id, idea_id=gone.id, deleted=True)
        refs = (other.ref, hidden.ref, gone.ref, shown.ref)
    assert other.visibility == "pending"

    def receipt(ref: str) -> bool:
        page = _text(live_web.client.get(f"/m/testcode23?notice=idea-added&ref={ref}").text)
        return "Your idea's reference is" in page

    assert [receipt(ref) for ref in (*refs, "I-0099")] == [False, False, False, True, False]
    assert receipt("I-0001")  # this phone's own waiting idea
