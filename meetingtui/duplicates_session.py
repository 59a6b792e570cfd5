"""One organiser's work on a programme's possible duplicates: what the duplicates screen and
``meetingtui duplicates`` do, without the screen (each method one transaction, meant for a
worker thread)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from meetingtui.domain import duplicates
from meetingtui.domain.duplicates import Cancelled, DuplicateReport, Progress
from meetingtui.domain.words import counted
from meetingtui.store.database import Database


class DuplicatesSession:
    def __init__(self, database: Database, meeting_ids: Sequence[uuid.UUID], name: str) -> None:
        self.database = database
        self.meeting_ids = list(meeting_ids)
        self.name = name

    def search(
        self,
        threshold: float = duplicates.DEFAULT_THRESHOLD,
        *,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> DuplicateReport:
        with self.database.read() as session:
            return duplicates.find_duplicates(
                session,
                self.meeting_ids,
                threshold=threshold,
                progress=progress,
                cancelled=cancelled,
            )

    def dismiss(self, pairs: Iterable[tuple[uuid.UUID, uuid.UUID]], reason: str = "") -> str:
        with self.database.write() as session:
            made = duplicates.dismiss_pairs(session, pairs, actor=self.name, reason=reason)
        return f"{counted(made, 'pair')} dismissed: not shown as duplicates again."

    def merge(self, source_ids: Sequence[uuid.UUID], into_id: uuid.UUID) -> str:
        with self.database.write() as session:
            merged = duplicates.merge_duplicates(session, source_ids, into_id, self.name)
        return f"{counted(len(merged), 'idea')} merged."
