"""The meeting's polls in the minutes: each poll's question, its results combined and per channel
(phone, paper, hands), ballots, invalid ballots and the organisers' override with its reason.

What the record shows is decided in domain/public.py: a draft poll is not in it
(``poll_public``), and a poll whose results are not public yet (open, "results at close") shows
only its ballots so far (``poll_results_public``). Every format renders these entries.

The entries hold figures as numbers (domain/poll_bars.py); ``figure_text`` is the one place the
record says them, in the meeting's language and number format ("1.200", "4,5 de media"). A
budget poll's table has each option's cost, and a legend names the budget and the rule behind
its ✓; a score poll has no share column (its percentage is of the top mean, not of any votes).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlmodel import Session

from meetingtui.domain import i18n, public
from meetingtui.domain import polls as poll_service
from meetingtui.domain.models import AgendaItem
from meetingtui.domain.poll_bars import TYPE_NAMES, Bar, bars, channel_tallies
from meetingtui.domain.public import Audience
from meetingtui.export.reach_report import Section, Table
from meetingtui.export.wording import gettext, number, plural

EQUAL_SHARES = "equal shares"  # a budget poll's selection: counted by the Method of Equal Shares
OVERRIDE = "override"  # chosen by the organisers instead

CHANNEL_LABELS = {"all": "All channels", "phone": "Phones", "paper": "Paper", "hands": "Hands"}


@dataclass
class PollOptionEntry:
    label: str
    figure: str  # what ``value`` counts: votes · borda · mean · dots · points
    value: float | None  # None: no figure yet (a score nobody gave)
    percent: int
    leading: bool  # a leader, or in a budget poll's selection
    cost: int | None = None  # a budget poll's option
    result: str = ""  # the figure as read in English (the JSON's text): "1,200", "4.5 avg"


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
    budget: int | None = None  # a budget poll's budget
    selection: str = ""  # a budget poll's ✓: EQUAL_SHARES or OVERRIDE
    spent: int = 0  # what the ✓ options cost together
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
                        options=[_option(b) for b in bars(results, tally)],
                    )
                )
            if results.override is not None:
                labels = {o.position: o.label for o in results.options}
                entry.override = [labels[i] for i in results.override if i in labels]
                entry.override_reason = poll.override_reason
            entry.notes = [_note_words(note) for note in results.notes]
            if poll.type == "budget":
                entry.budget = int(poll_service.poll_settings(poll).get("budget") or 0)
                entry.selection = OVERRIDE if results.override is not None else EQUAL_SHARES
                costs = {o.position: o.cost for o in results.options}
                entry.spent = sum(costs.get(i, 0) for i in results.selected)
        entries.append(entry)
    return entries


def _option(bar: Bar) -> PollOptionEntry:
    value = bar.value if bar.counted else None
    entry = PollOptionEntry(bar.label, bar.kind, value, bar.percent, bar.leading, bar.cost)
    with i18n.language(i18n.DEFAULT_LANGUAGE):  # the JSON is the same in every language
        entry.result = figure_text(entry)
    return entry


def figure_text(option: PollOptionEntry) -> str:
    """An option's figure as the record says it, in the current language: "1,200" votes,
    "30 pts", "4.5 avg", "–" for a score nobody has given yet."""
    if option.value is None:
        return "–"
    if option.figure == "mean":
        return gettext("{mean} avg", mean=i18n.decimal(option.value))
    if option.figure == "borda":
        return gettext("{points} pts", points=int(option.value))
    return number(int(option.value))


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


def option_rows(entry: PollEntry, channel: PollChannelEntry) -> list[list[str]]:
    """One row per option under ``table_headings``; a leader (or a funded project) marked ✓."""
    rows = []
    for o in channel.options:
        row = [o.label]
        if entry.type == "budget":
            row.append(number(o.cost or 0))
        row.append(("✓ " if o.leading else "") + figure_text(o))
        if entry.type != "score":  # a score's percentage is of the top mean: not a share
            row.append(f"{o.percent}%")
        rows.append(row)
    return rows


def table_headings(entry: PollEntry) -> list[str]:
    headings = [gettext("Option")]
    if entry.type == "budget":
        headings.append(gettext("Cost"))
    headings.append(gettext("Result"))
    if entry.type != "score":
        headings.append(gettext("Share"))
    return headings


def legend_line(entry: PollEntry) -> str:
    """What the ✓ in the tables means, and a budget poll's budget."""
    if not entry.channels:
        return ""
    if entry.type == "budget":
        if entry.selection == OVERRIDE:
            rule = gettext("✓ chosen by the organisers instead of the count (below)")
        else:
            rule = gettext("✓ funded by the Method of Equal Shares")
        return gettext(
            "Budget: {budget}. {rule}, costing {spent} in all.",
            budget=entry.budget or 0,
            rule=rule,
            spent=entry.spent,
        )
    if entry.type == "score":
        return gettext("✓ the highest average score. Result: the average of the scores given.")
    if entry.type == "ranking":
        return gettext(
            "✓ the most points. Result: points by rank (Borda); share: of all the points."
        )
    if entry.type == "dots":
        return gettext("✓ the most dots or points. Share: of all those given.")
    return gettext("✓ the most votes. Share: of the ballots counted.")


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
    if legend := legend_line(entry):
        sentences.append(legend)
    if entry.override:
        sentences.append(override_line(entry))
    sentences += entry.notes
    tables = tuple(
        Table(
            caption=channel_heading(channel),
            header=tuple(table_headings(entry)),
            rows=tuple(tuple(row) for row in option_rows(entry, channel)),
        )
        for channel in entry.channels
    )
    return Section(title=poll_heading(entry), sentences=tuple(sentences), tables=tables)


def _note_words(note: str) -> str:
    """The domain's note on a poll's results (English) in the record's language."""
    if note == poll_service.HANDS_NOT_IN_SHARES:
        return gettext("Equal Shares counts phone and paper ballots only; hands are in votes.")
    return note
