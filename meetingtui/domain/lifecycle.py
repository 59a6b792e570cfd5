"""The lifecycle of an idea after its meeting: review, decision, answer, publication.

Status moves new → under review → adopted · adapted · not taken forward · merged. "Adapted" and
"not taken forward" need a public reason: people are owed the why when their idea was changed
or not taken up. The answer ("you said, we did") is written as a draft; the public sees the
status, reason and answer only once they are published (``publish``), as a copy made at that
moment (``Idea.public_*``), so later drafting never shows until published again. Every change
is an entry in the idea's history (who, when, from → to, reason); publishing adds entries
from what the public saw to what it now sees, and only those (and plan links) are public.

Every function takes many ideas and either changes all of them or, raising, none: everything is
checked before the first write, and the caller's transaction holds the rest. Each changed idea
gets a feed event so every console and process sees the change.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import case, literal_column
from sqlmodel import Session, col, func, select

from meetingtui.domain.errors import DomainError, FieldErrors, NotFound
from meetingtui.domain.feed import record_event
from meetingtui.domain.models import Idea, IdeaChange, Meeting, utcnow
from meetingtui.domain.public import Audience, change_filter, idea_filter
from meetingtui.domain.states import IdeaStatus
from meetingtui.domain.text import clean_text

REASON_REQUIRED = frozenset({IdeaStatus.ADAPTED, IdeaStatus.NOT_TAKEN_FORWARD})
REASON_MAX = 2000
RESPONSE_MAX = 4000
REVIEWER_MAX = 120


class ChangeField:
    """What a history entry changed (``IdeaChange.field``)."""

    STATUS = "status"
    RESPONSE = "response"
    REVIEWER = "reviewer"
    PLAN = "plan"


@dataclass(frozen=True)
class Review:
    """One decision to apply to ideas; ``None`` leaves that part as it is."""

    status: IdeaStatus | None = None
    reason: str | None = None
    response: str | None = None
    reviewer: str | None = None
    merged_into: uuid.UUID | None = None
    publish: bool = False


def _load(session: Session, idea_ids: Sequence[uuid.UUID]) -> list[Idea]:
    """The ideas, in the order asked, each once; NotFound (nothing loaded is changed) if any is
    missing or deleted."""
    wanted = list(dict.fromkeys(idea_ids))
    if not wanted:
        raise DomainError("Name at least one idea.")
    rows = session.exec(select(Idea).where(col(Idea.id).in_(wanted))).all()
    by_id = {idea.id: idea for idea in rows if idea.deleted_at is None}
    missing = [str(i) for i in wanted if i not in by_id]
    if missing:
        raise NotFound(f"No such idea: {', '.join(missing)}.")
    return [by_id[i] for i in wanted]


def _check(review: Review, ideas: list[Idea], session: Session) -> tuple[str, str, str]:
    """The review's text cleaned, or FieldErrors naming what is wrong (nothing written)."""
    errors: dict[str, str] = {}
    reason = clean_text(review.reason or "", multiline=True)
    response = clean_text(review.response or "", multiline=True)
    reviewer = clean_text(review.reviewer or "")
    if review.status in REASON_REQUIRED and not all(
        _reason_for(idea, review, reason) for idea in ideas
    ):
        label = review.status.replace("-", " ")
        errors["reason"] = f'"{label}" needs a public reason: say why (--reason).'
    if len(reason) > REASON_MAX:
        errors["reason"] = f"The reason must be at most {REASON_MAX} characters."
    if len(response) > RESPONSE_MAX:
        errors["response"] = f"The response must be at most {RESPONSE_MAX} characters."
    if len(reviewer) > REVIEWER_MAX:
        errors["reviewer"] = f"The reviewer's name must be at most {REVIEWER_MAX} characters."
    if len(_programmes(session, ideas)) > 1:  # programmes stay apart, batches too
        errors["ideas"] = (
            "These ideas are in different programmes: answer one programme at a time (--programme)."
        )
    if review.status is IdeaStatus.MERGED:
        from meetingtui.domain.merging import check_target  # one rule for every merge

        target = session.get(Idea, review.merged_into) if review.merged_into else None
        moving = [idea for idea in ideas if idea.merged_into_id != review.merged_into]
        problem = check_target(session, target, moving or ideas)
        if problem:
            errors["merged_into"] = problem
        elif target is not None and not reason:  # the public reason says where it went
            code = session.exec(select(Meeting.code).where(Meeting.id == target.meeting_id))
            reason = f"Merged into {code.one()}/{target.ref}"
    elif review.merged_into is not None:
        errors["merged_into"] = "Only a merged idea is merged into another."
    if errors:
        raise FieldErrors(errors)
    return reason, response, reviewer


def _programmes(session: Session, ideas: list[Idea]) -> set[uuid.UUID]:
    """The programmes of these ideas (a meeting with none recorded is in the default one)."""
    from meetingtui.domain.programmes import DEFAULT_PROGRAMME, programme_key

    meeting_ids = {idea.meeting_id for idea in ideas}
    query = select(Meeting.programme_id).where(col(Meeting.id).in_(meeting_ids))
    default = programme_key(DEFAULT_PROGRAMME)
    return {programme_id or default for programme_id in session.exec(query)}


