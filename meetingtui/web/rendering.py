"""Turning views into HTML: the Jinja2 environment, the meeting page's context, the error pages.

Autoescaping is on for every template: attendees type into these pages and everyone else reads
what they typed, so nothing from the database reaches the page unescaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.responses import HTMLResponse

from meetingtui.domain.ideas import COMMENT_MAX, DETAIL_MAX, TITLE_MAX
from meetingtui.domain.vocab import STAKEHOLDERS
from meetingtui.web.forms import IDEA_FIELDS, ErrorLink, FormState, comment_state, idea_state
from meetingtui.web.views import PublicMeeting

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"

IDEA_REF = re.compile(r"^I-\d{1,8}$")


def build_templates() -> Jinja2Templates:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,  # a typo in a template fails the tests, not a phone
    )
    environment.filters.update(long_date=long_date, pair=lambda value: (value, value))
    environment.globals.update(
        stakeholders=list(STAKEHOLDERS.items()),
        limits={"title": f"{TITLE_MAX:,}", "detail": f"{DETAIL_MAX:,}", "body": f"{COMMENT_MAX:,}"},
    )
    return Jinja2Templates(env=environment)


def long_date(iso_date: str) -> str:
    """``2026-12-03`` as people say it, ``Thursday 3 December 2026``; anything else as given."""
    try:
        day = date.fromisoformat(iso_date)
    except ValueError:
        return iso_date
    return f"{day:%A} {day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Notice:
    """A confirmation after a successful POST, carried on the redirect's query string.

    Only fixed messages are shown; the query string picks one and may name an idea ref, so a
    crafted link cannot put words on the page.
    """

    kind: str
    ref: str = ""

    MESSAGES = {
        "idea-added": "Your idea has been added.",
        "idea-pending": (
            "Thank you, your idea has been sent. A moderator will check it before it appears "
            "on this page."
        ),
        "comment-added": "Your comment has been added.",
        "comment-pending": (
            "Thank you, your comment has been sent. A moderator will check it before it appears "
            "on this page."
        ),
    }

    @classmethod
    def from_query(cls, kind: str | None, ref: str | None) -> Notice | None:
        if kind not in cls.MESSAGES:
            return None
        ref = (ref or "").strip().upper()
        return cls(kind=kind, ref=ref if IDEA_REF.match(ref) else "")

    @property
    def message(self) -> str:
        return self.MESSAGES[self.kind]

    @property
    def about_comment(self) -> bool:
        return self.kind.startswith("comment") and bool(self.ref)

    def query(self) -> str:
        return f"notice={self.kind}" + (f"&ref={self.ref}" if self.ref else "")


@dataclass(frozen=True)
class Unsent:
    """Text that could not be placed back in a form (meeting closed, idea gone), shown read-only
    so the person can copy it rather than lose it."""

    heading: str
    text: str


@dataclass
class MeetingPage:
    """Everything ``meeting.html`` needs, including a refused form's values and messages."""

    meeting: PublicMeeting
    idea_form: FormState = field(default_factory=idea_state)
    comment_forms: dict[str, FormState] = field(default_factory=dict)
    notice: Notice | None = None
    problem: str = ""  # a refusal not tied to one field
    unsent: Unsent | None = None

    def comment_form(self, ref: str) -> FormState:
        return self.comment_forms.get(ref) or comment_state(ref)

    @property
    def error_links(self) -> list[ErrorLink]:
        links = (
            [ErrorLink(self.problem, "unsent" if self.unsent else "main")] if self.problem else []
        )
        links += self.idea_form.summary(IDEA_FIELDS)
        for state in self.comment_forms.values():
            links += state.summary(("body",))
        return links

    @property
    def has_errors(self) -> bool:
        return bool(self.error_links)


def render_meeting(
    templates: Jinja2Templates, request: Request, page: MeetingPage, *, status_code: int = 200
) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "meeting.html",
        {"page": page, "meeting": page.meeting, "lang": page.meeting.language},
        status_code=status_code,
        # Always fresh, but not "no-store": that would keep the browser from restoring what
        # the person typed when they come back with the back button (after a 413, say).
        headers={"Cache-Control": "no-cache"},
    )


@dataclass(frozen=True)
class ErrorPage:
    title: str
    message: str
    advice: str = ""


ERROR_PAGES: dict[int, ErrorPage] = {
    400: ErrorPage(
        "Sorry, we could not read that",
        "What was sent did not look like one of this site's forms.",
        "Go back and try again.",
    ),
    404: ErrorPage(
        "Page not found",
        "There is no meeting or idea at this address.",
        "Check the meeting code under the QR code, or scan the code again.",
    ),
    405: ErrorPage(
        "Page not found",
        "This address only receives forms from the meeting page.",
        "Go back to the meeting page.",
    ),
    413: ErrorPage(
        "Your message is too long to send",
        "What you sent is larger than this site accepts, so it was not saved.",
        "Use your browser's back button to return to what you typed, shorten it, and send it "
        "again.",
    ),
    500: ErrorPage(
        "Sorry, there is a problem with the service",
        "Something went wrong on our side. What you sent may not have been saved.",
        "Go back and try again in a moment.",
    ),
}


def error_page_for(status_code: int) -> ErrorPage:
    if status_code in ERROR_PAGES:
        return ERROR_PAGES[status_code]
    return ERROR_PAGES[500] if status_code >= 500 else ERROR_PAGES[400]


def render_error(
    templates: Jinja2Templates,
    status_code: int,
    *,
    message: str = "",
    back_url: str = "",
    unsent: Unsent | None = None,
) -> HTMLResponse:
    """A friendly page for any failure: never a traceback, never a bare JSON error on a phone.

    Renders the template directly rather than through a request, so ASGI middleware that refuses
    a request before routing can use it too.
    """
    page = error_page_for(status_code)
    context = {
        "error": page,
        "message": message or page.message,
        "status_code": status_code,
        "back_url": back_url,
        "unsent": unsent,
        "lang": "en",
    }
    html = templates.get_template("error.html").render(context)
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})
