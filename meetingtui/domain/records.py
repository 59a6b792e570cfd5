"""Notes, decisions and actions recorded against agenda items: the substance of the minutes."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping

from sqlmodel import Session, col, select

from meetingtui.domain.errors import DomainError, FieldErrors, NotFound
from meetingtui.domain.feed import record_event
from meetingtui.domain.ideas import NAME_MAX
from meetingtui.domain.models import ItemRecord, Meeting, utcnow
from meetingtui.domain.states import RecordKind
from meetingtui.domain.text import check_length, clean_text

RECORD_KINDS: dict[str, str] = {
    RecordKind.NOTE: "Note",
    RecordKind.DECISION: "Decision",
    RecordKind.ACTION: "Action",
}
RECORD_TEXT_MAX = 2000


def add_record(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    kind: str,
    text: str,
    owner: str = "",
    due: str = "",
    agenda_item_id: uuid.UUID | None = None,
    created_by: str = "",
) -> ItemRecord:
    """Record a note, decision or action on the given (default: current) item."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("That meeting does not exist.")
    item_id = agenda_item_id or meeting.current_item_id
    errors: dict[str, str] = {}
    if item_id is None:
        errors["agenda_item"] = "Start an agenda item before recording notes"
    body, who, when = _checked(errors, kind, text, owner, due)
    if errors or item_id is None:
        raise FieldErrors(errors)
    record = ItemRecord(
        meeting_id=meeting_id,
        agenda_item_id=item_id,
        kind=kind,
        text=body,
        owner=who if kind == RecordKind.ACTION else "",
        due=when if kind == RecordKind.ACTION else "",
        created_by=clean_text(created_by)[:NAME_MAX],
    )
    session.add(record)
    session.flush()
    record_event(
        session,
        kind=f"record.{kind}",
        meeting_id=meeting_id,
        entity="item_record",
        entity_id=record.id,
        actor=record.created_by,
    )
    return record


def _checked(
    errors: dict[str, str], kind: str, text: str, owner: str, due: str
) -> tuple[str, str, str]:
    """A record's fields cleaned (text, owner, due), each refusal put in ``errors``."""
    if kind not in RECORD_KINDS:
        errors["kind"] = "Choose note, decision or action"
    body = clean_text(text, multiline=True)
    who = clean_text(owner)
    when = clean_text(due)
    if not body:
        errors["text"] = f"Enter the {RECORD_KINDS.get(kind, 'note').lower()}"
    check_length(errors, "text", body, RECORD_TEXT_MAX, "Text")
    check_length(errors, "owner", who, NAME_MAX, "Owner")
    if when:
        try:
            when = dt.date.fromisoformat(when).isoformat()
        except ValueError:
            errors["due"] = "Enter the due date as YYYY-MM-DD, for example 2027-01-31"
    return body, who, when


RECORD_FIELDS = ("kind", "text", "owner", "due")
"""What a person may change in a record (``update_record``)."""


class RecordConflict(DomainError):
    """Another console saved a field of the record that this edit changes too, after the form
    loaded it. ``fields`` maps each to (as stored now, as this edit wants it)."""

    def __init__(self, kind: str, fields: dict[str, tuple[str, str]]) -> None:
        self.fields = dict(fields)
        now = "; ".join(f"{name}: “{theirs}”" for name, (theirs, _mine) in self.fields.items())
        super().__init__(
            f"Someone else changed this {kind} meanwhile ({now}). Your text is kept here; "
            "save again to replace theirs, or Escape to keep it."
        )


def update_record(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    record_id: uuid.UUID,
    changes: Mapping[str, str],
    actor: str = "",
    base: Mapping[str, str] | None = None,
) -> ItemRecord:
    """Change only the named fields of a note, decision or action; the rest stays as stored.

    Only the changed fields are checked. Owner and due date are kept whatever the kind: a
    note that was an action keeps them, so changing the kind back (or an undo) loses nothing.
    No event when nothing changes. With ``base`` (the fields as the form loaded them), a changed
    field that another console saved differently meanwhile is a ``RecordConflict``.
    """
    unknown = set(changes) - set(RECORD_FIELDS)
    if unknown:
        raise DomainError(f"A record has no field {', '.join(sorted(unknown))}.")
    record = session.get(ItemRecord, record_id)
    if record is None or record.meeting_id != meeting_id or record.deleted_at is not None:
        raise NotFound("That note is not in this meeting.")
    stored = {name: getattr(record, name) for name in RECORD_FIELDS}
    wanted = {**stored, **changes}
    errors: dict[str, str] = {}
    body, who, when = _checked(
        errors, wanted["kind"], wanted["text"], wanted["owner"], wanted["due"]
    )
    errors = {name: text for name, text in errors.items() if name in changes}
    if errors:
        raise FieldErrors(errors)
    cleaned = {"kind": wanted["kind"], "text": body, "owner": who, "due": when}
    after = {name: cleaned[name] if name in changes else stored[name] for name in RECORD_FIELDS}
    changed = sorted(name for name in RECORD_FIELDS if after[name] != stored[name])
    if base is not None:
        clashes = {
            name: (stored[name], after[name])
            for name in changed
            if name in base and base[name] != stored[name]
        }
        if clashes:
            raise RecordConflict(RECORD_KINDS.get(record.kind, "note").lower(), clashes)
    if not changed:
        return record
    for name in changed:
        setattr(record, name, after[name])
    record_event(
        session,
        kind="record.edited",
        meeting_id=meeting_id,
        entity="item_record",
        entity_id=record.id,
        actor=actor,
        detail={"fields": changed},
    )
    session.flush()
    return record


def set_record_deleted(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    record_id: uuid.UUID,
    deleted: bool,
    actor: str = "",
) -> ItemRecord:
    """Delete a record, or undo that delete: records are never really removed."""
    record = session.get(ItemRecord, record_id)
    if record is None or record.meeting_id != meeting_id:
        raise NotFound("That note is not in this meeting.")
    record.deleted_at = utcnow() if deleted else None
    record_event(
        session,
        kind="record.deleted" if deleted else "record.restored",
        meeting_id=meeting_id,
        entity="item_record",
        entity_id=record.id,
        actor=actor,
    )
    session.flush()
    return record


def meeting_records(session: Session, meeting_id: uuid.UUID) -> list[ItemRecord]:
    query = select(ItemRecord).where(
        ItemRecord.meeting_id == meeting_id, col(ItemRecord.deleted_at).is_(None)
    )
    return list(session.exec(query.order_by(col(ItemRecord.created_at))))
