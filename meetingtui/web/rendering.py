"""Turning views into HTML: the Jinja2 environment, the pages' contexts, the error pages.

Autoescaping is on for every template: attendees type into these pages and everyone else reads
what they typed, so nothing from the database reaches the page unescaped. Every render happens in
the meeting's language (see ``i18n``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.responses import HTMLResponse

from meetingtui.domain.catalogue_refs import full_ref
from meetingtui.domain.ideas import COMMENT_MAX, DETAIL_MAX, NAME_MAX, ORGANISATION_MAX, TITLE_MAX
from meetingtui.domain.merging import MergeSource, MergeView
from meetingtui.domain.receipts import Receipt
from meetingtui.domain.similar import SimilarIdea
from meetingtui.domain.vocab import CHANNELS, STAKEHOLDERS, label
from meetingtui.web import i18n
from meetingtui.web.forms import (
    IDEA_FIELDS,
    ErrorLink,
    FormState,
    comment_state,
    idea_state,
    speak_state,
)
from meetingtui.web.i18n import decimal, gettext, long_date, number, plural, translate_message
from meetingtui.web.poll_views import PollFormState, bar_figure
from meetingtui.web.views import SORTS, PublicIdea, PublicMeeting

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"

IDEA_REF = re.compile(r"^I-\d{1,8}$")
COMMENTS_ON_CARD = 2
PREVIEW_CHARS = 280  # detail and comments on the list are cut here; the idea page has them whole


def build_templates() -> Jinja2Templates:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,  # a typo in a template fails the tests, not a phone
    )
    environment.filters.update(
        long_date=long_date, pair=lambda value: (value, value), preview=preview
    )
    from meetingtui.web.live import queue_text

    environment.globals.update(
        _=gettext,
        plural=plural,  # counted words: "1 minute", "10 minutes"
        number=number,
        decimal=decimal,  # a mean score: 4.5 · 4,5
        bar_figure=bar_figure,  # a projector bar's figure (web/poll_views.py)
        translate_message=translate_message,
        queue_text=queue_text,
        full_ref=full_ref,
        stakeholders=list(STAKEHOLDERS.items()),
        # Counts: ``_()`` writes them as the meeting's language writes numbers (4,000 · 4.000).
        limits={"title": TITLE_MAX, "detail": DETAIL_MAX, "body": COMMENT_MAX, "name": NAME_MAX},
        # The same limits on the inputs themselves (``maxlength``), as numbers.
        maxlengths={
            "title": TITLE_MAX,
            "detail": DETAIL_MAX,
            "body": COMMENT_MAX,
            "name": NAME_MAX,
            "organisation": ORGANISATION_MAX,
        },
    )
    return Jinja2Templates(env=environment)


def preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    """The start of a long text, cut at a word, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip() + "…"


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
        "supported": "You support this idea. Tap the button again to take your support back.",
        "unsupported": "You no longer support this idea.",
        "speaker-added": "You have asked to speak.",
        "speaker-withdrawn": "You are no longer in the queue to speak.",
        "ballot-recorded": "Your vote is recorded — you can change it until the poll closes.",
    }
    ON_IDEA = ("comment-added", "comment-pending", "supported", "unsupported")
    RECEIPTS = ("idea-added", "idea-pending")  # with the idea's ref: its receipt

    @classmethod
    def from_query(cls, kind: str | None, ref: str | None) -> Notice | None:
        if kind not in cls.MESSAGES:
            return None
        ref = (ref or "").strip().upper()
        return cls(kind=kind, ref=ref if IDEA_REF.match(ref) else "")

    @property
    def message(self) -> str:
        return gettext(self.MESSAGES[self.kind])

    @property
    def about_comment(self) -> bool:
        """Shown on the idea's card rather than at the top (comments and supports)."""
        return self.kind in self.ON_IDEA and bool(self.ref)

    @property
    def is_receipt(self) -> bool:
        """An idea was just sent: the notice says its ref and where its answer will be."""
        return self.kind in self.RECEIPTS and bool(self.ref)

    def query(self) -> str:
        return f"notice={self.kind}" + (f"&ref={self.ref}" if self.ref else "")


@dataclass(frozen=True)
class Unsent:
    """Text that could not be placed back in a form (meeting closed, idea gone), shown read-only
    so the person can copy it rather than lose it."""

    heading: str
    text: str


@dataclass(frozen=True)
class ListView:
    """Which slice of the ideas the page shows: the order and the page number."""

    sort: str = "newest"
    page: int = 1

    @classmethod
    def from_query(cls, sort: str | None, page: str | None) -> ListView:
        chosen = sort if sort in SORTS else "newest"
        number = int(page) if page and page.isdigit() and len(page) < 6 else 1
        return cls(chosen, max(1, number))

    def query(self, **changes: object) -> str:
        sort = changes.get("sort", self.sort)
        page = changes.get("page", self.page)
        parts = [f"sort={sort}"] if sort != "newest" else []
        if page != 1:
            parts.append(f"page={page}")
        return ("?" + "&".join(parts)) if parts else ""


