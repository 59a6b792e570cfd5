"""The phone page: read the meeting and its ideas; submit an idea, comment, support, ask to speak.

Plain HTML forms; JavaScript only adds live updates. A successful POST redirects back to the page
(303, so a reload does not send it twice); a refused one shows the page again with a 4xx status,
the GOV.UK error summary and everything the person typed. The routes hold no SQL: they call the
domain services and the public views.

Every POST is checked before anything is written: the form's CSRF token (``security``), then the
rate limits. Writes go to one writer thread that commits whatever is waiting together (group
commit, ``writer.py``); a request hears back only once its write is on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import quote

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.templating import Jinja2Templates
from sqlmodel import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from meetingtui.domain.errors import DomainError, FieldErrors, MeetingClosed, NotFound
from meetingtui.domain.ideas import add_comments, capture_idea
from meetingtui.domain.speakers import add_speaker, withdraw_own_request
from meetingtui.domain.supports import toggle_support
from meetingtui.store.database import Database
from meetingtui.web.deps import DatabaseDep, TemplatesDep
from meetingtui.web.forms import (
    CommentForm,
    IdeaForm,
    SpeakForm,
    SupportForm,
    comment_state,
    idea_state,
    read_form,
    speak_state,
)
from meetingtui.web.rendering import (
    COMMENTS_ON_CARD,
    IDEA_REF,
    ListView,
    MeetingPage,
    Notice,
    Unsent,
    back_target,
    render_error,
    render_meeting,
    with_notice,
)
from meetingtui.web.security import Refusal, check_csrf, client_address
from meetingtui.web.views import COMMENTS_PER_PAGE, find_public_meeting, load_public_meeting

router = APIRouter(include_in_schema=False)
T = TypeVar("T")

IDEA_GONE = (
    "That idea is no longer on this page, so your comment was not sent. It may have been "
    "removed by a moderator."
)
SUPPORT_GONE = "That idea is no longer on this page, so your support was not recorded."
EXPIRED = (
    "This page had been open a long time, so nothing was sent. Check what you wrote below and "
    "send it again."
)
EXPIRED_SUPPORT = (
    "This page had been open a long time, so your support was not recorded. Tap Support again."
)


# ---------------------------------------------------------------------------- reading


@router.get("/m/{code}", response_class=HTMLResponse)
def meeting_page(
    request: Request,
    code: str,
    database: DatabaseDep,
    templates: TemplatesDep,
    notice: str | None = None,
    ref: str | None = None,
    sort: str | None = None,
    page: str | None = None,
) -> Response:
    wanted = ListView.from_query(sort, page)
    with database.read() as session:
        meeting = load_public_meeting(
            session,
            code,
            device=_known_device(request),
            latest_comments=COMMENTS_ON_CARD,
            sort=wanted.sort,
            page=wanted.page,
        )
    _remember_language(request, meeting.code, meeting.language)
    view = MeetingPage(
        meeting=meeting,
        notice=Notice.from_query(notice, ref),
        view=ListView(wanted.sort, meeting.page),
    )
    return render_meeting(templates, request, view)


@router.get("/m/{code}/ideas/{ref}", response_class=HTMLResponse)
def idea_page(
    request: Request,
    code: str,
    ref: str,
    database: DatabaseDep,
    templates: TemplatesDep,
    notice: str | None = None,
    page: str | None = None,
) -> Response:
    """One idea whole: its full detail and every comment (in pages of 20)."""
    if not IDEA_REF.match(ref.strip().upper()):
        raise NotFound("No idea with that ref.")
    number = int(page) if page and page.isdigit() and len(page) < 6 else 1
    with database.read() as session:
        meeting = load_public_meeting(
            session,
            code,
            device=_known_device(request),
            all_comments_of=ref,
            per_page=0,  # only the idea itself
            comment_page=number,
            comments_per_page=COMMENTS_PER_PAGE,
        )
    idea = meeting.focus
    if idea is None:
        raise NotFound("No idea with that ref.")
    view = MeetingPage(
        meeting=meeting,
        idea=idea,
        notice=Notice.from_query(notice, idea.ref),
        comment_page=meeting.comment_page,
    )
    return render_meeting(templates, request, view)


@router.get("/m/{code}/ideas")
def ideas_address(code: str) -> RedirectResponse:
    """The address a refused idea form is shown at; reached with GET (a bookmark, a shared
    link) it leads back to the meeting page rather than to a 405."""
    return RedirectResponse(f"/m/{code.strip().lower()}", status_code=303)


@router.get("/m/{code}/ideas/{ref}/comments")
def comments_address(code: str, ref: str) -> RedirectResponse:
    anchor = f"#idea-{ref.strip().upper()}" if IDEA_REF.match(ref.strip().upper()) else ""
    return RedirectResponse(f"/m/{code.strip().lower()}{anchor}", status_code=303)


@router.get("/m/{code}/ideas/{ref}/support")
def support_address(code: str, ref: str) -> RedirectResponse:
    return comments_address(code, ref)


@router.get("/m/{code}/speakers")
def speakers_address(code: str) -> RedirectResponse:
    return RedirectResponse(f"/m/{code.strip().lower()}#speak", status_code=303)


# ---------------------------------------------------------------------------- writing


@router.post("/m/{code}/ideas")
async def submit_idea(
    request: Request,
    code: str,
) -> Response:
    form = await read_form(request, IdeaForm)
    database, templates = request.app.state.database, request.app.state.templates
    typed = _idea_text(form)
    unsent = Unsent("Your idea was not sent", typed)
    if refusal := _check(request, form.csrf_token):
        if refusal.status_code == 429:
            return _limited(request, templates, code, refusal, unsent)
        page = {"idea_form": idea_state(form), "problem": EXPIRED, "problem_target": "title"}
        return await _show_again(request, database, templates, code, 403, page, typed)

    def write(session: Session) -> str:
        meeting = find_public_meeting(session, code)
        idea = capture_idea(session, meeting_id=meeting.id, data=form.to_input(), from_public=True)
        kind = "idea-added" if idea.visibility == "visible" else "idea-pending"
        return f"/m/{meeting.code}?{Notice(kind, idea.ref).query()}"

    try:
        target = await _write(request, write)
    except FieldErrors as refusal:
        page = {"idea_form": idea_state(form, refusal.errors)}
        return await _show_again(request, database, templates, code, 422, page, typed)
    except MeetingClosed as refusal:
        page = {"problem": str(refusal), "unsent": unsent}
        return await _show_again(request, database, templates, code, 409, page, typed)
    except NotFound:
        return _unknown_meeting(templates, unsent)
    return RedirectResponse(target, status_code=303)


async def submit_comment(request: Request) -> Response:
    """POST /m/{code}/ideas/{ref}/comments: what a room sends most of.

    A plain Starlette endpoint (see ``HOT_ROUTES``) rather than a FastAPI route: the same checks
    and answers, without FastAPI's routing and dependency solving around every comment.
    """
    code, ref = request.path_params["code"], request.path_params["ref"]
    form = await read_form(request, CommentForm)
    database, templates = request.app.state.database, request.app.state.templates
    ref = ref.strip().upper()
    unsent = Unsent("Your comment was not sent", form.body)
    if refusal := _check(request, form.csrf_token):
        if refusal.status_code == 429:
            return _limited(request, templates, code, refusal, unsent)
        forms = {ref: comment_state(ref, form)}
        page = {"comment_forms": forms, "problem": EXPIRED, "problem_target": f"body-{ref}"}
        return await _show_again(request, database, templates, code, 403, page, form.body, ref)

    def comment_many(session: Session, requests: list[tuple[str, str]]) -> list[object]:
        meeting = find_public_meeting(session, code)
        return add_comments(  # type: ignore[return-value]
            session, meeting_id=meeting.id, requests=requests, channel="phone", from_public=True
        )

    try:
        if not IDEA_REF.match(ref):
            raise NotFound(IDEA_GONE)
        # Comments are what a room sends most of: the writer takes all those waiting for one
        # meeting in a single call (see writer.py and bench/web_load.py).
        wanted = code.strip().lower()
        key = ("comments", wanted)
        added = await request.app.state.writer.run_batched(key, (ref, form.body), comment_many)
        kind = "comment-added" if added.visibility == "visible" else "comment-pending"
        target = with_notice(back_target(wanted, form.back), Notice(kind, ref), f"#idea-{ref}")
    except FieldErrors as refusal:
        page = {"comment_forms": {ref: comment_state(ref, form, refusal.errors)}}
        return await _show_again(request, database, templates, code, 422, page, form.body, ref)
    except MeetingClosed as refusal:
        page = {"problem": str(refusal), "unsent": unsent}
        return await _show_again(request, database, templates, code, 409, page, form.body)
    except NotFound:
        page = {"problem": IDEA_GONE, "unsent": unsent}
        return await _show_again(request, database, templates, code, 404, page, form.body)
    return RedirectResponse(target, status_code=303)


# Matched before every other route of the app (``create_web_app`` puts them first): the one
# path phones post to hundreds of times a second. A GET to the same address matches only
# partially here and goes on to ``comments_address``.
HOT_ROUTES = [Route("/m/{code}/ideas/{ref}/comments", submit_comment, methods=["POST"])]


@router.post("/m/{code}/ideas/{ref}/support")
async def support_idea(
    request: Request,
    code: str,
    ref: str,
) -> Response:
    """Support an idea, once per device; a second tap takes the support back."""
    form = await read_form(request, SupportForm)
    database, templates = request.app.state.database, request.app.state.templates
    ref = ref.strip().upper()
    if refusal := _check(request, form.csrf_token):
        if refusal.status_code == 429:
            return _limited(request, templates, code, refusal, None)
        page = {"problem": EXPIRED_SUPPORT, "problem_target": f"idea-{ref}"}
        return await _show_again(request, database, templates, code, 403, page, "")
    device = request.state.device.id

    def write(session: Session) -> str:
        meeting = find_public_meeting(session, code)
        if not IDEA_REF.match(ref):
            raise NotFound(SUPPORT_GONE)
        supported, _total = toggle_support(
            session, meeting_id=meeting.id, idea_ref=ref, device=device
        )
        notice = Notice("supported" if supported else "unsupported", ref)
        return with_notice(back_target(meeting.code, form.back), notice, f"#idea-{ref}")

    try:
        target = await _write(request, write)
    except MeetingClosed as refusal:
        return await _show_again(
            request, database, templates, code, 409, {"problem": str(refusal)}, ""
        )
    except NotFound:
        return await _show_again(
            request, database, templates, code, 404, {"problem": SUPPORT_GONE}, ""
        )
    return RedirectResponse(target, status_code=303)


@router.post("/m/{code}/speakers")
async def ask_to_speak(
    request: Request,
    code: str,
) -> Response:
    """Join the speakers' queue of the current item (discussion and public comment only).
    Asking twice keeps the first place."""
    form = await read_form(request, SpeakForm)
    database, templates = request.app.state.database, request.app.state.templates
    unsent = Unsent("Your request to speak was not sent", form.name)
    if refusal := _check(request, form.csrf_token):
        if refusal.status_code == 429:
            return _limited(request, templates, code, refusal, unsent)
        page = {
            "speak_form": speak_state(form),
            "problem": EXPIRED,
            "problem_target": "speaker-name",
        }
        return await _show_again(request, database, templates, code, 403, page, form.name)
    device = request.state.device.id

    def write(session: Session) -> str:
        meeting = find_public_meeting(session, code)
        add_speaker(session, meeting_id=meeting.id, name=form.name, source="phone", device=device)
        return f"/m/{meeting.code}?{Notice('speaker-added').query()}#speak"

    try:
        target = await _write(request, write)
    except FieldErrors as refusal:
        page = {"speak_form": speak_state(form, refusal.errors)}
        return await _show_again(request, database, templates, code, 422, page, form.name)
    except NotFound:
        return _unknown_meeting(templates, unsent)
    except DomainError as refusal:  # closed, or not an item that takes speakers
        page = {
            "speak_form": speak_state(form),
            "problem": str(refusal),
            "problem_target": "speak",
            "unsent": unsent if form.name.strip() else None,
        }
        return await _show_again(request, database, templates, code, 409, page, form.name)
    return RedirectResponse(target, status_code=303)


@router.post("/m/{code}/speakers/withdraw")
async def withdraw_from_queue(request: Request, code: str) -> Response:
    """Take this phone's own request to speak back, while it is still waiting."""
    form = await read_form(request, SupportForm)
    database, templates = request.app.state.database, request.app.state.templates
    if refusal := _check(request, form.csrf_token):
        if refusal.status_code == 429:
            return _limited(request, templates, code, refusal, None)
        page = {"problem": EXPIRED, "problem_target": "speak"}
        return await _show_again(request, database, templates, code, 403, page, "")
    device = request.state.device.id

    def write(session: Session) -> str:
        meeting = find_public_meeting(session, code)
        withdraw_own_request(session, meeting_id=meeting.id, device=device)
        return f"/m/{meeting.code}?{Notice('speaker-withdrawn').query()}#speak"

    try:
        target = await _write(request, write)
    except NotFound:
        # Not waiting any more (called, or taken out by the facilitator): show where they are.
        return RedirectResponse(f"/m/{quote(code, safe='')}#speak", status_code=303)
    except DomainError as refusal:  # the meeting closed
        page = {"problem": str(refusal), "problem_target": "speak"}
        return await _show_again(request, database, templates, code, 409, page, "")
    return RedirectResponse(target, status_code=303)


