"""Polls: single and multiple choice, ranking, score, dots (or 100 points) and budget ballots.

The domain API (every interface — console, projector, phone, CLI, exports — calls these):

Making and running a poll
    ``create_poll(session, meeting_id=, type=, question=, options=, item_id=None, …)`` an ad hoc
    poll (or one declared in the agenda file: ``create_meeting`` calls ``polls_from_agenda``);
    ``options_from_ideas(session, meeting_id=, refs=)`` options made from ideas (each keeps its
    idea); ``open_poll`` · ``close_poll`` · ``reopen_poll``; ``follow_agenda`` (called by
    domain/meetings.py whenever the current item changes or the meeting closes): a poll with
    ``opens = "with the item"`` opens when its item starts; every open poll of an item closes
    when the item ends, and every open poll closes when the meeting closes.
Voting
    ``cast_ballot(session, poll_id=, device=, choices=)`` one ballot per device, changeable
    while the poll is open (``cast_ballots`` many at once, each refused or kept on its own:
    what the attendee web's group commit calls); ``device_choices`` what this device chose
    (while open);
    ``enter_paper_ballots`` and ``enter_hand_count`` with the totals check (ballots cast =
    valid + invalid); ``override_selection`` the organisers' budget decision, with a reason.
Reading
    ``meeting_polls``, ``find_poll`` (by number or id), ``poll_options``, ``poll_results``
    (``PollResults``: the combined ``Tally`` and one per channel — phone, paper, hands — with
    ``rows()`` for display); what the public may see of them is decided in domain/public.py
    (``poll_public``, ``poll_results_public``). For a live chart, follow the feed: every
    ballot appends a ``poll.ballot`` event (entity ``poll``, no device, no choice), so a
    console reloads ``poll_results`` for that poll only.

Anonymous by design. While a poll is open, a phone's ballot is stored against a hash of its
device id and the poll (``poll_ballot``), so the phone can change it. When the poll closes, each
ballot becomes a ``poll_counted_ballot`` row holding only its choices and channel (no device, no
time, a random id, written in shuffled order) and the device rows are deleted; what remains of
the devices is ``poll_voter``, the set of hashes that were counted, without their choices (written
in another shuffled order). After a *reopen* the counted ballots stay counted and cannot be
changed; a device that was counted cannot vote again (one person, one ballot), and new devices
vote and can change their ballot until the next close. The feed never carries a device or a
choice. (On SQLite the close runs with ``secure_delete`` so deleted rows are overwritten.)

Counting is in domain/tallies.py (pure functions); results that include hands add the hand
counts to ``votes`` (single, multiple, budget) — the Equal Shares selection needs whole
ballots, so it counts phone and paper ballots only, and says so (``PollResults.notes``).
"""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, func, select

from meetingtui.domain.agenda import PollSpec
from meetingtui.domain.errors import DomainError, FieldErrors, NotFound
from meetingtui.domain.feed import record_event
from meetingtui.domain.models import (
    Event,
    Idea,
    Meeting,
    Poll,
    PollBallot,
    PollChannelCount,
    PollCountedBallot,
    PollOption,
    PollVoter,
    utcnow,
)
from meetingtui.domain.poll_specs import spec_problems
from meetingtui.domain.states import MeetingStatus, Visibility
from meetingtui.domain.tallies import (
    BallotRefused,
    Choices,
    PollRules,
    Tally,
    check_choices,
    choices_from_json,
    greedy_selection,
    tally,
)
from meetingtui.domain.text_fold import fold

CHANNELS = ("phone", "paper", "hands")
HAND_TYPES = ("single", "multiple", "budget")
FROM_IDEAS_OPTIONS = 10  # ``from = "ideas"``: the most supported ideas when the poll opens

# A note on a budget poll counted with hands (the record says it in its own language).
HANDS_NOT_IN_SHARES = "Equal Shares counts phone and paper ballots only; hands are in votes."


@dataclass(frozen=True)
class OptionSpec:
    label: str
    cost: int = 0
    idea_id: uuid.UUID | None = None


# ---------------------------------------------------------------------------- the rules


def poll_settings(poll: Poll) -> dict[str, Any]:
    settings: dict[str, Any] = json.loads(poll.settings or "{}")
    return settings


