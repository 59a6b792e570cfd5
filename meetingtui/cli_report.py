"""``meetingtui report``: reports of a programme, for people to read (today "you said, we did").

A thin shell over ``export/report.py`` (what the report says, from the public record only) and
``export/report_formats.py`` (Markdown, HTML, Word). Like ``export``: to stdout by default, or
``-o FILE`` (an existing file is replaced, as ``export`` does), or ``-o FOLDER`` (the file is
named after the report and programme).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from pathlib import Path
from typing import Any

from meetingtui.cli import EXIT_INVALID, EXIT_OK, UserError, _open_database


def cmd_report(args: argparse.Namespace) -> int:
    from meetingtui.domain.errors import NotFound
    from meetingtui.domain.programmes import find_programme
    from meetingtui.export.report import build_report
    from meetingtui.export.report_formats import report_file_name, write_report

    binary = args.format == "docx"
    to_stdout = args.output in (None, "-")
    if to_stdout and binary and sys.stdout.isatty():
        raise UserError("docx is a binary format: name a file with -o, for example -o report.docx")
    database = _open_database(args.db, write=False)
    with database.read() as session:
        try:
            programme = find_programme(session, args.programme)
            report = build_report(
                session, programme, version=args.version or "", language=args.language or ""
            )
        except NotFound as error:
            raise UserError(str(error), EXIT_INVALID) from None
        if to_stdout:
            if binary:
                write_report(session, report, "docx", sys.stdout.buffer)
            else:
                write_report(session, report, args.format, sys.stdout)
            return EXIT_OK
        output = Path(args.output)
        if output.is_dir():
            name = report_file_name(args.kind, programme.name, report.version, args.format)
            output = output / name
        # Written whole to memory-light stream first into a sibling file, then moved in place:
        # a failure half way never leaves half a report where the old one was.
        partial = output.with_name(output.name + ".partial")
        try:
            if binary:
                buffer = io.BytesIO()
                write_report(session, report, "docx", buffer)
                partial.write_bytes(buffer.getvalue())
            else:
                with partial.open("w", encoding="utf-8") as out:
                    write_report(session, report, args.format, out)
            partial.replace(output)
        except OSError as error:
            with contextlib.suppress(OSError):  # under a file, say: there is nothing to remove
                partial.unlink(missing_ok=True)
            raise UserError(
                f"Cannot write {output}: {error.strerror or error}", EXIT_INVALID
            ) from None
    print(f"Wrote {output}", file=sys.stderr)
    return EXIT_OK


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    from meetingtui.export.report import REPORT_KINDS
    from meetingtui.export.report_formats import REPORT_FORMATS

    report = commands.add_parser(
        "report",
        parents=[common],
        help="write a report of a programme: you-said-we-did",
        description="Per topic, each idea's outcome, published response and reason, and the "
        "plan version that reflects it, with counts (adopted, adapted, not taken forward, "
        "merged, waiting). Only the published answers; no names.",
    )
    report.add_argument("kind", choices=REPORT_KINDS, help="which report")
    report.add_argument("--programme", help="programme name (default: the default programme)")
    report.add_argument("--version", help="only the ideas this plan version reflects, e.g. v2")
    report.add_argument(
        "--format", choices=REPORT_FORMATS, default="md", help="md (default), html or docx"
    )
    report.add_argument(
        "-o", "--output", help="file (replaced if it exists) or folder (default: stdout)"
    )
    report.add_argument(
        "--language", metavar="LANG", help="language of the report (default: the meetings')"
    )
    report.set_defaults(handler=cmd_report)


def publish_progress(stream: Any):  # noqa: ANN201 - a Progress callback
    """Progress for ``publish`` on stderr: "Writing idea pages 12,000/100,000". On a terminal
    one line is rewritten in place; otherwise a line per step and about every tenth of it."""
    interactive = stream.isatty()
    last: dict[str, int] = {}

    def show(done: int, total: int, what: str) -> None:
        if what == "done":
            if interactive:
                stream.write("\n")
            return
        line = f"{what} {done:,}/{total:,}"
        if interactive:
            stream.write("\r" + line.ljust(60))
            stream.flush()
            return
        tenth = done * 10 // max(total, 1)
        if last.get(what) != tenth:
            last[what] = tenth
            stream.write(line + "\n")

    return show
