"""Engagement programmes: the consultation a meeting belongs to.

Several consultations can share one database and stay apart: the catalogue, plan versions and
the answers are per programme. An agenda names its programme (``programme = "…"``); a meeting
whose agenda names none belongs to the default programme, as every meeting made before
programmes existed does (revision 0006 put them there).
"""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from meetingtui.domain.errors import NotFound
from meetingtui.domain.models import Meeting, Programme
from meetingtui.domain.text import clean_text

DEFAULT_PROGRAMME = "default"
NAME_MAX = 120

# A programme's key is derived from its name, so the same programme in two venues' databases
# has the same key and their meetings combine (revision 0006 gives the default one this key).
PROGRAMME_NAMESPACE = uuid.UUID("48b9f1b7-a529-5e43-bc7f-4a0f8f2908c6")


def programme_key(name: str) -> uuid.UUID:
    return uuid.uuid5(PROGRAMME_NAMESPACE, name)


def programme_for_name(session: Session, name: str) -> Programme:
    """The programme called ``name`` (the default one when empty), created the first time a
    meeting names it."""
    wanted = clean_text(name)[:NAME_MAX] or DEFAULT_PROGRAMME
    found = session.exec(select(Programme).where(Programme.name == wanted)).first()
    if found is None:
        found = Programme(id=programme_key(wanted), name=wanted)
        session.add(found)
        session.flush()
    return found


def find_programme(session: Session, name: str | None) -> Programme:
    """The programme a person named (``--programme``), or the default one when they named none.

    NotFound lists the programmes there are, so a typo is plain."""
    wanted = (name or "").strip() or DEFAULT_PROGRAMME
    found = session.exec(select(Programme).where(Programme.name == wanted)).first()
    if found is None:
        lowered = wanted.casefold()
        matches = [p for p in list_programmes(session) if p.name.casefold() == lowered]
        if len(matches) == 1:
            return matches[0]
        names = ", ".join(p.name for p in list_programmes(session)) or "none yet"
        raise NotFound(f"No programme '{wanted}'. Programmes: {names}.")
    return found


def list_programmes(session: Session) -> list[Programme]:
    """Every programme, by name as people read it (case aside)."""
    return sorted(session.exec(select(Programme)), key=lambda p: (p.name.casefold(), p.name))


def programme_of_meeting(session: Session, meeting: Meeting) -> Programme:
    """A meeting's programme; one with none recorded belongs to the default programme."""
    if meeting.programme_id is not None:
        programme = session.get(Programme, meeting.programme_id)
        if programme is not None:
            return programme
    return programme_for_name(session, DEFAULT_PROGRAMME)


def programme_meeting_ids(session: Session, programme: Programme) -> list[uuid.UUID]:
    """The meetings of a programme (for the default one, also any with no programme recorded)."""
    condition = col(Meeting.programme_id) == programme.id
    if programme.name == DEFAULT_PROGRAMME:
        condition = condition | col(Meeting.programme_id).is_(None)
    return list(session.exec(select(Meeting.id).where(condition)))