def poll_rules(poll: Poll, options: Sequence[PollOption]) -> PollRules:
    settings = poll_settings(poll)
    return PollRules(
        type=poll.type,
        options=len(options),
        min=settings.get("min"),
        max=settings.get("max"),
        dots=settings.get("dots"),
        budget=settings.get("budget"),
        costs=tuple(option.cost for option in options),
    )


# ---------------------------------------------------------------------------- making polls


def _next_number(session: Session, meeting_id: uuid.UUID) -> int:
    latest = session.exec(select(func.max(Poll.number)).where(Poll.meeting_id == meeting_id)).one()
    return (latest or 0) + 1


def create_poll(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    type: str,
    question: str,
    options: Sequence[str | OptionSpec],
    item_id: uuid.UUID | None = None,
    min: int | None = None,
    max: int | None = None,
    dots: int | None = None,
    unit: str = "dots",
    budget: int | None = None,
    results: str = "live",
    opens: str = "manual",
    from_ideas: bool = False,
    actor: str = "",
) -> Poll:
    """A new poll in draft (``open_poll`` opens it). ``item_id`` ties it to an agenda item: it
    then closes when the item ends (and opens with it when ``opens == "with the item"``).
    Refused with ``FieldErrors`` keyed by the agenda file's names (type, question, options …)."""
    if session.get(Meeting, meeting_id) is None:
        raise NotFound("That meeting does not exist.")
    specs = [o if isinstance(o, OptionSpec) else OptionSpec(label=o) for o in options]
    spec = PollSpec(
        type=type,
        question=question.strip(),
        options=tuple(o.label.strip() for o in specs),
        costs=tuple(o.cost for o in specs) if type == "budget" else (),
        min=min,
        max=max,
        dots=dots,
        budget=budget,
        results=results,
        opens=opens,
        from_ideas=from_ideas,
        unit=unit,
    )
    if problems := spec_problems(spec):
        raise FieldErrors(problems)
    settings: dict[str, Any] = {
        key: value
        for key, value in (("min", min), ("max", max), ("dots", dots), ("budget", budget))
        if value is not None
    }
    if type == "dots":
        settings["unit"] = "points" if unit == "points" else "dots"
    if from_ideas:
        settings["from"] = "ideas"
    poll = Poll(
        meeting_id=meeting_id,
        agenda_item_id=item_id,
        number=_next_number(session, meeting_id),
        type=type,
        question=spec.question,
        settings=json.dumps(settings),
        results=results,
        opens=opens,
    )
    session.add(poll)
    session.flush()
    _add_options(session, poll, specs)
    record_event(
        session,
        kind="poll.created",
        meeting_id=meeting_id,
        entity="poll",
        entity_id=poll.id,
        actor=actor,
        detail={"poll": poll.number, "question": poll.question, "type": type},
    )
    session.flush()
    return poll


def _add_options(session: Session, poll: Poll, specs: Sequence[OptionSpec]) -> None:
    for position, spec in enumerate(specs):
        session.add(
            PollOption(
                poll_id=poll.id,
                position=position,
                label=spec.label.strip(),
                cost=spec.cost if poll.type == "budget" else 0,
                idea_id=spec.idea_id,
            )
        )


def polls_from_agenda(
    session: Session, *, meeting_id: uuid.UUID, item_id: uuid.UUID, spec: PollSpec
) -> Poll:
    """The poll an agenda item declares (``[item.poll]``), as ``create_meeting`` makes it."""
    costs = spec.costs or (0,) * len(spec.options)
    return create_poll(
        session,
        meeting_id=meeting_id,
        item_id=item_id,
        type=spec.type,
        question=spec.question,
        options=[OptionSpec(label, cost) for label, cost in zip(spec.options, costs, strict=True)],
        min=spec.min,
        max=spec.max,
        dots=spec.dots,
        unit=spec.unit,
        budget=spec.budget,
        results=spec.results,
        opens=spec.opens,
        from_ideas=spec.from_ideas,
    )


def options_from_ideas(
    session: Session, *, meeting_id: uuid.UUID, refs: Sequence[str]
) -> list[OptionSpec]:
    """Options made from the meeting's visible ideas, in the order of ``refs`` (I-0042 …);
    each option's label is the idea's title and keeps a link to the idea."""
    options: list[OptionSpec] = []
    for ref in refs:
        wanted = ref.strip().upper()
        idea = session.exec(
            select(Idea).where(
                Idea.meeting_id == meeting_id,
                Idea.ref == wanted,
                Idea.visibility == Visibility.VISIBLE,
                col(Idea.deleted_at).is_(None),
            )
        ).first()
        if idea is None:
            raise FieldErrors({"options": f"No visible idea {wanted} in this meeting."})
        options.append(OptionSpec(label=idea.title, idea_id=idea.id))
    return options


