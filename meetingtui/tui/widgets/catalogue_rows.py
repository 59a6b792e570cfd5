"""How the catalogue screen draws an idea: one line in the list, and the whole idea in the detail
pane. People's words go through ``literal`` (never markup); our own words around them."""

from __future__ import annotations

from datetime import datetime

from rich.console import Group
from rich.text import Text

from meetingtui.catalogue_session import DetailRead
from meetingtui.domain.catalogue import change_record, comment_record
from meetingtui.domain.catalogue_view import CatalogueRow
from meetingtui.domain.lifecycle import has_draft
from meetingtui.domain.public import Audience
from meetingtui.domain.vocab import (
    BENEFITS,
    CHANNELS,
    IDEA_STATUSES,
    SCALES,
    STAKEHOLDERS,
    label,
    moderation_code,
    moderation_word,
)
from meetingtui.tui.literal import display_text

SHORT_STATUS = {
    "new": "new",
    "under-review": "under review",
    "adopted": "adopted",
    "adapted": "adapted",
    "not-taken-forward": "not taken fwd",
    "merged": "merged",
}
TITLE_MIN = 40  # the meeting and reviewer columns show only when the title keeps this much
BASE_WIDTH = 2 + 4 + 8 + 15 + 13 + 2  # mark, moderation, ref, status, counts and age, gap
MEETING_WIDTH = 11
REVIEWER_WIDTH = 13


def age_days(captured_at: datetime, now: datetime) -> int:
    return max(0, (now - captured_at).days)


def columns_for(width: int) -> tuple[bool, bool]:
    """(meeting, reviewer): the optional columns a list ``width`` wide has room for, the title
    first (it keeps at least ``TITLE_MIN`` characters)."""
    meeting = width - BASE_WIDTH - MEETING_WIDTH >= TITLE_MIN
    reviewer = meeting and width - BASE_WIDTH - MEETING_WIDTH - REVIEWER_WIDTH >= TITLE_MIN
    return meeting, reviewer


def header_line(width: int) -> Text:
    meeting, reviewer = columns_for(width)
    text = Text(no_wrap=True, overflow="ellipsis", style="bold")
    text.append("  ")
    text.append("    ")  # moderation: HID, MOD
    text.append(f"{'MEETING':<{MEETING_WIDTH}}" if meeting else "")
    text.append(f"{'REF':<8}{'STATUS':<15}{'SUP':>4}{'COM':>4}{'AGE':>5}  ")
    if reviewer:
        text.append(f"{'REVIEWER':<{REVIEWER_WIDTH}}")
    text.append("TITLE")
    return text


def row_line(row: CatalogueRow, *, selected: bool, now: datetime, width: int = 0) -> Text:
    """One idea on one line: selection mark, moderation (HID hidden, MOD waiting for
    moderation: ideas the public cannot see), ref, status (``*``: unpublished changes),
    supports, comments, age in days, and the title; the meeting and reviewer when the title
    keeps room (``columns_for``)."""
    idea = row.idea
    meeting, reviewer = columns_for(width) if width > 0 else (False, False)
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("● " if selected else "  ", style="bold")
    # Moderation's own column, before the ref: never cut off with a long title.
    text.append(f"{moderation_code(idea.visibility):<3}", style="bold reverse")
    text.append(" ")
    if meeting:
        text.append(f"{row.meeting_code[: MEETING_WIDTH - 1]:<{MEETING_WIDTH}}", style="dim")
    text.append(f"{idea.ref:<8}", style="bold")
    draft = "*" if has_draft(idea) else " "
    text.append(f"{SHORT_STATUS.get(idea.status, idea.status)[:13]:<13}{draft} ")
    text.append(f"{row.supports:>4}{row.comments:>4}{age_days(idea.captured_at, now):>4}d  ")
    if reviewer:
        shown = display_text(idea.reviewer)[: REVIEWER_WIDTH - 1]
        text.append(f"{shown:<{REVIEWER_WIDTH}}", style="dim")
    text.append(display_text(idea.title))
    if width > 0:  # one line each, however long the title: the list never wraps a row
        text.truncate(width, overflow="ellipsis")
    return text


