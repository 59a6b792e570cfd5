"""Minutes as clean Markdown: readable as plain text, and renders well wherever it is published.

Also the record's shared wording (facts, item lines, record and speaker lines, the appendix's
fields), in the current language: the HTML and Word renderers say the same things."""

from __future__ import annotations

import re
from collections.abc import Callable

from meetingtui.domain.states import ItemStatus
from meetingtui.export import minutes_polls as mp
from meetingtui.export import reach_report
from meetingtui.export.minutes import (
    CommentEntry,
    IdeaEntry,
    ItemEntry,
    Minutes,
    RecordEntry,
    attendance_text,
    minutes_figure,
    not_heard_text,
    speaker_line,
    summary_line,
)
from meetingtui.export.wording import (
    field_label,
    gettext,
    in_language,
    long_date,
    long_date_time,
    meeting_status,
    number,
    plural,
    term,
    topic_name,
)

_SPECIAL_CHARS = "`*_[]<>#|~"  # and the backslash itself, first
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LIST_NUMBER = re.compile(r"^(\d+)([.)])")
_ANY_SPECIAL = re.compile("[" + re.escape("\\" + _SPECIAL_CHARS + "&") + "]")


def _md_line(line: str) -> str:
    line = line.lstrip(" \t")
    escaped = line
    # Most lines hold none of the characters: one C scan says so. Otherwise str.replace per
    # character is C-fast when the character is absent, several times faster than one regex
    # substitution with a group template.
    if _ANY_SPECIAL.search(line):
        escaped = line.replace("\\", "\\\\")
        for char in _SPECIAL_CHARS:
            if char in escaped:
                escaped = escaped.replace(char, "\\" + char)
        if "&" in escaped:
            escaped = _ENTITY.sub(r"\\&", escaped)
    first = escaped[:1]
    if first.isdigit():
        return _LIST_NUMBER.sub(r"\1\\\2", escaped, count=1)
    if first in ("-", "+"):
        return "\\" + escaped
    if first == "=" and not escaped.rstrip(" \t").strip("="):
        return "\\" + escaped
    return escaped


def md_text(value: str) -> str:
    """Escape what Markdown would treat as markup, so people's words appear exactly as typed.

    Besides the markup characters: ``&`` where it starts an entity (so a typed ``&lt;`` stays
    ``&lt;`` and is not decoded to ``<``); at a line's start ``1.`` and ``1)`` (ordered lists),
    ``-`` and ``+`` (bullets), a line of ``=`` (a heading underline) and indentation (four
    spaces make a code block), which renders as nothing anyway.
    """
    if "\n" in value:
        return "\n".join(_md_line(line) for line in value.split("\n"))
    return _md_line(value)


def _one_line(value: str) -> str:
    return md_text(" ".join(value.split()))


def _figure_cell(value: str) -> str:
    """A figure in a table row ("3.5 avg", "1.500"), escaped as any text but not as a line's
    start: inside a row its "3." begins no ordered list, so no backslash is written there."""
    return md_text("x" + " ".join(value.split()))[1:]


_FIGURE = re.compile(r"\d[\d.,\s\u202f]*")


def _after_label(value: str, escape: Callable[[str], str] = md_text) -> str:
    """A value written after a bold label: a figure as it is (``4.000`` is no list number when
    it does not start a line), anything else escaped."""
    return value if _FIGURE.fullmatch(value) else escape(value)


def meeting_facts(minutes: Minutes) -> list[tuple[str, str]]:
    """The header facts, in order; shared by every format."""
    start = f"{minutes.start} ({minutes.timezone})" if minutes.start else ""
    facts = [
        (field_label("Date"), long_date(minutes.date)),
        (field_label("Start"), start),
        (field_label("Place"), minutes.location),
        (field_label("Facilitator"), minutes.facilitator),
        (field_label("Attendance"), attendance_text(minutes)),
        (field_label("Meeting code"), minutes.code),
        (field_label("Status"), meeting_status(minutes.status)),
    ]
    return [(name, value) for name, value in facts if value]


def item_line(item: ItemEntry) -> str:
    parts = [
        term(item.kind),
        gettext("planned {minutes} min", minutes=item.planned_minutes),
        gettext("actual {figure}", figure=minutes_figure(item.actual_minutes)),
    ]
    if item.started:
        parts.append(f"{item.started}–{item.ended or gettext('running')}")
    if item.status == ItemStatus.SKIPPED:
        parts.append(gettext("skipped"))
    return " · ".join(parts)


def idea_facts(idea: IdeaEntry) -> str:
    facts = [idea.topic, term(idea.stakeholder), term(idea.channel)]
    supports = plural(idea.supports, "{count} support", "{count} supports")
    return " · ".join([*(f for f in facts if f), supports])


