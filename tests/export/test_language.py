"""The record speaks the meeting's language: a Spanish meeting's minutes in every format, read
back with the tools people use, say it in Spanish, with Spanish dates and figures, while
people's words stay exactly as typed and the data's keys stay the same in every language."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import docx
import pytest

from meetingtui.domain.public import Audience
from meetingtui.export import render_minutes
from meetingtui.export.minutes import Minutes, minutes_from_snapshot
from tests.export.fixture_meeting import NOW, fixture_snapshot
from tests.export.test_formats import _docx_text

# Words of the record that must not be left in English in a Spanish meeting's minutes.
ENGLISH = (
    "Minutes:",
    "Summary",
    "Agenda",
    "Raised by",
    "Speakers heard",
    "No ideas recorded",
    "Appendix",
    "planned",
    "supports",
    "Thursday",
    "December",
    "Attendee phone",
    "Patient or service user",
    "Names appear",
)


def _minutes(language: str, *, attendance: int = 4000, **options) -> Minutes:
    snapshot = fixture_snapshot()
    snapshot.meeting.language = language
    snapshot.meeting.attendance = attendance
    # A topic that happens to be a vocabulary word is a person's word: never translated.
    snapshot.ideas[1].topic = "Access"
    return minutes_from_snapshot(snapshot, now=NOW, **options)


@pytest.fixture(scope="module")
def spanish() -> Minutes:
    return _minutes("es")


def _text(html: str) -> str:
    parts: list[str] = []

    class Text(HTMLParser):
        def handle_data(self, data: str) -> None:
            parts.append(data)

    Text().feed(html)
    return "".join(parts)


def test_markdown_in_spanish(spanish: Minutes) -> None:
    md = render_minutes(spanish, "md")
    assert isinstance(md, str)
    for said in (
        "# Acta: Santé & care: « your say » \\<2026\\>",
        "- **Fecha:** jueves 3 de diciembre de 2026",
        "- **Asistencia:** 4.000",
        "- **Estado:** terminada",
        "## Resumen",
        "2 ideas, 1 comentario, 13 apoyos y 1 intervención; 1 decisión y 1 acción.",
        "## Orden del día",
        "Presentación · previsto: 10 min · real: 12 min · 18:30–18:42",
        "**Decisiones**",
        "(responsable: Clerk; plazo: 2026-12-10)",
        "- Vecino o vecina, 18:44",
        "GP access · Persona cuidadora · Móvil de asistente · 12 apoyos",
        "  Propuesta de Zoë Müller, Carers' Forum.",
        "  - Comentario: Yes! \\<script\\>alert('x')\\</script\\> 👍",
        "## Anexo: todas las ideas completas",
        "- **Beneficios:** Acceso, Equidad",
        "- **Estado:** Aceptada",
        "- **Registrada:** jueves 3 de diciembre de 2026, 18:50",
        "| Tema | Ideas |",
        "| Access | 1 |",  # the topic, as typed
        "- **Tema:** Access",
    ):
        assert said in md, said
    # People's words exactly as typed (and escaped) as in the English minutes.
    assert "Evening GP slots \\<b\\>now\\</b\\> 🩺" in md
    assert "  > =SUM(A1:A9)" in md
    for english in ENGLISH:
        assert english not in md, english


def test_web_page_in_spanish(spanish: Minutes) -> None:
    html = render_minutes(spanish, "html")
    assert isinstance(html, str)
    assert '<html lang="es">' in html
    assert "<title>Acta: Santé &amp; care: « your say » &lt;2026&gt;</title>" in html
    text = _text(html)
    for said in (
        "Fecha",
        "jueves 3 de diciembre de 2026",
        "4.000",
        "Ideas por grupo de interés",
        "Comentario: Yes! <script>alert('x')</script> 👍",
        "Acta generada el jueves 3 de diciembre de 2026, 20:45 con meetingtui. "
        "Los nombres solo aparecen cuando la persona aceptó publicarlos.",
    ):
        assert said in text, said
    assert "Evening GP slots <b>now</b> 🩺" in text
    for english in ENGLISH:
        assert english not in text, english


def test_word_document_in_spanish(spanish: Minutes) -> None:
    data = render_minutes(spanish, "docx")
    assert isinstance(data, bytes)
    document = docx.Document(io.BytesIO(data))
    assert document.core_properties.language == "es"
    assert document.core_properties.title == "Acta: Santé & care: « your say » <2026>"
    text = _docx_text(data)
    for said in (
        "[Title] Acta: Santé & care: « your say » <2026>",
        "| Fecha | jueves 3 de diciembre de 2026 |",
        "| Asistencia | 4.000 |",
        "[Heading 1] Orden del día",
        "[Heading 3] Intervenciones",
        "| Canal | Tarjeta escrita |",
        "| Tarjeta | C-0137 |",  # the paper card's number, labelled in the meeting's language
    ):
        assert said in text, said
    footer = document.sections[0].footer.paragraphs[0].text
    assert footer.startswith("Página ")
    for english in ENGLISH:
        assert english not in text, english


def test_csv_in_spanish_keeps_its_columns(spanish: Minutes) -> None:
    english = render_minutes(_minutes("en"), "csv")
    text = render_minutes(spanish, "csv")
    assert isinstance(text, str) and isinstance(english, str)
    assert text.splitlines()[0] == english.splitlines()[0]  # the same column names
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    first, second = rows
    assert first["stakeholder"] == "Persona cuidadora" and first["status"] == "Aceptada"
    assert first["channel"] == "Móvil de asistente" and first["benefits"] == "Acceso; Equidad"
    assert first["title"] == "Evening GP slots <b>now</b> 🩺"  # as typed
    assert first["supports"] == "12"  # a number a spreadsheet can add up
    assert second["topic"] == "Access"


def test_json_is_the_same_data_in_every_language() -> None:
    """Keys and vocabulary stay English and stable: a program reads every meeting alike."""
    spanish = json.loads(render_minutes(_minutes("es"), "json"))
    english = json.loads(render_minutes(_minutes("en"), "json"))
    assert spanish["meeting"].pop("language") == "es"
    english["meeting"].pop("language")
    assert spanish == english


def test_organisers_copy_is_marked_in_spanish() -> None:
    minutes = _minutes("es", audience=Audience.ORGANISERS)
    marking = "No publicar: copia de la organización."
    for fmt in ("md", "html", "csv"):
        text = render_minutes(minutes, fmt)
        assert isinstance(text, str)
        assert marking in text, fmt
        assert "Not for publication" not in text, fmt
    assert marking in _docx_text(render_minutes(minutes, "docx"))


@pytest.mark.parametrize("language", ["xx", "", "../../etc", "es-MX"])
def test_an_unknown_language_falls_back(language: str) -> None:
    """A language nobody has translated yet is written, and marked, in English; a regional
    variant of a translated one uses it."""
    minutes = _minutes(language)
    html = render_minutes(minutes, "html")
    md = render_minutes(minutes, "md")
    assert isinstance(html, str) and isinstance(md, str)
    if language == "es-MX":
        assert '<html lang="es-MX">' in html and "## Resumen" in md
    else:
        assert '<html lang="en">' in html
        assert "## Summary" in md and "- **Attendance:** 4,000" in md
    render_minutes(minutes, "docx")
