"""A receipt for an idea: the name to keep (``CODE/I-0042``), where its answer will be
published, and what has become of it so far, as the public may see it.

The published site (``publish``) gives every idea a page at ``ideas/CODE/I-0042.html``
(``site_idea_path``). When the organisers say where the site is served (``set_site_url``, kept
in the database so every process agrees), a receipt gives that page's address; otherwise a
sentence saying the answer is published with the meeting's record. Everything about the idea
goes through domain/public.py: the published status, reason and response, never a draft; only
published history entries.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlsplit

from sqlmodel import Session, col, select

from meetingtui.domain import public
from meetingtui.domain.catalogue_refs import full_ref
from meetingtui.domain.errors import FieldErrors
from meetingtui.domain.lifecycle import ChangeField, history
from meetingtui.domain.models import Idea, Setting
from meetingtui.domain.public import Audience
from meetingtui.domain.states import Visibility
from meetingtui.domain.vocab import IDEA_STATUSES, label

SITE_URL = "publish.site_url"
SITE_URL_MAX = 500


def site_idea_path(code: str, ref: str) -> str:
    """An idea's page within the published site (the site writes it there)."""
    return f"ideas/{quote(code, safe='')}/{quote(ref, safe='')}.html"


def site_url(session: Session) -> str:
    """Where the published site is served (``https://…/``), or "" when not said."""
    row = session.get(Setting, SITE_URL)
    return row.value if row is not None else ""


# Never part of an address a receipt links to: spaces, control characters, quotes, angle
# brackets and backslashes (a typo, or an attempt to break out of the link it is written into).
_NOT_IN_AN_ADDRESS = frozenset(" \t\r\n\"'<>\\`{}|^")


def is_web_address(url: str) -> bool:
    """``http(s)://host[:port]/path``: the scheme, a host, a valid port, nothing unsafe. The one
    check of an address typed for people to open (the site's, the cards' join address)."""
    if len(url) > SITE_URL_MAX or any(c in _NOT_IN_AN_ADDRESS or not c.isprintable() for c in url):
        return False
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def set_site_url(session: Session, url: str) -> str:
    """Say where the published site is served ("" to forget it). An address on the web
    (``http://`` or ``https://``, a host, no spaces, quotes or angle brackets), or FieldErrors.
    One address per database: the receipts of every programme point under it."""
    cleaned = url.strip()
    if cleaned:
        if not is_web_address(cleaned):
            raise FieldErrors(
                {
                    "site_url": "Give the site's address on the web, starting https:// (or "
                    "http://), with a host and no spaces, quotes or angle brackets."
                }
            )
        cleaned = cleaned.rstrip("/") + "/"
    row = session.get(Setting, SITE_URL)
    if row is None:
        session.add(Setting(name=SITE_URL, value=cleaned))
    else:
        row.value = cleaned
    return cleaned


def has_receipt(session: Session, meeting_id: uuid.UUID, ref: str, device: str) -> bool:
    """Whether the phone may show a receipt for ``ref`` ("your idea's reference is …"): an idea
    of this meeting the public may see, or one this device sent that is waiting for a moderator.
    A link made up by hand (a deleted, hidden or unknown ref, another meeting's, another
    phone's waiting idea) shows none."""
    query = select(Idea.visibility, Idea.device).where(
        Idea.meeting_id == meeting_id, Idea.ref == ref, col(Idea.deleted_at).is_(None)
    )
    found = session.exec(query).first()
    if found is None:
        return False
    visibility, sender = found
    if visibility == Visibility.VISIBLE:
        return True
    return visibility == Visibility.PENDING and bool(device) and sender == device


def answer_address(site: str, code: str, ref: str) -> str:
    """The published page of an idea's answer, on ``site`` ("" when no site is said)."""
    return f"{site.rstrip('/')}/{site_idea_path(code, ref)}" if site else ""


@dataclass(frozen=True)
class HistoryEntry:
    """One published change: when, what (status, response, plan) and from → to."""

    at: datetime
    field: str
    before: str
    after: str
    reason: str


@dataclass(frozen=True)
class Receipt:
    """What a person who raised an idea may see of it (the public's view)."""

    full_ref: str
    status: str
    status_label: str  # English: the caller translates it
    reason: str
    response: str
    published_at: datetime | None
    history: list[HistoryEntry]
    response_theme: str  # the theme whose response it inherits ("" when its own or none)
    answer_url: str  # the published site's page of it, or "" (no site said)


def idea_receipt(session: Session, idea: Idea, code: str) -> Receipt:
    """The receipt of an idea the public may see (the caller found it for the public)."""
    status = public.idea_status(idea, Audience.PUBLIC)
    answer = public.idea_answers(session, [idea], Audience.PUBLIC)[idea.id]
    entries = [
        HistoryEntry(
            at=change.at,
            field=change.field,
            before=_shown(change.field, change.from_value),
            after=_shown(change.field, change.to_value),
            reason=change.reason,
        )
        for change in history(session, idea.id, Audience.PUBLIC)
    ]
    return Receipt(
        full_ref=full_ref(code, idea.ref),
        status=status,
        status_label=label(IDEA_STATUSES, status),
        reason=public.status_reason(idea, Audience.PUBLIC),
        response=answer.response,
        published_at=idea.published_at,
        history=entries,
        response_theme=answer.theme,
        answer_url=answer_address(site_url(session), code, idea.ref),
    )


def _shown(field: str, value: str) -> str:
    """A history value as said: a status by its label (English), anything else as written."""
    return label(IDEA_STATUSES, value) if field == ChangeField.STATUS and value else value
