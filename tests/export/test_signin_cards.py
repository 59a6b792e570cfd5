"""Paper sign-in cards (``meetingtui cards --sign-in N``): the optional reach sign-in on paper.

Read back from the HTML and the PDF: the heading, then what ``meetingtui reach add`` takes in its
order (area, first name, each monitoring question's answers with "Prefer not to say"), the small
print, the QR code; no card number and none of the card counter used; people's words literal;
refused (exit 2, nothing written, no number used) without monitoring questions or when they do
not fit on the card; a large question shrinks to fit without running into the QR code.
"""

from __future__ import annotations

import io
import json
from html import escape
from pathlib import Path

import pytest
from pypdf import PdfReader

from meetingtui.agenda.loader import parse_agenda
from meetingtui.cli import main
from meetingtui.domain import meetings
from meetingtui.domain.cards import reserve_card_numbers
from meetingtui.domain.reach import Question
from meetingtui.export.cards import (
    SIGN_IN_HEADING,
    SIGN_IN_LAYOUTS,
    CardSheet,
    qr_modules,
)
from meetingtui.export.cards_pdf import (
    CardFont,
    _CardPDF,
    cards_pdf,
    find_font,
    font_warning,
    sign_in_layout,
)
from meetingtui.store.database import Database
from tests.export.test_cards import _Cards, _qr_from_path, _text_rows

URL = "https://meet.example.org/m/signcode23"
LABEL = "<script>alert(1)</script> [bold]Your age[/bold] & more"
OPTIONS = ["Under 25 <b>", "[red]25 to 64[/red]", "Ελλάδα café", "65 or over 🎉"]


def _agenda(monitoring: str = "") -> str:
    return f"""
[meeting]
title = "Sign-in <i>night</i> & café"
date = 2026-12-01
start = "18:00"
timezone = "Europe/London"

[[item]]
title = "Discussion"
minutes = 30
kind = "discussion"
{monitoring}
"""


HOSTILE = f"""
[[monitoring]]
key = "age"
label = {json.dumps(LABEL, ensure_ascii=False)}
options = {json.dumps(OPTIONS, ensure_ascii=False)}

[[monitoring]]
key = "carer"
label = "Do you look after someone?"
options = ["Yes", "No"]
"""


def _many_long_questions() -> str:
    """Twelve questions of twenty long answers each: the most an agenda may ask."""
    tables = []
    for number in range(12):
        options = [
            f"Answer {n} of question {number}, a long answer of many words" for n in range(20)
        ]
        tables.append(
            f'[[monitoring]]\nkey = "q{number}"\nlabel = "Question {number} with twenty answers"\n'
            f"options = {json.dumps(options)}\n"
        )
    return "\n".join(tables)


def _database(tmp_path: Path, code: str, monitoring: str) -> str:
    path = tmp_path / f"{code}.sqlite3"
    database = Database.open(f"sqlite:///{path}", migrate=True)
    with database.write() as session:
        meetings.create_meeting(session, agenda=parse_agenda(_agenda(monitoring)), code=code)
    database.close()
    return str(path)


@pytest.fixture
def db_file(tmp_path: Path) -> str:
    return _database(tmp_path, "signcode23", HOSTILE)


def cards(db_file: str, *args: str, code: str = "signcode23") -> int:
    base = ["--db", db_file, "cards", code, "--public-url", "https://meet.example.org"]
    return main([*base, *args])


def next_card_number(db_file: str) -> int:
    """The number the next print run would start from (reserving it: call once, at the end)."""
    database = Database.open(f"sqlite:///{db_file}")
    with database.write() as session:
        (number,) = reserve_card_numbers(session, 1)
    database.close()
    return number


# What a clerk types, in ``reach add``'s order: --area, --name, then --answer per question.
IN_ORDER = [
    SIGN_IN_HEADING,
    "Area or postcode district (optional)",
    "First name (optional)",
    f"{LABEL} (age)",
    *OPTIONS,
    "Prefer not to say",
    "Do you look after someone? (carer)",
    "Yes",
    "No",
    "Prefer not to say",
    "kept apart from your ideas and comments and are never linked to them",
]


def _in_order(text: str, left_out: str = "") -> None:
    at = 0
    for expected in IN_ORDER:
        expected = " ".join(expected.replace(left_out, "").split()) if left_out else expected
        found = text.find(expected, at)
        assert found >= 0, (expected, text[at:])
        at = found + len(expected)


