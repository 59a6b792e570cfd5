"""Meetings and their agenda: create from an agenda file, resume, move through the items."""

from __future__ import annotations

import json
import secrets
import uuid
from datetime import datetime

from sqlmodel import Session, col, select

from meetingtui.domain.agenda import Agenda
from meetingtui.domain.errors import DomainError, FieldErrors, NotFound
from meetingtui.domain.feed import record_event
from meetingtui.domain.models import AgendaItem, Meeting, utcnow
from meetingtui.domain.programmes import programme_for_name
from meetingtui.domain.states import ItemStatus, MeetingStatus
from meetingtui.domain.wifi import check_wifi

# No 0/o, 1/l/i: a code read aloud or typed from a projector is not misread. 31 symbols,
# 10 of them: about 50 bits, far beyond guessing at the rate limits the web applies.
JOIN_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
JOIN_CODE_LENGTH = 10


def generate_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def create_meeting(
    session: Session, *, agenda: Agenda, actor: str = "", code: str | None = None
) -> Meeting:
    meeting = Meeting(
        code=code or generate_join_code(),
        title=agenda.title,
        date=agenda.date,
        start=agenda.start,
        timezone=agenda.timezone,
        location=agenda.location,
        facilitator=agenda.facilitator,
        topics=json.dumps(list(agenda.topics), ensure_ascii=False),
        moderation=agenda.moderation,
        language=agenda.language,
        source_path=agenda.source_path,
        agenda_hash=agenda.source_hash,
        wifi_ssid=agenda.wifi_ssid,
        wifi_password=agenda.wifi_password,
        programme_id=programme_for_name(session, agenda.programme).id,
    )
    session.add(meeting)
    session.flush()
    declared = []
    for position, spec in enumerate(agenda.items):
        item = AgendaItem(
            meeting_id=meeting.id,
            position=position,
            title=spec.title,
            minutes=spec.minutes,
            kind=spec.kind,
            notes=spec.notes,
            presenter=spec.presenter,
            speaker_minutes=spec.speaker_minutes,
        )
        session.add(item)
        if spec.poll is not None:
            declared.append((item.id, spec.poll))
    record_event(
        session,
        kind="meeting.created",
        meeting_id=meeting.id,
        entity="meeting",
        entity_id=meeting.id,
        actor=actor,
        detail={"title": meeting.title},
    )
    session.flush()
    if declared:
        from meetingtui.domain.polls import polls_from_agenda

        for item_id, poll in declared:
            polls_from_agenda(session, meeting_id=meeting.id, item_id=item_id, spec=poll)
    return meeting


def _follow_polls(session: Session, meeting_id: uuid.UUID, actor: str) -> None:
    """Polls open with their item and close when it ends (domain/polls.py)."""
    from meetingtui.domain.polls import follow_agenda

    follow_agenda(session, meeting_id=meeting_id, actor=actor)


def meeting_for_agenda(session: Session, source_path: str) -> Meeting | None:
    """The most recent meeting created from this agenda file, if any (to resume it)."""
    query = (
        select(Meeting)
        .where(Meeting.source_path == source_path)
        .order_by(col(Meeting.created_at).desc())
    )
    return session.exec(query).first()


def open_meeting_for_agenda(
    session: Session, *, agenda: Agenda, actor: str = "", new: bool = False
) -> tuple[Meeting, bool]:
    """Resume the meeting made from this agenda file, or create it. Returns (meeting, created).

    ``new`` creates a fresh meeting even when one exists (after a rehearsal: see
    ``rerun_question``); the old one keeps its record and its join code.
    """
    if (
        not new
        and agenda.source_path
        and (existing := meeting_for_agenda(session, agenda.source_path))
    ):
        return existing, False
    return create_meeting(session, agenda=agenda, actor=actor), True


def agenda_changed(meeting: Meeting, agenda: Agenda) -> bool:
    """The agenda file is not the one the meeting was made from (False when nobody can tell:
    a meeting made before hashes were kept, or an agenda not read from a file)."""
    return bool(meeting.agenda_hash and agenda.source_hash) and (
        meeting.agenda_hash != agenda.source_hash
    )


