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

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel
from sqlmodel import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from meetingtui.domain.errors import DomainError, FieldErrors, MeetingClosed, NotFound
from meetingtui.domain.ideas import add_comments, capture_idea, format_ref, ref_number
from meetingtui.domain.polls import cast_ballots, poll_shape
from meetingtui.domain.public import Audience
from meetingtui.domain.receipts import has_receipt
from meetingtui.domain.similar import SimilarIdea, similar_ideas
from meetingtui.domain.speakers import add_speaker, withdraw_own_request
from meetingtui.domain.states import SpeakerSource, Visibility
from meetingtui.domain.supports import toggle_support
from meetingtui.domain.text import is_blank
from meetingtui.store.database import Database
from meetingtui.store.errors import is_busy, storage_failure
from meetingtui.web.deps import DatabaseDep, TemplatesDep
from meetingtui.web.forms import (
    CommentForm,
    FormState,
    IdeaForm,
    SpeakForm,
    SupportForm,
    comment_state,
    idea_state,
    read_form,
    speak_state,
)
from meetingtui.web.middleware import BUSY_RETRY_AFTER
from meetingtui.web.poll_views import PollForm, PollFormState, form_choices, poll_id_of
from meetingtui.web.reach_pages import phone_offers
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
from meetingtui.web.security import RateLimiter, Refusal, check_csrf, client_address
from meetingtui.web.views import (
    COMMENTS_PER_PAGE,
    answer_page,
    find_public_meeting,
    load_merge_view,
    load_public_meeting,
    load_receipt,
)

router = APIRouter(include_in_schema=False)
logger = logging.getLogger("meetingtui.web")
T = TypeVar("T")
F = TypeVar("F", bound=BaseModel)

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
            with_polls=True,
        )
        shown = Notice.from_query(notice, ref)
        answer_url = ""
        if shown is not None and shown.is_receipt:  # just sent an idea: where its answer goes
            if has_receipt(session, meeting.id, shown.ref, _known_device(request)):
                answer_url = answer_page(session, meeting.code, shown.ref)
            else:  # a crafted link: no receipt for an idea this phone did not just send
                shown = None
        offers = phone_offers(session, meeting)
    _remember_language(request, meeting.code, meeting.language)
    view = MeetingPage(
        meeting=meeting,
        notice=shown,
        view=ListView(wanted.sort, meeting.page),
        answer_url=answer_url,
        offers=offers,
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
    if ref_number(ref) is None:  # I-0042, i-42, I42, I-042: as people say it
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
        receipt = load_receipt(session, code, ref) if meeting.focus is not None else None
        merge = load_merge_view(session, code, ref) if meeting.focus is not None else None
    _remember_language(request, meeting.code, meeting.language)  # an unknown ref's 404 too
    idea = meeting.focus
    if idea is None:
        raise NotFound("No idea with that ref.")
    view = MeetingPage(
        meeting=meeting,
        idea=idea,
        notice=Notice.from_query(notice, idea.ref),
        comment_page=meeting.comment_page,
        receipt=receipt,
        merge=merge,
    )
    return render_meeting(templates, request, view)


@router.get("/m/{code}/ideas")
def ideas_address(code: str) -> RedirectResponse:
    """The address a refused idea form is shown at; reached with GET (a bookmark, a shared
    link) it leads back to the meeting page rather than to a 405."""
    return RedirectResponse(f"/m/{code.strip().lower()}", status_code=303)


@router.get("/m/{code}/ideas/{ref}/comments")
def comments_address(code: str, ref: str) -> RedirectResponse:
    number = ref_number(ref)
    anchor = f"#idea-{format_ref(number)}" if number is not None else ""
    return RedirectResponse(f"/m/{code.strip().lower()}{anchor}", status_code=303)


@router.get("/m/{code}/ideas/{ref}/support")
def support_address(code: str, ref: str) -> RedirectResponse:
    return comments_address(code, ref)


@router.get("/m/{code}/speakers")
def speakers_address(code: str) -> RedirectResponse:
    return RedirectResponse(f"/m/{code.strip().lower()}#speak", status_code=303)


# ---------------------------------------------------------------------------- writing
#
# Every form POST goes through ``handle_post`` with a ``FormPost`` that says what is particular to
# it: its form, the text to hand back, how its form is shown again, and its write. The checks
# (CSRF, then the limits), the writer and the answer to every refusal are the same for all.

# How a refusal from the domain is answered: the first matching class gives the status.
REFUSAL_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (FieldErrors, 422),  # the form again, each message beside its field
    (NotFound, 404),  # the idea gone (the page, the text kept) or the meeting (the text kept)
    (MeetingClosed, 409),  # the page, the text kept to copy
    (DomainError, 409),  # any other rule (not an item that takes speakers...): the same
)


