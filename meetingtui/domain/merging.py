"""Merges that never delete, unmerges, and splits.

**Merge** A (and more) into B: A keeps every word, comment and support of its own; its status
becomes "merged" with ``merged_into_id`` = B, and what it was before (status, reason, answer,
published copy) is kept in an ``IdeaMerge`` row so ``unmerge`` restores it exactly. A merge is a
fact about where an idea went, not a drafted answer: it is public at once (A's published status
becomes "merged", with the reason "Merged into CODE/I-0002"), so A's page says where it went
and both refs keep resolving. B lists its sources; B's support count is the number of distinct
devices supporting B or any idea merged into it (a device that supported both counts once):
domain/supports.py's ``idea_support_counts``, the one count every surface shows. A merged idea
takes no new support (``toggle_support`` refuses it, naming the idea kept).

Rules (one rule for ``merge_ideas`` and ``respond --status merged``, domain/lifecycle.py calls
``check_target``): the target must exist, be visible to the public, not be merged itself
(merge into the idea it joined), belong to the same programme, and not be one of the sources.
Merging an idea that has sources of its own (B into C) **moves** B's sources on to C, so
there are never chains; unmerging B brings those sources back to B.

**Split** one idea into several new ideas: each part keeps the origin (meeting, agenda item,
channel, stakeholder, who raised it and their consent, organisation, when it was captured,
moderation state) and says "split from I-0042"; the original keeps its status, supports and
comments and says "split into I-0101, I-0102".

Every merge, unmerge and split is a history entry of each idea involved, public at once
(``IdeaChange.published_at``), and a feed event.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from meetingtui.domain import public
from meetingtui.domain.catalogue_refs import full_ref
from meetingtui.domain.errors import DomainError, FieldErrors, NotFound
from meetingtui.domain.feed import record_event
from meetingtui.domain.ideas import format_ref, next_idea_seq, open_meeting
from meetingtui.domain.models import Comment, Idea, IdeaChange, IdeaMerge, Meeting, utcnow
from meetingtui.domain.public import Audience
from meetingtui.domain.states import IdeaStatus
from meetingtui.domain.supports import idea_support_count
from meetingtui.domain.text import clean_text, is_blank
from meetingtui.domain.text_fold import fold

TITLE_MAX = 120
DETAIL_MAX = 4000
PARTS_MAX = 20


class MergeField:
    """``IdeaChange.field`` of merge and split entries (status entries use ``status``)."""

    MERGE = "merge"  # on the target: a source joined (to) or left (from)
    SPLIT = "split"  # on the original: its parts (to); on a part: the original (from)


# ---------------------------------------------------------------------------- rules


def _load(session: Session, idea_id: uuid.UUID) -> Idea:
    idea = session.get(Idea, idea_id)
    if idea is None or idea.deleted_at is not None:
        raise NotFound(f"No such idea: {idea_id}.")
    return idea


def _code(session: Session, idea: Idea) -> str:
    return session.exec(select(Meeting.code).where(Meeting.id == idea.meeting_id)).one()


def _name(session: Session, idea: Idea) -> str:
    return full_ref(_code(session, idea), idea.ref)


def _programmes(session: Session, ideas: Sequence[Idea]) -> set[uuid.UUID | None]:
    ids = {idea.meeting_id for idea in ideas}
    return set(session.exec(select(Meeting.programme_id).where(col(Meeting.id).in_(ids))))


def check_target(session: Session, target: Idea | None, sources: Sequence[Idea]) -> str:
    """Why these ideas cannot be merged into ``target`` ("" when they can): the one rule."""
    if target is None or target.deleted_at is not None:
        return "Name the idea these are merged into."
    if not public.idea_visible(target, Audience.PUBLIC):  # the public would follow a dead ref
        return (
            f"{target.ref} is hidden or waiting for moderation, so the public cannot see it: "
            "merge into an idea the public can see."
        )
    if any(idea.id == target.id for idea in sources):
        return "An idea cannot be merged into itself."
    if target.status == IdeaStatus.MERGED:
        joined = session.get(Idea, target.merged_into_id) if target.merged_into_id else None
        where = f" ({joined.ref})" if joined is not None else ""
        return f"{target.ref} is itself merged: merge into the idea it joined{where}."
    if len(_programmes(session, [target, *sources])) > 1:
        return "Merge only ideas of the same programme."
    return ""


def _history(
    session: Session,
    idea: Idea,
    field_name: str,
    before: str,
    after: str,
    reason: str,
    actor: str,
    *,
    public_now: bool = True,
    naming: Idea | None = None,
) -> IdeaChange:
    """A history entry, public at once unless it names (``naming``) an idea the public may not
    see: a pending or hidden source merged into a public idea leaves no public trace on it."""
    if naming is not None and not public.idea_visible(naming, Audience.PUBLIC):
        public_now = False
    change = IdeaChange(
        idea_id=idea.id,
        meeting_id=idea.meeting_id,
        actor=clean_text(actor)[:120],
        field=field_name,
        from_value=before,
        to_value=after,
        reason=reason,
    )
    if public_now:
        change.published_at = change.at
    session.add(change)
    return change


def _event(session: Session, idea: Idea, kind: str, actor: str, **detail: object) -> None:
    record_event(
        session,
        kind=kind,
        meeting_id=idea.meeting_id,
        entity="idea",
        entity_id=idea.id,
        actor=actor,
        detail={"ref": idea.ref, **detail},
    )


def _open_merge(session: Session, source: Idea) -> IdeaMerge | None:
    query = select(IdeaMerge).where(
        IdeaMerge.source_id == source.id, col(IdeaMerge.undone_at).is_(None)
    )
    return session.exec(query.order_by(col(IdeaMerge.at).desc())).first()


def _current_sources(session: Session, target_id: uuid.UUID) -> list[Idea]:
    query = select(Idea).where(
        Idea.merged_into_id == target_id,
        Idea.status == IdeaStatus.MERGED,
        col(Idea.deleted_at).is_(None),
    )
    return list(session.exec(query.order_by(col(Idea.captured_at), col(Idea.seq))))


def _move_sources(session: Session, source: Idea, target: Idea, actor: str, row: IdeaMerge) -> None:
    """``source`` joins ``target``: the ideas merged into ``source`` move on to ``target``
    (no chains), listed on the merge row so unmerging ``source`` brings them back."""
    moved = _current_sources(session, source.id)
    for idea in moved:
        idea.merged_into_id = target.id
        earlier = _open_merge(session, idea)
        if earlier is not None:
            earlier.target_id = target.id
        name = _name(session, idea)
        moved_on = f"moved on to {target.ref}"
        _history(session, source, MergeField.MERGE, name, "", moved_on, actor, naming=idea)
        _history(
            session, target, MergeField.MERGE, "", name, f"via {source.ref}", actor, naming=idea
        )
        _event(session, idea, "idea.merged", actor, into=target.ref)
    row.moved_sources = json.dumps([str(idea.id) for idea in moved])


def record_merge(
    session: Session, source: Idea, target: Idea, *, reason: str, actor: str
) -> IdeaMerge:
    """Keep what ``source`` is now (called before its status changes to merged), and move its
    own sources on to ``target``. Used by ``merge_ideas`` and by a review that sets "merged"."""
    row = IdeaMerge(
        source_id=source.id,
        target_id=target.id,
        actor=clean_text(actor)[:120],
        reason=reason,
        before_status=source.status,
        before_reason=source.status_reason,
        before_response=source.response,
        before_public_status=source.public_status,
        before_public_reason=source.public_reason,
    )
    session.add(row)
    _move_sources(session, source, target, actor, row)
    return row


def close_merge(session: Session, source: Idea, actor: str) -> None:
    """A review moved ``source`` out of "merged": its merge row is closed (kept)."""
    row = _open_merge(session, source)
    if row is not None:
        row.undone_at = utcnow()
        row.undone_by = clean_text(actor)[:120]


# ---------------------------------------------------------------------------- merge


def merge_ideas(
    session: Session,
    source_ids: Sequence[uuid.UUID],
    into_id: uuid.UUID,
    actor: str = "",
    reason: str = "",
) -> list[Idea]:
    """Merge every source into ``into_id``; all or (raising, nothing written) none.

    The sources stay readable and public as "merged into" the target; see the module's rules.
    Returns the sources as they now are."""
    wanted = list(dict.fromkeys(source_ids))
    if not wanted:
        raise DomainError("Name at least one idea to merge.")
    sources = [_load(session, idea_id) for idea_id in wanted]
    target = session.get(Idea, into_id)
    problem = check_target(session, target, sources)
    if not problem:
        already = [idea.ref for idea in sources if idea.status == IdeaStatus.MERGED]
        if already:
            problem = f"{', '.join(already)} already merged: unmerge first to merge it elsewhere."
    if problem:
        raise FieldErrors({"merged_into": problem})
    assert target is not None
    written = clean_text(reason, multiline=True)[:2000]
    # The reason always names the target, so every export (minutes, CSV, JSON, report) that
    # shows the status and its reason says where the idea went.
    given = f"Merged into {_name(session, target)}" + (f": {written}" if written else "")
    now = utcnow()
    for source in sources:
        record_merge(session, source, target, reason=given, actor=actor)
        _history(session, source, "status", source.status, IdeaStatus.MERGED, given, actor)
        source.status, source.status_reason = IdeaStatus.MERGED, given
        source.public_status, source.public_reason = IdeaStatus.MERGED, given
        source.merged_into_id = target.id
        source.published_at = source.published_at or now
        source.updated_at = now
        _history(
            session,
            target,
            MergeField.MERGE,
            "",
            _name(session, source),
            written,
            actor,
            naming=source,
        )
        _event(session, source, "idea.merged", actor, into=target.ref)
    target.updated_at = now
    _event(session, target, "idea.merge_target", actor, sources=[s.ref for s in sources])
    session.flush()
    return sources


def unmerge(session: Session, idea_id: uuid.UUID, actor: str = "") -> Idea:
    """Restore a merged idea exactly as it was before its merge (status, reason, answer and
    published copy); its former target's sources and counts follow from that. Ideas this one's
    merge had moved on come back to it."""
    source = _load(session, idea_id)
    if source.status != IdeaStatus.MERGED or source.merged_into_id is None:
        raise DomainError(f"{source.ref} is not merged into another idea.")
    target = session.get(Idea, source.merged_into_id)
    assert target is not None
    row = _open_merge(session, source)
    now = utcnow()
    before_status = row.before_status if row else IdeaStatus.UNDER_REVIEW
    if before_status == IdeaStatus.MERGED:
        before_status = IdeaStatus.UNDER_REVIEW
    why = f"Unmerged from {_name(session, target)}"
    _history(session, source, "status", IdeaStatus.MERGED, before_status, why, actor)
    source.status = before_status
    source.merged_into_id = None
    if row is not None:
        source.status_reason, source.response = row.before_reason, row.before_response
        source.public_status = row.before_public_status
        source.public_reason = row.before_public_reason
        row.undone_at, row.undone_by = now, clean_text(actor)[:120]
        for moved_id in json.loads(row.moved_sources or "[]"):
            moved = session.get(Idea, uuid.UUID(moved_id))
            if moved is None or moved.merged_into_id != target.id:
                continue  # unmerged or moved since: left where it is now
            moved.merged_into_id = source.id
            earlier = _open_merge(session, moved)
            if earlier is not None:
                earlier.target_id = source.id
            name = _name(session, moved)
            back = f"back to {source.ref}"
            _history(session, target, MergeField.MERGE, name, "", back, actor, naming=moved)
            _history(session, source, MergeField.MERGE, "", name, "", actor, naming=moved)
            _event(session, moved, "idea.merged", actor, into=source.ref)
    else:
        source.status_reason = ""
        source.public_status, source.public_reason = before_status, ""
    source.updated_at = target.updated_at = now
    _history(
        session,
        target,
        MergeField.MERGE,
        _name(session, source),
        "",
        "unmerged",
        actor,
        naming=source,
    )
    _event(session, source, "idea.unmerged", actor, from_=target.ref)
    _event(session, target, "idea.merge_target", actor, left=[source.ref])
    session.flush()
    return source


# ---------------------------------------------------------------------------- split


def split_idea(
    session: Session,
    idea_id: uuid.UUID,
    parts: Sequence[dict[str, str]],
    actor: str = "",
) -> list[Idea]:
    """Split one idea into new ideas (``parts``: ``{"title": …, "detail": …}``, two or more),
    each keeping the original's origin. The original keeps its status, supports and comments.
    Returns the new ideas."""
    original = _load(session, idea_id)
    errors: dict[str, str] = {}
    cleaned: list[tuple[str, str]] = []
    if original.status == IdeaStatus.MERGED:
        errors["idea"] = f"{original.ref} is merged: unmerge it before splitting it."
    if len(parts) < 2:
        errors["parts"] = "Split into two ideas or more: give a title for each."
    if len(parts) > PARTS_MAX:
        errors["parts"] = f"Split into at most {PARTS_MAX} ideas at once."
    first_with: dict[str, int] = {}  # a part's title as compared -> the first part with it
    for number, given in enumerate(parts, start=1):
        title = clean_text(given.get("title", ""))
        detail = clean_text(given.get("detail", "") or "", multiline=True)
        # Two parts saying the same ("Buses", "buses!") split nothing: two copies of one idea.
        same = first_with.setdefault(fold(title) or title, number)
        if is_blank(title):
            errors[f"part {number}"] = f"Part {number} needs a title."
        elif same != number:
            errors[f"part {number}"] = (
                f"Parts {same} and {number} have the same title (“{title}”): give each part "
                "its own title."
            )
        elif len(title) > TITLE_MAX:
            errors[f"part {number}"] = f"Part {number}'s title is over {TITLE_MAX} characters."
        elif len(detail) > DETAIL_MAX:
            errors[f"part {number}"] = f"Part {number}'s detail is over {DETAIL_MAX} characters."
        cleaned.append((title, detail))
    if errors:
        raise FieldErrors(errors)
    open_meeting(session, original.meeting_id, from_public=False)
    made: list[Idea] = []
    for title, detail in cleaned:
        seq = next_idea_seq(session, original.meeting_id)
        part = Idea(
            ref=format_ref(seq),
            seq=seq,
            meeting_id=original.meeting_id,
            agenda_item_id=original.agenda_item_id,
            title=title,
            detail=detail,
            raised_by=original.raised_by,
            organisation=original.organisation,
            publish_name=original.publish_name,
            stakeholder=original.stakeholder,
            channel=original.channel,
            topic=original.topic,
            tags=original.tags,
            scale=original.scale,
            benefits=original.benefits,
            affects=original.affects,
            captured_by=original.captured_by,
            captured_at=original.captured_at,
            visibility=original.visibility,
            device=original.device,
            split_from_id=original.id,
        )
        session.add(part)
        session.flush()
        made.append(part)
    name = _name(session, original)
    refs = ", ".join(part.ref for part in made)
    _history(session, original, MergeField.SPLIT, "", refs, "", actor)
    for part in made:
        _history(session, part, MergeField.SPLIT, name, part.ref, "", actor)
        _event(session, part, "idea.captured", actor, channel=part.channel, split_from=name)
    original.updated_at = utcnow()
    _event(session, original, "idea.split", actor, into=[part.ref for part in made])
    session.flush()
    return made


# ---------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class IdeaLink:
    """Another idea named on a page: its meeting's code, its ref and title."""

    code: str
    ref: str
    title: str

    @property
    def full_ref(self) -> str:
        return full_ref(self.code, self.ref)


