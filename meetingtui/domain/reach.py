"""Reach: who took part, compared with who lives in the area, without linking anyone to what
they said.

A person may answer an optional, skippable sign-in (on the phone or on a paper card): a first
name or nothing, an area or postcode district, and the meeting's monitoring questions (declared
in the agenda file, ``[[monitoring]]``), each with "prefer not to say". How the answers are kept
apart from ideas, comments and ballots:

- a response (``ReachResponse``) holds the meeting, the channel, the area and the answers, and
  nothing else: no device id, no name, no idea or comment key and no time finer than the
  meeting itself. Its key is a random UUID and the table has no SQLite rowid, so neither the key
  nor the stored order tells which response came first;
- a first name goes to its own table (``ReachName``, the sign-in sheet), with no link to the
  answers;
- a phone that answered is remembered as a hash of its device id and the meeting
  (``ReachDevice``): one response per device per meeting, and again no link to the answers;
- (a limit: PostgreSQL keeps rows in insertion order on disk until ``VACUUM FULL``, so someone
  reading its files could pair the n-th device marker with the n-th response; nothing here reads
  either table in that order, and SQLite keeps both in key order);
- the change feed hears of responses only five at a time (``reach.responses`` with the count,
  never the answers), so following the feed and re-reading the figures never isolates one
  person's answers;
- everything published (minutes, site, ``reach report``) goes through ``published``: counts
  under 5 become "fewer than 5", a second cell is hidden whenever only one would be (so a hidden
  count is never a total minus the shown ones), the counts shown are rounded to the nearest 5, and
  every published share and figure is computed from the published counts only.

Representativeness, per question: ``1 − D`` where ``D`` is Duncan's dissimilarity index (the
total variation distance) between the participants' shares over the question's answers (those
who chose one; "prefer not to say" and no answer left out) and the reference population's shares
over the same answers: ``D = ½ Σ |participants' share − population share|``. 1 means the room
looks like the area; 0 that it shares nobody's group. The overall figure is the mean over the
questions that have a reference population.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlmodel import Session, col, delete, func, select

from meetingtui.domain.agenda import MonitoringQuestion
from meetingtui.domain.errors import DomainError, FieldErrors, MeetingClosed, NotFound
from meetingtui.domain.feed import record_event
from meetingtui.domain.models import (
    Meeting,
    Programme,
    ReachDevice,
    ReachName,
    ReachPopulation,
    ReachQuestion,
    ReachResponse,
)
from meetingtui.domain.states import MeetingStatus
from meetingtui.domain.text_fold import fold

PREFER_NOT = "prefer-not"  # the stored answer for "prefer not to say"
PREFER_NOT_LABEL = "Prefer not to say"
CHANNELS = ("phone", "paper")
AREA_MAX = 40
NAME_MAX = 60
SMALL = 5  # counts under this are never published
ROUND_TO = 5  # published counts are rounded to the nearest multiple of this
FEED_BATCH = 5  # the feed hears of responses this many at a time
FAR_UNDER = 0.5  # a group at under half its population share is "not yet heard"
SHARE_TOLERANCE = 0.02  # a population's shares must add up to 1 within this


class AlreadyAnswered(DomainError):
    """This phone has already answered for this meeting."""


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    options: tuple[str, ...]


# ---------------------------------------------------------------------------- questions


def set_questions(
    session: Session, *, meeting_id: uuid.UUID, questions: Sequence[MonitoringQuestion]
) -> None:
    """The meeting's monitoring questions, as the agenda file declares them."""
    for position, question in enumerate(questions):
        session.add(
            ReachQuestion(
                meeting_id=meeting_id,
                position=position,
                key=question.key,
                label=question.label,
                options=json.dumps(list(question.options), ensure_ascii=False),
            )
        )


def meeting_questions(session: Session, meeting_id: uuid.UUID) -> list[Question]:
    rows = session.exec(
        select(ReachQuestion)
        .where(ReachQuestion.meeting_id == meeting_id)
        .order_by(col(ReachQuestion.position))
    ).all()
    return [Question(row.key, row.label, tuple(json.loads(row.options))) for row in rows]


