"""The console's notion of "now", injectable so that snapshot tests render fixed times."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]
"""Returns an aware UTC datetime."""


def system_clock() -> datetime:
    return datetime.now(UTC)


def format_duration(seconds: float) -> str:
    """``mm:ss`` (minutes grow past 59 rather than rolling into hours: agenda items are short)."""
    whole = max(0, int(seconds))
    return f"{whole // 60:02d}:{whole % 60:02d}"


def local_time(moment: datetime | None, timezone: str) -> str:
    """``HH:MM`` in the meeting's time zone (the room's wall clock); empty for no moment."""
    if moment is None:
        return ""
    try:
        return moment.astimezone(ZoneInfo(timezone)).strftime("%H:%M")
    except (KeyError, ValueError):
        return moment.strftime("%H:%M")
