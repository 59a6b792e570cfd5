"""What the console says when a worker fails: one sentence, never a traceback or SQL.

A worker's exception may be a domain refusal (its message is written for people), a storage
failure (explained as one sentence by ``store.errors``), or a bug. ``str()`` of a SQLAlchemy
error carries the statement and its parameters, and of a bug the internals; neither may reach
the screen, so both become a plain sentence and the details go to the log.
"""

from __future__ import annotations

from meetingtui.domain.errors import DomainError
from meetingtui.store.errors import storage_failure


def failure_text(error: BaseException | None, doing: str = "do that") -> str:
    """The sentence for ``error`` met while trying to ``doing`` (e.g. "save the idea")."""
    if isinstance(error, DomainError):
        return str(error)
    if error is not None and (plain := storage_failure(error)) is not None:
        return f"Could not {doing}: {plain}"
    return f"Could not {doing}: something went wrong (details are in the log). Nothing was lost."