# ---------------------------------------------------------------------------- answering


def device_hash(meeting_id: uuid.UUID, device: str) -> str:
    return hashlib.sha256(f"reach:{meeting_id}:{device}".encode()).hexdigest()


def device_answered(session: Session, *, meeting_id: uuid.UUID, device: str) -> bool:
    if not device:
        return False
    return session.get(ReachDevice, (meeting_id, device_hash(meeting_id, device))) is not None


def clean_answers(
    questions: Sequence[Question], answers: Mapping[str, str], area: str, name: str
) -> tuple[dict[str, str], str, str]:
    """The answers as stored (option labels as declared, ``PREFER_NOT``; blanks left out), the
    area and the name, cleaned; or FieldErrors naming each field (``answer-KEY``, ``area``,
    ``name``)."""
    errors: dict[str, str] = {}
    known = {question.key: question for question in questions}
    cleaned: dict[str, str] = {}
    for key, value in answers.items():
        question = known.get(key)
        if question is None:
            errors[f"answer-{key}"] = f"There is no question '{key}' in this meeting"
            continue
        value = value.strip()
        if not value:
            continue
        if fold(value) in (fold(PREFER_NOT), fold(PREFER_NOT_LABEL)):
            cleaned[key] = PREFER_NOT
            continue
        match = next((option for option in question.options if fold(option) == fold(value)), None)
        if match is None:
            errors[f"answer-{key}"] = "Choose an answer from the list"
        else:
            cleaned[key] = match
    area = " ".join(area.split())
    if len(area) > AREA_MAX:
        errors["area"] = f"Enter an area or postcode district of {AREA_MAX} characters or fewer"
    name = " ".join(name.split())
    if len(name) > NAME_MAX:
        errors["name"] = f"Enter a first name of {NAME_MAX} characters or fewer"
    if errors:
        raise FieldErrors(errors)
    return cleaned, area, name


def record_response(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    answers: Mapping[str, str],
    area: str = "",
    name: str = "",
    channel: str = "phone",
    device: str = "",
) -> int:
    """Keep one person's sign-in; returns the meeting's number of responses.

    From a phone (``device``), once per meeting: a second answer raises AlreadyAnswered, and
    a closed meeting takes none. Paper cards are entered whenever the organisers get to them.
    """
    if channel not in CHANNELS:
        raise DomainError(f"The channel must be one of {', '.join(CHANNELS)}")
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("That meeting does not exist.")
    if channel == "phone" and meeting.status == MeetingStatus.CLOSED:
        raise MeetingClosed("This meeting has closed and is no longer taking ideas or comments.")
    questions = meeting_questions(session, meeting_id)
    cleaned, area, name = clean_answers(questions, answers, area, name)
    if device:
        hashed = device_hash(meeting_id, device)
        if session.get(ReachDevice, (meeting_id, hashed)) is not None:
            raise AlreadyAnswered("You have already answered these questions. Thank you.")
        session.add(ReachDevice(meeting_id=meeting_id, device_hash=hashed))
    session.add(
        ReachResponse(
            meeting_id=meeting_id,
            channel=channel,
            area=area,
            answers=json.dumps(cleaned, ensure_ascii=False, sort_keys=True),
        )
    )
    if name:
        session.add(ReachName(meeting_id=meeting_id, name=name))
    session.flush()
    count = response_count(session, meeting_id)
    if count % FEED_BATCH == 0:
        record_event(
            session,
            kind="reach.responses",
            meeting_id=meeting_id,
            entity="reach",
            entity_id=meeting_id,
            detail={"responses": count},
        )
    return count


def response_count(session: Session, meeting_id: uuid.UUID) -> int:
    return session.exec(
        select(func.count())
        .select_from(ReachResponse)
        .where(ReachResponse.meeting_id == meeting_id)
    ).one()


