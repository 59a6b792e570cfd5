"""``meetingtui cards``: printable idea cards, comment cards and sign-in cards for the tables."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from meetingtui.cli import EXIT_INVALID, EXIT_OK, UserError

CARD_SUFFIXES = (".html", ".pdf")


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 0 <= value <= 1000:
        raise argparse.ArgumentTypeError("give between 0 and 1000 cards")
    return value


def join_address(args: argparse.Namespace, code: str) -> tuple[str, str]:
    """The meeting's join URL as the console shows it, and where it came from (said when the
    cards are written: a QR code to the wrong address is found only at the tables):
    ``--public-url`` (checked as the site address is), else this machine's address on the
    local network and the port ``run`` starts from (``--port``)."""
    from meetingtui.domain.receipts import is_web_address
    from meetingtui.web.server import DEFAULT_PORT, attendee_url, lan_address

    if args.public_url is not None:
        base = args.public_url.strip()
        if not is_web_address(base):
            raise UserError(
                f"--public-url {base!r}: give the address attendees open, starting https:// "
                "(or http://), with a host and no spaces, quotes or angle brackets "
                "(for example https://meet.example.org)",
                EXIT_INVALID,
            )
        return attendee_url(base.rstrip("/"), code), "from --public-url"
    port = args.port or DEFAULT_PORT
    address = lan_address()
    said = (
        f"this machine's address on the network and port {port}"
        + ("" if args.port else " (where `meetingtui run` starts when that port is free)")
        + "; if attendees will open another address, print them with --public-url"
    )
    if address.startswith("127."):
        said += (
            ". WARNING: this machine has no network address, so phones cannot open it: "
            "join a network or give --public-url"
        )
    return attendee_url(f"http://{address}:{port}", code), said


def _output_path(text: str) -> Path:
    output = Path(text)
    if output.suffix.lower() not in CARD_SUFFIXES:
        raise UserError(
            f"{text}: name a file ending .html (print from a browser) or .pdf", EXIT_INVALID
        )
    if output.is_dir():
        raise UserError(f"{text} is a folder: name the file to write", EXIT_INVALID)
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"{text}: the folder {folder} does not exist", EXIT_INVALID)
    return output


def _write_atomically(output: Path, content: bytes) -> None:
    folder = output.parent if str(output.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=".cards-", dir=folder)
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
        os.replace(temporary, output)
    except OSError as error:
        raise UserError(f"Cannot write {output}: {error.strerror or error}", EXIT_INVALID) from None


def cmd_cards(args: argparse.Namespace) -> int:
    from meetingtui.domain import meetings
    from meetingtui.domain.errors import NotFound
    from meetingtui.domain.intake import is_intake
    from meetingtui.domain.reach import meeting_questions
    from meetingtui.export.cards import SignInDoesNotFit, card_sheet, cards_html

    output = _output_path(args.output)
    if args.ideas + args.comments + args.sign_in == 0:
        raise UserError(
            "Nothing to print: give --ideas, --comments or --sign-in above 0", EXIT_INVALID
        )
    pdf = output.suffix.lower() == ".pdf"
    from meetingtui.cli_catalogue import _open_for_write

    database = _open_for_write(args.db)  # a mistyped --db is refused, never made empty
    with database.write() as session:
        try:
            meeting = meetings.find_meeting(session, args.meeting)
        except NotFound as error:
            raise UserError(str(error), EXIT_INVALID) from None
        if is_intake(meeting):  # nobody joins it from a phone: its cards would lead nowhere
            raise UserError(
                f"{meeting.code} is the record of ideas received outside meetings: print cards "
                "for the meeting they will be handed out at",
                EXIT_INVALID,
            )
        if args.sign_in and not meeting_questions(session, meeting.id):
            raise UserError(
                f"{meeting.code}'s agenda declares no monitoring questions, so a sign-in card "
                "would ask nothing: add [[monitoring]] questions (key, label, options) to the "
                "agenda file, as in sample_agendas/community_workshop.toml, before the meeting "
                "is created from it, or print without --sign-in",
                EXIT_INVALID,
            )
        join_url, where = join_address(args, meeting.code)
        sheet = card_sheet(
            session,
            meeting=meeting,
            join_url=join_url,
            ideas=args.ideas,
            comments=args.comments,
            size=args.size,
            sign_ins=args.sign_in,
        )
        sign_in = None
        if sheet.sign_ins:  # measured first: a card with no room for its questions is refused
            from meetingtui.export.cards_pdf import find_font, sign_in_layout

            try:
                sign_in = sign_in_layout(sheet, find_font())
            except FileNotFoundError as error:
                raise UserError(str(error), EXIT_INVALID) from None
            except SignInDoesNotFit as error:
                raise UserError(str(error), EXIT_INVALID) from None
        if pdf:
            from meetingtui.export.cards_pdf import (
                cards_pdf,
                find_font,
                font_warning,
                glyph_warning,
            )

            try:
                font = find_font()
            except FileNotFoundError as error:
                raise UserError(str(error), EXIT_INVALID) from None
            missing: list[str] = []
            content = cards_pdf(sheet, font, missing)
            warning = font_warning(sheet, font) or glyph_warning(missing)
        else:
            warning, content = "", cards_html(sheet, sign_in=sign_in).encode("utf-8")
        # Written before the numbers are committed: a file that cannot be written uses none.
        _write_atomically(output, content)
    if warning:
        print(f"meetingtui: warning: {warning}", file=sys.stderr)
    if sign_in is not None and not sign_in.qr:
        print(
            "meetingtui: warning: the sign-in cards have no room for the QR code with these "
            "questions: they print the join URL alone",
            file=sys.stderr,
        )
    from meetingtui.domain.cards import format_card_number

    numbers = sheet.idea_numbers + sheet.comment_numbers
    printed = []
    if numbers:
        printed.append(
            f"{args.ideas} idea and {args.comments} comment cards,"
            f" {format_card_number(numbers[0])} to {format_card_number(numbers[-1])}"
        )
    if sheet.sign_ins:
        smaller = "" if sign_in is None or sign_in.font == 1 else f", in {sign_in.font:.0%} print"
        printed.append(f"{sheet.sign_ins} sign-in cards (no card number{smaller})")
    print(
        f"Wrote {output}: {', plus '.join(printed)}, joining at {sheet.join_url} ({where})",
        file=sys.stderr,
    )
    return EXIT_OK


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    cards = commands.add_parser(
        "cards",
        parents=[common],
        help="write printable idea, comment and sign-in cards for the tables (PDF or HTML)",
        description="Printable cards, one per A5 or A6 page, black and white: idea cards with "
        "the standard form's fields as lines and tick boxes, and comment cards. Each card has "
        "the meeting's QR code, its join URL and a card number never printed before from this "
        "database. Type them in with the console's card entry mode (K). Sign-in cards "
        "(--sign-in) ask the agenda's monitoring questions, carry no number, and are typed in "
        "with `meetingtui reach add`.",
    )
    cards.add_argument("meeting", metavar="MEETING", help="meeting code or id")
    cards.add_argument(
        "-o", "--output", required=True, help="file to write: cards.pdf or cards.html"
    )
    cards.add_argument("--ideas", type=_count, default=20, help="idea cards to print (default 20)")
    cards.add_argument(
        "--comments", type=_count, default=0, help="comment cards to print (default 0)"
    )
    cards.add_argument(
        "--sign-in",
        type=_count,
        default=0,
        metavar="N",
        help="optional sign-in cards to print: area, first name and the agenda's monitoring "
        "questions, no card number (default 0)",
    )
    cards.add_argument("--size", choices=["a5", "a6"], default="a5", help="page size (default a5)")
    cards.add_argument(
        "--public-url",
        help="the address attendees open, as given to `run --public-url` (default: this "
        "machine's address on the network, port 8765 or --port)",
    )
    cards.add_argument("--port", type=int, default=None, help="the port `run` will listen on")
    cards.set_defaults(handler=cmd_cards)