def options_from_themes(
    session: Session, *, meeting_id: uuid.UUID, names: Sequence[str]
) -> list[OptionSpec]:
    """Options made from themes of the meeting's programme, in the order of ``names`` (each
    found as ``themes.find_theme`` finds it: case and accents aside); the label is the theme's
    name as the organisers wrote it, for the room to weigh one theme against another."""
    from meetingtui.domain.programmes import programme_of_meeting
    from meetingtui.domain.themes import find_theme

    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("That meeting does not exist.")
    programme = programme_of_meeting(session, meeting)
    options: list[OptionSpec] = []
    for name in names:
        try:
            theme = find_theme(session, programme, name)
        except NotFound as error:
            raise FieldErrors({"options": str(error)}) from None
        options.append(OptionSpec(label=theme.name))
    return options


def _top_ideas(session: Session, meeting_id: uuid.UUID) -> list[OptionSpec]:
    ideas = session.exec(
        select(Idea)
        .where(
            Idea.meeting_id == meeting_id,
            Idea.visibility == Visibility.VISIBLE,
            col(Idea.deleted_at).is_(None),
        )
        .order_by(col(Idea.support_count).desc(), col(Idea.seq))
        .limit(FROM_IDEAS_OPTIONS)
    ).all()
    return [OptionSpec(label=idea.title, idea_id=idea.id) for idea in ideas]


# ---------------------------------------------------------------------------- reading


def meeting_polls(session: Session, meeting_id: uuid.UUID) -> list[Poll]:
    return list(
        session.exec(select(Poll).where(Poll.meeting_id == meeting_id).order_by(col(Poll.number)))
    )


def find_poll(session: Session, *, meeting_id: uuid.UUID, key: str | int | uuid.UUID) -> Poll:
    """A poll of the meeting by its number (``2``, ``"2"``, ``"P2"``) or its id."""
    text = str(key).strip()
    number = text.upper().removeprefix("P")
    query = select(Poll).where(Poll.meeting_id == meeting_id)
    if number.isdigit():
        poll = session.exec(query.where(Poll.number == int(number))).first()
    else:
        try:
            poll = session.exec(query.where(Poll.id == uuid.UUID(text))).first()
        except ValueError:
            poll = None
    if poll is None:
        raise NotFound(f"No poll {text} in this meeting.")
    return poll


def poll_options(session: Session, poll_id: uuid.UUID) -> list[PollOption]:
    return list(
        session.exec(
            select(PollOption)
            .where(PollOption.poll_id == poll_id)
            .order_by(col(PollOption.position))
        )
    )


def poll_shape(session: Session, poll_id: uuid.UUID) -> tuple[str, int]:
    """The poll's type and how many options it has (what a ballot form needs to be read)."""
    poll = _poll(session, poll_id)
    count = session.exec(select(func.count()).where(PollOption.poll_id == poll_id)).one()
    return poll.type, count


def _poll(session: Session, poll_id: uuid.UUID, *, lock: bool = False) -> Poll:
    poll = session.get(Poll, poll_id, with_for_update=lock)
    if poll is None:
        raise NotFound("That poll no longer exists.")
    return poll


def device_hash(poll_id: uuid.UUID, device: str) -> str:
    """The key of a device's ballot in one poll: not the device id itself (the id that is also
    on its ideas and comments), and different in every poll."""
    return hashlib.sha256(f"meetingtui-poll:{poll_id}:{device}".encode()).hexdigest()


def device_choices(session: Session, *, poll_id: uuid.UUID, device: str) -> Choices | None:
    """This device's ballot while the poll is open (to show it and let it be changed)."""
    if not device:
        return None
    poll = _poll(session, poll_id)
    row = session.exec(
        select(PollBallot.choices).where(
            PollBallot.poll_id == poll_id, PollBallot.device_hash == device_hash(poll_id, device)
        )
    ).first()
    return None if row is None else choices_from_json(poll.type, json.loads(row))


