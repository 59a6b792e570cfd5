"""Agenda problems that name the file, the line and the field, so they can be fixed in an editor."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AgendaProblem:
    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class AgendaError(Exception):
    """Every problem found in one agenda file (we report them all, not just the first)."""

    def __init__(self, problems: list[AgendaProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