def sign_in_names(session: Session, meeting_id: uuid.UUID) -> list[str]:
    """The first names given (organisers only), in alphabetical order, not the order given."""
    names = session.exec(select(ReachName.name).where(ReachName.meeting_id == meeting_id)).all()
    return sorted(names, key=fold)


# ---------------------------------------------------------------------------- population


@dataclass(frozen=True)
class PopulationProblem:
    line: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        column = f", column {self.column}" if self.column else ""
        return f"{where}{column}: {self.message}"


class PopulationError(DomainError):
    def __init__(self, path: str, problems: list[PopulationProblem]):
        self.path = path
        self.problems = problems
        super().__init__("\n".join(f"{path}: {problem}" for problem in problems))


@dataclass(frozen=True)
class PopulationShare:
    area: str
    question: str
    option: str
    share: float
    line: int = 0


POPULATION_COLUMNS = ("area", "question", "option", "share")


def _share(text: str) -> float:
    value = text.strip()
    percent = value.endswith("%")
    try:
        number = float(value.rstrip("%").strip())
    except ValueError:
        raise ValueError(f"'{text}' is not a share; write 0.14 or 14%") from None
    if percent:
        number /= 100
    if not 0 <= number <= 1:
        raise ValueError(f"'{text}' is not a share between 0 and 1 (or 0% and 100%)")
    return number


def parse_population(text: str, path: str = "<population>") -> list[PopulationShare]:
    """Read a population file: CSV with the columns area, question, option, share (area empty
    for the whole programme; share as 0.14 or 14%). Every problem names its line and column."""
    problems: list[PopulationProblem] = []
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration:
        raise PopulationError(path, [PopulationProblem(None, "", "the file is empty")]) from None
    except csv.Error as error:
        raise PopulationError(path, [PopulationProblem(1, "", f"not valid CSV: {error}")]) from None
    missing = [name for name in POPULATION_COLUMNS if name not in header]
    unknown = [name for name in header if name not in POPULATION_COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(missing))
        if unknown:
            parts.append("unknown " + ", ".join(f"'{name}'" for name in unknown))
        problems.append(
            PopulationProblem(
                1, "", f"the header must be {','.join(POPULATION_COLUMNS)} ({'; '.join(parts)})"
            )
        )
        raise PopulationError(path, problems)
    at = {name: header.index(name) for name in POPULATION_COLUMNS}
    shares: list[PopulationShare] = []
    seen: set[tuple[str, str, str]] = set()
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                problems.append(
                    PopulationProblem(
                        line, "", f"has {len(row)} cells; the header has {len(header)}"
                    )
                )
                continue
            area = " ".join(row[at["area"]].split())
            question = row[at["question"]].strip()
            option = " ".join(row[at["option"]].split())
            if len(area) > AREA_MAX:
                problems.append(PopulationProblem(line, "area", f"is longer than {AREA_MAX}"))
            if not question:
                problems.append(PopulationProblem(line, "question", "is empty"))
            if not option:
                problems.append(PopulationProblem(line, "option", "is empty"))
            try:
                share = _share(row[at["share"]])
            except ValueError as error:
                problems.append(PopulationProblem(line, "share", str(error)))
                continue
            cell = (fold(area), question, fold(option))
            if cell in seen:
                problems.append(
                    PopulationProblem(line, "option", f"'{option}' is given twice for '{question}'")
                )
                continue
            seen.add(cell)
            if question and option:
                shares.append(PopulationShare(area, question, option, share, line))
    except csv.Error as error:
        problems.append(PopulationProblem(reader.line_num, "", f"not valid CSV: {error}"))
    totals: dict[tuple[str, str], list[PopulationShare]] = {}
    for entry in shares:
        totals.setdefault((fold(entry.area), entry.question), []).append(entry)
    for (_, question), cells in totals.items():
        total = sum(cell.share for cell in cells)
        if abs(total - 1) > SHARE_TOLERANCE:
            where = f"area '{cells[0].area}'" if cells[0].area else "the whole area"
            problems.append(
                PopulationProblem(
                    cells[0].line,
                    "share",
                    f"the shares of '{question}' for {where} add up to {total:.0%}, not 100%",
                )
            )
    if not shares and not problems:
        problems.append(PopulationProblem(None, "", "the file has no shares"))
    if problems:
        raise PopulationError(path, problems)
    return shares