def refusal_status(error: DomainError) -> int:
    return next(status for kind, status in REFUSAL_STATUS if isinstance(error, kind))


@dataclass(frozen=True)
class FormPost(Generic[F]):
    """One form of the phone page, as ``handle_post`` needs it.

    ``write(request, form)`` does the work through the writer and returns where to redirect.
    ``fields(form, ref, errors)`` is the page's state that shows this form again (with
    ``errors`` beside its fields); ``target(form, ref)`` the element a problem message links
    to, ``conflict_target`` the one for a refusal by a rule of the meeting. ``gone``
    is the message when the thing posted to (an idea) has gone; without it a ``NotFound`` is
    the meeting's, answered by the not-found page with the text. ``on_not_found`` replaces both
    (the withdraw form shows where the person is instead).
    """

    form: type[F]
    write: Callable[[Request, F, str], Awaitable[str]]
    unsent_heading: str = "What you wrote was not sent"
    typed: Callable[[F], str] = lambda form: ""
    fields: Callable[[F, str, dict[str, str] | None], dict[str, object]] = (
        lambda form, ref, errors: {}
    )
    target: Callable[[F, str], str] = lambda form, ref: "speak"
    expired: str = EXPIRED
    gone: str = ""
    on_not_found: Callable[[str], Response] | None = None
    keep_form_on_conflict: bool = False
    conflict_target: str = ""
    on_idea_page: bool = False  # a refusal shows the idea's own page (comments)


async def handle_post(request: Request, spec: FormPost[F]) -> Response:
    """Parse the form, check its token and the limits, hand it to the writer, redirect (303);
    or show the refusal with the person's text kept."""
    code = request.path_params["code"]
    ref = request.path_params.get("ref", "").strip().upper()
    form = await read_form(request, spec.form)
    typed = spec.typed(form)
    unsent = Unsent(spec.unsent_heading, typed)
    limiter: RateLimiter = request.app.state.rate_limiter
    address = client_address(request)
    if forged := check_csrf(request, request.app.state.signer, form.csrf_token):  # type: ignore[attr-defined]
        device = request.state.device
        if limited := limiter.take_refusal(
            device=device.id if device.from_cookie else None, address=address
        ):
            return _limited(request, code, limited, unsent)
        page = {
            **spec.fields(form, ref, None),
            "problem": spec.expired,
            "problem_target": spec.target(form, ref),
        }
        return await _show_again(request, code, forged.status_code, page, typed, spec, ref)
    device = request.state.device
    granted = limiter.take_post(device=device.id, address=address, new=device.is_new())
    if isinstance(granted, Refusal):
        return _limited(request, code, granted, unsent)
    try:
        target = await spec.write(request, form, ref)
    except DomainError as error:
        limiter.give_back(granted)
        if limited := limiter.take_refusal(device=granted.device, address=address):
            return _limited(request, code, limited, unsent)
        return await _refused(request, code, spec, form, ref, error, unsent)
    except Exception as error:
        if storage_failure(error) is None:
            raise
        limiter.give_back(granted)
        return _storage_failed(request, code, error, unsent)
    return RedirectResponse(target, status_code=303)


