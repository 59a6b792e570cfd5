"""The page in the meeting's language: English, Spanish, and any catalogue a translator drops in."""

from __future__ import annotations

import re
import shutil
import string
from pathlib import Path

import pytest

from meetingtui.domain import i18n, vocab
from meetingtui.domain.i18n import catalogue_for, parse_po
from meetingtui.domain.models import Meeting
from meetingtui.store.database import Database
from meetingtui.web import pages, rendering
from tests.web.helpers import LiveWeb, add_idea, error_summary_links, page_title

WEB = Path(rendering.__file__).parent

# Messages from the domain that the phone page shows (refusals).
DOMAIN_MESSAGES = [
    "Enter a title for your idea",
    "Enter your comment",
    "Choose a group from the list",
    "Choose a topic from the list",
    "This meeting has closed and is no longer taking ideas or comments.",
    "Requests to speak open during discussion and public comment items.",
    "The meeting has not started yet. You can ask to speak once its discussion or public "
    "comment item begins.",
    "Title",
    "Detail",
    "Name",
    "Organisation",
    "Comment",
]


def _messages() -> list[str]:
    """Every English string the attendee web may show, found where it is written."""
    found: list[str] = []
    for path in sorted((WEB / "templates").glob("*.html")):
        found += re.findall(r'_\("((?:[^"\\]|\\.)*)"', path.read_text())
    for path in sorted(WEB.glob("*.py")):
        found += re.findall(r'gettext\(\s*"((?:[^"\\]|\\.)*)"', path.read_text())
    for path in [*sorted((WEB / "templates").glob("*.html")), *sorted(WEB.glob("*.py"))]:
        for one, many in re.findall(r'\bplural\([^"]*"([^"]+)",\s*"([^"]+)"', path.read_text()):
            found += [one, many]  # each form is a message
    found += list(rendering.Notice.MESSAGES.values())
    for page in rendering.ERROR_PAGES.values():
        found += [page.title, page.message, page.advice]
    found += [*i18n.WEEKDAYS, *i18n.MONTHS]
    found += [pages.IDEA_GONE, pages.SUPPORT_GONE, pages.EXPIRED, pages.EXPIRED_SUPPORT]
    found += re.findall(r'Unsent\(\s*"([^"]+)"', (WEB / "pages.py").read_text())
    found += [*vocab.STAKEHOLDERS.values(), *vocab.ITEM_KINDS.values(), *DOMAIN_MESSAGES]
    found += list(vocab.IDEA_STATUSES.values())  # the idea page says its status (receipts)
    return list(dict.fromkeys(message for message in found if message))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_spanish_catalogue_is_complete_and_keeps_placeholders() -> None:
    spanish = catalogue_for("es")
    messages = _messages()
    assert len(messages) > 120
    missing = [message for message in messages if message not in spanish]
    assert missing == []
    for message in messages:
        assert _fields(spanish[message]) == _fields(message), message


def test_po_parser_reads_what_translation_tools_write() -> None:
    catalogue = parse_po(
        "# comment\n"
        'msgid ""\nmsgstr ""\n"Language: xx\\n"\n\n'
        'msgctxt "button"\nmsgid "Send"\nmsgstr "Envoyer"\n\n'
        'msgid "Long "\n"text"\nmsgstr ""\n"Texte "\n"long \\"cité\\"\\n"\n\n'
        '#, fuzzy\nmsgid "Guess"\nmsgstr "Devinette"\n\n'
        'msgid "Untranslated"\nmsgstr ""\n'
        '#~ msgid "Old"\n#~ msgstr "Vieux"\n'
    )
    assert catalogue == {"button\x04Send": "Envoyer", "Long text": 'Texte long "cité"\n'}


def test_language_choice_falls_back_sensibly() -> None:
    assert catalogue_for("es-MX") == catalogue_for("es_mx") == catalogue_for("es") != {}
    assert catalogue_for("en") == catalogue_for("xx") == catalogue_for("../../etc") == {}
    assert i18n.html_lang("es-MX") == "es-MX"
    assert i18n.html_lang("en-GB") == "en-GB"
    assert i18n.html_lang("xx") == "en"  # shown in English, so marked as English
    assert i18n.html_lang('"><script>') == "en"