def rerun_question(meeting: Meeting | None, agenda: Agenda) -> str | None:
    """Why running this agenda file again should ask "resume or start a new meeting?", or None
    to resume without asking (the meeting is still on, from the same file: a restart).

    A rehearsal must not use up the real meeting: a meeting that has closed, or was made from
    a file edited since, is probably not the one the facilitator means to run now.
    """
    if meeting is None:
        return None
    reasons = []
    if meeting.status == MeetingStatus.CLOSED:
        reasons.append(f"The meeting made from this agenda (code {meeting.code}) has closed.")
    elif meeting.status == MeetingStatus.RUNNING:
        reasons.append(f"The meeting made from this agenda (code {meeting.code}) has started.")
    else:
        reasons.append(f"A meeting was already made from this agenda (code {meeting.code}).")
    if agenda_changed(meeting, agenda):
        reasons.append("The agenda file has changed since; resuming keeps the meeting's agenda.")
    if meeting.status != MeetingStatus.CLOSED and len(reasons) == 1:
        return None
    return " ".join(reasons)


def find_meeting(session: Session, key: str) -> Meeting:
    """A meeting by its join code or its id; NotFound with a helpful message otherwise."""
    key = key.strip()
    meeting = session.exec(select(Meeting).where(Meeting.code == key.lower())).first()
    if meeting is None:
        try:
            meeting = session.get(Meeting, uuid.UUID(key))
        except ValueError:
            meeting = None
    if meeting is None:
        raise NotFound(f"No meeting with code or id '{key}'. `meetingtui meetings` lists them.")
    return meeting


def list_meetings(session: Session) -> list[Meeting]:
    return list(session.exec(select(Meeting).order_by(col(Meeting.created_at).desc())))


def agenda_items(session: Session, meeting_id: uuid.UUID) -> list[AgendaItem]:
    query = select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
    return list(session.exec(query.order_by(col(AgendaItem.position))))


def item_elapsed_seconds(item: AgendaItem, now: datetime | None = None) -> float:
    """Time the item has run: banked seconds plus the current run, if its timer is running."""
    elapsed = item.elapsed_seconds
    if item.running_since is not None:
        elapsed += max(0.0, ((now or utcnow()) - item.running_since).total_seconds())
    return elapsed


def _stop_timer(item: AgendaItem, now: datetime) -> None:
    item.elapsed_seconds = item_elapsed_seconds(item, now)
    item.running_since = None


def _start_item(item: AgendaItem, now: datetime) -> None:
    item.status = ItemStatus.ACTIVE
    item.started_at = item.started_at or now
    item.ended_at = None
    item.running_since = now


def _locked_meeting(session: Session, meeting_id: uuid.UUID, *, to_run: bool = False) -> Meeting:
    """The meeting, locked for the change. Organisers keep working on the record of a closed
    meeting (fix a title, add an item that was held); ``to_run`` (move along the agenda, run a
    timer) is refused once it has closed: reopen it first."""
    meeting = session.get(Meeting, meeting_id, with_for_update=True)
    if meeting is None:
        raise NotFound("That meeting no longer exists.")
    if to_run and meeting.status == MeetingStatus.CLOSED:
        raise DomainError("The meeting is closed. Reopen it to run the agenda again.")
    return meeting


def start_meeting(session: Session, *, meeting_id: uuid.UUID, actor: str = "") -> Meeting:
    """Open the meeting on its first item and start that item's timer (no-op once started)."""
    meeting = _locked_meeting(session, meeting_id, to_run=True)
    if meeting.status == MeetingStatus.RUNNING:
        return meeting
    items = agenda_items(session, meeting_id)
    now = utcnow()
    meeting.status = MeetingStatus.RUNNING
    meeting.started_at = now
    if items:
        _start_item(items[0], now)
        meeting.current_item_id = items[0].id
    record_event(
        session,
        kind="meeting.started",
        meeting_id=meeting_id,
        entity="meeting",
        entity_id=meeting_id,
        actor=actor,
    )
    session.flush()
    _follow_polls(session, meeting_id, actor)
    return meeting


def _switch_to(
    meeting: Meeting, items: list[AgendaItem], target: AgendaItem, now: datetime
) -> None:
    """Stop the current item (keeping its time) and start ``target``."""
    for item in items:
        if item.id == meeting.current_item_id and item.id != target.id:
            _stop_timer(item, now)
            if item.status == ItemStatus.ACTIVE:
                item.status = ItemStatus.DONE
            item.ended_at = now
    _start_item(target, now)
    meeting.current_item_id = target.id
    if meeting.status == MeetingStatus.PLANNED:
        meeting.status = MeetingStatus.RUNNING
        meeting.started_at = now


