"""A meeting's life on a real SQLite file: not started, running, closed (organisers keep working,
attendees are refused), reopened; a rehearsal that does not use up the real meeting; the
speakers' queue when the item changes; the speaker's clock while the item is paused."""

from __future__ import annotations

import dataclasses
import io
import json
from datetime import timedelta

import docx
import pytest
from sqlmodel import select

from meetingtui.agenda import load_agenda
from meetingtui.domain import meetings, speakers
from meetingtui.domain.errors import DomainError, FieldErrors, MeetingClosed
from meetingtui.domain.feed import events_since
from meetingtui.domain.ideas import IdeaInput, add_comment, capture_idea
from meetingtui.domain.models import AgendaItem, Meeting, Speaker
from meetingtui.domain.public import Audience
from meetingtui.domain.states import ItemStatus, MeetingStatus, SpeakerStatus
from meetingtui.domain.supports import toggle_support
from meetingtui.export import render_minutes
from meetingtui.export.markdown import render_markdown
from meetingtui.export.minutes import build_minutes, not_heard_text
from tests.conftest import TOWN_HALL


def _items(database, meeting) -> list[AgendaItem]:
    with database.read() as session:
        return meetings.agenda_items(session, meeting.id)


def _close(database, meeting) -> None:
    with database.write() as session:
        meetings.close_meeting(session, meeting_id=meeting.id)


# ---- closed: attendees are refused, organisers keep working, and can reopen ----------------


def test_a_closed_meeting_refuses_every_kind_of_attendee_input(database, meeting) -> None:
    with database.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Before"))
        meetings.move_to_item(session, meeting_id=meeting.id, step=2)  # a discussion item
    _close(database, meeting)
    refused = [
        lambda s: capture_idea(
            s, meeting_id=meeting.id, data=IdeaInput(title="Phone"), from_public=True
        ),
        lambda s: add_comment(
            s, meeting_id=meeting.id, idea_ref="I-0001", body="late", from_public=True
        ),
        lambda s: toggle_support(s, meeting_id=meeting.id, idea_ref="I-0001", device="d1"),
        lambda s: speakers.add_speaker(s, meeting_id=meeting.id, source="phone", device="d1"),
    ]
    for attempt in refused:
        with pytest.raises(MeetingClosed), database.write() as session:
            attempt(session)


def test_organisers_keep_working_on_a_closed_meeting_and_every_change_is_in_the_feed(
    database, meeting
) -> None:
    _close(database, meeting)
    with database.read() as session:
        after = events_since(session, 0, meeting_id=meeting.id)[-1].id
    first = _items(database, meeting)[0]
    with database.write() as session:
        card = capture_idea(
            session,
            meeting_id=meeting.id,
            data=IdeaInput(title="Written card", channel="card"),
            captured_by="note-taker",
        )
        add_comment(session, meeting_id=meeting.id, idea_ref=card.ref, body="From an email")
        meetings.rename_item(
            session, meeting_id=meeting.id, item_id=first.id, title="Welcome, and how it works"
        )
        speakers.add_speaker(session, meeting_id=meeting.id, name="Written in", actor="chair")
    with database.read() as session:
        kinds = [e.kind for e in events_since(session, after, meeting_id=meeting.id)]
        assert session.get(Meeting, meeting.id).status == MeetingStatus.CLOSED
    assert kinds == ["idea.captured", "comment.added", "agenda.renamed", "speaker.added"]
    with pytest.raises(DomainError, match="Reopen"), database.write() as session:
        meetings.move_to_item(session, meeting_id=meeting.id, step=1)


def test_reopening_takes_attendee_input_again_on_the_same_item_paused(database, meeting) -> None:
    with database.write() as session:
        meetings.move_to_item(session, meeting_id=meeting.id, step=1)
    _close(database, meeting)
    with database.write() as session:
        reopened = meetings.reopen_meeting(session, meeting_id=meeting.id, actor="chair")
        current_id = reopened.current_item_id
    with database.read() as session:
        stored = session.get(Meeting, meeting.id)
        current = session.get(AgendaItem, current_id)
        last = events_since(session, 0, meeting_id=meeting.id)[-1]
    assert stored.status == MeetingStatus.RUNNING and stored.closed_at is None
    assert current.title == "The draft plan in ten minutes"
    assert current.status == ItemStatus.ACTIVE and current.running_since is None
    assert (last.kind, last.actor) == ("meeting.reopened", "chair")
    with database.write() as session:  # a phone is heard again
        capture_idea(
            session, meeting_id=meeting.id, data=IdeaInput(title="Phone"), from_public=True
        )
        with pytest.raises(DomainError, match="not closed"):
            meetings.reopen_meeting(session, meeting_id=meeting.id)


