"""One organiser's session on a programme's catalogue: what the catalogue screen does, without
the screen.

Each method is one transaction calling the domain (catalogue_view, catalogue, lifecycle) and is
meant to run in a worker thread, never on the UI's event loop. Reads are for the organisers'
audience (domain/public.py): hidden and pending ideas show, marked; deleted ones never do.

Every review made here can be taken back once (``undo``): the session keeps what the ideas were
before, and undoing applies that as a new review, so the history shows both. Publishing cannot
be taken back (the public may have seen it): the screen asks first.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from meetingtui.domain import lifecycle, merging, public
from meetingtui.domain.catalogue import IdeaDetail, idea_detail
from meetingtui.domain.catalogue_refs import resolve_ref
from meetingtui.domain.catalogue_view import (
    CatalogueRow,
    CatalogueView,
    Facets,
    catalogue_count,
    catalogue_facets,
    catalogue_ids,
    catalogue_page,
)
from meetingtui.domain.errors import FieldErrors, NotFound
from meetingtui.domain.lifecycle import REASON_REQUIRED, Review, review_ideas
from meetingtui.domain.models import Idea
from meetingtui.domain.programmes import find_programme, programme_meeting_ids
from meetingtui.domain.public import Audience
from meetingtui.domain.states import IdeaStatus
from meetingtui.domain.vocab import IDEA_STATUSES
from meetingtui.domain.words import Action, counted, undone
from meetingtui.store.database import Database

AUDIENCE = Audience.ORGANISERS
SELECT_ALL_MAX = 5000  # "select every match" stops here: narrow the search for more


@dataclass(frozen=True)
class Page:
    """A page of the view: its rows, from ``offset``."""

    rows: list[CatalogueRow]
    offset: int


@dataclass(frozen=True)
class DetailRead:
    """The whole idea for the organisers, read in one transaction with what the public sees of
    its answer (the detail's record holds the organisers' working copy) and its moderation."""

    detail: IdeaDetail
    public_status: str
    public_reason: str
    public_response: str
    visibility: str


@dataclass(frozen=True)
class MergePreview:
    """A merge about to be confirmed: the idea kept and the ideas merged into it (ref title)."""

    target_id: uuid.UUID
    target: str
    sources: list[str]


@dataclass(frozen=True)
class _Before:
    status: str
    reason: str
    merged_into: uuid.UUID | None
    response: str
    reviewer: str


class CatalogueSession:
    """The catalogue of one programme for one organiser (``name`` is the history's "who" and
    the reviewer "my ideas" means)."""

    def __init__(self, database: Database, programme: str | None, name: str) -> None:
        self.database = database
        self.name = name
        with database.read() as session:
            found = find_programme(session, programme)
            self.programme_name = found.name
            self.meeting_ids = programme_meeting_ids(session, found)
        self._undo: tuple[str, dict[uuid.UUID, _Before]] | None = None
        # The undo of a merge or an unmerge is its reverse (domain/merging.py), kept here.
        self._undo_merge: Callable[[], str] | None = None
        self._lock = threading.Lock()

    # ---- reads ----------------------------------------------------------------------------

    def page(self, view: CatalogueView, offset: int, limit: int) -> Page:
        with self.database.read() as session:
            rows = catalogue_page(
                session, self.meeting_ids, view, offset=offset, limit=limit, audience=AUDIENCE
            )
        return Page(rows, offset)

    def counts(self, view: CatalogueView) -> tuple[int, lifecycle.NeedsAnswer]:
        """How many ideas the view matches, and the needs-an-answer counts of the programme."""
        with self.database.read() as session:
            waiting = lifecycle.needs_answer(session, self.meeting_ids, limit=0)
            if view == CatalogueView(needs_answer=True, sort=view.sort):
                return waiting.total, waiting  # the same ideas: counted once, from its index
            total = catalogue_count(session, self.meeting_ids, view, audience=AUDIENCE)
        return total, waiting

    def facets(self) -> Facets:
        with self.database.read() as session:
            return catalogue_facets(session, self.meeting_ids, audience=AUDIENCE)

    def detail(self, idea_id: uuid.UUID) -> DetailRead | None:
        """The whole idea for the organisers, or None once it is deleted."""
        with self.database.read() as session:
            idea = session.get(Idea, idea_id)
            if idea is None or idea.deleted_at is not None:
                return None
            return DetailRead(
                detail=idea_detail(session, idea, AUDIENCE),
                public_status=public.idea_status(idea, Audience.PUBLIC),
                public_reason=public.status_reason(idea, Audience.PUBLIC),
                public_response=public.idea_response(idea, Audience.PUBLIC),
                visibility=idea.visibility,
            )

    def every_match(self, view: CatalogueView) -> tuple[list[uuid.UUID], int]:
        """The ids of every match (at most ``SELECT_ALL_MAX``) and how many match in all."""
        with self.database.read() as session:
            ids = catalogue_ids(
                session, self.meeting_ids, view, limit=SELECT_ALL_MAX, audience=AUDIENCE
            )
            total = catalogue_count(session, self.meeting_ids, view, audience=AUDIENCE)
        return ids, total

    def merge_target(self, ref: str) -> uuid.UUID:
        with self.database.read() as session:
            programme = find_programme(session, self.programme_name)
            return resolve_ref(session, ref, programme=programme, audience=AUDIENCE).id

    # ---- the lifecycle --------------------------------------------------------------------

    def review(self, idea_ids: Sequence[uuid.UUID], review: Review) -> str:
        """Apply one review to the ideas (all or none); the sentence to show."""
        if review.status in REASON_REQUIRED and not (review.reason or "").strip():
            label = IDEA_STATUSES[review.status]
            raise FieldErrors(
                {"reason": f'"{label}" needs a public reason: say why, in words the public reads.'}
            )
        with self._lock, self.database.write() as session:
            before = {
                idea.id: _Before(
                    idea.status,
                    idea.status_reason,
                    idea.merged_into_id,
                    idea.response,
                    idea.reviewer,
                )
                for idea in lifecycle_ideas(session, idea_ids)
            }
            changed = review_ideas(session, idea_ids=idea_ids, review=review, actor=self.name)
            what = _described(review)
            self._undo, self._undo_merge = (what, before), None
        return f"{counted(len(changed), 'idea')}: {what}."

    # ---- merges and splits (domain/merging.py) ----------------------------------------------

    def merge_preview(self, idea_ids: Sequence[uuid.UUID], ref: str) -> MergePreview:
        """What merging these ideas into ``ref`` would do, or the refusal (nothing written)."""
        with self.database.read() as session:
            programme = find_programme(session, self.programme_name)
            target = resolve_ref(session, ref, programme=programme, audience=AUDIENCE)
            sources = lifecycle_ideas(session, idea_ids)
            problem = merging.check_target(session, target, sources)
            if problem:
                raise FieldErrors({"into": problem})
            return MergePreview(
                target_id=target.id,
                target=f"{target.ref} {target.title}",
                sources=[f"{idea.ref} {idea.title}" for idea in sources],
            )

    def merge(self, idea_ids: Sequence[uuid.UUID], into_id: uuid.UUID, reason: str = "") -> str:
        with self._lock, self.database.write() as session:
            merged = merging.merge_ideas(session, list(idea_ids), into_id, self.name, reason)
            target = session.get(Idea, into_id)
            refs = ", ".join(idea.ref for idea in merged)
            into = target.ref if target else "?"
        ids = [idea.id for idea in merged]
        action = Action("merging", f"{refs} into {into}")
        self._undo, self._undo_merge = None, lambda: self._unmerge_all(ids, action)
        return f"Merged {refs} into {into} (u undoes: unmerges them)."

    def _unmerge_all(self, idea_ids: Sequence[uuid.UUID], action: Action) -> str:
        with self.database.write() as session:
            for idea_id in idea_ids:
                merging.unmerge(session, idea_id, self.name)
        return undone(action)

    def unmerge(self, idea_id: uuid.UUID) -> str:
        with self._lock, self.database.write() as session:
            current = session.get(Idea, idea_id)
            target_id = current.merged_into_id if current is not None else None
            idea = merging.unmerge(session, idea_id, self.name)
            said = f"Unmerged {idea.ref}: {IDEA_STATUSES.get(idea.status, idea.status)} again"
            action = Action("unmerging", idea.ref)
        if target_id is not None:
            into = target_id

            def again() -> str:
                with self.database.write() as session:
                    merging.merge_ideas(session, [idea_id], into, self.name)
                return undone(action)

            self._undo, self._undo_merge = None, again
        return f"{said} (u undoes: merges it again)."

    def split(self, idea_id: uuid.UUID, titles: Sequence[str]) -> str:
        with self._lock, self.database.write() as session:
            parts = merging.split_idea(
                session, idea_id, [{"title": title} for title in titles], self.name
            )
            original = session.get(Idea, idea_id)
            said = (
                f"Split {original.ref if original else '?'} into "
                f"{', '.join(part.ref for part in parts)}; the original keeps its supports and "
                "comments (a split is not undone with u)."
            )
        self._undo = self._undo_merge = None
        return said

    def publish(self, idea_ids: Sequence[uuid.UUID]) -> str:
        with self._lock, self.database.write() as session:
            done = lifecycle.publish_answers(session, idea_ids=idea_ids, actor=self.name)
        self._undo = None  # the public has it now; an older undo would unpublish nothing
        return f"{counted(len(done), 'idea')} published: the public sees these answers now."

    def undo(self) -> str:
        """Take back the last review made here (as a new review, recorded in the history)."""
        if self._undo_merge is not None:
            reverse, self._undo_merge = self._undo_merge, None
            with self._lock:
                return reverse()
        with self._lock:
            if self._undo is None:
                return "Nothing to undo here (publishing cannot be undone)."
            what, before = self._undo
            groups: dict[_Before, list[uuid.UUID]] = {}
            for idea_id, state in before.items():
                groups.setdefault(state, []).append(idea_id)
            with self.database.write() as session:
                for state, ids in groups.items():
                    review_ideas(
                        session,
                        idea_ids=ids,
                        review=Review(
                            status=IdeaStatus(state.status),
                            reason=state.reason,
                            merged_into=state.merged_into,
                            response=state.response,
                            reviewer=state.reviewer,
                        ),
                        actor=self.name,
                    )
            self._undo = None
        return undone(Action("reviewing", f"{counted(len(before), 'idea')} ({what})"))

    def can_undo(self) -> bool:
        return self._undo is not None or self._undo_merge is not None


def catalogue_of_meeting(database: Database, meeting_id: uuid.UUID, name: str) -> CatalogueSession:
    """The catalogue of the programme a meeting belongs to (the console's ``C``)."""
    from meetingtui.domain.models import Meeting
    from meetingtui.domain.programmes import programme_of_meeting

    with database.read() as session:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None:
            raise NotFound("The meeting is gone.")
        programme = programme_of_meeting(session, meeting).name
    return CatalogueSession(database, programme, name)


def lifecycle_ideas(session, idea_ids: Sequence[uuid.UUID]) -> list[Idea]:  # noqa: ANN001
    """The ideas as they stand (NotFound for one deleted meanwhile: nothing is changed)."""
    wanted = list(dict.fromkeys(idea_ids))
    found = [session.get(Idea, i) for i in wanted]
    if any(idea is None or idea.deleted_at is not None for idea in found):
        raise NotFound("One of these ideas was deleted meanwhile; nothing was changed.")
    return [idea for idea in found if idea is not None]


def _described(review: Review) -> str:
    parts = []
    if review.status is not None:
        parts.append(f"status {IDEA_STATUSES[review.status].lower()}")
    if review.response is not None:
        parts.append("response saved as a draft" if review.response else "response cleared")
    if review.reviewer is not None:
        parts.append(f"reviewer {review.reviewer}" if review.reviewer else "reviewer removed")
    if review.publish:
        parts.append("published")
    return ", ".join(parts) or "nothing changed"
