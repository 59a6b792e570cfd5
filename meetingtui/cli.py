"""The ``meetingtui`` command: one entry point for the console, the attendee web and the exports.

Errors a person can fix are printed as one clear message: exit 2 when what was typed is wrong
(an invalid agenda file, an unknown option value, a --db that names no database), exit 1 when the
command was right but could not be done; anything unexpected is logged to a file and summarised,
never shown as a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from pathlib import Path

from meetingtui import __version__
from meetingtui.domain.states import MeetingStatus
from meetingtui.domain.words import counted

EXIT_OK, EXIT_ERROR, EXIT_INVALID = 0, 1, 2

DB_HELP = (
    "database file path or SQLAlchemy URL (default: $MEETINGTUI_DB, else a file in your data dir)"
)


class UserError(Exception):
    """A message for the person at the terminal, with the exit code to leave with."""

    def __init__(self, message: str, code: int = EXIT_ERROR):
        super().__init__(message)
        self.code = code


def _open_database(db: str | None, *, write: bool):
    """Open the database through the store's explicit open step, turning every way that can
    fail into one plain sentence that names the database.

    ``write=True`` (run, serve, upgrade): a new file and its folder are created and the schema is
    brought up to date. ``write=False`` (meetings, ideas, export, publish): nothing is created or
    changed; a mistyped path, an older or a newer database is refused.
    """
    import sqlalchemy.exc

    from meetingtui.store.database import Database
    from meetingtui.store.errors import DatabaseMissing, StorageError
    from meetingtui.store.location import resolve_database_url

    if db is not None and not db.strip():
        raise UserError(
            "--db is empty: give a database file path or URL, or leave --db out for the default.",
            EXIT_INVALID,
        )
    try:
        url = resolve_database_url(db, create_folder=write)
    except OSError as error:
        raise UserError(
            f"Cannot create the database folder for '{db}': {error.strerror or error}."
        ) from None
    _check_backend(url)
    try:
        return Database.open(url, migrate=write)
    except DatabaseMissing as error:
        # What was typed names no database (a mistyped --db or MEETINGTUI_DB): an input error,
        # like a mistyped meeting code, not a failure of a database that exists.
        raise UserError(str(error), EXIT_INVALID) from None
    except StorageError as error:
        raise UserError(str(error)) from None
    except sqlalchemy.exc.ArgumentError:
        raise UserError(f"'{db}' is neither a file path nor a database URL.") from None
    except ModuleNotFoundError as error:
        raise UserError(
            f"The database driver '{error.name}' is not installed "
            "(for PostgreSQL: pip install 'meetingtui[postgres]')."
        ) from None


SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def _check_backend(url: str) -> None:
    """Refuse, in one sentence, a URL for a database meetingtui does not work with (MySQL,
    Oracle…), rather than asking for a driver. Names the backend only, never the URL."""
    import sqlalchemy.engine
    import sqlalchemy.exc

    try:
        parsed = sqlalchemy.engine.make_url(url)
    except sqlalchemy.exc.ArgumentError:
        return  # not a URL: Database.open says so
    backend = parsed.get_backend_name()
    if backend == "postgres":
        raise UserError("For PostgreSQL, the URL starts with postgresql:// (not postgres://).")
    try:
        parsed.get_dialect()  # a database SQLAlchemy knows (its driver need not be installed)
    except sqlalchemy.exc.ArgumentError:
        return  # no such database at all: Database.open says so
    if backend not in SUPPORTED_BACKENDS:
        raise UserError(
            f"'{backend}' databases are not supported: meetingtui works with only SQLite and "
            "PostgreSQL (a file path, sqlite:///FILE or postgresql://…)."
        )


def _storage_failure(error: BaseException, db: str | None) -> str | None:
    """One plain sentence for a database error met after open, or None if it is not one."""
    if not type(error).__module__.startswith("sqlalchemy"):
        return None
    import sqlalchemy.exc

    from meetingtui.store.errors import explain
    from meetingtui.store.location import describe_database, resolve_database_url, sqlite_file

    try:
        url = resolve_database_url(db, create_folder=False)
    except (OSError, ValueError):
        url = "sqlite:///(the database)"
    if not isinstance(error, sqlalchemy.exc.SQLAlchemyError):
        return None
    return str(explain(error, describe_database(url), server=sqlite_file(url) is None))


def _print_agenda_problems(error) -> None:
    for problem in error.problems:
        print(f"error: {problem}", file=sys.stderr)


def _looks_like_agenda(target: str) -> bool:
    return target.endswith(".toml") or Path(target).is_file()


def _load_valid_agenda(target: str):
    """The agenda in ``target``, or its problems printed and a UserError (exit 2)."""
    from meetingtui.agenda import AgendaError, load_agenda

    try:
        return load_agenda(target)
    except AgendaError as error:
        _print_agenda_problems(error)
        message = f"{target} is not a valid agenda; nothing was started."
        raise UserError(message, EXIT_INVALID) from None


def _resolve_meeting(database, target: str, *, start: bool, agenda=None, new: bool = False):
    """An agenda file opens (or resumes) its meeting; anything else is a code or id.
    ``agenda`` is the file already loaded, if the caller checked it first; ``new`` makes a new
    meeting from the file even if it has one (the facilitator chose so after a rehearsal)."""
    from meetingtui.domain import meetings
    from meetingtui.domain.intake import require_held_meeting

    if _looks_like_agenda(target):
        agenda = agenda or _load_valid_agenda(target)
        with database.write() as session:
            meeting, _created = meetings.open_meeting_for_agenda(session, agenda=agenda, new=new)
            if start and meeting.status == MeetingStatus.PLANNED:
                meetings.start_meeting(session, meeting_id=meeting.id)
            return meeting
    with database.write() as session:
        meeting = meetings.find_meeting(session, target)
        require_held_meeting(meeting, action="run or served")  # an intake record
        if start and meeting.status == MeetingStatus.PLANNED:
            meetings.start_meeting(session, meeting_id=meeting.id)
        return meeting


THEMES = {
    "default": "textual-dark",
    "terminal": "ansi-dark",
    "high-contrast": "meetingtui-high-contrast",
}


def cmd_run(args: argparse.Namespace) -> int:
    """Check what can be checked at once (agenda file, Wi-Fi details, the port), then draw the
    console straight away and open the database and meeting behind its first frame."""
    from meetingtui.domain.errors import FieldErrors
    from meetingtui.domain.intake import INTAKE_NOT_RUN, is_intake_code
    from meetingtui.domain.wifi import check_wifi

    agenda = _load_valid_agenda(args.target) if _looks_like_agenda(args.target) else None
    if agenda is None and is_intake_code(args.target):  # refused before the console draws
        raise UserError(f"{args.target} cannot be run: {INTAKE_NOT_RUN}", EXIT_INVALID)
    if args.wifi_ssid is not None:
        try:
            check_wifi(args.wifi_ssid, args.wifi_password or "")
        except FieldErrors as error:
            raise UserError(str(error)) from None

    opened_database: list = []  # opened once, even when the facilitator is asked a question first

    def open_meeting(new: bool | None = None):
        # Runs behind the console's first frame, which shows an exception's text as it is: a
        # storage failure becomes its plain sentence here, never SQL.
        try:
            return _open_meeting(new)
        except Exception as error:
            if (plain := _storage_failure(error, args.db)) is not None:
                raise UserError(plain) from None
            raise

    def _open_meeting(new: bool | None):
        if not opened_database:
            opened_database.append(_open_database(args.db, write=True))
        database = opened_database[0]
        if agenda is not None and new is None:
            _ask_if_rerun(database, agenda, lambda answer: open_meeting(new=answer == "new"))
        # Not started: the clock waits for the facilitator's start key (S), so a console
        # opened early to show the QR code puts no waiting time on the first item.
        meeting = _resolve_meeting(database, args.target, start=False, agenda=agenda, new=bool(new))
        if args.wifi_ssid is not None:
            from meetingtui.domain import meetings

            with database.write() as session:
                meetings.set_wifi(
                    session,
                    meeting_id=meeting.id,
                    ssid=args.wifi_ssid,
                    password=args.wifi_password or "",
                )
        return database, meeting.id

    from meetingtui.runtime import run_console_lazily

    return run_console_lazily(
        open_meeting=open_meeting,
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        trust_proxy=args.trust_proxy,
        wifi_ssid=args.wifi_ssid,
        wifi_password=args.wifi_password,
        operator=args.name,
        theme=THEMES[args.theme] if args.theme else None,
    )


def _ask_if_rerun(database, agenda, then) -> None:  # noqa: ANN001
    """Ask "resume or start a new meeting?" when this agenda file's meeting has closed or the
    file changed since (a rehearsal must not use up the real meeting): raises the question for
    the console's first frame, whose answer goes to ``then``."""
    from meetingtui.domain import meetings
    from meetingtui.runtime import OpeningQuestion

    with database.read() as session:
        existing = (
            meetings.meeting_for_agenda(session, agenda.source_path) if agenda.source_path else None
        )
        detail = meetings.rerun_question(existing, agenda)
    if detail is not None:
        raise OpeningQuestion(
            "Resume that meeting, or start a new one from this agenda?",
            detail,
            [
                ("r", "Resume it as it stands (same record, same join code)", "resume"),
                ("n", "Start a new meeting (new join code; the old keeps its record)", "new"),
            ],
            then,
        )


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the attendee web alone: the meeting as it stands, started if nobody has started it
    (there is no console here to press the start key)."""
    database = _open_database(args.db, write=True)
    meeting = _resolve_meeting(database, args.target, start=True)
    from meetingtui.web.serve import serve_meeting

    return serve_meeting(
        database=database,
        meeting_code=meeting.code,
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        trust_proxy=args.trust_proxy,
    )


def cmd_upgrade(args: argparse.Namespace) -> int:
    """Bring the database up to this version's schema (what run and serve do when they open it)."""
    from meetingtui.store.migrate import HEAD_REVISION

    database = _open_database(args.db, write=True)
    print(f"{database.description} is up to date (schema {HEAD_REVISION}).")
    database.close()
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from meetingtui.agenda import AgendaError, load_agenda

    status = EXIT_OK
    for path in args.files:
        try:
            agenda = load_agenda(path)
        except AgendaError as error:
            _print_agenda_problems(error)
            status = EXIT_INVALID
            continue
        items, planned = (
            counted(len(agenda.items), "item"),
            counted(agenda.planned_minutes, "minute"),
        )
        print(f"ok: {path} ({items}, {planned} planned)")
    return status


