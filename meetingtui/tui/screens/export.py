"""Export minutes from the console: choose a format and a path; the export runs in a thread with
a loading indicator (large meetings take a few seconds) and ends with a notification."""

from __future__ import annotations

import uuid
from pathlib import Path

from textual import on
from textual.containers import VerticalScroll
from textual.widgets import Input, Select

from meetingtui.domain.errors import FieldErrors
from meetingtui.store.database import Database
from meetingtui.tui.screens.form_dialog import FormDialog, FormField

FORMAT_CHOICES = [
    ("Markdown minutes (.md)", "md"),
    ("Web page, printable to PDF (.html)", "html"),
    ("Word document (.docx)", "docx"),
    ("Spreadsheet, one row per idea (.csv)", "csv"),
    ("All the data (.json)", "json"),
]


def default_path(code: str, fmt: str) -> str:
    return f"minutes-{code}.{fmt}"


def write_export(database: Database, meeting_id: uuid.UUID, fmt: str, path_text: str) -> str:
    """Export and write; the path written. FieldErrors for a bad path, in plain words."""
    from meetingtui.export import FORMATS, export_meeting

    if fmt not in FORMATS:
        raise FieldErrors({"format": "Choose a format from the list"})
    if not path_text.strip():
        raise FieldErrors({"path": "Enter a file name, for example minutes.md"})
    path = Path(path_text.strip()).expanduser()
    if path.is_dir():
        raise FieldErrors({"path": "That is a folder: add a file name"})
    if not path.parent.exists():
        raise FieldErrors({"path": f"There is no folder {path.parent}"})
    with database.read() as session:
        content = export_meeting(session, meeting_id, fmt)
    try:
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    except OSError as error:
        raise FieldErrors({"path": f"Cannot write there: {error.strerror or error}"}) from None
    return str(path.resolve())


class ExportDialog(FormDialog):
    def __init__(self, database: Database, meeting_id: uuid.UUID, code: str) -> None:
        self.code = code
        self.path_touched = False
        fields = [
            FormField(
                "format",
                "Format",
                kind="select",
                value="md",
                options=FORMAT_CHOICES,
                allow_blank=False,
            ),
            FormField("path", "Save as", value=default_path(code, "md")),
        ]

        def export(values: dict[str, str]) -> str:
            written = write_export(database, meeting_id, values["format"], values["path"])
            return f"Minutes written to {written}"

        super().__init__(
            "Export minutes",
            fields,
            export,
            hint="The file is written in the current folder unless you give a path.",
        )

    @on(Select.Changed, "#field-format")
    def format_chosen(self, event: Select.Changed) -> None:
        if not self.path_touched and isinstance(event.value, str):
            path = self.query_one("#field-path", Input)
            path.value = default_path(self.code, event.value)
            self.path_touched = False

    @on(Input.Changed, "#field-path")
    def path_typed(self, event: Input.Changed) -> None:
        if event.value != default_path(self.code, self.values()["format"]):
            self.path_touched = True

    def set_busy(self, busy: bool) -> None:
        self.query_one(VerticalScroll).loading = busy
