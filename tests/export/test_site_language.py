"""``meetingtui publish`` in the meetings' language: every page of a Spanish meeting's site,
its not-found page included, in Spanish; a site of meetings in several languages keeps each
meeting's page in its own and its shared pages in one (``--language``, else English)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from meetingtui import cli
from meetingtui.agenda import load_agenda
from meetingtui.domain import meetings
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.meetings import meeting_topics
from meetingtui.domain.models import Meeting
from meetingtui.domain.supports import toggle_support
from meetingtui.export.site import publish_site
from meetingtui.store.database import Database
from tests.conftest import SAMPLE_AGENDAS


@pytest.fixture
def spanish(database: Database, meeting: Meeting) -> Meeting:
    with database.write() as session:
        row = session.get(Meeting, meeting.id)
        assert row is not None
        row.language = "es"
        row.topics = json.dumps([*meeting_topics(row), "Access"])
        capture_idea(
            session,
            meeting_id=meeting.id,
            data=IdeaInput(
                title="Citas los sábados <b>ya</b>",
                topic="Access",  # a topic that is also a vocabulary word: kept as typed
                stakeholder="carer",
                benefits=["access"],
            ),
        )
    return meeting


def _publish(database: Database, ids: list, out: Path, **options) -> None:
    with database.read() as session:
        publish_site(session, ids, out, **options)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_a_spanish_meetings_site_is_in_spanish(
    tmp_path: Path, database: Database, spanish: Meeting
) -> None:
    _publish(database, [spanish.id], tmp_path)
    index, catalogue = _read(tmp_path / "index.html"), _read(tmp_path / "ideas.html")
    minutes = _read(tmp_path / "meetings" / "testcode23.html")
    missing = _read(tmp_path / "404.html")
    for page in (index, catalogue, minutes, missing):
        assert '<html lang="es">' in page
        assert "Published" not in page and "Minutes" not in page
    assert "<title>Reuniones públicas: actas e ideas</title>" in index
    assert "jueves 3 de diciembre de 2026" in index
    assert "Buscar en el catálogo de ideas" in index and "Todavía no hay" not in index
    assert "Catálogo de ideas" in catalogue and "Encuentra tu idea" in catalogue
    idea = _read(tmp_path / "ideas" / "testcode23" / "I-0001.html")
    assert '<html lang="es">' in idea and "Persona cuidadora" in idea
    assert "Citas los sábados &lt;b&gt;ya&lt;/b&gt;" in idea  # as typed, escaped
    assert "Qué se hizo con ella" in idea and "Historial" in idea
    # The search finds what the page shows: the Spanish labels (folded, as typed searches are:
    # "sabados" finds "sábados"), the title itself shown as typed.
    shard = _read(tmp_path / "data" / "search-testcode23.js")
    assert '"Citas los sábados \\u003cb\\u003eya\\u003c/b\\u003e"' in shard
    assert '"i 0001 citas los sabados b ya b access persona cuidadora nueva' in shard
    refs = _read(tmp_path / "data" / "refs.js")
    assert '"one":"{count} idea","many":"{count} ideas"' in refs and '"sep":"."' in refs
    assert "No hay ninguna idea {ref} en este sitio." in refs
    report = _read(tmp_path / "you-said-we-did.html")
    assert "Dijiste, hicimos" in report and "Ideas por tema" in report
    assert "Dijiste, hicimos" in _read(tmp_path / "report" / "topic-1-1.html")
    assert "<h1>Acta: Our health and care plan: have your say</h1>" in minutes
    assert "<dt>Beneficios</dt><dd>Acceso</dd>" in minutes
    assert "<dt>Tema</dt><dd>Access</dd>" in minutes
    assert "<h1>Página no encontrada</h1>" in missing
    # The data files: Spanish where people read, the same columns and keys as ever.
    table = _read(tmp_path / "meetings" / "testcode23.csv")
    assert table.splitlines()[0].startswith("\ufeffref,title,detail,raised_by")
    assert "Persona cuidadora" in table
    assert "## Resumen" in _read(tmp_path / "meetings" / "testcode23.md")
    assert '"stakeholder": "Carer"' in _read(tmp_path / "meetings" / "testcode23.json")


def test_supports_are_counted_with_spanish_figures(
    tmp_path: Path, database: Database, spanish: Meeting
) -> None:
    with database.write() as session:
        for device in range(1, 1001):
            toggle_support(session, meeting_id=spanish.id, idea_ref="I-0001", device=f"d{device}")
    _publish(database, [spanish.id], tmp_path)
    assert "<dt>Apoyos</dt><dd>1.000</dd>" in _read(
        tmp_path / "ideas" / "testcode23" / "I-0001.html"
    )
    assert "<dt>Apoyos</dt><dd>1.000</dd>" in _read(tmp_path / "meetings" / "testcode23.html")


def test_meetings_in_several_languages(
    tmp_path: Path, database: Database, spanish: Meeting
) -> None:
    with database.write() as session:
        other = meetings.create_meeting(
            session, agenda=load_agenda(SAMPLE_AGENDAS / "community_workshop.toml")
        )
    _publish(database, [spanish.id, other.id], tmp_path / "mixed")
    mixed = tmp_path / "mixed"
    assert '<html lang="en">' in _read(mixed / "index.html")  # no one shared language
    assert "Persona cuidadora" not in _read(mixed / "ideas.html")
    assert '<html lang="es">' in _read(mixed / "ideas" / "testcode23" / "I-0001.html")
    assert '<html lang="es">' in _read(mixed / "meetings" / "testcode23.html")
    assert '<html lang="en">' in _read(mixed / "meetings" / f"{other.code}.html")

    _publish(database, [spanish.id, other.id], tmp_path / "chosen", language="es")
    assert "<title>Reuniones públicas: actas e ideas</title>" in _read(
        tmp_path / "chosen" / "index.html"
    )


def test_publish_command_takes_a_language(
    tmp_path: Path, database: Database, meeting: Meeting, capsys
) -> None:
    out = tmp_path / "site"
    assert cli.main(["--db", database.url, "publish", "-o", str(out), "--language", "es"]) == 0
    capsys.readouterr()
    index = _read(out / "index.html")
    assert '<html lang="es">' in index and "Todas las reuniones" not in index
    assert re.search(r"<th>Reunión</th><th>Fecha</th>", index)
    # The meeting itself is English: its own page stays English.
    assert "<h1>Minutes: " in _read(out / "meetings" / "testcode23.html")
