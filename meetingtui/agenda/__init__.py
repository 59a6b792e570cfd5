"""Agenda files: TOML in, a validated ``Agenda`` out, or errors naming file, line and field."""

from meetingtui.agenda.errors import AgendaError, AgendaProblem
from meetingtui.agenda.loader import load_agenda, parse_agenda
from meetingtui.domain.agenda import Agenda, AgendaItemSpec

__all__ = [
    "Agenda",
    "AgendaError",
    "AgendaItemSpec",
    "AgendaProblem",
    "load_agenda",
    "parse_agenda",
]