def _storage_failed(request: Request, code: str, error: Exception, unsent: Unsent) -> Response:
    """The database failed under a post (locked by another program, damaged, full): logged
    with its details for the facilitator; the person gets a plain page with their text kept,
    503 and when to retry for a busy database, 500 otherwise. Never the SQL."""
    busy = is_busy(error)
    logger.error("Storage failure for %s %s", request.method, request.url.path, exc_info=error)
    wanted = code.strip().lower()
    return render_error(
        request.app.state.templates,
        503 if busy else 500,
        back_url=f"/m/{quote(wanted, safe='')}",
        unsent=unsent if unsent.text.strip() else None,
        language=request.app.state.languages.get(wanted, request.app.state.language),
        headers={"Retry-After": str(BUSY_RETRY_AFTER)} if busy else None,
    )


async def _refused(
    request: Request,
    code: str,
    spec: FormPost[F],
    form: F,
    ref: str,
    error: DomainError,
    unsent: Unsent,
) -> Response:
    status = refusal_status(error)
    typed = unsent.text
    kept = unsent if typed.strip() else None
    if isinstance(error, FieldErrors):
        page = spec.fields(form, ref, error.errors)
    elif isinstance(error, NotFound):
        if spec.on_not_found is not None:
            return spec.on_not_found(code)
        if not spec.gone:
            return _unknown_meeting(request, unsent)
        page = {"problem": spec.gone, "unsent": kept}
        ref = ""  # the idea is not there to show
    else:
        page = {"problem": str(error), "unsent": kept}
        if spec.keep_form_on_conflict:
            page.update(spec.fields(form, ref, None))
        if spec.conflict_target:
            page["problem_target"] = spec.conflict_target
    return await _show_again(request, code, status, page, typed, spec, ref)


# -- the forms


async def _write_idea(request: Request, form: IdeaForm, ref: str) -> str:
    code = request.path_params["code"]

    def write(session: Session) -> str:
        meeting = find_public_meeting(session, code)
        idea = capture_idea(
            session,
            meeting_id=meeting.id,
            data=form.to_input(),
            from_public=True,
            device=request.state.device.id,
        )
        kind = "idea-added" if idea.visibility == Visibility.VISIBLE else "idea-pending"
        return f"/m/{meeting.code}?{Notice(kind, idea.ref).query()}"

    return await _write(request, write)


IDEA_POST: FormPost[IdeaForm] = FormPost(
    form=IdeaForm,
    write=_write_idea,
    unsent_heading="Your idea was not sent",
    typed=lambda form: _idea_text(form),
    fields=lambda form, ref, errors: {"idea_form": idea_state(form, errors)},
    target=lambda form, ref: "title",
)


async def _write_comment(request: Request, form: CommentForm, ref: str) -> str:
    if not IDEA_REF.match(ref):
        raise NotFound(IDEA_GONE)
    wanted = request.path_params["code"].strip().lower()
    # Comments are what a room sends most of: the writer takes all those waiting for one
    # meeting in a single call to ``add_comments`` (see writer.py and bench/web_load.py).
    device = request.state.device.id  # moderation can hide all one device sent
    added = await request.app.state.writer.run_batched(
        ("comments", wanted), (ref, form.body, device), partial(_comment_many, wanted)
    )
    kind = "comment-added" if added.visibility == Visibility.VISIBLE else "comment-pending"
    return with_notice(back_target(wanted, form.back), Notice(kind, ref), f"#idea-{ref}")


def _comment_many(code: str, session: Session, requests: list[tuple[str, ...]]) -> list[object]:
    """``(ref, body, device)`` each (``device`` may be left off)."""
    meeting = find_public_meeting(session, code)
    return add_comments(  # type: ignore[return-value]
        session,
        meeting_id=meeting.id,
        requests=[(item[0], item[1]) for item in requests],
        channel="phone",
        from_public=True,
        devices=[item[2] if len(item) > 2 else "" for item in requests],
    )


