"""A select for fast keyboard capture: typing on the closed field opens it, and what you type
filters the list — options that do not contain it are greyed out and skipped — so ``car`` then
Enter picks "Carer" in four keys. Backspace widens the filter; closing the list clears it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import RenderableType
from textual import events
from textual.app import ComposeResult
from textual.widgets import Select

# Textual exposes the overlay only from its private module; the version is pinned (<9).
from textual.widgets._select import SelectCurrent, SelectOverlay

from meetingtui.tui.literal import literal


class FilteringOverlay(SelectOverlay):
    """The drop-down list, narrowed by what has been typed since it opened."""

    def __init__(self) -> None:
        super().__init__(type_to_search=True)
        self.filter_text = ""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "backspace" and self.filter_text:
            self.apply_filter(self.filter_text[:-1])
        elif event.character is not None and event.is_printable:
            if not self.apply_filter(self.filter_text + event.character):
                self.app.bell()  # nothing matches: keep the list as it was
        else:
            return
        event.stop()
        event.prevent_default()

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        return key == "backspace" or super().check_consume_key(key, character)

    def watch_has_focus(self, value: bool) -> None:
        super().watch_has_focus(value)
        if not value and self.filter_text:
            self.apply_filter("")

    def apply_filter(self, text: str) -> bool:
        """Enable only the options containing ``text`` (any case) and highlight the first.
        Returns False, changing nothing, when no option would match."""
        query = text.casefold()
        matches = [
            index
            for index in range(self.option_count)
            if query in str(self.get_option_at_index(index).prompt).casefold()
        ]
        if text and not matches:
            return False
        self.filter_text = text
        for index in range(self.option_count):
            if index in matches:
                self.enable_option_at_index(index)
            else:
                self.disable_option_at_index(index)
        if matches:
            self.highlighted = matches[0]
        return True


class QuickSelect(Select):
    """Option labels are literal: a topic comes from the agenda file, written by a person."""

    def __init__(self, options: Iterable[tuple[RenderableType, Any]], **kwargs: Any) -> None:
        labelled = [(literal(p) if isinstance(p, str) else p, v) for p, v in options]
        super().__init__(labelled, **kwargs)

    def compose(self) -> ComposeResult:
        yield SelectCurrent(self.prompt)
        yield FilteringOverlay().data_bind(compact=Select.compact)

    async def _on_key(self, event: events.Key) -> None:
        if self.expanded or not event.is_printable or not event.character:
            return
        if event.character == " ":
            return  # space keeps its usual meaning: open the list
        event.stop()
        event.prevent_default()
        self.expanded = True
        # The letter that opened the list is the first of the filter.
        self.query_one(FilteringOverlay).post_message(events.Key(event.key, event.character))
