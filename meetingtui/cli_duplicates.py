"""``meetingtui duplicates``: possible duplicates across a programme's catalogue (clusters of
ideas whose titles say the same thing), and ``duplicates dismiss REF REF`` for a pair that is
not one (never listed again; ``undismiss`` lists it again). A thin shell over
domain/duplicates.py; the catalogue screen's ``D`` shows the same clusters."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any, TextIO

from meetingtui.cli import EXIT_INVALID, EXIT_OK, UserError, _open_database
from meetingtui.cli_catalogue import _actor, _open_for_write, _programme


def _threshold(text: str) -> float:
    from meetingtui.domain import duplicates

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number (for example 0.75)") from None
    if not duplicates.MIN_THRESHOLD <= value <= duplicates.MAX_THRESHOLD:
        raise argparse.ArgumentTypeError(
            f"{value:g} is outside {duplicates.MIN_THRESHOLD:g}–{duplicates.MAX_THRESHOLD:g}"
        )
    return value


def _progress_printer(stream: TextIO) -> Any:
    """Progress on one line of stderr, only when it is a terminal."""
    if not stream.isatty():
        return None
    last = [""]

    def show(fraction: float, doing: str) -> None:
        line = f"{fraction:4.0%} {doing}"
        if line != last[0]:
            last[0] = line
            stream.write("\r\x1b[K" + line)
            stream.flush()
            if fraction >= 1.0:
                stream.write("\r\x1b[K")
                stream.flush()

    return show


def cmd_duplicates(args: argparse.Namespace) -> int:
    if args.action == "dismiss":
        return _cmd_dismiss(args, dismiss=True)
    if args.action == "undismiss":
        return _cmd_dismiss(args, dismiss=False)
    if args.refs:
        raise UserError(
            "To dismiss a pair: meetingtui duplicates dismiss REF REF; to list, name no refs.",
            EXIT_INVALID,
        )
    from meetingtui.domain import duplicates
    from meetingtui.domain.programmes import programme_meeting_ids

    database = _open_database(getattr(args, "db", None), write=False)
    try:
        with database.read() as session:
            programme = _programme(session, args)
            report = duplicates.find_duplicates(
                session,
                programme_meeting_ids(session, programme),
                threshold=args.threshold,
                progress=_progress_printer(sys.stderr),
            )
    finally:
        database.close()
    if args.format == "json":
        json.dump(_as_json(report), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.format == "csv":
        _write_csv(report, sys.stdout)
    else:
        _write_text(report, sys.stdout, programme.name)
    return EXIT_OK


def _idea_json(idea: Any) -> dict[str, Any]:
    return {
        "ref": idea.full_ref,
        "title": idea.title,
        "channel": idea.channel,
        "meeting": idea.meeting,
        "supports": idea.supports,
        "visibility": idea.visibility,
    }


def _as_json(report: Any) -> dict[str, Any]:
    return {
        "threshold": report.threshold,
        "clusters": [
            {
                "ideas": [_idea_json(idea) for idea in cluster.ideas],
                "pairs": [
                    {
                        "a": pair.a.full_ref,
                        "b": pair.b.full_ref,
                        "score": pair.score,
                        "word_score": pair.word_score,
                        "trigram_score": pair.trigram_score,
                        "shared_words": list(pair.shared),
                    }
                    for pair in cluster.pairs
                ],
            }
            for cluster in report.clusters
        ],
    }


def _safe_cell(text: str) -> str:
    """A spreadsheet reads a cell starting with = + - @ as a formula: people's words are data."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _write_csv(report: Any, out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(
        [
            "cluster", "score", "word_score", "trigram_score", "shared_words",
            "ref_a", "title_a", "ref_b", "title_b",
        ]
    )  # fmt: skip
    for number, cluster in enumerate(report.clusters, 1):
        for pair in cluster.pairs:
            writer.writerow(
                [
                    number,
                    f"{pair.score:.3f}",
                    f"{pair.word_score:.3f}",
                    f"{pair.trigram_score:.3f}",
                    _safe_cell(" ".join(pair.shared)),
                    pair.a.full_ref,
                    _safe_cell(pair.a.title),
                    pair.b.full_ref,
                    _safe_cell(pair.b.title),
                ]
            )


