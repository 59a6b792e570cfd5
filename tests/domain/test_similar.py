"""Similar ideas while an idea is typed (domain/similar.py), on SQLite and PostgreSQL: ranking,
the least score, accents, what each audience may see, scope, merged ideas."""

from __future__ import annotations

import pytest

from meetingtui.domain import programmes, similar
from meetingtui.domain.ideas import IdeaInput, capture_idea, set_idea_deleted
from meetingtui.domain.lifecycle import Review, review_ideas
from meetingtui.domain.moderation import set_visibility
from meetingtui.domain.public import Audience
from meetingtui.domain.similar import MIN_SCORE, scope_of_meeting, similar_ideas
from meetingtui.domain.states import IdeaStatus
from meetingtui.domain.supports import toggle_support
from meetingtui.store.database import Database
from tests.domain.test_lifecycle_answers import new_meeting

IDEAS = [
    "Benches at the bus stop",
    "More benches in the park",
    "A café in the library",
    "Ñandú enclosure at the city farm",
    "Cheaper parking for carers",
    "Later opening hours at the GP surgery",
]


@pytest.fixture(params=["scan", "index"])
def db(request, any_database: Database, monkeypatch) -> Database:
    """On SQLite and PostgreSQL; each scope scored whole (as one meeting is) or found through
    the full-text index first (as a big programme is)."""
    if request.param == "index":
        monkeypatch.setattr(similar, "SCAN_MAX", 0)
    return any_database


@pytest.fixture
def town(db):
    with db.write() as session:
        meeting = new_meeting(session, "Town", "Town plan", code="towncode23")
        ids = {
            title: capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=title)).id
            for title in IDEAS
        }
    return meeting, ids


def suggest(db, text: str, audience: Audience = Audience.PUBLIC, **scope) -> list[str]:
    with db.read() as session:
        return [s.title for s in similar_ideas(session, text=text, audience=audience, **scope)]


def test_the_most_similar_ideas_come_first_and_unrelated_ones_never(db, town) -> None:
    meeting, _ = town
    found = suggest(db, "Benches by the bus stop", meeting_ids=[meeting.id])
    assert found[0] == "Benches at the bus stop"
    assert "Cheaper parking for carers" not in found
    assert suggest(db, "Swimming pool lessons", meeting_ids=[meeting.id]) == []
    assert suggest(db, "the and of", meeting_ids=[meeting.id]) == []  # no word that says anything
    assert suggest(db, "", meeting_ids=[meeting.id]) == []


def test_the_word_being_typed_counts_as_the_start_of_a_word(db, town) -> None:
    meeting, _ = town
    # Typed letter by letter: "Benches at the bus st" already finds the idea.
    assert suggest(db, "Benches at the bus st", meeting_ids=[meeting.id])[0] == (
        "Benches at the bus stop"
    )
    assert suggest(db, "later opening hours at the GP surg", meeting_ids=[meeting.id]) == [
        "Later opening hours at the GP surgery"
    ]


def test_scores_are_at_least_the_minimum_and_at_most_the_limit(db, town) -> None:
    meeting, _ = town
    with db.read() as session:
        found = similar_ideas(
            session, text="benches", audience=Audience.PUBLIC, meeting_ids=[meeting.id], limit=1
        )
        assert len(found) == 1
        everything = similar_ideas(
            session, text="benches", audience=Audience.PUBLIC, meeting_ids=[meeting.id], limit=10
        )
    assert all(s.score >= MIN_SCORE for s in everything)
    assert [s.score for s in everything] == sorted((s.score for s in everything), reverse=True)


def test_accents_aside_both_ways(db, town) -> None:
    meeting, _ = town
    scope = {"meeting_ids": [meeting.id]}
    assert suggest(db, "A cafe in the library", **scope)[0] == "A café in the library"
    assert suggest(db, "CAFÉ LIBRARY", **scope)[0] == "A café in the library"
    assert suggest(db, "nandu enclosure", **scope)[0] == "Ñandú enclosure at the city farm"
    with db.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Cafe at the station"))
    assert suggest(db, "Café at the station", **scope)[0] == "Cafe at the station"