def move_to_item(
    session: Session, *, meeting_id: uuid.UUID, step: int, actor: str = ""
) -> AgendaItem:
    """Move ``step`` items along the agenda (+1 next, -1 previous), keeping both items' times.

    Skipped items are passed over when moving forward or back.
    """
    meeting = _locked_meeting(session, meeting_id, to_run=True)
    items = agenda_items(session, meeting_id)
    if not items:
        raise DomainError("This meeting has no agenda items.")
    index = next((i for i, it in enumerate(items) if it.id == meeting.current_item_id), -1)
    target = index + step
    while 0 <= target < len(items) and items[target].status == ItemStatus.SKIPPED:
        target += 1 if step > 0 else -1
    if target < 0:
        raise DomainError("Already at the first item.")
    if target >= len(items):
        raise DomainError("Already at the last item.")
    item = items[target]
    _switch_to(meeting, items, item, utcnow())
    _item_event(session, item, "agenda.moved", actor, {"title": item.title, "step": step})
    session.flush()
    _follow_polls(session, meeting_id, actor)
    return item


def jump_to_item(
    session: Session, *, meeting_id: uuid.UUID, item_id: uuid.UUID, actor: str = ""
) -> AgendaItem:
    """Make any item the current one (an item skipped earlier is taken up again)."""
    meeting = _locked_meeting(session, meeting_id, to_run=True)
    items = agenda_items(session, meeting_id)
    item = _item_of(items, item_id)
    if item.id != meeting.current_item_id:
        _switch_to(meeting, items, item, utcnow())
        _item_event(session, item, "agenda.jumped", actor, {"title": item.title})
        session.flush()
        _follow_polls(session, meeting_id, actor)
    return item


def _item_event(
    session: Session, item: AgendaItem, kind: str, actor: str, detail: dict | None = None
) -> None:
    """Record a change to an agenda item in the feed: agenda changes are never silent."""
    record_event(
        session,
        kind=kind,
        meeting_id=item.meeting_id,
        entity="agenda_item",
        entity_id=item.id,
        actor=actor,
        detail=detail,
    )


def _item_of(items: list[AgendaItem], item_id: uuid.UUID) -> AgendaItem:
    item = next((it for it in items if it.id == item_id), None)
    if item is None:
        raise NotFound("That agenda item is not in this meeting.")
    return item


def set_timer_running(
    session: Session, *, meeting_id: uuid.UUID, running: bool, actor: str = ""
) -> AgendaItem:
    """Pause or resume the current item's timer; paused time does not count, for the item
    nor for whoever is speaking (their clock stops and starts with it)."""
    from meetingtui.domain.speakers import set_speaker_clock

    meeting = _locked_meeting(session, meeting_id, to_run=True)
    items = agenda_items(session, meeting_id)
    if meeting.current_item_id is None:
        raise DomainError("No item is running; start the meeting first.")
    item = _item_of(items, meeting.current_item_id)
    now = utcnow()
    if running and item.running_since is None:
        item.running_since = now
        item.started_at = item.started_at or now
    elif not running and item.running_since is not None:
        _stop_timer(item, now)
    else:
        return item
    set_speaker_clock(session, agenda_item_id=item.id, running=running, now=now, actor=actor)
    _item_event(session, item, "timer.resumed" if running else "timer.paused", actor)
    session.flush()
    return item


ITEM_TITLE_MAX = 200
ITEM_PRESENTER_MAX = 200
ITEM_NOTES_MAX = 4000


def _checked_title(title: str) -> str:
    from meetingtui.domain.text import clean_text

    clean = clean_text(title)
    if not clean:
        raise FieldErrors({"title": "Enter a title for the agenda item"})
    if len(clean) > ITEM_TITLE_MAX:
        raise FieldErrors({"title": f"Item titles must be {ITEM_TITLE_MAX} characters or fewer"})
    return clean


def _checked_minutes(minutes: int) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= 24 * 60:
        raise FieldErrors({"minutes": "Enter the planned minutes as a whole number from 1"})
    return minutes


