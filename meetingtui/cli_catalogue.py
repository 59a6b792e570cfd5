"""The catalogue on the command line, for scripting: ``ideas``, ``idea``, ``respond``, ``plan``.

Thin shells over the domain (search, lifecycle, plans, catalogue_refs); what is shown goes
through the public-record policy (``--for public``, the default) or is the organisers' view
(``--for organisers``: drafts, reviewers, hidden ideas, every name). Refusals a person can fix
(an unknown ref, a missing reason) leave with exit 2 and change nothing.

Refs: ``CODE/I-0042`` names an idea anywhere; the ref alone (``I-0042``, ``42``) when only one
meeting of the programme has it (domain/catalogue_refs.py).
"""

from __future__ import annotations

import argparse
import csv
import getpass
import io
import json
import sys
from pathlib import Path
from typing import Any

from meetingtui.cli import EXIT_INVALID, EXIT_OK, UserError, _open_database
from meetingtui.domain.states import IdeaStatus
from meetingtui.domain.vocab import STAKEHOLDERS, moderation_word

STATUSES = [status.value for status in IdeaStatus]
PLAN_FILE_MAX = 2_000_000
OLDER_THAN_MAX = 36_500  # a century of days: any older cut-off keeps nothing anyway


def _audience(args: argparse.Namespace):  # noqa: ANN202 - Audience, imported lazily
    from meetingtui.domain.public import Audience

    return Audience(getattr(args, "audience", "public"))


def _open_for_write(db: str | None):  # noqa: ANN202 - a Database
    """Open an existing database to change it (brought up to this version's schema), never
    creating one: a mistyped --db is refused rather than answered with "no such idea"."""
    if _is_missing(db):
        _open_database(db, write=False)  # raises its plain "there is no database at …"
    return _open_database(db, write=True)


def _is_missing(db: str | None) -> bool:
    from meetingtui.store.location import resolve_database_url, sqlite_file

    try:
        path = sqlite_file(resolve_database_url(db, create_folder=False))
    except (OSError, ValueError):
        return False
    return path is not None and not path.exists()


def _actor(args: argparse.Namespace) -> str:
    if args.name:
        return args.name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _programme(session, args: argparse.Namespace):  # noqa: ANN001, ANN202
    """The programme named by --programme (or the default one); an unknown name is the
    person's mistake, refused with exit 2 and the programmes there are, in every command."""
    from meetingtui.domain.errors import NotFound
    from meetingtui.domain.programmes import find_programme

    try:
        return find_programme(session, args.programme)
    except NotFound as error:
        raise UserError(str(error), EXIT_INVALID) from None


ORGANISERS_ONLY = ("reviewer",)  # ``ideas`` filters on what only organisers see (staff)


def _check_organisers_only(args: argparse.Namespace) -> None:
    """A filter the public view cannot apply is refused, never silently ignored."""
    if _audience(args).value == "organisers":
        return
    given = [f"--{name}" for name in ORGANISERS_ONLY if getattr(args, name, None) is not None]
    if given:
        raise UserError(
            f"{', '.join(given)} filters on what only organisers see: add --for organisers.",
            EXIT_INVALID,
        )


def _check_version(session, args: argparse.Namespace, programme) -> None:  # noqa: ANN001
    """``--version`` must name a plan version of the programme asked about (of any programme
    when none is named); refused like ``report --version`` (exit 2, the versions listed)."""
    from sqlmodel import select

    from meetingtui.domain.models import PlanVersion

    query = select(PlanVersion.name)
    if programme is not None:
        query = query.where(PlanVersion.programme_id == programme.id)
    known = list(dict.fromkeys(session.exec(query.order_by(PlanVersion.name))))
    if args.version not in known:
        where = f"Programme '{programme.name}' has" if programme is not None else "There is"
        names = ", ".join(known) or "none yet"
        raise UserError(f"{where} no plan version {args.version}. Versions: {names}.", EXIT_INVALID)


def _refused(error: Exception) -> UserError:
    return UserError(f"{error} Nothing was changed.", EXIT_INVALID)


# ---------------------------------------------------------------------------- ideas


