"""The JSON read API: the same public view of a meeting as the phone page, for kiosks, screens
and scripts. Read-only by design; facilitator actions are never reachable over HTTP."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from meetingtui.domain.errors import NotFound
from meetingtui.domain.public import Audience
from meetingtui.domain.similar import similar_ideas
from meetingtui.web.deps import DatabaseDep
from meetingtui.web.views import (
    PublicIdea,
    PublicItem,
    PublicMeeting,
    find_public_meeting,
    load_public_meeting,
)

router = APIRouter(prefix="/api", tags=["meetings"])

IDEAS_PER_PAGE = 100  # the listing's page unless the client asks for another size
MAX_IDEAS_PER_PAGE = 500
SIMILAR_TEXT_MAX = 300  # a title (120 characters) and some; longer is refused (422)
SIMILAR_MAX = 5


class MeetingOut(BaseModel):
    code: str
    title: str
    date: str = Field(description="ISO date as written in the agenda")
    start: str = Field(description="Local start time, HH:MM")
    timezone: str
    location: str
    language: str
    status: str = Field(description="planned · running · closed")
    moderation: str = Field(description="post: input shows at once; pre: a moderator checks it")
    topics: list[str]


class AgendaItemOut(BaseModel):
    position: int
    title: str
    kind: str
    minutes: int
    presenter: str


class IdeaOut(BaseModel):
    ref: str
    title: str
    detail: str
    topic: str
    stakeholder: str
    raised_by: str | None = Field(description="Only when the person agreed to publish their name")
    organisation: str | None = Field(description="Only with the same consent as raised_by")
    captured_at: datetime
    status: str
    comment_count: int
    support_count: int = Field(description="Devices supporting the idea (one each)")
    card: str | None = Field(None, description='The paper card it came on ("C-0137"), if any')


class CommentOut(BaseModel):
    body: str
    created_at: datetime


class IdeaRead(BaseModel):
    meeting_code: str
    idea: IdeaOut
    comments: list[CommentOut] = Field(description="Visible comments, oldest first")


class MeetingRead(BaseModel):
    meeting: MeetingOut
    current_item: AgendaItemOut | None
    ideas: list[IdeaOut] = Field(description="This page of the visible ideas, newest first")
    total: int = Field(description="Visible ideas in the whole meeting")
    page: int = Field(description="Which page this is, from 1")
    pages: int = Field(description="Pages at this per_page (at least 1)")
    per_page: int
    next: str | None = Field(description="Path and query of the next page; null on the last")
    previous: str | None = Field(description="Path and query of the previous page; null on 1")


class SimilarIdeaOut(BaseModel):
    ref: str
    title: str
    support_count: int = Field(description="Devices supporting the idea (one each)")
    status: str = Field(description="The published status")
    merged_into: str | None = Field(description="The ref it was merged into, if it was")
    url: str = Field(description="The idea's page, to support or comment on it")


class SimilarRead(BaseModel):
    ideas: list[SimilarIdeaOut] = Field(description="Most similar first; empty when none is")


class NotFoundOut(BaseModel):
    detail: str


@router.get(
    "/meetings/{code}",
    response_model=MeetingRead,
    responses={404: {"model": NotFoundOut, "description": "No meeting with that code"}},
    summary="A meeting's public state",
)
def read_meeting(
    code: str,
    database: DatabaseDep,
    request: Request,
    page: Annotated[int, Query(ge=1, description="Page of the ideas, from 1")] = 1,
    per_page: Annotated[
        int, Query(ge=1, le=MAX_IDEAS_PER_PAGE, description="Ideas per page")
    ] = IDEAS_PER_PAGE,
) -> MeetingRead:
    """The meeting, its current agenda item, and one page of its visible ideas (newest first)
    with comment counts. Follow ``next`` for the rest; a page past the end is the last one."""
    with database.read() as session:
        meeting = load_public_meeting(session, code, page=page, per_page=per_page)

    def link(number: int) -> str | None:
        if not 1 <= number <= meeting.page_count:
            return None
        return f"{request.url.path}?page={number}&per_page={per_page}"

    return _meeting_read(
        meeting, per_page, next=link(meeting.page + 1), previous=link(meeting.page - 1)
    )


@router.get(
    "/meetings/{code}/ideas/{ref}",
    response_model=IdeaRead,
    responses={404: {"model": NotFoundOut, "description": "No such meeting, or no such idea"}},
    summary="One idea with its comments",
)
def read_idea(code: str, ref: str, database: DatabaseDep) -> IdeaRead:
    """A visible idea of the meeting and all its visible comments."""
    with database.read() as session:
        meeting = load_public_meeting(
            session, code, all_comments_of=ref, per_page=0, comments_per_page=None
        )
    idea = meeting.focus
    if idea is None:
        raise NotFound("No idea with that ref in this meeting.")
    return IdeaRead(
        meeting_code=meeting.code,
        idea=_idea_out(idea),
        comments=[CommentOut(body=c.body, created_at=c.created_at) for c in idea.comments],
    )


@router.get(
    "/meetings/{code}/similar",
    response_model=SimilarRead,
    responses={404: {"model": NotFoundOut, "description": "No meeting with that code"}},
    summary="Ideas of the meeting like a title being typed",
)
def read_similar(
    code: str,
    database: DatabaseDep,
    q: Annotated[
        str, Query(max_length=SIMILAR_TEXT_MAX, description="The title as typed so far")
    ] = "",
    limit: Annotated[int, Query(ge=1, le=SIMILAR_MAX, description="How many at most")] = 3,
) -> SimilarRead:
    """The meeting's visible ideas most like ``q`` (accents, case and punctuation aside; the
    last word as the start of a word), best first; none when nothing is alike enough. The
    phone's idea form asks as the person types, to offer supporting an idea already raised."""
    with database.read() as session:
        meeting = find_public_meeting(session, code)
        # A merged idea is offered as the idea it went into: that one takes the support.
        found = similar_ideas(
            session,
            text=q,
            audience=Audience.PUBLIC,
            meeting_ids=[meeting.id],
            limit=limit,
            follow_merges=True,
        )
        meeting_code = meeting.code
    return SimilarRead(
        ideas=[
            SimilarIdeaOut(
                ref=idea.ref if idea.meeting_code == meeting_code else idea.full_ref,
                title=idea.title,
                support_count=idea.support_count,
                status=idea.status,
                merged_into=idea.merged_into or None,
                url=f"/m/{idea.meeting_code}/ideas/{idea.ref}",
            )
            for idea in found
        ]
    )


