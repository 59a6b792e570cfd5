"""Minutes as clean Markdown: readable as plain text, and renders well wherever it is published."""

from __future__ import annotations

import re

from meetingtui.export.minutes import IdeaEntry, Minutes

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def md_text(value: str) -> str:
    """Escape what Markdown would treat as markup, so people's words appear exactly as typed."""
    escaped = _SPECIAL.sub(r"\\\1", value)
    # A line starting with "1." or "-" would become a list item.
    return re.sub(r"(?m)^(\s*)(\d+)\.", r"\1\2\\.", re.sub(r"(?m)^(\s*)([-+])", r"\1\\\2", escaped))


def _minutes_figure(value: float | None) -> str:
    return "not reached" if value is None else f"{value:.0f} min"


def _idea_lines(idea: IdeaEntry) -> list[str]:
    facts = [f for f in (idea.topic, idea.stakeholder, idea.channel) if f]
    who = ", ".join(f for f in (idea.raised_by, idea.organisation) if f)
    heading = f"- **{idea.ref}** {md_text(idea.title)}"
    if facts:
        heading += f" — {md_text(' · '.join(facts))}"
    lines = [heading]
    if who:
        lines.append(f"  Raised by {md_text(who)}.")
    if idea.detail:
        lines.extend(f"  > {md_text(line)}" if line else "  >" for line in idea.detail.splitlines())
    for comment in idea.comments:
        author = f" ({md_text(comment.author)})" if comment.author else ""
        body = md_text(" ".join(comment.body.split()))
        lines.append(f"  - Comment{author}: {body}")
    return lines


def render_markdown(minutes: Minutes) -> str:
    meeting = minutes.meeting
    out: list[str] = [f"# Minutes: {md_text(meeting.title)}", ""]
    facts = [
        ("Date", meeting.date),
        ("Start", f"{meeting.start} ({meeting.timezone})" if meeting.start else ""),
        ("Place", meeting.location),
        ("Facilitator", meeting.facilitator),
        ("Meeting code", meeting.code),
        ("Status", meeting.status),
    ]
    out += [f"- **{name}:** {md_text(value)}" for name, value in facts if value]
    out += ["", "## Summary", ""]
    out.append(f"{minutes.idea_count} ideas and {minutes.comment_count} comments were recorded.")
    if minutes.ideas_by_topic:
        out += ["", "| Topic | Ideas |", "| --- | ---: |"]
        out += [f"| {md_text(name)} | {count} |" for name, count in minutes.ideas_by_topic]
    if minutes.ideas_by_stakeholder:
        out += ["", "| Stakeholder group | Ideas |", "| --- | ---: |"]
        out += [f"| {md_text(name)} | {count} |" for name, count in minutes.ideas_by_stakeholder]
    out += ["", "## Agenda", ""]
    for item in minutes.items:
        out += [f"### {item.position}. {md_text(item.title)}", ""]
        details = [
            f"*{item.kind}*",
            f"planned {item.planned_minutes} min",
            f"actual {_minutes_figure(item.actual_minutes)}",
        ]
        if item.started:
            details.append(f"{item.started}–{item.ended or 'running'}")
        out.append(" · ".join(details))
        if item.presenter:
            out += ["", f"Presenter: {md_text(item.presenter)}"]
        if item.notes:
            out += ["", md_text(item.notes)]
        out.append("")
        if item.ideas:
            out += ["Ideas:", ""]
            for idea in item.ideas:
                out += _idea_lines(idea)
            out.append("")
        else:
            out += ["No ideas recorded.", ""]
    if minutes.unassigned_ideas:
        out += ["## Ideas outside the agenda", ""]
        for idea in minutes.unassigned_ideas:
            out += _idea_lines(idea)
        out.append("")
    return "\n".join(out).rstrip() + "\n"