def test_html_sign_in_cards_read_back(db_file, tmp_path, capsys):
    output = tmp_path / "signin.html"
    assert cards(db_file, "-o", str(output), "--ideas", "0", "--sign-in", "3") == 0
    err = capsys.readouterr().err
    assert "3 sign-in cards (no card number)" in err and "C-0" not in err
    page = output.read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Under 25 &lt;b&gt;" in page and "<i>night" not in page
    parser = _Cards()
    parser.feed(page)
    assert len(parser.cards) == 3
    for card in parser.cards:
        text = "".join(card)
        _in_order(text)
        assert "[bold]Your age[/bold]" in text and "[red]25 to 64[/red]" in text
        assert "Ελλάδα café" in text and "🎉" in text and "Sign-in <i>night</i> & café" in text
        assert "Card " not in text and "C-0" not in text  # unnumbered
        assert URL in text
    assert _qr_from_path(parser.qr_paths[0]) == qr_modules(URL)
    assert next_card_number(db_file) == 1  # the card counter untouched


def test_pdf_sign_in_cards_read_back(db_file, tmp_path, capsys):
    output = tmp_path / "signin.pdf"
    args = ["-o", str(output), "--ideas", "1", "--comments", "1", "--sign-in", "2", "--size", "a6"]
    assert cards(db_file, *args) == 0
    err = capsys.readouterr().err
    assert "1 idea and 1 comment cards, C-0001 to C-0002, plus 2 sign-in cards" in err
    reader = PdfReader(io.BytesIO(output.read_bytes()))
    assert len(reader.pages) == 4
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert "Card C-0001" in pages[0] and "Card C-0002" in pages[1]
    for text in pages[2:]:
        unicode_font = find_font().regular is not None
        if unicode_font:
            _in_order(text, left_out="🎉")  # no glyph in the font: left out, and said
            assert "Ελλάδα café" in text
        assert "<script>alert(1)</script> [bold]Your age[/bold] & more (age)" in text
        assert "Under 25 <b>" in text and "[red]25 to 64[/red]" in text
        assert "Card" not in text and "C-0" not in text and URL in text
    if find_font().regular is not None:
        assert "no glyph for 🎉" in err
    assert next_card_number(db_file) == 3  # only the idea and comment cards took numbers


def test_only_sign_in_cards_take_none_of_the_card_counter(db_file, tmp_path, capsys):
    for run in range(2):
        output = tmp_path / f"signin{run}.pdf"
        assert cards(db_file, "-o", str(output), "--ideas", "0", "--sign-in", "20") == 0
        assert len(PdfReader(str(output)).pages) == 20
    assert "20 sign-in cards (no card number)" in capsys.readouterr().err
    database = Database.open(f"sqlite:///{db_file}")
    with database.read() as session:
        from sqlmodel import select

        from meetingtui.domain.models import Counter, Event

        assert session.get(Counter, "card") is None  # no card row made, nothing counted
        kinds = session.exec(select(Event.kind)).all()
    database.close()
    assert "cards.printed" not in kinds
    assert next_card_number(db_file) == 1


def test_refused_when_the_agenda_asks_no_monitoring_questions(tmp_path, capsys):
    db_file = _database(tmp_path, "plaincode23", "")
    output = tmp_path / "signin.pdf"
    assert cards(db_file, "-o", str(output), "--sign-in", "5", code="plaincode23") == 2
    err = capsys.readouterr().err
    assert "plaincode23's agenda declares no monitoring questions" in err
    assert "[[monitoring]]" in err and "community_workshop.toml" in err
    assert "Traceback" not in err and not output.exists()
    assert next_card_number(db_file) == 1  # the 20 idea cards asked for too: no number used
    assert cards(db_file, "-o", str(output), "--ideas", "1", code="plaincode23") == 0


