"""The polls as the public sees them (phone page and JSON), and the phone's ballot form.

What is shown is decided by domain/public.py (``poll_public``, ``poll_results_public``); the
counting by domain/polls.py. The ballot form works without JavaScript, one field per option:

=========  ===============================================================================
single     ``choice`` = the option's position (radios)
multiple   ``option-N`` = ``yes`` per ticked option (checkboxes); budget likewise
ranking    ``rank-N`` = its place, 1 = first (a ``<select>`` per option; blank: unranked)
score      ``score-N`` = the score, blank = skip (a ``<select>`` per option)
dots       ``dots-N`` = how many dots (a number input per option)
=========  ===============================================================================
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, col, select

from meetingtui.domain import public
from meetingtui.domain.errors import FieldErrors
from meetingtui.domain.models import Idea, Meeting, Poll
from meetingtui.domain.poll_bars import Bar
from meetingtui.domain.polls import (
    device_choices,
    device_was_counted,
    poll_results,
    poll_settings,
)
from meetingtui.domain.public import Audience
from meetingtui.domain.room_polls import room_polls, visible_polls
from meetingtui.domain.tallies import SCORE_DEFAULT_MAX, SCORE_DEFAULT_MIN, Choices
from meetingtui.web.i18n import decimal, gettext, plural

MAX_FIELD = 12  # a place, a score or a count: a few digits


@dataclass(frozen=True)
class PublicOption:
    position: int
    label: str
    cost: int
    figures: dict[str, Any]  # empty when the results are not shown yet
    share: float = 0.0  # 0-1, for the bar: of the largest figure
    idea_ref: str = ""  # the idea the option was made from


@dataclass(frozen=True)
class PublicPoll:
    number: int
    type: str
    question: str
    status: str  # open · closed
    results: str  # live · at close
    results_shown: bool
    ballots: int
    options: tuple[PublicOption, ...]
    leaders: tuple[str, ...] = ()  # labels tied at the top (shown with the results)
    low: int = SCORE_DEFAULT_MIN  # score: the range
    high: int = SCORE_DEFAULT_MAX
    min: int | None = None  # multiple: how many
    max: int | None = None
    dots: int = 0
    unit: str = "dots"
    budget: int = 0
    override: tuple[str, ...] | None = None
    override_reason: str = ""
    # This device: what it chose (as form fields), and whether it was counted at a close.
    mine: dict[str, str] = field(default_factory=dict)
    counted: bool = False

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def anchor(self) -> str:
        return f"poll-{self.number}"


MAIN_FIGURE = {
    "single": "votes",
    "multiple": "votes",
    "budget": "votes",
    "ranking": "borda",
    "score": "mean",
    "dots": "points",
}


def bar_figure(bar: Bar) -> str:
    """A projector bar's figure in the meeting's language, worded as the phone page words it:
    "1.200 votos · 57%"; a score says its average alone (its percentage is of the top mean,
    which would read as a share of votes)."""
    if bar.kind == "mean":
        return gettext("average {mean}", mean=decimal(bar.value)) if bar.counted else "–"
    count = int(bar.value)
    if bar.kind == "votes":
        said = plural(count, "{count} vote", "{count} votes")
    elif bar.kind == "dots":
        said = plural(count, "{count} dot", "{count} dots")
    else:  # Borda points, or a dots poll counted in points
        said = plural(count, "{count} point", "{count} points")
    return gettext("{figure} · {percent}%", figure=said, percent=bar.percent)


def public_polls(
    session: Session, meeting: Meeting, *, device: str = "", current_only: bool = False
) -> list[PublicPoll]:
    """The meeting's polls the public may see. ``current_only``: the open ones and those of
    the current item."""
    found = visible_polls(session, meeting, current_only=current_only)
    return [_public_poll(session, poll, device) for poll in found]


def phone_polls(session: Session, meeting: Meeting, *, device: str = "") -> list[PublicPoll]:
    """The polls a phone's meeting page shows (domain/room_polls.py decides which)."""
    return [_public_poll(session, poll, device) for poll in room_polls(session, meeting)]


def phone_polls_key(session: Session, meeting: Meeting) -> str:
    """The same polls as ``phone_polls`` in the form of the page's state key, without their
    results: what the live script polls a few times a minute per phone."""
    return polls_key((poll.number, poll.status) for poll in room_polls(session, meeting))


def polls_key(polls: Iterable[tuple[int, str]]) -> str:
    """Which polls a page shows and whether each is open: a poll opened or closed from the
    console changes it, so every phone reloads to show the ballot or the result."""
    return ",".join(f"{number}{status[:1]}" for number, status in polls)


