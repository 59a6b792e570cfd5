"""Drafts of the idea form, saved while typing so that a crash or a quit never loses words."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, select

from meetingtui.domain.models import Draft, utcnow

DRAFT_MAX_BYTES = 64_000
OWNER_MAX = 120  # the column's length


@dataclass(frozen=True)
class DraftOwner:
    """Who holds a draft: the terminal (for drafts written before owners named a process), the
    ``user@host`` and the process id of the console typing it.

    Stored as ``"{terminal}|{user@host}#{pid}"``. The process id is what lets a console started
    in a new terminal take over a dead console's draft on the same machine, while a live
    console's draft is never taken (whether a pid is alive is asked of the shell, see
    ``claim_draft``)."""

    terminal: str
    machine: str
    pid: int

    def key(self) -> str:
        tail = f"|{self.machine[:60]}#{self.pid}"
        return self.terminal.replace("|", "/")[: OWNER_MAX - len(tail)] + tail

    @classmethod
    def parse(cls, key: str) -> DraftOwner | None:
        """The owner a stored key names; None for an old key (a terminal or a name alone)."""
        terminal, bar, rest = key.rpartition("|")
        machine, hash_, pid = rest.rpartition("#")
        if not bar or not hash_ or not pid.isdigit():
            return None
        return cls(terminal=terminal, machine=machine, pid=int(pid))


def save_draft(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    owner: str,
    fields: dict[str, Any],
    idea_id: uuid.UUID | None = None,
) -> Draft:
    payload = json.dumps(fields, ensure_ascii=False)[:DRAFT_MAX_BYTES]
    draft = session.exec(
        select(Draft).where(Draft.meeting_id == meeting_id, Draft.owner == owner)
    ).first()
    if draft is None:
        draft = Draft(meeting_id=meeting_id, owner=owner)
        session.add(draft)
    draft.payload, draft.idea_id, draft.updated_at = payload, idea_id, utcnow()
    session.flush()
    return draft


def load_draft(session: Session, *, meeting_id: uuid.UUID, owner: str) -> Draft | None:
    return session.exec(
        select(Draft).where(Draft.meeting_id == meeting_id, Draft.owner == owner)
    ).first()


def claim_draft(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    owner: DraftOwner,
    alive: Callable[[int], bool],
) -> Draft | None:
    """This console's draft on starting: its own if it has one, else one left by a console that
    is gone, which becomes its own.

    A draft is taken over when it was written on the same ``user@host`` by a process that is no
    longer alive (``alive(pid)`` is the shell's check; one holding typed words first, then one
    from this terminal, then the newest), or when it is an old-format draft keyed by this
    terminal alone. A draft of a live process is never taken, nor one from another host:
    whether a process there is alive cannot be known from here, so such a draft is offered
    only on its own host.

    The take-over is a compare-and-set on the owner (``UPDATE … WHERE owner = old``), so two
    consoles starting together take a dead console's draft once: the loser sees no row changed
    and tries the next candidate."""
    mine = owner.key()
    if own := load_draft(session, meeting_id=meeting_id, owner=mine):
        return own
    me = DraftOwner.parse(mine) or owner  # as stored: shortened, no "|" in the terminal
    candidates: list[tuple[bool, Draft]] = []
    for draft in session.exec(select(Draft).where(Draft.meeting_id == meeting_id)).all():
        theirs = DraftOwner.parse(draft.owner)
        if theirs is None:
            if draft.owner == owner.terminal:
                candidates.append((True, draft))
        elif theirs.machine == me.machine and theirs.pid != me.pid and not alive(theirs.pid):
            candidates.append((theirs.terminal == me.terminal, draft))
    # Words typed first (a draft of carried-over choices is not worth offering), then this
    # terminal's, then the newest.
    candidates.sort(
        key=lambda found: (holds_typing(draft_fields(found[1])), found[0], found[1].updated_at),
        reverse=True,
    )
    table = Draft.__table__  # type: ignore[attr-defined]
    for _, draft in candidates:
        taken = session.execute(
            update(table)
            .where(table.c.id == draft.id, table.c.owner == draft.owner)
            .values(owner=mine)
            .returning(table.c.id)
        ).first()
        session.expire(draft)
        if taken is not None:
            return load_draft(session, meeting_id=meeting_id, owner=mine)
    return None


def draft_fields(draft: Draft) -> dict[str, Any]:
    try:
        return dict(json.loads(draft.payload or "{}"))
    except ValueError:
        return {}


def holds_typing(fields: dict[str, Any]) -> bool:
    """Whether a draft holds anything the person typed or ticked (a draft of choices carried
    over from the last idea, with nothing typed, is not worth offering back)."""
    for name, value in fields.items():
        if name in ("channel", "topic", "stakeholder"):
            continue
        if isinstance(value, str) and value.strip():
            return True
        if isinstance(value, (list, bool)) and value:
            return True
    return False


def discard_draft(session: Session, *, meeting_id: uuid.UUID, owner: str) -> None:
    if draft := load_draft(session, meeting_id=meeting_id, owner=owner):
        session.delete(draft)
        session.flush()
