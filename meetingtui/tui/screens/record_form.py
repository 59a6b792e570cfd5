"""The record form: a note, a decision or an action (with owner and due date) on the current
agenda item. These are what the minutes are made of."""

from __future__ import annotations

from typing import TYPE_CHECKING

from meetingtui.domain.records import RECORD_KINDS
from meetingtui.tui.literal import quoted
from meetingtui.tui.screens.form_dialog import FormDialog, FormField

if TYPE_CHECKING:
    from meetingtui.domain.models import AgendaItem
    from meetingtui.session import MeetingSession


class RecordFormScreen(FormDialog):
    """Kind, text, and for actions an owner and a due date (YYYY-MM-DD)."""


def record_form(
    session: MeetingSession, item: AgendaItem | None, kind: str = "note"
) -> RecordFormScreen:
    item_id = item.id if item else None

    def save(values: dict[str, str]) -> str:
        return session.add_record(
            kind=values["kind"],
            text=values["text"],
            owner=values["owner"],
            due=values["due"],
            item_id=item_id,
        )

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
    what = f"Record a {RECORD_KINDS.get(kind, 'Note').lower()}"
    heading = quoted(f"{what} on “", item.title, "”") if item else what
    form = RecordFormScreen(heading, fields, save)
    form.focus_field = "text"
    return form
