"""``meetingtui themes``: a programme's themes on the command line.

A thin shell over domain/themes.py: list, show, add, assign and unassign ideas, respond (the
theme's summary and response, published with ``--publish``), suggestions from shared words
(``suggest``; ``--apply N`` makes suggestion N a theme, ``--rename`` under another name,
``--reject N`` records that it is not one), rename and delete (asks, or ``--yes``; the ideas
stay). Refusals a person can fix leave with exit 2 and change nothing.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from meetingtui.cli import EXIT_INVALID, EXIT_OK, UserError, _open_database
from meetingtui.cli_catalogue import _actor, _open_for_write, _programme, _refused

SHOWN_PER_SUGGESTION = 8


def _audience(args: argparse.Namespace):  # noqa: ANN202 - Audience, imported lazily
    from meetingtui.domain.public import Audience

    return Audience(getattr(args, "audience", "organisers"))


def _find(session, programme, name: str, audience=None):  # noqa: ANN001, ANN202
    from meetingtui.domain.errors import NotFound
    from meetingtui.domain.public import Audience
    from meetingtui.domain.themes import find_theme

    try:
        return find_theme(session, programme, name, audience or Audience.ORGANISERS)
    except NotFound as error:
        raise UserError(str(error), EXIT_INVALID) from None


def _counted(counter: Any, labels: dict[str, str]) -> str:
    parts = [
        f"{labels.get(key, key) or 'not given'} {count}" for key, count in counter.most_common()
    ]
    return ", ".join(parts) or "none"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def cmd_list(args: argparse.Namespace) -> int:
    from meetingtui.domain.public import Audience, theme_name
    from meetingtui.domain.themes import has_draft, theme_overviews

    audience = _audience(args)
    database = _open_database(args.db, write=False)
    with database.read() as session:
        programme = _programme(session, args)
        overviews = theme_overviews(session, programme, audience)
    if not overviews:
        where = "no published themes" if audience is Audience.PUBLIC else "no themes yet"
        print(
            f"Programme '{programme.name}' has {where}. Add one with: meetingtui themes add NAME, "
            "or see suggestions: meetingtui themes suggest"
        )
        return EXIT_OK
    print(f"{'IDEAS':>5} {'SUPPORTS':>8}  {'STATE':<16} THEME")
    for overview in overviews:
        theme = overview.theme
        if theme.published_at is None:
            state = "draft"
        elif has_draft(theme):
            state = "published, edited"
        else:
            state = "published"
        if audience is Audience.PUBLIC:
            state = "published"
        name = theme_name(theme, audience)
        print(f"{overview.ideas:>5} {overview.supports:>8}  {state:<16} {name}")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from meetingtui.domain.catalogue_refs import full_ref
    from meetingtui.domain.public import (
        Audience,
        idea_status,
        theme_name,
        theme_response,
        theme_summary,
    )
    from meetingtui.domain.themes import has_draft, theme_ideas, theme_overview
    from meetingtui.domain.vocab import CHANNELS, IDEA_STATUSES, STAKEHOLDERS

    audience = _audience(args)
    database = _open_database(args.db, write=False)
    with database.read() as session:
        programme = _programme(session, args)
        theme = _find(session, programme, args.theme, audience)
        overview = theme_overview(session, theme, audience)
        ideas = theme_ideas(session, theme, audience)
        lines = [f"Theme: {theme_name(theme, audience)}"]
        if audience is Audience.ORGANISERS:
            if theme.published_at is None:
                lines.append("State: draft (the public sees it once published)")
            else:
                when = theme.published_at.isoformat(timespec="minutes")
                edited = "; edited since (publish again)" if has_draft(theme) else ""
                lines.append(f"State: published {when}{edited}")
                if theme.public_name != theme.name:
                    lines.append(f"Published name: {theme.public_name}")
        lines.append(f"Summary: {theme_summary(theme, audience) or '(none)'}")
        lines.append(f"Response: {theme_response(theme, audience) or '(none)'}")
        published = audience is Audience.ORGANISERS and theme.published_at is not None
        if published and theme.public_response != theme.response:
            lines.append(f"Published response: {theme.public_response or '(none)'}")
        lines.append(
            f"Ideas: {overview.ideas} · supports: {overview.supports}"
            f" · channels: {_counted(overview.channels, CHANNELS)}"
        )
        lines.append(f"Stakeholder groups: {_counted(overview.stakeholders, STAKEHOLDERS)}")
        for idea, code in ideas:
            status = IDEA_STATUSES.get(idea_status(idea, audience), "")
            lines.append(f"  {full_ref(code, idea.ref):<22} {status:<20} {idea.title}")
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def _write(args: argparse.Namespace, change: Any) -> Any:  # noqa: ANN401
    """Run ``change(session, programme)`` in one transaction; a refusal changes nothing."""
    from meetingtui.domain.errors import DomainError

    database = _open_for_write(args.db)
    with database.write() as session:
        programme = _programme(session, args)
        try:
            return change(session, programme)
        except DomainError as error:
            session.rollback()
            raise _refused(error) from None


def _ideas(session, programme, refs: list[str]) -> list:  # noqa: ANN001
    from meetingtui.domain.catalogue_refs import resolve_refs
    from meetingtui.domain.public import Audience

    return resolve_refs(session, refs, programme=programme, audience=Audience.ORGANISERS)


def cmd_add(args: argparse.Namespace) -> int:
    from meetingtui.domain.themes import add_theme

    def change(session, programme):  # noqa: ANN001, ANN202
        theme = add_theme(
            session,
            programme=programme,
            name=args.theme,
            summary=args.summary or "",
            actor=_actor(args),
        )
        return theme.name, programme.name

    name, programme_name = _write(args, change)
    print(f"Added theme '{name}' to programme '{programme_name}' (a draft until published).")
    return EXIT_OK


def cmd_assign(args: argparse.Namespace) -> int:
    from meetingtui.domain.themes import assign_ideas, unassign_ideas

    removing = args.handler is cmd_unassign

    def change(session, programme):  # noqa: ANN001, ANN202
        theme = _find(session, programme, args.theme)
        ideas = _ideas(session, programme, args.refs)
        ids = [i.id for i in ideas]
        act = unassign_ideas if removing else assign_ideas
        return act(session, theme=theme, idea_ids=ids, actor=_actor(args)), len(ids), theme.name

    count, named, name = _write(args, change)
    if removing:
        print(f"Removed {_plural(count, 'idea')} from '{name}' ({named - count} were not in it).")
    else:
        print(f"Added {_plural(count, 'idea')} to '{name}' ({named - count} already in it).")
    return EXIT_OK


def cmd_unassign(args: argparse.Namespace) -> int:
    return cmd_assign(args)


def cmd_respond(args: argparse.Namespace) -> int:
    from meetingtui.domain.themes import edit_theme

    if args.response is None and args.summary is None and not args.publish:
        raise UserError("Say what to do: --response, --summary and/or --publish.", EXIT_INVALID)

    def change(session, programme):  # noqa: ANN001, ANN202
        theme = _find(session, programme, args.theme)
        edit_theme(
            session,
            theme=theme,
            summary=args.summary,
            response=args.response,
            publish=args.publish,
            actor=_actor(args),
        )
        return theme.name

    name = _write(args, change)
    if args.publish:
        print(
            f"Theme '{name}' published: its ideas with no response of their own show its response."
        )
    else:
        print(f"Theme '{name}' saved as a draft (the public sees it once published: --publish).")
    return EXIT_OK


def cmd_rename(args: argparse.Namespace) -> int:
    from meetingtui.domain.themes import rename_theme

    def change(session, programme):  # noqa: ANN001, ANN202
        theme = _find(session, programme, args.old)
        before = theme.name
        rename_theme(session, theme=theme, name=args.new, actor=_actor(args))
        return before, theme.name, theme.published_at is not None

    before, after, published = _write(args, change)
    note = " (the public sees the new name once published again)" if published else ""
    print(f"Renamed theme '{before}' to '{after}'{note}.")
    return EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    from meetingtui.domain.themes import delete_theme

    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError(
                f"Deleting theme '{args.theme}' needs confirmation: add --yes.", EXIT_INVALID
            )
        answer = input(f"Delete theme '{args.theme}'? Its ideas are kept. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was deleted.")
            return EXIT_OK

    def change(session, programme):  # noqa: ANN001, ANN202
        theme = _find(session, programme, args.theme)
        name = theme.name
        return name, delete_theme(session, theme=theme, actor=_actor(args))

    name, count = _write(args, change)
    print(f"Deleted theme '{name}'; its {_plural(count, 'idea')} are kept.")
    return EXIT_OK


def _print_suggestions(suggestions: list, full: bool) -> None:  # noqa: ANN001
    for suggestion in suggestions:
        words = ", ".join(suggestion.words)
        print(
            f"{suggestion.number}. {suggestion.name}  "
            f"({_plural(len(suggestion.ideas), 'idea')}; shared words: {words})"
        )
        shown = suggestion.ideas if full else suggestion.ideas[:SHOWN_PER_SUGGESTION]
        for idea in shown:
            print(f"   {idea.full_ref:<22} {idea.title}  [{', '.join(idea.shared)}]")
        if len(shown) < len(suggestion.ideas):
            print(f"   … and {len(suggestion.ideas) - len(shown)} more (--full lists them all)")


def cmd_suggest(args: argparse.Namespace) -> int:
    from meetingtui.domain.themes import accept_suggestion, reject_suggestion, suggest_themes

    if args.apply is not None and args.reject is not None:
        raise UserError("--apply and --reject go one at a time.", EXIT_INVALID)
    if args.rename is not None and args.apply is None:
        raise UserError("--rename goes with --apply N: the name of the theme made.", EXIT_INVALID)
    number = args.apply if args.apply is not None else args.reject
    if number is None:
        database = _open_database(args.db, write=False)
        with database.read() as session:
            programme = _programme(session, args)
            suggestions = suggest_themes(session, programme)
        if not suggestions:
            print(
                f"No suggestions for programme '{programme.name}': no words shared by enough "
                "ideas not yet in a theme (or every suggestion was decided)."
            )
            return EXIT_OK
        _print_suggestions(suggestions, args.full)
        print(
            "Make one a theme: meetingtui themes suggest --apply N [--rename NAME]; "
            "not a theme: --reject N",
            file=sys.stderr,
        )
        return EXIT_OK

    def change(session, programme):  # noqa: ANN001, ANN202
        found = suggest_themes(session, programme)
        chosen = next((s for s in found if s.number == number), None)
        if chosen is None:
            raise UserError(
                f"There is no suggestion {number} (there are {len(found)}): "
                "list them with meetingtui themes suggest.",
                EXIT_INVALID,
            )
        if args.reject is not None:
            reject_suggestion(session, programme=programme, suggestion=chosen, actor=_actor(args))
            return chosen, None
        theme = accept_suggestion(
            session, programme=programme, suggestion=chosen, name=args.rename, actor=_actor(args)
        )
        return chosen, theme.name

    chosen, made = _write(args, change)
    if made is None:
        print(f"Rejected suggestion {number} ({chosen.name}); it will not be suggested again.")
    else:
        print(f"Made theme '{made}' with {_plural(len(chosen.ideas), 'idea')} (a draft).")
    return EXIT_OK


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """``meetingtui themes …`` on the ``meetingtui`` parser."""
    themes = commands.add_parser(
        "themes",
        parents=[common],
        help="group ideas into themes; suggestions from shared words",
        description="A programme's themes: ideas grouped under a name, with a summary and a "
        "response its ideas inherit when they have none of their own (once published).",
    )
    sub = themes.add_subparsers(dest="themes_command", metavar="COMMAND", required=True)

    def command(name: str, help_text: str, handler: Any) -> argparse.ArgumentParser:
        parser = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        parser.add_argument("--programme", help="programme name (default: the default programme)")
        parser.set_defaults(handler=handler)
        return parser

    def who(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--name", help="who is making the change (default: your login)")

    def audience(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--for",
            dest="audience",
            choices=["organisers", "public"],
            default="organisers",
            help="organisers (default): drafts and every idea; public: what the site shows",
        )

    audience(command("list", "list themes with their ideas and supports", cmd_list))
    show = command("show", "show a theme: summary, response, counts and its ideas", cmd_show)
    show.add_argument("theme", metavar="NAME")
    audience(show)
    add = command("add", "add a theme (a draft until published)", cmd_add)
    add.add_argument("theme", metavar="NAME")
    add.add_argument("--summary", help="what the theme is about")
    who(add)
    for name, verb, handler in (
        ("assign", "put ideas in a theme", cmd_assign),
        ("unassign", "take ideas out of a theme (the ideas stay)", cmd_unassign),
    ):
        parser = command(name, verb, handler)
        parser.add_argument("theme", metavar="NAME")
        parser.add_argument("refs", nargs="+", metavar="REF", help="CODE/I-0042 or I-0042")
        who(parser)
    respond = command(
        "respond", "set a theme's response and summary; publish the theme", cmd_respond
    )
    respond.add_argument("theme", metavar="NAME")
    respond.add_argument("--response", help="the response its ideas inherit (a draft)")
    respond.add_argument("--summary", help="what the theme is about (a draft)")
    respond.add_argument("--publish", action="store_true", help="publish the theme as it stands")
    who(respond)
    suggest = command("suggest", "themes suggested by words ideas share", cmd_suggest)
    suggest.add_argument("--apply", type=int, metavar="N", help="make suggestion N a theme")
    suggest.add_argument("--rename", metavar="NAME", help="with --apply: the theme's name")
    suggest.add_argument("--reject", type=int, metavar="N", help="suggestion N is not a theme")
    suggest.add_argument("--full", action="store_true", help="list every idea of each")
    who(suggest)
    rename = command("rename", "rename a theme", cmd_rename)
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    who(rename)
    delete = command("delete", "delete a theme (its ideas are kept)", cmd_delete)
    delete.add_argument("theme", metavar="NAME")
    delete.add_argument("--yes", action="store_true", help="do not ask")
    who(delete)
