"""The record form: a note, a decision or an action (with owner and due date) on the current
agenda item. These are what the minutes are made of."""

from __future__ import annotations

from typing import TYPE_CHECKING

from meetingtui.domain.records import RECORD_KINDS, add_record
from meetingtui.tui.screens.form_dialog import FormDialog, FormField

if TYPE_CHECKING:
    from meetingtui.tui.screens.console import ConsoleScreen


class RecordFormScreen(FormDialog):
    """Kind, text, and for actions an owner and a due date (YYYY-MM-DD)."""


def record_form(console: ConsoleScreen, kind: str = "note") -> RecordFormScreen:
    item = console.current_item()
    item_id = item.id if item else None

    def save(values: dict[str, str]) -> str:
        with console.database.write() as session:
            record = add_record(
                session,
                meeting_id=console.meeting_id,
                kind=values["kind"],
                text=values["text"],
                owner=values["owner"],
                due=values["due"],
                agenda_item_id=item_id,
                created_by=console.operator,
            )
            return f"{RECORD_KINDS[record.kind]} recorded."

    fields = [
        FormField(
            "kind",
            "Kind",
            kind="select",
            value=kind,
            options=[(text, key) for key, text in RECORD_KINDS.items()],
            allow_blank=False,
        ),
        FormField("text", "Text", kind="text"),
        FormField("owner", "Owner", placeholder="Actions: who will do it"),
        FormField("due", "Due", placeholder="Actions: YYYY-MM-DD", max_length=10),
    ]
    where = f" on “{item.title}”" if item else ""
    heading = f"Record a {RECORD_KINDS.get(kind, 'Note').lower()}{where}"
    form = RecordFormScreen(heading, fields, save)
    form.focus_field = "text"
    return form
