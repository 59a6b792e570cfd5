"""Paper cards at the tables: printed numbers handed out once, and ideas typed in from them.

A print run (``meetingtui cards``) takes its card numbers from the ``counter`` row named
``card``: the last number handed out from this database, so two runs never print the same
number (``reserve_card_numbers``). Numbers typed in by hand count too: a card from another
database's run, or a number made up at the table, raises the counter past it, so the next run
never prints a number an idea already has. A card typed in at the console (card entry mode)
keeps its printed number on the idea (``Idea.card_number``); one number names one idea of a
programme, so a card typed twice is caught with the idea it already became
(``capture_card_idea``).
"""

from __future__ import annotations

import re
import uuid

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from meetingtui.domain.errors import FieldErrors, NotFound
from meetingtui.domain.feed import record_event
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.models import Counter, Idea, Meeting

CARD_COUNTER = "card"
CARD_NUMBER_MAX = 9_999_999  # seven digits: far more cards than any programme prints
PRINT_RUN_MAX = 2_000  # cards in one run: a stack for every table, not a typo's million
_CARD = re.compile(r"^\s*(?:c\s*-?\s*)?0*(\d{1,9})\s*$", re.IGNORECASE)


def format_card_number(number: int) -> str:
    """A card's printed number: ``C-0137`` (four digits at least)."""
    return f"C-{number:04d}"


def parse_card_number(text: str) -> int | None:
    """``137``, ``0137``, ``C-0137`` or ``c137`` -> 137; blank -> None; FieldErrors otherwise."""
    if not text.strip():
        return None
    match = _CARD.match(text)
    number = int(match.group(1)) if match else 0
    if not match or not 1 <= number <= CARD_NUMBER_MAX:
        raise FieldErrors(
            {"card_number": "Enter the number printed on the card, such as 137 or C-0137"}
        )
    return number


def reserve_card_numbers(session: Session, count: int, *, actor: str = "") -> list[int]:
    """``count`` card numbers never handed out before from this database, in order, and past
    every number typed in by hand (``Idea.card_number``).

        The counter row is updated in the caller's write transaction (SQLite's write lock, a row
        lock on PostgreSQL), so two print runs at once still get different numbers."""
    if not 1 <= count <= PRINT_RUN_MAX:
        raise FieldErrors({"count": f"Print between 1 and {PRINT_RUN_MAX} cards in one run"})
    bump = (
        sa.update(Counter)
        .where(col(Counter.name) == CARD_COUNTER)
        .values(value=col(Counter.value) + count)
    )
    if session.connection().execute(bump).rowcount == 0:
        try:
            with session.begin_nested():
                session.add(Counter(name=CARD_COUNTER, value=count))
        except IntegrityError:  # another run created the row meanwhile: count on from it
            session.connection().execute(bump)
    last = session.exec(select(Counter.value).where(Counter.name == CARD_COUNTER)).one()
    typed = session.exec(select(sa.func.max(Idea.card_number))).one() or 0
    if last - count < typed:  # a number typed in by hand is past the counter: follow on from it
        last = typed + count
        session.connection().execute(
            sa.update(Counter).where(col(Counter.name) == CARD_COUNTER).values(value=last)
        )
    numbers = list(range(last - count + 1, last + 1))
    record_event(
        session,
        kind="cards.printed",
        meeting_id=None,
        entity="card",
        actor=actor,
        detail={"first": numbers[0], "last": numbers[-1]},
    )
    return numbers


def card_taken_by(
    session: Session, *, meeting: Meeting, number: int, except_idea: uuid.UUID | None = None
) -> Idea | None:
    """The idea of the meeting's programme already typed in from card ``number``, if any."""
    query = (
        select(Idea)
        .join(Meeting, col(Meeting.id) == col(Idea.meeting_id))
        .where(Idea.card_number == number, col(Idea.deleted_at).is_(None))
    )
    if meeting.programme_id is None:
        query = query.where(col(Meeting.programme_id).is_(None))
    else:
        query = query.where(Meeting.programme_id == meeting.programme_id)
    if except_idea is not None:
        query = query.where(Idea.id != except_idea)
    return session.exec(query.limit(1)).first()


def card_as_typed(value: object) -> str:
    """A card number as the form shows it (``C-0137``; blank for none), however it was given
    (``137``, ``c137``, a number); text that is no card number stays as typed."""
    if isinstance(value, int):
        return format_card_number(value)
    try:
        number = parse_card_number(str(value or ""))
    except FieldErrors:
        return str(value)
    return format_card_number(number) if number is not None else ""


def check_card_number(
    session: Session, *, meeting: Meeting, number: int, except_idea: uuid.UUID | None = None
) -> None:
    """Refuse (FieldErrors on ``card_number``, naming the idea) a number out of range or already
    entered for another idea of the programme: card entry and an edit's correction both ask."""
    if not 1 <= number <= CARD_NUMBER_MAX:
        raise FieldErrors({"card_number": "That is not a card number"})
    taken = card_taken_by(session, meeting=meeting, number=number, except_idea=except_idea)
    if taken is not None:
        where = "" if taken.meeting_id == meeting.id else " (another meeting)"
        raise FieldErrors(
            {
                "card_number": f"Card {format_card_number(number)} was already entered"
                f" as idea {taken.ref}{where}: “{taken.title}”"
            }
        )


def capture_card_idea(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    data: IdeaInput,
    card_number: int | None,
    captured_by: str = "",
) -> Idea:
    """An idea typed in from a paper card: channel "written card", the card's number kept.

    Refused (FieldErrors on ``card_number``, naming the idea) when that card's number was
    already entered for another idea of the programme: the same card typed twice."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("That meeting no longer exists.")
    if card_number is not None:
        check_card_number(session, meeting=meeting, number=card_number)
    data.channel = "card"
    idea = capture_idea(session, meeting_id=meeting_id, data=data, captured_by=captured_by)
    idea.card_number = card_number
    session.add(idea)
    session.flush()
    return idea
