"""Printable idea cards and comment cards for the tables (``meetingtui cards``).

One card per page, A5 or A6, black and white. An idea card carries the standard idea form as
lines and tick boxes (title, detail, name with the consent to publish it, organisation, the
stakeholder groups, the meeting's topics, scale, benefits, who is affected); a comment card
the idea's ref and lines for the comment. Every card has a number never printed before from
this database (domain/cards.py), the meeting's QR code and its join URL, so a person at the
table can use their phone instead.

A sign-in card (``--sign-in``) is the paper side of the optional reach sign-in
(domain/reach.py): the area or postcode district, a first name, and the agenda's monitoring
questions with a tick box per answer and "Prefer not to say", in the order ``meetingtui reach
add`` takes them. It carries no card number (it is never linked to an idea, and takes none of
the card counter) but has the QR code like the others, when there is room for it.

``card_sheet`` reserves the numbers (a write); ``cards_html`` and ``cards_pdf``
(export/cards_pdf.py) only draw what the sheet holds. Everything a person wrote (the meeting's
title, its topics) is printed literally: escaped in HTML, text (never markup) in the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from sqlmodel import Session

from meetingtui.domain.cards import format_card_number, reserve_card_numbers
from meetingtui.domain.meetings import meeting_topics
from meetingtui.domain.models import Meeting
from meetingtui.domain.reach import PREFER_NOT_LABEL, Question, meeting_questions
from meetingtui.domain.vocab import BENEFITS, SCALES, STAKEHOLDERS

SIZES = {"a5": (148.0, 210.0), "a6": (105.0, 148.0)}  # width, height in millimetres
QR_QUIET_ZONE = 4

# The idea card's questions, as printed (the standard form's fields, in the form's order).
TITLE_QUESTION = "Your idea in one line"
DETAIL_QUESTION = "What should change, and why?"
NAME_QUESTION = "Your name (optional)"
PUBLISH_TICK = "Publish my name with my idea"
ORGANISATION_QUESTION = "Organisation (optional)"
STAKEHOLDER_QUESTION = "I am a… (tick one)"
TOPIC_QUESTION = "Topic"
TOPIC_WRITE_QUESTION = "Topic (one of the meeting's)"  # too many topics for tick boxes
SCALE_QUESTION = "Is it a…"
BENEFITS_QUESTION = "It would improve…"
AFFECTS_QUESTION = "Who or which service does it affect?"
COMMENT_REF_QUESTION = "Comment on idea (its number, e.g. I-0042)"
COMMENT_QUESTION = "Your comment"

# The sign-in card, in the order ``meetingtui reach add`` takes it (--area, --name, --answer
# KEY=ANSWER per question), so a clerk types a card straight in.
SIGN_IN_HEADING = "Help us see who we're reaching — optional"
SIGN_IN_AREA = "Area or postcode district (optional)"
SIGN_IN_NAME = "First name (optional)"
SIGN_IN_SMALL_PRINT = (
    "Every question is optional: skip any, or all. Your answers are kept apart from your ideas "
    "and comments and are never linked to them; a first name goes only on the sign-in sheet. "
    "Only totals are published, never a count under 5."
)


def sign_in_question(question: Question) -> str:
    """A monitoring question as printed: its label, then its key (what ``reach add --answer``
    takes), both as the agenda declares them."""
    return f"{question.label} ({question.key})"


def sign_in_options(question: Question) -> list[str]:
    return [*question.options, PREFER_NOT_LABEL]


@dataclass(frozen=True)
class IdeaCardLayout:
    """How much of the idea form a card has room for. A card holds the form whole when it can;
    when the meeting has many topics (a tick box each) or a long title, the detail gets fewer
    lines, then the topics one line to write on instead of boxes, so nothing runs into the
    QR code or off the card (found by review: six topics overran an A6 card)."""

    detail_lines: int = 4
    topic_ticks: bool = True


LAYOUTS = (
    IdeaCardLayout(4, True),
    IdeaCardLayout(3, True),
    IdeaCardLayout(2, True),
    IdeaCardLayout(4, False),
    IdeaCardLayout(3, False),
    IdeaCardLayout(2, False),
)
"""Tried in order; the first that fits is printed (the last one fits any meeting: see
tests/export/test_cards.py). The PDF measures which fits (export/cards_pdf.py
``idea_card_layout``); the HTML cards print the same."""


@dataclass(frozen=True)
class SignInLayout:
    """How a sign-in card is drawn: its form's text at ``font`` of the cards' usual size, and
    the QR code at the foot or (no room for it) the join URL on one line instead."""

    font: float = 1.0
    qr: bool = True


SIGN_IN_LAYOUTS = (
    SignInLayout(1.0),
    SignInLayout(0.85),
    SignInLayout(0.75),
    SignInLayout(0.75, qr=False),
)
"""Tried in order; the first whose form ends above the foot is printed (the PDF measures it:
export/cards_pdf.py ``sign_in_layout``); when none does, the cards are refused."""


class SignInDoesNotFit(ValueError):
    """The monitoring questions do not fit on one card, even in the smallest print."""

    def __init__(self, question: Question, size: str) -> None:
        self.question = question
        larger = ", or print them larger (--size a5)" if size == "a6" else ""
        super().__init__(
            f"The sign-in card has no room for all the monitoring questions on an "
            f"{size.upper()} page, even in smaller print and without the QR code: "
            f"'{question.label}' ({question.key}, {len(question.options)} answers) takes the "
            f"most room. Shorten its answers or ask fewer questions in the agenda file{larger}."
        )


@dataclass
class CardSheet:
    """Everything printed: the meeting, its join address, the numbered cards and the number of
    (unnumbered) sign-in cards with the meeting's monitoring questions."""

    meeting_title: str
    meeting_date: str
    topics: list[str]
    join_url: str
    size: str
    idea_numbers: list[int] = field(default_factory=list)
    comment_numbers: list[int] = field(default_factory=list)
    sign_ins: int = 0
    questions: list[Question] = field(default_factory=list)

    @property
    def page_size(self) -> tuple[float, float]:
        return SIZES[self.size]