def _write_text(report: Any, out: TextIO, programme: str) -> None:
    from meetingtui.domain.vocab import moderation_word
    from meetingtui.domain.words import counted, ref_and_title

    clusters = report.clusters
    out.write(
        f"Possible duplicates in {programme} at {report.threshold:.2f}: "
        f"{counted(len(clusters), 'cluster')}, {counted(report.pair_count, 'pair')}"
        f" ({counted(report.figures.ideas, 'idea')} compared"
        + (
            f"; {counted(report.dismissed_skipped, 'dismissed pair')} left out"
            if report.dismissed_skipped
            else ""
        )
        + ").\n"
    )
    for number, cluster in enumerate(clusters, 1):
        out.write(f"\n{number}. {counted(len(cluster.ideas), 'idea')}, best {cluster.best:.2f}\n")
        for idea in cluster.ideas:
            word = moderation_word(idea.visibility)
            mark = f" [{word}]" if word else ""
            out.write(
                f"   {idea.full_ref}  {idea.title}{mark}\n"
                f"      {idea.channel} · {idea.meeting} · {counted(idea.supports, 'support')}\n"
            )
        for pair in cluster.pairs:
            # Full refs and titles: two meetings may each have an I-0001, and a bare ref does
            # not say what a clerk is about to dismiss or merge.
            out.write(
                f"   {ref_and_title(pair.a.full_ref, pair.a.title)} ~ "
                f"{ref_and_title(pair.b.full_ref, pair.b.title)}\n"
                f"      {pair.score:.2f} (words {pair.word_score:.2f}, "
                f"trigrams {pair.trigram_score:.2f}): {', '.join(pair.shared) or '-'}\n"
            )


def _cmd_dismiss(args: argparse.Namespace, *, dismiss: bool) -> int:
    from meetingtui.domain import duplicates
    from meetingtui.domain.catalogue_refs import resolve_refs
    from meetingtui.domain.errors import DomainError
    from meetingtui.domain.public import Audience
    from meetingtui.domain.words import ref_and_title

    if len(args.refs) != 2:
        raise UserError("Name two ideas: meetingtui duplicates dismiss REF REF.", EXIT_INVALID)
    database = _open_for_write(getattr(args, "db", None))
    try:
        with database.write() as session:
            programme = _programme(session, args)
            try:
                ideas = resolve_refs(
                    session, args.refs, programme=programme, audience=Audience.ORGANISERS
                )
            except DomainError as error:
                raise UserError(str(error), EXIT_INVALID) from None
            if len(ideas) != 2:
                raise UserError("Those refs name the same idea: name two ideas.", EXIT_INVALID)
            a, b = ideas
            named = f"{ref_and_title(a.ref, a.title)} and {ref_and_title(b.ref, b.title)}"
            try:
                if dismiss:
                    made = duplicates.dismiss_pairs(
                        session, [(a.id, b.id)], actor=_actor(args), reason=args.reason or ""
                    )
                    said = (
                        "dismissed: not listed as duplicates again" if made else "already dismissed"
                    )
                else:
                    gone = duplicates.undismiss_pair(session, a.id, b.id, actor=_actor(args))
                    said = "listed again when they match" if gone else "was not dismissed"
            except DomainError as error:
                raise UserError(str(error), EXIT_INVALID) from None
    finally:
        database.close()
    print(f"{named}: {said}.")
    return EXIT_OK


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    from meetingtui.domain import duplicates

    parser = commands.add_parser(
        "duplicates",
        parents=[common],
        help="list possible duplicate ideas of a programme; dismiss a pair",
        description="Clusters of ideas whose titles say the same thing (words in any order, "
        "plurals, accents and typing slips count as the same), largest first, with each "
        "pair's score and shared words. Deleted and merged ideas are left out; hidden and "
        "pending ones are marked. 'duplicates dismiss REF REF' records that two ideas are "
        "not duplicates; 'duplicates undismiss REF REF' takes that back.",
    )
    parser.add_argument(
        "action",
        nargs="?",
        choices=["dismiss", "undismiss"],
        help="dismiss or undismiss the pair named by two refs (leave out to list)",
    )
    parser.add_argument("refs", nargs="*", metavar="REF", help="two ideas: CODE/I-0042 or I-0042")
    parser.add_argument("--programme", help="the programme (default: the default programme)")
    parser.add_argument(
        "--threshold",
        type=_threshold,
        default=duplicates.DEFAULT_THRESHOLD,
        help=f"how similar two titles must be, {duplicates.MIN_THRESHOLD:g} to "
        f"{duplicates.MAX_THRESHOLD:g} (default {duplicates.DEFAULT_THRESHOLD:g})",
    )
    parser.add_argument(
        "--format", choices=["text", "csv", "json"], default="text", help="text (default), csv "
        "(one row per pair listed) or json (clusters with their ideas and the pairs that join them)"
    )  # fmt: skip
    parser.add_argument("--reason", help="why the pair is not a duplicate (dismiss only)")
    parser.add_argument("--name", help="who dismisses, for the audit trail (default: your login)")
    parser.set_defaults(handler=cmd_duplicates)
