"""The meeting's polls in the minutes: each poll's question, its results combined and per channel
(phone, paper, hands), ballots, invalid ballots and the organisers' override with its reason.

What the record shows is decided in domain/public.py: a draft poll is not in it
(``poll_public``), and a poll whose results are not public yet (open, "results at close") shows
only its ballots so far (``poll_results_public``). Every format renders these entries.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlmodel import Session

from meetingtui.domain import polls as poll_service
from meetingtui.domain import public
from meetingtui.domain.models import AgendaItem
from meetingtui.domain.poll_bars import TYPE_NAMES, bars, channel_tallies
from meetingtui.domain.public import Audience
from meetingtui.export.reach_report import Section, Table
from meetingtui.export.wording import gettext, number, plural

CHANNEL_LABELS = {"all": "All channels", "phone": "Phones", "paper": "Paper", "hands": "Hands"}


@dataclass
class PollOptionEntry:
    label: str
    result: str  # as read: "12", "4.5 avg", "30 pts"
    percent: int
    leading: bool  # a leader, or in a budget poll's selection


@dataclass
class PollChannelEntry:
    channel: str  # all · phone · paper · hands
    ballots: int
    invalid: int
    options: list[PollOptionEntry]


@dataclass
class PollEntry:
    number: int
    question: str
    type: str
    status: str
    results: str  # live · at close
    agenda_item: str
    ballots: int
    invalid: int
    results_shown: bool  # False: open with results at close (only the ballots so far)
    channels: list[PollChannelEntry] = field(default_factory=list)
    override: list[str] = field(default_factory=list)  # the labels the organisers chose
    override_reason: str = ""
    notes: list[str] = field(default_factory=list)


def poll_entries(
    session: Session, meeting_id: uuid.UUID, audience: Audience = Audience.PUBLIC
) -> list[PollEntry]:
    """The polls the record shows, in number order."""
    entries: list[PollEntry] = []
    for poll in poll_service.meeting_polls(session, meeting_id):
        if not public.poll_public(poll, audience):
            continue
        results = poll_service.poll_results(session, poll)
        item = session.get(AgendaItem, poll.agenda_item_id) if poll.agenda_item_id else None
        shown = public.poll_results_public(poll, Audience.PUBLIC)
        entry = PollEntry(
            number=poll.number,
            question=poll.question,
            type=poll.type,
            status=poll.status,
            results=poll.results,
            agenda_item=item.title if item else "",
            ballots=results.ballots,
            invalid=sum(results.invalid.values()),
            results_shown=shown,
        )
        if shown:
            for channel, tally in channel_tallies(results):
                invalid = entry.invalid if channel == "all" else results.invalid.get(channel, 0)
                entry.channels.append(
                    PollChannelEntry(
                        channel=channel,
                        ballots=tally.ballots,
                        invalid=invalid,
                        options=[
                            PollOptionEntry(b.label, b.shown, b.percent, b.leading)
                            for b in bars(results, tally)
                        ],
                    )
                )
            if results.override is not None:
                labels = {o.position: o.label for o in results.options}
                entry.override = [labels[i] for i in results.override if i in labels]
                entry.override_reason = poll.override_reason
            entry.notes = list(results.notes)
        entries.append(entry)
    return entries


def poll_heading(entry: PollEntry) -> str:
    return gettext("Poll {number}: {question}", number=entry.number, question=entry.question)


def poll_facts(entry: PollEntry) -> str:
    """ "Single choice · closed · 42 ballots · 1 invalid · agenda item: Transport"."""
    parts = [gettext(TYPE_NAMES.get(entry.type, entry.type)).capitalize(), gettext(entry.status)]
    if entry.results_shown:
        parts.append(plural(entry.ballots, "{count} ballot", "{count} ballots"))
    else:
        parts.append(
            gettext(
                "{ballots} so far; results at close",
                ballots=plural(entry.ballots, "{count} ballot", "{count} ballots"),
            )
        )
    if entry.invalid:
        parts.append(gettext("{n} invalid", n=number(entry.invalid)))
    if entry.agenda_item:
        parts.append(gettext("agenda item: {title}", title=entry.agenda_item))
    return " · ".join(parts)


def channel_heading(channel: PollChannelEntry) -> str:
    text = f"{gettext(CHANNEL_LABELS.get(channel.channel, channel.channel))}: " + plural(
        channel.ballots, "{count} ballot", "{count} ballots"
    )
    if channel.invalid:
        text += " · " + gettext("{n} invalid", n=number(channel.invalid))
    return text


def option_rows(channel: PollChannelEntry) -> list[list[str]]:
    """[option, result, share] per option; a leader (or a selected project) marked ✓."""
    return [
        [o.label, ("✓ " if o.leading else "") + o.result, f"{o.percent}%"] for o in channel.options
    ]


def table_headings() -> list[str]:
    return [gettext("Option"), gettext("Result"), gettext("Share")]


def override_line(entry: PollEntry) -> str:
    return gettext(
        "The organisers chose instead: {chosen}. Reason: {reason}",
        chosen="; ".join(entry.override),
        reason=entry.override_reason or gettext("none given"),
    )


def poll_section(entry: PollEntry) -> Section:
    """One poll as a titled block of sentences and tables, for the formats that have no
    headings of their own (CSV): the same words and figures as the minutes' poll section."""
    sentences = [poll_facts(entry)]
    if entry.override:
        sentences.append(override_line(entry))
    sentences += entry.notes
    tables = tuple(
        Table(
            caption=channel_heading(channel),
            header=tuple(table_headings()),
            rows=tuple(tuple(row) for row in option_rows(channel)),
        )
        for channel in entry.channels
    )
    return Section(title=poll_heading(entry), sentences=tuple(sentences), tables=tables)
