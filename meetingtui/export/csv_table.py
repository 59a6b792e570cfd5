"""The idea catalogue as CSV: one row per idea, every standard-form column. UTF-8 with a BOM so
spreadsheets (Excel included) read accents and emoji correctly.

The column names are the record's field names, the same in every language (a spreadsheet's
formulas and a script's column lookups keep working across meetings); the cells people read
(stakeholder group, channel, scale, benefits, status, the organisers' marking) are in the
meeting's language, like the minutes."""

from __future__ import annotations

import csv
import io
import unicodedata

from meetingtui.export import minutes_polls, reach_report
from meetingtui.export.markdown import extra_sections
from meetingtui.export.minutes import IdeaEntry, Minutes
from meetingtui.export.wording import gettext, in_language, term

COLUMNS: list[tuple[str, str]] = [
    ("ref", "ref"),
    ("title", "title"),
    ("detail", "detail"),
    ("raised_by", "raised_by"),
    ("organisation", "organisation"),
    ("stakeholder", "stakeholder"),
    ("channel", "channel"),
    ("card", "card"),
    ("topic", "topic"),
    ("tags", "tags"),
    ("scale", "scale"),
    ("benefits", "benefits"),
    ("affects", "affects"),
    ("meeting", ""),
    ("agenda_item", "agenda_item"),
    ("captured_by", "captured_by"),
    ("captured_at", "captured_at"),
    ("status", "status"),
    ("status_reason", "status_reason"),
    ("response", "response"),
    ("plan_version", "plan_version"),
    ("supports", "supports"),
    ("comments", ""),
]

# The columns whose cells are a vocabulary's labels, said in the meeting's language.
_TERMS = frozenset({"stakeholder", "channel", "scale", "benefits", "status"})

# Cells starting with these are run as formulas by spreadsheets: defuse them (CSV injection),
# also when invisible characters (a byte order mark, zero-width spaces, spaces) come first,
# and in their full-width forms.
_FORMULA_START = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_CONTROL_START = ("\t", "\r", "\n")


def _visible_start(text: str) -> str:
    for index, char in enumerate(text):
        if not (char.isspace() or unicodedata.category(char) == "Cf"):
            return text[index:]
    return ""


def _cell(value: object) -> str:
    text = "; ".join(value) if isinstance(value, list) else str(value)
    if text.startswith(_CONTROL_START) or _visible_start(text).startswith(_FORMULA_START):
        return "'" + text
    return text


def idea_row(idea: IdeaEntry, meeting_title: str) -> list[str]:
    row = []
    for column, attribute in COLUMNS:
        if column == "meeting":
            row.append(_cell(meeting_title))
        elif column == "comments":
            row.append(str(len(idea.comments)))
        elif column in _TERMS:
            value = getattr(idea, attribute)
            row.append(_cell([term(v) for v in value] if isinstance(value, list) else term(value)))
        else:
            row.append(_cell(getattr(idea, attribute)))
    return row


def render_csv(minutes: Minutes) -> str:
    with in_language(minutes.language):
        return _csv(minutes)


def _csv(minutes: Minutes) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    if minutes.marking:  # the organisers' copy: the first cell a spreadsheet shows says so
        writer.writerow([_cell(gettext(minutes.marking))])
    writer.writerow([column for column, _ in COLUMNS])
    for idea in minutes.all_ideas:
        writer.writerow(idea_row(idea, minutes.title))
    polls = [minutes_polls.poll_section(entry) for entry in minutes.polls]
    for section in [*polls, *extra_sections(minutes)]:  # each after a blank row, below the ideas
        writer.writerow([])
        for row in reach_report.csv_rows(section):
            writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()
