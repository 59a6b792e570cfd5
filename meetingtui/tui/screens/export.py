"""Export minutes from the console: choose a format and a path; the export runs in a thread with
a loading indicator (large meetings take a few seconds) and ends with a notification. A file
that is already there is replaced only after a yes: last week's minutes may be in it."""

from __future__ import annotations

import uuid
from pathlib import Path

from textual import on
from textual.containers import VerticalScroll
from textual.widgets import Input, Select

from meetingtui.domain.errors import FieldErrors
from meetingtui.store.database import Database
from meetingtui.tui.screens.confirm import ConfirmScreen
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


def export_path(path_text: str) -> Path:
    return Path(path_text.strip()).expanduser()


def write_export(
    database: Database,
    meeting_id: uuid.UUID,
    fmt: str,
    path_text: str,
    *,
    replace: bool = False,
) -> str:
    """Export and write; the path written. FieldErrors for a bad path, in plain words, and for
    a file already there unless ``replace`` (the person said yes to replacing it)."""
    from meetingtui.export import FORMATS, export_meeting

    if fmt not in FORMATS:
        raise FieldErrors({"format": "Choose a format from the list"})
    if not path_text.strip():
        raise FieldErrors({"path": "Enter a file name, for example minutes.md"})
    path = export_path(path_text)
    if path.is_dir():
        raise FieldErrors({"path": "That is a folder: add a file name"})
    if path.exists() and not replace:
        raise FieldErrors({"path": f"{path.name} is already there: choose another name"})
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
        self.replace_path: Path | None = None  # the file the person agreed to replace
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
            path = export_path(values["path"])
            replace = self.replace_path is not None and path == self.replace_path
            written = write_export(
                database, meeting_id, values["format"], values["path"], replace=replace
            )
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

    def action_submit(self) -> None:
        """Ask before replacing a file that is there (the export itself checks again)."""
        path = export_path(self.values()["path"])
        if self.busy or not path.is_file() or path == self.replace_path:
            super().action_submit()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.replace_path = path
                super(ExportDialog, self).action_submit()

        self.app.push_screen(
            ConfirmScreen(
                f"Replace {path.name}?",
                f"{path.resolve()} is already there; exporting writes over it.",
                yes="Replace it",
                no="Keep it",
            ),
            answered,
        )

    def set_busy(self, busy: bool) -> None:
        self.query_one(VerticalScroll).loading = busy
