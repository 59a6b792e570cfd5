"""The idea lifecycle on a real database: status with reasons, drafts and publication, history,
reviewers, needs-an-answer, all-or-nothing batches, feed events; and programmes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from meetingtui.agenda import AgendaError
from meetingtui.agenda.loader import parse_agenda
from meetingtui.domain import lifecycle, meetings, programmes
from meetingtui.domain.errors import FieldErrors, NotFound
from meetingtui.domain.ideas import IdeaInput, capture_idea, set_idea_deleted
from meetingtui.domain.lifecycle import Review, review_ideas
from meetingtui.domain.models import Event, Idea, IdeaChange, utcnow
from meetingtui.domain.moderation import set_visibility
from meetingtui.domain.public import Audience, idea_response, idea_status, status_reason
from meetingtui.domain.states import IdeaStatus


def agenda_text(title: str, programme: str | None = None) -> str:
    line = f'programme = "{programme}"\n' if programme is not None else ""
    return f'[meeting]\ntitle = "{title}"\n{line}\n[[item]]\ntitle = "Open"\nminutes = 5\n'


def new_meeting(session, title: str, programme: str | None = None, code: str | None = None):
    agenda = parse_agenda(agenda_text(title, programme))
    meeting = meetings.create_meeting(session, agenda=agenda, code=code)
    meetings.start_meeting(session, meeting_id=meeting.id)
    return meeting


def capture(database, meeting, *titles: str) -> list:
    with database.write() as session:
        return [
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=t)).id for t in titles
        ]


def load(database, idea_id) -> Idea:
    with database.read() as session:
        idea = session.get(Idea, idea_id)
        session.expunge(idea)
        return idea


# ---------------------------------------------------------------------------- programmes


def test_meetings_belong_to_the_programme_their_agenda_names(database, meeting) -> None:
    with database.write() as session:
        local = new_meeting(session, "Local plan 1", "Local Plan 2027")
        again = new_meeting(session, "Local plan 2", "Local Plan 2027")
        plain = new_meeting(session, "No programme")
    with database.read() as session:
        named = programmes.find_programme(session, "local plan 2027")  # case is forgiven
        default = programmes.find_programme(session, None)
        assert named.name == "Local Plan 2027" and default.name == programmes.DEFAULT_PROGRAMME
        assert set(programmes.programme_meeting_ids(session, named)) == {local.id, again.id}
        assert set(programmes.programme_meeting_ids(session, default)) == {meeting.id, plain.id}
        with pytest.raises(NotFound, match="Programmes: default, Local Plan 2027"):
            programmes.find_programme(session, "Transport")


@pytest.mark.parametrize("value", ['""', "3"])
def test_the_agenda_refuses_an_empty_or_non_text_programme(value: str) -> None:
    text = agenda_text("x").replace("[[item]]", f"programme = {value}\n[[item]]")
    with pytest.raises(AgendaError, match="meeting.programme"):
        parse_agenda(text)


# ---------------------------------------------------------------------------- status


def test_a_bulk_status_change_records_history_and_events(database, meeting) -> None:
    ids = capture(database, meeting, "Evening GP slots", "More buses", "A bench")
    with database.write() as session:
        lifecycle.set_status(
            session, idea_ids=ids[:2], status=IdeaStatus.UNDER_REVIEW, actor="Amara"
        )
        lifecycle.set_status(
            session,
            idea_ids=ids[:2],
            status=IdeaStatus.ADAPTED,
            reason="Evenings twice a week, not daily",
            actor="Amara",
        )
    for idea_id in ids[:2]:
        idea = load(database, idea_id)
        assert (idea.status, idea.status_reason) == ("adapted", "Evenings twice a week, not daily")
    assert load(database, ids[2]).status == "new"
    with database.read() as session:
        entries = lifecycle.history(session, ids[0], Audience.ORGANISERS)
        kinds = [e.kind for e in session.exec(select(Event).where(Event.kind == "idea.reviewed"))]
    assert [(e.field, e.from_value, e.to_value, e.reason, e.actor) for e in entries] == [
        ("status", "new", "under-review", "", "Amara"),
        ("status", "under-review", "adapted", "Evenings twice a week, not daily", "Amara"),
    ]
    assert entries[0].at <= entries[1].at
    assert len(kinds) == 4  # one per idea per change: consoles follow the feed


@pytest.mark.parametrize("status", [IdeaStatus.ADAPTED, IdeaStatus.NOT_TAKEN_FORWARD])
def test_adapted_and_not_taken_forward_need_a_reason_and_nothing_changes_without(
    database, meeting, status
) -> None:
    ids = capture(database, meeting, "One", "Two")
    with database.write() as session, pytest.raises(FieldErrors, match="needs a public reason"):
        lifecycle.set_status(session, idea_ids=ids, status=status, reason="   ")
    assert [load(database, i).status for i in ids] == ["new", "new"]
    with database.read() as session:
        assert session.exec(select(IdeaChange)).all() == []


def test_a_batch_with_one_unknown_idea_changes_none(database, meeting) -> None:
    import uuid

    ids = capture(database, meeting, "One", "Two")
    with database.write() as session, pytest.raises(NotFound):
        lifecycle.set_status(
            session, idea_ids=[*ids, uuid.uuid4()], status=IdeaStatus.ADOPTED, actor="x"
        )
    assert [load(database, i).status for i in ids] == ["new", "new"]


def test_answering_again_keeps_the_reason_given_before(database, meeting) -> None:
    (idea_id,) = capture(database, meeting, "One")
    with database.write() as session:
        lifecycle.set_status(
            session, idea_ids=[idea_id], status=IdeaStatus.NOT_TAKEN_FORWARD, reason="No budget"
        )
        review = Review(status=IdeaStatus.NOT_TAKEN_FORWARD, response="We looked at it.")
        review_ideas(session, idea_ids=[idea_id], review=review)
    idea = load(database, idea_id)
    assert (idea.status_reason, idea.response) == ("No budget", "We looked at it.")


def test_merged_ideas_name_the_idea_they_joined(database, meeting) -> None:
    keep, dup, other = capture(database, meeting, "Bus lane", "Bus lane please", "Other")
    with database.write() as session:
        with pytest.raises(FieldErrors, match="merged into"):
            lifecycle.set_status(session, idea_ids=[dup], status=IdeaStatus.MERGED)
        with pytest.raises(FieldErrors, match="itself"):
            lifecycle.set_status(
                session, idea_ids=[dup, keep], status=IdeaStatus.MERGED, merged_into=keep
            )
        lifecycle.set_status(session, idea_ids=[dup], status=IdeaStatus.MERGED, merged_into=keep)
        with pytest.raises(FieldErrors, match="itself merged"):
            lifecycle.set_status(
                session, idea_ids=[other], status=IdeaStatus.MERGED, merged_into=dup
            )
    merged = load(database, dup)
    assert merged.merged_into_id == keep
    assert merged.status_reason == "Merged into testcode23/I-0001"  # said when no reason given
    with database.write() as session:
        elsewhere = new_meeting(session, "Elsewhere", "Transport")
        far = capture_idea(session, meeting_id=elsewhere.id, data=IdeaInput(title="Far")).id
        with pytest.raises(FieldErrors, match="same programme"):
            lifecycle.set_status(
                session, idea_ids=[far], status=IdeaStatus.MERGED, merged_into=keep
            )
    with database.write() as session:
        lifecycle.set_status(session, idea_ids=[dup], status=IdeaStatus.UNDER_REVIEW)
    assert load(database, dup).merged_into_id is None


def test_an_idea_is_never_merged_into_one_the_public_cannot_see(database, meeting) -> None:
    """The public follows a merged idea to the one it joined: that one must be public."""
    dup, hidden, pending, gone = capture(database, meeting, "Dup", "Hidden", "Pending", "Gone")
    with database.write() as session:
        for idea_id, visibility in ((hidden, "hidden"), (pending, "pending")):
            set_visibility(
                session,
                meeting_id=meeting.id,
                entity="idea",
                entity_id=idea_id,
                visibility=visibility,
            )
        set_idea_deleted(session, meeting_id=meeting.id, idea_id=gone, deleted=True)
    for target, said in (
        (hidden, "I-0002 is hidden or waiting for moderation"),
        (pending, "I-0003 is hidden or waiting for moderation"),
        (gone, "Name the idea these are merged into"),
    ):
        with database.write() as session, pytest.raises(FieldErrors, match=said):
            lifecycle.set_status(
                session, idea_ids=[dup], status=IdeaStatus.MERGED, merged_into=target
            )
    kept = load(database, dup)
    assert (kept.status, kept.merged_into_id) == (IdeaStatus.NEW, None)


# ---------------------------------------------------------------------------- publication


def test_drafts_stay_private_until_published(database, meeting) -> None:
    (idea_id,) = capture(database, meeting, "Evening GP slots")
    with database.write() as session:
        review = Review(
            status=IdeaStatus.ADAPTED,
            reason="Twice a week",
            response="First draft",
            reviewer="Priya",
        )
        review_ideas(session, idea_ids=[idea_id], review=review, actor="Amara")
        lifecycle.set_response(session, idea_ids=[idea_id], response="You said, we did: Tuesdays")
    idea = load(database, idea_id)
    assert lifecycle.has_draft(idea)
    public = (
        idea_status(idea, Audience.PUBLIC),
        status_reason(idea, Audience.PUBLIC),
        idea_response(idea, Audience.PUBLIC),
    )
    assert public == ("new", "", "")
    assert idea_response(idea, Audience.ORGANISERS) == "You said, we did: Tuesdays"
    with database.read() as session:
        assert lifecycle.history(session, idea_id, Audience.PUBLIC) == []

    with database.write() as session:
        lifecycle.publish_answers(session, idea_ids=[idea_id], actor="Amara")
    idea = load(database, idea_id)
    assert not lifecycle.has_draft(idea) and idea.published_at is not None
    assert idea_status(idea, Audience.PUBLIC) == "adapted"
    assert idea_response(idea, Audience.PUBLIC) == "You said, we did: Tuesdays"
    with database.read() as session:
        shown = lifecycle.history(session, idea_id, Audience.PUBLIC)
        every = lifecycle.history(session, idea_id, Audience.ORGANISERS)
        published = session.exec(select(Event).where(Event.kind == "idea.published")).all()
    # The public history goes from what the public saw to what it sees: never the first draft,
    # never the reviewer (staff).
    assert [(e.field, e.from_value, e.to_value, e.reason) for e in shown] == [
        ("status", "new", "adapted", "Twice a week"),
        ("response", "", "You said, we did: Tuesdays", ""),
    ]
    assert "First draft" in {e.to_value for e in every} and "Priya" in {e.to_value for e in every}
    assert len(published) == 1

    with database.write() as session:  # a new draft does not change what the public sees
        lifecycle.set_response(session, idea_ids=[idea_id], response="Second thoughts")
        lifecycle.publish_answers(session, idea_ids=[idea_id])  # publishes it
        lifecycle.publish_answers(session, idea_ids=[idea_id])  # nothing left: no new event
    with database.read() as session:
        assert len(session.exec(select(Event).where(Event.kind == "idea.published")).all()) == 2
        assert load(database, idea_id).public_response == "Second thoughts"


def test_a_reviewer_is_assigned_by_name(database, meeting) -> None:
    ids = capture(database, meeting, "One", "Two")
    with database.write() as session:
        lifecycle.assign_reviewer(session, idea_ids=ids, reviewer="  Priya  ")
    assert [load(database, i).reviewer for i in ids] == ["Priya", "Priya"]


# ---------------------------------------------------------------------------- needs an answer


def test_needs_an_answer_lists_the_oldest_first_with_counts_by_age(database, meeting) -> None:
    ids = capture(database, meeting, "Old", "Older", "Recent", "Answered", "Hidden")
    now = utcnow()
    ages = {ids[0]: 20, ids[1]: 40, ids[2]: 1, ids[3]: 50, ids[4]: 60}
    with database.write() as session:
        for idea_id, days in ages.items():
            session.get(Idea, idea_id).captured_at = now - timedelta(days=days)
        review = Review(status=IdeaStatus.ADOPTED, response="Done", publish=True)
        review_ideas(session, idea_ids=[ids[3]], review=review)
        lifecycle.set_response(session, idea_ids=[ids[0]], response="Draft only")  # unpublished
        set_visibility(
            session, meeting_id=meeting.id, entity="idea", entity_id=ids[4], visibility="hidden"
        )
    with database.read() as session:
        waiting = lifecycle.needs_answer(session, [meeting.id], now=now)
    assert [idea.title for idea, _ in waiting.ideas] == ["Older", "Old", "Recent"]
    assert waiting.total == 3 and waiting.over == {14: 2, 28: 1}


def test_a_programme_has_the_same_key_in_every_database(database, tmp_path) -> None:
    """Venues' databases combine (tests/domain/test_idea_refs.py): a programme's key comes from
    its name, so the same programme is the same row in both."""
    from meetingtui.store.database import Database

    other = Database.open(f"sqlite:///{tmp_path / 'other.sqlite3'}", migrate=True)
    keys = []
    for db in (database, other):
        with db.write() as session:
            keys.append(
                (
                    programmes.find_programme(session, None).id,
                    programmes.programme_for_name(session, "Transport").id,
                )
            )
    other.close()
    assert keys[0] == keys[1]