def detail_view(read: DetailRead) -> Group:
    """The whole idea for the organisers: moderation first (what the public cannot see), the
    form, where and when, the answer (the published one, and the draft when it differs),
    supports, comments (marked when the public cannot see them) and the history."""
    detail = read.detail
    visibility = read.visibility
    record = detail.record
    audience = Audience.ORGANISERS
    lines: list[Text] = []

    def heading(words: str) -> None:
        lines.append(Text(words, style="bold"))

    def field(name: str, value: object) -> None:
        if value in ("", None, [], False):
            return
        shown = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
        lines.append(Text.assemble((f"{name}: ", "bold"), display_text(shown)))

    def block(name: str, value: str) -> None:
        if value:
            lines.append(Text(f"{name}:", style="bold"))
            lines.append(Text(display_text(value)))

    def answer(words: str) -> None:
        for line in words.splitlines():
            lines.append(Text("  " + display_text(line)))

    lines.append(Text.assemble((detail.full_ref, "bold"), "  ", display_text(record["title"])))
    mark = moderation_word(visibility)
    if mark:
        words = f"Moderation: {mark} ({moderation_code(visibility)}): the public does not see "
        lines.append(Text(words + "this idea, nor its answer.", "bold reverse"))
    when = f", {detail.meeting_date}" if detail.meeting_date else ""
    field("Meeting", f"{detail.meeting_title} ({record['meeting']}{when})")
    field("Agenda item", detail.agenda_item)
    field("Raised", record["captured_at"][:16].replace("T", " ") + " UTC")
    field("Channel", label(CHANNELS, record["channel"]))
    field("Card", detail.card)
    field("Raised by", record["raised_by"])
    if record["raised_by"]:
        consent = "yes" if record["publish_name"] else "no (never published)"
        field("Name shown publicly", consent)
    field("Organisation", record["organisation"])
    field("Stakeholder", label(STAKEHOLDERS, record["stakeholder"]))
    field("Topic", record["topic"])
    field("Tags", record["tags"])
    field("Scale", label(SCALES, record["scale"]))
    field("Benefits", [label(BENEFITS, b) for b in record["benefits"]])
    field("Who is affected", record["affects"])
    block("Detail", record["detail"])
    lines.append(Text(""))
    heading("The answer")
    if detail.published_at is not None:
        published = detail.published_at.isoformat(timespec="minutes").replace("T", " ")
        lines.append(Text(f"Published answer ({published[:16]}):", style="bold"))
        field("  Status", label(IDEA_STATUSES, read.public_status))
        field("  Reason", read.public_reason)
        answer(read.public_response)
    else:
        lines.append(Text("Published answer: none yet (p publishes)", style="bold"))
        field("  Status the public sees", label(IDEA_STATUSES, read.public_status))
    if record.get("draft"):
        lines.append(Text("Draft (not yet public, p publishes):", style="bold"))
        field("  Status", label(IDEA_STATUSES, record["status"]))
        field("  Reason", record["status_reason"])
        answer(record["response"])
    field("Reviewer", record.get("reviewer"))
    plan = record["plan_version"]
    if plan and record["plan_section"]:
        title = f" {detail.plan_section_title}" if detail.plan_section_title else ""
        plan = f"{plan}, section {record['plan_section']}{title}"
    field("Reflected in", plan)
    view = detail.merge
    if not view.empty:
        lines.append(Text(""))
        heading("Merges and splits")
        if view.merged_into is not None:
            field(
                "Merged into", f"{view.merged_into.full_ref} {view.merged_into.title} (U unmerges)"
            )
        if view.split_from is not None:
            field("Split from", f"{view.split_from.full_ref} {view.split_from.title}")
        for part in view.split_into:
            field("Split into", f"{part.full_ref} {part.title}")
        if view.sources:
            lines.append(Text(f"Sources merged into it: {len(view.sources)}", style="bold"))
        for source in view.sources:
            facts = [
                label(CHANNELS, source.channel) if source.channel else "",
                label(STAKEHOLDERS, source.stakeholder) if source.stakeholder else "",
                source.meeting_title,
            ]
            said = ", ".join(fact for fact in facts if fact)
            lines.append(Text("  " + display_text(f"{source.full_ref} {source.title} ({said})")))
    lines.append(Text(""))
    once = " (each device once, with its sources)" if view.sources else ""
    lines.append(Text(f"Supports: {detail.supports}{once}", style="bold"))
    heading(f"Comments: {len(detail.comments) + len(view.source_comments)}")
    for extra in view.source_comments:
        who = f" {extra.author}" if extra.author else ""
        lines.append(
            Text.assemble(
                (f"  on {extra.ref}", "dim"), display_text(who), ": ", display_text(extra.body)
            )
        )
    for comment in detail.comments:
        shown = comment_record(comment, audience)
        who = f" {shown['author']}" if shown["author"] else ""
        hidden = moderation_word(comment.visibility)
        state = f" ({hidden})" if hidden else ""
        lines.append(
            Text.assemble(
                (f"  {shown['at'][:16].replace('T', ' ')}", "dim"),
                display_text(who),
                (state, "italic"),
                ": ",
                display_text(shown["body"]),
            )
        )
    heading(f"History: {len(detail.history) or 'none'}")
    for change in detail.history:
        entry = change_record(change, audience)
        by = f" by {entry['by']}" if entry["by"] else ""
        why = f" ({entry['reason']})" if entry["reason"] else ""
        state = "" if entry["published"] else " [draft]"
        lines.append(
            Text.assemble(
                (f"  {entry['at'][:16].replace('T', ' ')}", "dim"),
                display_text(f"{by}: {entry['field']} {entry['from'] or '-'} → "),
                display_text(f"{entry['to'] or '-'}{why}"),
                (state, "dim"),
            )
        )
    return Group(*lines)
