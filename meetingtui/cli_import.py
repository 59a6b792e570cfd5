"""``meetingtui import``: ideas from a spreadsheet, and the template to fill in.

``import ideas FILE --meeting M | --programme P`` previews by default: what would be created
(counts by channel and topic, the first titles), what was imported before, and every refused
row with its row number, column and reason (exit 2). ``--apply`` imports, all or nothing, in one
transaction. A thin shell over ``domain/imports.py``; the template is ``export/import_template.py``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from meetingtui.cli import EXIT_INVALID, EXIT_OK, UserError
from meetingtui.cli_catalogue import _actor, _open_for_write
from meetingtui.domain.vocab import CHANNELS
from meetingtui.domain.words import counted

PREVIEW_TITLES = 5


def _target(session, args: argparse.Namespace):  # noqa: ANN001, ANN202 - an ImportTarget
    from meetingtui.domain import meetings
    from meetingtui.domain.errors import NotFound
    from meetingtui.domain.imports import import_target
    from meetingtui.domain.programmes import find_programme

    try:
        if args.meeting:
            return import_target(session, meeting=meetings.find_meeting(session, args.meeting))
        return import_target(session, programme=find_programme(session, args.programme))
    except NotFound as error:
        raise UserError(str(error), EXIT_INVALID) from None


def _where(target) -> str:  # noqa: ANN001
    if target.meeting is None:
        return (
            f"the ideas received outside meetings of programme '{target.programme.name}' "
            "(its record is made on --apply)"
        )
    if target.is_intake:
        return (
            f"the ideas received outside meetings of programme '{target.programme.name}' "
            f"({target.meeting.code})"
        )
    return f"meeting {target.meeting.code} ({target.meeting.title})"


def _channel(args: argparse.Namespace) -> str | None:
    if args.channel is None:
        return None
    from meetingtui.domain.imports import channel_value

    found = channel_value(args.channel)
    if found is None:
        raise UserError(
            f"--channel {args.channel!r} is not one of: {', '.join(CHANNELS.values())}.",
            EXIT_INVALID,
        )
    return found


def _print_plan(plan, table, where: str, *, applied: bool) -> None:  # noqa: ANN001
    out = sys.stdout
    delimiter = {",": "comma", ";": "semicolon", "\t": "tab"}.get(table.delimiter, "")
    how = f"{table.encoding}, {delimiter}-separated" if delimiter else table.encoding
    rows = len(table.rows)
    print(f"{table.path.name}: {rows:,} row{'s' if rows != 1 else ''} of ideas ({how})", file=out)
    print(f"Into {where}", file=out)
    verb = "Created" if applied else "Would create"
    new = len(plan.new)
    once = ", once the refused rows are fixed" if plan.refused else ""
    print(f"{verb} {new:,} idea{'s' if new != 1 else ''}{once}", file=out)
    if plan.new:
        channels = ", ".join(f"{name} {count:,}" for name, count in plan.by_channel())
        topics = ", ".join(f"{name} {count:,}" for name, count in plan.by_topic())
        print(f"  by channel: {channels}", file=out)
        if plan.defaulted_channel:
            print(
                f"  ({plan.defaulted_channel:,} with no channel given: "
                f"{CHANNELS[plan.default_channel]}; --channel chooses another)",
                file=out,
            )
        print(f"  by topic: {topics}", file=out)
        for row in plan.new[:PREVIEW_TITLES]:
            print(f"  row {row.line}: {row.data.title}", file=out)
        if new > PREVIEW_TITLES:
            print(f"  … and {new - PREVIEW_TITLES:,} more", file=out)
    if plan.unchanged:
        print(f"{len(plan.unchanged):,} already imported, unchanged", file=out)
    for line, ref, fields in plan.differs:
        print(
            f"row {line}: already imported as {ref} (differs: {', '.join(fields)}), not changed",
            file=out,
        )
    if plan.differs:
        print(
            "  (an import never changes an idea already imported: edit it in the catalogue)",
            file=out,
        )


def _print_refusals(plan, table) -> None:  # noqa: ANN001
    for refusal in plan.refusals:
        print(f"{table.path.name}, {refusal}", file=sys.stderr)


def cmd_import_ideas(args: argparse.Namespace) -> int:
    from meetingtui.domain.errors import DomainError
    from meetingtui.domain.imports import (
        ImportFileError,
        ImportRefused,
        apply_import,
        plan_import,
        read_table,
    )

    channel = _channel(args)
    try:
        table = read_table(Path(args.file))
    except ImportFileError as error:
        raise UserError(f"{error} Nothing was imported.", EXIT_INVALID) from None
    database = _open_for_write(args.db)
    code, refs = "", []
    try:
        if not args.apply:
            with database.read() as session:
                target = _target(session, args)
                where = _where(target)
                plan = plan_import(session, table, target, default_channel=channel)
        else:
            try:
                with database.write() as session:
                    target = _target(session, args)
                    where = _where(target)
                    result = apply_import(
                        session, table, target, actor=_actor(args), default_channel=channel
                    )
                    plan, code, refs = result.plan, result.meeting.code, result.refs
                    where = _where(type(target)(target.programme, result.meeting))
            except ImportRefused as refused:
                plan = refused.plan
    except DomainError as error:
        raise UserError(f"{error} Nothing was imported.", EXIT_INVALID) from None
    finally:
        database.close()
    for warning in plan.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    _print_plan(plan, table, where, applied=args.apply and not plan.refused)
    if plan.refused:
        _print_refusals(plan, table)
        count = len(plan.refusals)
        rows = len({r.line for r in plan.refusals})
        raise UserError(
            f"{count:,} problem{'s' if count != 1 else ''} in {rows:,} "
            f"row{'s' if rows != 1 else ''} of {table.path.name}: nothing was imported. Fix "
            "them and run the same command again (all rows are imported, or none).",
            EXIT_INVALID,
        )
    if args.apply:
        if refs:
            span = refs[0] if len(refs) == 1 else f"{refs[0]} to {refs[-1]}"
            print(f"Imported {counted(len(refs), 'idea')}: {code}/{span}", file=sys.stderr)
        else:
            print("Nothing new to import.", file=sys.stderr)
    elif plan.new:
        print("This was a preview: nothing was imported. Add --apply to import.", file=sys.stderr)
    return EXIT_OK


def cmd_import_template(args: argparse.Namespace) -> int:
    from meetingtui.export.import_template import allowed_values_text, write_template

    topics = _template_topics(args)
    if args.output is None:
        sys.stdout.write(allowed_values_text(topics))
        return EXIT_OK
    output = Path(args.output)
    if output.suffix.lower() not in (".csv", ".xlsx"):
        raise UserError(
            f"{output.name}: name the template .csv or .xlsx (for example -o ideas.xlsx).",
            EXIT_INVALID,
        )
    if output.is_dir():
        raise UserError(f"{output} is a folder: name the file to write.", EXIT_INVALID)
    try:
        write_template(output, topics=topics)
    except OSError as error:
        raise UserError(f"Cannot write {output}: {error.strerror or error}") from None
    if output.suffix.lower() == ".csv":
        # A CSV file has no room for notes: what each column takes is said here instead.
        sys.stdout.write(allowed_values_text(topics))
    print(
        f"Wrote {output}: fill in one idea per row, then `meetingtui import ideas {output.name} "
        "--programme P` (or --meeting M)",
        file=sys.stderr,
    )
    return EXIT_OK


def _template_topics(args: argparse.Namespace) -> list[str] | None:
    if not (args.meeting or args.programme):
        return None
    from meetingtui.domain.imports import plan_topics

    database = _open_for_write(args.db)
    try:
        with database.read() as session:
            return plan_topics(session, _target(session, args))
    finally:
        database.close()


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """``import ideas`` and ``import template`` on the ``meetingtui`` parser."""
    parser = commands.add_parser(
        "import",
        parents=[common],
        help="import ideas from a spreadsheet (CSV or .xlsx); write the template",
    )
    actions = parser.add_subparsers(dest="import_command", metavar="ACTION", required=True)
    ideas = actions.add_parser(
        "ideas",
        parents=[common],
        help="import ideas (a preview unless --apply)",
        description="Ideas from a spreadsheet, one per row, with the standard form's columns "
        "(`meetingtui import template` lists them). A preview unless --apply: what would be "
        "created, and every refused row with its row number, column and reason (exit 2). "
        "All rows are imported or none. A source_id column makes a re-import change nothing.",
    )
    ideas.add_argument("file", metavar="FILE.csv|FILE.xlsx")
    into = ideas.add_mutually_exclusive_group(required=True)
    into.add_argument("--meeting", metavar="MEETING", help="into this meeting (code or id)")
    into.add_argument(
        "--programme",
        metavar="P",
        help="ideas that came outside any meeting (email, letter, online form): into the "
        "programme's record of them, made the first time",
    )
    ideas.add_argument("--apply", action="store_true", help="import (default: preview only)")
    ideas.add_argument(
        "--channel",
        help="how the ideas arrived, for rows with no channel (default: email or letter with "
        "--programme, written card with --meeting)",
    )
    ideas.add_argument(
        "--name", help="who is importing, recorded as captured_by (default: your login)"
    )
    ideas.set_defaults(handler=cmd_import_ideas)
    template = actions.add_parser(
        "template",
        parents=[common],
        help="write an empty file to fill in, with every column and the allowed values",
        description="An .xlsx template has drop-down lists and a sheet of allowed values; a "
        ".csv one is the heading row, and the allowed values are printed. Without -o, only "
        "print the columns and allowed values.",
    )
    template.add_argument("-o", "--output", metavar="FILE", help="FILE.xlsx or FILE.csv")
    where = template.add_mutually_exclusive_group()
    where.add_argument("--meeting", metavar="MEETING", help="list this meeting's topics too")
    where.add_argument("--programme", metavar="P", help="list this programme's topics too")
    template.set_defaults(handler=cmd_import_template)
