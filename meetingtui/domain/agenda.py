"""An agenda as read from its file: plain data, before any meeting exists.

The shape lives in the domain (meetings are created from it); the file format, loading and
validation live in ``meetingtui.agenda``, which imports this module and never the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AgendaItemSpec:
    title: str
    minutes: int
    kind: str = "discussion"
    notes: str = ""
    presenter: str = ""
    speaker_minutes: int | None = None


@dataclass(frozen=True)
class MonitoringQuestion:
    """A reach monitoring question (``[[monitoring]]``): ``key`` names it in answers and in the
    reference population; "prefer not to say" is always offered besides ``options``."""

    key: str
    label: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class Agenda:
    title: str
    items: tuple[AgendaItemSpec, ...]
    date: str = ""
    start: str = ""
    timezone: str = "UTC"
    location: str = ""
    facilitator: str = ""
    topics: tuple[str, ...] = ()
    moderation: str = "post"
    language: str = "en"
    wifi_ssid: str = ""
    wifi_password: str = ""
    programme: str = ""  # the engagement programme; empty: the default one
    monitoring: tuple[MonitoringQuestion, ...] = ()  # reach questions (domain/reach.py)
    source_path: str | None = None
    source_hash: str = ""  # SHA-256 of the file's bytes (see ``Meeting.agenda_hash``)
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def planned_minutes(self) -> int:
        return sum(item.minutes for item in self.items)