def _reason_for(idea: Idea, review: Review, reason: str) -> str:
    """The reason a status change gives: the one written, else (status unchanged) the idea's
    own, so answering an idea again does not wipe why it was decided."""
    if review.reason is None and idea.status == review.status:
        return idea.status_reason
    return reason


def review_ideas(
    session: Session, *, idea_ids: Sequence[uuid.UUID], review: Review, actor: str = ""
) -> list[Idea]:
    """Apply one review to every idea named: status (with its reason), draft response,
    reviewer, and, with ``publish``, publish the result. All or nothing."""
    ideas = _load(session, idea_ids)
    reason, response, reviewer = _check(review, ideas, session)
    now = utcnow()
    for idea in ideas:
        changed: list[str] = []
        given = _reason_for(idea, review, reason)
        if review.status is not None:
            _follow_merge(session, idea, review, given, actor)
        if review.status is not None and (
            idea.status != review.status or idea.status_reason != given
        ):
            _history(session, idea, ChangeField.STATUS, idea.status, review.status, given, actor)
            idea.status, idea.status_reason = review.status, given
            changed.append(ChangeField.STATUS)
        if review.response is not None and idea.response != response:
            _history(session, idea, ChangeField.RESPONSE, idea.response, response, "", actor)
            idea.response = response
            changed.append(ChangeField.RESPONSE)
        if review.reviewer is not None and idea.reviewer != reviewer:
            _history(session, idea, ChangeField.REVIEWER, idea.reviewer, reviewer, "", actor)
            idea.reviewer = reviewer
            changed.append(ChangeField.REVIEWER)
        if changed:
            idea.updated_at = now
            _event(session, idea, "idea.reviewed", actor, fields=changed)
    session.flush()
    if review.publish:
        publish_answers(session, idea_ids=[idea.id for idea in ideas], actor=actor)
    return ideas


def _follow_merge(session: Session, idea: Idea, review: Review, reason: str, actor: str) -> None:
    """A review that merges or unmerges keeps the merge record (domain/merging.py) as
    ``merge_ideas`` and ``unmerge`` do, so either path can be undone by the other."""
    from meetingtui.domain import merging

    into = review.merged_into if review.status is IdeaStatus.MERGED else None
    if idea.merged_into_id == into:
        return
    if idea.merged_into_id is not None:
        merging.close_merge(session, idea, actor)
    if into is not None:
        target = session.get(Idea, into)
        assert target is not None  # checked by _check
        merging.record_merge(session, idea, target, reason=reason, actor=actor)
    idea.merged_into_id = into


def set_status(
    session: Session,
    *,
    idea_ids: Sequence[uuid.UUID],
    status: IdeaStatus,
    reason: str = "",
    merged_into: uuid.UUID | None = None,
    actor: str = "",
) -> list[Idea]:
    review = Review(status=IdeaStatus(status), reason=reason, merged_into=merged_into)
    return review_ideas(session, idea_ids=idea_ids, review=review, actor=actor)


def set_response(
    session: Session, *, idea_ids: Sequence[uuid.UUID], response: str, actor: str = ""
) -> list[Idea]:
    """Write the draft answer (the public sees it once published)."""
    review = Review(response=response)
    return review_ideas(session, idea_ids=idea_ids, review=review, actor=actor)


def assign_reviewer(
    session: Session, *, idea_ids: Sequence[uuid.UUID], reviewer: str, actor: str = ""
) -> list[Idea]:
    """Give ideas to a reviewer by name ("" takes them back). Reviewers are staff: never public."""
    review = Review(reviewer=reviewer)
    return review_ideas(session, idea_ids=idea_ids, review=review, actor=actor)


def publish_answers(
    session: Session, *, idea_ids: Sequence[uuid.UUID], actor: str = ""
) -> list[Idea]:
    """Publish the status, reason and answer of each idea as they stand: one idea, or a
    reviewed batch. The public history gains one entry per part that changed since the last
    publication (from what the public saw to what it now sees), so drafts in between never
    show; plan links made since are published with it. Ideas already published as they stand
    are left alone."""
    ideas = _load(session, idea_ids)
    now = utcnow()
    unpublished_links: dict[uuid.UUID, list[IdeaChange]] = {}
    for link in session.exec(
        select(IdeaChange).where(
            col(IdeaChange.idea_id).in_([idea.id for idea in ideas]),
            col(IdeaChange.published_at).is_(None),
            IdeaChange.field == ChangeField.PLAN,
        )
    ):
        unpublished_links.setdefault(link.idea_id, []).append(link)
    for idea in ideas:
        links = unpublished_links.get(idea.id, [])
        if not links and idea.published_at is not None and not has_draft(idea):
            continue
        for link in links:
            link.published_at = now
        if (idea.public_status, idea.public_reason) != (idea.status, idea.status_reason):
            entry = _history(
                session,
                idea,
                ChangeField.STATUS,
                idea.public_status,
                idea.status,
                idea.status_reason,
                actor,
            )
            entry.published_at = now
        if idea.public_response != idea.response:
            entry = _history(
                session, idea, ChangeField.RESPONSE, idea.public_response, idea.response, "", actor
            )
            entry.published_at = now
        idea.public_status, idea.public_reason = idea.status, idea.status_reason
        idea.public_response = idea.response
        idea.public_plan_version, idea.public_plan_section = idea.plan_version, idea.plan_section
        idea.published_at = now
        idea.updated_at = now
        _event(session, idea, "idea.published", actor, status=idea.status)
    session.flush()
    return ideas