def _public_poll(session: Session, poll: Poll, device: str) -> PublicPoll:
    results = poll_results(session, poll)
    shown = public.poll_results_public(poll, Audience.PUBLIC)
    main = MAIN_FIGURE[poll.type]
    rows = results.rows()
    top = max((float(f.get(main) or 0) for _, f in rows), default=0.0)
    refs = _idea_refs(session, [o.idea_id for o in results.options if o.idea_id])
    options = tuple(
        PublicOption(
            position=option.position,
            label=option.label,
            cost=option.cost,
            figures=dict(figures) if shown else {},
            share=(float(figures.get(main) or 0) / top) if shown and top else 0.0,
            idea_ref=refs.get(option.idea_id, "") if option.idea_id else "",
        )
        for option, figures in rows
    )
    settings = poll_settings(poll)
    mine: dict[str, str] = {}
    counted = False
    if device and poll.status == "open":
        chosen = device_choices(session, poll_id=poll.id, device=device)
        if chosen is not None:
            mine = choices_as_fields(poll.type, chosen)
        counted = device_was_counted(session, poll_id=poll.id, device=device)
    labels = [o.label for o in results.options]
    low = settings.get("min", SCORE_DEFAULT_MIN) if poll.type == "score" else SCORE_DEFAULT_MIN
    high = settings.get("max", SCORE_DEFAULT_MAX) if poll.type == "score" else SCORE_DEFAULT_MAX
    return PublicPoll(
        number=poll.number,
        type=poll.type,
        question=poll.question,
        status=poll.status,
        results=poll.results,
        results_shown=shown,
        ballots=results.ballots,
        options=options,
        leaders=tuple(labels[i] for i in results.combined.leaders) if shown else (),
        low=low,
        high=high,
        min=settings.get("min") if poll.type == "multiple" else None,
        max=settings.get("max") if poll.type == "multiple" else None,
        dots=settings.get("dots", 0),
        unit=settings.get("unit", "dots"),
        budget=settings.get("budget", 0),
        override=tuple(labels[i] for i in results.override)
        if shown and results.override is not None
        else None,
        override_reason=poll.override_reason if shown else "",
        mine=mine,
        counted=counted,
    )


def _idea_refs(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The refs of the ideas options were made from, if the public may still see them."""
    if not ids:
        return {}
    rows = session.exec(
        select(Idea.id, Idea.ref).where(col(Idea.id).in_(ids), *public.idea_filter(Audience.PUBLIC))
    )
    return dict(rows.all())


class PollForm(BaseModel):
    """A ballot as posted: one field per option (module doc), kept as typed."""

    model_config = ConfigDict(extra="allow")

    csrf_token: str = ""
    choice: str = ""

    def fields(self) -> dict[str, str]:
        extra = {k: str(v)[:MAX_FIELD] for k, v in (self.model_extra or {}).items()}
        return {"choice": self.choice[:MAX_FIELD], **extra}


def _number(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise FieldErrors({"choices": "Enter whole numbers."}) from None


def form_choices(kind: str, fields: dict[str, str], options: int) -> Any:
    """The posted fields as choices for ``cast_ballot`` (checked there)."""
    if kind == "single":
        return [_number(fields["choice"])] if fields.get("choice", "").strip() else []
    if kind in ("multiple", "budget"):
        return [i for i in range(options) if fields.get(f"option-{i}", "").strip()]
    if kind == "ranking":
        places: dict[int, int] = {}
        for i in range(options):
            value = fields.get(f"rank-{i}", "").strip()
            if value:
                places[i] = _number(value)
        if len(set(places.values())) != len(places):
            raise FieldErrors({"choices": "Give each place to one option only."})
        return [i for i, _ in sorted(places.items(), key=lambda pair: pair[1])]
    prefix = "score" if kind == "score" else "dots"
    given: dict[int, int] = {}
    for i in range(options):
        value = fields.get(f"{prefix}-{i}", "").strip()
        if value and value != "skip":
            given[i] = _number(value)
    return given


def choices_as_fields(kind: str, choices: Choices) -> dict[str, str]:
    """A recorded ballot as the form's fields, so the form shows it and it can be changed."""
    if kind == "single":
        return {"choice": str(list(choices)[0])} if choices else {}
    if kind in ("multiple", "budget"):
        return {f"option-{i}": "yes" for i in choices}
    if kind == "ranking":
        return {f"rank-{i}": str(place) for place, i in enumerate(choices, start=1)}
    prefix = "score" if kind == "score" else "dots"
    assert isinstance(choices, dict)
    return {f"{prefix}-{i}": str(n) for i, n in choices.items()}


@dataclass
class PollFormState:
    """A refused ballot shown again: which poll, the choices as sent, the message."""

    number: int = 0
    values: dict[str, str] = field(default_factory=dict)
    error: str = ""


def poll_id_of(session: Session, meeting_id: uuid.UUID, number: str) -> uuid.UUID:
    from meetingtui.domain.polls import find_poll

    poll = find_poll(session, meeting_id=meeting_id, key=number)
    if poll.status == "draft":
        from meetingtui.domain.errors import NotFound

        raise NotFound("That poll is not open.")
    return poll.id
