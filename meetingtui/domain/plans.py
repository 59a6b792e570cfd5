"""Plan versions: the plan a programme publishes, version by version, and the ideas each reflects.

A version has a short name (``v2``), a title, a date and a summary, and optionally the plan's
text, imported from Markdown: its headings become numbered sections (``4.2 Bus lanes``), the
shallowest heading level being the first number. An idea is linked to the version (and section)
that reflects it, so its page can say "reflected in v2, section 4.2" and each version can list
the ideas behind it. A link is history (domain/lifecycle.py), published with the idea's answer.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from meetingtui.domain.errors import DomainError, FieldErrors, NotFound
from meetingtui.domain.feed import record_event
from meetingtui.domain.lifecycle import ChangeField, record_change
from meetingtui.domain.models import Idea, PlanSection, PlanVersion, Programme, utcnow
from meetingtui.domain.programmes import programme_meeting_ids
from meetingtui.domain.public import Audience, idea_filter, plan_version_column
from meetingtui.domain.text import clean_text

NAME_MAX = 64
TITLE_MAX = 200
SUMMARY_MAX = 4000
SECTION_MAX = 32
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")  # under a paragraph: "=" level 1, "-" level 2
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class SectionSpec:
    number: str
    level: int
    title: str
    body: str


def number_sections(markdown: str) -> list[SectionSpec]:
    """The headings of a Markdown text, numbered (1, 1.1, 1.2, 2 …), each with the text under
    it. Headings are ATX (``## Title``, up to three spaces in) or setext (a paragraph underlined
    with ``===`` or ``---``), as Markdown editors write both. Lines in fenced code blocks (closed
    only by a fence of the same kind) and indented code are not headings; a heading deeper
    than the one before by more than a level counts as one level deeper, so numbers never
    skip."""
    found: list[tuple[int, str, list[str]]] = []
    preamble: list[str] = []  # the text before the first heading (not a section)
    fence = ""  # the fence that opened the code block we are in ("```", "~~~")
    paragraph = 0  # lines of the paragraph just read: a setext underline makes them a heading
    for line in markdown.splitlines():
        body = found[-1][2] if found else preamble
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            body.append(line)
            continue
        if opening:
            fence, paragraph = opening.group(1), 0
            body.append(line)
            continue
        atx = _HEADING.match(line)
        setext = _SETEXT.match(line) if paragraph else None
        if atx:
            found.append((len(atx.group(1)), clean_text(atx.group(2)), []))
            paragraph = 0
        elif setext:
            words = " ".join(part.strip() for part in body[-paragraph:])
            del body[-paragraph:]
            found.append((1 if setext.group(1)[0] == "=" else 2, clean_text(words), []))
            paragraph = 0
        else:
            body.append(line)
            indented_code = line.startswith(("    ", "\t")) and not paragraph
            paragraph = 0 if not line.strip() or indented_code else paragraph + 1
    if not found:
        return []
    top = min(level for level, _, _ in found)
    counters: list[int] = []
    sections: list[SectionSpec] = []
    for level, title, body in found:
        depth = min(level - top + 1, len(counters) + 1)
        counters = counters[:depth]
        if len(counters) < depth:
            counters.append(0)
        counters[-1] += 1
        number = ".".join(map(str, counters))
        text = "\n".join(body).strip("\n")
        sections.append(SectionSpec(number, depth, title[:TITLE_MAX], text))
    return sections


def add_version(
    session: Session,
    *,
    programme: Programme,
    name: str,
    title: str,
    date: str = "",
    summary: str = "",
    markdown: str | None = None,
    actor: str = "",
) -> PlanVersion:
    """A new version of the programme's plan; FieldErrors when a field is refused or the name
    is taken (a published version is not silently replaced)."""
    clean_name, clean_title = clean_text(name), clean_text(title)
    clean_summary = clean_text(summary, multiline=True)
    errors: dict[str, str] = {}
    if not _NAME.match(clean_name) or len(clean_name) > NAME_MAX:
        errors["name"] = "A version's name is short, like v2 (letters, digits, '.', '-', '_')."
    if not clean_title:
        errors["title"] = "Give the version a title."
    elif len(clean_title) > TITLE_MAX:
        errors["title"] = f"The title must be at most {TITLE_MAX} characters."
    if len(clean_summary) > SUMMARY_MAX:
        errors["summary"] = f"The summary must be at most {SUMMARY_MAX} characters."
    when = date.strip() or utcnow().date().isoformat()
    try:
        when = dt.date.fromisoformat(when).isoformat()
    except ValueError:
        errors["date"] = f"The date must be like 2026-12-03, not '{date}'."
    taken = _version_named_alike(session, programme, clean_name) if not errors else None
    if taken is not None:
        errors["name"] = f"Programme '{programme.name}' already has a version {taken.name}."
    if errors:
        raise FieldErrors(errors)
    version = PlanVersion(
        programme_id=programme.id,
        name=clean_name,
        title=clean_title,
        date=when,
        summary=clean_summary,
    )
    session.add(version)
    session.flush()
    for position, spec in enumerate(number_sections(markdown or "")):
        session.add(
            PlanSection(
                plan_version_id=version.id,
                position=position,
                number=spec.number,
                level=spec.level,
                title=spec.title,
                body=spec.body,
            )
        )
    record_event(
        session,
        kind="plan.version_added",
        meeting_id=None,
        entity="plan_version",
        entity_id=version.id,
        actor=actor,
        detail={"programme": programme.name, "name": version.name},
    )
    session.flush()
    return version


def _version(session: Session, programme: Programme, name: str) -> PlanVersion | None:
    query = select(PlanVersion).where(
        PlanVersion.programme_id == programme.id, PlanVersion.name == name
    )
    return session.exec(query).first()


def _version_named_alike(session: Session, programme: Programme, name: str) -> PlanVersion | None:
    """A version whose name is this one, case aside: ``v2`` and ``V2`` would be one file on
    the published site (``plan/v2.html``) on a disk that ignores case (macOS, Windows), and
    one report file name, so a programme's version names differ by more than case."""
    query = select(PlanVersion).where(
        PlanVersion.programme_id == programme.id,
        func.lower(col(PlanVersion.name)) == name.lower(),
    )
    return session.exec(query).first()