def programme_questions(session: Session, programme_id: uuid.UUID) -> dict[str, Question]:
    """The monitoring questions of a programme's meetings by key (the latest meeting's
    wording when several ask the same)."""
    rows = session.exec(
        select(ReachQuestion)
        .join(Meeting, col(Meeting.id) == col(ReachQuestion.meeting_id))
        .where(Meeting.programme_id == programme_id)
        .order_by(col(Meeting.created_at), col(ReachQuestion.position))
    ).all()
    questions: dict[str, Question] = {}
    for row in rows:
        questions[row.key] = Question(row.key, row.label, tuple(json.loads(row.options)))
    return questions


def set_population(
    session: Session,
    *,
    programme_id: uuid.UUID,
    shares: Sequence[PopulationShare],
    path: str = "<population>",
    actor: str = "",
) -> int:
    """Replace the programme's reference population with ``shares``. Each question must be one
    the programme's meetings ask, each option one of its answers."""
    questions = programme_questions(session, programme_id)
    problems: list[PopulationProblem] = []
    for share in shares:
        question = questions.get(share.question)
        if question is None:
            known = ", ".join(sorted(questions)) or "none yet: create the meeting first"
            problems.append(
                PopulationProblem(
                    share.line,
                    "question",
                    f"'{share.question}' is not a monitoring question of this programme"
                    f" (its questions: {known})",
                )
            )
        elif not any(fold(option) == fold(share.option) for option in question.options):
            problems.append(
                PopulationProblem(
                    share.line,
                    "option",
                    f"'{share.option}' is not an answer of '{share.question}'"
                    f" (its answers: {', '.join(question.options)})",
                )
            )
    if problems:
        raise PopulationError(path, problems)
    session.exec(delete(ReachPopulation).where(col(ReachPopulation.programme_id) == programme_id))
    for share in shares:
        question = questions[share.question]
        option = next(o for o in question.options if fold(o) == fold(share.option))
        session.add(
            ReachPopulation(
                programme_id=programme_id,
                area=share.area,
                question=share.question,
                option=option,
                share=share.share,
            )
        )
    record_event(
        session,
        kind="reach.population",
        meeting_id=None,
        entity="programme",
        entity_id=programme_id,
        actor=actor,
        detail={"shares": len(shares)},
    )
    session.flush()
    return len(shares)


# ---------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class GroupFigure:
    """One answer of a question: how many chose it (None: fewer than 5, published), its share
    of those who chose an answer, and its share of the reference population."""

    label: str
    count: int | None
    share: float | None
    population: float | None

    @property
    def shortfall(self) -> float:
        if self.population is None:
            return 0.0
        return self.population - (self.share or 0.0)

    @property
    def not_heard(self) -> bool:
        """Nobody (or fewer than 5, published) from a group that lives here, or under half its
        share."""
        if not self.population:
            return False
        if self.count is None or self.count == 0:
            return True
        return self.share is not None and self.share < self.population * FAR_UNDER


@dataclass(frozen=True)
class QuestionFigures:
    key: str
    label: str
    groups: tuple[GroupFigure, ...]
    prefer_not: int | None
    not_answered: int | None
    answered: int | None
    representativeness: float | None

    @property
    def not_heard(self) -> list[GroupFigure]:
        return [group for group in self.groups if group.not_heard]