def card_sheet(
    session: Session,
    *,
    meeting: Meeting,
    join_url: str,
    ideas: int,
    comments: int,
    size: str = "a5",
    actor: str = "",
    sign_ins: int = 0,
) -> CardSheet:
    """Reserve ``ideas + comments`` card numbers (in the caller's write) for a print run, and
    read the monitoring questions for ``sign_ins`` sign-in cards (which take no number)."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}")
    numbers = (
        reserve_card_numbers(session, ideas + comments, actor=actor) if ideas + comments else []
    )
    return CardSheet(
        meeting_title=meeting.title,
        meeting_date=str(meeting.date or ""),
        topics=meeting_topics(meeting),
        join_url=join_url,
        size=size,
        idea_numbers=numbers[:ideas],
        comment_numbers=numbers[ideas:],
        sign_ins=sign_ins,
        questions=meeting_questions(session, meeting.id) if sign_ins else [],
    )


def qr_modules(url: str) -> list[list[bool]]:
    """The join URL's QR code (error correction M, as the console and projector draw it)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QR_QUIET_ZONE)
    code.add_data(url)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def qr_svg(url: str) -> str:
    """An inline SVG of the QR code: one path, black on white whatever the page's colours."""
    modules = qr_modules(url)
    size = len(modules)
    dark = "".join(
        f"M{x},{y}h1v1h-1z" for y, row in enumerate(modules) for x, cell in enumerate(row) if cell
    )
    label = escape(f"QR code for {url}")
    return (
        f'<svg class="qr" role="img" aria-label="{label}" viewBox="0 0 {size} {size}"'
        f' shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path d="{dark}" fill="#000"/></svg>'
    )


