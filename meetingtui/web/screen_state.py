"""What the projector page shows beside the QR code, the same as the terminal projector: the
agenda, the current item's time, who has the floor (a place in the queue and a stakeholder group,
a name only where the public-record policy allows one) and their countdown.

Clocks are read once per page; the page's script counts them down between refreshes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from meetingtui.domain.meetings import agenda_items, item_elapsed_seconds
from meetingtui.domain.models import Meeting, utcnow
from meetingtui.domain.public import Audience, speaker_now
from meetingtui.domain.snapshot import item_speakers
from meetingtui.domain.states import MeetingStatus
from meetingtui.domain.vocab import STAKEHOLDERS, label


@dataclass(frozen=True)
class ScreenItem:
    number: int
    title: str
    minutes: int
    status: str  # pending · active · done · skipped


@dataclass(frozen=True)
class ScreenClock:
    """Seconds to count: down for time left, up once over (``over``) or with no limit."""

    seconds: int
    over: bool = False
    counting_up: bool = False
    running: bool = True

    @property
    def text(self) -> str:
        whole = abs(self.seconds)
        return f"{whole // 60:02d}:{whole % 60:02d}"


@dataclass(frozen=True)
class ScreenSpeaker:
    number: int
    of: int
    name: str  # empty unless the policy allows it
    group: str  # the stakeholder group's label (English; the template translates it)
    clock: ScreenClock


@dataclass(frozen=True)
class ScreenState:
    items: list[ScreenItem]
    item_clock: ScreenClock | None
    item_minutes: int
    speaker: ScreenSpeaker | None


def load_screen_state(
    session: Session, meeting: Meeting | uuid.UUID, now: datetime | None = None
) -> ScreenState:
    row = meeting if isinstance(meeting, Meeting) else session.get(Meeting, meeting)
    assert row is not None
    now = now or utcnow()
    items = agenda_items(session, row.id)
    shown = [ScreenItem(n, i.title, i.minutes, i.status) for n, i in enumerate(items, start=1)]
    current = next((i for i in items if i.id == row.current_item_id), None)
    if current is None or row.status == MeetingStatus.CLOSED:
        return ScreenState(shown, None, 0, None)
    left = current.minutes * 60 - item_elapsed_seconds(current, now)
    item_clock = ScreenClock(int(left), over=left < 0, running=current.running_since is not None)
    speaking = speaker_now(item_speakers(session, row.id, current.id), Audience.PUBLIC)
    speaker = None
    if speaking is not None:
        started = speaking.speaker.started_at or now
        used = max(0.0, (now - started).total_seconds())
        if current.speaker_minutes:
            remaining = current.speaker_minutes * 60 - used
            clock = ScreenClock(int(remaining), over=remaining < 0)
        else:
            clock = ScreenClock(int(used), counting_up=True)
        speaker = ScreenSpeaker(
            speaking.number,
            speaking.of,
            speaking.name,
            label(STAKEHOLDERS, speaking.stakeholder),
            clock,
        )
    return ScreenState(shown, item_clock, current.minutes, speaker)
