"""The "you said, we did" report of a programme: per topic, what became of each idea.

Gathered from the public record only (``domain/public.py``, ``Audience.PUBLIC``): the status,
reason and response as last published, never a draft; no names at all (the report is about the
ideas and the answers). Counts per topic come from one aggregate query, and the ideas are read
as a stream ordered by topic, so a 100,000-idea programme is written without holding it in
memory (``report_formats`` renders the stream as Markdown, HTML or Word).

Outcomes: adopted, adapted, not taken forward, merged into another idea, and waiting (new or
under review: no decision published yet).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import and_, case, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from meetingtui.domain.models import (
    Idea,
    Meeting,
    PlanSection,
    PlanVersion,
    Programme,
    Theme,
    utcnow,
)
from meetingtui.domain.plans import find_version
from meetingtui.domain.programmes import programme_meeting_ids
from meetingtui.domain.public import (
    Audience,
    answer_of,
    idea_filter,
    plan_link,
    plan_section_column,
    plan_version_column,
    theme_answers,
    theme_name,
    theme_response,
    theme_summary,
)
from meetingtui.domain.states import IdeaStatus
from meetingtui.domain.themes import list_themes, theme_ideas
from meetingtui.domain.vocab import IDEA_STATUSES
from meetingtui.export.wording import NO_TOPIC

REPORT_KINDS = ("you-said-we-did",)
WAITING = "waiting"
OUTCOMES = (
    IdeaStatus.ADOPTED.value,
    IdeaStatus.ADAPTED.value,
    IdeaStatus.NOT_TAKEN_FORWARD.value,
    IdeaStatus.MERGED.value,
    WAITING,
)
OUTCOME_LABELS = {
    **{key: IDEA_STATUSES[key] for key in OUTCOMES if key in IDEA_STATUSES},
    WAITING: "Waiting for an answer",
}
STREAM_CHUNK = 2000


def outcome_of(public_status: str) -> str:
    """The report's outcome for a published status: new and under review are both waiting."""
    return public_status if public_status in OUTCOMES else WAITING


@dataclass
class Counts:
    """How many ideas had each outcome (``OUTCOMES``)."""

    by_outcome: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))

    @property
    def total(self) -> int:
        return sum(self.by_outcome.values())

    def add(self, outcome: str, count: int) -> None:
        self.by_outcome[outcome] = self.by_outcome.get(outcome, 0) + count


@dataclass(frozen=True)
class ReportIdea:
    full_ref: str  # CODE/I-0042
    code: str
    ref: str
    title: str
    meeting: str
    outcome: str  # one of OUTCOMES
    reason: str
    response: str
    plan_version: str
    plan_section: str
    section_title: str
    response_theme: str = ""  # the theme whose response it inherits (domain/public.py)
    # A merged idea is listed with its target: the idea it went into (``CODE/I-0002 title``),
    # whose published answer answers it too (domain/merging.py).
    merged_into: str = ""
    target_response: str = ""


@dataclass(frozen=True)
class ReportTheme:
    """A published theme with its published summary and response, and its ideas in the
    report (full ref, title, outcome)."""

    name: str
    summary: str
    response: str
    ideas: list[tuple[str, str, str]]
    page: str = ""  # its page on the published site (``site_themes.theme_page_path``)


@dataclass
class Report:
    """What the report says, apart from the ideas themselves (``topics`` streams those)."""

    programme: str
    version: str  # "" for every idea; else only ideas that version reflects
    version_title: str
    language: str
    generated_at: str
    meeting_ids: list[uuid.UUID]
    counts: dict[str, Counts]  # topic ("" = none) -> counts, topics in report order
    total: Counts
    sections: dict[tuple[str, str], str]  # (version, number) -> section title
    themes: list[ReportTheme] = field(default_factory=list)
    # idea id -> (theme, response) of the published themes it sits in (``answer_of``)
    theme_answers: dict[Any, list[tuple[str, str]]] = field(default_factory=dict)

    def topic_label(self, topic: str) -> str:
        return topic or NO_TOPIC


def _topic_order(topic: str) -> tuple[bool, str, str]:
    return (topic == "", topic.casefold(), topic)


def _conditions(report_meeting_ids: list[uuid.UUID], version: str) -> list:  # noqa: ANN401
    conditions = [col(Idea.meeting_id).in_(report_meeting_ids), *idea_filter(Audience.PUBLIC)]
    if version:
        conditions.append(plan_version_column(Audience.PUBLIC) == version)
    return conditions


def build_report(
    session: Session,
    programme: Programme,
    *,
    version: str = "",
    language: str = "",
    meeting_ids: list[uuid.UUID] | None = None,
    now: datetime | None = None,
) -> Report:
    """The report's counts and facts; NotFound when ``version`` is not one of the programme's.
    ``now``: the moment the report says it was made (default: now)."""
    version_title = ""
    if version:
        found = find_version(session, programme, version)
        version, version_title = found.name, found.title
    ids = (
        list(meeting_ids) if meeting_ids is not None else programme_meeting_ids(session, programme)
    )
    outcome = case(
        *((col(Idea.public_status) == key, key) for key in OUTCOMES if key != WAITING),
        else_=WAITING,
    )
    rows = session.exec(
        select(Idea.topic, outcome, func.count())
        .where(*_conditions(ids, version))
        .group_by(col(Idea.topic), outcome)
    ).all()
    counts: dict[str, Counts] = {}
    total = Counts()
    for topic, key, count in rows:
        counts.setdefault(topic or "", Counts()).add(str(key), int(count))
        total.add(str(key), int(count))
    ordered = {topic: counts[topic] for topic in sorted(counts, key=_topic_order)}
    if not language:
        languages = set(session.exec(select(Meeting.language).where(col(Meeting.id).in_(ids))))
        language = languages.pop() if len(languages) == 1 else "en"
    section_rows = session.exec(
        select(PlanVersion.name, PlanSection.number, PlanSection.title)
        .join(PlanVersion, col(PlanVersion.id) == col(PlanSection.plan_version_id))
        .where(PlanVersion.programme_id == programme.id)
    ).all()
    return Report(
        themes=_themes(session, programme, ids, version),
        theme_answers=theme_answers(session, Audience.PUBLIC, Theme.programme_id == programme.id),
        programme=programme.name,
        version=version,
        version_title=version_title,
        language=language or "en",
        generated_at=(now or utcnow()).strftime("%Y-%m-%dT%H:%M"),
        meeting_ids=ids,
        counts=ordered,
        total=total,
        sections={(name, number): title for name, number, title in section_rows},
    )


