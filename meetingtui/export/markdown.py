"""Minutes as clean Markdown: readable as plain text, and renders well wherever it is published."""

from __future__ import annotations

import re

from meetingtui.domain.states import ItemStatus
from meetingtui.export.minutes import (
    IdeaEntry,
    ItemEntry,
    Minutes,
    attendance_text,
    minutes_figure,
    not_heard_text,
    summary_line,
)

_SPECIAL_CHARS = "`*_[]<>#|~"  # and the backslash itself, first
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LIST_NUMBER = re.compile(r"^(\d+)([.)])")


def _md_line(line: str) -> str:
    line = line.lstrip(" \t")
    # str.replace per character is C-fast when the character is absent (the common case),
    # several times faster than one regex substitution with a group template.
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


def meeting_facts(minutes: Minutes) -> list[tuple[str, str]]:
    """The header facts, in order; shared by every format."""
    start = f"{minutes.start} ({minutes.timezone})" if minutes.start else ""
    facts = [
        ("Date", minutes.date),
        ("Start", start),
        ("Place", minutes.location),
        ("Facilitator", minutes.facilitator),
        ("Attendance", attendance_text(minutes)),
        ("Meeting code", minutes.code),
        ("Status", minutes.status),
    ]
    return [(name, value) for name, value in facts if value]


def item_line(item: ItemEntry) -> str:
    parts = [
        item.kind,
        f"planned {item.planned_minutes} min",
        f"actual {minutes_figure(item.actual_minutes)}",
    ]
    if item.started:
        parts.append(f"{item.started}–{item.ended or 'running'}")
    if item.status == ItemStatus.SKIPPED:
        parts.append("skipped")
    return " · ".join(parts)


def idea_facts(idea: IdeaEntry) -> str:
    facts = [f for f in (idea.topic, idea.stakeholder, idea.channel) if f]
    supports = f"{idea.supports} support{'' if idea.supports == 1 else 's'}"
    return " · ".join([*facts, supports])


def _idea_lines(idea: IdeaEntry) -> list[str]:
    lines = [f"- **{idea.ref}** {md_text(idea.title)} — {md_text(idea_facts(idea))}"]
    who = ", ".join(f for f in (idea.raised_by, idea.organisation) if f)
    if who:
        lines.append(f"  Raised by {md_text(who)}.")
    if idea.detail:
        lines.extend(f"  > {md_text(line)}" if line else "  >" for line in idea.detail.splitlines())
    for comment in idea.comments:
        author = f" ({_one_line(comment.author)})" if comment.author else ""
        lines.append(f"  - Comment{author}: {_one_line(comment.body)}")
    return lines


def _item_lines(item: ItemEntry) -> list[str]:
    out = [f"### {item.position}. {md_text(item.title)}", "", item_line(item)]
    if item.presenter:
        out += ["", f"Presenter: {md_text(item.presenter)}"]
    if item.notes:
        out += ["", md_text(item.notes)]
    for kind, heading in (("decision", "Decisions"), ("action", "Actions"), ("note", "Notes")):
        records = item.records_of(kind)
        if records:
            out += ["", f"**{heading}**", ""]
            for record in records:
                extra = [
                    f"owner: {record.owner}" if record.owner else "",
                    f"due {record.due}" if record.due else "",
                ]
                extra_text = "; ".join(e for e in extra if e)
                suffix = f" ({md_text(extra_text)})" if extra_text else ""
                out.append(f"- {_one_line(record.text)}{suffix}")
    if item.speakers:
        out += ["", "**Speakers heard**", ""]
        for speaker in item.speakers:
            name = speaker.name or "Speaker"
            group = f" ({speaker.stakeholder})" if speaker.stakeholder else ""
            out.append(f"- {md_text(name + group)}, {speaker.started}")
    if not_heard := not_heard_text(item):
        out += ["", f"**Asked to speak, not heard:** {md_text(not_heard)}"]
    out += ["", "**Ideas**", ""]
    if item.ideas:
        for idea in item.ideas:
            out += _idea_lines(idea)
    else:
        out.append("No ideas recorded.")
    out.append("")
    return out


def appendix_fields(idea: IdeaEntry) -> list[tuple[str, str]]:
    """Every public field of the standard form, labelled; shared by every format's appendix."""
    return [
        ("Title", idea.title),
        ("Detail", idea.detail),
        ("Raised by", idea.raised_by),
        ("Organisation", idea.organisation),
        ("Stakeholder group", idea.stakeholder),
        ("Channel", idea.channel),
        ("Topic", idea.topic),
        ("Tags", ", ".join(idea.tags)),
        ("Scale", idea.scale),
        ("Benefits", ", ".join(idea.benefits)),
        ("Affects", idea.affects),
        ("Agenda item", idea.agenda_item),
        ("Captured", idea.captured_at),
        ("Status", idea.status),
        ("Reason", idea.status_reason),
        ("Response", idea.response),
        ("Plan version", idea.plan_version),
        ("Supports", str(idea.supports)),
        ("Comments", str(len(idea.comments))),
    ]


def render_markdown(minutes: Minutes) -> str:
    out: list[str] = [f"# Minutes: {md_text(minutes.title)}", ""]
    if minutes.marking:
        out += [f"**{md_text(minutes.marking)}**", ""]
    out += [f"- **{name}:** {md_text(value)}" for name, value in meeting_facts(minutes)]
    out += [
        "",
        "## Summary",
        "",
        summary_line(minutes),
        "",
        f"Planned {minutes.planned_minutes} min; held {minutes.actual_minutes:.0f} min.",
    ]
    if minutes.ideas_by_topic:
        out += ["", "| Topic | Ideas |", "| --- | ---: |"]
        out += [f"| {md_text(name)} | {count} |" for name, count in minutes.ideas_by_topic]
    if minutes.ideas_by_stakeholder:
        out += ["", "| Stakeholder group | Ideas |", "| --- | ---: |"]
        out += [f"| {md_text(name)} | {count} |" for name, count in minutes.ideas_by_stakeholder]
    out += ["", "## Agenda", ""]
    for item in minutes.items:
        out += _item_lines(item)
    if minutes.unassigned_ideas:
        out += ["## Ideas outside the agenda", ""]
        for idea in minutes.unassigned_ideas:
            out += _idea_lines(idea)
        out.append("")
    out += ["## Appendix: every idea in full", ""]
    for idea in minutes.all_ideas:
        out += [f"### {idea.ref}", ""]
        out += [
            f"- **{name}:** {_one_line(value)}" for name, value in appendix_fields(idea) if value
        ]
        out.append("")
    if not minutes.all_ideas:
        out += ["No ideas were recorded.", ""]
    return "\n".join(out).rstrip() + "\n"
