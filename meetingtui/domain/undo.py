"""The inverses the console's undo needs that no other service offers: a speaker's place in the
queue put back as it was, and a skipped item back on the agenda.

Every other undo is an ordinary service call (restore a deleted idea, set a visibility back,
edit fields back). These two write through here so the change is in the feed like any other.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from meetingtui.domain.errors import NotFound
from meetingtui.domain.feed import record_event
from meetingtui.domain.models import Speaker


@dataclass(frozen=True)
class SpeakerPlace:
    """A speaker's place as it was: what ``restore_speakers`` puts back."""

    speaker_id: uuid.UUID
    status: str
    started_at: datetime | None
    ended_at: datetime | None

    @classmethod
    def of(cls, speaker: Speaker) -> SpeakerPlace:
        return cls(speaker.id, speaker.status, speaker.started_at, speaker.ended_at)


def restore_speakers(
    session: Session, *, meeting_id: uuid.UUID, places: list[SpeakerPlace], actor: str = ""
) -> list[Speaker]:
    """Put speakers back where they were (a withdrawal, a "done" or a call taken back). Their
    request time, so their turn in the queue, never changed."""
    restored = []
    for place in places:
        speaker = session.get(Speaker, place.speaker_id)
        if speaker is None or speaker.meeting_id != meeting_id:
            raise NotFound("That speaker is not in this meeting's queue.")
        speaker.status = place.status
        speaker.started_at, speaker.ended_at = place.started_at, place.ended_at
        record_event(
            session,
            kind="speaker.restored",
            meeting_id=meeting_id,
            entity="speaker",
            entity_id=speaker.id,
            actor=actor,
            detail={"status": place.status},
        )
        restored.append(speaker)
    session.flush()
    return restored