def device_was_counted(session: Session, *, poll_id: uuid.UUID, device: str) -> bool:
    """Whether this device's ballot was counted at an earlier close (it cannot vote again)."""
    if not device:
        return False
    hashed = device_hash(poll_id, device)
    return (
        session.exec(
            select(PollVoter.id).where(
                PollVoter.poll_id == poll_id, PollVoter.device_hash == hashed
            )
        ).first()
        is not None
    )


# ---------------------------------------------------------------------------- open, close


def _event(session: Session, poll: Poll, kind: str, actor: str, **detail: Any) -> None:
    record_event(
        session,
        kind=kind,
        meeting_id=poll.meeting_id,
        entity="poll",
        entity_id=poll.id,
        actor=actor,
        detail={"poll": poll.number, **detail},
    )


def open_poll(session: Session, *, poll_id: uuid.UUID, actor: str = "") -> Poll:
    """Open a draft poll for ballots. A ``from = "ideas"`` poll without options takes the
    meeting's most supported visible ideas (up to ten) now."""
    poll = _poll(session, poll_id, lock=True)
    if poll.status == "open":
        return poll
    if poll.status == "closed":
        raise DomainError("That poll has closed; reopen it instead.")
    meeting = session.get(Meeting, poll.meeting_id)
    if meeting is not None and meeting.status == MeetingStatus.CLOSED:
        raise DomainError("The meeting is closed. Reopen it to run a poll.")
    options = poll_options(session, poll.id)
    settings = poll_settings(poll)
    if not options and settings.get("from") == "ideas":
        ideas = _top_ideas(session, poll.meeting_id)
        # Checked before any option is made: a poll that cannot open yet stays as it was, to
        # take the ideas raised by the time the facilitator opens it.
        needed = max(2, int(settings.get("min") or 0))
        if len(ideas) < needed:
            picks = f" (its min is {needed})" if needed > 2 else ""
            raise DomainError(
                f"This poll takes its options from the meeting's ideas and needs at least "
                f"{needed}{picks}; the public can see {len(ideas)} so far."
            )
        _add_options(session, poll, ideas)
        session.flush()
        options = poll_options(session, poll.id)
    if len(options) < 2:
        raise DomainError("A poll needs at least two options before it opens.")
    poll.status = "open"
    poll.opened_at = utcnow()
    _event(session, poll, "poll.opened", actor)
    session.flush()
    return poll


def close_poll(session: Session, *, poll_id: uuid.UUID, actor: str = "") -> Poll:
    """Close the poll: count its phone ballots anonymously (module doc) and take no more."""
    poll = _poll(session, poll_id, lock=True)
    if poll.status != "open":
        raise DomainError("That poll is not open.")
    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        session.exec(sa.text("PRAGMA secure_delete = ON"))  # type: ignore[call-overload]
    rows = list(session.exec(select(PollBallot).where(PollBallot.poll_id == poll.id)))
    shuffle = random.SystemRandom().shuffle
    choices = [row.choices for row in rows]
    hashes = [row.device_hash for row in rows]
    shuffle(choices)
    shuffle(hashes)
    session.exec(sa.delete(PollBallot).where(col(PollBallot.poll_id) == poll.id))
    for chosen in choices:
        session.add(PollCountedBallot(poll_id=poll.id, channel="phone", choices=chosen))
    for hashed in hashes:
        session.add(PollVoter(poll_id=poll.id, device_hash=hashed))
    poll.status = "closed"
    poll.closed_at = utcnow()
    _event(session, poll, "poll.closed", actor, counted=len(rows))
    session.flush()
    return poll


def reopen_poll(session: Session, *, poll_id: uuid.UUID, actor: str = "") -> Poll:
    """Take ballots again: the counted ones stay as they are; devices already counted cannot
    vote again; others can vote (and change their vote) until the next close."""
    poll = _poll(session, poll_id, lock=True)
    if poll.status != "closed":
        raise DomainError("That poll is not closed.")
    meeting = session.get(Meeting, poll.meeting_id)
    if meeting is not None and meeting.status == MeetingStatus.CLOSED:
        raise DomainError("The meeting is closed. Reopen it to run a poll.")
    poll.status = "open"
    poll.closed_at = None
    _event(session, poll, "poll.reopened", actor)
    session.flush()
    return poll


