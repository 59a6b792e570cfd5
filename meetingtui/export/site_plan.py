"""The plan's pages on the published site: the versions, each version's sections with the ideas
that each reflects, and each version beside the one before it: which sections were added,
removed or changed (with the text's differences), and which ideas it cites.

Ideas are those the public may see (``domain/public.py``), linked to a version and section
(``domain/plans.py``); a link to a section the version's text lacks, or to no section, is listed
under the whole version.
"""

from __future__ import annotations

import difflib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from meetingtui.domain.models import Idea, Meeting, PlanSection, Programme
from meetingtui.domain.plans import list_versions, sections
from meetingtui.domain.public import (
    Audience,
    idea_filter,
    plan_section_column,
    plan_version_column,
)
from meetingtui.domain.vocab import IDEA_STATUSES, label
from meetingtui.export.site_files import file_name, idea_page_path, write_text

WHOLE = ""  # the key of ideas linked to the version as a whole


@dataclass(frozen=True)
class CitedIdea:
    code: str
    ref: str
    title: str
    status: str
    section: str

    @property
    def page(self) -> str:
        return idea_page_path(self.code, self.ref)


@dataclass
class SectionView:
    section: PlanSection
    ideas: list[CitedIdea] = field(default_factory=list)


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "del" or "same"
    text: str


@dataclass
class SectionChange:
    kind: str  # "added", "removed", "changed"
    title: str
    number: str  # in the newer version (the older one's when removed)
    old_number: str
    lines: list[DiffLine]
    ideas: list[CitedIdea]


def version_page(name: str) -> str:
    return f"plan/{file_name(name)}.html"


def changes_page(name: str) -> str:
    return f"plan/{file_name(name)}-changes.html"


_CITED_COLUMNS: tuple[Any, ...] = (
    Meeting.code,
    Idea.ref,
    Idea.title,
    Idea.public_status,
    plan_section_column(Audience.PUBLIC),  # the link as published (domain/public.py)
)


def cited_ideas(session: Session, meeting_ids: list[uuid.UUID], version: str) -> list[CitedIdea]:
    query = (
        select(*_CITED_COLUMNS)
        .join(Meeting, col(Meeting.id) == col(Idea.meeting_id))
        .where(col(Idea.meeting_id).in_(meeting_ids), *idea_filter(Audience.PUBLIC))
        .where(plan_version_column(Audience.PUBLIC) == version)
        .order_by(col(Meeting.code), col(Idea.seq))
    )
    return [
        CitedIdea(code, ref, title, label(IDEA_STATUSES, status), section)
        for code, ref, title, status, section in session.exec(query)
    ]


def section_views(
    found: list[PlanSection], ideas: list[CitedIdea]
) -> tuple[list[SectionView], list[CitedIdea]]:
    """The version's sections with their ideas, and the ideas linked to no known section."""
    views = [SectionView(s) for s in found]
    by_number = {view.section.number: view for view in views}
    whole: list[CitedIdea] = []
    for idea in ideas:
        view = by_number.get(idea.section)
        (view.ideas if view else whole).append(idea)
    return views, whole


def _key(section: PlanSection) -> str:
    return " ".join(section.title.split()).casefold()


def text_diff(old: str, new: str) -> list[DiffLine]:
    lines: list[DiffLine] = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        tag, text = line[:2], line[2:]
        if tag == "+ ":
            lines.append(DiffLine("add", text))
        elif tag == "- ":
            lines.append(DiffLine("del", text))
        elif tag == "  ":
            lines.append(DiffLine("same", text))
    return lines


def compare(
    older: list[PlanSection], newer: list[PlanSection], ideas: list[CitedIdea]
) -> list[SectionChange]:
    """What changed from ``older`` to ``newer``: sections are the same section when their
    titles are (numbers shift when one is inserted). In the newer version's order, the removed
    ones last."""
    cited: dict[str, list[CitedIdea]] = defaultdict(list)
    for idea in ideas:
        cited[idea.section].append(idea)
    old_by_key: dict[str, list[PlanSection]] = defaultdict(list)
    for section in older:
        old_by_key[_key(section)].append(section)
    changes: list[SectionChange] = []
    for section in newer:
        matches = old_by_key.get(_key(section))
        before = matches.pop(0) if matches else None
        ideas_here = cited.get(section.number, [])
        if before is None:
            lines = [DiffLine("add", line) for line in section.body.splitlines()]
            changes.append(
                SectionChange("added", section.title, section.number, "", lines, ideas_here)
            )
        elif before.body != section.body or before.number != section.number:
            changes.append(
                SectionChange(
                    "changed",
                    section.title,
                    section.number,
                    before.number,
                    text_diff(before.body, section.body) if before.body != section.body else [],
                    ideas_here,
                )
            )
    for left in old_by_key.values():
        for section in left:
            lines = [DiffLine("del", line) for line in section.body.splitlines()]
            changes.append(SectionChange("removed", section.title, "", section.number, lines, []))
    return changes


def write_plan_pages(
    session: Session,
    root: Path,
    programme: Programme,
    meeting_ids: list[uuid.UUID],
    render: Any,
) -> list[Path]:
    versions = list_versions(session, programme)
    written: list[Path] = []
    rows: list[dict[str, Any]] = []
    previous = None
    previous_sections: list[PlanSection] = []
    for version, _count in versions:
        found = sections(session, version.id)
        ideas = cited_ideas(session, meeting_ids, version.name)
        views, whole = section_views(found, ideas)
        path = version_page(version.name)
        changes_path = changes_page(version.name) if previous is not None else ""
        written.append(
            write_text(
                root,
                path,
                render(
                    "site_plan_version.html.j2",
                    path,
                    programme=programme,
                    version=version,
                    views=views,
                    whole=whole,
                    cited=len(ideas),
                    previous=previous,
                    changes=changes_path.split("/")[-1],
                ),
            )
        )
        if previous is not None:
            # A version added without its text (no --file) has no sections to compare: saying
            # every section of the one before was removed would be false.
            changed = compare(previous_sections, found, ideas) if found else []
            written.append(
                write_text(
                    root,
                    changes_path,
                    render(
                        "site_plan_changes.html.j2",
                        changes_path,
                        programme=programme,
                        version=version,
                        previous=previous,
                        changed=changed,
                        no_text=not found,
                        counts={
                            kind: sum(1 for c in changed if c.kind == kind)
                            for kind in ("added", "removed", "changed")
                        },
                        ideas=ideas,
                        whole=[i for i in ideas if i.section not in {s.number for s in found}],
                        version_link=path.split("/")[-1],
                        previous_link=version_page(previous.name).split("/")[-1],
                    ),
                )
            )
        rows.append(
            {
                "version": version,
                "cited": len(ideas),
                "page": path.split("/")[-1],
                "changes": changes_path.split("/")[-1],
            }
        )
        previous, previous_sections = version, found
    written.append(
        write_text(
            root,
            "plan/index.html",
            render("site_plan_index.html.j2", "plan/index.html", programme=programme, rows=rows),
        )
    )
    return written