@dataclass(frozen=True)
class ReachFigures:
    scope: str  # the meeting's title or the programme's name
    responses: int | None  # None: fewer than 5 (published)
    channels: tuple[tuple[str, int | None], ...]
    questions: tuple[QuestionFigures, ...]
    representativeness: float | None
    published: bool = False
    area: str = ""
    names: int | None = None  # first names given: organisers' figures only
    has_population: bool = False
    meetings: int = 1

    @property
    def too_few(self) -> bool:
        return self.responses is None

    def most_under_represented(self) -> tuple[QuestionFigures, GroupFigure] | None:
        best: tuple[QuestionFigures, GroupFigure] | None = None
        for question in self.questions:
            if not question.answered:
                continue
            for group in question.groups:
                if group.population is None or group.shortfall <= 0:
                    continue
                if best is None or group.shortfall > best[1].shortfall:
                    best = (question, group)
        return best

    def not_heard(self) -> list[tuple[QuestionFigures, GroupFigure]]:
        return [(question, group) for question in self.questions for group in question.not_heard]


def percent(value: float | None) -> str:
    if value is None:
        return "–"
    if 0 < value < 0.005:
        return "<1%"
    return f"{round(value * 100)}%"


def room_line(figures: ReachFigures) -> str:
    """The console's one line: the most under-represented group, "under 25s: 3% in the room,
    14% locally"."""
    if not figures.questions:
        return "Reach: no monitoring questions in this agenda"
    if not figures.responses:
        return "Reach: nobody has answered the sign-in yet"
    if not figures.has_population:
        return f"Reach: {figures.responses} answered; no reference population (reach population)"
    found = figures.most_under_represented()
    if found is None:
        return f"Reach: {figures.responses} answered; no group under its local share"
    _question, group = found
    return f"{group.label}: {percent(group.share)} in the room, {percent(group.population)} locally"


@dataclass
class _Tally:
    question: Question
    counts: Counter[str] = field(default_factory=Counter)
    asked: int = 0  # responses from meetings that asked it


def _population(
    session: Session, programme_ids: Sequence[uuid.UUID], area: str
) -> dict[str, dict[str, float]]:
    """question key -> folded option -> share, for ``area`` ("" the whole), summed over the
    programmes asked for (one, in practice)."""
    rows = session.exec(
        select(ReachPopulation).where(col(ReachPopulation.programme_id).in_(programme_ids))
    ).all()
    shares: dict[str, dict[str, float]] = {}
    for row in rows:
        if fold(row.area) != fold(area):
            continue
        shares.setdefault(row.question, {})[fold(row.option)] = row.share
    return shares


def reach_figures(
    session: Session,
    *,
    meeting_id: uuid.UUID | None = None,
    programme_id: uuid.UUID | None = None,
    area: str = "",
) -> ReachFigures:
    """The exact figures of one meeting, or of every meeting of a programme (all channels),
    optionally of the responses from one ``area`` against that area's population. Organisers
    only: publish ``published(...)`` of them."""
    if meeting_id is not None:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None:
            raise NotFound("That meeting does not exist.")
        meetings = [meeting]
        scope = meeting.title
        programme_ids = [meeting.programme_id] if meeting.programme_id else []
    elif programme_id is not None:
        programme = session.get(Programme, programme_id)
        if programme is None:
            raise NotFound("That programme does not exist.")
        meetings = list(
            session.exec(
                select(Meeting)
                .where(Meeting.programme_id == programme_id)
                .order_by(col(Meeting.created_at))
            )
        )
        scope = programme.name
        programme_ids = [programme_id]
    else:
        raise DomainError("Say which meeting or programme")
    ids = [meeting.id for meeting in meetings]
    tallies: dict[str, _Tally] = {}
    asked_by: dict[uuid.UUID, list[str]] = {}
    for meeting in meetings:
        for question in meeting_questions(session, meeting.id):
            tally = tallies.get(question.key)
            if tally is None:
                tallies[question.key] = _Tally(question)
            else:
                tally.question = question  # the latest wording
            asked_by.setdefault(meeting.id, []).append(question.key)
    rows = (
        session.exec(
            select(
                ReachResponse.meeting_id,
                ReachResponse.channel,
                ReachResponse.area,
                ReachResponse.answers,
            ).where(col(ReachResponse.meeting_id).in_(ids))
        ).all()
        if ids
        else []
    )
    channels: Counter[str] = Counter()
    responses = 0
    for meeting_of, channel, given_area, answers_text in rows:
        if area and fold(given_area) != fold(area):
            continue
        responses += 1
        channels[channel] += 1
        answers = json.loads(answers_text)
        for key in asked_by.get(meeting_of, []):
            tally = tallies[key]
            tally.asked += 1
            tally.counts[answers.get(key, "")] += 1
    population = _population(session, programme_ids, area)
    questions = tuple(
        _question_figures(tally, population.get(key)) for key, tally in tallies.items()
    )
    names: int | None = None if area else 0  # names are kept apart: no area to filter them by
    if ids and not area:
        names = session.exec(
            select(func.count()).select_from(ReachName).where(col(ReachName.meeting_id).in_(ids))
        ).one()
    return ReachFigures(
        scope=scope,
        responses=responses,
        channels=tuple((channel, channels[channel]) for channel in CHANNELS),
        questions=questions,
        representativeness=_mean(q.representativeness for q in questions),
        area=area,
        names=names,
        has_population=any(q.key in population for q in questions),
        meetings=len(meetings),
    )