# ---------------------------------------------------------------------------- helpers


def _known_device(request: Request) -> str:
    """The device whose supports and queue place the page shows: only one that came back with
    its cookie (a brand-new id has done nothing yet)."""
    device = request.state.device
    return device.id if device.from_cookie else ""


def _check(request: Request, token: str) -> Refusal | None:
    """CSRF first (it may adopt the token's device for a cookie-less browser), then the rate
    limits, which count every attempt, refused or not."""
    forged = check_csrf(request, request.app.state.signer, token)
    limited = request.app.state.rate_limiter.check(
        device=request.state.device.id, address=client_address(request)
    )
    return limited or forged


async def _write(request: Request, work: Callable[[Session], T]) -> T:
    """Run ``work`` in the one writer's next group commit; returns once it is on disk."""
    return await request.app.state.writer.run(work)


def _limited(
    request: Request,
    templates: Jinja2Templates,
    code: str,
    refusal: Refusal,
    unsent: Unsent | None,
) -> Response:
    """429 without touching the database: a friendly page, the text to copy, when to retry."""
    wanted = code.strip().lower()
    language = request.app.state.languages.get(wanted, "en")
    known = wanted in request.app.state.languages
    return render_error(
        templates,
        429,
        back_url=f"/m/{wanted}" if known else "",
        unsent=unsent if unsent and unsent.text.strip() else None,
        language=language,
        headers={"Retry-After": str(refusal.retry_after)},
    )


