"""The agenda's data shape lives in the domain; the agenda loader re-exports it. (The layering
itself is checked by the import contracts in pyproject.toml: tests/test_static_checks.py.)"""

from __future__ import annotations


def test_agenda_shape_is_importable_from_both_places() -> None:
    from meetingtui.agenda import Agenda as FromAgenda
    from meetingtui.agenda import AgendaItemSpec as ItemFromAgenda
    from meetingtui.domain.agenda import Agenda, AgendaItemSpec

    assert FromAgenda is Agenda and ItemFromAgenda is AgendaItemSpec