@dataclass(frozen=True)
class MergeSource(IdeaLink):
    channel: str = ""
    stakeholder: str = ""
    meeting_title: str = ""
    raised_by: str = ""  # only with consent, for the public


@dataclass(frozen=True)
class SourceComment:
    ref: str  # the source it was made on ("on I-0042")
    body: str
    author: str
    created_at: object


@dataclass(frozen=True)
class MergeView:
    """What an audience may see of an idea's merges and splits."""

    merged_into: IdeaLink | None = None
    merged_into_id: uuid.UUID | None = None  # that idea's id, to show its outcome
    sources: list[MergeSource] = field(default_factory=list)
    split_from: IdeaLink | None = None
    split_into: list[IdeaLink] = field(default_factory=list)
    supports: int = 0  # domain/supports.py's one count: the idea and its listed sources
    source_comments: list[SourceComment] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.merged_into or self.sources or self.split_from or self.split_into)


def _links(session: Session, ideas: Sequence[Idea]) -> dict[uuid.UUID, Meeting]:
    ids = {idea.meeting_id for idea in ideas}
    if not ids:
        return {}
    return {m.id: m for m in session.exec(select(Meeting).where(col(Meeting.id).in_(ids)))}


def listed_sources(session: Session, idea_id: uuid.UUID, audience: Audience) -> list[Idea]:
    """The ideas merged into this one that ``audience`` may see listed (domain/public.py)."""
    query = select(Idea).where(Idea.merged_into_id == idea_id, col(Idea.deleted_at).is_(None))
    rows = session.exec(query.order_by(col(Idea.captured_at), col(Idea.seq))).all()
    return [idea for idea in rows if public.merge_source_listed(idea, audience)]


