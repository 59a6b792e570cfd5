"""Correcting a paper card's number (``update_idea`` with ``card_number``): checked as card
entry checks it (domain/cards.py), written only when changed, taken back by the console's undo."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from meetingtui.domain.cards import capture_card_idea
from meetingtui.domain.errors import FieldErrors
from meetingtui.domain.ideas import EditConflict, IdeaInput, update_idea
from meetingtui.domain.models import Event, Idea
from meetingtui.session import MeetingSession


def two_cards(database, meeting) -> tuple[Idea, Idea]:
    with database.write() as session:
        made = [
            capture_card_idea(
                session, meeting_id=meeting.id, data=IdeaInput(title=t), card_number=n
            )
            for t, n in (("Benches", 5), ("Lights", 7))
        ]
        for idea in made:
            session.expunge(idea)
    return made[0], made[1]


def stored(database, idea: Idea) -> Idea:
    with database.read() as session:
        return session.exec(select(Idea).where(Idea.id == idea.id)).one()


def edit(database, meeting, idea: Idea, changes: dict, base: dict | None = None) -> None:
    with database.write() as session:
        update_idea(session, meeting_id=meeting.id, idea_id=idea.id, changes=changes, base=base)


def test_a_corrected_number_is_written_with_an_event_naming_it(database, meeting):
    _benches, lights = two_cards(database, meeting)
    edit(database, meeting, lights, {"card_number": "c 6", "title": "Lights"})
    assert stored(database, lights).card_number == 6
    with database.read() as session:
        edited = session.exec(select(Event).where(Event.kind == "idea.edited")).all()
    assert [json.loads(e.detail)["fields"] for e in edited] == [
        ["card_number"]
    ]  # the title was unchanged


def test_the_same_number_as_typed_differently_is_no_change(database, meeting):
    _benches, lights = two_cards(database, meeting)
    edit(database, meeting, lights, {"card_number": "0007"})
    with database.read() as session:
        assert not session.exec(select(Event).where(Event.kind == "idea.edited")).all()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("5", "Card C-0005 was already entered as idea I-0001: “Benches”"),
        ("C-0137x", "Enter the number printed on the card"),
        ("0", "Enter the number printed on the card"),
    ],
)
def test_a_taken_or_unreadable_number_is_refused_beside_the_field(
    database, meeting, typed: str, message: str
):
    _benches, lights = two_cards(database, meeting)
    with pytest.raises(FieldErrors) as refused:
        edit(database, meeting, lights, {"card_number": typed})
    assert message in refused.value.errors["card_number"]
    assert stored(database, lights).card_number == 7


def test_blank_takes_the_number_off(database, meeting):
    _benches, lights = two_cards(database, meeting)
    edit(database, meeting, lights, {"card_number": " "})
    assert stored(database, lights).card_number is None


def test_a_number_changed_meanwhile_is_a_conflict_in_the_form_s_words(database, meeting):
    _benches, lights = two_cards(database, meeting)
    edit(database, meeting, lights, {"card_number": "9"})  # another console
    with pytest.raises(EditConflict) as conflict:
        edit(database, meeting, lights, {"card_number": "10"}, base={"card_number": "C-0007"})
    assert conflict.value.fields == {"card_number": ("C-0007", "C-0009", "C-0010")}
    assert stored(database, lights).card_number == 9


def test_undo_brings_the_old_number_back(database, meeting):
    _benches, lights = two_cards(database, meeting)
    console = MeetingSession(database, meeting.id, operator="Priya", draft_owner="pane-1")
    console.update_idea(lights.id, {"card_number": "6"})
    assert stored(database, lights).card_number == 6
    said = console.undo()
    assert "card number" in said, said
    assert stored(database, lights).card_number == 7
