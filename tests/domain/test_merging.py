"""Merge that never deletes, unmerge, split (domain/merging.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlmodel import select

from meetingtui.domain import lifecycle, merging, moderation
from meetingtui.domain.catalogue import idea_detail
from meetingtui.domain.errors import DomainError, FieldErrors
from meetingtui.domain.ideas import IdeaInput, add_comment, capture_idea
from meetingtui.domain.models import Event, Idea, IdeaChange, Support
from meetingtui.domain.public import Audience
from meetingtui.domain.states import IdeaStatus
from meetingtui.domain.supports import toggle_support
from tests.domain.test_lifecycle_answers import load, new_meeting


@pytest.fixture
def ideas(any_database):
    """A meeting with three ideas A, B, C; A answered and published first."""
    with any_database.write() as session:
        meeting = new_meeting(session, "East", "Transport", code="eastcode23")
        made = [
            capture_idea(
                session,
                meeting_id=meeting.id,
                data=IdeaInput(
                    title=title,
                    raised_by="Ana Núñez",
                    publish_name=title == "A",
                    stakeholder="resident",
                    channel="card",
                ),
            ).id
            for title in ("A", "B", "C")
        ]
        lifecycle.review_ideas(
            session,
            idea_ids=[made[0]],
            review=lifecycle.Review(
                status=IdeaStatus.UNDER_REVIEW, response="Looking at it", publish=True
            ),
        )
    return any_database, meeting, made


def _support(database, meeting, ref: str, *devices: str) -> None:
    with database.write() as session:
        for device in devices:
            toggle_support(session, meeting_id=meeting.id, idea_ref=ref, device=device)


def test_merge_keeps_the_source_and_counts_each_device_once(ideas) -> None:
    database, meeting, (a, b, _c) = ideas
    _support(database, meeting, "I-0001", "phone-1", "phone-2")
    _support(database, meeting, "I-0002", "phone-2", "phone-3")
    with database.write() as session:
        add_comment(session, meeting_id=meeting.id, idea_ref="I-0001", body="On A ☕")
        merging.merge_ideas(session, [a], b, "Clerk", "Same bus lane")
    merged = load(database, a)
    assert merged.status == merged.public_status == IdeaStatus.MERGED
    assert merged.merged_into_id == b and merged.title == "A"
    with database.read() as session:
        view = merging.merge_view(session, session.get(Idea, b), Audience.PUBLIC)
        assert view.supports == 3  # phone-2 supported both: once
        assert [(s.ref, s.channel, s.stakeholder, s.meeting_title) for s in view.sources] == [
            ("I-0001", "card", "resident", "East")
        ]
        assert view.sources[0].raised_by == "Ana Núñez"  # consented
        assert [(c.ref, c.body) for c in view.source_comments] == [("I-0001", "On A ☕")]
        source_view = merging.merge_view(session, session.get(Idea, a), Audience.PUBLIC)
        assert source_view.merged_into.full_ref == "eastcode23/I-0002"
        # per-idea counts stay as they are; B's detail shows the combined count
        assert session.get(Idea, b).support_count == 2
        assert idea_detail(session, session.get(Idea, b), Audience.PUBLIC).supports == 3
        public_history = lifecycle.history(session, b, Audience.PUBLIC)
        assert [(h.field, h.to_value) for h in public_history] == [("merge", "eastcode23/I-0001")]
        kinds = set(session.exec(select(Event.kind)))
        assert {"idea.merged", "idea.merge_target"} <= kinds
    # supporting B again from a device that supported A still counts that device once
    _support(database, meeting, "I-0002", "phone-1")
    with database.read() as session:
        assert merging.merge_view(session, session.get(Idea, b), Audience.PUBLIC).supports == 3


def test_unmerge_restores_the_source_exactly(ideas) -> None:
    database, meeting, (a, b, _c) = ideas
    _support(database, meeting, "I-0001", "phone-1")
    _support(database, meeting, "I-0002", "phone-1", "phone-2")
    before = load(database, a)
    with database.write() as session:
        merging.merge_ideas(session, [a], b, "Clerk")
    with database.write() as session:
        merging.unmerge(session, a, "Clerk")
    after = load(database, a)
    for name in ("status", "status_reason", "response", "public_status", "public_reason"):
        assert getattr(after, name) == getattr(before, name), name
    assert after.merged_into_id is None
    with database.read() as session:
        assert merging.merge_view(session, session.get(Idea, b), Audience.PUBLIC).supports == 2
        assert merging.merge_view(session, session.get(Idea, a), Audience.PUBLIC).supports == 1
        assert merging.merge_view(session, session.get(Idea, b), Audience.PUBLIC).sources == []
        fields = [h.field for h in lifecycle.history(session, a, Audience.PUBLIC)]
        assert fields.count("status") >= 3  # answered, merged, unmerged: all public


def test_refusals_change_nothing(ideas) -> None:
    database, meeting, (a, b, c) = ideas
    with database.write() as session:
        with pytest.raises(FieldErrors, match="itself"):
            merging.merge_ideas(session, [a], a)
        merging.merge_ideas(session, [a], b)
    with database.write() as session:
        with pytest.raises(FieldErrors, match="already merged"):
            merging.merge_ideas(session, [a], c)
        with pytest.raises(FieldErrors, match="itself merged"):
            merging.merge_ideas(session, [c], a)
        with pytest.raises(DomainError, match="not merged"):
            merging.unmerge(session, c)
    with database.write() as session:
        moderation.set_visibility(
            session, meeting_id=meeting.id, entity="idea", entity_id=c, visibility="hidden"
        )
    with database.write() as session, pytest.raises(FieldErrors, match="hidden"):
        merging.merge_ideas(session, [b], c)
    with database.write() as session:
        other = new_meeting(session, "West", "Housing", code="westcode23")
        elsewhere = capture_idea(session, meeting_id=other.id, data=IdeaInput(title="W")).id
    with database.write() as session, pytest.raises(FieldErrors, match="same programme"):
        merging.merge_ideas(session, [elsewhere], b)
    assert load(database, b).status == IdeaStatus.NEW


def test_merging_a_target_moves_its_sources_and_unmerge_brings_them_back(ideas) -> None:
    database, meeting, (a, b, c) = ideas
    with database.write() as session:
        merging.merge_ideas(session, [a], b)
        merging.merge_ideas(session, [b], c)
    assert load(database, a).merged_into_id == c
    with database.read() as session:
        refs = [
            s.ref
            for s in merging.merge_view(session, session.get(Idea, c), Audience.PUBLIC).sources
        ]
        assert refs == ["I-0001", "I-0002"]
    with database.write() as session:
        merging.unmerge(session, b)
    assert load(database, a).merged_into_id == b
    with database.write() as session:
        merging.unmerge(session, a)
    assert load(database, a).status == IdeaStatus.UNDER_REVIEW


def test_hidden_sources_are_never_listed_publicly(ideas) -> None:
    database, meeting, (a, b, _c) = ideas
    with database.write() as session:
        merging.merge_ideas(session, [a], b)
        moderation.set_visibility(
            session, meeting_id=meeting.id, entity="idea", entity_id=a, visibility="hidden"
        )
    with database.read() as session:
        target = session.get(Idea, b)
        assert merging.merge_view(session, target, Audience.PUBLIC).sources == []
        assert len(merging.merge_view(session, target, Audience.ORGANISERS).sources) == 1


def test_a_hidden_source_leaves_no_public_trace_on_the_ideas_it_joins(ideas) -> None:
    """Found by a reviewer: a pending idea merged into a public one put its ref and the staff's
    reason into the public history (phone page, site, ``idea``), and again when moved on."""
    database, meeting, (a, b, c) = ideas
    with database.write() as session:
        moderation.set_visibility(
            session, meeting_id=meeting.id, entity="idea", entity_id=a, visibility="hidden"
        )
        merging.merge_ideas(session, [a], b, "Clerk", "<b>dupe</b>")
        merging.merge_ideas(session, [b], c, "Clerk")  # a moves on to c with b
        merging.unmerge(session, b, "Clerk")  # and comes back with b
    with database.read() as session:
        for idea_id in (b, c):
            public = lifecycle.history(session, idea_id, Audience.PUBLIC)
            assert not any("I-0001" in f"{h.from_value}{h.to_value}" for h in public), public
            assert all("dupe" not in h.reason for h in public)
        staff = lifecycle.history(session, b, Audience.ORGANISERS)
        assert any(h.to_value == "eastcode23/I-0001" for h in staff)


def test_respond_merged_is_the_same_merge_and_unmerges(ideas) -> None:
    database, meeting, (a, b, _c) = ideas
    with database.write() as session:
        lifecycle.set_status(session, idea_ids=[a], status=IdeaStatus.MERGED, merged_into=b)
    with database.write() as session:
        merging.unmerge(session, a)
    after = load(database, a)
    assert after.status == IdeaStatus.UNDER_REVIEW and after.response == "Looking at it"


def test_split_keeps_the_origin(ideas) -> None:
    database, meeting, (a, _b, _c) = ideas
    _support(database, meeting, "I-0001", "phone-1")
    with database.write() as session:
        parts = merging.split_idea(
            session, a, [{"title": "Bus lane"}, {"title": "Cycle lane", "detail": "Both ways"}]
        )
        part_ids = [p.id for p in parts]
    original = load(database, a)
    for part_id, title in zip(part_ids, ("Bus lane", "Cycle lane"), strict=True):
        part = load(database, part_id)
        assert part.title == title and part.split_from_id == a
        for name in (
            "meeting_id",
            "agenda_item_id",
            "channel",
            "stakeholder",
            "raised_by",
            "publish_name",
            "captured_at",
        ):
            assert getattr(part, name) == getattr(original, name), name
        assert part.support_count == 0
    assert original.support_count == 1 and original.status == IdeaStatus.UNDER_REVIEW
    with database.read() as session:
        view = merging.merge_view(session, session.get(Idea, a), Audience.PUBLIC)
        assert [p.ref for p in view.split_into] == ["I-0004", "I-0005"]
        part_view = merging.merge_view(session, session.get(Idea, part_ids[0]), Audience.PUBLIC)
        assert part_view.split_from.ref == "I-0001"
        entries = session.exec(select(IdeaChange).where(IdeaChange.field == "split")).all()
        assert len(entries) == 3 and all(e.published_at for e in entries)
        assert session.exec(select(Support)).all()[0].idea_id == a
    with database.write() as session:
        with pytest.raises(FieldErrors, match="two ideas or more"):
            merging.split_idea(session, a, [{"title": "Only one"}])
        with pytest.raises(FieldErrors, match="needs a title"):
            merging.split_idea(session, a, [{"title": "x"}, {"title": "  "}])
