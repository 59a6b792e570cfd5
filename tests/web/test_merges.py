"""Merged and split ideas on the phone, over real HTTP, on SQLite and PostgreSQL: both refs
resolve, the merged idea says where it went, the kept idea lists its sources, shows their
comments and counts each phone's support once."""

from __future__ import annotations

import html

from meetingtui.domain import merging
from meetingtui.domain.ideas import IdeaInput, add_comment, capture_idea
from tests.domain.test_lifecycle_answers import new_meeting
from tests.web.conftest import running_web


def _text(document: str) -> str:
    return html.unescape(document)


def test_both_refs_resolve_and_supports_count_once_per_phone(any_database) -> None:
    with any_database.write() as session:
        meeting = new_meeting(session, "East", "Transport", code="testcode23")
        a = capture_idea(
            session,
            meeting_id=meeting.id,
            data=IdeaInput(title="Bus lane <b>now</b>", stakeholder="carer", channel="card"),
        ).id
        b = capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Faster buses")).id
        add_comment(session, meeting_id=meeting.id, idea_ref="I-0001", body="Yes please 🚌")
    with running_web(any_database) as web:
        one, two = web.phone(), web.phone()
        for phone, ref in ((one, "I-0001"), (one, "I-0002"), (two, "I-0001")):
            sent = phone.post(f"/m/testcode23/ideas/{ref}/support", {})
            assert sent.status_code == 303
        with any_database.write() as session:
            merging.merge_ideas(session, [a], b, "Clerk")

        source = web.client.get("/m/testcode23/ideas/I-0001")
        assert source.status_code == 200
        page = _text(source.text)
        assert "This idea was merged into another one:" in page
        assert '<a href="/m/testcode23/ideas/I-0002">I-0002: Faster buses</a>' in page
        assert "Bus lane &lt;b&gt;now&lt;/b&gt;" in source.text  # literal, escaped

        kept = web.client.get("/m/testcode23/ideas/I-0002")
        assert kept.status_code == 200
        page = _text(kept.text)
        assert "I-0001: Bus lane <b>now</b>" in page
        assert "Written card" in page and "Carer" in page and "East" in page
        assert "Supporters: 2" in page  # phone one supported both: once
        assert "Yes please 🚌" in page and "on I-0001" in page
        assert "I-0001 was merged into this idea" in page

        # phone one taps support on B again: takes back its support of B, still counted via A
        one.post("/m/testcode23/ideas/I-0002/support", {})
        assert "Supporters: 2" in _text(web.client.get("/m/testcode23/ideas/I-0002").text)

        with any_database.write() as session:
            merging.unmerge(session, a, "Clerk")
        page = _text(web.client.get("/m/testcode23/ideas/I-0002").text)
        assert "Supporters: 0" in page and "Bus lane" not in page
        page = _text(web.client.get("/m/testcode23/ideas/I-0001").text)
        assert "Supporters: 2" in page and "merged into another one" not in page


def test_split_pages_link_both_ways(any_database) -> None:
    with any_database.write() as session:
        meeting = new_meeting(session, "East", "Transport", code="testcode23")
        a = capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Buses and bikes"))
        merging.split_idea(session, a.id, [{"title": "Buses"}, {"title": "Bikes"}], "Clerk")
    with running_web(any_database) as web:
        page = _text(web.client.get("/m/testcode23/ideas/I-0001").text)
        assert "This idea was split into:" in page
        assert "I-0002: Buses" in page and "I-0003: Bikes" in page
        page = _text(web.client.get("/m/testcode23/ideas/I-0003").text)
        assert "Split from I-0001:" in page and "Buses and bikes" in page