def test_questions_with_no_room_on_the_card_are_refused(tmp_path, capsys):
    db_file = _database(tmp_path, "bigcode234", _many_long_questions())
    output = tmp_path / "signin.pdf"
    args = ["-o", str(output), "--ideas", "2", "--sign-in", "1", "--size", "a6"]
    assert cards(db_file, *args, code="bigcode234") == 2
    err = capsys.readouterr().err
    assert "no room for all the monitoring questions on an A6 page" in err
    assert "'Question 0 with twenty answers' (q0, 20 answers) takes the most room" in err
    assert "--size a5" in err and "Traceback" not in err and not output.exists()
    html = tmp_path / "signin.html"
    assert cards(db_file, "-o", str(html), "--sign-in", "1", code="bigcode234") == 2
    assert "on an A5 page" in capsys.readouterr().err and not html.exists()
    assert next_card_number(db_file) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ideas", "0", "--sign-in", "0"], "give --ideas, --comments or --sign-in above 0"),
        (["--sign-in", "1001"], "give between 0 and 1000 cards"),
        (["--sign-in", "many"], "'many' is not a whole number"),
    ],
)
def test_bad_sign_in_counts_are_exit_2(db_file, tmp_path, capsys, args, message):
    output = tmp_path / "signin.pdf"
    try:
        code = cards(db_file, "-o", str(output), *args)
    except SystemExit as exit_:  # argparse's own refusal
        code = int(exit_.code or 0)
    assert code == 2
    assert message in capsys.readouterr().err and not output.exists()
    assert next_card_number(db_file) == 1


def _big_sheet(size: str) -> CardSheet:
    """A question of twenty long answers (one too long for a line of its own) and four more:
    more than the card holds in its usual print."""
    longest = "Somewhere else in the borough, or outside it, or nowhere in particular at all"
    questions = [
        Question("age", "Your age", ("Under 25", "25 to 44", "45 to 64", "65 or over")),
        Question(
            "neighbourhood",
            "Which part of town do you live in, or nearest to?",
            (
                *(f"Neighbourhood {n} by the old river and the long road" for n in range(19)),
                longest,
            ),
        ),
        *(Question(f"q{n}", f"Another question {n}", ("Yes", "No", "Sometimes")) for n in range(4)),
    ]
    return CardSheet(
        meeting_title="Our health and care plan: the East locality listening event",
        meeting_date="2026-12-03",
        topics=[],
        join_url=URL,
        size=size,
        sign_ins=2,
        questions=questions,
    )


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return (
        ax < bx + bw - 0.01 and bx < ax + aw - 0.01 and ay < by + bh - 0.01 and by < ay + ah - 0.01
    )


@pytest.mark.parametrize("size", ["a6", "a5"])
def test_a_large_question_shrinks_to_fit_above_the_qr_code(size):
    sheet = _big_sheet(size)
    font = find_font()
    layout = sign_in_layout(sheet, font)
    assert layout.font < 1 and layout.qr  # it needed the smaller print, and keeps the QR code
    usual = _CardPDF(sheet, font)  # ... for in the usual print it runs past the QR code's line
    usual.sign_in_form(SIGN_IN_LAYOUTS[0])
    assert usual.get_y() > usual.sign_in_limit(SIGN_IN_LAYOUTS[0])
    # The layout's boxes: inside the margins, above the QR code's line, none on another.
    drawing = _CardPDF(sheet, font)
    drawing.sign_in_form(layout)
    boxes = [box[1:] for box in drawing.drawn]
    assert len(boxes) == 2 + 1 + sum(len(q.options) + 2 for q in sheet.questions)
    for x, y, width, height in boxes:
        assert drawing.pad - 0.01 <= x and x + width <= drawing.w - drawing.pad + 0.6
        assert y + height <= drawing.foot_line - 1
    for index, box in enumerate(boxes):
        assert not any(_overlap(box, other) for other in boxes[index + 1 :]), drawing.drawn[index]
    # Read back from the PDF: every row of the form above the line over the QR code, rows
    # apart by at least their font size, the foot below it.
    reader = PdfReader(io.BytesIO(cards_pdf(sheet, font)))
    assert len(reader.pages) == 2
    for page in reader.pages:
        rows = _text_rows(page)
        foot = [row for row in rows if row[2].startswith(("Or use your phone", "https://"))]
        form = [row for row in rows if row not in foot]
        assert foot and form
        assert all(0 < top < drawing.foot_line for top, _, _ in form)
        assert all(drawing.foot_line < top < drawing.h for top, _, _ in foot)
        tops = sorted({round(top, 2) for top, _, _ in form})
        smallest = min(size for _, size, _ in form) * 25.4 / 72
        assert min(b - a for a, b in zip(tops, tops[1:], strict=False)) >= smallest
        text = " ".join(page.extract_text().split())
        assert "Neighbourhood 18 by the old river" in text and "Another question 3 (q3)" in text