# ---- not started ----------------------------------------------------------------------------


def test_a_meeting_not_started_takes_ideas_but_asking_to_speak_waits(database) -> None:
    agenda = load_agenda(TOWN_HALL)
    with database.write() as session:
        planned, _ = meetings.open_meeting_for_agenda(session, agenda=agenda)
    with database.write() as session:
        idea = capture_idea(
            session, meeting_id=planned.id, data=IdeaInput(title="Early"), from_public=True
        )
        add_comment(session, meeting_id=planned.id, idea_ref=idea.ref, body="Me too")
    with pytest.raises(DomainError, match="has not started yet"), database.write() as session:
        speakers.add_speaker(session, meeting_id=planned.id, source="phone", device="d1")
    with database.read() as session:
        stored = session.get(Meeting, planned.id)
        assert stored.status == MeetingStatus.PLANNED and stored.started_at is None
        assert all(i.started_at is None for i in meetings.agenda_items(session, planned.id))


# ---- a rehearsal does not use up the real meeting -------------------------------------------


def _agenda_file(tmp_path, text: str | None = None):
    path = tmp_path / "hall.toml"
    path.write_text(text or TOWN_HALL.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_running_the_same_file_again_asks_only_after_a_close_or_an_edit(database, tmp_path) -> None:
    path = _agenda_file(tmp_path)
    agenda = load_agenda(path)
    assert len(agenda.source_hash) == 64
    with database.write() as session:
        rehearsal, created = meetings.open_meeting_for_agenda(session, agenda=agenda)
    assert created and rehearsal.agenda_hash == agenda.source_hash
    with database.write() as session:
        meetings.start_meeting(session, meeting_id=rehearsal.id)
    with database.read() as session:  # a restart of the running meeting: no question
        found = meetings.meeting_for_agenda(session, agenda.source_path)
        assert meetings.rerun_question(found, agenda) is None

    _close(database, rehearsal)
    with database.read() as session:
        found = meetings.meeting_for_agenda(session, agenda.source_path)
        question = meetings.rerun_question(found, agenda)
    assert question is not None and "has closed" in question and "changed" not in question

    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    edited = load_agenda(path)
    with database.read() as session:
        question = meetings.rerun_question(found, edited)
    assert "The agenda file has changed since" in question

    with database.write() as session:
        real, created = meetings.open_meeting_for_agenda(session, agenda=edited, new=True)
    assert created and real.id != rehearsal.id and real.code != rehearsal.code
    assert real.agenda_hash == edited.source_hash
    with (
        database.read() as session
    ):  # the rehearsal keeps its record; the file now finds the new one
        assert session.get(Meeting, rehearsal.id).status == MeetingStatus.CLOSED
        assert meetings.meeting_for_agenda(session, edited.source_path).id == real.id
        assert meetings.rerun_question(real, edited) is None


def test_an_edited_file_asks_even_before_the_meeting_closed(database, tmp_path) -> None:
    path = _agenda_file(tmp_path)
    with database.write() as session:
        made, _ = meetings.open_meeting_for_agenda(session, agenda=load_agenda(path))
    path.write_text(path.read_text(encoding="utf-8").replace("Break", "Tea"), encoding="utf-8")
    question = meetings.rerun_question(made, load_agenda(path))
    assert question is not None and "changed since" in question


def test_a_meeting_made_before_hashes_were_kept_claims_no_change(database, tmp_path) -> None:
    agenda = load_agenda(_agenda_file(tmp_path))
    with database.write() as session:
        made = meetings.create_meeting(session, agenda=dataclasses.replace(agenda, source_hash=""))
    assert meetings.rerun_question(made, agenda) is None


# ---- the speakers' queue when the item changes ----------------------------------------------


def _queue_on_discussion(database, meeting) -> AgendaItem:
    with database.write() as session:
        item = meetings.move_to_item(session, meeting_id=meeting.id, step=2)
        for name, group in (("Joan", "resident"), ("Devika Zorn", "carer"), ("Xanthe Voss", "")):
            speakers.add_speaker(session, meeting_id=meeting.id, name=name, stakeholder=group)
        speakers.call_next_speaker(session, meeting_id=meeting.id)  # Joan speaks
    return item


def test_carrying_the_queue_over_keeps_everyone_waiting_in_order(database, meeting) -> None:
    left = _queue_on_discussion(database, meeting)
    with database.write() as session:
        after = meetings.move_to_item(session, meeting_id=meeting.id, step=1)
        settled = speakers.settle_waiting(
            session,
            meeting_id=meeting.id,
            from_item_id=left.id,
            to_item_id=after.id,
            choice=speakers.CARRY_OVER,
        )
    assert [s.name for s in settled] == ["Devika Zorn", "Xanthe Voss"]
    with database.read() as session:
        there = speakers.speaker_queue(session, after.id)
        here = speakers.speaker_queue(session, left.id)
        kinds = [e.kind for e in events_since(session, 0, meeting_id=meeting.id)]
    assert [(s.name, s.status) for s in there] == [
        ("Devika Zorn", "waiting"),
        ("Xanthe Voss", "waiting"),
    ]
    assert [(s.name, s.status) for s in here] == [("Joan", "done")]
    assert kinds.count("speaker.carried_over") == 2


def test_people_not_heard_are_in_the_minutes_counted_for_the_public_named_for_organisers(
    database, meeting
) -> None:
    left = _queue_on_discussion(database, meeting)
    with database.write() as session:
        after = meetings.move_to_item(session, meeting_id=meeting.id, step=1)
        speakers.settle_waiting(
            session,
            meeting_id=meeting.id,
            from_item_id=left.id,
            to_item_id=after.id,
            choice=speakers.NOT_HEARD_CHOICE,
        )
    with database.read() as session:
        statuses = {s.name: s.status for s in session.exec(select(Speaker))}
        public = build_minutes(session, meeting.id, audience=Audience.PUBLIC)
        organisers = build_minutes(session, meeting.id, audience=Audience.ORGANISERS)
    assert statuses == {"Joan": "done", "Devika Zorn": "not-heard", "Xanthe Voss": "not-heard"}
    item = next(i for i in public.items if i.title == left.title)
    assert [s.name for s in item.speakers] == [""]  # heard: Joan, never named in public
    assert not_heard_text(item) == "2 people: Carer"
    assert public.speaker_count == 1
    document = render_markdown(public)
    assert "**Asked to speak, not heard:** 2 people: Carer" in document
    assert "Devika" not in document and "Xanthe" not in document
    named = next(i for i in organisers.items if i.title == left.title)
    assert not_heard_text(named) == "2 people: Devika Zorn (Carer), Xanthe Voss"
    # Every format the minutes feed says it, and only the organisers' copy names them.
    for fmt in ("html", "docx", "json"):
        shown = _readable(render_minutes(public, fmt), fmt)
        assert "2 people: Carer" in shown and "Devika" not in shown, fmt
        assert "Devika Zorn (Carer)" in _readable(render_minutes(organisers, fmt), fmt), fmt


def _readable(data: str | bytes, fmt: str) -> str:
    if fmt == "docx":
        assert isinstance(data, bytes)
        return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    if fmt == "json":
        document = json.loads(data)
        return "\n".join(
            not_heard_text_of(item["not_heard"]) for item in document["items"] if item["not_heard"]
        )
    return str(data)


def not_heard_text_of(entries: list[dict]) -> str:
    """The JSON's not-heard entries in the minutes' words (to compare with the other formats)."""
    people = [
        f"{e['name']} ({e['stakeholder']})" if e["name"] else e["stakeholder"] for e in entries
    ]
    return f"{len(entries)} people: " + ", ".join(p for p in people if p)


def test_carrying_over_needs_an_item_to_carry_to(database, meeting) -> None:
    left = _queue_on_discussion(database, meeting)
    with pytest.raises(DomainError, match="no next item"), database.write() as session:
        speakers.settle_waiting(
            session,
            meeting_id=meeting.id,
            from_item_id=left.id,
            to_item_id=None,
            choice=speakers.CARRY_OVER,
        )


# ---- the speaker's clock stops with the item's ----------------------------------------------


def test_pausing_the_item_pauses_the_speakers_clock(database, meeting) -> None:
    _queue_on_discussion(database, meeting)
    with database.write() as session:
        meetings.set_timer_running(session, meeting_id=meeting.id, running=False)
    with database.read() as session:
        joan = session.exec(select(Speaker).where(Speaker.name == "Joan")).one()
    assert joan.paused_since is not None
    at_pause = speakers.speaking_seconds(joan, joan.paused_since)
    # However long the pause lasts, the speaker's time does not move.
    later = joan.paused_since + timedelta(minutes=7)
    assert speakers.speaking_seconds(joan, later) == pytest.approx(at_pause, abs=1e-6)
    with database.write() as session:
        meetings.set_timer_running(session, meeting_id=meeting.id, running=True)
    with database.read() as session:
        joan = session.get(Speaker, joan.id)
    assert joan.paused_since is None and joan.paused_seconds >= 0
    assert joan.status == SpeakerStatus.SPEAKING


def test_a_speaker_called_while_the_item_is_paused_starts_paused(database, meeting) -> None:
    with database.write() as session:
        meetings.move_to_item(session, meeting_id=meeting.id, step=2)
        meetings.set_timer_running(session, meeting_id=meeting.id, running=False)
        speakers.add_speaker(session, meeting_id=meeting.id, name="Late")
        called = speakers.call_next_speaker(session, meeting_id=meeting.id)
        assert called.paused_since == called.started_at
        assert speakers.speaking_seconds(called, called.started_at + timedelta(hours=1)) == 0


# ---- the agenda: un-skip, and items added with every field of the agenda file ---------------


def test_unskip_puts_an_item_back_without_moving_there(database, meeting) -> None:
    later = _items(database, meeting)[3]
    with database.write() as session:
        meetings.skip_item(session, meeting_id=meeting.id, item_id=later.id)
        back = meetings.unskip_item(session, meeting_id=meeting.id, item_id=later.id)
        assert back.status == ItemStatus.PENDING
        with pytest.raises(DomainError, match="not skipped"):
            meetings.unskip_item(session, meeting_id=meeting.id, item_id=later.id)
    with database.read() as session:
        stored = session.get(Meeting, meeting.id)
        kinds = [e.kind for e in events_since(session, 0, meeting_id=meeting.id)]
    assert stored.current_item_id == _items(database, meeting)[0].id
    assert kinds[-1] == "agenda.unskipped"
    with database.write() as session:  # and moving on now stops there again
        meetings.move_to_item(session, meeting_id=meeting.id, step=1)
        meetings.move_to_item(session, meeting_id=meeting.id, step=1)
        assert meetings.move_to_item(session, meeting_id=meeting.id, step=1).id == later.id


def test_an_added_item_has_speaker_minutes_presenter_and_notes(database, meeting) -> None:
    with database.write() as session:
        added = meetings.add_item(
            session,
            meeting_id=meeting.id,
            title="Questions from the floor",
            minutes=15,
            kind="public-comment",
            speaker_minutes=2,
            presenter="Dr Amara Singh",
            notes="Two minutes each.\nTake written questions too.",
        )
    with database.read() as session:
        stored = session.get(AgendaItem, added.id)
    assert (stored.speaker_minutes, stored.presenter) == (2, "Dr Amara Singh")
    assert stored.notes == "Two minutes each.\nTake written questions too."
    with pytest.raises(FieldErrors) as refused, database.write() as session:
        meetings.add_item(session, meeting_id=meeting.id, title="X", minutes=5, speaker_minutes=0)
    assert "speaker_minutes" in refused.value.errors


def test_closing_records_those_still_waiting_as_not_heard(database, meeting) -> None:
    _queue_on_discussion(database, meeting)
    _close(database, meeting)
    with database.read() as session:
        statuses = {s.name: s.status for s in session.exec(select(Speaker))}
        minutes = build_minutes(session, meeting.id, audience=Audience.ORGANISERS)
    assert statuses == {"Joan": "done", "Devika Zorn": "not-heard", "Xanthe Voss": "not-heard"}
    item = next(i for i in minutes.items if i.not_heard)
    assert not_heard_text(item) == "2 people: Devika Zorn (Carer), Xanthe Voss"