def _themes(
    session: Session, programme: Programme, meeting_ids: list[uuid.UUID], version: str
) -> list[ReportTheme]:
    """The programme's published themes that hold ideas of the report, by name."""
    from meetingtui.export.site_themes import theme_page_path

    found = []
    ids = set(meeting_ids)
    for theme in list_themes(session, programme, Audience.PUBLIC):
        ideas = [
            (f"{code}/{idea.ref}", idea.title, outcome_of(idea.public_status))
            for idea, code in theme_ideas(session, theme, Audience.PUBLIC)
            if idea.meeting_id in ids
            and (not version or plan_link(idea, Audience.PUBLIC)[0] == version)
        ]
        if ideas:
            found.append(
                ReportTheme(
                    name=theme_name(theme, Audience.PUBLIC),
                    summary=theme_summary(theme, Audience.PUBLIC),
                    response=theme_response(theme, Audience.PUBLIC),
                    ideas=ideas,
                    page=theme_page_path(theme),
                )
            )
    return found


_TARGET = aliased(Idea)
_TARGET_MEETING = aliased(Meeting)

_REPORT_COLUMNS: tuple[Any, ...] = (
    Idea.id,
    Meeting.code,
    Meeting.title,
    Idea.ref,
    Idea.title,
    Idea.topic,
    Idea.public_status,
    Idea.public_reason,
    Idea.public_response,
    plan_version_column(Audience.PUBLIC),  # the link as published (domain/public.py)
    plan_section_column(Audience.PUBLIC),
    _TARGET_MEETING.code,
    _TARGET.ref,
    _TARGET.title,
    _TARGET.public_response,
)


def report_ideas(session: Session, report: Report) -> Iterator[tuple[str, ReportIdea]]:
    """Every idea of the report with its topic, in report order (topic, then meeting, then
    number), read in chunks so memory stays flat however many there are."""
    no_topic = case((col(Idea.topic) == "", 1), else_=0)
    query = (
        select(*_REPORT_COLUMNS)
        .join(Meeting, col(Meeting.id) == col(Idea.meeting_id))
        .outerjoin(
            _TARGET,
            and_(
                col(_TARGET.id) == col(Idea.merged_into_id),
                col(Idea.public_status) == IdeaStatus.MERGED.value,
                *idea_filter(Audience.PUBLIC, _TARGET),  # a hidden kept idea is not named
            ),
        )
        .outerjoin(_TARGET_MEETING, _TARGET_MEETING.id == _TARGET.meeting_id)
        .where(*_conditions(report.meeting_ids, report.version))
        .order_by(
            no_topic,
            func.lower(col(Idea.topic)),
            col(Idea.topic),
            col(Meeting.date),
            col(Meeting.code),
            col(Idea.seq),
        )
        .execution_options(yield_per=STREAM_CHUNK)
    )
    for (
        idea_id,
        code,
        meeting,
        ref,
        title,
        topic,
        status,
        reason,
        response,
        version,
        section,
        target_code,
        target_ref,
        target_title,
        target_response,
    ) in session.exec(query):
        answer = answer_of(response, report.theme_answers.get(idea_id, []))
        yield (
            topic or "",
            ReportIdea(
                full_ref=f"{code}/{ref}",
                code=code,
                ref=ref,
                title=title,
                meeting=meeting,
                outcome=outcome_of(status),
                reason=reason,
                response=answer.response,
                response_theme=answer.theme,
                plan_version=version,
                plan_section=section,
                section_title=report.sections.get((version, section), ""),
                merged_into=f"{target_code}/{target_ref} {target_title}" if target_ref else "",
                target_response=target_response or "",
            ),
        )


@dataclass(frozen=True)
class TopicPart:
    topic: str  # "" = no topic
    counts: Counts
    ideas: Iterator[ReportIdea]


def report_topics(session: Session, report: Report) -> Iterator[TopicPart]:
    """The report topic by topic, each with its counts and a stream of its ideas.

    Topics sort in Python (``_topic_order``) and in SQL alike for ordinary names; a topic the
    database orders differently still gets its ideas, under its own heading."""
    for topic, rows in groupby(report_ideas(session, report), key=lambda pair: pair[0]):
        yield TopicPart(topic, report.counts.get(topic, Counts()), (idea for _, idea in rows))


def plan_reference(idea: ReportIdea) -> str:
    """Which version reflects the idea, in words the report prints: ``v2 §4.2 Bus lanes``."""
    if not idea.plan_version:
        return ""
    if not idea.plan_section:
        return idea.plan_version
    title = f" {idea.section_title}" if idea.section_title else ""
    return f"{idea.plan_version} §{idea.plan_section}{title}"
