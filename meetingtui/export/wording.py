"""The record's own words in the meeting's language: the labels, headings and sentences that
every format shares, and the vocabulary's labels (stakeholder group, channel, status...).

The minutes are gathered once in English labels (``minutes.build_minutes``); each human-facing
renderer speaks them in ``Minutes.language`` within ``in_language``, from the same catalogues as
the phone page (``domain/i18n.py``). The JSON export stays in English labels and keys: it is the
data a program reads, and the same for a meeting in any language. People's words (titles,
topics, names, comments) never pass through a catalogue, so they appear exactly as typed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from meetingtui.domain import i18n, public
from meetingtui.domain.i18n import (
    gettext,
    long_date,
    long_date_time,
    number,
    pgettext,
    plural,
)
from meetingtui.domain.vocab import (
    BENEFITS,
    CHANNELS,
    IDEA_STATUSES,
    ITEM_KINDS,
    SCALES,
    STAKEHOLDERS,
)

__all__ = [
    "field_label",
    "gettext",
    "in_language",
    "long_date",
    "long_date_time",
    "meeting_status",
    "number",
    "pgettext",
    "plural",
    "term",
    "topic_name",
]

NO_TOPIC = "(no topic)"
NOT_GIVEN = "(not given)"
# Sentences of the public record policy (domain/public.py) that the record prints.
POLICY_SENTENCES = (
    public.NOT_FOR_PUBLICATION,
    public.PUBLIC_NAMES_NOTE,
    public.ORGANISERS_NAMES_NOTE,
)
MEETING_STATUSES = ("planned", "running", "closed")


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Render within this block in ``language`` (a meeting's ``language``; unknown: English)."""
    with i18n.language(language or i18n.DEFAULT_LANGUAGE):
        yield


@cache
def vocabulary_labels() -> frozenset[str]:
    """Every label the record may print from a controlled vocabulary, and its placeholders."""
    labels = {NO_TOPIC, NOT_GIVEN, *POLICY_SENTENCES}
    for vocabulary in (STAKEHOLDERS, CHANNELS, SCALES, BENEFITS, IDEA_STATUSES, ITEM_KINDS):
        labels.update(vocabulary.values())
    return frozenset(labels)


def term(value: str) -> str:
    """A vocabulary label in the current language; anything else (a value nobody's vocabulary
    has, typed by a person) exactly as it is."""
    return gettext(value) if value in vocabulary_labels() else value


def topic_name(name: str) -> str:
    """A topic in the counts by topic: the agenda's own word as written, or "(no topic)"."""
    return gettext(NO_TOPIC) if name == NO_TOPIC else name


def field_label(name: str) -> str:
    """The name of a field of the record (``Title``, ``Status``...), said as a label: the same
    English word can be a different one elsewhere ("Title" in a refusal is "El título")."""
    return pgettext("record", name)


def meeting_status(status: str) -> str:
    return pgettext("meeting status", status) if status in MEETING_STATUSES else status