COMMENT_POST: FormPost[CommentForm] = FormPost(
    form=CommentForm,
    write=_write_comment,
    unsent_heading="Your comment was not sent",
    typed=lambda form: form.body,
    fields=lambda form, ref, errors: {"comment_forms": {ref: comment_state(ref, form, errors)}},
    target=lambda form, ref: f"body-{ref}",
    gone=IDEA_GONE,
    on_idea_page=True,
)


async def _write_support(request: Request, form: SupportForm, ref: str) -> str:
    code, device = request.path_params["code"], request.state.device.id

    def write(session: Session) -> str:
        meeting = find_public_meeting(session, code)
        if not IDEA_REF.match(ref):
            raise NotFound(SUPPORT_GONE)
        supported, _total = toggle_support(
            session, meeting_id=meeting.id, idea_ref=ref, device=device
        )
        notice = Notice("supported" if supported else "unsupported", ref)
        return with_notice(back_target(meeting.code, form.back), notice, f"#idea-{ref}")

    return await _write(request, write)


SUPPORT_POST: FormPost[SupportForm] = FormPost(
    form=SupportForm,
    write=_write_support,
    target=lambda form, ref: f"idea-{ref}",
    expired=EXPIRED_SUPPORT,
    gone=SUPPORT_GONE,
)


async def _write_speaker(request: Request, form: SpeakForm, ref: str) -> str:
    code, device = request.path_params["code"], request.state.device.id

    def write(session: Session) -> str:
        meeting = find_public_meeting(session, code)
        add_speaker(
            session,
            meeting_id=meeting.id,
            name=form.name,
            source=SpeakerSource.PHONE,
            device=device,
        )
        return f"/m/{meeting.code}?{Notice('speaker-added').query()}#speak"

    return await _write(request, write)


SPEAK_POST: FormPost[SpeakForm] = FormPost(
    form=SpeakForm,
    write=_write_speaker,
    unsent_heading="Your request to speak was not sent",
    typed=lambda form: form.name,
    fields=lambda form, ref, errors: {"speak_form": speak_state(form, errors)},
    target=lambda form, ref: "speaker-name",
    keep_form_on_conflict=True,
    conflict_target="speak",
)


async def _write_withdrawal(request: Request, form: SupportForm, ref: str) -> str:
    code, device = request.path_params["code"], request.state.device.id

    def write(session: Session) -> str:
        meeting = find_public_meeting(session, code)
        withdraw_own_request(session, meeting_id=meeting.id, device=device)
        return f"/m/{meeting.code}?{Notice('speaker-withdrawn').query()}#speak"

    return await _write(request, write)


WITHDRAW_POST: FormPost[SupportForm] = FormPost(
    form=SupportForm,
    write=_write_withdrawal,
    # Not waiting any more (called, or taken out by the facilitator): show where they are.
    on_not_found=lambda code: RedirectResponse(f"/m/{quote(code, safe='')}#speak", 303),
    conflict_target="speak",
)


POLL_GONE = "That poll is no longer on this page, so your vote was not recorded."
EXPIRED_BALLOT = (
    "This page had been open a long time, so your vote was not recorded. Check your choices "
    "below and send them again."
)


async def _write_ballot(request: Request, form: PollForm, ref: str) -> str:
    if not ref.isdigit() or len(ref) > 6:
        raise NotFound(POLL_GONE)
    wanted = request.path_params["code"].strip().lower()
    # "Vote now" brings a whole room at once: like comments, every ballot waiting for one poll
    # goes to the writer's next commit in a single call to ``cast_ballots`` (bench/polls.py).
    await request.app.state.writer.run_batched(
        ("ballots", wanted, ref),
        (request.state.device.id, form.fields()),
        partial(_ballot_many, wanted, ref),
    )
    return f"/m/{quote(wanted, safe='')}?{Notice('ballot-recorded').query()}#poll-{ref}"