def add_item(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    title: str,
    minutes: int,
    kind: str = "discussion",
    after_item_id: uuid.UUID | None = None,
    speaker_minutes: int | None = None,
    presenter: str = "",
    notes: str = "",
    actor: str = "",
) -> AgendaItem:
    """Add an item during the meeting, after the given item (default: after the current one),
    with the fields an agenda file gives an item (speaker minutes, presenter, notes)."""
    from meetingtui.domain.text import check_length, clean_text
    from meetingtui.domain.vocab import ITEM_KINDS

    meeting = _locked_meeting(session, meeting_id)
    title, minutes = _checked_title(title), _checked_minutes(minutes)
    errors: dict[str, str] = {}
    if kind not in ITEM_KINDS:
        errors["kind"] = "Choose a kind of item from the list"
    if speaker_minutes is not None and (
        isinstance(speaker_minutes, bool)
        or not isinstance(speaker_minutes, int)
        or not 0 < speaker_minutes <= 24 * 60
    ):
        errors["speaker_minutes"] = "Enter each speaker's minutes as a whole number from 1"
    presenter, notes = clean_text(presenter), clean_text(notes, multiline=True)
    check_length(errors, "presenter", presenter, ITEM_PRESENTER_MAX, "Presenter")
    check_length(errors, "notes", notes, ITEM_NOTES_MAX, "Notes")
    if errors:
        raise FieldErrors(errors)
    items = agenda_items(session, meeting_id)
    anchor = after_item_id or meeting.current_item_id
    index = next((i for i, it in enumerate(items) if it.id == anchor), len(items) - 1)
    item = AgendaItem(
        meeting_id=meeting_id,
        position=0,
        title=title,
        minutes=minutes,
        kind=kind,
        speaker_minutes=speaker_minutes,
        presenter=presenter,
        notes=notes,
    )
    items.insert(index + 1, item)
    session.add(item)
    for position, each in enumerate(items):
        each.position = position
    session.flush()
    _item_event(
        session,
        item,
        "agenda.added",
        actor,
        {"title": title, "minutes": minutes, "position": index + 2},
    )
    return item


def rename_item(
    session: Session, *, meeting_id: uuid.UUID, item_id: uuid.UUID, title: str, actor: str = ""
) -> AgendaItem:
    _locked_meeting(session, meeting_id)
    item = _item_of(agenda_items(session, meeting_id), item_id)
    old, item.title = item.title, _checked_title(title)
    _item_event(session, item, "agenda.renamed", actor, {"from": old, "to": item.title})
    session.flush()
    return item


def extend_item(
    session: Session, *, meeting_id: uuid.UUID, item_id: uuid.UUID, minutes: int, actor: str = ""
) -> AgendaItem:
    """Give an item more (or, with a negative number, less) planned time."""
    _locked_meeting(session, meeting_id)
    item = _item_of(agenda_items(session, meeting_id), item_id)
    old = item.minutes
    item.minutes = _checked_minutes(item.minutes + minutes)
    _item_event(session, item, "agenda.extended", actor, {"from": old, "to": item.minutes})
    session.flush()
    return item


def reorder_item(
    session: Session, *, meeting_id: uuid.UUID, item_id: uuid.UUID, step: int, actor: str = ""
) -> AgendaItem:
    """Move an item up (step -1) or down (+1) the agenda."""
    _locked_meeting(session, meeting_id)
    items = agenda_items(session, meeting_id)
    item = _item_of(items, item_id)
    index = items.index(item)
    target = max(0, min(len(items) - 1, index + step))
    if target == index:
        raise DomainError("The item is already at that end of the agenda.")
    items.insert(target, items.pop(index))
    for position, each in enumerate(items):
        each.position = position
    _item_event(
        session,
        item,
        "agenda.reordered",
        actor,
        {"title": item.title, "from": index + 1, "to": target + 1},
    )
    session.flush()
    return item


def unskip_item(
    session: Session, *, meeting_id: uuid.UUID, item_id: uuid.UUID, actor: str = ""
) -> AgendaItem:
    """Put a skipped item back on the agenda, to be held in its place (without moving there:
    ``jump_to_item`` does that). An item skipped while it ran keeps the time it had."""
    _locked_meeting(session, meeting_id)
    item = _item_of(agenda_items(session, meeting_id), item_id)
    if item.status != ItemStatus.SKIPPED:
        raise DomainError("That item is not skipped.")
    item.status = ItemStatus.PENDING
    item.ended_at = None
    _item_event(session, item, "agenda.unskipped", actor, {"title": item.title})
    session.flush()
    return item