def _meeting_read(
    meeting: PublicMeeting, per_page: int, *, next: str | None, previous: str | None
) -> MeetingRead:
    return MeetingRead(
        meeting=MeetingOut(
            code=meeting.code,
            title=meeting.title,
            date=meeting.date,
            start=meeting.start,
            timezone=meeting.timezone,
            location=meeting.location,
            language=meeting.language,
            status=meeting.status,
            moderation=meeting.moderation,
            topics=meeting.topics,
        ),
        current_item=_item_out(meeting.current_item) if meeting.current_item else None,
        ideas=[_idea_out(idea) for idea in meeting.ideas],
        total=meeting.idea_count or 0,
        page=meeting.page,
        pages=meeting.page_count,
        per_page=per_page,
        next=next,
        previous=previous,
    )


def _item_out(item: PublicItem) -> AgendaItemOut:
    return AgendaItemOut(
        position=item.position,
        title=item.title,
        kind=item.kind,
        minutes=item.minutes,
        presenter=item.presenter,
    )


def _idea_out(idea: PublicIdea) -> IdeaOut:
    return IdeaOut(
        ref=idea.ref,
        title=idea.title,
        detail=idea.detail,
        topic=idea.topic,
        stakeholder=idea.stakeholder,
        raised_by=idea.raised_by or None,
        organisation=idea.organisation or None,
        captured_at=idea.captured_at,
        status=idea.status,
        comment_count=idea.comment_count,
        support_count=idea.support_count,
        card=idea.card or None,
    )


class PollOptionOut(BaseModel):
    label: str
    cost: int | None = Field(None, description="budget: the option's cost")
    idea_ref: str | None = Field(None, description="the idea the option was made from, if any")
    votes: int | None = Field(None, description="single, multiple, budget: ballots choosing it")
    borda: int | None = Field(None, description="ranking: Borda points (n-1 for first…)")
    first: int | None = Field(None, description="ranking: first preferences")
    mean: float | None = Field(None, description="score: mean of the scores given")
    count: int | None = Field(None, description="score: scores given")
    skips: int | None = Field(None, description="score: ballots that skipped it")
    points: int | None = Field(None, description="dots: dots or points received")
    selected_greedy: bool | None = Field(None, description="budget: funded by votes, greedily")
    selected_equal_shares: bool | None = Field(
        None, description="budget: funded by the Method of Equal Shares"
    )


class PollOut(BaseModel):
    number: int
    type: str = Field(description="single · multiple · ranking · score · dots · budget")
    question: str
    status: str = Field(description="open · closed")
    results: str = Field(description='live · at close: "at close" shows no tallies while open')
    results_shown: bool = Field(description="whether the options carry their tallies now")
    ballots: int = Field(description="valid ballots counted (phone, paper and hands)")
    options: list[PollOptionOut] = Field(description="In the order shown on the ballot")
    tied: list[str] = Field(description="labels tied at the top (two or more), else empty")
    decided: list[str] | None = Field(
        None, description="budget: the organisers' decision instead of the count, if any"
    )
    decided_reason: str | None = None


class PollsRead(BaseModel):
    meeting_code: str
    polls: list[PollOut]


@router.get(
    "/meetings/{code}/polls",
    response_model=PollsRead,
    response_model_exclude_none=True,
    responses={404: {"model": NotFoundOut, "description": "No meeting with that code"}},
    summary="A meeting's polls and their results",
)
def read_polls(code: str, database: DatabaseDep) -> PollsRead:
    """Every poll that has opened, each with its ballots and, when its results are shown
    (``results = "live"``, or once closed), each option's tally under the figures of its type.
    Drafts never appear; ballots are anonymous and nothing here names a device."""
    from meetingtui.web.poll_views import public_polls
    from meetingtui.web.views import find_public_meeting

    with database.read() as session:
        meeting = find_public_meeting(session, code)
        found = public_polls(session, meeting)
    return PollsRead(
        meeting_code=meeting.code,
        polls=[
            PollOut(
                number=poll.number,
                type=poll.type,
                question=poll.question,
                status=poll.status,
                results=poll.results,
                results_shown=poll.results_shown,
                ballots=poll.ballots,
                options=[
                    PollOptionOut(
                        label=option.label,
                        idea_ref=option.idea_ref or None,
                        **{
                            "cost": option.cost if poll.type == "budget" else None,
                            **option.figures,
                        },
                    )
                    for option in poll.options
                ],
                tied=list(poll.leaders) if len(poll.leaders) > 1 else [],
                decided=list(poll.override) if poll.override is not None else None,
                decided_reason=poll.override_reason if poll.override is not None else None,
            )
            for poll in found
        ],
    )
