"""The empty file to fill in for ``import ideas``: every column of the standard idea form.

- ``.xlsx``: sheet "Ideas" with the headings (frozen, with a note each) and drop-down lists for
  the columns that take one value from a list; sheet "Allowed values" with what every column
  takes, and each list's labels and stored values (either is accepted).
- ``.csv``: the heading row alone (UTF-8 with a BOM, so Excel reads accents): a CSV file has
  no place for notes that would not be read as a row. ``allowed_values_text`` is what the
  command prints beside it (and the README repeats).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from meetingtui.domain.imports import COLUMNS, Column

LIST_SHEET = "Allowed values"
TEMPLATE_ROWS = 5_000  # rows the drop-down lists cover


def allowed_values_text(topics: list[str] | None = None) -> str:
    """Every column, what it takes and, for lists, the values (labels; stored values too)."""
    lines = ["Columns (row 1; case, spaces and accents aside, labels such as 'Raised by' too):"]
    for column in COLUMNS:
        lines.append(f"  {column.name:<13} {column.hint}")
        values = _values(column, topics)
        if values:
            lines.append(f"  {'':<13} allowed: {', '.join(values)}")
    return "\n".join(lines) + "\n"


def _values(column: Column, topics: list[str] | None) -> list[str]:
    if column.name == "topic" and topics:
        return list(topics)
    return list(column.allowed.values()) if column.allowed else []


def write_template(path: Path, *, topics: list[str] | None = None) -> None:
    """Write the template; the suffix chooses the format. OSError when it cannot be written."""
    if path.suffix.lower() == ".xlsx":
        _write_xlsx(path, topics)
    else:
        buffer = io.StringIO()
        buffer.write("\ufeff")
        csv.writer(buffer, lineterminator="\r\n").writerow([c.name for c in COLUMNS])
        path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


def _write_xlsx(path: Path, topics: list[str] | None) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    ideas = book.active
    assert ideas is not None
    ideas.title = "Ideas"
    lists = book.create_sheet(LIST_SHEET)
    lists.append(["column", "what it takes", "allowed values (label)", "stored value"])
    for cell in lists[1]:
        cell.font = Font(bold=True)
    list_row = 2
    for number, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(number)
        heading = ideas.cell(row=1, column=number, value=column.name)
        heading.font = Font(bold=True)
        heading.comment = Comment(f"{column.label}: {column.hint}", "meetingtui")
        ideas.column_dimensions[letter].width = 40 if column.name in ("title", "detail") else 18
        values = _values(column, topics)
        stored = list(column.allowed) if column.allowed else values
        lists.cell(row=list_row, column=1, value=column.name)
        lists.cell(row=list_row, column=2, value=column.hint)
        if not values:
            list_row += 1
            continue
        first = list_row
        for label, value in zip(values, stored, strict=True):
            lists.cell(row=list_row, column=3, value=label)
            lists.cell(row=list_row, column=4, value=value)
            list_row += 1
        if not column.many:
            # One value from the list: a drop-down (typing another is refused by Excel and
            # LibreOffice; the import checks again whatever wrote the file).
            choice = DataValidation(
                type="list",
                formula1=f"'{LIST_SHEET}'!$C${first}:$C${list_row - 1}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.label,
                error=f"Choose {column.label.lower()} from the list.",
            )
            ideas.add_data_validation(choice)
            choice.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    for letter, width in (("A", 14), ("B", 60), ("C", 32), ("D", 18)):
        lists.column_dimensions[letter].width = width
    ideas.freeze_panes = "A2"
    book.save(path)