def skip_item(
    session: Session, *, meeting_id: uuid.UUID, item_id: uuid.UUID, actor: str = ""
) -> AgendaItem:
    """Mark an item skipped. Skipping the current item moves on to the next one."""
    meeting = _locked_meeting(session, meeting_id)
    items = agenda_items(session, meeting_id)
    item = _item_of(items, item_id)
    if item.status == ItemStatus.DONE:
        raise DomainError("That item has already been held; it cannot be skipped.")
    was_current = item.id == meeting.current_item_id
    now = utcnow()
    if was_current:
        _stop_timer(item, now)
        item.ended_at = now
        later = [it for it in items[items.index(item) + 1 :] if it.status == ItemStatus.PENDING]
        if not later:
            raise DomainError("This is the last item; close the meeting instead of skipping it.")
        item.status = ItemStatus.SKIPPED
        _switch_to(meeting, items, later[0], now)
    else:
        item.status = ItemStatus.SKIPPED
    _item_event(session, item, "agenda.skipped", actor, {"title": item.title})
    session.flush()
    if was_current:
        _follow_polls(session, meeting_id, actor)
    return item


def set_attendance(
    session: Session, *, meeting_id: uuid.UUID, count: int, actor: str = ""
) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("That meeting does not exist.")
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 1_000_000:
        raise FieldErrors({"attendance": "Enter the number of people present as a whole number"})
    meeting.attendance = count
    record_event(
        session,
        kind="meeting.attendance",
        meeting_id=meeting_id,
        entity="meeting",
        entity_id=meeting_id,
        actor=actor,
        detail={"count": count},
    )
    session.flush()
    return meeting


def close_meeting(session: Session, *, meeting_id: uuid.UUID, actor: str = "") -> Meeting:
    """Close the meeting: stop the running item and refuse attendee input from now on.
    Organisers keep working on the record, and may reopen it (``reopen_meeting``).

    Whoever is still waiting to speak on the current item was not heard, and the record says so
    (``speakers.settle_waiting``); whoever is speaking has been heard."""
    from meetingtui.domain.speakers import NOT_HEARD_CHOICE, settle_waiting

    meeting = _locked_meeting(session, meeting_id)
    if meeting.status == MeetingStatus.CLOSED:
        raise DomainError("The meeting is already closed.")
    if meeting.current_item_id is not None:
        settle_waiting(
            session,
            meeting_id=meeting_id,
            from_item_id=meeting.current_item_id,
            to_item_id=None,
            choice=NOT_HEARD_CHOICE,
            actor=actor,
        )
    now = utcnow()
    for item in agenda_items(session, meeting_id):
        if item.status == ItemStatus.ACTIVE:
            _stop_timer(item, now)
            item.status = ItemStatus.DONE
            item.ended_at = now
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = now
    record_event(
        session,
        kind="meeting.closed",
        meeting_id=meeting_id,
        entity="meeting",
        entity_id=meeting_id,
        actor=actor,
    )
    session.flush()
    _follow_polls(session, meeting_id, actor)
    return meeting


def reopen_meeting(session: Session, *, meeting_id: uuid.UUID, actor: str = "") -> Meeting:
    """Take attendee input again after a close (closed too early, or by mistake).

    The item that was current when it closed is current again, its timer paused: the time
    between the close and now was not meeting time, and the facilitator resumes it (space).
    """
    meeting = _locked_meeting(session, meeting_id)
    if meeting.status != MeetingStatus.CLOSED:
        raise DomainError("The meeting is not closed.")
    items = agenda_items(session, meeting_id)
    current = next((it for it in items if it.id == meeting.current_item_id), None)
    if current is not None and current.status == ItemStatus.DONE:
        current.status = ItemStatus.ACTIVE
        current.ended_at = None
        current.running_since = None
    meeting.status = MeetingStatus.RUNNING if meeting.started_at else MeetingStatus.PLANNED
    meeting.closed_at = None
    record_event(
        session,
        kind="meeting.reopened",
        meeting_id=meeting_id,
        entity="meeting",
        entity_id=meeting_id,
        actor=actor,
    )
    session.flush()
    return meeting


def meeting_topics(meeting: Meeting) -> list[str]:
    return list(json.loads(meeting.topics or "[]"))


def set_wifi(
    session: Session, *, meeting_id: uuid.UUID, ssid: str, password: str = "", actor: str = ""
) -> Meeting:
    """Set the network phones should join first (a venue's guest Wi-Fi or the laptop's hotspot);
    an empty SSID removes it."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("That meeting does not exist.")
    meeting.wifi_ssid, meeting.wifi_password = check_wifi(ssid, password)
    record_event(
        session,
        kind="meeting.wifi",
        meeting_id=meeting_id,
        entity="meeting",
        entity_id=meeting_id,
        actor=actor,
        detail={"ssid": meeting.wifi_ssid},
    )
    session.flush()
    return meeting