def cmd_meetings(args: argparse.Namespace) -> int:
    from meetingtui.domain import meetings
    from meetingtui.domain.intake import meeting_state
    from meetingtui.domain.public import Audience, public_idea_counts

    database = _open_database(args.db, write=False)
    with database.read() as session:
        found = meetings.list_meetings(session)
        # The ideas the minutes count: not deleted, not pending or hidden.
        counts = public_idea_counts(session, Audience.PUBLIC)
    if not found:
        print("No meetings yet. Start one with: meetingtui run sample_agendas/<file>.toml")
        return EXIT_OK
    print(f"{'CODE':<12} {'DATE':<10} {'STATUS':<8} {'IDEAS':>5}  TITLE")
    for meeting in found:
        print(
            f"{meeting.code:<12} {meeting.date or '-':<10} {meeting_state(meeting):<8} "
            f"{counts.get(meeting.id, 0):>5}  {meeting.title}"
        )
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from meetingtui.domain import meetings
    from meetingtui.domain.public import Audience
    from meetingtui.export import FORMATS, export_meeting

    audience = Audience(args.audience)

    fmt = FORMATS[args.format]
    to_stdout = args.output in (None, "-")
    if to_stdout and fmt.binary and sys.stdout.isatty():
        raise UserError(
            f"{args.format} is a binary format: name a file with -o, "
            f"for example -o minutes{fmt.suffix}"
        )
    database = _open_database(args.db, write=False)
    with database.read() as session:
        meeting = meetings.find_meeting(session, args.meeting)
        content = export_meeting(session, meeting.id, args.format, audience=audience)
    if to_stdout:
        if isinstance(content, bytes):
            sys.stdout.buffer.write(content)
        else:
            sys.stdout.write(content)
        return EXIT_OK
    output = Path(args.output)
    if output.is_dir():
        copy = "-organisers" if audience is Audience.ORGANISERS else ""
        output = output / f"minutes-{meeting.code}{copy}{fmt.suffix}"
    try:
        if isinstance(content, bytes):
            output.write_bytes(content)
        else:
            output.write_text(content, encoding="utf-8")
    except OSError as error:
        raise UserError(f"Cannot write {output}: {error.strerror or error}", EXIT_INVALID) from None
    print(f"Wrote {output}", file=sys.stderr)
    return EXIT_OK


