"""The speakers' queue of an agenda item: people from the floor and requests from phones, called
in the order they asked, each with their own countdown.

Nobody who asked is forgotten: when the agenda moves on with people still waiting, they are
carried over to the next item's queue or recorded as *not heard* (``settle_waiting``), and the
minutes say so. A speaker's clock stops while the item is paused.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session, col, select

from meetingtui.domain.errors import DomainError, FieldErrors, NotFound
from meetingtui.domain.feed import record_event
from meetingtui.domain.ideas import NAME_MAX, open_meeting
from meetingtui.domain.models import AgendaItem, Speaker, utcnow
from meetingtui.domain.states import ItemKind, SpeakerSource, SpeakerStatus
from meetingtui.domain.text import check_length, clean_text
from meetingtui.domain.vocab import STAKEHOLDERS

# Phones may ask to speak only while the room is taking contributions.
QUEUE_KINDS = (ItemKind.DISCUSSION, ItemKind.PUBLIC_COMMENT)
WAITING, SPEAKING, DONE, WITHDRAWN, NOT_HEARD = (
    SpeakerStatus.WAITING,
    SpeakerStatus.SPEAKING,
    SpeakerStatus.DONE,
    SpeakerStatus.WITHDRAWN,
    SpeakerStatus.NOT_HEARD,
)
NOT_STARTED = (
    "The meeting has not started yet. You can ask to speak once its discussion or public "
    "comment item begins."
)


def _current_item(
    session: Session, meeting_id: uuid.UUID, *, from_public: bool = False
) -> AgendaItem:
    meeting = open_meeting(session, meeting_id, from_public=from_public)
    item = session.get(AgendaItem, meeting.current_item_id) if meeting.current_item_id else None
    if item is None:
        raise DomainError(NOT_STARTED)
    return item


def add_speaker(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    name: str = "",
    stakeholder: str = "",
    source: str = "floor",
    device: str = "",
    agenda_item_id: uuid.UUID | None = None,
    actor: str = "",
) -> Speaker:
    """Put someone in the queue of the given (default: current) item.

    A phone that asks twice keeps its first place instead of queueing twice.
    """
    from_public = source == SpeakerSource.PHONE
    item = (
        session.get(AgendaItem, agenda_item_id)
        if agenda_item_id
        else _current_item(session, meeting_id, from_public=from_public)
    )
    if item is None or item.meeting_id != meeting_id:
        raise NotFound("That agenda item is not in this meeting.")
    open_meeting(session, meeting_id, from_public=from_public)
    if source == SpeakerSource.PHONE and item.kind not in QUEUE_KINDS:
        raise DomainError("Requests to speak open during discussion and public comment items.")
    clean_name = clean_text(name)
    errors: dict[str, str] = {}
    check_length(errors, "name", clean_name, NAME_MAX, "Name")
    if stakeholder and stakeholder not in STAKEHOLDERS:
        errors["stakeholder"] = "Choose a group from the list"
    if errors:
        raise FieldErrors(errors)
    if device:
        existing = session.exec(
            select(Speaker).where(
                Speaker.agenda_item_id == item.id,
                Speaker.device == device,
                col(Speaker.status).in_([WAITING, SPEAKING]),
            )
        ).first()
        if existing:
            return existing
    speaker = Speaker(
        meeting_id=meeting_id,
        agenda_item_id=item.id,
        name=clean_name,
        stakeholder=stakeholder,
        source=source,
        device=device,
    )
    session.add(speaker)
    session.flush()
    record_event(
        session,
        kind="speaker.added",
        meeting_id=meeting_id,
        entity="speaker",
        entity_id=speaker.id,
        actor=actor or clean_name,
        detail={"name": clean_name, "source": source},
    )
    return speaker


def speaker_queue(session: Session, agenda_item_id: uuid.UUID) -> list[Speaker]:
    """Everyone of the item in order of asking: speaking and waiting first, then the heard."""
    speakers = list(
        session.exec(
            select(Speaker)
            .where(Speaker.agenda_item_id == agenda_item_id)
            .order_by(col(Speaker.requested_at))
        )
    )
    rank: dict[str, int] = {SPEAKING: 0, WAITING: 1, DONE: 2, NOT_HEARD: 3, WITHDRAWN: 4}
    return sorted(speakers, key=lambda s: rank.get(s.status, 5))


def queue_place(session: Session, *, agenda_item_id: uuid.UUID, device: str) -> int | None:
    """1 for the next to be called; 0 while speaking; None when not waiting."""
    waiting = [s for s in speaker_queue(session, agenda_item_id) if s.status in (WAITING, SPEAKING)]
    for place, speaker in enumerate(s for s in waiting if s.status == WAITING):
        if speaker.device == device:
            return place + 1
    if any(s.device == device and s.status == SPEAKING for s in waiting):
        return 0
    return None


def _finish(speaker: Speaker, status: str) -> None:
    now = utcnow()
    _resume_clock(speaker, now)
    speaker.status = status
    speaker.ended_at = now


def _resume_clock(speaker: Speaker, now: datetime) -> None:
    if speaker.paused_since is not None:
        speaker.paused_seconds += max(0.0, (now - speaker.paused_since).total_seconds())
        speaker.paused_since = None


def speaking_seconds(speaker: Speaker, now: datetime | None = None) -> float:
    """How long the speaker has had the floor: from being called to being finished (or now),
    less the time the item was paused meanwhile."""
    if speaker.started_at is None:
        return 0.0
    end = speaker.ended_at or now or utcnow()
    paused = speaker.paused_seconds
    if speaker.paused_since is not None and speaker.ended_at is None:
        paused += max(0.0, (end - speaker.paused_since).total_seconds())
    return max(0.0, (end - speaker.started_at).total_seconds() - paused)


def set_speaker_clock(
    session: Session,
    *,
    agenda_item_id: uuid.UUID,
    running: bool,
    now: datetime,
    actor: str = "",
) -> Speaker | None:
    """Stop or restart the clock of whoever is speaking on the item (the item's timer was
    paused or resumed in the same transaction); the speaker, if any."""
    speaker = session.exec(
        select(Speaker).where(Speaker.agenda_item_id == agenda_item_id, Speaker.status == SPEAKING)
    ).first()
    if speaker is None:
        return None
    if running:
        _resume_clock(speaker, now)
    elif speaker.paused_since is None:
        speaker.paused_since = now
    record_event(  # every console shows the speaker's clock stopped (or going again)
        session,
        kind="speaker.resumed" if running else "speaker.paused",
        meeting_id=speaker.meeting_id,
        entity="speaker",
        entity_id=speaker.id,
        actor=actor,
    )
    return speaker


def call_next_speaker(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    agenda_item_id: uuid.UUID | None = None,
    actor: str = "",
) -> Speaker:
    """Thank whoever is speaking and call the next person waiting."""
    item = (
        session.get(AgendaItem, agenda_item_id)
        if agenda_item_id
        else _current_item(session, meeting_id)
    )
    if item is None or item.meeting_id != meeting_id:
        raise NotFound("That agenda item is not in this meeting.")
    queue = speaker_queue(session, item.id)
    for speaker in queue:
        if speaker.status == SPEAKING:
            _finish(speaker, DONE)
    nxt = next((s for s in queue if s.status == WAITING), None)
    if nxt is None:
        session.flush()
        raise DomainError("Nobody is waiting to speak.")
    nxt.status = SPEAKING
    nxt.started_at = utcnow()
    if item.running_since is None:  # the item is paused: so is the speaker's clock, until resumed
        nxt.paused_since = nxt.started_at
    record_event(
        session,
        kind="speaker.called",
        meeting_id=meeting_id,
        entity="speaker",
        entity_id=nxt.id,
        actor=actor,
        detail={"name": nxt.name},
    )
    session.flush()
    return nxt


def finish_speaker(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    speaker_id: uuid.UUID,
    withdrawn: bool = False,
    actor: str = "",
) -> Speaker:
    """Mark a speaker done (heard) or withdrawn (left the queue without speaking)."""
    speaker = session.get(Speaker, speaker_id)
    if speaker is None or speaker.meeting_id != meeting_id:
        raise NotFound("That speaker is not in this meeting's queue.")
    if speaker.status in (DONE, WITHDRAWN):
        return speaker
    _finish(speaker, WITHDRAWN if withdrawn else DONE)
    record_event(
        session,
        kind="speaker.withdrawn" if withdrawn else "speaker.done",
        meeting_id=meeting_id,
        entity="speaker",
        entity_id=speaker.id,
        actor=actor,
    )
    session.flush()
    return speaker


def waiting_speakers(session: Session, agenda_item_id: uuid.UUID) -> list[Speaker]:
    """Those still waiting on the item, in the order they asked."""
    return [s for s in speaker_queue(session, agenda_item_id) if s.status == WAITING]


CARRY_OVER, NOT_HEARD_CHOICE = "carry-over", "not-heard"


def settle_waiting(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    from_item_id: uuid.UUID,
    to_item_id: uuid.UUID | None,
    choice: str,
    actor: str = "",
) -> list[Speaker]:
    """What becomes of those still waiting when the agenda leaves ``from_item_id``: carried
    over to ``to_item_id``'s queue (keeping their order, ahead of anyone who asks there later)
    or recorded as asked but not heard. Whoever is speaking has been heard. Each is one event
    in the feed. Returns those settled."""
    if choice not in (CARRY_OVER, NOT_HEARD_CHOICE):
        raise DomainError("Choose to carry the queue over or to record it as not heard.")
    if choice == CARRY_OVER and to_item_id is None:
        raise DomainError("There is no next item to carry the queue over to.")
    queue = speaker_queue(session, from_item_id)
    for speaker in queue:
        if speaker.meeting_id == meeting_id and speaker.status == SPEAKING:
            _finish(speaker, DONE)
            record_event(
                session,
                kind="speaker.done",
                meeting_id=meeting_id,
                entity="speaker",
                entity_id=speaker.id,
                actor=actor,
            )
    settled = [s for s in queue if s.meeting_id == meeting_id and s.status == WAITING]
    for speaker in settled:
        if choice == CARRY_OVER:
            assert to_item_id is not None
            speaker.agenda_item_id = to_item_id
            kind, detail = "speaker.carried_over", {"name": speaker.name, "to": str(to_item_id)}
        else:
            _finish(speaker, NOT_HEARD)
            kind, detail = "speaker.not_heard", {"name": speaker.name}
        record_event(
            session,
            kind=kind,
            meeting_id=meeting_id,
            entity="speaker",
            entity_id=speaker.id,
            actor=actor,
            detail=detail,
        )
    session.flush()
    return settled


def speakers_heard(session: Session, meeting_id: uuid.UUID) -> list[Speaker]:
    query = select(Speaker).where(
        Speaker.meeting_id == meeting_id, col(Speaker.status).in_([DONE, SPEAKING])
    )
    return list(session.exec(query.order_by(col(Speaker.started_at))))


def withdraw_own_request(session: Session, *, meeting_id: uuid.UUID, device: str) -> Speaker:
    """A phone takes back its own request to speak while it is still waiting (someone already
    at the microphone is finished by the facilitator instead)."""
    open_meeting(session, meeting_id)
    waiting = session.exec(
        select(Speaker).where(
            Speaker.meeting_id == meeting_id,
            Speaker.device == device,
            Speaker.status == WAITING,
        )
    ).first()
    if not device or waiting is None:
        raise NotFound("You are not waiting to speak.")
    return finish_speaker(
        session, meeting_id=meeting_id, speaker_id=waiting.id, withdrawn=True, actor=waiting.name
    )