def cmd_ideas(args: argparse.Namespace) -> int:
    from meetingtui.domain import lifecycle, meetings
    from meetingtui.domain.catalogue import RECORD_FIELDS, idea_record
    from meetingtui.domain.errors import NotFound
    from meetingtui.domain.models import Programme
    from meetingtui.domain.programmes import programme_meeting_ids
    from meetingtui.domain.public import idea_status
    from meetingtui.domain.search import IdeaQuery, search_ideas

    audience = _audience(args)
    _check_organisers_only(args)
    if args.older_than is not None and not 0 <= args.older_than <= OLDER_THAN_MAX:
        # Beyond about a century the cut-off date falls before year 1 (an OverflowError).
        raise UserError(
            f"--older-than is a number of days, from 0 to {OLDER_THAN_MAX:,}.", EXIT_INVALID
        )
    database = _open_database(args.db, write=False)
    with database.read() as session:
        programme = None
        if args.meeting:
            try:
                meeting = meetings.find_meeting(session, args.meeting)
            except NotFound as error:
                raise UserError(str(error), EXIT_INVALID) from None
            meeting_ids = [meeting.id]
            if meeting.programme_id is not None:
                programme = session.get(Programme, meeting.programme_id)
        elif args.programme:
            programme = _programme(session, args)
            meeting_ids = programme_meeting_ids(session, programme)
        else:
            meeting_ids = None  # every programme
        if args.version:
            _check_version(session, args, programme)
        query = IdeaQuery(
            meeting_ids=meeting_ids,
            text=args.search or "",
            statuses=tuple(args.status or ()),
            topic=args.topic or "",
            stakeholder=args.stakeholder or "",
            reviewer=args.reviewer or "",
            plan_version=args.version or "",
            needs_answer=args.needs_answer,
            older_than_days=args.older_than,
            audience=audience,
            order=args.sort,
        )
        found = search_ideas(session, query)
        waiting = None
        if args.needs_answer:
            every = meeting_ids
            if every is None:
                every = [m.id for m in meetings.list_meetings(session)]
            waiting = lifecycle.needs_answer(session, every, limit=0)  # the counts
        records = [idea_record(idea, code, audience) for idea, code in found]
    if args.format == "json":
        json.dump(records, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.format == "csv":
        sys.stdout.write(_csv(records, RECORD_FIELDS))
    else:
        for (idea, code), record in zip(found, records, strict=True):
            topic = f"  [{idea.topic}]" if idea.topic else ""
            status = idea_status(idea, audience)
            print(f"{code:<12} {idea.ref:<8} {status:<17} {record['title']}{topic}")
    print(f"{len(found)} idea{'s' if len(found) != 1 else ''}", file=sys.stderr)
    if waiting is not None:
        over = ", ".join(f"{n} over {days} days" for days, n in waiting.over.items())
        print(f"{waiting.total} waiting for an answer ({over})", file=sys.stderr)
    return EXIT_OK


def _csv(records: list[dict[str, Any]], fields: tuple[str, ...]) -> str:
    from meetingtui.export.csv_table import _cell  # defuses spreadsheet formulas

    columns = list(fields) + [k for k in (records[0] if records else {}) if k not in fields]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([_cell(record.get(column, "")) for column in columns])
    return buffer.getvalue()


# ---------------------------------------------------------------------------- idea


def cmd_idea(args: argparse.Namespace) -> int:
    from meetingtui.domain.catalogue import (
        change_record,
        comment_record,
        idea_detail,
        merge_record,
    )
    from meetingtui.domain.catalogue_refs import resolve_ref
    from meetingtui.domain.errors import DomainError

    audience = _audience(args)
    database = _open_database(args.db, write=False)
    with database.read() as session:
        programme = _programme(session, args) if args.programme else None
        try:
            idea = resolve_ref(session, args.ref, programme=programme, audience=audience)
        except DomainError as error:
            raise UserError(str(error), EXIT_INVALID) from None
        detail = idea_detail(session, idea, audience)
    history = [change_record(c, audience) for c in detail.history]
    comments = [comment_record(c, audience) for c in detail.comments]
    if args.format == "json":
        whole = {
            **detail.record,
            "full_ref": detail.full_ref,
            "meeting_title": detail.meeting_title,
            "agenda_item": detail.agenda_item,
            "plan_section_title": detail.plan_section_title,
            "supports": detail.supports,
            "published_at": (
                detail.published_at.isoformat(timespec="seconds") if detail.published_at else ""
            ),
            "comments": comments,
            "history": history,
            **merge_record(detail.merge),
        }
        json.dump(whole, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    sys.stdout.write(_idea_text(detail, history, comments))
    return EXIT_OK


def _idea_text(detail, history: list[dict], comments: list[dict]) -> str:  # noqa: ANN001
    """The idea as lines of ``Label: value``; people's words exactly as they typed them."""
    record = detail.record
    lines = [f"{detail.full_ref}  {record['title']}"]
    if moderation := moderation_word(record.get("moderation")):  # organisers only
        lines.append(f"Moderation: {moderation} (the public does not see this idea)")

    def field(label: str, value: object) -> None:
        if value not in ("", None, [], False):
            shown = "; ".join(value) if isinstance(value, list) else str(value)
            lines.append(f"{label}: {shown}")

    when = f", {detail.meeting_date}" if detail.meeting_date else ""
    field("Meeting", f"{detail.meeting_title} ({record['meeting']}{when})")
    field("Agenda item", detail.agenda_item)
    field("Captured", record["captured_at"])
    field("Channel", record["channel"])
    field("Card", detail.card)
    field("Raised by", record["raised_by"])
    field("Organisation", record["organisation"])
    field("Stakeholder", record["stakeholder"])
    field("Topic", record["topic"])
    field("Tags", record["tags"])
    field("Scale", record["scale"])
    field("Benefits", record["benefits"])
    field("Who is affected", record["affects"])
    if record["detail"]:
        lines.append("Detail:")
        lines += [f"  {line}" for line in record["detail"].splitlines()]
    field("Status", record["status"])
    view = detail.merge
    if view.merged_into is not None:
        field("Merged into", f"{view.merged_into.full_ref} {view.merged_into.title}")
    if view.split_from is not None:
        field("Split from", f"{view.split_from.full_ref} {view.split_from.title}")
    field("Split into", ", ".join(part.full_ref for part in view.split_into))
    field("Reason", record["status_reason"])
    if record["response"]:
        theme = record.get("response_from_theme")
        lines.append(f"Response (inherited from the theme {theme}):" if theme else "Response:")
        lines += [f"  {line}" for line in record["response"].splitlines()]
    field("Themes", record.get("themes"))
    plan = record["plan_version"]
    if plan and record["plan_section"]:
        title = f" {detail.plan_section_title}" if detail.plan_section_title else ""
        plan = f"{plan}, section {record['plan_section']}{title}"
    field("Reflected in", plan)
    field("Reviewer", record.get("reviewer"))
    if record.get("draft"):
        lines.append("Unpublished changes: yes (respond --publish to publish)")
    if view.sources:
        lines.append(f"Sources merged into it: {len(view.sources)}")
        for source in view.sources:
            facts = [source.channel, source.stakeholder, source.meeting_title, source.raised_by]
            shown = ", ".join(fact for fact in facts if fact)
            lines.append(f"  {source.full_ref} {source.title} ({shown})")
        lines.append(f"Supports: {detail.supports} (each device once, with its sources)")
    else:
        lines.append(f"Supports: {detail.supports}")
    lines.append(f"Comments: {len(comments) + len(view.source_comments)}")
    for comment in comments:
        author = f" {comment['author']}:" if comment["author"] else ""
        hidden = moderation_word(comment.get("moderation"))
        state = f" ({hidden})" if hidden else ""
        lines.append(f"  {comment['at']}{state}{author} {comment['body']}")
    for extra in view.source_comments:
        author = f" {extra.author}:" if extra.author else ""
        lines.append(f"  (on {extra.ref}){author} {extra.body}")
    lines.append(f"History: {len(history) or 'none'}")
    for entry in history:
        by = f" by {entry['by']}" if entry["by"] else ""
        why = f" ({entry['reason']})" if entry["reason"] else ""
        state = "" if entry["published"] else " [draft]"
        lines.append(
            f"  {entry['at']}{by}: {entry['field']} {entry['from'] or '-'} -> "
            f"{entry['to'] or '-'}{why}{state}"
        )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- respond


def cmd_respond(args: argparse.Namespace) -> int:
    from meetingtui.domain.catalogue_refs import resolve_ref, resolve_refs
    from meetingtui.domain.errors import DomainError
    from meetingtui.domain.lifecycle import Review, review_ideas
    from meetingtui.domain.public import Audience

    if args.reason is not None and args.status is None:
        raise UserError("--reason goes with --status: the reason for that status.", EXIT_INVALID)
    if args.into is not None and args.status != IdeaStatus.MERGED:
        raise UserError("--into goes with --status merged.", EXIT_INVALID)
    if (
        all(value is None for value in (args.status, args.response, args.reviewer))
        and not args.publish
    ):
        raise UserError(
            "Say what to do: --status, --response, --reviewer and/or --publish.", EXIT_INVALID
        )
    database = _open_for_write(args.db)
    with database.write() as session:
        try:
            programme = _programme(session, args) if args.programme else None
            ideas = resolve_refs(
                session, args.refs, programme=programme, audience=Audience.ORGANISERS
            )
            into = None
            if args.into is not None:
                into = resolve_ref(
                    session, args.into, programme=programme, audience=Audience.ORGANISERS
                ).id
            review = Review(
                status=IdeaStatus(args.status) if args.status else None,
                reason=args.reason,
                response=args.response,
                reviewer=args.reviewer,
                merged_into=into,
                publish=args.publish,
            )
            review_ideas(session, idea_ids=[i.id for i in ideas], review=review, actor=_actor(args))
        except DomainError as error:
            session.rollback()
            raise _refused(error) from None
        count = len(ideas)
    done = []
    if args.status:
        done.append(f"status {args.status}")
    if args.response is not None:
        done.append("response")
    what = ", ".join(done)
    noun = f"{count} idea{'s' if count != 1 else ''}"
    parts = []
    if args.publish:
        parts.append(f"{what + '; ' if what else ''}published")
    elif what:
        parts.append(f"{what} saved as a draft (the public sees it once published: --publish)")
    if args.reviewer is not None:  # staff: saved at once, and never shown to the public
        parts.append(f"reviewer {args.reviewer or '(none)'} saved (organisers only, never public)")
    print(f"{noun}: {'; '.join(parts)}.")
    return EXIT_OK


# ---------------------------------------------------------------------------- plan


def cmd_plan_add(args: argparse.Namespace) -> int:
    from meetingtui.domain.errors import DomainError
    from meetingtui.domain.plans import add_version, sections

    markdown = None
    if args.file:
        path = Path(args.file)
        if path.is_dir():
            raise UserError(f"{path} is a folder: name the plan's Markdown file.", EXIT_INVALID)
        try:
            if path.stat().st_size > PLAN_FILE_MAX:
                raise UserError(f"{path} is too large for a plan (over 2 MB).", EXIT_INVALID)
            markdown = path.read_text(encoding="utf-8").removeprefix("\ufeff")
        except FileNotFoundError:
            raise UserError(f"There is no file {path}.", EXIT_INVALID) from None
        except UnicodeDecodeError:
            raise UserError(f"{path} is not UTF-8 text.", EXIT_INVALID) from None
        except OSError as error:
            raise UserError(
                f"Cannot read {path}: {error.strerror or error}.", EXIT_INVALID
            ) from None
    database = _open_for_write(args.db)
    with database.write() as session:
        try:
            programme = _programme(session, args)
            version = add_version(
                session,
                programme=programme,
                name=args.version,
                title=args.title,
                date=args.date or "",
                summary=args.summary or "",
                markdown=markdown,
                actor=_actor(args),
            )
        except DomainError as error:
            session.rollback()
            raise _refused(error) from None
        count = len(sections(session, version.id))
        name, programme_name = version.name, programme.name
    sections_note = f" with {count} section{'s' if count != 1 else ''}" if markdown else ""
    print(f"Added plan version {name}{sections_note} to programme '{programme_name}'.")
    return EXIT_OK


def cmd_plan_link(args: argparse.Namespace) -> int:
    from meetingtui.domain.catalogue_refs import resolve_refs
    from meetingtui.domain.errors import DomainError
    from meetingtui.domain.plans import link_ideas
    from meetingtui.domain.public import Audience

    database = _open_for_write(args.db)
    with database.write() as session:
        try:
            programme = _programme(session, args)
            ideas = resolve_refs(
                session, args.refs, programme=programme, audience=Audience.ORGANISERS
            )
            link_ideas(
                session,
                programme=programme,
                idea_ids=[i.id for i in ideas],
                version=args.version,
                section=args.section or "",
                actor=_actor(args),
            )
        except DomainError as error:
            session.rollback()
            raise _refused(error) from None
        count = len(ideas)
    where = f"{args.version}, section {args.section}" if args.section else args.version
    print(f"Linked {count} idea{'s' if count != 1 else ''} to {where}.")
    return EXIT_OK


def cmd_plan_list(args: argparse.Namespace) -> int:
    from meetingtui.domain.plans import list_versions, sections

    database = _open_database(args.db, write=False)
    with database.read() as session:
        programme = _programme(session, args)
        versions = list_versions(session, programme, _audience(args))
        numbered = {v.id: sections(session, v.id) for v, _ in versions} if args.sections else {}
    if not versions:
        print(
            f"Programme '{programme.name}' has no plan versions yet. Add one with: "
            "meetingtui plan add v1 --title TITLE [--file PLAN.md]"
        )
        return EXIT_OK
    print(f"{'VERSION':<10} {'DATE':<10} {'IDEAS':>5}  TITLE")
    if _audience(args).value == "public":
        counted = "ideas the public may see, linked once published (--for organisers: all)"
    else:
        counted = "every idea not deleted, draft links, hidden and pending ones included"
    print(f"IDEAS: {counted}.", file=sys.stderr)
    for version, count in versions:
        print(f"{version.name:<10} {version.date:<10} {count:>5}  {version.title}")
        for section in numbered.get(version.id, []):
            print(f"{'':<29}{'  ' * (section.level - 1)}{section.number} {section.title}")
    return EXIT_OK


# ---------------------------------------------------------------------------- catalogue


def cmd_catalogue(args: argparse.Namespace) -> int:
    """The catalogue screen: checks the database and the programme before taking the terminal."""
    from meetingtui.catalogue_session import CatalogueSession
    from meetingtui.cli import THEMES
    from meetingtui.domain.errors import NotFound

    database = _open_for_write(args.db)
    try:
        catalogue = CatalogueSession(database, args.programme, _actor(args))
    except NotFound as error:
        raise UserError(str(error), EXIT_INVALID) from None
    from meetingtui.tui.screens.catalogue_app import make_catalogue_app

    app = make_catalogue_app(lambda: catalogue, theme=THEMES[args.theme] if args.theme else None)
    app.run()
    database.close()
    return app.return_code or EXIT_OK


# ---------------------------------------------------------------------------- site address


def cmd_site_url(args: argparse.Namespace) -> int:
    """Say where the published site is served, so phones' receipts link to each idea's page."""
    from meetingtui.domain.errors import FieldErrors
    from meetingtui.domain.receipts import set_site_url, site_url

    if args.url is None and not args.clear:
        database = _open_database(args.db, write=False)
        with database.read() as session:
            known = site_url(session)
        print(
            known
            or "No site address is set: receipts say the answer is published with the "
            "meeting's record."
        )
        return EXIT_OK
    database = _open_for_write(args.db)
    try:
        with database.write() as session:
            saved = set_site_url(session, "" if args.clear else args.url)
    except FieldErrors as error:
        raise _refused(error) from None
    if saved:
        print(f"Receipts now link to each idea's page under {saved}")
    else:
        print("Site address cleared: receipts say the answer is published with the record.")
    return EXIT_OK


# ---------------------------------------------------------------------------- the parser


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """The catalogue's commands on the ``meetingtui`` parser."""
    programme_help = "the engagement programme (default: the default programme)"

    def audience_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--for",
            dest="audience",
            choices=["public", "organisers"],
            default="public",
            help="public (default): what the public may see, published answers only; "
            "organisers: also drafts, reviewers, hidden and pending ideas, every name",
        )

    ideas = commands.add_parser("ideas", parents=[common], help="list the idea catalogue")
    ideas.add_argument("--programme", help="only this programme's meetings")
    ideas.add_argument("--meeting", help="only this meeting (code or id)")
    ideas.add_argument(
        "--search", help="words to find (as prefixes, accents aside), best match first"
    )
    ideas.add_argument(
        "--status",
        action="append",
        choices=STATUSES,
        metavar="STATUS",
        help=f"only this status; repeat for several: {', '.join(STATUSES)}",
    )
    ideas.add_argument("--topic", help="only this topic")
    ideas.add_argument(
        "--stakeholder",
        choices=list(STAKEHOLDERS),
        metavar="STAKEHOLDER",
        help=f"only this stakeholder group: {', '.join(STAKEHOLDERS)}",
    )
    ideas.add_argument("--reviewer", help="only ideas this reviewer has (with --for organisers)")
    ideas.add_argument("--version", help="only ideas linked to this plan version")
    ideas.add_argument(
        "--needs-answer",
        action="store_true",
        help="only ideas with no published answer, oldest first (counts on stderr)",
    )
    ideas.add_argument(
        "--older-than", type=int, metavar="DAYS", help="only ideas raised over DAYS days ago"
    )
    ideas.add_argument(
        "--sort",
        choices=["meeting", "newest", "oldest"],
        default="meeting",
        help="meeting (default: by meeting, then number), newest or oldest first; best match "
        "first with --search, oldest first with --needs-answer",
    )
    ideas.add_argument(
        "--format",
        choices=["table", "csv", "json"],
        default="table",
        help="table (default), csv or json (the standard form's fields and the answer)",
    )
    audience_option(ideas)
    ideas.set_defaults(handler=cmd_ideas)

    idea = commands.add_parser(
        "idea", parents=[common], help="show one idea whole, with its history"
    )
    idea.add_argument("ref", metavar="REF", help="CODE/I-0042, or I-0042 when only one has it")
    idea.add_argument("--programme", help=programme_help)
    idea.add_argument("--format", choices=["text", "json"], default="text")
    audience_option(idea)
    idea.set_defaults(handler=cmd_idea)

    respond = commands.add_parser(
        "respond",
        parents=[common],
        help="set ideas' status, answer and reviewer; publish them",
        description="Review one idea or many at once: all change, or (exit 2) none do.",
    )
    respond.add_argument("refs", nargs="+", metavar="REF", help="CODE/I-0042 or I-0042")
    respond.add_argument("--status", choices=STATUSES, metavar="STATUS", help=", ".join(STATUSES))
    respond.add_argument(
        "--reason", help="the public reason (needed for adapted and not-taken-forward)"
    )
    respond.add_argument("--response", help='the public answer ("you said, we did"), a draft')
    respond.add_argument("--reviewer", help='who reviews these ideas ("" for nobody)')
    respond.add_argument("--into", metavar="REF", help="with --status merged: the idea kept")
    respond.add_argument(
        "--publish",
        action="store_true",
        help="publish the status, reason and answer as they now stand",
    )
    respond.add_argument("--programme", help=programme_help)
    respond.add_argument("--name", help="who is answering, for the history (default: your login)")
    respond.set_defaults(handler=cmd_respond)

    catalogue = commands.add_parser(
        "catalogue",
        parents=[common],
        help="open the catalogue screen: review, answer and publish every idea",
        description="Every idea of a programme on one screen: search, filter, sort, set "
        "status, write and publish responses (? lists the keys).",
    )
    catalogue.add_argument("--programme", help=programme_help)
    catalogue.add_argument(
        "--name", help='who is reviewing: the history\'s "who" and "my ideas" (default: your login)'
    )
    catalogue.add_argument(
        "--theme", choices=["default", "terminal", "high-contrast"], default=None, help="colours"
    )
    catalogue.set_defaults(handler=cmd_catalogue)

    plan = commands.add_parser("plan", parents=[common], help="the programme's plan versions")
    plan_commands = plan.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    add = plan_commands.add_parser("add", parents=[common], help="add a plan version")
    add.add_argument("version", metavar="VERSION", help="a short name, e.g. v2")
    add.add_argument("--title", required=True)
    add.add_argument(
        "--file", metavar="PLAN.md", help="the plan in Markdown; its headings become sections"
    )
    add.add_argument("--date", help="the version's date, e.g. 2026-12-03 (default: today)")
    add.add_argument("--summary", help="what changed in this version")
    add.add_argument("--programme", help=programme_help)
    add.add_argument("--name", help="who adds it (default: your login)")
    add.set_defaults(handler=cmd_plan_add)
    link = plan_commands.add_parser(
        "link", parents=[common], help="link ideas to the version (and section) reflecting them"
    )
    link.add_argument("refs", nargs="+", metavar="REF")
    link.add_argument("--version", required=True)
    link.add_argument("--section", help="the section number, e.g. 4.2")
    link.add_argument("--programme", help=programme_help)
    link.add_argument("--name", help="who links them (default: your login)")
    link.set_defaults(handler=cmd_plan_link)
    listing = plan_commands.add_parser("list", parents=[common], help="list plan versions")
    listing.add_argument("--programme", help=programme_help)
    listing.add_argument("--sections", action="store_true", help="also list each one's sections")
    audience_option(listing)
    listing.set_defaults(handler=cmd_plan_list)
    site = commands.add_parser(
        "site-url",
        parents=[common],
        help="where the published site is served (receipts on phones link to it)",
    )
    site.add_argument("url", nargs="?", help="e.g. https://consult.example.org/ (none: show it)")
    site.add_argument("--clear", action="store_true", help="forget the address")
    site.set_defaults(handler=cmd_site_url)