def raised_by_line(idea: IdeaEntry) -> str:
    """ "Raised by Zoë Müller, Carers' Forum." or "" when the record names nobody."""
    who = ", ".join(f for f in (idea.raised_by, idea.organisation) if f)
    return gettext("Raised by {who}.", who=who) if who else ""


def comment_line(author: str, body: str) -> str:
    """A comment as the minutes list it; ``author`` and ``body`` already in the format's text."""
    if author:
        return gettext("Comment ({author}): {body}", author=author, body=body)
    return gettext("Comment: {body}", body=body)


def record_extra(record: RecordEntry) -> str:
    """A decision's or action's owner and due date ("owner: Clerk; due 2026-12-10"), or ""."""
    extra = [
        gettext("owner: {owner}", owner=record.owner) if record.owner else "",
        gettext("due {due}", due=record.due) if record.due else "",
    ]
    return "; ".join(e for e in extra if e)


def record_headings() -> list[tuple[str, str]]:
    """The kinds of an item's record, in the order the minutes show them, with their heading."""
    return [
        ("decision", gettext("Decisions")),
        ("action", gettext("Actions")),
        ("note", gettext("Notes")),
    ]


def held_line(minutes: Minutes) -> str:
    return gettext(
        "Planned {planned} min; held {held} min.",
        planned=minutes.planned_minutes,
        held=round(minutes.actual_minutes),
    )


def generated_line(minutes: Minutes) -> str:
    """The closing line: when the minutes were made, and what their names are."""
    return gettext(
        "Minutes generated {when} by meetingtui. {names}",
        when=long_date_time(minutes.generated_at),
        names=gettext(minutes.names_note),
    )


def _idea_lines(idea: IdeaEntry, line: Callable[[str, str], str] = comment_line) -> list[str]:
    lines = [f"- **{idea.ref}** {md_text(idea.title)} — {md_text(idea_facts(idea))}"]
    if raised := raised_by_line(idea):
        lines.append(f"  {md_text(raised)}")
    if idea.detail:
        lines.extend(f"  > {md_text(line)}" if line else "  >" for line in idea.detail.splitlines())
    for comment in idea.comments:
        lines.append(f"  - {_comment(comment, line)}")
    return lines


def _comment(comment: CommentEntry, line: Callable[[str, str], str] = comment_line) -> str:
    return line(_one_line(comment.author), _one_line(comment.body))


def _item_lines(item: ItemEntry, line: Callable[[str, str], str] = comment_line) -> list[str]:
    out = [f"### {item.position}. {md_text(item.title)}", "", md_text(item_line(item))]
    if item.presenter:
        out += ["", md_text(gettext("Presenter: {name}", name=item.presenter))]
    if item.notes:
        out += ["", md_text(item.notes)]
    for kind, heading in record_headings():
        records = item.records_of(kind)
        if records:
            out += ["", f"**{md_text(heading)}**", ""]
            for record in records:
                extra_text = record_extra(record)
                suffix = f" ({md_text(extra_text)})" if extra_text else ""
                out.append(f"- {_one_line(record.text)}{suffix}")
    if item.speakers:
        out += ["", f"**{md_text(gettext('Speakers heard'))}**", ""]
        for speaker in item.speakers:
            out.append(f"- {md_text(speaker_line(speaker))}")
    if not_heard := not_heard_text(item):
        out += ["", f"**{md_text(gettext('Asked to speak, not heard:'))}** {md_text(not_heard)}"]
    out += ["", f"**{md_text(gettext('Ideas'))}**", ""]
    if item.ideas:
        for idea in item.ideas:
            out += _idea_lines(idea, line)
    else:
        out.append(md_text(gettext("No ideas recorded.")))
    out.append("")
    return out


_APPENDIX_LABELS = (
    "Title",
    "Detail",
    "Raised by",
    "Organisation",
    "Stakeholder group",
    "Channel",
    "Card",
    "Topic",
    "Tags",
    "Scale",
    "Benefits",
    "Affects",
    "Agenda item",
    "Captured",
    "Status",
    "Reason",
    "Response",
    "Plan version",
    "Supports",
    "Comments",
)


def appendix_labels() -> tuple[str, ...]:
    """The appendix's field labels in the current language: looked up once per meeting by
    renderers that list every idea (``appendix_fields(idea, labels)``)."""
    return tuple(field_label(name) for name in _APPENDIX_LABELS)


def appendix_fields(
    idea: IdeaEntry, labels: tuple[str, ...] | None = None
) -> list[tuple[str, str]]:
    """Every public field of the standard form, labelled; shared by every format's appendix.
    ``labels``: ``appendix_labels()`` in the current language, when the caller has them."""
    values = (
        idea.title,
        idea.detail,
        idea.raised_by,
        idea.organisation,
        term(idea.stakeholder),
        term(idea.channel),
        idea.card,
        idea.topic,
        ", ".join(idea.tags),
        term(idea.scale),
        ", ".join(term(b) for b in idea.benefits),
        idea.affects,
        idea.agenda_item,
        long_date_time(idea.captured_at),
        term(idea.status),
        idea.status_reason,
        idea.response,
        idea.plan_version,
        number(idea.supports),
        number(len(idea.comments)),
    )
    return list(zip(labels or appendix_labels(), values, strict=True))


