"""Typing as a fast note-taker does: a whole burst of keys at once, as a terminal delivers a
pasted or quickly typed run (tmux ``send-keys``), with no pause for the app between keys."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key


def key_event(key: str) -> events.Key:
    """The event a terminal produces for ``key`` (a character, or a name such as "tab")."""
    if len(key) == 1:  # a character: the terminal sends it as itself
        return events.Key(key if key.isalnum() else _character_to_key(key), key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def burst(app: App, keys: Iterable[str]) -> None:
    """Hand every key to the app at once, in order; the app handles them after this returns."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        driver.send_message(event)


def typed(text: str) -> list[str]:
    """The keys that type ``text``."""
    return list(text)
