"""The phone page: read the meeting, submit an idea, comment on one.

Plain HTML forms, no JavaScript. A successful POST redirects back to the page (303, so a reload
does not send it twice); a refused one shows the page again with a 4xx status, the GOV.UK error
summary and everything the person typed. The routes hold no SQL: they call the domain services
and the public views.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse, RedirectResponse, Response

from meetingtui.domain.errors import FieldErrors, MeetingClosed, NotFound
from meetingtui.domain.ideas import add_comment, capture_idea
from meetingtui.store.database import Database
from meetingtui.web.deps import DatabaseDep, TemplatesDep
from meetingtui.web.forms import CommentForm, IdeaForm, comment_state, idea_state
from meetingtui.web.rendering import (
    IDEA_REF,
    MeetingPage,
    Notice,
    Unsent,
    render_error,
    render_meeting,
)
from meetingtui.web.views import find_public_meeting, load_public_meeting

router = APIRouter(include_in_schema=False)

IDEA_GONE = (
    "That idea is no longer on this page, so your comment was not sent. It may have been "
    "removed by a moderator."
)


@router.get("/m/{code}", response_class=HTMLResponse)
def meeting_page(
    request: Request,
    code: str,
    database: DatabaseDep,
    templates: TemplatesDep,
    notice: str | None = None,
    ref: str | None = None,
) -> Response:
    with database.read() as session:
        meeting = load_public_meeting(session, code)
    page = MeetingPage(meeting=meeting, notice=Notice.from_query(notice, ref))
    return render_meeting(templates, request, page)


@router.post("/m/{code}/ideas")
def submit_idea(
    request: Request,
    code: str,
    form: Annotated[IdeaForm, Form()],
    database: DatabaseDep,
    templates: TemplatesDep,
) -> Response:
    try:
        with database.write() as session:
            meeting = find_public_meeting(session, code)
            idea = capture_idea(
                session, meeting_id=meeting.id, data=form.to_input(), from_public=True
            )
            kind = "idea-added" if idea.visibility == "visible" else "idea-pending"
            target = f"/m/{meeting.code}?{Notice(kind, idea.ref).query()}"
    except FieldErrors as refusal:
        page = {"idea_form": idea_state(form, refusal.errors)}
        return _show_again(request, database, templates, code, 422, page, _idea_text(form))
    except MeetingClosed as refusal:
        page = {
            "problem": str(refusal),
            "unsent": Unsent("Your idea was not sent", _idea_text(form)),
        }
        return _show_again(request, database, templates, code, 409, page, _idea_text(form))
    except NotFound:
        return _unknown_meeting(templates, Unsent("Your idea was not sent", _idea_text(form)))
    return RedirectResponse(target, status_code=303)


@router.post("/m/{code}/ideas/{ref}/comments")
def submit_comment(
    request: Request,
    code: str,
    ref: str,
    form: Annotated[CommentForm, Form()],
    database: DatabaseDep,
    templates: TemplatesDep,
) -> Response:
    ref = ref.strip().upper()
    unsent = Unsent("Your comment was not sent", form.body)
    try:
        with database.write() as session:
            meeting = find_public_meeting(session, code)
            if not IDEA_REF.match(ref):
                raise NotFound(IDEA_GONE)
            comment = add_comment(
                session,
                meeting_id=meeting.id,
                idea_ref=ref,
                body=form.body,
                channel="phone",
                from_public=True,
            )
            kind = "comment-added" if comment.visibility == "visible" else "comment-pending"
            target = f"/m/{meeting.code}?{Notice(kind, ref).query()}#idea-{ref}"
    except FieldErrors as refusal:
        page = {"comment_forms": {ref: comment_state(ref, form, refusal.errors)}}
        return _show_again(request, database, templates, code, 422, page, form.body)
    except MeetingClosed as refusal:
        page = {"problem": str(refusal), "unsent": unsent}
        return _show_again(request, database, templates, code, 409, page, form.body)
    except NotFound:
        page = {"problem": IDEA_GONE, "unsent": unsent}
        return _show_again(request, database, templates, code, 404, page, form.body)
    return RedirectResponse(target, status_code=303)


@router.get("/m/{code}/ideas")
def ideas_address(code: str) -> RedirectResponse:
    """The address a refused idea form is shown at; reached with GET (a bookmark, a shared
    link) it leads back to the meeting page rather than to a 405."""
    return RedirectResponse(f"/m/{code.strip().lower()}", status_code=303)


@router.get("/m/{code}/ideas/{ref}/comments")
def comments_address(code: str, ref: str) -> RedirectResponse:
    anchor = f"#idea-{ref.strip().upper()}" if IDEA_REF.match(ref.strip().upper()) else ""
    return RedirectResponse(f"/m/{code.strip().lower()}{anchor}", status_code=303)


def _show_again(
    request: Request,
    database: Database,
    templates: Jinja2Templates,
    code: str,
    status_code: int,
    page_fields: dict[str, object],
    typed: str,
) -> Response:
    """The meeting page again with the refusal on it. If the meeting itself has gone meanwhile,
    the not-found page still hands back what the person typed."""
    try:
        with database.read() as session:
            meeting = load_public_meeting(session, code)
    except NotFound:
        return _unknown_meeting(templates, Unsent("What you wrote was not sent", typed))
    page = MeetingPage(meeting=meeting, **page_fields)  # type: ignore[arg-type]
    return render_meeting(templates, request, page, status_code=status_code)


def _unknown_meeting(templates: Jinja2Templates, unsent: Unsent) -> Response:
    return render_error(templates, 404, unsent=unsent if unsent.text.strip() else None)


def _idea_text(form: IdeaForm) -> str:
    return "\n\n".join(part for part in (form.title, form.detail) if part.strip())
