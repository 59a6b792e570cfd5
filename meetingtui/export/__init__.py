"""Minutes and data exports. Content is gathered once (``minutes.build_minutes``) and rendered
per format, so every format says the same thing."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlmodel import Session

from meetingtui.export.markdown import render_markdown
from meetingtui.export.minutes import Minutes, build_minutes

RENDERERS: dict[str, tuple[Callable[[Minutes], str], str]] = {
    "md": (render_markdown, ".md"),
}


def export_meeting(session: Session, meeting_id: uuid.UUID, fmt: str) -> str:
    render, _suffix = RENDERERS[fmt]
    return render(build_minutes(session, meeting_id))


__all__ = ["RENDERERS", "export_meeting"]