def _remember_language(request: Request, code: str, language: str) -> None:
    languages: dict[str, str] = request.app.state.languages
    if len(languages) < 1000:
        languages[code] = language


async def _show_again(
    request: Request,
    database: Database,
    templates: Jinja2Templates,
    code: str,
    status_code: int,
    page_fields: dict[str, object],
    typed: str,
    ref: str = "",
) -> Response:
    """The page again with the refusal on it: the idea's own page for a comment (its form is
    always there), else the meeting page. If the meeting itself has gone meanwhile, the
    not-found page still hands back what the person typed."""

    def render() -> Response:
        try:
            with database.read() as session:
                meeting = load_public_meeting(
                    session,
                    code,
                    device=request.state.device.id,
                    latest_comments=COMMENTS_ON_CARD,
                    all_comments_of=ref,
                )
        except NotFound:
            return _unknown_meeting(templates, Unsent("What you wrote was not sent", typed))
        idea = meeting.idea(ref) if ref else None
        page = MeetingPage(meeting=meeting, idea=idea, **page_fields)  # type: ignore[arg-type]
        return render_meeting(templates, request, page, status_code=status_code)

    return await anyio.to_thread.run_sync(render)


def _unknown_meeting(templates: Jinja2Templates, unsent: Unsent) -> Response:
    return render_error(templates, 404, unsent=unsent if unsent.text.strip() else None)


def _idea_text(form: IdeaForm) -> str:
    return "\n\n".join(part for part in (form.title, form.detail) if part.strip())