def test_what_the_public_may_not_see_is_never_suggested_to_a_phone(db, town) -> None:
    meeting, ids = town
    with db.write() as session:
        set_visibility(
            session,
            meeting_id=meeting.id,
            entity="idea",
            entity_id=ids["Benches at the bus stop"],
            visibility="hidden",
        )
        set_idea_deleted(
            session, meeting_id=meeting.id, idea_id=ids["More benches in the park"], deleted=True
        )
        pending = capture_idea(
            session, meeting_id=meeting.id, data=IdeaInput(title="Benches on the bus")
        )
        pending.visibility = "pending"
        session.add(pending)
    public = suggest(db, "benches bus", meeting_ids=[meeting.id])
    assert public == []
    organisers = suggest(db, "benches bus", Audience.ORGANISERS, meeting_ids=[meeting.id])
    assert "Benches at the bus stop" in organisers  # hidden: the organisers still see it
    assert "Benches on the bus" in organisers
    assert "More benches in the park" not in organisers  # deleted: nobody


def test_support_counts_status_and_the_idea_it_was_merged_into(db, town) -> None:
    meeting, ids = town
    with db.write() as session:
        for device in ("a", "b", "c"):
            toggle_support(
                session, meeting_id=meeting.id, idea_ref="I-0001", device=f"device-{device}"
            )
        review_ideas(
            session,
            idea_ids=[ids["More benches in the park"]],
            review=Review(
                status=IdeaStatus.MERGED,
                merged_into=ids["Benches at the bus stop"],
                reason="The same idea",
                publish=True,
            ),
        )
    with db.read() as session:
        found = similar_ideas(
            session,
            text="benches at the bus stop",
            audience=Audience.PUBLIC,
            meeting_ids=[meeting.id],
            limit=5,
        )
        by_title = {s.title: s for s in found}
        assert by_title["Benches at the bus stop"].support_count == 3
        assert by_title["Benches at the bus stop"].ref == "I-0001"
        assert by_title["Benches at the bus stop"].full_ref == "towncode23/I-0001"
        merged = similar_ideas(
            session,
            text="more benches in the park",
            audience=Audience.PUBLIC,
            meeting_ids=[meeting.id],
        )[0]
    assert merged.title == "More benches in the park"
    assert merged.status == "merged"
    assert merged.merged_into == "I-0001"


def test_the_idea_being_edited_is_left_out(db, town) -> None:
    meeting, ids = town
    with db.read() as session:
        found = similar_ideas(
            session,
            text="Benches at the bus stop",
            audience=Audience.ORGANISERS,
            meeting_ids=[meeting.id],
            exclude=ids["Benches at the bus stop"],
        )
    assert "Benches at the bus stop" not in [s.title for s in found]


def test_scope_is_the_meetings_or_the_programme_named(db, town) -> None:
    meeting, _ = town
    with db.write() as session:
        same = new_meeting(session, "Second town meeting", "Town plan", code="townsecond")
        other = new_meeting(session, "Elsewhere", "Another plan", code="elsewhere23")
        capture_idea(
            session, meeting_id=same.id, data=IdeaInput(title="Benches at the bus station")
        )
        capture_idea(
            session, meeting_id=other.id, data=IdeaInput(title="Benches at the bus shelter")
        )
    with db.read() as session:
        scope = scope_of_meeting(session, meeting.id)
        programme = programmes.find_programme(session, "Town plan")
    assert set(scope) == {meeting.id, same.id}
    in_programme = suggest(db, "benches at the bus", Audience.ORGANISERS, meeting_ids=scope)
    assert "Benches at the bus station" in in_programme
    assert "Benches at the bus shelter" not in in_programme
    by_programme = suggest(db, "benches at the bus", programme_id=programme.id)
    assert "Benches at the bus station" in by_programme
    assert "Benches at the bus shelter" not in by_programme
    everywhere = suggest(db, "benches at the bus", limit=10)
    assert "Benches at the bus shelter" in everywhere
    assert suggest(db, "benches at the bus", meeting_ids=[]) == []


def test_typed_text_is_only_compared_never_run(db, town) -> None:
    meeting, _ = town
    for typed in ('"benches', "benches OR", "NEAR(bus", "bench*", "' OR 1=1 --", "%_\\"):
        found = suggest(db, typed, meeting_ids=[meeting.id])
        assert all(isinstance(t, str) for t in found)
    assert suggest(db, '"benches" * bus', meeting_ids=[meeting.id])[0] == "Benches at the bus stop"


def test_a_long_text_is_bounded(db, town) -> None:
    meeting, _ = town
    long = "Benches at the bus stop " + "and everywhere else in town " * 500
    assert suggest(db, long, meeting_ids=[meeting.id])[0] == "Benches at the bus stop"