@dataclass
class MeetingPage:
    """Everything the meeting and idea templates need, including a refused form's values and
    messages. ``idea`` set means the page of one idea; else the meeting page's list."""

    meeting: PublicMeeting
    idea_form: FormState = field(default_factory=idea_state)
    comment_forms: dict[str, FormState] = field(default_factory=dict)
    speak_form: FormState = field(default_factory=speak_state)
    notice: Notice | None = None
    problem: str = ""  # a refusal not tied to one field
    problem_target: str = ""  # the element its summary line links to
    unsent: Unsent | None = None
    view: ListView = field(default_factory=ListView)
    idea: PublicIdea | None = None
    comment_page: int = 1
    csrf_token: str = ""
    # Receipts (domain/receipts.py): where a just-sent idea's answer will be published (""
    # when no site is said); on an idea's own page, what has become of it.
    answer_url: str = ""
    receipt: Receipt | None = None
    # A refused idea form: the meeting's ideas like the title typed (domain/similar.py), shown
    # without JavaScript too; the script (static/similar.js) shows them while typing.
    similar: list[SimilarIdea] = field(default_factory=list)
    # The sign-in and pairwise cards (web/reach_pages.py ``phone_offers``); none by default.
    offers: Any = None
    merge: MergeView | None = None  # the idea page's merges and splits, None when none

    def source_facts(self, source: MergeSource) -> list[str]:
        """A merged source's channel, stakeholder group, meeting and consented name, said."""
        facts = [
            gettext(label(CHANNELS, source.channel)) if source.channel else "",
            gettext(label(STAKEHOLDERS, source.stakeholder)) if source.stakeholder else "",
            source.meeting_title,
            source.raised_by,
        ]
        return [fact for fact in facts if fact]

    poll_form: PollFormState = field(default_factory=PollFormState)  # a refused ballot

    def comment_form(self, ref: str) -> FormState:
        return self.comment_forms.get(ref) or comment_state(ref)

    def supported(self, ref: str) -> bool:
        return ref in self.meeting.supported_refs

    @property
    def error_links(self) -> list[ErrorLink]:
        target = self.problem_target or ("unsent" if self.unsent else "main")
        links = [ErrorLink(self.problem, target)] if self.problem else []
        links += self.idea_form.summary(IDEA_FIELDS)
        links += self.speak_form.summary(("name",))
        for state in self.comment_forms.values():
            links += state.summary(("body",))
        if self.poll_form.error:
            links.append(ErrorLink(self.poll_form.error, f"poll-{self.poll_form.number}-form"))
        return links

    def poll_values(self, poll: Any) -> dict[str, str]:
        """What a poll's form shows: the refused ballot as sent, else this device's ballot."""
        if self.poll_form.number == poll.number and (self.poll_form.values or self.poll_form.error):
            return self.poll_form.values
        return dict(poll.mine)

    @property
    def has_errors(self) -> bool:
        return bool(self.error_links)

    # The list of ideas on the meeting page: the views loaded exactly the page shown.
    @property
    def ordered_ideas(self) -> list[PublicIdea]:
        return self.meeting.ideas

    @property
    def page_count(self) -> int:
        return self.meeting.page_count

    @property
    def shown_ideas(self) -> list[PublicIdea]:
        return self.meeting.ideas

    def card_comments(self, idea: PublicIdea) -> list:
        """The comments a card shows: the page of them loaded on the idea's own page, else the
        newest few (only those were loaded)."""
        if self.idea is not None:
            return idea.comments
        return idea.comments[-COMMENTS_ON_CARD:]

    @property
    def comment_page_count(self) -> int:
        return self.meeting.comment_page_count if self.idea else 1

    @property
    def back(self) -> str:
        """Where a support or comment form returns to: this very view."""
        if self.idea is not None:
            suffix = f"?page={self.comment_page}" if self.comment_page > 1 else ""
            return f"/m/{self.meeting.code}/ideas/{self.idea.ref}{suffix}"
        return f"/m/{self.meeting.code}{self.view.query()}"


BACK_VIEW = re.compile(r"(/ideas/I-\d{1,8})?(\?(sort=support|page=\d{1,5})(&page=\d{1,5})?)?")


def back_target(code: str, back: str) -> str:
    """A form's ``back`` field, if it is one of this meeting's own views; else the page."""
    prefix = f"/m/{code}"
    if back.startswith(prefix) and BACK_VIEW.fullmatch(back[len(prefix) :]):
        return back
    return f"/m/{code}"


def with_notice(target: str, notice: Notice, anchor: str = "") -> str:
    joiner = "&" if "?" in target else "?"
    return f"{target}{joiner}{notice.query()}{anchor}"


def render_page(
    templates: Jinja2Templates,
    request: Request,
    template: str,
    page: MeetingPage,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """A meeting's page (the list or one idea) in the meeting's language, with this device's
    form token."""
    from meetingtui.web.security import csrf_token

    page.csrf_token = csrf_token(request.app.state.signer, request.state.device)
    with i18n.language(page.meeting.language):
        return templates.TemplateResponse(
            request,
            template,
            {
                "page": page,
                "meeting": page.meeting,
                "lang": i18n.html_lang(page.meeting.language),
            },
            status_code=status_code,
            # Always fresh, but not "no-store": that would keep the browser from restoring
            # what the person typed when they come back with the back button (after a 413).
            headers={"Cache-Control": "no-cache"},
        )


def render_meeting(
    templates: Jinja2Templates, request: Request, page: MeetingPage, *, status_code: int = 200
) -> HTMLResponse:
    template = "idea.html" if page.idea is not None else "meeting.html"
    return render_page(templates, request, template, page, status_code=status_code)


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
    429: ErrorPage(
        "You have sent a lot in a short time",
        "To keep the page working for everyone, we did not save that.",
        "Wait a minute, then go back and send it again.",
    ),
    503: ErrorPage(
        "The service is busy for a moment",
        "What you sent was not saved: the meeting's database is busy.",
        "Wait a few seconds, then send it again.",
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
    language: str = "en",
    headers: dict[str, str] | None = None,
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
        "lang": i18n.html_lang(language),
    }
    with i18n.language(language):
        html = templates.get_template("error.html").render(context)
    return HTMLResponse(
        html, status_code=status_code, headers={"Cache-Control": "no-store", **(headers or {})}
    )