def find_version(session: Session, programme: Programme, name: str) -> PlanVersion:
    version = _version(session, programme, name.strip())
    if version is None:
        names = ", ".join(v.name for v, _ in list_versions(session, programme)) or "none yet"
        raise NotFound(
            f"Programme '{programme.name}' has no plan version {name}. Versions: {names}."
        )
    return version


def sections(session: Session, version_id: uuid.UUID) -> list[PlanSection]:
    query = select(PlanSection).where(PlanSection.plan_version_id == version_id)
    return list(session.exec(query.order_by(col(PlanSection.position))))


def list_versions(
    session: Session, programme: Programme, audience: Audience = Audience.PUBLIC
) -> list[tuple[PlanVersion, int]]:
    """The programme's versions, oldest first, each with how many ideas it reflects as
    ``audience`` may see them: for the public, visible ideas whose link is published (what the
    published site and ``ideas --version`` show); for organisers, every idea not deleted."""
    meeting_ids = programme_meeting_ids(session, programme)
    linked_to = plan_version_column(audience)
    linked = dict(
        session.exec(
            select(linked_to, func.count())
            .where(col(Idea.meeting_id).in_(meeting_ids), *idea_filter(audience))
            .where(linked_to != "")
            .group_by(linked_to)
        ).all()
    )
    query = select(PlanVersion).where(PlanVersion.programme_id == programme.id)
    versions = session.exec(query.order_by(col(PlanVersion.date), col(PlanVersion.created_at)))
    return [(version, int(linked.get(version.name, 0))) for version in versions]


def link_label(version: str, section: str) -> str:
    """How a link reads in a history entry: ``v2 §4.2``; empty when there is none."""
    return f"{version} §{section}" if version and section else version


def link_ideas(
    session: Session,
    *,
    programme: Programme,
    idea_ids: Sequence[uuid.UUID],
    version: str,
    section: str = "",
    actor: str = "",
) -> list[Idea]:
    """Link ideas of the programme to the version (and section) that reflects them. A version
    with imported text takes only its own section numbers. All or nothing."""
    found = find_version(session, programme, version)
    number = clean_text(section)
    known = {s.number: s for s in sections(session, found.id)}
    if number and known and number not in known:
        shown = ", ".join(list(known)[:20])
        raise FieldErrors({"section": f"{found.name} has no section {number}; it has {shown}."})
    if len(number) > SECTION_MAX:
        raise FieldErrors({"section": f"A section is at most {SECTION_MAX} characters."})
    wanted = list(dict.fromkeys(idea_ids))
    ideas = session.exec(select(Idea).where(col(Idea.id).in_(wanted))).all()
    by_id = {idea.id: idea for idea in ideas if idea.deleted_at is None}
    if len(by_id) != len(wanted) or not wanted:
        raise NotFound("Name ideas that exist to link.")
    members = set(programme_meeting_ids(session, programme))
    outside = [by_id[i].ref for i in wanted if by_id[i].meeting_id not in members]
    if outside:
        raise DomainError(f"Not in programme '{programme.name}': {', '.join(outside)}.")
    now = utcnow()
    for idea_id in wanted:
        idea = by_id[idea_id]
        before = link_label(idea.plan_version, idea.plan_section)
        after = link_label(found.name, number)
        if before == after:
            continue
        record_change(session, idea, ChangeField.PLAN, before, after, actor=actor)
        idea.plan_version, idea.plan_section = found.name, number
        idea.updated_at = now
        record_event(
            session,
            kind="idea.linked",
            meeting_id=idea.meeting_id,
            entity="idea",
            entity_id=idea.id,
            actor=actor,
            detail={"ref": idea.ref, "version": found.name, "section": number},
        )
    session.flush()
    return [by_id[i] for i in wanted]


def section_title(session: Session, programme_id: uuid.UUID, version: str, number: str) -> str:
    """The title of a linked section, or "" (for "reflected in v2, section 4.2 Bus lanes")."""
    query = (
        select(PlanSection.title)
        .join(PlanVersion, col(PlanVersion.id) == col(PlanSection.plan_version_id))
        .where(PlanVersion.programme_id == programme_id, PlanVersion.name == version)
        .where(PlanSection.number == number)
    )
    return session.exec(query).first() or ""