def test_a_word_in_context_is_its_own_entry() -> None:
    """The record's label "Title" and the refusal's "Title" are different Spanish words."""
    with i18n.language("es"):
        assert i18n.pgettext("record", "Title") == "Título"
        assert i18n.gettext("Title") == "El título"
        assert i18n.pgettext("nowhere", "Title") == "Title"  # no entry: the English
    assert i18n.pgettext("record", "Title") == "Title"


def test_numbers_and_dates_in_the_language() -> None:
    assert (
        i18n.number(4000) == "4,000" and i18n.long_date("2026-12-03") == "Thursday 3 December 2026"
    )
    with i18n.language("es"):
        assert i18n.number(4000) == "4.000" and i18n.number(1234567) == "1.234.567"
        assert i18n.number(999) == "999"
        assert i18n.gettext("Supporters: {count}", count=12000) == "Apoyos: 12.000"
        assert i18n.long_date("2026-12-03") == "jueves 3 de diciembre de 2026"  # no 2.026
        assert i18n.long_date_time("2026-12-03T19:45:00+01:00") == (
            "jueves 3 de diciembre de 2026, 19:45"
        )
        assert i18n.long_date("next week") == "next week"  # not a date: as given
    with i18n.language("xx"):  # a language nobody has translated: English, no crash
        assert i18n.number(4000) == "4,000"
        assert i18n.long_date("2026-12-03") == "Thursday 3 December 2026"


def test_broken_translation_falls_back_to_english() -> None:
    with i18n.language("es"):
        assert i18n.gettext("Page {page} of {pages}", page=1, pages=2) == "Página 1 de 2"
    i18n._current.set({"Page {page} of {pages}": "Seite {seite}"})
    assert i18n.gettext("Page {page} of {pages}", page=1, pages=2) == "Page 1 of 2"
    i18n._current.set({})


@pytest.fixture
def spanish(database: Database, meeting: Meeting) -> Meeting:
    with database.write() as session:
        row = session.get(Meeting, meeting.id)
        assert row is not None
        row.language = "es"
    return meeting


def test_spanish_meeting_page(live_web: LiveWeb, spanish: Meeting) -> None:
    add_idea(live_web.database, spanish, "Citas los sábados", stakeholder="carer")
    document = live_web.page().text

    assert '<html lang="es">' in document
    for text in (
        "Comparte una idea",
        "Ahora mismo",
        "Presentación con Amara Okafor · 10 minutos",
        "jueves 3 de diciembre de 2026, 18:30",
        "Tu idea en una línea",
        "Persona cuidadora",
        "Apoyar esta idea",
        "Enviar idea",
    ):
        assert text in document, text
    assert "Share an idea" not in document and "Send idea" not in document
    live = live_web.client.get("/m/testcode23/live").json()
    assert live["text"]["now_meta"] == "Presentación con Amara Okafor · 10 minutos"


def test_spanish_refusals(live_web: LiveWeb, spanish: Meeting) -> None:
    response = live_web.post("/m/testcode23/ideas", {"title": "", "detail": "d" * 4001})

    assert response.status_code == 422
    assert page_title(response.text).startswith("Error: ")
    assert [text for _, text in error_summary_links(response.text)] == [
        "Escribe un título para tu idea",
        "El detalle debe tener como máximo 4.000 caracteres (tiene 4.001)",
    ]
    assert "Hasta 4.000 caracteres." in response.text  # the form's hint: Spanish figures too
    assert "4,000" not in response.text
    assert "Hay un problema" in response.text
    screen = live_web.client.get("/m/testcode23/screen").text
    assert "Participa desde tu móvil" in screen and '<html lang="es">' in screen


def test_spanish_figures_on_the_pages(live_web: LiveWeb, spanish: Meeting) -> None:
    """A thousand supporters: "1.000" on the phone page and on the projector's screen."""
    from meetingtui.domain.supports import toggle_support

    ref = add_idea(live_web.database, spanish, "Citas los sábados")
    with live_web.database.write() as session:
        for device in range(1000):
            toggle_support(session, meeting_id=spanish.id, idea_ref=ref, device=f"phone{device}")
    assert "Apoyos: 1.000" in live_web.page().text
    screen = live_web.client.get("/m/testcode23/screen").text
    assert "+1.000" in screen and "1,000" not in screen