def _ballot_many(
    code: str, ref: str, session: Session, requests: list[tuple[str, dict[str, str]]]
) -> list[object]:
    """``(device, form fields)`` each, all for poll number ``ref`` of meeting ``code``. A form
    that cannot be read as choices is refused on its own, like a ballot against the rules."""
    meeting = find_public_meeting(session, code)
    poll_id = poll_id_of(session, meeting.id, ref)
    kind, count = poll_shape(session, poll_id)
    results: list[object] = [None] * len(requests)
    ballots: list[tuple[str, object]] = []
    positions: list[int] = []
    for position, (device, fields) in enumerate(requests):
        try:
            ballots.append((device, form_choices(kind, fields, count)))
        except FieldErrors as error:
            results[position] = error
            continue
        positions.append(position)
    outcomes = cast_ballots(session, poll_id=poll_id, ballots=ballots)
    for position, outcome in zip(positions, outcomes, strict=True):
        results[position] = outcome
    return results


def _ballot_fields(form: PollForm, ref: str, errors: dict[str, str] | None) -> dict[str, object]:
    number = int(ref) if ref.isdigit() and len(ref) <= 6 else 0
    message = (errors or {}).get("choices", "")
    return {"poll_form": PollFormState(number=number, values=form.fields(), error=message)}


BALLOT_POST: FormPost[PollForm] = FormPost(
    form=PollForm,
    write=_write_ballot,
    unsent_heading="Your vote was not recorded",
    fields=_ballot_fields,
    target=lambda form, ref: f"poll-{ref}-form",
    expired=EXPIRED_BALLOT,
    gone=POLL_GONE,
    keep_form_on_conflict=True,
    conflict_target="polls",
)


async def vote(request: Request) -> Response:
    """POST /m/{code}/polls/{ref}: cast or change this phone's ballot in poll number ``ref``
    (one ballot per device). A hot route like comments: "vote now" brings a whole room."""
    return await handle_post(request, BALLOT_POST)


@router.get("/m/{code}/polls/{ref}")
def poll_address(code: str, ref: str) -> RedirectResponse:
    return RedirectResponse(f"/m/{quote(code, safe='')}#polls", status_code=303)


@router.post("/m/{code}/ideas")
async def submit_idea(request: Request, code: str) -> Response:
    """Submit an idea: the public subset of the standard form."""
    return await handle_post(request, IDEA_POST)


async def submit_comment(request: Request) -> Response:
    """POST /m/{code}/ideas/{ref}/comments: what a room sends most of.

    A plain Starlette endpoint (see ``HOT_ROUTES``) rather than a FastAPI route: the same
    ``handle_post``, without FastAPI's routing and dependency solving around every comment.
    """
    return await handle_post(request, COMMENT_POST)


# Matched before every other route of the app (``create_web_app`` puts them first): the paths
# phones post to hundreds of times a second. A GET to the same address matches only partially
# here and goes on to ``comments_address`` (``poll_address``).
HOT_ROUTES = [
    Route("/m/{code}/ideas/{ref}/comments", submit_comment, methods=["POST"]),
    Route("/m/{code}/polls/{ref}", vote, methods=["POST"]),
]


@router.post("/m/{code}/ideas/{ref}/support")
async def support_idea(request: Request, code: str, ref: str) -> Response:
    """Support an idea, once per device; a second tap takes the support back."""
    return await handle_post(request, SUPPORT_POST)


@router.post("/m/{code}/speakers")
async def ask_to_speak(request: Request, code: str) -> Response:
    """Join the speakers' queue of the current item (discussion and public comment only).
    Asking twice keeps the first place."""
    return await handle_post(request, SPEAK_POST)