def follow_agenda(session: Session, *, meeting_id: uuid.UUID, actor: str = "") -> None:
    """Open and close polls as the agenda moves (called by domain/meetings.py): open polls of
    items that are no longer current close (every open poll, when the meeting has closed);
    draft polls of the current item that open "with the item" open (one without options yet
    stays a draft)."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        return
    polls = meeting_polls(session, meeting_id)
    closed = meeting.status == MeetingStatus.CLOSED
    for poll in polls:
        ends = closed or (
            poll.agenda_item_id is not None and poll.agenda_item_id != meeting.current_item_id
        )
        if poll.status == "open" and ends:
            close_poll(session, poll_id=poll.id, actor=actor)
    if closed or meeting.current_item_id is None:
        return
    for poll in polls:
        if (
            poll.agenda_item_id == meeting.current_item_id
            and poll.status == "draft"
            and poll.opens == "with the item"
        ):
            try:
                open_poll(session, poll_id=poll.id, actor=actor)
            except DomainError:
                continue  # no options yet (no ideas to take): the facilitator opens it later


# ---------------------------------------------------------------------------- voting


@dataclass(frozen=True)
class BallotReceipt:
    poll_number: int
    changed: bool  # a ballot from this device was replaced


NOT_OPEN = "This poll is not open, so your vote was not recorded."
CLOSED = "This poll has closed, so your vote was not recorded."
UNKNOWN_DEVICE = "Your phone could not be recognised; reload the page and try again."
COUNTED = (
    "Your vote was counted when this poll closed earlier, so it cannot be changed or cast again."
)


def cast_ballot(
    session: Session, *, poll_id: uuid.UUID, device: str, choices: Any, channel: str = "phone"
) -> BallotReceipt:
    """Record (or replace) this device's ballot; ``choices`` as in domain/tallies.py (a list
    of option positions, or a mapping of position to number). Refusals: ``FieldErrors``
    ``{"choices": …}`` for a ballot that breaks the poll's rules, ``DomainError`` when the poll
    is not open or this device was already counted. ``cast_ballots`` with one ballot: the
    rules live there."""
    outcome = cast_ballots(session, poll_id=poll_id, ballots=[(device, choices)])[0]
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome


def cast_ballots(
    session: Session, *, poll_id: uuid.UUID, ballots: Sequence[tuple[str, Any]]
) -> list[BallotReceipt | DomainError]:
    """Many phones' ballots in one poll at once: the one way ballots are cast (``cast_ballot``
    is this with one; the attendee web's group commit hands it every ballot waiting for a poll,
    which is what makes a room's "vote now" cheap: one read of the poll, its options, the
    devices already counted and the ballots to replace, then one statement per table).

    Each ``(device, choices)`` is checked as ``cast_ballot`` says, in order: no device, the poll
    not open, choices against the rules, a device already counted. Returns, per ballot in
    order, its ``BallotReceipt`` or the ``DomainError`` that refused it; nothing is written for
    a refused one, and one refusal never stops the others. The same device twice in one call:
    the later accepted ballot is the one kept (as if cast one after the other), counted once.
    Every accepted ballot appends a ``poll.ballot`` event (no device, no choice)."""
    poll = _poll(session, poll_id)
    if poll.status != "open":
        refusal = CLOSED if poll.status == "closed" else NOT_OPEN
        return [DomainError(refusal if device else UNKNOWN_DEVICE) for device, _ in ballots]
    rules = poll_rules(poll, poll_options(session, poll.id))
    hashes = [device_hash(poll.id, device) if device else "" for device, _ in ballots]
    wanted = {hashed for hashed in hashes if hashed}
    # Plain rows and Core statements, as ``add_comments`` does: under load this runs in the
    # web's writer thread, where every microsecond of Python is taken from the event loop.
    counted: set[str] = set()
    stored: dict[str, uuid.UUID] = {}  # device hash -> its open ballot's row
    if wanted:
        counted = set(
            session.exec(
                select(PollVoter.device_hash).where(
                    PollVoter.poll_id == poll.id, col(PollVoter.device_hash).in_(wanted)
                )
            )
        )
        stored = {
            hashed: row_id
            for row_id, hashed in session.exec(
                select(PollBallot.id, PollBallot.device_hash).where(
                    PollBallot.poll_id == poll.id, col(PollBallot.device_hash).in_(wanted)
                )
            )
        }
    results: list[BallotReceipt | DomainError] = []
    kept: dict[str, str] = {}  # device hash -> the choices it ends with (the latest accepted)
    for (_device, choices), hashed in zip(ballots, hashes, strict=True):
        if not hashed:
            results.append(DomainError(UNKNOWN_DEVICE))
            continue
        try:
            checked = check_choices(rules, choices)
        except BallotRefused as error:
            results.append(FieldErrors({"choices": str(error)}))
            continue
        if hashed in counted:
            results.append(DomainError(COUNTED))
            continue
        changed = hashed in stored or hashed in kept
        kept[hashed] = json.dumps(checked)
        results.append(BallotReceipt(poll.number, changed))
    if kept:
        accepted = sum(isinstance(result, BallotReceipt) for result in results)
        _store_ballots(session, poll, kept, stored, accepted=accepted)
    return results


def _store_ballots(
    session: Session,
    poll: Poll,
    kept: dict[str, str],
    stored: dict[str, uuid.UUID],
    *,
    accepted: int,
) -> None:
    """The ballots ``cast_ballots`` accepted: new rows, replaced choices (in the session's
    copies too, should earlier work in the same transaction have loaded a row), and one
    ``poll.ballot`` event per accepted ballot."""
    session.flush()  # anything the session holds, before the Core statements
    table = PollBallot.__table__  # type: ignore[attr-defined]
    new = [
        {"id": uuid.uuid4(), "poll_id": poll.id, "device_hash": hashed, "choices": choices}
        for hashed, choices in kept.items()
        if hashed not in stored
    ]
    replaced = [
        {"row": stored[hashed], "chosen": choices}
        for hashed, choices in kept.items()
        if hashed in stored
    ]
    if new:
        session.execute(sa.insert(table), new)
    if replaced:
        session.execute(
            sa.update(table)
            .where(table.c.id == sa.bindparam("row"))
            .values(choices=sa.bindparam("chosen")),
            replaced,
        )
        for item in replaced:
            loaded = session.identity_map.get(session.identity_key(PollBallot, item["row"]))
            if loaded is not None:
                set_committed_value(loaded, "choices", item["chosen"])
    now = utcnow()
    detail = json.dumps({"poll": poll.number})
    event = {
        "at": now,
        "meeting_id": poll.meeting_id,
        "kind": "poll.ballot",
        "entity": "poll",
        "entity_id": str(poll.id),
        "actor": "",
        "detail": detail,
    }
    session.execute(sa.insert(Event.__table__), [event] * accepted)  # type: ignore[attr-defined]


def _counted_poll(session: Session, poll_id: uuid.UUID) -> tuple[Poll, list[PollOption]]:
    poll = _poll(session, poll_id, lock=True)
    if poll.status == "draft":
        raise DomainError("That poll has not been opened yet.")
    return poll, poll_options(session, poll.id)


def _check_totals(cast: int, valid: int, invalid: int) -> None:
    for name, value in (("cast", cast), ("invalid", invalid)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise FieldErrors({name: f"Enter the ballots {name} as a whole number, 0 or more."})
    if cast != valid + invalid:
        raise FieldErrors(
            {
                "cast": f"The totals do not add up: {cast} ballots cast, but {valid} valid + "
                f"{invalid} invalid = {valid + invalid}. Count again, or correct the figures."
            }
        )


def enter_paper_ballots(
    session: Session,
    *,
    poll_id: uuid.UUID,
    ballots: Sequence[Any],
    cast: int,
    invalid: int,
    actor: str = "",
) -> int:
    """Enter the paper ballots of a poll (each ballot's choices, as for ``cast_ballot``), with
    how many were cast and how many were spoilt. Refused unless cast = valid + invalid; a
    ballot that breaks the rules is named by its number. Entering paper again replaces the
    earlier paper entry. Returns the valid ballots entered."""
    poll, options = _counted_poll(session, poll_id)
    rules = poll_rules(poll, options)
    checked: list[Choices] = []
    for number, raw in enumerate(ballots, start=1):
        try:
            checked.append(check_choices(rules, raw))
        except BallotRefused as error:
            raise FieldErrors(
                {"ballots": f"Paper ballot {number}: {error} Count it as invalid instead."}
            ) from None
    _check_totals(cast, len(checked), invalid)
    session.exec(
        sa.delete(PollCountedBallot).where(
            col(PollCountedBallot.poll_id) == poll.id, col(PollCountedBallot.channel) == "paper"
        )
    )
    random.SystemRandom().shuffle(checked)
    for choices in checked:
        session.add(
            PollCountedBallot(poll_id=poll.id, channel="paper", choices=json.dumps(choices))
        )
    _set_channel(session, poll, "paper", cast, invalid, [], actor)
    _event(session, poll, "poll.paper", actor, cast=cast, invalid=invalid)
    session.flush()
    return len(checked)


def enter_hand_count(
    session: Session,
    *,
    poll_id: uuid.UUID,
    counts: Mapping[int, int],
    cast: int,
    invalid: int = 0,
    actor: str = "",
) -> None:
    """Enter a show of hands: hands per option (by position), the people who voted (``cast``)
    and any abstentions or spoilt votes (``invalid``). Single choice: the hands must add up to
    cast − invalid; multiple and budget: no option can have more hands than cast − invalid.
    Ranking, score and dots cannot be counted by hands (enter paper ballots). Entering hands
    again replaces the earlier count."""
    poll, options = _counted_poll(session, poll_id)
    if poll.type not in HAND_TYPES:
        raise DomainError(
            f"A {poll.type} poll cannot be counted by a show of hands; enter paper ballots."
        )
    per_option = [0] * len(options)
    for position, count in counts.items():
        if not 0 <= position < len(options):
            raise FieldErrors({"option": "That is not one of the poll's options."})
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise FieldErrors({"option": "Enter each count as a whole number, 0 or more."})
        per_option[position] = count
    valid = cast - invalid
    if poll.type == "single":
        _check_totals(cast, sum(per_option), invalid)
    else:
        _check_totals(cast, valid if valid >= 0 else 0, invalid)
        if over := [options[i].label for i, c in enumerate(per_option) if c > valid]:
            raise FieldErrors(
                {
                    "option": f"More hands for {over[0]!r} than the {valid} people who voted; "
                    "count again."
                }
            )
    _set_channel(session, poll, "hands", cast, invalid, per_option, actor)
    _event(session, poll, "poll.hands", actor, cast=cast, invalid=invalid)
    session.flush()


def _set_channel(
    session: Session,
    poll: Poll,
    channel: str,
    cast: int,
    invalid: int,
    counts: list[int],
    actor: str,
) -> None:
    row = session.exec(
        select(PollChannelCount).where(
            PollChannelCount.poll_id == poll.id, PollChannelCount.channel == channel
        )
    ).first()
    if row is None:
        row = PollChannelCount(poll_id=poll.id, channel=channel)
        session.add(row)
    row.cast, row.invalid, row.counts = cast, invalid, json.dumps(counts)
    row.entered_by, row.entered_at = actor, utcnow()


def override_selection(
    session: Session,
    *,
    poll_id: uuid.UUID,
    selected: Sequence[int] | None,
    reason: str,
    actor: str = "",
) -> Poll:
    """Record the organisers' decision on a budget poll instead of the counted selection
    (option positions), with the reason the public is given; ``selected=None`` takes the
    override back (a reason is still recorded). The counts are never changed."""
    poll, options = _counted_poll(session, poll_id)
    if poll.type != "budget":
        raise DomainError("Only a budget poll's selection can be overridden.")
    reason = reason.strip()
    if not reason:
        raise FieldErrors({"reason": "Give the reason for the decision; it is published."})
    if len(reason) > 2000:
        raise FieldErrors({"reason": "Keep the reason under 2,000 characters."})
    if selected is None:
        poll.override = ""
        poll.override_reason = reason
        _event(session, poll, "poll.override_removed", actor, reason=reason)
        session.flush()
        return poll
    chosen = sorted(set(selected))
    if any(not 0 <= i < len(options) for i in chosen):
        raise FieldErrors({"selected": "That is not one of the poll's options."})
    total = sum(options[i].cost for i in chosen)
    budget = poll_settings(poll).get("budget") or 0
    if total > budget:
        raise FieldErrors(
            {"selected": f"That selection costs {total:,}, more than the budget of {budget:,}."}
        )
    poll.override = json.dumps(chosen)
    poll.override_reason = reason
    _event(
        session,
        poll,
        "poll.override",
        actor,
        selected=[options[i].label for i in chosen],
        reason=reason,
    )
    session.flush()
    return poll


# ---------------------------------------------------------------------------- results


@dataclass
class PollResults:
    """A poll's results now: ``combined`` and ``by_channel`` (phone, paper, hands — only the
    channels that have input). ``ballots`` counts valid ballots of every channel (hands: the
    people who voted validly); ``invalid`` per channel as entered."""

    poll: Poll
    options: list[PollOption]
    combined: Tally
    by_channel: dict[str, Tally]
    ballots: int
    cast: dict[str, int]
    invalid: dict[str, int]
    override: list[int] | None
    notes: list[str] = field(default_factory=list)

    def rows(self, tally: Tally | None = None) -> list[tuple[PollOption, dict[str, Any]]]:
        """(option, figures) in option order; figures as domain/tallies.py names them."""
        counted = tally or self.combined
        return [(option, counted.options[option.position].figures) for option in self.options]

    @property
    def selected(self) -> list[int]:
        """A budget poll's selection: the override when there is one, else Equal Shares."""
        if self.override is not None:
            return self.override
        return [o.position for o, figures in self.rows() if figures.get("selected_equal_shares")]


