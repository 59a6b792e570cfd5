"""Everything people read about a meeting, in the meeting's language: the attendee web, and the
record (minutes in every format, the published site).

One catalogue per language serves both, so a translator translates one file. It sits in the
domain because both the web and the exports read it (and the exports may not import the web).
English is written in the templates and the code; every other language is a gettext ``.po`` file
in ``meetingtui/locales/`` (``es.po``, ``fr.po``, ``pt-BR.po``...). A translator copies
``es.po``, translates each ``msgstr`` with their usual tool (Poedit, Weblate, a text editor) and
drops the file in; no code changes and no compile step. A missing or empty ``msgstr`` falls back
to English, so a half finished catalogue is still usable.

Strings may carry ``{name}`` placeholders, filled in after translation, so word order is the
translator's to choose; a whole-number placeholder is a count, written with the language's
thousands separator (``4,000``, ``4.000``). Dates are written with the language's own words for
days and months (``long_date``). The language in force for a render is held in a context
variable, which is how the templates' ``_()`` and the Python-side messages (refusals from the
domain) agree.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"
DEFAULT_LANGUAGE = "en"
CONTEXT_GLUE = "\x04"  # between a msgctxt and its msgid, as in gettext's compiled catalogues


def parse_po(text: str) -> dict[str, str]:
    """msgid → msgstr from a ``.po`` file; fuzzy, obsolete and untranslated entries are skipped.

    Handles what translation tools write: comments, ``msgctxt``, strings continued over several
    quoted lines, and C escapes. An entry with a context is kept under ``context\x04msgid``, as
    gettext does (``pgettext``): the minutes' field label "Title" is not the refusal's "Title"
    ("Título", "El título"). Plural forms are not used by this catalogue.
    """
    catalogue: dict[str, str] = {}
    entry: dict[str, str] = {}
    fuzzy = False
    field = ""

    def finish() -> None:
        nonlocal entry, fuzzy, field
        msgid, msgstr = entry.get("msgid", ""), entry.get("msgstr", "")
        if msgid and msgstr and not fuzzy:
            context = entry.get("msgctxt")
            catalogue[msgid if context is None else f"{context}{CONTEXT_GLUE}{msgid}"] = msgstr
        entry, fuzzy, field = {}, False, ""

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                if "msgid" in entry:
                    finish()
                fuzzy = True
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid", "msgstr", "msgid_plural"):
            if keyword in ("msgctxt", "msgid") and "msgstr" in entry:
                keep_fuzzy = fuzzy
                finish()
                fuzzy = keep_fuzzy
            field = keyword
            entry[field] = _unquote(rest)
        elif line.startswith('"') and field:
            entry[field] += _unquote(line)
    finish()
    return catalogue


def _unquote(quoted: str) -> str:
    quoted = quoted.strip()
    if len(quoted) < 2 or quoted[0] != '"' or quoted[-1] != '"':
        return ""
    try:
        return str(ast.literal_eval(quoted))
    except (ValueError, SyntaxError):
        return quoted[1:-1]


def available_languages() -> list[str]:
    return [DEFAULT_LANGUAGE] + sorted(path.stem for path in LOCALES_DIR.glob("*.po"))


@cache
def _load(language: str) -> dict[str, str]:
    path = LOCALES_DIR / f"{language}.po"
    if not path.is_file():
        return {}
    return parse_po(path.read_text(encoding="utf-8"))


def catalogue_for(language: str) -> dict[str, str]:
    """The catalogue for ``es-MX``, else ``es``, else none (English)."""
    tag = (language or DEFAULT_LANGUAGE).strip().replace("_", "-")
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", tag):
        return {}
    for candidate in (tag, tag.split("-")[0].lower()):
        if catalogue := _load(candidate):
            return catalogue
    return {}


def html_lang(language: str) -> str:
    """The ``<html lang>`` for a meeting: its language when the page is in it, else English
    (a meeting set to a language nobody has translated yet is shown, and marked, in English)."""
    tag = (language or DEFAULT_LANGUAGE).strip().replace("_", "-")
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", tag):
        return DEFAULT_LANGUAGE
    if tag.split("-")[0].lower() == DEFAULT_LANGUAGE or catalogue_for(tag):
        return tag
    return DEFAULT_LANGUAGE


_current: ContextVar[dict[str, str]] = ContextVar("meetingtui_catalogue", default={})  # noqa: B039


@contextmanager
def language(code: str) -> Iterator[None]:
    """Translate into ``code`` within the block (one render)."""
    token = _current.set(catalogue_for(code))
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str, /, **values: object) -> str:
    """``message`` in the current language, with ``{name}`` placeholders filled from ``values``.

    A whole number in ``values`` is a count and is written as the language writes numbers
    (``number``); anything else (a year, a reference) is passed as text by the caller."""
    return _fill(_current.get().get(message) or message, message, values)


def plural(count: int, one: str, many: str, /, **values: object) -> str:
    """``one`` or ``many`` (each with a ``{count}``, which is ``count``) in the current
    language: "1 minute", "10 minutes", never "1 minutes". Each form is its own message in
    the catalogue. English-like plurals (one, and everything else) are all the shipped
    languages need; a language with more forms would need ``msgid_plural`` here."""
    return gettext(one if count == 1 else many, count=count, **values)


def pgettext(context: str, message: str, /, **values: object) -> str:
    """``message`` said in ``context`` (a ``msgctxt``), for a short word that translates
    differently elsewhere; English, and a catalogue without the entry, use ``message``."""
    translated = _current.get().get(f"{context}{CONTEXT_GLUE}{message}") or message
    return _fill(translated, message, values)


def _fill(translated: str, message: str, values: dict[str, object]) -> str:
    if not values:
        return translated
    values = {
        name: number(value) if isinstance(value, int) and not isinstance(value, bool) else value
        for name, value in values.items()
    }
    try:
        return translated.format(**values)
    except (KeyError, IndexError, ValueError):
        return message.format(**values)  # a broken translation must not break the page


# Catalogue entries that are settings rather than sentences. The separator's msgstr is the
# character itself ("." in Spanish; a space or U+202F where that is the custom).
THOUSANDS_SEPARATOR = "thousands separator: ,"


def thousands_separator() -> str:
    """What the current language puts between groups of three digits."""
    return _current.get().get(THOUSANDS_SEPARATOR) or ","


def number(value: int) -> str:
    """A whole number with the current language's thousands separator: 4,000 · 4.000."""
    grouped = f"{value:,}"
    separator = thousands_separator()
    return grouped if separator == "," else grouped.replace(",", separator)