def has_draft(idea: Idea) -> bool:
    """Whether the organisers' copy differs from what the public sees (unpublished work)."""
    current = (idea.status, idea.status_reason, idea.response, idea.plan_version, idea.plan_section)
    public = (
        idea.public_status,
        idea.public_reason,
        idea.public_response,
        idea.public_plan_version,
        idea.public_plan_section,
    )
    return current != public


def history(session: Session, idea_id: uuid.UUID, audience: Audience) -> list[IdeaChange]:
    """An idea's history, oldest first, as ``audience`` may see it (domain/public.py)."""
    query = select(IdeaChange).where(IdeaChange.idea_id == idea_id, *change_filter(audience))
    return list(session.exec(query.order_by(col(IdeaChange.at), col(IdeaChange.id))))


def record_change(
    session: Session,
    idea: Idea,
    field: str,
    before: str,
    after: str,
    *,
    reason: str = "",
    actor: str = "",
) -> IdeaChange:
    """Append a history entry (for changes made elsewhere: plan links, domain/plans.py)."""
    return _history(session, idea, field, before, after, reason, actor)


def _history(
    session: Session,
    idea: Idea,
    field: str,
    before: str,
    after: str,
    reason: str,
    actor: str,
) -> IdeaChange:
    change = IdeaChange(
        idea_id=idea.id,
        meeting_id=idea.meeting_id,
        actor=clean_text(actor)[:120],
        field=field,
        from_value=str(before),
        to_value=str(after),
        reason=reason,
    )
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


# ---------------------------------------------------------------------------- needs an answer

AGE_THRESHOLDS = (14, 28)  # days: the counts the "needs an answer" view gives


@dataclass(frozen=True)
class NeedsAnswer:
    """Ideas owed an answer: how many, how many have waited past each threshold, and the
    oldest of them (as many as asked for)."""

    total: int
    over: dict[int, int]  # days -> ideas waiting longer than that
    ideas: list[tuple[Idea, str]]  # (idea, its meeting's code), oldest first


ANSWER_PUBLISHED: Any = literal_column("idea.answer_published")
"""1 when the public has an answer to the idea: a response published, or published as merged
into another (whose answer is then its answer); else 0. A column the database generates from
the row's published copy (revision 0010), indexed with the rest of "needs an answer"
(``ix_idea_awaiting``), so "longest waiting", "needs an answer" and its counts walk an index.
The models leave it out (store/migrate.py): nothing writes it."""


EVER = datetime(1970, 1, 1, tzinfo=UTC)


def awaiting_answer_conditions() -> tuple[Any, ...]:
    """An idea the public can see with no published answer (``ANSWER_PUBLISHED`` is 0).

    "Raised since 1970" is always true: it makes the time a range of ``ix_idea_awaiting``, so
    SQLite reads these ideas from it in order whatever its statistics say (with a full
    ``ANALYZE`` it read every meeting's ideas instead, 0.3-0.5 s for the counts)."""
    return (*idea_filter(Audience.PUBLIC), ANSWER_PUBLISHED == 0, col(Idea.captured_at) > EVER)


def needs_answer(
    session: Session,
    meeting_ids: Sequence[uuid.UUID],
    *,
    now: datetime | None = None,
    limit: int | None = None,
) -> NeedsAnswer:
    """The public ideas of these meetings with no published answer: counted in the database
    (whatever the catalogue's size), and the ``limit`` oldest loaded (all when None)."""
    waiting = (col(Idea.meeting_id).in_(list(meeting_ids)), *awaiting_answer_conditions())
    moment = now or utcnow()
    counts = [func.count()] + [
        func.count(case((col(Idea.captured_at) < moment - timedelta(days=days), 1)))
        for days in AGE_THRESHOLDS
    ]
    row: Any = session.exec(select(*counts).where(*waiting)).one()
    total, *older = row
    query = (
        select(Idea, Meeting.code)
        .join(Meeting, col(Meeting.id) == col(Idea.meeting_id))
        .where(*waiting)
        .order_by(col(Idea.captured_at), col(Meeting.code), col(Idea.seq))
    )
    if limit is not None:
        query = query.limit(limit)
    rows = [(idea, code) for idea, code in session.exec(query)] if limit != 0 else []
    return NeedsAnswer(int(total), dict(zip(AGE_THRESHOLDS, map(int, older), strict=True)), rows)
