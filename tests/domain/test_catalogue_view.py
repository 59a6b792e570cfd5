"""The catalogue screen's queries (domain/catalogue_view.py) on SQLite and PostgreSQL: filters
with several values, sorts, counts, pages, facets, select-every-match; and the audience's rules
(hidden, pending and deleted ideas and comments)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from meetingtui.catalogue_session import CatalogueSession
from meetingtui.domain.catalogue_view import (
    CatalogueView,
    catalogue_count,
    catalogue_facets,
    catalogue_ids,
    catalogue_page,
)
from meetingtui.domain.errors import DomainError, FieldErrors
from meetingtui.domain.ideas import IdeaInput, add_comment, capture_idea, set_idea_deleted
from meetingtui.domain.lifecycle import Review, publish_answers, review_ideas
from meetingtui.domain.models import Idea, Support, utcnow
from meetingtui.domain.moderation import set_visibility
from meetingtui.domain.programmes import find_programme, programme_meeting_ids
from meetingtui.domain.public import Audience
from meetingtui.store.database import Database
from tests.domain.test_lifecycle_answers import new_meeting


@pytest.fixture
def db(any_database: Database) -> Database:
    """On SQLite and on PostgreSQL (tests/conftest.py)."""
    return any_database


# title, topic, channel, scale, days ago, supports, comments
ROWS = [
    ("Bus shelter", "Transport", "phone", "quick-win", 40, 1, 0),
    ("More benches", "Parks", "spoken", "quick-win", 20, 4, 1),
    ("Night buses", "Transport", "email", "major-change", 3, 0, 3),
    ("Café in the park", "Parks", "phone", "", 1, 2, 2),
]


@pytest.fixture
def town(db):
    with db.write() as session:
        east = new_meeting(session, "East", "Transport", code="eastcode23")
        west = new_meeting(session, "West", "Transport", code="westcode23")
        ids = {}
        for n, (title, topic, channel, scale, days, supports, comments) in enumerate(ROWS):
            meeting = east if n % 2 == 0 else west
            idea = capture_idea(
                session,
                meeting_id=meeting.id,
                data=IdeaInput(title=title, channel=channel, scale=scale),
            )
            idea.topic = topic
            idea.captured_at = utcnow() - timedelta(days=days)
            for s in range(supports):
                session.add(Support(idea_id=idea.id, meeting_id=meeting.id, device=f"d{s}"))
            for c in range(comments):
                add_comment(session, meeting_id=meeting.id, idea_ref=idea.ref, body=f"c{c}")
            ids[title] = idea.id
        hidden = capture_idea(session, meeting_id=west.id, data=IdeaInput(title="Hidden bus"))
        set_visibility(
            session, meeting_id=west.id, entity="idea", entity_id=hidden.id, visibility="hidden"
        )
        pending = capture_idea(session, meeting_id=east.id, data=IdeaInput(title="Pending bus"))
        pending.visibility = "pending"
        gone = capture_idea(session, meeting_id=east.id, data=IdeaInput(title="Deleted bus"))
        set_idea_deleted(session, meeting_id=east.id, idea_id=gone.id, deleted=True)
        # A hidden comment makes "Bus shelter" the most discussed for organisers only.
        for n in range(5):
            bad = add_comment(session, meeting_id=east.id, idea_ref="I-0001", body=f"spam {n}")
            set_visibility(
                session, meeting_id=east.id, entity="comment", entity_id=bad.id, visibility="hidden"
            )
        meeting_ids = programme_meeting_ids(session, find_programme(session, "Transport"))
        ids["east"], ids["west"] = east.id, west.id
    return meeting_ids, ids


def titles(db, town, audience=Audience.ORGANISERS, **view) -> list[str]:
    meeting_ids, _ = town
    with db.read() as session:
        rows = catalogue_page(
            session, meeting_ids, CatalogueView(**view), audience=audience, limit=50
        )
        return [row.idea.title for row in rows]


def count(db, town, audience=Audience.ORGANISERS, **view) -> int:
    meeting_ids, _ = town
    with db.read() as session:
        return catalogue_count(session, meeting_ids, CatalogueView(**view), audience=audience)


def test_organisers_see_hidden_and_pending_never_deleted(db, town) -> None:
    every = titles(db, town)
    assert "Deleted bus" not in every
    assert {"Hidden bus", "Pending bus"} <= set(every)
    assert count(db, town) == 6


def test_the_public_never_sees_hidden_pending_or_deleted(db, town) -> None:
    shown = titles(db, town, Audience.PUBLIC, text="bus")
    assert sorted(shown) == ["Bus shelter", "Night buses"]  # best match first
    assert count(db, town, Audience.PUBLIC) == 4
    meeting_ids, _ = town
    with db.read() as session:
        facets = catalogue_facets(session, meeting_ids, audience=Audience.PUBLIC)
    assert sum(v.count for v in facets.values["meetings"]) == 4
    assert facets.values["reviewers"] == []  # staff: never public
    # Comments the public cannot see are not counted for the public.
    with db.read() as session:
        rows = catalogue_page(
            session, meeting_ids, CatalogueView(sort="discussed"), audience=Audience.PUBLIC
        )
    assert rows[0].idea.title == "Night buses" and rows[0].comments == 3
    assert next(r for r in rows if r.idea.title == "Bus shelter").comments == 0


def test_filters_take_any_of_several_values_and_combine(db, town) -> None:
    assert sorted(titles(db, town, topics=frozenset({"Parks"}))) == [
        "Café in the park",
        "More benches",
    ]
    assert sorted(
        titles(db, town, channels=frozenset({"phone", "email"}), topics=frozenset({"Transport"}))
    ) == [
        "Bus shelter",
        "Night buses",
    ]
    assert titles(db, town, scales=frozenset({"major-change"})) == ["Night buses"]
    assert titles(db, town, ages=frozenset({"over-28"})) == ["Bus shelter"]
    assert titles(db, town, ages=frozenset({"14-28"})) == ["More benches"]
    _, ids = town
    assert sorted(titles(db, town, meetings=frozenset({str(ids["west"])}))) == [
        "Café in the park",
        "Hidden bus",
        "More benches",
    ]
    assert count(db, town, text="bus", topics=frozenset({"Transport"})) == 2


def test_sorts(db, town) -> None:
    assert titles(db, town)[0] == "Pending bus"  # newest first (captured last)
    assert titles(db, town, sort="supported")[:2] == ["More benches", "Café in the park"]
    assert titles(db, town, sort="discussed")[0] == "Bus shelter"  # organisers count all 5
    assert titles(db, town, sort="waiting")[0] == "Bus shelter"  # oldest, unanswered
    with pytest.raises(DomainError):
        titles(db, town, sort="loudest")


def test_status_reviewer_published_and_needs_answer(db, town) -> None:
    _, ids = town
    with db.write() as session:
        review_ideas(
            session,
            idea_ids=[ids["Bus shelter"]],
            review=Review(status="adopted", response="Done", reviewer="Priya"),
        )
        publish_answers(session, idea_ids=[ids["Bus shelter"]])
        review_ideas(session, idea_ids=[ids["Night buses"]], review=Review(status="under-review"))
    assert titles(db, town, statuses=frozenset({"adopted", "under-review"})) == [
        "Night buses",
        "Bus shelter",
    ]
    # The public filters on the published status: "under review" is a draft still.
    assert titles(db, town, Audience.PUBLIC, statuses=frozenset({"under-review"})) == []
    assert titles(db, town, reviewers=frozenset({"Priya"})) == ["Bus shelter"]
    assert "Bus shelter" not in titles(db, town, reviewers=frozenset({""}))
    assert titles(db, town, published=frozenset({"yes"})) == ["Bus shelter"]
    assert "Bus shelter" not in titles(db, town, published=frozenset({"no"}))
    waiting = titles(db, town, needs_answer=True)
    assert waiting == ["More benches", "Night buses", "Café in the park"]  # public, oldest first
    assert titles(db, town, sort="waiting")[-1] == "Bus shelter"  # answered: last


def test_pages_and_every_match(db, town) -> None:
    meeting_ids, _ = town
    with db.read() as session:
        first = catalogue_page(session, meeting_ids, CatalogueView(), limit=4)
        rest = catalogue_page(session, meeting_ids, CatalogueView(), offset=4, limit=4)
        ids = catalogue_ids(session, meeting_ids, CatalogueView(text="bus"), limit=10)
    assert len(first) == 4 and len(rest) == 2
    assert not {r.idea.id for r in first} & {r.idea.id for r in rest}
    assert len(ids) == 4  # bus, buses, hidden and pending bus; never the deleted one
    assert all(isinstance(i, uuid.UUID) for i in ids)  # usable in another query as they are


def test_facets_count_each_value(db, town) -> None:
    meeting_ids, _ = town
    with db.read() as session:
        facets = catalogue_facets(session, meeting_ids)
    topics = {v.value: v.count for v in facets.values["topics"]}
    assert topics == {"": 2, "Parks": 2, "Transport": 2}
    ages = {v.value: v.count for v in facets.values["ages"]}
    assert ages == {"under-14": 4, "14-28": 1, "over-28": 1}
    assert [v.label for v in facets.values["meetings"]][0].startswith("East (eastcode23")


def test_the_session_refuses_a_missing_reason_and_undoes_a_review(db, town) -> None:
    _, ids = town
    catalogue = CatalogueSession(db, "Transport", "Priya")
    targets = [ids["Bus shelter"], ids["Night buses"]]
    with pytest.raises(FieldErrors) as refused:
        catalogue.review(targets, Review(status="adapted", reason="  "))
    assert "needs a public reason" in refused.value.errors["reason"]
    said = catalogue.review(targets, Review(status="adapted", reason="Smaller, cheaper"))
    assert said == "2 ideas: status adapted."
    with db.read() as session:
        assert {session.get(Idea, i).status for i in targets} == {"adapted"}
    assert catalogue.undo() == "Undone: reviewing 2 ideas (status adapted)."
    with db.read() as session:
        assert {session.get(Idea, i).status for i in targets} == {"new"}
        assert {session.get(Idea, i).status_reason for i in targets} == {""}
    assert catalogue.undo().startswith("Nothing to undo")
    catalogue.publish(targets)
    assert not catalogue.can_undo()


def test_the_catalogue_s_undo_names_the_merge_or_unmerge_it_takes_back(db, town) -> None:
    """In the console's one shape: "Undone: <doing> <what>"."""
    _, ids = town
    catalogue = CatalogueSession(db, "Transport", "Priya")
    with db.read() as session:
        source, target = (
            session.get(Idea, ids["Night buses"]),
            session.get(Idea, ids["Bus shelter"]),
        )
        source_ref, target_ref = source.ref, target.ref
    catalogue.merge([ids["Night buses"]], ids["Bus shelter"])
    assert catalogue.undo() == f"Undone: merging {source_ref} into {target_ref}."
    catalogue.merge([ids["Night buses"]], ids["Bus shelter"])
    catalogue.unmerge(ids["Night buses"])
    assert catalogue.undo() == f"Undone: unmerging {source_ref}."
