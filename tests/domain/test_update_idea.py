"""An edit changes only what the person changed: a phone idea corrected in the console keeps
its organisation, consent, tags, scale, benefits and "affects"."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from meetingtui.domain.errors import DomainError, FieldErrors
from meetingtui.domain.ideas import capture_idea, update_idea
from meetingtui.domain.models import Event, Idea
from tests.sample_ideas import FULL_FORM


def stored(database, idea_id) -> dict:
    with database.read() as session:
        return session.get(Idea, idea_id).model_dump()


def test_changing_the_title_keeps_every_other_field(database, meeting):
    with database.write() as session:
        idea = capture_idea(session, meeting_id=meeting.id, data=FULL_FORM, from_public=True)
    before = stored(database, idea.id)
    with database.write() as session:
        update_idea(
            session,
            meeting_id=meeting.id,
            idea_id=idea.id,
            changes={"title": "Evening GP appointments"},
            actor="Priya",
        )
    after = stored(database, idea.id)
    assert after["title"] == "Evening GP appointments"
    unchanged = {k: v for k, v in after.items() if k not in ("title", "updated_at")}
    assert unchanged == {k: v for k, v in before.items() if k not in ("title", "updated_at")}
    assert json.loads(after["tags"]) == ["evenings", "gp"]
    with database.read() as session:
        event = session.exec(select(Event).where(Event.kind == "idea.edited")).one()
    assert json.loads(event.detail)["fields"] == ["title"] and event.entity_id == str(idea.id)


def test_only_changed_fields_are_checked_and_nothing_changed_is_no_event(database, meeting):
    with database.write() as session:
        idea = capture_idea(session, meeting_id=meeting.id, data=FULL_FORM)
        idea.topic = "A topic since taken off the agenda"
    with database.write() as session:  # the stale topic does not block a correction
        update_idea(session, meeting_id=meeting.id, idea_id=idea.id, changes={"detail": "Two"})
    with pytest.raises(FieldErrors) as refused, database.write() as session:
        update_idea(session, meeting_id=meeting.id, idea_id=idea.id, changes={"title": " "})
    assert set(refused.value.errors) == {"title"}
    with pytest.raises(DomainError), database.write() as session:
        update_idea(session, meeting_id=meeting.id, idea_id=idea.id, changes={"ref": "I-9"})
    with database.write() as session:
        update_idea(session, meeting_id=meeting.id, idea_id=idea.id, changes={"detail": "Two"})
    with database.read() as session:
        edits = session.exec(select(Event).where(Event.kind == "idea.edited")).all()
    assert len(edits) == 1
    assert stored(database, idea.id)["topic"] == "A topic since taken off the agenda"


def test_clearing_the_name_clears_the_consent_to_publish_it(database, meeting):
    with database.write() as session:
        idea = capture_idea(session, meeting_id=meeting.id, data=FULL_FORM)
    with database.write() as session:
        update_idea(session, meeting_id=meeting.id, idea_id=idea.id, changes={"raised_by": ""})
    after = stored(database, idea.id)
    assert after["raised_by"] == "" and after["publish_name"] is False
    assert after["organisation"] == "Riverside Carers"