def cmd_publish(args: argparse.Namespace) -> int:
    from meetingtui.cli_report import publish_progress
    from meetingtui.domain import meetings
    from meetingtui.domain.errors import NotFound
    from meetingtui.domain.programmes import choose_programme_meetings
    from meetingtui.export.site import publish_site

    database = _open_database(args.db, write=False)
    out_dir = Path(args.output)
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(f"{out_dir} exists and is not a folder.")

    with database.read() as session:
        chosen = [meetings.find_meeting(session, key) for key in args.meeting or []]
        try:
            programme, ids = choose_programme_meetings(session, args.programme, chosen)
        except NotFound as error:
            raise UserError(str(error), EXIT_INVALID) from None
        try:
            written = publish_site(
                session,
                ids,
                out_dir,
                progress=publish_progress(sys.stderr),
                language=args.language,
                programme=programme,
                jobs=args.jobs,
            )
        except OSError as error:
            raise UserError(
                f"Cannot write the site to {out_dir}: {error.strerror or error}", EXIT_INVALID
            ) from None
    print(
        f"Published {len(ids)} meeting{'s' if len(ids) != 1 else ''} of programme "
        f"'{programme.name}' ({len(written):,} files) to {out_dir}; "
        f"open {out_dir / 'index.html'}"
    )
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a --db given before the command is not reset by the sub-command's default.
    common.add_argument("--db", metavar="PATH_OR_URL", help=DB_HELP, default=argparse.SUPPRESS)

    parser = argparse.ArgumentParser(
        prog="meetingtui",
        description="Run public meetings from the keyboard; attendees join from their phones.",
    )
    parser.add_argument("--version", action="version", version=f"meetingtui {__version__}")
    parser.add_argument("--db", metavar="PATH_OR_URL", help=DB_HELP, default=None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def web_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--host",
            default="0.0.0.0",
            help="address for the attendee web (default: all interfaces)",
        )
        sub.add_argument(
            "--port",
            type=int,
            default=None,
            help="port for the attendee web (default: the first free from 8765)",
        )
        sub.add_argument(
            "--public-url",
            default=None,
            help="base URL attendees use when it differs from this machine's address",
        )
        sub.add_argument(
            "--trust-proxy",
            action="store_true",
            help="a reverse proxy is in front: take each client's address from the last "
            "X-Forwarded-For entry (otherwise that header is ignored)",
        )

    run = commands.add_parser(
        "run",
        parents=[common],
        help="open the facilitator console",
        description="Open the console on an agenda file (creating or "
        "resuming its meeting) or on a meeting code or id.",
    )
    run.add_argument("target", metavar="AGENDA.toml|MEETING")
    web_options(run)
    run.add_argument(
        "--wifi-ssid",
        default=None,
        help="network phones should join first (e.g. your hotspot); shown as a Wi-Fi "
        'QR code on the projector view; "" removes it',
    )
    run.add_argument("--wifi-password", default=None, help="that network's password")
    run.add_argument(
        "--name",
        default=None,
        help="who is taking notes, recorded on what you capture (default: your login)",
    )
    run.add_argument(
        "--theme",
        choices=sorted(THEMES),
        default=None,
        help="colours: default, terminal (your terminal's palette) or high-contrast; "
        "ctrl+t cycles them in the console",
    )
    run.set_defaults(handler=cmd_run)

    serve = commands.add_parser("serve", parents=[common], help="serve the attendee web alone")
    serve.add_argument("target", metavar="AGENDA.toml|MEETING")
    web_options(serve)
    serve.set_defaults(handler=cmd_serve)

    check = commands.add_parser("check", parents=[common], help="validate agenda files")
    check.add_argument("files", nargs="+", metavar="AGENDA.toml")
    check.set_defaults(handler=cmd_check)

    upgrade = commands.add_parser(
        "upgrade",
        parents=[common],
        help="bring the database up to this version's schema (run and serve do it on open)",
    )
    upgrade.set_defaults(handler=cmd_upgrade)

    listing = commands.add_parser("meetings", parents=[common], help="list meetings")
    listing.set_defaults(handler=cmd_meetings)

    from meetingtui.cli_catalogue import add_commands

    add_commands(commands, common)  # ideas, idea, respond, plan
    from meetingtui.cli_report import add_commands as add_report_commands

    add_report_commands(commands, common)  # report
    __import__("meetingtui.cli_themes").cli_themes.add_commands(commands, common)  # themes
    from meetingtui.cli_import import add_commands as add_import_commands

    add_import_commands(commands, common)  # import ideas, import template
    from meetingtui.cli_duplicates import add_commands as add_duplicates_commands

    add_duplicates_commands(commands, common)  # duplicates
    from meetingtui.cli_reach import add_commands as add_reach_commands

    add_reach_commands(commands, common)  # reach add|population|report|names, pairwise
    from meetingtui.cli_merge import add_commands as add_merge_commands

    add_merge_commands(commands, common)  # merge, unmerge, split
    from meetingtui.cli_polls import add_commands as add_poll_commands

    add_poll_commands(commands, common)  # polls
    from meetingtui.cli_intake import add_commands as add_intake_commands

    add_intake_commands(commands, common)  # cards

    export = commands.add_parser("export", parents=[common], help="export minutes")
    export.add_argument("meeting", metavar="MEETING", help="meeting code or id")
    export.add_argument(
        "--format",
        choices=["md", "html", "docx", "csv", "json"],
        default="md",
        help="md (default), html (printable page), docx (Word), csv (one row per "
        "idea), json (whole record)",
    )
    export.add_argument("-o", "--output", help="file or folder to write (default: stdout)")
    export.add_argument(
        "--for",
        dest="audience",
        choices=["public", "organisers"],
        default="public",
        help="public (default): the public record, names only with consent; organisers: the "
        "same record with every name, marked 'Not for publication' (never published)",
    )
    export.set_defaults(handler=cmd_export)

    publish = commands.add_parser(
        "publish", parents=[common], help="write a static website of minutes and the idea catalogue"
    )
    publish.add_argument("-o", "--output", default="site", help="folder to write (default: site)")
    publish.add_argument(
        "--meeting",
        action="append",
        help="publish only this meeting (code or id); repeat for several",
    )
    publish.add_argument(
        "--jobs",
        type=int,
        default=max(1, min(4, os.cpu_count() or 1)),
        help="how many processes write meetings at once (default: the CPUs, at most 4)",
    )
    publish.add_argument(
        "--programme",
        help="the programme to publish: its meetings, plan versions and report (default: the "
        "default programme, or the programme of the meetings named with --meeting)",
    )
    publish.add_argument(
        "--language",
        metavar="LANG",
        help="language of the index and the idea catalogue, e.g. es (default: the meetings' "
        "language when they share one, else English); each meeting's page is in its own",
    )
    publish.set_defaults(handler=cmd_publish)
    return parser