def test_not_found_in_the_meetings_language(live_web: LiveWeb, spanish: Meeting) -> None:
    """An unknown idea of a Spanish meeting, even as the first page a phone opens."""
    response = live_web.client.get("/m/testcode23/ideas/I-9999")

    assert response.status_code == 404
    assert '<html lang="es">' in response.text
    assert page_title(response.text).startswith("Página no encontrada")
    assert "No hay ninguna reunión ni idea en esta dirección." in response.text
    assert "Page not found" not in response.text


def test_unknown_address_in_the_served_meetings_language(
    web_with, database: Database, spanish: Meeting
) -> None:
    """No meeting at the address: the page is in the language of the meeting being served
    (``serve`` and ``run`` pass it), and in English without one."""
    web = web_with(language="es")
    for path in ("/m/nosuchcode", "/nothing/here", "/m/nosuchcode/ideas/I-0001"):
        response = web.client.get(path)
        assert response.status_code == 404, path
        assert '<html lang="es">' in response.text, path
        assert page_title(response.text).startswith("Página no encontrada"), path
    sent = web.post("/m/nosuchcode/ideas", {"title": "Mi idea <b>literal</b>"})
    assert sent.status_code == 404 and '<html lang="es">' in sent.text
    assert "Mi idea &lt;b&gt;literal&lt;/b&gt;" in sent.text  # handed back, as typed
    english = web_with()
    response = english.client.get("/m/nosuchcode")
    assert response.status_code == 404 and '<html lang="en">' in response.text
    assert page_title(response.text).startswith("Page not found")


def test_a_new_language_needs_only_a_file(
    live_web: LiveWeb, meeting: Meeting, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A translator adds ``fr.po``; no code changes."""
    locales = tmp_path / "locales"
    locales.mkdir()
    shutil.copy(i18n.LOCALES_DIR / "es.po", locales / "es.po")
    (locales / "fr.po").write_text(
        'msgid "Share an idea"\nmsgstr "Partagez une idée"\n', encoding="utf-8"
    )
    monkeypatch.setattr(i18n, "LOCALES_DIR", locales)
    i18n._load.cache_clear()
    with live_web.database.write() as session:
        row = session.get(Meeting, meeting.id)
        assert row is not None
        row.language = "fr"
    try:
        document = live_web.page().text
        assert '<html lang="fr">' in document
        assert "Partagez une idée" in document
        assert "Send idea" in document  # not translated yet: English
        assert "fr" in i18n.available_languages()
    finally:
        i18n._load.cache_clear()


@pytest.mark.parametrize(
    ("language", "minutes", "now", "left"),
    [
        ("en", 1, "· 1 minute", "left of 1 minute<"),
        ("en", 2, "· 2 minutes", "left of 2 minutes<"),
        ("es", 1, "· 1 minuto", "restante de 1 minuto<"),
        ("es", 2, "· 2 minutos", "restantes de 2 minutos<"),
    ],
)
def test_a_count_of_minutes_agrees_with_its_noun_on_every_page(
    live_web: LiveWeb, meeting: Meeting, language: str, minutes: int, now: str, left: str
) -> None:
    """The phone page, its live text and the projector page say "1 minute" and "2 minutes"
    ("1 minuto", "2 minutos"), never "1 minutes"."""
    from meetingtui.domain.models import AgendaItem

    with live_web.database.write() as session:
        row = session.get(Meeting, meeting.id)
        assert row is not None
        row.language = language
        current = session.get(AgendaItem, row.current_item_id)
        assert current is not None
        current.minutes = minutes
    page = live_web.page().text
    assert f"{now}<" in page
    live = live_web.client.get("/m/testcode23/live").json()
    assert live["text"]["now_meta"].endswith(now)
    screen = live_web.client.get("/m/testcode23/screen").text
    assert left in screen
    assert not re.search(r"\b1 minut(es|os)\b", page + screen)
