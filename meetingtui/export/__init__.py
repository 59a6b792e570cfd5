"""Minutes and data exports. Content is gathered once (``minutes.build_minutes``) and rendered
per format, so every format says the same thing. Renderers are imported on first use: the Word
and HTML libraries are not needed to print Markdown."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from sqlmodel import Session

from meetingtui.domain.errors import DomainError
from meetingtui.domain.public import Audience
from meetingtui.domain.states import MeetingKind
from meetingtui.export.minutes import Minutes, build_minutes


@dataclass(frozen=True)
class ExportFormat:
    name: str
    suffix: str
    module: str
    function: str
    binary: bool = False
    description: str = ""

    def renderer(self) -> Callable[[Minutes], str | bytes]:
        return getattr(import_module(self.module), self.function)


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat(
            "md",
            ".md",
            "meetingtui.export.markdown",
            "render_markdown",
            description="Markdown minutes",
        ),
        ExportFormat(
            "html",
            ".html",
            "meetingtui.export.html_page",
            "render_html",
            description="one self-contained web page, printable to PDF",
        ),
        ExportFormat(
            "docx",
            ".docx",
            "meetingtui.export.word",
            "render_docx",
            binary=True,
            description="Word document",
        ),
        ExportFormat(
            "csv",
            ".csv",
            "meetingtui.export.csv_table",
            "render_csv",
            description="one row per idea, for spreadsheets",
        ),
        ExportFormat(
            "json",
            ".json",
            "meetingtui.export.json_data",
            "render_json",
            description="the whole public record, see schema/meeting.schema.json",
        ),
    )
}


def render_minutes(minutes: Minutes, fmt: str) -> str | bytes:
    return FORMATS[fmt].renderer()(minutes)


def export_meeting(
    session: Session, meeting_id: uuid.UUID, fmt: str, *, audience: Audience = Audience.PUBLIC
) -> str | bytes:
    """The meeting's minutes in ``fmt``: the public record, or with ``Audience.ORGANISERS`` the
    organisers' copy with every name, marked "Not for publication" in every format.

    The record of ideas received outside meetings (an intake record) has no minutes: its
    ideas' data only (``csv``, ``json``); another format is a DomainError saying so."""
    minutes = build_minutes(session, meeting_id, audience=audience)
    if minutes.kind == MeetingKind.INTAKE and fmt not in DATA_FORMATS:
        raise DomainError(
            f"{minutes.code} holds the ideas received outside meetings: it has no minutes. "
            "Export its ideas with --format csv or json, or list them with "
            f"`meetingtui ideas --meeting {minutes.code}`."
        )
    return render_minutes(minutes, fmt)


DATA_FORMATS = ("csv", "json")


__all__ = ["FORMATS", "ExportFormat", "export_meeting", "render_minutes"]
