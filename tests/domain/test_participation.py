"""Speakers' queue, supports, notes/decisions/actions, drafts, moderation, edit and undo."""

from __future__ import annotations

import pytest

from meetingtui.domain import drafts, meetings, moderation, records, speakers, supports
from meetingtui.domain.errors import DomainError, FieldErrors, NotFound
from meetingtui.domain.ideas import (
    IdeaInput,
    add_comment,
    capture_idea,
    edit_idea,
    find_idea,
    meeting_ideas,
    set_idea_deleted,
)
from meetingtui.domain.snapshot import load_snapshot


def go_to_discussion(database, meeting) -> None:
    with database.write() as session:
        meetings.move_to_item(session, meeting_id=meeting.id, step=2)  # table discussions


def test_queue_order_call_next_and_place(database, meeting) -> None:
    with database.write() as session, pytest.raises(DomainError, match="discussion"):
        speakers.add_speaker(session, meeting_id=meeting.id, source="phone", device="d1")
    go_to_discussion(database, meeting)
    with database.write() as session:
        ana = speakers.add_speaker(session, meeting_id=meeting.id, name="Ana", stakeholder="carer")
        phone = speakers.add_speaker(session, meeting_id=meeting.id, source="phone", device="d1")
        again = speakers.add_speaker(session, meeting_id=meeting.id, source="phone", device="d1")
        assert again.id == phone.id  # asking twice keeps the first place
        item_id = ana.agenda_item_id
        assert speakers.queue_place(session, agenda_item_id=item_id, device="d1") == 2
        called = speakers.call_next_speaker(session, meeting_id=meeting.id)
        assert called.id == ana.id and called.started_at is not None
        assert speakers.queue_place(session, agenda_item_id=item_id, device="d1") == 1
        second = speakers.call_next_speaker(session, meeting_id=meeting.id)
        assert second.id == phone.id
        assert speakers.queue_place(session, agenda_item_id=item_id, device="d1") == 0
        speakers.finish_speaker(session, meeting_id=meeting.id, speaker_id=phone.id)
        with pytest.raises(DomainError, match="Nobody"):
            speakers.call_next_speaker(session, meeting_id=meeting.id)
        heard = speakers.speakers_heard(session, meeting.id)
    assert [s.name for s in heard] == ["Ana", ""]


def test_withdrawn_speakers_leave_the_queue(database, meeting) -> None:
    go_to_discussion(database, meeting)
    with database.write() as session:
        ana = speakers.add_speaker(session, meeting_id=meeting.id, name="Ana")
        speakers.finish_speaker(session, meeting_id=meeting.id, speaker_id=ana.id, withdrawn=True)
        with pytest.raises(DomainError):
            speakers.call_next_speaker(session, meeting_id=meeting.id)
        with pytest.raises(FieldErrors):
            speakers.add_speaker(session, meeting_id=meeting.id, name="x" * 121)


def test_support_once_per_device_and_toggle(database, meeting) -> None:
    with database.write() as session:
        idea = capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Benches"))
    with database.write() as session:
        assert supports.toggle_support(
            session, meeting_id=meeting.id, idea_ref=idea.ref, device="a"
        ) == (True, 1)
        assert supports.toggle_support(
            session, meeting_id=meeting.id, idea_ref=idea.ref, device="b"
        ) == (True, 2)
        assert supports.toggle_support(
            session, meeting_id=meeting.id, idea_ref=idea.ref, device="a"
        ) == (False, 1)
        assert supports.supported_by_device(session, meeting_id=meeting.id, device="b") == {idea.id}
    with database.read() as session:
        assert load_snapshot(session, meeting.id).supports == {idea.id: 1}


def test_records_validate_and_undo_delete(database, meeting) -> None:
    with database.write() as session:
        decision = records.add_record(
            session,
            meeting_id=meeting.id,
            kind="decision",
            text="Extend the consultation by two weeks",
        )
        action = records.add_record(
            session,
            meeting_id=meeting.id,
            kind="action",
            text="Publish minutes",
            owner="Clerk",
            due="2026-12-10",
        )
        with pytest.raises(FieldErrors) as caught:
            records.add_record(
                session, meeting_id=meeting.id, kind="action", text=" ", due="next week"
            )
        assert set(caught.value.errors) == {"text", "due"}
        records.set_record_deleted(
            session, meeting_id=meeting.id, record_id=decision.id, deleted=True
        )
    with database.read() as session:
        assert [r.id for r in records.meeting_records(session, meeting.id)] == [action.id]
    with database.write() as session:
        records.set_record_deleted(
            session, meeting_id=meeting.id, record_id=decision.id, deleted=False
        )
    with database.read() as session:
        found = records.meeting_records(session, meeting.id)
    assert {r.kind for r in found} == {"decision", "action"}
    assert next(r for r in found if r.kind == "action").owner == "Clerk"


