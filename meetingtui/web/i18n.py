"""The attendee web in the meeting's language.

English is written in the templates and the code; every other language is a gettext ``.po`` file
in ``locales/`` (``es.po``, ``fr.po``, ``pt-BR.po``...). A translator copies ``es.po``, translates
each ``msgstr`` with their usual tool (Poedit, Weblate, a text editor) and drops the file in; no
code changes and no compile step. A missing or empty ``msgstr`` falls back to English, so a half
finished catalogue is still usable.

Strings may carry ``{name}`` placeholders, filled in after translation, so word order is the
translator's to choose. The language in force for a render is held in a context variable, which
is how the templates' ``_()`` and the Python-side messages (refusals from the domain) agree.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DEFAULT_LANGUAGE = "en"


def parse_po(text: str) -> dict[str, str]:
    """msgid → msgstr from a ``.po`` file; fuzzy, obsolete and untranslated entries are skipped.

    Handles what translation tools write: comments, ``msgctxt`` (ignored), strings continued over
    several quoted lines, and C escapes. Plural forms are not used by this catalogue.
    """
    catalogue: dict[str, str] = {}
    entry: dict[str, str] = {}
    fuzzy = False
    field = ""

    def finish() -> None:
        nonlocal entry, fuzzy, field
        msgid, msgstr = entry.get("msgid", ""), entry.get("msgstr", "")
        if msgid and msgstr and not fuzzy:
            catalogue[msgid] = msgstr
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


_current: ContextVar[dict[str, str]] = ContextVar("meetingtui_web_catalogue", default={})  # noqa: B039


@contextmanager
def language(code: str) -> Iterator[None]:
    """Translate into ``code`` within the block (one render)."""
    token = _current.set(catalogue_for(code))
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str, /, **values: object) -> str:
    """``message`` in the current language, with ``{name}`` placeholders filled from ``values``."""
    translated = _current.get().get(message) or message
    if values:
        try:
            return translated.format(**values)
        except (KeyError, IndexError, ValueError):
            return message.format(**values)  # a broken translation must not break the page
    return translated


_LENGTH = re.compile(
    r"^(?P<what>.+) must be (?P<limit>[\d,]+) characters or fewer \(it has (?P<count>[\d,]+)\)$"
)


def translate_message(message: str) -> str:
    """A message from the domain (a refusal) in the current language."""
    if match := _LENGTH.match(message):
        return gettext(
            "{what} must be {limit} characters or fewer (it has {count})",
            what=gettext(match["what"]),
            limit=match["limit"],
            count=match["count"],
        )
    return gettext(message)
