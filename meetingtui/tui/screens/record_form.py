"""The record form: a note, a decision or an action (with owner and due date) on the current
agenda item, or a correction of one already recorded (only the fields changed are written).
These are what the minutes are made of."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import TextArea

from meetingtui.domain.records import RECORD_KINDS, RecordConflict
from meetingtui.tui.literal import quoted
from meetingtui.tui.screens.form_dialog import FormDialog, FormField

if TYPE_CHECKING:
    from meetingtui.domain.models import AgendaItem, ItemRecord
    from meetingtui.session import MeetingSession


class RecordFormScreen(FormDialog):
    """Kind, text, and for actions an owner and a due date (YYYY-MM-DD)."""

    def on_mount(self) -> None:
        # Textual runs FormDialog.on_mount too (it dispatches to every class of the MRO):
        # calling it here as well would let the held keys in twice, the second time past a
        # ctrl+s still saving. A correction usually adds to the end of what is there.
        area = self.query_one("#field-text", TextArea)
        area.move_cursor(area.document.end)


def record_fields(kind: str, text: str = "", owner: str = "", due: str = "") -> list[FormField]:
    return [
        FormField(
            "kind",
            "Kind",
            kind="select",
            value=kind,
            options=[(text, key) for key, text in RECORD_KINDS.items()],
            allow_blank=False,
        ),
        FormField("text", "Text", kind="text", value=text),
        FormField("owner", "Owner", value=owner, placeholder="Actions: who will do it"),
        FormField("due", "Due", value=due, placeholder="Actions: YYYY-MM-DD", max_length=10),
    ]


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

    fields = record_fields(kind)
    what = f"Record a {RECORD_KINDS.get(kind, 'Note').lower()}"
    heading = quoted(f"{what} on “", item.title, "”") if item else what
    form = RecordFormScreen(heading, fields, save)
    form.focus_field = "text"
    return form


def record_edit_form(session: MeetingSession, record: ItemRecord) -> RecordFormScreen:
    """The record as stored; saving writes only the fields the person changed, so a
    correction made here never overwrites another console's change to another field. A
    change to the same field is refused once, saying theirs; saving again replaces it."""
    record_id = record.id
    stored = {"kind": record.kind, "text": record.text, "owner": record.owner, "due": record.due}

    def save(values: dict[str, str]) -> str:
        changes = {name: value for name, value in values.items() if value != stored[name]}
        if not changes:
            return "Nothing changed."
        try:
            return session.update_record(record_id, changes, base=stored)
        except RecordConflict as conflict:
            for name, (theirs, _mine) in conflict.fields.items():
                stored[name] = theirs  # a second save replaces theirs knowingly
            raise

    name = RECORD_KINDS.get(record.kind, "Note").lower()
    form = RecordFormScreen(f"Edit the {name}", record_fields(**stored), save)
    form.focus_field = "text"
    return form
