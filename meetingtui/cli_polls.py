"""``meetingtui polls``: a meeting's polls and their results; paper ballots and hand counts.

A thin shell over domain/polls.py::

    meetingtui polls MEETING                       list every poll with its results now
    meetingtui polls count MEETING POLL --option "Label=12" … --cast N [--invalid M]
    meetingtui polls paper MEETING POLL --ballot "A" --ballot "B;C" … --cast N [--invalid M]
    meetingtui polls open|close|reopen MEETING POLL
    meetingtui polls override MEETING POLL --select "Label" … --reason "…"

``POLL`` is the poll's number (``1``, ``P1``). Options are named by label (accents and case
aside) or by number from 1. A paper ballot lists its choices separated by ``;``: in order of
preference for a ranking, ``Label=N`` for a score or dots. Totals that do not add up (ballots
cast = valid + invalid) are refused with the figures, exit 2.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from meetingtui.cli import EXIT_INVALID, EXIT_OK, UserError, _open_database
from meetingtui.cli_catalogue import _open_for_write

ACTIONS = ("count", "paper", "open", "close", "reopen", "override")
FIGURES = {
    "single": ("votes",),
    "multiple": ("votes",),
    "ranking": ("borda", "first"),
    "score": ("mean", "count", "skips"),
    "dots": ("points",),
    "budget": ("votes", "cost", "selected_greedy", "selected_equal_shares"),
}


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    sub = commands.add_parser(
        "polls",
        parents=[common],
        help="list a meeting's polls and results; enter paper ballots and hand counts",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub.add_argument("words", nargs="+", metavar="[ACTION] MEETING [POLL]")
    sub.add_argument("--option", action="append", default=[], help='hands: "Label=12" per option')
    sub.add_argument("--ballot", action="append", default=[], help="paper: one ballot's choices")
    sub.add_argument("--cast", type=int, help="paper or hands: ballots cast (people who voted)")
    sub.add_argument("--invalid", type=int, default=0, help="spoilt or blank (default 0)")
    sub.add_argument("--select", action="append", default=[], help="override: an option chosen")
    sub.add_argument("--reason", default="", help="override: the reason, published")
    sub.add_argument("--actor", default="", help="who entered it (default: your login)")
    sub.set_defaults(handler=cmd_polls)


def cmd_polls(args: argparse.Namespace) -> int:
    words = list(args.words)
    action = words.pop(0) if words[0] in ACTIONS else "list"
    if action == "list":
        if len(words) != 1:
            raise UserError("Give one meeting: meetingtui polls MEETING", EXIT_INVALID)
        return _list(args, words[0])
    if len(words) != 2:
        raise UserError(
            f"Give the meeting and the poll: meetingtui polls {action} MEETING POLL", EXIT_INVALID
        )
    return _change(args, action, words[0], words[1])


def _list(args: argparse.Namespace, key: str) -> int:
    from meetingtui.domain.errors import NotFound
    from meetingtui.domain.meetings import find_meeting
    from meetingtui.domain.polls import meeting_polls, poll_results

    database = _open_database(args.db, write=False)
    with database.read() as session:
        try:
            meeting = find_meeting(session, key)
        except NotFound as error:
            raise UserError(str(error), EXIT_INVALID) from None
        found = meeting_polls(session, meeting.id)
        if not found:
            print(f"{meeting.title}: no polls.")
            return EXIT_OK
        for poll in found:
            results = poll_results(session, poll)
            print(f"P{poll.number} [{poll.type}, {poll.status}] {poll.question}")
            channels = ", ".join(
                f"{name} {tally.ballots}" for name, tally in results.by_channel.items()
            )
            print(f"  ballots: {results.ballots}" + (f" ({channels})" if channels else ""))
            for channel, invalid in results.invalid.items():
                print(f"  {channel}: {results.cast[channel]} cast, {invalid} invalid")
            for option, figures in results.rows():
                shown = ", ".join(
                    f"{name} {_figure(figures.get(name))}" for name in FIGURES[poll.type]
                )
                print(f"  {option.position + 1}. {option.label}: {shown}")
            if results.combined.tied:
                labels = " = ".join(results.options[i].label for i in results.combined.leaders)
                print(f"  tie: {labels}")
            if results.override is not None:
                chosen = "; ".join(results.options[i].label for i in results.override)
                print(f"  decided instead: {chosen} ({poll.override_reason})")
            for note in results.notes:
                print(f"  note: {note}")
    return EXIT_OK


def _figure(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "–" if value is None else str(value)


def _change(args: argparse.Namespace, action: str, meeting_key: str, poll_key: str) -> int:
    import getpass

    from meetingtui.domain import polls
    from meetingtui.domain.errors import FieldErrors, NotFound
    from meetingtui.domain.meetings import find_meeting

    actor = args.actor or getpass.getuser()
    database = _open_for_write(args.db)  # a mistyped --db is refused, never made empty
    try:
        with database.write() as session:
            meeting = find_meeting(session, meeting_key)
            poll = polls.find_poll(session, meeting_id=meeting.id, key=poll_key)
            options = polls.poll_options(session, poll.id)
            if action in ("count", "paper") and args.cast is None:
                raise UserError("Give the ballots cast: --cast N", EXIT_INVALID)
            if action == "count":
                counts: dict[int, int] = {}
                for entry in args.option:
                    label, sep, number = entry.rpartition("=")
                    if not sep or not number.strip().isdigit():
                        raise UserError(
                            f'Write each count as --option "Label=12", not {entry!r}', EXIT_INVALID
                        )
                    counts[polls.option_position(options, label)] = int(number)
                polls.enter_hand_count(
                    session,
                    poll_id=poll.id,
                    counts=counts,
                    cast=args.cast,
                    invalid=args.invalid,
                    actor=actor,
                )
                message = (
                    f"P{poll.number}: hand count entered "
                    f"({args.cast} cast, {args.invalid} invalid)."
                )
            elif action == "paper":
                ballots = [_paper_ballot(poll.type, options, text) for text in args.ballot]
                valid = polls.enter_paper_ballots(
                    session,
                    poll_id=poll.id,
                    ballots=ballots,
                    cast=args.cast,
                    invalid=args.invalid,
                    actor=actor,
                )
                message = f"P{poll.number}: {valid} paper ballots entered ({args.invalid} invalid)."
            elif action == "override":
                selected = [polls.option_position(options, label) for label in args.select]
                polls.override_selection(
                    session,
                    poll_id=poll.id,
                    selected=selected or None,
                    reason=args.reason,
                    actor=actor,
                )
                message = f"P{poll.number}: decision recorded."
            else:
                change = {
                    "open": (polls.open_poll, "opened"),
                    "close": (polls.close_poll, "closed"),
                    "reopen": (polls.reopen_poll, "reopened"),
                }
                run, done = change[action]
                run(session, poll_id=poll.id, actor=actor)
                message = f"P{poll.number}: {done}."
    except FieldErrors as error:
        raise UserError(str(error), EXIT_INVALID) from None  # its messages as sentences
    except NotFound as error:
        raise UserError(str(error), EXIT_INVALID) from None
    print(message, file=sys.stdout)
    return EXIT_OK


def _paper_ballot(kind: str, options: list[Any], text: str) -> Any:
    from meetingtui.domain.polls import option_position

    parts = [part.strip() for part in text.split(";") if part.strip()]
    if kind in ("score", "dots"):
        given: dict[int, int] = {}
        for part in parts:
            label, sep, number = part.rpartition("=")
            if not sep or not number.strip().lstrip("-").isdigit():
                raise UserError(
                    f'Write a {kind} ballot as "Label=N;Other=M", not {text!r}', EXIT_INVALID
                )
            given[option_position(options, label)] = int(number)
        return given
    return [option_position(options, part) for part in parts]