DECIMAL_SEPARATOR = "decimal separator: ."


def decimal(value: float, places: int = 2) -> str:
    """A number with up to ``places`` decimals, as the current language writes it: 4.5 ·
    4,5 · 1,234.75 · 1.234,75 (a whole value has no decimals: 4)."""
    whole, _, fraction = f"{round(value, places):,.{places}f}".partition(".")
    fraction = fraction.rstrip("0")
    whole = whole.replace(",", thousands_separator())
    mark = _current.get().get(DECIMAL_SEPARATOR) or "."
    return f"{whole}{mark}{fraction}" if fraction else whole


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def long_date(value: str | date) -> str:
    """``2026-12-03`` as people say it, in the current language (``Thursday 3 December 2026``,
    ``jueves 3 de diciembre de 2026``); text that is not an ISO date is returned as given."""
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
    else:
        day = value
    return gettext(
        "{weekday} {day} {month} {year}",
        weekday=gettext(WEEKDAYS[day.weekday()]),
        day=str(day.day),
        month=gettext(MONTHS[day.month - 1]),
        year=str(day.year),  # text: a year is not a count (no "2.026")
    )


def long_date_time(moment: datetime | str) -> str:
    """A local date and time as people say it: ``Thursday 3 December 2026, 19:45``; ISO text
    (``2026-12-03T19:45:00+00:00``) is read first, other text returned as given."""
    if isinstance(moment, str):
        try:
            when = datetime.fromisoformat(moment)
        except ValueError:
            return moment
    else:
        when = moment
    return gettext("{date}, {time}", date=long_date(when.date()), time=when.strftime("%H:%M"))


_LENGTH = re.compile(
    r"^(?P<what>.+) must be (?P<limit>[\d,]+) characters or fewer \(it has (?P<count>[\d,]+)\)$"
)


@cache
def _numbered() -> list[tuple[re.Pattern[str], str]]:
    from meetingtui.domain.tallies import NUMBERED_REFUSALS

    patterns = []
    for template in NUMBERED_REFUSALS:
        pattern = re.escape(template)
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[0-9][0-9,]*)", pattern)
        patterns.append((re.compile(pattern + "$"), template))
    return patterns


def translate_message(message: str) -> str:
    """A message from the domain (a refusal) in the current language, its numbers written as
    the language writes them."""
    for pattern, template in _numbered():
        if found := pattern.match(message):
            numbers = {k: int(v.replace(",", "")) for k, v in found.groupdict().items()}
            return gettext(template, **numbers)
    if match := _LENGTH.match(message):
        return gettext(
            "{what} must be {limit} characters or fewer (it has {count})",
            what=gettext(match["what"]),
            limit=int(match["limit"].replace(",", "")),
            count=int(match["count"].replace(",", "")),
        )
    return gettext(message)
