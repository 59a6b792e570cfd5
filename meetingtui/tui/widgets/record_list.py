"""Notes, decisions and actions recorded against the current item: what the minutes are made of."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from meetingtui.domain.models import ItemRecord
from meetingtui.domain.states import RecordKind
from meetingtui.tui.literal import display_text

EMPTY_TEXT = "No notes yet. Press r to record a note, decision or action."
_KIND_STYLES = {"note": "", "decision": "bold", "action": "bold"}


def record_text(record: ItemRecord) -> Text:
    text = Text()
    text.append(f"{record.kind.capitalize()}: ", style=_KIND_STYLES.get(record.kind, ""))
    text.append(display_text(record.text))
    if record.kind == RecordKind.ACTION:
        who = " · ".join(p for p in (record.owner, f"due {record.due}" if record.due else "") if p)
        if who:
            text.append(display_text(f"  ({who})"), style="dim")
    return text


class RecordList(OptionList):
    BINDINGS = [
        Binding(
            "e",
            "screen.edit_record",
            "Edit note",
            show=False,
            tooltip="Edit the highlighted record",
        ),
        Binding("x,delete", "screen.delete_record", "Delete note", show=False, tooltip="u undoes"),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual API
        super().__init__(id=id)
        self.records: list[ItemRecord] = []
        self.border_title = "Minutes"

    def show(self, records: list[ItemRecord]) -> None:
        highlighted = self.highlighted_record()
        self.records = records
        self.border_title = f"Minutes ({len(records)})"
        self.clear_options()
        if not records:
            self.add_option(Option(Text(EMPTY_TEXT, style="italic"), disabled=True))
            return
        self.add_options([Option(record_text(r), id=str(r.id)) for r in records])
        ids = [str(r.id) for r in records]
        if highlighted is not None and str(highlighted.id) in ids:
            self.highlighted = ids.index(str(highlighted.id))
        else:
            self.highlighted = len(records) - 1

    def highlighted_record(self) -> ItemRecord | None:
        if self.highlighted is None or not self.records:
            return None
        option = self.get_option_at_index(self.highlighted)
        return next((r for r in self.records if str(r.id) == option.id), None)