def poll_results(session: Session, poll: Poll) -> PollResults:
    """Count the poll now: open ballots (while open), counted ballots, paper and hands."""
    options = poll_options(session, poll.id)
    rules = poll_rules(poll, options)
    by_channel_ballots: dict[str, list[Choices]] = {"phone": [], "paper": []}
    for channel, stored in session.exec(
        select(PollCountedBallot.channel, PollCountedBallot.choices).where(
            PollCountedBallot.poll_id == poll.id
        )
    ):
        by_channel_ballots.setdefault(channel, []).append(
            choices_from_json(poll.type, json.loads(stored))
        )
    for stored in session.exec(select(PollBallot.choices).where(PollBallot.poll_id == poll.id)):
        by_channel_ballots["phone"].append(choices_from_json(poll.type, json.loads(stored)))
    counts = {
        row.channel: row
        for row in session.exec(select(PollChannelCount).where(PollChannelCount.poll_id == poll.id))
    }
    every = [b for channel in ("phone", "paper") for b in by_channel_ballots[channel]]
    by_channel: dict[str, Tally] = {}
    for channel in ("phone", "paper"):
        if by_channel_ballots[channel] or channel in counts:
            by_channel[channel] = tally(rules, by_channel_ballots[channel])
    combined = tally(rules, every)
    notes: list[str] = []
    hands = counts.get("hands")
    valid_hands = 0
    if hands is not None:
        hand_counts = json.loads(hands.counts)
        valid_hands = hands.cast - hands.invalid
        by_channel["hands"] = _votes_tally(rules, hand_counts, valid_hands)
        combined = _add_hands(rules, combined, hand_counts, valid_hands)
        if poll.type == "budget":
            notes.append(HANDS_NOT_IN_SHARES)
    override = json.loads(poll.override) if poll.override else None
    return PollResults(
        poll=poll,
        options=options,
        combined=combined,
        by_channel=by_channel,
        ballots=len(every) + valid_hands,
        cast={c: row.cast for c, row in counts.items()},
        invalid={c: row.invalid for c, row in counts.items()},
        override=override,
        notes=notes,
    )