def test_a_merged_idea_looks_merged_on_the_phone_and_points_to_the_idea_kept(
    any_database,
) -> None:
    """Found by review: a merged idea's phone page still had a Support button and no "merged
    into" mark at the top (the notice came below the comment form), and the similar ideas
    offered the merged idea first. Now its page says where it went first thing, offers no
    support (a stale form is refused, naming the idea kept), and similar ideas offer the idea
    kept, once, with the one count."""
    with any_database.write() as session:
        meeting = new_meeting(session, "East", "Transport", code="testcode23")
        a = capture_idea(
            session, meeting_id=meeting.id, data=IdeaInput(title="Bus lane on Main Street")
        ).id
        b = capture_idea(
            session, meeting_id=meeting.id, data=IdeaInput(title="Faster <i>buses</i>")
        ).id
    with running_web(any_database) as web:
        one, two = web.phone(), web.phone()
        for phone, ref in ((one, "I-0001"), (one, "I-0002"), (two, "I-0001")):
            assert phone.post(f"/m/testcode23/ideas/{ref}/support", {}).status_code == 303
        with any_database.write() as session:
            merging.merge_ideas(session, [a], b, "Clerk")

        source = one.client.get("/m/testcode23/ideas/I-0001").text
        article = source[source.index('<article class="idea" id="idea-I-0001"') :]
        merged_at = article.index('id="merged-into"')
        assert merged_at < article.index("Comment on this idea")  # at the top, before forms
        mark = article[merged_at : article.index("</p>", merged_at)]
        assert 'href="/m/testcode23/ideas/I-0002"' in mark
        assert "I-0002: Faster &lt;i&gt;buses&lt;/i&gt;" in mark  # escaped
        assert "/ideas/I-0001/support" not in source and "Support this idea" not in source
        assert "Its supporters are counted on I-0002" in _text(source)

        listing = one.client.get("/m/testcode23").text
        card = listing[listing.index('id="idea-I-0001"') :]
        card = card[: card.index("</article>")]
        assert "/ideas/I-0001/support" not in card and "merged into another one" in card
        assert "/ideas/I-0002/support" in listing  # the idea kept takes support

        # A page opened before the merge: its Support form is refused, nothing recorded.
        stale = one.post("/m/testcode23/ideas/I-0001/support", {})
        assert stale.status_code in (400, 409, 422)
        assert "support I-0002 instead" in _text(stale.text)
        kept = _text(one.client.get("/m/testcode23/ideas/I-0002").text)
        assert "Supporters: 2" in kept  # phone one supported both: once

        found = web.client.get(
            "/api/meetings/testcode23/similar", params={"q": "bus lane on main street"}
        ).json()["ideas"]
        assert [idea["ref"] for idea in found] == ["I-0002"]  # the idea kept, never both
        assert found[0]["url"] == "/m/testcode23/ideas/I-0002"
        assert found[0]["support_count"] == 2 and found[0]["merged_into"] is None

        # Without JavaScript: a refused idea form lists the same suggestion.
        refused = one.post(
            "/m/testcode23/ideas", {"title": "Bus lane on Main Street", "detail": "x" * 5000}
        )
        assert refused.status_code == 422
        similar = refused.text[refused.text.index('id="similar-ideas"') :]
        similar = similar[: similar.index("</div>")]
        assert "/m/testcode23/ideas/I-0002" in similar and "/ideas/I-0001" not in similar


def test_a_merged_idea_whose_kept_idea_is_hidden_names_nothing_on_the_phone(any_database) -> None:
    """The kept idea hidden by a moderator since the merge: the merged idea's page says it was
    merged, names nothing of the kept idea, offers no support; similar ideas offer neither."""
    from meetingtui.domain.moderation import set_visibility

    with any_database.write() as session:
        meeting = new_meeting(session, "East", "Transport", code="testcode23")
        a = capture_idea(
            session, meeting_id=meeting.id, data=IdeaInput(title="Bus lane on Main Street")
        ).id
        b = capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="SECRET-KEPT")).id
        merging.merge_ideas(session, [a], b, "Clerk")
        set_visibility(
            session, meeting_id=meeting.id, entity="idea", entity_id=b, visibility="hidden"
        )
    with running_web(any_database) as web:
        page = web.client.get("/m/testcode23/ideas/I-0001").text
        assert "This idea was merged into another one." in page
        # Neither its words nor a link to it (the status's reason, written at the merge,
        # keeps the ref it gave then).
        assert "SECRET-KEPT" not in page and "/ideas/I-0002" not in page
        assert "/ideas/I-0001/support" not in page
        stale = web.post("/m/testcode23/ideas/I-0001/support", {})
        assert stale.status_code in (400, 409, 422)
        assert "SECRET-KEPT" not in stale.text and "support I-0002" not in stale.text
        found = web.client.get(
            "/api/meetings/testcode23/similar", params={"q": "bus lane on main street"}
        ).json()["ideas"]
        assert found == []