def merge_view(session: Session, idea: Idea, audience: Audience) -> MergeView:
    """The idea's merges and splits as ``audience`` may see them."""
    sources = listed_sources(session, idea.id, audience)
    target = (
        session.get(Idea, idea.merged_into_id)
        if idea.merged_into_id and public.merge_shown(idea, audience)
        else None
    )
    if target is not None and not public.merge_target_shown(target, audience):
        target = None
    origin = session.get(Idea, idea.split_from_id) if idea.split_from_id else None
    if origin is not None and not public.split_part_listed(origin, audience):
        origin = None
    parts = [
        part
        for part in session.exec(
            select(Idea).where(Idea.split_from_id == idea.id).order_by(col(Idea.seq))
        )
        if public.split_part_listed(part, audience)
    ]
    others = [i for i in (target, origin, *sources, *parts) if i is not None]
    meetings = _links(session, others)

    def link(other: Idea) -> IdeaLink:
        return IdeaLink(meetings[other.meeting_id].code, other.ref, other.title)

    comments: list[SourceComment] = []
    if sources:
        by_id = {source.id: source for source in sources}
        for comment in session.exec(
            select(Comment)
            .where(
                col(Comment.idea_id).in_(list(by_id)),
                *public.comment_filter(audience, idea_checked=True),
            )
            .order_by(col(Comment.created_at), col(Comment.id))
        ):
            comments.append(
                SourceComment(
                    ref=by_id[comment.idea_id].ref,
                    body=comment.body,
                    author=public.comment_author(comment.author, audience),
                    created_at=comment.created_at,
                )
            )
    return MergeView(
        merged_into=link(target) if target is not None else None,
        merged_into_id=target.id if target is not None else None,
        sources=[
            MergeSource(
                meetings[s.meeting_id].code,
                s.ref,
                s.title,
                channel=s.channel,
                stakeholder=s.stakeholder,
                meeting_title=meetings[s.meeting_id].title,
                raised_by=public.raised_by(s, audience),
            )
            for s in sources
        ],
        split_from=link(origin) if origin is not None else None,
        split_into=[link(part) for part in parts],
        supports=idea_support_count(session, idea.id, audience),
        source_comments=comments,
    )
