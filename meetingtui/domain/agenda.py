"""An agenda as read from its file: plain data, before any meeting exists.

The shape lives in the domain (meetings are created from it); the file format, loading and
validation live in ``meetingtui.agenda``, which imports this module and never the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PollSpec:
    """A poll declared on a ``vote`` item (``[item.poll]``; domain/polls.py has the rules).

    ``costs`` has one entry per option for a budget poll (empty otherwise). ``from_ideas``: the
    options are taken from the meeting's ideas when the poll opens (``options`` then empty)."""

    type: str
    question: str
    options: tuple[str, ...] = ()
    costs: tuple[int, ...] = ()
    min: int | None = None
    max: int | None = None
    dots: int | None = None
    budget: int | None = None
    results: str = "live"
    opens: str = "with the item"
    from_ideas: bool = False
    unit: str = "dots"  # dots: "dots" or "points" (``points = 100``), as the ballot names them


@dataclass(frozen=True)
class AgendaItemSpec:
    title: str
    minutes: int
    kind: str = "discussion"
    notes: str = ""
    presenter: str = ""
    speaker_minutes: int | None = None
    poll: PollSpec | None = None


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
    source_path: str | None = None
    source_hash: str = ""  # SHA-256 of the file's bytes (see ``Meeting.agenda_hash``)
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def planned_minutes(self) -> int:
        return sum(item.minutes for item in self.items)
