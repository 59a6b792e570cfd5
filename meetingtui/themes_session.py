"""One organiser's session on a programme's themes: what the themes screen and the catalogue's
``t`` do, without the screens.

Each method is one transaction calling domain/themes.py, meant to run in a worker thread, never
on the UI's event loop; each change returns the sentence to show. Reads are the organisers'
(drafts, hidden and pending ideas counted).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from meetingtui.domain import themes
from meetingtui.domain.catalogue_refs import full_ref
from meetingtui.domain.errors import FieldErrors, NotFound
from meetingtui.domain.models import Programme, Theme
from meetingtui.domain.programmes import find_programme
from meetingtui.domain.public import Audience
from meetingtui.domain.supports import idea_support_counts
from meetingtui.domain.vocab import IDEA_STATUSES
from meetingtui.domain.words import counted
from meetingtui.store.database import Database

AUDIENCE = Audience.ORGANISERS


@dataclass(frozen=True)
class ThemeIdeaLine:
    id: uuid.UUID
    full_ref: str
    title: str
    status: str  # its label
    channel: str
    stakeholder: str
    supports: int


@dataclass(frozen=True)
class ThemeRead:
    """A theme as the themes screen shows it: the row (with its working and published copies),
    its counts and its ideas."""

    theme: Theme
    overview: themes.ThemeOverview
    ideas: list[ThemeIdeaLine]
    draft: bool  # unpublished work


class ThemesSession:
    def __init__(self, database: Database, programme: str, name: str) -> None:
        self.database = database
        self.programme_name = programme
        self.name = name

    @classmethod
    def of(cls, catalogue: Any) -> ThemesSession:
        """The themes of a catalogue session's programme, by the same organiser."""
        return cls(catalogue.database, catalogue.programme_name, catalogue.name)

    def _programme(self, session) -> Programme:  # noqa: ANN001
        return find_programme(session, self.programme_name)

    @staticmethod
    def _theme(session, theme_id: uuid.UUID) -> Theme:  # noqa: ANN001
        theme = session.get(Theme, theme_id)
        if theme is None:
            raise NotFound("That theme was deleted (by someone else?): reload with ctrl+r.")
        return theme

    # ---- reads ----------------------------------------------------------------------------

    def overviews(self) -> list[themes.ThemeOverview]:
        with self.database.read() as session:
            found = themes.theme_overviews(session, self._programme(session), AUDIENCE)
            for overview in found:
                session.expunge(overview.theme)
            return found

    def names(self) -> list[str]:
        with self.database.read() as session:
            return [t.name for t in themes.list_themes(session, self._programme(session), AUDIENCE)]

    def read(self, theme_id: uuid.UUID) -> ThemeRead:
        with self.database.read() as session:
            theme = self._theme(session, theme_id)
            overview = themes.theme_overview(session, theme, AUDIENCE)
            listed = themes.theme_ideas(session, theme, AUDIENCE)
            supports = idea_support_counts(
                session,
                [idea.id for idea, _ in listed],
                AUDIENCE,
                own={idea.id: idea.support_count for idea, _ in listed},
            )
            lines = [
                ThemeIdeaLine(
                    id=idea.id,
                    full_ref=full_ref(code, idea.ref),
                    title=idea.title,
                    status=IDEA_STATUSES.get(idea.status, idea.status),
                    channel=idea.channel,
                    stakeholder=idea.stakeholder,
                    supports=supports[idea.id],
                )
                for idea, code in listed
            ]
            draft = themes.has_draft(theme)
            session.expunge(theme)
        return ThemeRead(theme, overview, lines, draft)

    def suggestions(
        self,
        progress: Callable[[int, int, str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[themes.Suggestion]:
        with self.database.read() as session:
            return themes.suggest_themes(
                session, self._programme(session), progress=progress, cancelled=cancelled
            )

    # ---- changes --------------------------------------------------------------------------

    def assign(self, name: str, idea_ids: Sequence[uuid.UUID]) -> str:
        """Put the ideas in the theme called ``name``, made first when there is none."""
        wanted = " ".join(name.split())
        if not wanted:
            raise FieldErrors({"name": "Choose a theme, or type a new theme's name."})
        with self.database.write() as session:
            programme = self._programme(session)
            made = False
            try:
                theme = themes.find_theme(session, programme, wanted)
            except NotFound:
                theme = themes.add_theme(session, programme=programme, name=wanted, actor=self.name)
                made = True
            added = themes.assign_ideas(session, theme=theme, idea_ids=idea_ids, actor=self.name)
            title = theme.name
        already = len(set(idea_ids)) - added
        note = f" ({counted(already, 'idea')} already in it)" if already else ""
        start = f"New theme '{title}': " if made else f"Theme '{title}': "
        return f"{start}{counted(added, 'idea')} added{note}."

    def unassign(self, theme_id: uuid.UUID, idea_ids: Sequence[uuid.UUID]) -> str:
        with self.database.write() as session:
            theme = self._theme(session, theme_id)
            removed = themes.unassign_ideas(
                session, theme=theme, idea_ids=idea_ids, actor=self.name
            )
            return f"{counted(removed, 'idea')} taken out of '{theme.name}' (the ideas stay)."

    def edit(self, theme_id: uuid.UUID, summary: str, response: str) -> str:
        with self.database.write() as session:
            theme = self._theme(session, theme_id)
            themes.edit_theme(
                session, theme=theme, summary=summary, response=response, actor=self.name
            )
            return f"Theme '{theme.name}' saved (a draft until published: p)."

    def publish(self, theme_id: uuid.UUID) -> str:
        with self.database.write() as session:
            theme = self._theme(session, theme_id)
            themes.publish_theme(session, theme=theme, actor=self.name)
            return f"Theme '{theme.name}' published: the public sees it and its response now."

    def rename(self, theme_id: uuid.UUID, name: str) -> str:
        with self.database.write() as session:
            theme = self._theme(session, theme_id)
            before = theme.name
            themes.rename_theme(session, theme=theme, name=name, actor=self.name)
            return f"Theme '{before}' renamed '{theme.name}'."

    def delete(self, theme_id: uuid.UUID) -> str:
        with self.database.write() as session:
            theme = self._theme(session, theme_id)
            name = theme.name
            count = themes.delete_theme(session, theme=theme, actor=self.name)
        return f"Theme '{name}' deleted; its {counted(count, 'idea')} are kept."

    def accept(self, suggestion: themes.Suggestion, name: str | None = None) -> str:
        with self.database.write() as session:
            theme = themes.accept_suggestion(
                session,
                programme=self._programme(session),
                suggestion=suggestion,
                name=name,
                actor=self.name,
            )
            return f"New theme '{theme.name}' with {counted(len(suggestion.ideas), 'idea')}."

    def reject(self, suggestion: themes.Suggestion) -> str:
        with self.database.write() as session:
            themes.reject_suggestion(
                session, programme=self._programme(session), suggestion=suggestion, actor=self.name
            )
        return f"Suggestion '{suggestion.name}' rejected: it will not be suggested again."