def test_an_answer_too_long_for_a_line_wraps_beside_its_box():
    """An answer as long as an agenda allows (80 characters), on A6 in the usual print, is
    wrapped onto a second line inside the margin; the next answer starts below it."""
    longest = "WORKING FULL-TIME OR PART-TIME AS AN EMPLOYEE OR SELF-EMPLOYED, OR A VOLUNTEER"
    assert len(longest) <= 80
    sheet = _big_sheet("a6")
    sheet.questions = [Question("where", "Where?", ("Here", longest, "There"))]
    drawing = _CardPDF(sheet, find_font())
    drawing.sign_in_form(SIGN_IN_LAYOUTS[0])
    here, wrapped, there = [box for box in drawing.drawn if box[0] in ("Here", longest, "There")]
    line = 5 * drawing.scale
    assert wrapped[4] == pytest.approx(2 * line)  # two lines of text
    assert wrapped[1] + wrapped[3] <= drawing.w - drawing.pad + 0.01  # inside the margin
    assert wrapped[2] >= here[2] + line and there[2] >= wrapped[2] + wrapped[4] - 0.01


def test_the_html_sign_in_card_prints_at_the_pdf_measured_size(tmp_path):
    from meetingtui.export.cards import cards_html

    page = cards_html(_big_sheet("a6"))
    assert page.count('class="card signin-card" style="font-size: ') == 2
    assert f"font-size: {sign_in_layout(_big_sheet('a6'), find_font()).font * 100:g}%" in page


def test_without_a_unicode_font_the_questions_print_and_the_loss_is_said(db_file):
    database = Database.open(f"sqlite:///{db_file}")
    with database.write() as session:
        from meetingtui.export.cards import card_sheet

        meeting = meetings.find_meeting(session, "signcode23")
        sheet = card_sheet(session, meeting=meeting, join_url=URL, ideas=0, comments=0, sign_ins=1)
    database.close()
    plain = CardFont(None, None)
    assert "Ε" in font_warning(sheet, plain) and "print as ?" in font_warning(sheet, plain)
    text = " ".join(PdfReader(io.BytesIO(cards_pdf(sheet, plain))).pages[0].extract_text().split())
    assert "<script>alert(1)</script> [bold]Your age[/bold]" in text and "café" in text
    assert "Help us see who we're reaching - optional" in text


@pytest.mark.parametrize("size", ["a6", "a5"])
def test_the_html_sign_in_card_keeps_its_qr_code_on_the_card(tmp_path, size: str) -> None:
    """In headless Chromium: the sample's questions and the large question both print whole
    (nothing clipped) with the QR code inside the card's margin."""
    from meetingtui.export.cards import cards_html
    from tests.export.card_pages import measure_cards

    small = _big_sheet(size)
    small.questions = small.questions[:1] + [
        Question("carer", "Do you look after someone?", ("Yes", "No"))
    ]
    pages = []
    for name, sheet in (("sample", small), ("large", _big_sheet(size))):
        path = tmp_path / f"{name}.html"
        path.write_text(cards_html(sheet), encoding="utf-8")
        pages.append(path)
    measure = """() => [...document.querySelectorAll('.card')].map(card => {
        const box = card.getBoundingClientRect();
        const foot = card.querySelector('.foot').getBoundingClientRect();
        const qr = card.querySelector('.qr');
        return {over: card.scrollHeight - card.clientHeight, foot: box.bottom - foot.bottom,
                qr: qr ? qr.getBoundingClientRect().height : 0};
    })"""
    found = measure_cards(pages, measure)
    px_per_mm = 96 / 25.4
    for name, measured in found.items():
        assert len(measured) == 2
        for card in measured:
            assert card["over"] <= 0, (name, card)  # nothing clipped
            assert card["foot"] >= 3 * px_per_mm, (name, card)  # inside the card's margin
            assert card["qr"] >= 19 * px_per_mm, (name, card)  # the QR code, full size


def test_a_card_is_typed_straight_in_with_reach_add(db_file, tmp_path, capsys):
    """Each answer as the card prints it, "Prefer not to say" too, is taken by ``reach add``
    under the key printed beside its question."""
    output = tmp_path / "signin.html"
    assert cards(db_file, "-o", str(output), "--ideas", "0", "--sign-in", "1") == 0
    page = output.read_text(encoding="utf-8")
    for answer in [*OPTIONS, "Prefer not to say"]:
        assert escape(answer, quote=False) in page
        typed = ["--area", "E17", "--name", "Sam", "--answer", f"age={answer}"]
        assert main(["--db", db_file, "reach", "add", "signcode23", *typed]) == 0
    assert main(["--db", db_file, "reach", "add", "signcode23", "--answer", "carer=No"]) == 0
    assert "(6 in all)" in capsys.readouterr().out