def _question_figures(tally: _Tally, population: dict[str, float] | None) -> QuestionFigures:
    question = tally.question
    options = list(question.options)
    extra = [
        answer
        for answer in tally.counts
        if answer not in options and answer not in ("", PREFER_NOT)
    ]
    options += sorted(extra, key=fold)  # answers an earlier meeting's wording offered
    counts = [tally.counts[option] for option in options]
    answered = sum(counts)
    groups = tuple(
        GroupFigure(
            label=option,
            count=count,
            share=count / answered if answered else None,
            population=_population_share(population, option),
        )
        for option, count in zip(options, counts, strict=True)
    )
    return QuestionFigures(
        key=question.key,
        label=question.label,
        groups=groups,
        prefer_not=tally.counts[PREFER_NOT],
        not_answered=tally.counts[""],
        answered=answered,
        representativeness=_representativeness(groups),
    )


def _population_share(population: dict[str, float] | None, option: str) -> float | None:
    if population is None:
        return None
    total = sum(population.values())
    if total <= 0:
        return None
    return population.get(fold(option), 0.0) / total


def _representativeness(groups: Sequence[GroupFigure]) -> float | None:
    """1 − Duncan's dissimilarity index between the participants' and the population's shares."""
    if not groups or any(group.population is None for group in groups):
        return None
    if not any(group.share is not None for group in groups):
        return None
    distance = sum(abs((group.share or 0.0) - (group.population or 0.0)) for group in groups) / 2
    return max(0.0, 1.0 - distance)


def representativeness_of(counts: Sequence[float], population: Sequence[float]) -> float:
    """``1 − ½ Σ |p_i − π_i|`` for counts and population shares in the same order."""
    total = sum(counts)
    pop_total = sum(population)
    if total <= 0 or pop_total <= 0:
        raise ValueError("needs some counts and a population")
    return (
        1
        - sum(
            abs(count / total - share / pop_total)
            for count, share in zip(counts, population, strict=True)
        )
        / 2
    )


def _mean(values: object) -> float | None:
    known = [value for value in values if value is not None]  # type: ignore[attr-defined]
    return sum(known) / len(known) if known else None


# ---------------------------------------------------------------------------- publishing


