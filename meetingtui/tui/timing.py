"""Time arithmetic the console shows: an item's time left, the meeting against its plan, and a
speaker's countdown. Pure functions of the snapshot and "now", so they are easy to test."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from meetingtui.domain.meetings import item_elapsed_seconds
from meetingtui.domain.models import AgendaItem, Speaker
from meetingtui.domain.speakers import speaking_seconds
from meetingtui.domain.states import ItemStatus

NEAR_END_SECONDS = 120  # warn this long before an item's planned time runs out ...
NEAR_END_SHARE = 0.2  # ... or at 80% of a short item, whichever comes later
SPEAKER_NEAR_SECONDS = 30


def near_end_seconds(planned_seconds: float) -> float:
    return min(NEAR_END_SECONDS, planned_seconds * NEAR_END_SHARE)


@dataclass(frozen=True)
class ItemTime:
    elapsed: float
    planned: float

    @property
    def remaining(self) -> float:
        return self.planned - self.elapsed

    @property
    def over(self) -> bool:
        return self.remaining < 0

    @property
    def near(self) -> bool:
        """Close to its planned end, not yet over: the moment to start wrapping up."""
        return not self.over and self.remaining <= near_end_seconds(self.planned)

    @property
    def state(self) -> str:
        return "over" if self.over else "near" if self.near else "ok"


def item_time(item: AgendaItem, now: datetime) -> ItemTime:
    return ItemTime(item_elapsed_seconds(item, now), item.minutes * 60.0)


@dataclass(frozen=True)
class MeetingTime:
    planned: float  # every item not skipped
    used: float  # time the items have run so far
    behind: float  # positive: behind plan; negative: ahead (items finished early)


def meeting_time(items: list[AgendaItem], now: datetime) -> MeetingTime:
    planned = used = behind = 0.0
    for item in items:
        if item.status == ItemStatus.SKIPPED:
            used += item.elapsed_seconds
            continue
        time = item_time(item, now)
        planned += time.planned
        used += time.elapsed
        if item.status == ItemStatus.DONE:
            behind += time.elapsed - time.planned
        elif item.status == ItemStatus.ACTIVE:
            behind += max(0.0, -time.remaining)
    return MeetingTime(planned=planned, used=used, behind=behind)


@dataclass(frozen=True)
class SpeakerTime:
    elapsed: float
    allowed: float | None  # None when the item sets no speaker limit

    @property
    def remaining(self) -> float | None:
        return None if self.allowed is None else self.allowed - self.elapsed

    @property
    def state(self) -> str:
        remaining = self.remaining
        if remaining is None:
            return "ok"
        if remaining < 0:
            return "over"
        return "near" if remaining <= SPEAKER_NEAR_SECONDS else "ok"


def speaker_time(speaker: Speaker, item: AgendaItem, now: datetime) -> SpeakerTime:
    allowed = item.speaker_minutes * 60.0 if item.speaker_minutes else None
    return SpeakerTime(speaking_seconds(speaker, now), allowed)  # stops while the item is paused


def format_long(seconds: float, *, hours: bool | None = None) -> str:
    """``h:mm:ss`` for meeting-long spans, ``mm:ss`` below an hour (``hours`` forces one)."""
    whole = int(abs(seconds))
    hour, rest = divmod(whole, 3600)
    minutes = f"{rest // 60:02d}:{rest % 60:02d}"
    with_hours = hour > 0 if hours is None else hours
    return f"{hour}:{minutes}" if with_hours else minutes


def format_together(*seconds: float) -> list[str]:
    """Spans shown on one line, in one format: all ``h:mm:ss`` once any reaches an hour, else
    all ``mm:ss``. "00:26 / 2:00:00" reads as if the two clocks counted different things."""
    hours = any(abs(value) >= 3600 for value in seconds)
    return [format_long(value, hours=hours) for value in seconds]