@router.post("/m/{code}/speakers/withdraw")
async def withdraw_from_queue(request: Request, code: str) -> Response:
    """Take this phone's own request to speak back, while it is still waiting."""
    return await handle_post(request, WITHDRAW_POST)


# ---------------------------------------------------------------------------- helpers


def _known_device(request: Request) -> str:
    """The device whose supports and queue place the page shows: only one that came back with
    its cookie (a brand-new id has done nothing yet)."""
    device = request.state.device
    return device.id if device.from_cookie else ""


async def _write(request: Request, work: Callable[[Session], T]) -> T:
    """Run ``work`` in the one writer's next group commit; returns once it is on disk."""
    return await request.app.state.writer.run(work)


def _limited(request: Request, code: str, refusal: Refusal, unsent: Unsent | None) -> Response:
    """429 without touching the database: a friendly page, the text to copy, when to retry."""
    templates = request.app.state.templates
    wanted = code.strip().lower()
    language = request.app.state.languages.get(wanted, request.app.state.language)
    known = wanted in request.app.state.languages
    return render_error(
        templates,
        429,
        back_url=f"/m/{wanted}" if known else "",
        unsent=unsent if unsent and unsent.text.strip() else None,
        language=language,
        # Closed after the answer: a flood's connections do not stay open to ask again.
        headers={"Retry-After": str(refusal.retry_after), "Connection": "close"},
    )


def _remember_language(request: Request, code: str, language: str) -> None:
    languages: dict[str, str] = request.app.state.languages
    if len(languages) < 1000:
        languages[code] = language


async def _show_again(
    request: Request,
    code: str,
    status_code: int,
    page_fields: dict[str, object],
    typed: str,
    spec: FormPost[Any],
    ref: str = "",
) -> Response:
    """The page again with the refusal on it: the idea's own page for a comment (its form is
    always there), else the meeting page. If the meeting itself has gone meanwhile, the
    not-found page still hands back what the person typed. Rendered in one of the read
    slots, like every page."""
    database: Database = request.app.state.database
    templates: Jinja2Templates = request.app.state.templates
    ref = ref if spec.on_idea_page else ""

    def render() -> Response:
        try:
            with database.read() as session:
                meeting = load_public_meeting(
                    session,
                    code,
                    device=request.state.device.id,
                    latest_comments=COMMENTS_ON_CARD,
                    all_comments_of=ref,
                    with_polls=not ref,
                )
                similar = _similar_to_refused(session, meeting.id, page_fields)
        except NotFound:
            return _unknown_meeting(request, Unsent("What you wrote was not sent", typed))
        idea = meeting.idea(ref) if ref else None
        page = MeetingPage(
            meeting=meeting,
            idea=idea,
            similar=similar,
            **page_fields,  # type: ignore[arg-type]
        )
        return render_meeting(templates, request, page, status_code=status_code)

    return await anyio.to_thread.run_sync(render, limiter=request.app.state.read_slots.limiter)


def _similar_to_refused(
    session: Session, meeting_id: uuid.UUID, page_fields: dict[str, object]
) -> list[SimilarIdea]:
    """A refused idea: the meeting's ideas like its title, so that without JavaScript too the
    person sees an idea they might support instead."""
    state = page_fields.get("idea_form")
    if not isinstance(state, FormState) or is_blank(state.value("title")):
        return []
    return similar_ideas(
        session,
        text=state.value("title"),
        audience=Audience.PUBLIC,
        meeting_ids=[meeting_id],
        follow_merges=True,  # the idea kept, which takes the support, not the merged one
    )


def _unknown_meeting(request: Request, unsent: Unsent) -> Response:
    return render_error(
        request.app.state.templates,
        404,
        unsent=unsent if unsent.text.strip() else None,
        language=request.app.state.language,  # no meeting here: the one being served
    )


def _idea_text(form: IdeaForm) -> str:
    return "\n\n".join(part for part in (form.title, form.detail) if part.strip())