STYLE = """
@page { size: %(page)s; margin: 0; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; background: #fff; color: #000; }
body { font: %(font)spt/1.3 "DejaVu Sans", Arial, Helvetica, sans-serif; }
.card { width: %(width)smm; height: %(height)smm; padding: %(pad)smm; overflow: hidden;
  page-break-after: always; break-after: page; display: flex; flex-direction: column; }
.card:last-child { page-break-after: auto; break-after: auto; }
.head { display: flex; justify-content: space-between; align-items: baseline;
  border-bottom: 0.4mm solid #000; margin-bottom: 2mm; gap: 3mm; }
.head h1 { font-size: 1.15em; margin: 0; }
.number { font-weight: bold; white-space: nowrap; }
.meeting { margin: 0 0 1.5mm; font-size: 0.9em; }
.q { margin: 1.4mm 0 0; font-weight: bold; font-size: 0.9em; }
.line { border-bottom: 0.25mm solid #000; height: %(line)smm; min-height: %(line_min)smm;
  flex: 0 1 auto; }
.ticks { display: flex; flex-wrap: wrap; gap: 0.8mm 3.5mm; margin-top: 0.8mm; }
.tick { white-space: nowrap; font-size: 0.9em; }
.box { display: inline-block; width: 3.2mm; height: 3.2mm; border: 0.3mm solid #000;
  vertical-align: -0.5mm; margin-right: 1mm; }
.foot { margin-top: auto; display: flex; gap: 3mm; align-items: center;
  border-top: 0.4mm solid #000; padding-top: 2mm; }
.qr { width: %(qr)smm; height: %(qr)smm; flex: none; }
.url { font-size: 0.85em; overflow-wrap: anywhere; }
/* A sign-in card's print may be shrunk to fit its questions (SignInLayout): everything on it
   is sized by its text, as the PDF's is. */
.signin-card .tick { white-space: normal; }
.signin-card .ticks { gap: 0.25em 1.1em; }
.signin-card .box { width: 1.1em; height: 1.1em; vertical-align: -0.2em; margin-right: 0.35em; }
.signin-card .line { height: 2em; min-height: 1.6em; }
.signin-card .q { margin-top: 0.45em; }
.small { font-size: 0.75em; margin: 2mm 0 0; }
@media screen { body { background: #888; } .card { background: #fff; margin: 8mm auto; } }
"""


def _ticks(labels: list[str]) -> str:
    items = "".join(
        f'<span class="tick"><span class="box"></span>{escape(label)}</span>' for label in labels
    )
    return f'<div class="ticks">{items}</div>'


def _lines(count: int) -> str:
    return '<div class="line"></div>' * count


def _head(kind: str, number: int, sheet: CardSheet) -> str:
    when = f" · {escape(sheet.meeting_date)}" if sheet.meeting_date else ""
    return (
        f'<div class="head"><h1>{kind}</h1>'
        f'<span class="number">Card {format_card_number(number)}</span></div>'
        f'<p class="meeting">{escape(sheet.meeting_title)}{when}</p>'
    )


def _foot(sheet: CardSheet, qr: str) -> str:
    return (
        f'<div class="foot">{qr}<div class="url">Or use your phone: scan the code or open'
        f"<br><strong>{escape(sheet.join_url)}</strong></div></div>"
    )


def idea_card_html(
    number: int, sheet: CardSheet, qr: str, layout: IdeaCardLayout = LAYOUTS[0]
) -> str:
    q = '<p class="q">{}</p>'.format
    parts = [
        _head("Your idea", number, sheet),
        q(TITLE_QUESTION),
        _lines(1),
        q(DETAIL_QUESTION),
        _lines(layout.detail_lines),
        q(NAME_QUESTION),
        _lines(1),
        _ticks([PUBLISH_TICK]),
        q(ORGANISATION_QUESTION),
        _lines(1),
        q(STAKEHOLDER_QUESTION),
        _ticks(list(STAKEHOLDERS.values())),
    ]
    if sheet.topics and layout.topic_ticks:
        parts += [q(TOPIC_QUESTION), _ticks(sheet.topics)]
    elif sheet.topics:
        parts += [q(TOPIC_WRITE_QUESTION), _lines(1)]
    parts += [
        q(SCALE_QUESTION),
        _ticks(list(SCALES.values())),
        q(BENEFITS_QUESTION),
        _ticks(list(BENEFITS.values())),
        q(AFFECTS_QUESTION),
        _lines(1),
        _foot(sheet, qr),
    ]
    return f'<section class="card idea-card" id="card-{number}">{"".join(parts)}</section>'