def round_count(count: int) -> int:
    """To the nearest multiple of ``ROUND_TO`` (halves up)."""
    return ROUND_TO * ((count * 2 + ROUND_TO) // (2 * ROUND_TO))


def suppress(counts: Sequence[int]) -> list[int | None]:
    """The published form of one table's cells (which add up to its total): counts from 1 to 4
    hidden (None); when that hides just one cell, the smallest other non-zero cell is hidden
    too, so the hidden one is never the total minus the rest; the rest rounded to the nearest
    5. Zero is shown: nobody is a finding, and it identifies nobody."""
    hidden = [0 < count < SMALL for count in counts]
    if sum(hidden) == 1:
        others = [i for i, count in enumerate(counts) if not hidden[i] and count > 0]
        if others:
            hidden[min(others, key=lambda i: (counts[i], i))] = True
    return [
        None if hide else round_count(count) for hide, count in zip(hidden, counts, strict=True)
    ]


def published(figures: ReachFigures) -> ReachFigures:
    """What may be published of ``figures``: see ``suppress``. Fewer than 5 responses in all:
    no breakdown at all. Shares and representativeness are computed from the published counts
    (a hidden answer's count taken as an even part of what the rounded total leaves), so no
    published figure carries more than the published counts."""
    if figures.published:
        return figures
    total = figures.responses or 0
    if total < SMALL:
        return ReachFigures(
            scope=figures.scope,
            responses=None,
            channels=(),
            questions=tuple(
                QuestionFigures(q.key, q.label, (), None, None, None, None)
                for q in figures.questions
            ),
            representativeness=None,
            published=True,
            area=figures.area,
            has_population=figures.has_population,
            meetings=figures.meetings,
        )
    channel_cells = suppress([count or 0 for _, count in figures.channels])
    questions = tuple(_published_question(q) for q in figures.questions)
    return ReachFigures(
        scope=figures.scope,
        responses=round_count(total),
        channels=tuple(
            (channel, cell)
            for (channel, _), cell in zip(figures.channels, channel_cells, strict=True)
        ),
        questions=questions,
        representativeness=_mean(q.representativeness for q in questions),
        published=True,
        area=figures.area,
        has_population=figures.has_population,
        meetings=figures.meetings,
    )


def _published_question(question: QuestionFigures) -> QuestionFigures:
    cells = [group.count or 0 for group in question.groups]
    cells += [question.prefer_not or 0, question.not_answered or 0]
    shown = suppress(cells)
    option_cells = shown[: len(question.groups)]
    answered = round_count(question.answered or 0)
    if sum(cells) < SMALL:  # asked of fewer than 5 (a programme's one small meeting)
        option_cells = [None] * len(question.groups)
        shown = [None] * len(cells)
        answered = 0
    visible = sum(cell for cell in option_cells if cell is not None)
    hidden = [i for i, cell in enumerate(option_cells) if cell is None]
    estimate = max(0, answered - visible) / len(hidden) if hidden else 0.0
    groups = tuple(
        GroupFigure(
            label=group.label,
            count=cell,
            share=(cell / answered if cell is not None and answered else None),
            population=group.population,
        )
        for group, cell in zip(question.groups, option_cells, strict=True)
    )
    estimated = (
        [
            GroupFigure(
                g.label, 1, (cell if cell is not None else estimate) / answered, g.population
            )
            for g, cell in zip(question.groups, option_cells, strict=True)
        ]
        if answered
        else []
    )
    return QuestionFigures(
        key=question.key,
        label=question.label,
        groups=groups,
        prefer_not=shown[-2],
        not_answered=shown[-1],
        answered=answered if answered else None,
        representativeness=_representativeness(estimated) if estimated else None,
    )


def count_text(count: int | None) -> str:
    return "fewer than 5" if count is None else str(count)


def figures_document(figures: ReachFigures) -> dict[str, object]:
    """The figures as plain JSON data (``reach report --format json``, the minutes' JSON)."""
    return {
        "scope": figures.scope,
        "published": figures.published,
        "area": figures.area,
        "meetings": figures.meetings,
        "responses": figures.responses,
        "responses_text": count_text(figures.responses),
        "channels": {channel: count for channel, count in figures.channels},
        "representativeness": _figure(figures.representativeness),
        "questions": [
            {
                "key": question.key,
                "label": question.label,
                "answered": question.answered,
                "prefer_not_to_say": question.prefer_not,
                "not_answered": question.not_answered,
                "representativeness": _figure(question.representativeness),
                "groups": [
                    {
                        "label": group.label,
                        "count": group.count,
                        "share": _figure(group.share),
                        "population": _figure(group.population),
                        "not_heard": group.not_heard,
                    }
                    for group in question.groups
                ],
            }
            for question in figures.questions
        ],
        **({} if figures.published else {"first_names": figures.names}),
    }


def _figure(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