def comment_writer() -> Callable[[str, str], str]:
    """``comment_line`` for a meeting's thousands of comments: the two sentences looked up
    once in the current language, then filled (a broken translation falls back to English,
    as ``gettext`` does)."""
    named = _checked(gettext("Comment ({author}): {body}"), "Comment ({author}): {body}")
    plain = _checked(gettext("Comment: {body}"), "Comment: {body}")

    def line(author: str, body: str) -> str:
        return named.format(author=author, body=body) if author else plain.format(body=body)

    return line


def _checked(translated: str, message: str) -> str:
    try:
        translated.format(author="", body="")
    except (KeyError, IndexError, ValueError):
        return message
    return translated


def extra_sections(minutes: Minutes) -> list[reach_report.Section]:
    """Reach and pairwise, when the meeting had them (every format writes the same)."""
    sections = []
    if minutes.reach is not None:
        sections.append(reach_report.reach_section(minutes.reach))
    if minutes.pairwise is not None:
        sections.append(reach_report.pairwise_section(minutes.pairwise))
    return sections


def _poll_lines(minutes: Minutes) -> list[str]:
    out = [f"## {md_text(gettext('Polls'))}", ""]
    for entry in minutes.polls:
        out += [f"### {_one_line(mp.poll_heading(entry))}", "", _one_line(mp.poll_facts(entry))]
        if legend := mp.legend_line(entry):
            out += ["", _one_line(legend)]
        for channel in entry.channels:
            headings = mp.table_headings(entry)
            head = " | ".join(md_text(h) for h in headings)
            out += ["", f"**{md_text(mp.channel_heading(channel))}**", ""]
            out += [f"| {head} |", "| --- |" + " ---: |" * (len(headings) - 1)]
            out += [
                f"| {_one_line(label)} | " + " | ".join(_figure_cell(c) for c in figures) + " |"
                for label, *figures in mp.option_rows(entry, channel)
            ]
        if entry.override:
            out += ["", _one_line(mp.override_line(entry))]
        out += [""] + [_one_line(note) for note in entry.notes] if entry.notes else []
        out.append("")
    return out


def render_markdown(minutes: Minutes) -> str:
    with in_language(minutes.language):
        return _markdown(minutes)


def _markdown(minutes: Minutes) -> str:
    title = gettext("Minutes: {title}", title=minutes.title)
    out: list[str] = [f"# {md_text(title)}", ""]
    if minutes.marking:
        out += [f"**{md_text(gettext(minutes.marking))}**", ""]
    facts = meeting_facts(minutes)
    out += [f"- **{md_text(name)}:** {_after_label(value)}" for name, value in facts]
    # Counts and fixed words: no one's text, and "4.000 ideas" must not read as a list number.
    out += ["", f"## {md_text(gettext('Summary'))}", "", summary_line(minutes)]
    out += ["", held_line(minutes)]
    ideas = md_text(gettext("Ideas"))
    for label, counts, say in (
        (field_label("Topic"), minutes.ideas_by_topic, topic_name),
        (field_label("Stakeholder group"), minutes.ideas_by_stakeholder, term),
    ):
        if counts:
            out += ["", f"| {md_text(label)} | {ideas} |", "| --- | ---: |"]
            out += [f"| {md_text(say(name))} | {number(count)} |" for name, count in counts]
    out += ["", f"## {md_text(gettext('Agenda'))}", ""]
    line = comment_writer()
    for item in minutes.items:
        out += _item_lines(item, line)
    if minutes.polls:
        out += _poll_lines(minutes)
    if minutes.unassigned_ideas:
        out += [f"## {md_text(gettext('Ideas outside the agenda'))}", ""]
        for idea in minutes.unassigned_ideas:
            out += _idea_lines(idea, line)
        out.append("")
    for section in extra_sections(minutes):
        out += reach_report.markdown_lines(section, escape=md_text)
    out += [f"## {md_text(gettext('Appendix: every idea in full'))}", ""]
    labels = appendix_labels()
    said = {name: md_text(name) for name in labels}  # the labels, escaped once
    for idea in minutes.all_ideas:
        out += [f"### {idea.ref}", ""]
        out += [
            f"- **{said[name]}:** {_after_label(value, _one_line)}"
            for name, value in appendix_fields(idea, labels)
            if value
        ]
        out.append("")
    if not minutes.all_ideas:
        out += [md_text(gettext("No ideas were recorded.")), ""]
    return "\n".join(out).rstrip() + "\n"
