"""Property-based: no input string breaks a page or escapes its escaping.

Two levels. The templates, rendered directly with arbitrary strings in every field a person can
fill in, must produce exactly the markup they produce for plain text of the same length, with
the strings coming back unchanged as text and attribute values. Then through real HTTP: any
title, detail and comment is either accepted (303) or refused with a message (422), never a
5xx, and what is shown reads back as exactly what the domain stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlmodel import select

from meetingtui.domain.models import Comment, Idea, Meeting
from meetingtui.web import i18n
from meetingtui.web.forms import comment_state, idea_state, speak_state
from meetingtui.web.rendering import MeetingPage, Unsent, build_templates
from meetingtui.web.security import UNLIMITED
from meetingtui.web.views import PublicComment, PublicIdea, PublicItem, PublicMeeting
from tests.web.helpers import LiveWeb

TEMPLATES = build_templates()
NOW = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)

# Anything a phone keyboard, a paste or a script could send, weighted towards markup.
hostile = st.lists(
    st.one_of(
        st.sampled_from(["<", ">", "&", '"', "'", "`", "=", "/", " ", "\n", "\t", "{{", "%}"]),
        st.sampled_from(["</textarea>", "<script>", "<!--", "]]>", "&amp;", '" onload="x']),
        st.characters(codec="utf-8"),  # what HTTP can carry: no lone surrogates
        st.text(max_size=5),
    ),
    max_size=25,
).map("".join)


class _Shape(HTMLParser):
    """The document's shape (tags and attribute names) and its text and attribute values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shape: list[tuple[str, ...]] = []
        self.texts: list[str] = []
        self.values: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.shape.append((tag, *sorted(name for name, _ in attrs)))
        self.values += [value or "" for _, value in attrs]

    def handle_endtag(self, tag: str) -> None:
        self.shape.append(("/" + tag,))

    def handle_data(self, data: str) -> None:
        self.texts.append(data)

    def handle_comment(self, data: str) -> None:
        self.shape.append(("!--", data))


def _parse(document: str) -> _Shape:
    parser = _Shape()
    parser.feed(document)
    parser.close()
    return parser


def _meeting(text: str) -> MeetingPage:
    """A page with ``text`` in every field a person can fill in, and every refusal showing."""
    comment = PublicComment(body=text, created_at=NOW, time_label="18:30")
    idea = PublicIdea(
        ref="I-0001",
        title=text,
        detail=text,
        topic=text,
        stakeholder="carer",
        stakeholder_label="Carer",
        raised_by=text,
        organisation=text,
        captured_at=NOW,
        time_label="18:30",
        status="new",
        support_count=1,
        comment_count=1,
        comments=[comment],
    )
    meeting = PublicMeeting(
        id=uuid.UUID(int=1),
        code="testcode23",
        title=text,
        date="2026-12-03",
        start="18:30",
        timezone="UTC",
        location=text,
        language="en",
        status="running",
        moderation="post",
        topics=[text],
        current_item=PublicItem(0, text, "discussion", "Discussion", 10, text),
        ideas=[idea],
    )
    idea_form = idea_state(None, {"title": "Enter a title for your idea"})
    idea_form.values.update(title=text, detail=text, raised_by=text, organisation=text)
    comment_form = comment_state("I-0001", None, {"body": "Enter your comment"})
    comment_form.values["body"] = text
    speak_form = speak_state()
    speak_form.values["name"] = text
    return MeetingPage(
        meeting=meeting,
        idea_form=idea_form,
        comment_forms={"I-0001": comment_form},
        speak_form=speak_form,
        unsent=Unsent("Your idea was not sent", text),
        problem="This meeting has closed and is no longer taking ideas or comments.",
        csrf_token="token",
    )


def _render(template: str, page: MeetingPage) -> str:
    with i18n.language("en"):
        return TEMPLATES.get_template(template).render(page=page, meeting=page.meeting, lang="en")


@settings(max_examples=300, deadline=None)
@given(text=hostile)
def test_no_string_changes_the_markup_of_any_page(text: str) -> None:
    plain = "x" * len(text)
    for template, extra in (("meeting.html", {}), ("idea.html", {"idea": True})):
        page, reference = _meeting(text), _meeting(plain)
        if extra:
            page.idea, reference.idea = page.meeting.ideas[0], reference.meeting.ideas[0]
        document = _parse(_render(template, page))
        expected = _parse(_render(template, reference))
        assert document.shape == expected.shape, template
        if text.strip():
            every_text = "".join(document.texts)
            # Inputs keep it as an attribute value; textareas and paragraphs as text.
            assert text in document.values or text in every_text or text[1:] in every_text


@settings(max_examples=200, deadline=None)
@given(text=hostile)
def test_error_page_keeps_any_text_as_text(text: str) -> None:
    from meetingtui.web.rendering import render_error

    response = render_error(TEMPLATES, 404, unsent=Unsent("Your idea was not sent", text))
    parsed = _parse(response.body.decode())
    reference = _parse(
        render_error(TEMPLATES, 404, unsent=Unsent("x", "x" * len(text))).body.decode()
    )
    assert parsed.shape == reference.shape


@pytest.fixture
def open_web(web_with: Callable[..., LiveWeb], meeting: Meeting) -> LiveWeb:
    return web_with(rate_limits=UNLIMITED)


@settings(
    max_examples=40,
    deadline=None,
    # One server and one database for all the examples: that is the point.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=hostile, detail=hostile, body=hostile)
def test_any_submission_over_http_is_accepted_or_refused_never_broken(
    open_web: LiveWeb, title: str, detail: str, body: str
) -> None:
    web = open_web
    sent = web.post("/m/testcode23/ideas", {"title": title, "detail": detail})
    assert sent.status_code in (303, 422), sent.status_code
    page = web.client.get(sent.headers["location"]) if sent.status_code == 303 else sent
    assert page.status_code in (200, 422)
    # The page's own two scripts (live updates, similar ideas while typing), and nothing else.
    assert _parse(page.text).shape.count(("script", "defer", "src")) == 2
    if sent.status_code != 303:
        return
    ref = sent.headers["location"].rsplit("=", 1)[1]
    with web.database.read() as session:
        idea = session.exec(select(Idea).where(Idea.ref == ref)).one()
    shown = web.client.get(f"/m/testcode23/ideas/{ref}").text
    assert str(escape(idea.title)) in shown and str(escape(idea.detail)) in shown
    commented = web.post(f"/m/testcode23/ideas/{ref}/comments", {"body": body})
    assert commented.status_code in (303, 422)
    if commented.status_code == 303:
        with web.database.read() as session:
            stored = session.exec(select(Comment).where(Comment.idea_id == idea.id)).one()
        assert str(escape(stored.body)) in web.client.get(f"/m/testcode23/ideas/{ref}").text
