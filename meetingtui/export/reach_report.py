"""The reach figures and the pairwise ranking as the record writes them: a section of sentences
and tables, rendered by every format of the minutes and by ``meetingtui reach report``.

Only ``domain.reach.published`` figures go into anything published; ``section`` refuses others
unless the caller marks the copy as the organisers' own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from meetingtui.domain.pairwise import RankedIdea
from meetingtui.domain.reach import (
    FAR_UNDER,
    ROUND_TO,
    SMALL,
    ReachFigures,
    percent,
    room_line,
)
from meetingtui.export.wording import gettext

SUPPRESSION_NOTE = (
    'To protect the people who answered, counts under {small} are shown as "fewer than {small}", '
    "another count is hidden wherever one hidden count could be worked out from the total, and "
    "the counts shown are rounded to the nearest {step}."
)
REPRESENTATIVENESS_NOTE = (
    "Representativeness is 1 minus Duncan's dissimilarity index between the people who answered "
    "and the local population: 1 is a room like the area, 0 one with no one from its groups."
)


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    title: str
    sentences: tuple[str, ...]
    tables: tuple[Table, ...]


def _count(count: int | None) -> str:
    return gettext("fewer than {small}", small=SMALL) if count is None else str(count)


def reach_section(figures: ReachFigures) -> Section:
    title = gettext("Who took part (reach)")
    if figures.area:
        title = gettext("Who took part (reach), area {area}", area=figures.area)
    sentences: list[str] = []
    if not figures.published:
        sentences.append(gettext("Not for publication: exact counts, for the organisers."))
    if not figures.questions:
        sentences.append(gettext("No monitoring questions were asked."))
        return Section(title, tuple(sentences), ())
    if figures.responses is None:
        sentences.append(
            gettext(
                "Fewer than {small} people answered the optional sign-in, so no figures are shown.",
                small=SMALL,
            )
        )
        return Section(title, tuple(sentences), ())
    channels = {channel: count for channel, count in figures.channels}
    sentences.append(
        gettext(
            "{count} people answered the optional sign-in (phone: {phone}; paper: {paper}).",
            count=figures.responses,
            phone=_count(channels.get("phone")),
            paper=_count(channels.get("paper")),
        )
    )
    if figures.meetings > 1:
        sentences.append(gettext("Across {count} meetings.", count=figures.meetings))
    if figures.names is not None and not figures.published:
        sentences.append(gettext("First names given: {count}.", count=figures.names))
    if figures.representativeness is not None:
        sentences.append(
            gettext(
                "Representativeness: {value} (1 is a room like the area).",
                value=f"{figures.representativeness:.2f}",
            )
        )
    elif not figures.has_population:
        sentences.append(gettext("No reference population has been entered for comparison."))
    unheard = figures.not_heard()
    if unheard:
        sentences.append(
            gettext(
                "Not yet heard (nobody, fewer than {small}, or under half their local share): {groups}.",  # noqa: E501 - one literal, as the catalogue has it
                small=SMALL,
                groups="; ".join(
                    f"{group.label} ({question.label})" for question, group in unheard
                ),
            )
        )
    tables = []
    for question in figures.questions:
        rows = [
            (
                group.label,
                _count(group.count),
                percent(group.share) if group.count is not None else "–",
                percent(group.population),
            )
            for group in question.groups
        ]
        rows.append((gettext("Prefer not to say"), _count(question.prefer_not), "", ""))
        rows.append((gettext("No answer"), _count(question.not_answered), "", ""))
        caption = question.label
        if question.representativeness is not None:
            caption = gettext(
                "{question} (representativeness {value})",
                question=question.label,
                value=f"{question.representativeness:.2f}",
            )
        tables.append(
            Table(
                caption,
                (gettext("Answer"), gettext("People"), gettext("Share"), gettext("Locally")),
                tuple(rows),
            )
        )
    if figures.published:
        sentences.append(gettext(SUPPRESSION_NOTE, small=SMALL, step=ROUND_TO))
    if figures.representativeness is not None:
        sentences.append(gettext(REPRESENTATIVENESS_NOTE))
    return Section(title, tuple(sentences), tuple(tables))


def pairwise_section(ranking: Sequence[RankedIdea], *, with_meeting: bool = False) -> Section:
    rows = tuple(
        (
            str(position),
            (f"{idea.meeting_code}/{idea.ref}" if with_meeting else idea.ref),
            idea.title,
            f"{idea.score:.2f}",
            str(idea.wins),
            str(idea.comparisons),
        )
        for position, idea in enumerate(ranking, start=1)
    )
    comparisons = sum(idea.comparisons for idea in ranking) // 2
    sentences = (
        gettext(
            "Which matters more: {count} choices between two ideas. Score: (wins + 1) / (comparisons + 2).",  # noqa: E501 - one literal
            count=comparisons,
        ),
    )
    table = Table(
        "",
        (
            "#",
            gettext("Ref"),
            gettext("Idea"),
            gettext("Score"),
            gettext("Wins"),
            gettext("Comparisons"),
        ),
        rows,
    )
    return Section(gettext("Which matters more (pairwise)"), sentences, (table,))


# ---------------------------------------------------------------------------- renderers


def markdown_lines(section: Section, *, level: int = 2, escape=lambda text: text) -> list[str]:
    out = [f"{'#' * level} {escape(section.title)}", ""]
    for sentence in section.sentences:
        out += [escape(sentence), ""]
    for table in section.tables:
        if table.caption:
            out += [f"**{escape(table.caption)}**", ""]
        out.append("| " + " | ".join(escape(cell) for cell in table.header) + " |")
        out.append("| " + " | ".join("---" for _ in table.header) + " |")
        for row in table.rows:
            out.append("| " + " | ".join(escape(cell).replace("|", "\\|") for cell in row) + " |")
        out.append("")
    return out


def text_lines(section: Section) -> list[str]:
    out = [section.title, "=" * len(section.title), ""]
    for sentence in section.sentences:
        out += [sentence, ""]
    for table in section.tables:
        if table.caption:
            out += [table.caption, "-" * len(table.caption)]
        widths = [
            max(len(row[i]) for row in (table.header, *table.rows))
            for i in range(len(table.header))
        ]
        for row in (table.header, *table.rows):
            out.append(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
        out.append("")
    return out


def csv_rows(section: Section) -> list[list[str]]:
    rows: list[list[str]] = [[section.title]]
    rows += [[sentence] for sentence in section.sentences]
    for table in section.tables:
        rows.append([table.caption, *table.header] if table.caption else list(table.header))
        for row in table.rows:
            rows.append([table.caption, *row] if table.caption else list(row))
    return rows


def console_line(figures: ReachFigures) -> str:
    return room_line(figures)


__all__ = [
    "FAR_UNDER",
    "Section",
    "Table",
    "console_line",
    "csv_rows",
    "markdown_lines",
    "pairwise_section",
    "reach_section",
    "text_lines",
]