def comment_card_html(number: int, sheet: CardSheet, qr: str) -> str:
    q = '<p class="q">{}</p>'.format
    parts = [
        _head("Your comment", number, sheet),
        q(COMMENT_REF_QUESTION),
        _lines(1),
        q(COMMENT_QUESTION),
        _lines(9),
        q(NAME_QUESTION),
        _lines(1),
        _foot(sheet, qr),
    ]
    return f'<section class="card comment-card" id="card-{number}">{"".join(parts)}</section>'


def sign_in_card_html(sheet: CardSheet, qr: str, layout: SignInLayout = SIGN_IN_LAYOUTS[0]) -> str:
    """One sign-in card: no card number (it is never linked to an idea)."""
    q = '<p class="q">{}</p>'.format
    when = f" · {escape(sheet.meeting_date)}" if sheet.meeting_date else ""
    parts = [
        f'<div class="head"><h1>{escape(SIGN_IN_HEADING)}</h1></div>',
        f'<p class="meeting">{escape(sheet.meeting_title)}{when}</p>',
        q(escape(SIGN_IN_AREA)),
        _lines(1),
        q(escape(SIGN_IN_NAME)),
        _lines(1),
    ]
    for question in sheet.questions:
        parts += [q(escape(sign_in_question(question))), _ticks(sign_in_options(question))]
    parts.append(f'<p class="small">{escape(SIGN_IN_SMALL_PRINT)}</p>')
    if layout.qr:
        parts.append(_foot(sheet, qr))
    else:  # no room for the QR code: the address alone
        parts.append(
            '<div class="foot"><div class="url">Or use your phone: open '
            f"<strong>{escape(sheet.join_url)}</strong></div></div>"
        )
    style = "" if layout.font == 1 else f' style="font-size: {layout.font * 100:g}%"'
    return f'<section class="card signin-card"{style}>{"".join(parts)}</section>'


def cards_html(
    sheet: CardSheet,
    layout: IdeaCardLayout | None = None,
    sign_in: SignInLayout | None = None,
) -> str:
    """The cards as one HTML page that prints one card per sheet (no external assets). The
    idea cards hold what the PDF's do (``layout``: measured on the PDF unless given), so that a
    meeting with many topics never pushes the QR code off the card; the sign-in cards likewise
    (``sign_in``; SignInDoesNotFit when no layout has room for the questions)."""
    if layout is None and sheet.idea_numbers:
        from meetingtui.export.cards_pdf import find_font, idea_card_layout

        layout = idea_card_layout(sheet, find_font())
    if sign_in is None and sheet.sign_ins:
        from meetingtui.export.cards_pdf import find_font, sign_in_layout

        sign_in = sign_in_layout(sheet, find_font())
    width, height = sheet.page_size
    small = sheet.size == "a6"
    style = STYLE % {
        "page": sheet.size.upper(),
        "font": "7" if small else "10",
        "width": f"{width:g}",
        "height": f"{height:g}",
        "pad": "5" if small else "8",
        "line": "5" if small else "7",
        # Lines give way a little (never below a height to write on) where a browser's text
        # runs longer than the PDF's, which chose the layout; the QR code stays on the card.
        "line_min": "3.8" if small else "5.5",
        "qr": "20" if small else "28",
    }
    qr = qr_svg(sheet.join_url)
    cards = [idea_card_html(n, sheet, qr, layout or LAYOUTS[0]) for n in sheet.idea_numbers]
    cards += [comment_card_html(n, sheet, qr) for n in sheet.comment_numbers]
    cards += [sign_in_card_html(sheet, qr, sign_in or SIGN_IN_LAYOUTS[0])] * sheet.sign_ins
    title = escape(f"Cards: {sheet.meeting_title}")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{style}</style></head>\n<body>\n"
        + "\n".join(cards)
        + "\n</body></html>\n"
    )
