"""What the projector page shows beside the QR code, the same as the terminal projector: the
agenda, the current item's time, who has the floor (a place in the queue and a stakeholder group,
a name only where the public-record policy allows one) and their countdown.

Clocks are read once per page; the page's script counts them down between refreshes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from meetingtui.domain import polls as poll_service
from meetingtui.domain.meetings import agenda_items, item_elapsed_seconds
from meetingtui.domain.models import Meeting, utcnow
from meetingtui.domain.poll_bars import Bar, bars
from meetingtui.domain.public import Audience, poll_public, poll_results_public, speaker_now
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
class ScreenPoll:
    """A poll the room sees: its question and ballots; the bars only when its results are
    public (``poll_results_public``: "results at close" hides them while it is open)."""

    number: int
    question: str
    status: str
    ballots: int
    bars: list[Bar] | None  # None: results at close, not yet

    @property
    def bar_rows(self) -> list[tuple[int, Bar]]:
        return list(enumerate(self.bars or []))


SCREEN_POLLS = 2


@dataclass(frozen=True)
class ScreenState:
    items: list[ScreenItem]
    item_clock: ScreenClock | None
    item_minutes: int
    speaker: ScreenSpeaker | None
    polls: list[ScreenPoll] = field(default_factory=list)


def screen_polls(session: Session, meeting: Meeting) -> list[ScreenPoll]:
    """Every open poll the public may see, then the closed polls of the current item or of
    no item (ad hoc: their results), newest first, at most ``SCREEN_POLLS``."""
    found = poll_service.meeting_polls(session, meeting.id)
    chosen = [p for p in found if p.status == "open"]
    chosen += [
        p
        for p in found
        if p.status == "closed" and p.agenda_item_id in (None, meeting.current_item_id)
    ]
    shown: list[ScreenPoll] = []
    for poll in sorted(chosen, key=lambda p: (p.status != "open", -p.number))[:SCREEN_POLLS]:
        if not poll_public(poll, Audience.PUBLIC):
            continue
        results = poll_service.poll_results(session, poll)
        public_bars = bars(results) if poll_results_public(poll, Audience.PUBLIC) else None
        shown.append(
            ScreenPoll(poll.number, poll.question, poll.status, results.ballots, public_bars)
        )
    return shown


def load_screen_state(
    session: Session, meeting: Meeting | uuid.UUID, now: datetime | None = None
) -> ScreenState:
    row = meeting if isinstance(meeting, Meeting) else session.get(Meeting, meeting)
    assert row is not None
    now = now or utcnow()
    items = agenda_items(session, row.id)
    shown = [ScreenItem(n, i.title, i.minutes, i.status) for n, i in enumerate(items, start=1)]
    current = next((i for i in items if i.id == row.current_item_id), None)
    polls = screen_polls(session, row)
    if current is None or row.status == MeetingStatus.CLOSED:
        return ScreenState(shown, None, 0, None, polls)
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
    return ScreenState(shown, item_clock, current.minutes, speaker, polls)