def _log_unexpected(error: BaseException) -> Path | None:
    try:
        from platformdirs import user_log_path

        path = user_log_path("meetingtui", appauthor=False) / "errors.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write("".join(traceback.format_exception(error)))
        return path
    except OSError:
        return None


EXIT_BROKEN_PIPE = 128 + 13  # as if killed by SIGPIPE, like other tools under `| head`


def _reader_went_away() -> int:
    """The reader of our output (``| head``) closed the pipe: stop quietly. Point stdout at
    /dev/null so that the interpreter's final flush does not raise again at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return EXIT_BROKEN_PIPE


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from meetingtui.domain.errors import DomainError

    try:
        return args.handler(args)
    except UserError as error:
        print(f"meetingtui: {error}", file=sys.stderr)
        return error.code
    except DomainError as error:
        print(f"meetingtui: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _reader_went_away()
    except Exception as error:  # the last line of defence: no traceback reaches a user
        if (plain := _storage_failure(error, getattr(args, "db", None))) is not None:
            print(f"meetingtui: {plain}", file=sys.stderr)
            return EXIT_ERROR
        logging.getLogger("meetingtui").debug("unexpected error", exc_info=error)
        where = _log_unexpected(error)
        detail = f" Details were written to {where}." if where else ""
        print(
            f"meetingtui: something went wrong ({type(error).__name__}: {error}).{detail}",
            file=sys.stderr,
        )
        return EXIT_ERROR
