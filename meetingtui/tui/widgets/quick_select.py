"""A select that opens as soon as you type: the letters go to its search, so ``car`` then Enter
picks "Carer" from a closed field in four keys."""

from __future__ import annotations

from textual import events
from textual.widgets import Select


class QuickSelect(Select):
    async def _on_key(self, event: events.Key) -> None:
        if self.expanded or not event.is_printable or not event.character:
            return
        if event.character == " ":
            return  # space keeps its usual meaning: open the list
        event.stop()
        event.prevent_default()
        self.expanded = True
        overlay = self.query_one("SelectOverlay")
        # The overlay searches as you type (substring, earliest match first).
        overlay.post_message(events.Key(event.key, event.character))
