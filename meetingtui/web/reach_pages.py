"""The phone's optional sign-in (reach) and "which matters more" (pairwise): their own pages
and routes, offered from the meeting page by a card each.

Plain HTML forms, no JavaScript. Every POST is checked as the meeting page's are (the form's
CSRF token, then the rate limits) and written through the one writer. The sign-in is offered
once: the device remembers in a cookie only that it answered or skipped, never the answers
(those are kept apart from everything it posts: domain/reach.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlmodel import Session, select
from starlette.responses import HTMLResponse, RedirectResponse, Response

from meetingtui.domain.errors import DomainError, FieldErrors, MeetingClosed, NotFound
from meetingtui.domain.models import ReachQuestion
from meetingtui.domain.pairwise import PairAnswered, PairIdea, next_pair, ranking, record_choice
from meetingtui.domain.reach import (
    PREFER_NOT,
    AlreadyAnswered,
    Question,
    device_answered,
    meeting_questions,
    record_response,
)
from meetingtui.domain.states import MeetingStatus
from meetingtui.store.errors import storage_failure
from meetingtui.web import i18n
from meetingtui.web.deps import DatabaseDep
from meetingtui.web.forms import ErrorLink, read_form
from meetingtui.web.rendering import preview, render_error
from meetingtui.web.security import Refusal, check_csrf, client_address, csrf_token
from meetingtui.web.views import find_public_meeting

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api", tags=["meetings"])

REACH_COOKIE = "mt_reach_{code}"
COOKIE_SECONDS = 400 * 24 * 3600  # browsers' longest
EXPIRED = "This page had been open a long time, so nothing was sent. Please send it again."
ALREADY = "You have already answered these questions. Thank you."
LIMITED = "You have sent a lot in a short time. Wait a minute, then try again."


@dataclass(frozen=True)
class PhoneOffers:
    """What the meeting page offers besides its own forms."""

    reach: bool = False  # the meeting asks monitoring questions
    pairwise: bool = False  # at least two public ideas to compare


def phone_offers(session: Session, meeting: Any) -> PhoneOffers:
    """For the meeting page (``load_public_meeting``'s ``meeting``): one indexed look-up."""
    if meeting.is_closed:
        return PhoneOffers()
    asks = session.exec(
        select(ReachQuestion.id).where(ReachQuestion.meeting_id == meeting.id).limit(1)
    ).first()
    return PhoneOffers(reach=asks is not None, pairwise=meeting.idea_count >= 2)


def reach_cookie_set(request: Request, code: str) -> bool:
    return request.cookies.get(REACH_COOKIE.format(code=code.strip().lower())) in (
        "answered",
        "skipped",
    )


# ---------------------------------------------------------------------------- sign-in


@dataclass
class ReachPage:
    code: str
    title: str
    language: str
    questions: list[Question]
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    problem: str = ""
    done: str = ""  # "answered", "skipped", "already"
    closed: bool = False
    csrf_token: str = ""

    @property
    def error_links(self) -> list[ErrorLink]:
        links = [ErrorLink(self.problem, "reach-form")] if self.problem else []
        order = ["name", "area", *(f"answer-{q.key}" for q in self.questions)]
        for name in sorted(self.errors, key=lambda n: order.index(n) if n in order else 99):
            links.append(ErrorLink(self.errors[name], name))
        return links

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def error(self, name: str) -> str:
        return self.errors.get(name, "")

    prefer_not: str = PREFER_NOT


def _render(
    request: Request, template: str, page: Any, language: str, status: int = 200
) -> Response:
    page.csrf_token = csrf_token(request.app.state.signer, request.state.device)
    with i18n.language(language):
        return request.app.state.templates.TemplateResponse(
            request,
            template,
            {"page": page, "lang": i18n.html_lang(language)},
            status_code=status,
            headers={"Cache-Control": "no-cache"},
        )


def _reach_page(request: Request, code: str, **changes: Any) -> ReachPage:
    database = request.app.state.database
    with database.read() as session:
        meeting = find_public_meeting(session, code)
        questions = meeting_questions(session, meeting.id)
        device = request.state.device
        already = device.from_cookie and device_answered(
            session, meeting_id=meeting.id, device=device.id
        )
    page = ReachPage(
        code=meeting.code,
        title=meeting.title,
        language=meeting.language,
        questions=questions,
        closed=meeting.status == MeetingStatus.CLOSED,
    )
    if already and "done" not in changes:
        page.done = "already"
    for name, value in changes.items():
        setattr(page, name, value)
    return page


@router.get("/m/{code}/reach", response_class=HTMLResponse)
def reach_form(request: Request, code: str, done: str | None = None) -> Response:
    """The optional sign-in: a first name, an area, the monitoring questions; send or skip.
    (A plain ``def``: read in the read slot the middleware holds for every GET.)"""
    shown = {"done": done} if done in ("answered", "skipped") else {}
    page = _reach_page(request, code, **shown)
    if not page.questions:
        raise NotFound("This meeting asks no sign-in questions.")
    return _render(request, "reach.html", page, page.language)


class ReachForm(BaseModel):
    model_config = {"extra": "allow"}

    name: str = ""
    area: str = ""
    action: str = "send"
    csrf_token: str = ""


def _set_cookie(response: Response, code: str, value: str) -> Response:
    response.set_cookie(
        REACH_COOKIE.format(code=code),
        value,
        max_age=COOKIE_SECONDS,
        path=f"/m/{code}",
        httponly=True,
        samesite="lax",
    )
    return response


async def _checked(request: Request, token: str) -> Refusal | None:
    """The token, then the limits; a refusal to answer with, or None to go on."""
    limiter = request.app.state.rate_limiter
    address = client_address(request)
    device = request.state.device
    if forged := check_csrf(request, request.app.state.signer, token):
        limiter.take_refusal(device=device.id if device.from_cookie else None, address=address)
        return forged
    granted = limiter.take_post(device=device.id, address=address, new=device.is_new())
    if isinstance(granted, Refusal):
        return granted
    request.state.granted = granted
    return None


def _give_back(request: Request) -> None:
    granted = getattr(request.state, "granted", None)
    if granted is not None:
        request.app.state.rate_limiter.give_back(granted)


def _limited(request: Request, code: str, refusal: Refusal) -> Response:
    language = request.app.state.languages.get(code, request.app.state.language)
    return render_error(
        request.app.state.templates,
        429,
        back_url=f"/m/{code}",
        language=language,
        headers={"Retry-After": str(refusal.retry_after), "Connection": "close"},
    )


@router.post("/m/{code}/reach")
async def send_reach(request: Request, code: str) -> Response:
    """Send the sign-in (``action=send``) or skip it (``action=skip``): either way the phone
    is not asked again; only a send is kept, once per device."""
    form = await read_form(request, ReachForm)
    wanted = code.strip().lower()
    fields = {k: v for k, v in (form.model_extra or {}).items() if k.startswith("answer-")}
    values = {"name": form.name, "area": form.area, **fields}
    refusal = await _checked(request, form.csrf_token)
    if refusal is not None and refusal.reason == "limited":
        return _limited(request, wanted, refusal)

    def again(status: int, **changes: Any) -> Response:
        page = _reach_page(request, wanted, values=values, **changes)
        return _render(request, "reach.html", page, page.language, status)

    if refusal is not None:
        return await anyio.to_thread.run_sync(lambda: again(refusal.status_code, problem=EXPIRED))
    if form.action == "skip":
        _give_back(request)
        with request.app.state.database.read() as session:
            meeting = find_public_meeting(session, wanted)
        return _set_cookie(
            RedirectResponse(f"/m/{meeting.code}", status_code=303),
            meeting.code,
            "skipped",
        )
    answers = {key.removeprefix("answer-"): value for key, value in fields.items()}
    device = request.state.device.id

    def write(session: Session) -> str:
        meeting = find_public_meeting(session, wanted)
        record_response(
            session,
            meeting_id=meeting.id,
            answers=answers,
            area=form.area,
            name=form.name,
            channel="phone",
            device=device,
        )
        return meeting.code

    try:
        saved = await request.app.state.writer.run(write)
    except AlreadyAnswered:
        _give_back(request)
        response = await anyio.to_thread.run_sync(lambda: again(409, done="already"))
        return _set_cookie(response, wanted, "answered")
    except FieldErrors as error:
        _give_back(request)
        errors = error.errors
        return await anyio.to_thread.run_sync(lambda: again(422, errors=errors))
    except NotFound:
        raise
    except (MeetingClosed, DomainError) as error:
        _give_back(request)
        message = str(error)
        return await anyio.to_thread.run_sync(lambda: again(409, problem=message))
    except Exception as error:
        if storage_failure(error) is None:
            raise
        _give_back(request)
        return render_error(request.app.state.templates, 503, back_url=f"/m/{wanted}")
    return _set_cookie(
        RedirectResponse(f"/m/{saved}/reach?done=answered", status_code=303), saved, "answered"
    )


# ---------------------------------------------------------------------------- pairwise


@dataclass
class PairPage:
    code: str
    title: str
    language: str
    left: PairIdea | None
    right: PairIdea | None
    closed: bool = False
    problem: str = ""
    csrf_token: str = ""

    @property
    def error_links(self) -> list[ErrorLink]:
        return [ErrorLink(self.problem, "pair-form")] if self.problem else []

    def key(self, idea: PairIdea) -> str:
        return f"{idea.meeting_code}/{idea.ref}"

    def preview(self, text: str) -> str:
        return preview(text, 200)


def _pair_page(request: Request, code: str, problem: str = "") -> PairPage:
    with request.app.state.database.read() as session:
        meeting = find_public_meeting(session, code)
        pair = next_pair(session, meeting_id=meeting.id, device=request.state.device.id)
    left, right = pair if pair else (None, None)
    return PairPage(
        code=meeting.code,
        title=meeting.title,
        language=meeting.language,
        left=left,
        right=right,
        closed=meeting.status == MeetingStatus.CLOSED,
        problem=problem,
    )


@router.get("/m/{code}/pairwise", response_class=HTMLResponse)
def pairwise_form(request: Request, code: str) -> Response:
    """Two ideas: which matters more? Pick one or skip."""
    page = _pair_page(request, code)
    return _render(request, "pairwise.html", page, page.language)


class PairForm(BaseModel):
    model_config = {"extra": "ignore"}

    left: str = ""
    right: str = ""
    choice: str = ""  # left · right · skip
    csrf_token: str = ""


@router.post("/m/{code}/pairwise")
async def send_pairwise(request: Request, code: str) -> Response:
    """One answer to one pair; then the next pair (303). A pair answered already (a double
    tap) simply moves on."""
    form = await read_form(request, PairForm)
    wanted = code.strip().lower()
    refusal = await _checked(request, form.csrf_token)
    if refusal is not None and refusal.reason == "limited":
        return _limited(request, wanted, refusal)

    def again(status: int, problem: str) -> Response:
        page = _pair_page(request, wanted, problem)
        return _render(request, "pairwise.html", page, page.language, status)

    if refusal is not None:
        return await anyio.to_thread.run_sync(lambda: again(refusal.status_code, EXPIRED))
    if form.choice not in ("left", "right", "skip"):
        _give_back(request)
        return await anyio.to_thread.run_sync(
            lambda: again(422, "Choose one of the two ideas, or skip")
        )
    chosen = {"left": form.left, "right": form.right}.get(form.choice)
    device = request.state.device.id

    def write(session: Session) -> str:
        meeting = find_public_meeting(session, wanted)
        record_choice(
            session,
            meeting_id=meeting.id,
            device=device,
            left_ref=form.left.strip().lower().replace("/i-", "/I-"),
            right_ref=form.right.strip().lower().replace("/i-", "/I-"),
            chosen_ref=chosen.strip().lower().replace("/i-", "/I-") if chosen else None,
        )
        return meeting.code

    try:
        saved = await request.app.state.writer.run(write)
    except PairAnswered:
        _give_back(request)
        saved = wanted
    except NotFound as error:
        _give_back(request)
        if str(error) == "No meeting with that code.":
            raise
        return await anyio.to_thread.run_sync(
            lambda: again(404, "That idea is no longer on this page. Here is another pair.")
        )
    except DomainError as error:
        _give_back(request)
        message = str(error)
        return await anyio.to_thread.run_sync(lambda: again(409, message))
    except Exception as error:
        if storage_failure(error) is None:
            raise
        _give_back(request)
        return render_error(request.app.state.templates, 503, back_url=f"/m/{wanted}")
    return RedirectResponse(f"/m/{saved}/pairwise#pair", status_code=303)


class PairwiseIdeaOut(BaseModel):
    ref: str
    meeting_code: str = Field(description="The meeting the idea was raised in")
    title: str
    score: float = Field(description="(wins + 1) / (comparisons + 2)")
    wins: int
    comparisons: int = Field(description="Choices between this idea and another (skips aside)")


class PairwiseRead(BaseModel):
    meeting_code: str
    choices: int = Field(description="Pairs answered with a choice")
    ideas: list[PairwiseIdeaOut] = Field(description="Highest score first")


@api_router.get("/meetings/{code}/pairwise", response_model=PairwiseRead)
def pairwise_results(code: str, database: DatabaseDep) -> PairwiseRead:
    """The "which matters more" ranking of the meeting's public ideas."""
    with database.read() as session:
        meeting = find_public_meeting(session, code)
        ranked = ranking(session, meeting.id)
    return PairwiseRead(
        meeting_code=meeting.code,
        choices=sum(idea.comparisons for idea in ranked) // 2,
        ideas=[
            PairwiseIdeaOut(
                ref=idea.ref,
                meeting_code=idea.meeting_code,
                title=idea.title,
                score=round(idea.score, 4),
                wins=idea.wins,
                comparisons=idea.comparisons,
            )
            for idea in ranked
        ],
    )