def _votes_tally(rules: PollRules, counts: list[int], people: int) -> Tally:
    empty = tally(rules, [])
    return _add_hands(rules, empty, counts, people)


def _add_hands(rules: PollRules, base: Tally, counts: list[int], people: int) -> Tally:
    votes = [base.options[i].figures["votes"] + counts[i] for i in range(rules.options)]
    for i, option in enumerate(base.options):
        option.figures["votes"] = votes[i]
    if rules.type == "budget":
        greedy = greedy_selection(list(rules.costs), votes, rules.budget or 0)
        for i, option in enumerate(base.options):
            option.figures["selected_greedy"] = i in greedy
        base.spent_greedy = sum(rules.costs[i] for i in greedy)
    base.ballots += people
    base.order = tuple(sorted(range(rules.options), key=lambda i: (-votes[i], i)))
    top = votes[base.order[0]] if base.order and base.ballots else None
    base.leaders = tuple(i for i in base.order if votes[i] == top) if top is not None else ()
    return base


def option_position(options: Sequence[PollOption], label: str) -> int:
    """The position of the option with this label (accents, case and punctuation folded), or
    its number from 1; ``FieldErrors`` when none matches."""
    text = label.strip()
    if text.isdigit() and 1 <= int(text) <= len(options):
        return int(text) - 1
    wanted = fold(text)
    matches = [o.position for o in options if fold(o.label) == wanted]
    if len(matches) != 1:
        known = "; ".join(o.label for o in options)
        raise FieldErrors({"option": f"No option {label!r} in this poll (options: {known})."})
    return matches[0]
