"""The console's undo, without the console: one stack per session, newest action first, each
entry naming what it takes back; actions ``u`` cannot take back say so instead of letting an
older undo through."""

from __future__ import annotations

from sqlmodel import select

from meetingtui.domain.ideas import IdeaInput
from meetingtui.domain.meetings import agenda_items
from meetingtui.domain.models import AgendaItem, Comment, Idea, ItemRecord, Meeting, Speaker
from meetingtui.session import MeetingSession
from tests.waiting import wait_for


def session_for(database, meeting) -> MeetingSession:
    return MeetingSession(database, meeting.id, operator="Priya", draft_owner="pane-1")


def idea_row(database, ref: str) -> Idea:
    with database.read() as session:
        return session.exec(select(Idea).where(Idea.ref == ref)).one()


def speaker_row(database, name: str) -> Speaker:
    with database.read() as session:
        return session.exec(select(Speaker).where(Speaker.name == name)).one()


def test_nothing_to_undo_is_said(database, meeting):
    assert session_for(database, meeting).undo() == "Nothing to undo."


def test_undo_takes_back_the_withdrawal_not_the_older_delete(database, meeting):
    """The reported defect: a delete, then a withdrawal; u undid the delete."""
    s = session_for(database, meeting)
    s.add_speaker(name="Sam", stakeholder="")
    s.capture_idea(IdeaInput(title="Evening clinics"))
    idea = idea_row(database, "I-0001")
    s.set_idea_deleted(idea.id, True)
    sam = speaker_row(database, "Sam")
    s.finish_speaker(sam, withdrawn=True)
    assert speaker_row(database, "Sam").status == "withdrawn"

    said = s.undo()
    assert said.startswith("Undone: withdrawing Sam")
    assert speaker_row(database, "Sam").status == "waiting"
    assert idea_row(database, "I-0001").deleted_at is not None  # the delete stays

    said = s.undo()
    assert said.startswith("Undone: deleting idea I-0001")
    assert idea_row(database, "I-0001").deleted_at is None


def test_each_action_kind_is_undone_in_reverse_order(database, meeting):
    s = session_for(database, meeting)
    items = agenda_items_of(database, meeting)
    later = items[3]
    s.capture_idea(IdeaInput(title="Evening clincs"))
    idea = idea_row(database, "I-0001")
    s.update_idea(idea.id, {"title": "Evening clinics"})
    s.set_visibility("idea", idea.id, "hidden")
    s.add_record(kind="note", text="Room full", owner="", due="", item_id=None)
    with database.read() as session:
        record = session.exec(select(ItemRecord)).one()
    s.update_record(record.id, {"text": "Room full, 40 standing"})
    s.skip_item(later.id)
    s.extend_item(items[0].id, 5)
    s.add_speaker(name="Ann", stakeholder="")
    s.add_speaker(name="Bo", stakeholder="")
    s.call_next_speaker()  # Ann speaks
    s.call_next_speaker()  # Ann heard, Bo speaks

    def undone(expected: str) -> None:
        said = s.undo()
        assert said.startswith(f"Undone: {expected}"), said

    undone("calling Bo")
    assert (speaker_row(database, "Ann").status, speaker_row(database, "Bo").status) == (
        "speaking",
        "waiting",
    )
    assert speaker_row(database, "Bo").started_at is None
    undone("calling Ann")
    assert speaker_row(database, "Ann").status == "waiting"
    undone("adding Bo to the queue")
    assert speaker_row(database, "Bo").status == "withdrawn"
    undone("adding Ann to the queue")
    undone("adding 5 minutes to")
    assert item_of(database, items[0].id).minutes == items[0].minutes
    undone(f"skipping “{later.title}”")
    assert item_of(database, later.id).status == "pending"
    undone("editing the note's text")
    with database.read() as session:
        assert session.get(ItemRecord, record.id).text == "Room full"
    undone("recording the note")
    with database.read() as session:
        assert session.get(ItemRecord, record.id).deleted_at is not None
    undone("hiding idea I-0001")
    assert idea_row(database, "I-0001").visibility == "visible"
    undone("editing idea I-0001's title")
    assert idea_row(database, "I-0001").title == "Evening clincs"
    undone("capturing idea I-0001")
    assert idea_row(database, "I-0001").deleted_at is not None
    assert s.undo() == "Nothing to undo."


def test_an_agenda_move_is_not_undone_and_does_not_let_an_older_undo_through(database, meeting):
    s = session_for(database, meeting)
    s.capture_idea(IdeaInput(title="Evening clinics"))
    idea = idea_row(database, "I-0001")
    s.set_idea_deleted(idea.id, True)
    s.move_agenda(1)
    with database.read() as session:
        moved_to = session.get(Meeting, meeting.id).current_item_id

    said = s.undo()
    assert said.startswith("Cannot undo moving to")
    assert "press p to go back" in said
    assert "Press u again to undo deleting idea I-0001" in said
    with database.read() as session:
        assert session.get(Meeting, meeting.id).current_item_id == moved_to
    assert idea_row(database, "I-0001").deleted_at is not None  # not reached past the move

    assert s.undo().startswith("Undone: deleting idea I-0001")


def test_hiding_a_comment_is_undone(database, meeting):
    s = session_for(database, meeting)
    s.capture_idea(IdeaInput(title="Evening clinics"))
    from meetingtui.domain.ideas import add_comment

    with database.write() as session:
        comment_id = add_comment(
            session, meeting_id=meeting.id, idea_ref="I-0001", body="Yes please"
        ).id
    s.set_visibility("comment", comment_id, "hidden")
    assert s.undo().startswith("Undone: hiding a comment on idea I-0001")
    with database.read() as session:
        assert session.get(Comment, comment_id).visibility == "visible"


