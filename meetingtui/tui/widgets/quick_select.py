"""A select for fast keyboard capture: type on the closed field and the choice follows.

Every letter counts: what is typed accumulates (``gp``, ``me``, ``mental``) and the choice is the
first option with a *word* starting with it, an option that starts with it before one where a
later word does (``car`` picks "Care at home" before "GP and primary care access"). The typed
letters stay until the field loses focus, Enter accepts them, or Backspace takes them back; no
clock is involved, so typing fast or slow gives the same choice. A letter that matches nothing is
refused and the field says so, keeping the choice as it was.

The choice is always on screen: the field shows it at once, marked "typed …", and a choice carried
over from the last idea is marked "carried over". Delete (or Backspace with nothing typed) clears
the choice in one key. Enter (with nothing typed), space, up or down open the full list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.widgets import Select, SelectionList, Static

# Textual exposes the overlay only from its private module; the version is pinned (<9).
from textual.widgets._select import SelectCurrent, SelectOverlay

from meetingtui.domain.text_fold import unaccented
from meetingtui.tui.literal import literal

_WORD_START = re.compile(r"(?<![\w])\w", re.UNICODE)


def best_match(labels: Sequence[str], typed: str) -> int | None:
    """The index of the label ``typed`` picks, or None.

    First a label that starts with it, else one with a later word starting with it; ties go to
    the earlier label. Case and accents are ignored (text_fold: "cafe" picks "Café"); spaces
    and punctuation in ``typed`` must match as typed."""
    query = unaccented(typed)
    if not query:
        return None
    later: int | None = None
    for index, label in enumerate(labels):
        text = unaccented(label)
        if text.startswith(query):
            return index
        if later is None and any(
            text.startswith(query, match.start()) for match in _WORD_START.finditer(text)
        ):
            later = index
    return later


class PickingOverlay(SelectOverlay):
    """The open list: arrows and Enter as usual; typing goes back to the field's own picking."""

    def __init__(self) -> None:
        super().__init__(type_to_search=False)

    async def _on_key(self, event: events.Key) -> None:
        select = self.parent
        if not isinstance(select, QuickSelect):
            return
        if event.key in ("backspace", "delete") or (event.is_printable and event.character):
            event.stop()
            event.prevent_default()
            select.expanded = False
            select.focus()
            select.typed_key(event)


class QuickSelect(Select[Any]):
    """Option labels are literal: a topic comes from the agenda file, written by a person.

    ``carried`` marks a value carried over from the last idea, until the person changes it."""

    DEFAULT_CSS = """
    QuickSelect > #quick-status { height: auto; color: $text-muted; }
    QuickSelect > #quick-status.-refused { color: $text-warning; text-style: bold; }
    QuickSelect.-typed > SelectCurrent, QuickSelect.-carried > SelectCurrent {
        text-style: bold;
    }
    """

    def __init__(
        self,
        options: Iterable[tuple[RenderableType, Any]],
        *,
        carried: bool = False,
        **kwargs: Any,
    ) -> None:
        labelled = [(literal(p) if isinstance(p, str) else p, v) for p, v in options]
        super().__init__(labelled, **kwargs)
        self.option_labels = [str(p) for p, _v in labelled]
        self.option_values = [v for _p, v in labelled]
        self.typed = ""
        self.carried = carried and kwargs.get("value", Select.NULL) is not Select.NULL
        self.refused = ""

    def compose(self) -> ComposeResult:
        yield SelectCurrent(self.prompt)
        yield PickingOverlay().data_bind(compact=Select.compact)
        yield Static("", id="quick-status", markup=False)

    def on_mount(self) -> None:
        self.show_status()

    # ---- picking by typing ------------------------------------------------------------------

    async def _on_key(self, event: events.Key) -> None:
        if self.expanded:
            return
        if event.key == "enter" and self.typed:
            self.typed = ""  # accepted as shown
            self.show_status()
        elif event.key == "space" and not self.typed:
            return  # space keeps its usual meaning: open the list
        elif event.key in ("backspace", "delete") or (event.is_printable and event.character):
            self.typed_key(event)
        else:
            return
        event.stop()
        event.prevent_default()

    def typed_key(self, event: events.Key) -> None:
        """One key of picking: a letter, Backspace or Delete (see the module's docstring)."""
        self.refused = ""
        if event.key == "delete" or (event.key == "backspace" and not self.typed):
            self.typed = ""
            self.clear_choice()
        elif event.key == "backspace":
            self.typed = self.typed[:-1]
            index = best_match(self.option_labels, self.typed)
            if index is None:
                self.clear_choice()
            else:
                self.choose(index)
        elif event.character:
            wanted = self.typed + event.character
            index = best_match(self.option_labels, wanted)
            if index is None:
                self.refused = wanted
                self.app.bell()
            else:
                self.typed = wanted
                self.choose(index)
        self.show_status()

    def choose(self, index: int) -> None:
        self.carried = False
        self.value = self.option_values[index]

    def clear_choice(self) -> None:
        """No choice (or, for a list that needs one, its first option)."""
        self.carried = False
        if self._allow_blank:
            self.clear()
        else:
            self.value = self.option_values[0]

    def _on_blur(self, event: events.Blur) -> None:
        if self.typed or self.refused:
            self.typed = self.refused = ""
            self.show_status()

    def _watch_value(self, value: Any) -> None:
        super()._watch_value(value)
        if self.is_mounted and not self.typed:
            self.carried = False if self._value_from_choice(value) else self.carried
            self.show_status()

    def _value_from_choice(self, value: Any) -> bool:
        """A change made by the person (the list, a typed pick), not the carried-over value."""
        return self.has_focus or self.expanded or self.query_one(PickingOverlay).has_focus

    # ---- what the field says ----------------------------------------------------------------

    def status_text(self) -> Text:
        if self.refused:
            return Text.assemble(
                "nothing starts with “",
                self.refused,
                f"”; still {self.shown_choice()} · Backspace or Delete",
            )
        if self.typed:
            return Text.assemble("typed “", self.typed, "” · Delete clears")
        if self.carried:
            return Text("carried over from the last idea · Delete clears")
        return Text("")

    def shown_choice(self) -> str:
        if self.value is Select.NULL:
            return str(self.prompt).lower()
        for label, value in zip(self.option_labels, self.option_values, strict=True):
            if value == self.value:
                return label
        return str(self.value)

    def show_status(self) -> None:
        try:
            status = self.query_one("#quick-status", Static)
        except Exception:  # noqa: BLE001 - not composed yet
            return
        text = self.status_text()
        status.update(text)
        status.display = bool(text.plain)
        status.set_class(bool(self.refused), "-refused")
        self.set_class(bool(self.typed), "-typed")
        self.set_class(self.carried, "-carried")


class TickList(SelectionList[Any]):
    """A selection list whose space ticks at once, when its binding acts, not a message later:
    a ctrl+s typed straight after must find the box ticked (tui/type_ahead.py)."""

    def action_select(self) -> None:
        self._toggle_highlighted_selection()
