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
from meetingtui.domain.text_fold import fold

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
        folded = fold(wanted)  # case and accents aside: "salud" is "Salud", "cafe" "Café"
        matches = [p for p in list_programmes(session) if fold(p.name) == folded]
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


def choose_programme_meetings(
    session: Session, name: str | None, meetings: list[Meeting]
) -> tuple[Programme, list[uuid.UUID]]:
    """The programme and meetings a command (``publish``) is about: the meetings named, all of
    one programme (``name``'s when given), or else every meeting of the programme named (the
    default one when none is). NotFound, saying what to do, when they do not agree."""
    if meetings:
        owners = {programme_of_meeting(session, m).name: m for m in meetings}
        programme = (
            find_programme(session, name) if name else find_programme(session, next(iter(owners)))
        )
        outside = [m.code for m in meetings if programme_of_meeting(session, m).id != programme.id]
        if outside:
            raise NotFound(
                f"Not in programme '{programme.name}': {', '.join(outside)}. "
                "Publish one programme at a time (--programme)."
            )
        return programme, [m.id for m in meetings]
    programme = find_programme(session, name)
    ids = programme_meeting_ids(session, programme)
    if not ids and not name:
        others = [p.name for p in list_programmes(session) if programme_meeting_ids(session, p)]
        if others:
            raise NotFound(
                f"The default programme has no meetings; name one with --programme: "
                f"{', '.join(others)}."
            )
    order = {m: n for n, m in enumerate(ids)}
    dated = session.exec(select(Meeting.id, Meeting.date).where(col(Meeting.id).in_(ids))).all()
    return programme, [i for i, _ in sorted(dated, key=lambda r: (r[1], order[r[0]]))]
