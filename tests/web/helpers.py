"""Small readers for the HTML the attendee web returns: enough to assert on what a person sees."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import httpx

from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.models import Meeting
from meetingtui.store.database import Database


@dataclass
class LiveWeb:
    base_url: str
    client: httpx.Client
    database: Database
    app: Any = field(default=None, repr=False)
    server: Any = field(default=None, repr=False)  # the uvicorn.Server

    def phone(self, **client_options: Any) -> LiveWeb:
        """Another phone on the same web: its own client, so its own device cookie."""
        client = httpx.Client(
            base_url=self.base_url, follow_redirects=False, timeout=10, **client_options
        )
        return LiveWeb(
            base_url=self.base_url,
            client=client,
            database=self.database,
            app=self.app,
            server=self.server,
        )

    def page(self, code: str = "testcode23") -> httpx.Response:
        return self.client.get(f"/m/{code}")

    def post(self, path: str, data: dict[str, str], *, token: bool = True) -> httpx.Response:
        """POST a form as the page would: with this device's form token (fetched from the
        meeting page, which also sets the device cookie) unless ``token=False``."""
        if token and "csrf_token" not in data:
            data = {**data, "csrf_token": self.csrf_token(path)}
        return self.client.post(path, data=data)

    def csrf_token(self, path: str = "/m/testcode23") -> str:
        parts = path.split("/")
        code = parts[2] if len(parts) > 2 and parts[1] == "m" else "testcode23"
        response = self.client.get(f"/m/{code}")
        if response.status_code != 200:
            response = self.client.get("/m/testcode23")
        return form_token(response.text)


def form_token(document: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', document)
    assert match, "page has no form token"
    return match.group(1)


def page_title(document: str) -> str:
    match = re.search(r"<title>(.*?)</title>", document, re.S)
    assert match, "page has no <title>"
    return html.unescape(match.group(1).strip())


def error_summary_links(document: str) -> list[tuple[str, str]]:
    """(href, text) of each link in the "There is a problem" summary."""
    match = re.search(r'<div class="error-summary".*?</div>', document, re.S)
    if not match:
        return []
    return [
        (href, html.unescape(text.strip()))
        for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', match.group(0), re.S)
    ]


def field_error(document: str, field_id: str) -> str:
    """The message shown beside a field (GOV.UK: ``<p class="error-message" id="X-error">``)."""
    match = re.search(
        rf'<p class="error-message" id="{re.escape(field_id)}-error">(.*?)</p>', document, re.S
    )
    if not match:
        return ""
    text = re.sub(r"<[^>]+>", "", match.group(1))
    return html.unescape(text.replace("Error:", "", 1).strip())


class _Controls(HTMLParser):
    """Collects form controls by id: input values, textarea contents, checked state."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self.checked: dict[str, bool] = {}
        self.ids: list[str] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if element_id := attributes.get("id"):
            self.ids.append(element_id)
        if tag == "input" and element_id:
            self.values[element_id] = attributes.get("value") or ""
            self.checked[element_id] = "checked" in attributes
        elif tag == "textarea" and element_id:
            self._textarea = element_id
            self.values[element_id] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data


def controls(document: str) -> _Controls:
    parser = _Controls()
    parser.feed(document)
    return parser


def idea_refs_in_order(document: str) -> list[str]:
    return re.findall(r'<article class="idea" id="idea-(I-\d+)"', document)


def add_idea(database: Database, meeting: Meeting, title: str, **fields: object) -> str:
    """An idea captured as the note-taker would; returns its ref."""
    with database.write() as session:
        idea = capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=title, **fields))
        return idea.ref
