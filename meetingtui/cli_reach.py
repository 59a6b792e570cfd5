"""Reach and pairwise on the command line: ``reach add`` (a paper sign-in card), ``reach
population`` (a programme's reference population), ``reach report``, ``reach names`` and
``pairwise``. Thin shells over domain/reach.py and domain/pairwise.py; refusals exit 2 and
change nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from meetingtui.cli import EXIT_INVALID, EXIT_OK, UserError, _open_database
from meetingtui.cli_catalogue import _open_for_write

POPULATION_FILE_MAX = 2_000_000


def _answers(pairs: list[str]) -> dict[str, str]:
    answers: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UserError(
                f"--answer '{pair}': write it as KEY=ANSWER, for example --answer age=\"25 to 44\"",
                EXIT_INVALID,
            )
        if key.strip() in answers:
            raise UserError(f"--answer {key.strip()} is given twice", EXIT_INVALID)
        answers[key.strip()] = value
    return answers


def cmd_reach_add(args: argparse.Namespace) -> int:
    from meetingtui.domain import meetings
    from meetingtui.domain.errors import FieldErrors
    from meetingtui.domain.reach import PREFER_NOT, meeting_questions, record_response

    answers = _answers(args.answer or [])
    database = _open_for_write(args.db)
    try:
        with database.write() as session:
            meeting = meetings.find_meeting(session, args.meeting)
            questions = meeting_questions(session, meeting.id)
            try:
                count = record_response(
                    session,
                    meeting_id=meeting.id,
                    answers=answers,
                    area=args.area or "",
                    name=args.name or "",
                    channel="paper",
                )
            except FieldErrors as error:
                lines = []
                for field, message in error.errors.items():
                    key = field.removeprefix("answer-")
                    question = next((q for q in questions if q.key == key), None)
                    hint = ""
                    if question is not None:
                        hint = f" ({', '.join(question.options)}, or {PREFER_NOT})"
                    elif field.startswith("answer-"):
                        known = ", ".join(q.key for q in questions) or "none in this agenda"
                        hint = f" (its questions: {known})"
                    option = f"answer {key}" if field.startswith("answer-") else field
                    lines.append(f"--{option}: {message}{hint}")
                raise UserError("\n".join(lines), EXIT_INVALID) from None
    finally:
        database.close()
    print(f"Paper sign-in recorded for {meeting.code} ({count} in all).")
    return EXIT_OK


def cmd_reach_population(args: argparse.Namespace) -> int:
    from meetingtui.domain.programmes import find_programme
    from meetingtui.domain.reach import PopulationError, parse_population, set_population

    path = Path(args.file)
    try:
        if path.stat().st_size > POPULATION_FILE_MAX:
            raise UserError(f"{path}: the file is too large for a population table", EXIT_INVALID)
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: no such file", EXIT_INVALID) from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a folder, not a CSV file", EXIT_INVALID) from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: is not UTF-8 text", EXIT_INVALID) from None
    try:
        shares = parse_population(text, str(path))
    except PopulationError as error:
        raise UserError(str(error), EXIT_INVALID) from None
    database = _open_for_write(args.db)
    try:
        with database.write() as session:
            programme = find_programme(session, args.programme)
            try:
                count = set_population(
                    session, programme_id=programme.id, shares=shares, path=str(path)
                )
            except PopulationError as error:
                raise UserError(str(error), EXIT_INVALID) from None
            name = programme.name
    finally:
        database.close()
    print(f"Reference population of {name}: {count} shares (replacing any before).")
    return EXIT_OK


def cmd_reach_report(args: argparse.Namespace) -> int:
    from meetingtui.domain import meetings
    from meetingtui.domain.programmes import find_programme
    from meetingtui.domain.reach import figures_document, published, reach_figures
    from meetingtui.export import reach_report
    from meetingtui.export.markdown import md_text

    database = _open_database(args.db, write=False)
    try:
        with database.read() as session:
            if args.meeting:
                meeting = meetings.find_meeting(session, args.meeting)
                figures = reach_figures(session, meeting_id=meeting.id, area=args.area or "")
            else:
                programme = find_programme(session, args.programme)
                figures = reach_figures(session, programme_id=programme.id, area=args.area or "")
    finally:
        database.close()
    if not args.exact:
        figures = published(figures)
    if args.format == "json":
        sys.stdout.write(json.dumps(figures_document(figures), ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    section = reach_report.reach_section(figures)
    if args.format == "md":
        lines = reach_report.markdown_lines(section, level=1, escape=md_text)
    else:
        lines = reach_report.text_lines(section)
        lines.insert(2, f"{figures.scope}")
    sys.stdout.write("\n".join(lines).rstrip() + "\n")
    return EXIT_OK


def cmd_reach_names(args: argparse.Namespace) -> int:
    from meetingtui.domain import meetings
    from meetingtui.domain.reach import sign_in_names

    database = _open_database(args.db, write=False)
    try:
        with database.read() as session:
            meeting = meetings.find_meeting(session, args.meeting)
            names = sign_in_names(session, meeting.id)
    finally:
        database.close()
    print("Not for publication: the first names given at sign-in (in alphabetical order).")
    for name in names:
        print(name)
    if not names:
        print("(none given)")
    return EXIT_OK


def cmd_pairwise(args: argparse.Namespace) -> int:
    from meetingtui.domain import meetings
    from meetingtui.domain.pairwise import ranking
    from meetingtui.export import reach_report

    database = _open_database(args.db, write=False)
    try:
        with database.read() as session:
            meeting = meetings.find_meeting(session, args.meeting)
            ranked = ranking(session, meeting.id)
    finally:
        database.close()
    if args.format == "json":
        document = [
            {
                "ref": idea.ref,
                "meeting": idea.meeting_code,
                "title": idea.title,
                "score": round(idea.score, 3),
                "wins": idea.wins,
                "comparisons": idea.comparisons,
            }
            for idea in ranked
        ]
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    others = any(idea.meeting_code != meeting.code for idea in ranked)
    section = reach_report.pairwise_section(ranked, with_meeting=others)
    sys.stdout.write("\n".join(reach_report.text_lines(section)).rstrip() + "\n")
    return EXIT_OK


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """``reach …`` and ``pairwise`` on the ``meetingtui`` parser."""
    reach = commands.add_parser(
        "reach",
        parents=[common],
        help="who took part: paper sign-ins, reference population, reach report",
        description="Reach: the optional sign-in's answers compared with the area's population.",
    )
    actions = reach.add_subparsers(dest="reach_command", metavar="ACTION", required=True)

    add = actions.add_parser(
        "add", parents=[common], help="enter one paper sign-in card (monitoring form)"
    )
    add.add_argument("meeting", metavar="MEETING", help="meeting code or id")
    add.add_argument("--area", help="area or postcode district, as written")
    add.add_argument("--name", help="first name, if given (kept apart from the answers)")
    add.add_argument(
        "--answer",
        action="append",
        metavar="KEY=ANSWER",
        help='one question\'s answer, e.g. --answer age="25 to 44"; repeat for each question; '
        'prefer-not for "prefer not to say"; leave a question out when it was not answered',
    )
    add.set_defaults(handler=cmd_reach_add)

    population = actions.add_parser(
        "population",
        parents=[common],
        help="enter a programme's reference population (CSV: area,question,option,share)",
    )
    population.add_argument("programme", metavar="PROGRAMME", help="the programme's name")
    population.add_argument(
        "file",
        metavar="FILE.csv",
        help="columns area (empty: the whole area), question (a monitoring key), option, "
        "share (0.14 or 14%%); replaces the programme's population",
    )
    population.set_defaults(handler=cmd_reach_population)

    report = actions.add_parser(
        "report",
        parents=[common],
        help="participants vs population per group, groups not yet heard, representativeness",
    )
    report.add_argument("--programme", help="the programme, all its meetings and channels")
    report.add_argument("--meeting", help="one meeting (code or id) instead")
    report.add_argument("--area", help="only responses from this area, against its population")
    report.add_argument("--format", choices=["text", "md", "json"], default="text")
    report.add_argument(
        "--exact",
        action="store_true",
        help="exact counts for the organisers (not for publication); by default small "
        "numbers are suppressed as everywhere published",
    )
    report.set_defaults(handler=cmd_reach_report)

    names = actions.add_parser(
        "names", parents=[common], help="the first names given at sign-in (organisers only)"
    )
    names.add_argument("meeting", metavar="MEETING", help="meeting code or id")
    names.set_defaults(handler=cmd_reach_names)

    pairwise = commands.add_parser(
        "pairwise",
        parents=[common],
        help='the "which matters more" ranking of a meeting\'s ideas',
    )
    pairwise.add_argument("meeting", metavar="MEETING", help="meeting code or id")
    pairwise.add_argument("--format", choices=["text", "json"], default="text")
    pairwise.set_defaults(handler=cmd_pairwise)