def test_an_undo_that_would_overwrite_another_consoles_edit_is_refused(database, meeting):
    import pytest

    from meetingtui.domain.errors import DomainError

    mine, theirs = session_for(database, meeting), session_for(database, meeting)
    mine.capture_idea(IdeaInput(title="Evening clincs"))
    idea = idea_row(database, "I-0001")
    mine.update_idea(idea.id, {"title": "Evening clinics"})
    theirs.update_idea(idea.id, {"title": "Evening and weekend clinics"})
    with pytest.raises(DomainError, match="Could not undo editing idea I-0001"):
        mine.undo()
    assert idea_row(database, "I-0001").title == "Evening and weekend clinics"


def agenda_items_of(database, meeting) -> list[AgendaItem]:
    with database.read() as session:
        return agenda_items(session, meeting.id)


def item_of(database, item_id) -> AgendaItem:
    with database.read() as session:
        return session.get(AgendaItem, item_id)


def test_an_intent_that_names_no_undo_still_stops_u_from_reaching_past_it(database, meeting):
    """A console action added later without an undo entry: ``u`` says it cannot take it back
    instead of silently undoing the older delete (the reported defect's shape)."""
    from meetingtui.domain.meetings import set_attendance

    s = session_for(database, meeting)
    s.capture_idea(IdeaInput(title="Evening clinics"))
    s.set_idea_deleted(idea_row(database, "I-0001").id, True)

    def untaught(session: MeetingSession) -> str:
        with session.database.write() as db:
            set_attendance(db, meeting_id=meeting.id, count=40)
        return "Attendance recorded: 40."

    assert s.run(untaught) == "Attendance recorded: 40."
    said = s.undo()
    assert said.startswith("Cannot undo “Attendance recorded: 40” (just now) with u.")
    assert said.endswith("Press u again to undo deleting idea I-0001.")
    assert idea_row(database, "I-0001").deleted_at is not None
    assert s.undo().startswith("Undone: deleting idea I-0001")


def test_a_save_that_changes_nothing_leaves_the_stack_as_it_was(database, meeting):
    s = session_for(database, meeting)
    s.capture_idea(IdeaInput(title="Evening clinics"))
    idea = idea_row(database, "I-0001")
    s.run(lambda session: session.set_idea_deleted(idea.id, True))
    s.run(lambda session: session.set_idea_deleted(idea.id, False))
    s.run(lambda session: session.update_idea(idea.id, {"title": "Evening clinics"}))
    assert s.undo().startswith("Undone: restoring idea I-0001")


def test_u_typed_right_after_an_action_waits_for_it(database, meeting):
    """``w`` then ``u`` at typing speed: the withdrawal is still running in its worker when the
    undo starts; the undo waits for it instead of taking back the older delete."""
    import threading

    s = session_for(database, meeting)
    s.add_speaker(name="Sam", stakeholder="")
    s.capture_idea(IdeaInput(title="Evening clinics"))
    s.set_idea_deleted(idea_row(database, "I-0001").id, True)
    sam = speaker_row(database, "Sam")
    go = threading.Event()

    def slow_withdrawal(session: MeetingSession) -> str:
        go.wait()
        return session.finish_speaker(sam, withdrawn=True)

    said: list[str] = []
    first, second = s.ticket(), s.ticket()  # w, then u, as typed
    withdraw = threading.Thread(target=s.run, args=(slow_withdrawal, first))
    undo = threading.Thread(target=lambda: said.append(s.run(lambda x: x.undo(), second)))
    undo.start()
    withdraw.start()
    # The undo is waiting for the withdrawal (state, not time).
    wait_for(lambda: s.undo_waiting > 0, 5, "the undo did not wait for the earlier action")
    go.set()
    withdraw.join()
    undo.join()
    assert said[0].startswith("Undone: withdrawing Sam")
    assert speaker_row(database, "Sam").status == "waiting"
    assert idea_row(database, "I-0001").deleted_at is not None


def test_every_undo_names_the_action_and_its_object_in_one_shape(database, meeting):
    """ "Undone: <doing> <what>", whichever part of the console did it (moderation said
    "Undone: Idea I-0001 hidden" where a delete said "Undone: the delete of idea I-0001")."""
    from meetingtui.domain.ideas import add_comment

    s = session_for(database, meeting)
    s.capture_idea(IdeaInput(title="Evening clinics"))
    s.capture_idea(IdeaInput(title="Later buses"))
    first, second = idea_row(database, "I-0001"), idea_row(database, "I-0002")
    with database.write() as session:
        comment_id = add_comment(
            session, meeting_id=meeting.id, idea_ref="I-0001", body="Yes please"
        ).id
    s.add_speaker(name="Sam", stakeholder="")
    s.add_speaker(name="", stakeholder="")
    sam = speaker_row(database, "Sam")

    s.set_visibilities([("idea", first.id, "hidden")])  # moderation's h on one row
    s.set_visibilities([("idea", second.id, "hidden"), ("comment", comment_id, "hidden")])
    s.set_idea_deleted(second.id, True)
    s.finish_speaker(sam, withdrawn=True)
    said = [s.undo() for _ in range(5)]
    assert [text.split(" (")[0] for text in said] == [
        "Undone: withdrawing Sam",
        "Undone: deleting idea I-0002",
        "Undone: hiding 1 idea and 1 comment",
        "Undone: hiding idea I-0001",
        "Undone: adding a speaker to the queue",
    ]
    assert all(text.endswith("(just now).") for text in said)