def test_drafts_survive_and_are_discarded(database, meeting) -> None:
    with database.write() as session:
        drafts.save_draft(
            session, meeting_id=meeting.id, owner="pane-1", fields={"title": "Half typed"}
        )
        drafts.save_draft(
            session, meeting_id=meeting.id, owner="pane-1", fields={"title": "Half typed idea"}
        )
    with database.read() as session:
        draft = drafts.load_draft(session, meeting_id=meeting.id, owner="pane-1")
        assert drafts.draft_fields(draft) == {"title": "Half typed idea"}
    with database.write() as session:
        drafts.discard_draft(session, meeting_id=meeting.id, owner="pane-1")
    with database.read() as session:
        assert drafts.load_draft(session, meeting_id=meeting.id, owner="pane-1") is None


def test_edit_delete_and_undo_keep_the_ref_and_comments(database, meeting) -> None:
    with database.write() as session:
        idea = capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Buses"))
        add_comment(session, meeting_id=meeting.id, idea_ref=idea.ref, body="Yes")
    with database.write() as session:
        edited = edit_idea(
            session,
            meeting_id=meeting.id,
            idea_id=idea.id,
            data=IdeaInput(title="Later buses", stakeholder="resident"),
        )
        assert edited.ref == idea.ref and edited.stakeholder == "resident"
        set_idea_deleted(session, meeting_id=meeting.id, idea_id=idea.id, deleted=True)
    with database.read() as session:
        assert meeting_ideas(session, meeting.id) == []
        with pytest.raises(NotFound):
            find_idea(session, meeting_id=meeting.id, ref=idea.ref)
    with database.write() as session:
        set_idea_deleted(session, meeting_id=meeting.id, idea_id=idea.id, deleted=False)
    with database.read() as session:
        snapshot = load_snapshot(session, meeting.id)
    assert [i.title for i in snapshot.ideas] == ["Later buses"]
    assert snapshot.comment_count() == 1


def test_pre_moderation_queue_approve_and_hide(database, meeting) -> None:
    with database.write() as session:
        meetings.find_meeting(session, meeting.code).moderation = "pre"
    with database.write() as session:
        waiting = capture_idea(
            session, meeting_id=meeting.id, data=IdeaInput(title="Phone idea"), from_public=True
        )
        assert moderation.pending_counts(session, meeting.id).total == 1
        with pytest.raises(NotFound):
            add_comment(
                session, meeting_id=meeting.id, idea_ref=waiting.ref, body="hi", from_public=True
            )
        moderation.set_visibility(
            session,
            meeting_id=meeting.id,
            entity="idea",
            entity_id=waiting.id,
            visibility="visible",
        )
        comment = add_comment(
            session, meeting_id=meeting.id, idea_ref=waiting.ref, body="hi", from_public=True
        )
        assert moderation.pending_counts(session, meeting.id).comments == 1
        moderation.set_visibility(
            session,
            meeting_id=meeting.id,
            entity="comment",
            entity_id=comment.id,
            visibility="hidden",
        )
        assert moderation.pending_counts(session, meeting.id).total == 0
    with database.read() as session:
        snapshot = load_snapshot(session, meeting.id)
    assert [i.title for i in snapshot.ideas] == ["Phone idea"] and snapshot.comment_count() == 0


def test_a_phone_withdraws_only_its_own_waiting_request(database, meeting) -> None:
    go_to_discussion(database, meeting)
    with database.write() as session:
        mine = speakers.add_speaker(session, meeting_id=meeting.id, source="phone", device="d1")
        other = speakers.add_speaker(session, meeting_id=meeting.id, source="phone", device="d2")
        assert speakers.withdraw_own_request(session, meeting_id=meeting.id, device="d1").id == (
            mine.id
        )
        with pytest.raises(NotFound):
            speakers.withdraw_own_request(session, meeting_id=meeting.id, device="d1")
        with pytest.raises(NotFound):
            speakers.withdraw_own_request(session, meeting_id=meeting.id, device="")
        speakers.call_next_speaker(session, meeting_id=meeting.id)  # d2 is at the microphone
        with pytest.raises(NotFound):
            speakers.withdraw_own_request(session, meeting_id=meeting.id, device="d2")
        assert session.get(type(other), other.id).status == "speaking"
