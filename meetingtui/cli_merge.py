"""``meetingtui merge``, ``unmerge`` and ``split``: thin shells over domain/merging.py.

Refs as everywhere in the catalogue: ``CODE/I-0042``, or the ref alone when only one meeting
of the programme has it. A refusal (unknown ref, self-merge, another programme, already
merged) exits 2 with the reason on stderr and changes nothing.
"""

from __future__ import annotations

import argparse
from typing import Any

from meetingtui.cli import EXIT_INVALID, EXIT_OK, UserError
from meetingtui.cli_catalogue import _actor, _open_for_write, _programme, _refused
from meetingtui.domain.words import ref_and_title


def _resolve(session: Any, args: argparse.Namespace, refs: list[str]) -> list[Any]:
    from meetingtui.domain.catalogue_refs import resolve_refs
    from meetingtui.domain.public import Audience

    programme = _programme(session, args) if args.programme else None
    return list(resolve_refs(session, refs, programme=programme, audience=Audience.ORGANISERS))


def cmd_merge(args: argparse.Namespace) -> int:
    from meetingtui.domain.errors import DomainError
    from meetingtui.domain.merging import merge_ideas

    database = _open_for_write(args.db)
    with database.write() as session:
        try:
            sources = _resolve(session, args, args.refs)
            (target,) = _resolve(session, args, [args.into])
            merged = merge_ideas(
                session, [i.id for i in sources], target.id, _actor(args), args.reason or ""
            )
        except DomainError as error:
            session.rollback()
            raise _refused(error) from None
        refs = ", ".join(ref_and_title(idea.ref, idea.title) for idea in merged)
        into = ref_and_title(target.ref, target.title)
    print(f"Merged {refs} into {into}. Both refs still lead to their idea; undo with unmerge.")
    return EXIT_OK


def cmd_unmerge(args: argparse.Namespace) -> int:
    from meetingtui.domain.errors import DomainError
    from meetingtui.domain.merging import unmerge

    database = _open_for_write(args.db)
    with database.write() as session:
        try:
            (idea,) = _resolve(session, args, [args.ref])
            restored = unmerge(session, idea.id, _actor(args))
        except DomainError as error:
            session.rollback()
            raise _refused(error) from None
        ref, status = ref_and_title(restored.ref, restored.title), restored.status
    print(f"Unmerged {ref}: it is {status} again.")
    return EXIT_OK


def cmd_split(args: argparse.Namespace) -> int:
    from meetingtui.domain.errors import DomainError
    from meetingtui.domain.merging import split_idea

    if not args.into or len(args.into) < 2:
        raise UserError(
            'Split into two ideas or more: --into "title" --into "title".', EXIT_INVALID
        )
    details = args.detail or []
    if len(details) > len(args.into):
        raise UserError("Give at most one --detail per --into, in the same order.", EXIT_INVALID)
    parts = [
        {"title": title, "detail": details[n] if n < len(details) else ""}
        for n, title in enumerate(args.into)
    ]
    database = _open_for_write(args.db)
    with database.write() as session:
        try:
            (idea,) = _resolve(session, args, [args.ref])
            made = split_idea(session, idea.id, parts, _actor(args))
        except DomainError as error:
            session.rollback()
            raise _refused(error) from None
        ref = ref_and_title(idea.ref, idea.title)
        refs = ", ".join(ref_and_title(part.ref, part.title) for part in made)
        kept = idea.ref
    print(f"Split {ref} into {refs}; {kept} keeps its supports and comments.")
    return EXIT_OK


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """``merge``, ``unmerge`` and ``split`` on the ``meetingtui`` parser."""
    programme_help = "the engagement programme (default: the default programme)"
    merge = commands.add_parser(
        "merge",
        parents=[common],
        help="merge ideas into another; nothing is deleted, both refs still resolve",
        description="Merge one idea or several into another of the same programme. The "
        'merged ideas stay readable ("merged into …"), their supports count once per device '
        "on the idea kept, and unmerge restores them exactly.",
    )
    merge.add_argument("refs", nargs="+", metavar="REF", help="CODE/I-0042 or I-0042")
    merge.add_argument("--into", required=True, metavar="REF", help="the idea kept")
    merge.add_argument("--reason", help='the public reason (default: "Merged into CODE/REF")')
    merge.add_argument("--programme", help=programme_help)
    merge.add_argument("--name", help="who merges them, for the history (default: your login)")
    merge.set_defaults(handler=cmd_merge)

    back = commands.add_parser(
        "unmerge", parents=[common], help="undo a merge: the idea as it was before"
    )
    back.add_argument("ref", metavar="REF", help="the merged idea")
    back.add_argument("--programme", help=programme_help)
    back.add_argument("--name", help="who unmerges it (default: your login)")
    back.set_defaults(handler=cmd_unmerge)

    split = commands.add_parser(
        "split",
        parents=[common],
        help="split an idea into several new ones, each keeping its origin",
    )
    split.add_argument("ref", metavar="REF", help="the idea to split")
    split.add_argument(
        "--into", action="append", metavar="TITLE", help="a new idea's title; repeat (2 or more)"
    )
    split.add_argument(
        "--detail", action="append", metavar="TEXT", help="the detail of the --into of same rank"
    )
    split.add_argument("--programme", help=programme_help)
    split.add_argument("--name", help="who splits it (default: your login)")
    split.set_defaults(handler=cmd_split)
