"""The attendee web's name for the shared catalogue mechanism (``meetingtui.domain.i18n``): the
phone page, the projector page and the error pages speak the meeting's language exactly as the
minutes and the published site do, from the same catalogues."""

from __future__ import annotations

from meetingtui.domain.i18n import (
    DEFAULT_LANGUAGE,
    MONTHS,
    WEEKDAYS,
    available_languages,
    catalogue_for,
    decimal,
    gettext,
    html_lang,
    language,
    long_date,
    number,
    parse_po,
    plural,
    translate_message,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "MONTHS",
    "WEEKDAYS",
    "available_languages",
    "catalogue_for",
    "decimal",
    "gettext",
    "html_lang",
    "language",
    "long_date",
    "number",
    "parse_po",
    "plural",
    "translate_message",
]
