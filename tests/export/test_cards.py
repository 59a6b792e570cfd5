"""Printable cards (``meetingtui cards``): HTML and PDF read back, numbers never printed twice,
people's words printed literally, clear errors (exit 2)."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from meetingtui.agenda.loader import parse_agenda
from meetingtui.cli import main
from meetingtui.domain import meetings
from meetingtui.domain.cards import reserve_card_numbers
from meetingtui.domain.vocab import BENEFITS, SCALES, STAKEHOLDERS
from meetingtui.export.cards import card_sheet, qr_modules
from meetingtui.export.cards_pdf import CardFont, cards_pdf, find_font, font_warning
from meetingtui.store.database import Database

TITLE = 'Café <b>night</b> & "quotes" 🎉 Ελλάδα'
TOPICS = ["Play <i>areas</i>", "Niños y café", "Safety 🚦"]
AGENDA = f"""
[meeting]
title = {json.dumps(TITLE, ensure_ascii=False)}
date = 2026-12-01
start = "18:00"
timezone = "Europe/London"
topics = {json.dumps(TOPICS, ensure_ascii=False)}

[[item]]
title = "Discussion"
minutes = 30
kind = "discussion"
"""
URL = "https://meet.example.org/m/cardcode23"


@pytest.fixture
def db_file(tmp_path: Path) -> str:
    path = tmp_path / "cards.sqlite3"
    database = Database.open(f"sqlite:///{path}", migrate=True)
    with database.write() as session:
        meetings.create_meeting(session, agenda=parse_agenda(AGENDA), code="cardcode23")
    database.close()
    return str(path)


def cards(db_file: str, *args: str) -> int:
    base = ["--db", db_file, "cards", "cardcode23", "--public-url", "https://meet.example.org"]
    return main([*base, *args])


class _Cards(HTMLParser):
    """Each card's text, and its QR code's path."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[list[str]] = []
        self.qr_paths: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "section":
            self.cards.append([])
        if tag == "path" and self.cards:
            self.qr_paths.append(attributes["d"] or "")
        self.in_style = tag == "style"

    def handle_endtag(self, tag) -> None:
        self.in_style = False

    def handle_data(self, data) -> None:
        if self.cards and not self.in_style:
            self.cards[-1].append(data)


def _qr_from_path(path: str) -> list[list[bool]]:
    cells = {tuple(map(int, move[1:].split(","))) for move in path.split("h1v1h-1z") if move}
    size = max(max(x, y) for x, y in cells) + 5  # the quiet zone of four, after the last dark
    return [[(x, y) in cells for x in range(size)] for y in range(size)]


def test_html_cards_have_every_field_number_qr_and_literal_text(db_file, tmp_path, capsys):
    output = tmp_path / "cards.html"
    args = ["-o", str(output), "--ideas", "2", "--comments", "1", "--size", "a6"]
    assert cards(db_file, *args) == 0
    assert "C-0001 to C-0003" in capsys.readouterr().err
    page = output.read_text(encoding="utf-8")
    assert "size: A6" in page and "<b>night" not in page and "&lt;b&gt;night" in page
    parser = _Cards()
    parser.feed(page)
    texts = ["".join(card) for card in parser.cards]
    assert len(texts) == 3
    for number, text in zip(("C-0001", "C-0002"), texts[:2], strict=True):
        assert f"Card {number}" in text
        assert TITLE in text and URL in text
        for label in [*STAKEHOLDERS.values(), *SCALES.values(), *BENEFITS.values(), *TOPICS]:
            assert label in text
        assert "Publish my name" in text and "Organisation" in text and "affect" in text
    assert "Card C-0003" in texts[2] and "Comment on idea" in texts[2]
    assert _qr_from_path(parser.qr_paths[0]) == qr_modules(URL)  # the join URL, exactly


def test_pdf_cards_read_back(db_file, tmp_path, capsys):
    output = tmp_path / "cards.pdf"
    assert cards(db_file, "-o", str(output), "--ideas", "2", "--comments", "1") == 0
    err = capsys.readouterr().err
    assert "Font " not in err  # fpdf2's own log line: said in plain words instead
    if find_font().regular is not None:
        assert "no glyph for 🎉 🚦" in err
    reader = PdfReader(io.BytesIO(output.read_bytes()))
    assert len(reader.pages) == 3
    pages = [page.extract_text() for page in reader.pages]
    assert "Card C-0001" in pages[0] and "Card C-0002" in pages[1] and "Card C-0003" in pages[2]
    flat = [" ".join(text.split()) for text in pages]
    for text in flat[:2]:
        assert URL in text and "Café <b>night</b>" in text and "Play <i>areas</i>" in text
        assert "Niños y café" in text
        for label in ["Resident", "Quick win", "Major change", "Equity", "Publish my name"]:
            assert label in text
    assert "Comment on idea" in flat[2] and URL in flat[2]
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width) / 72 * 25.4), round(float(height) / 72 * 25.4)) == (148, 210)


def test_two_print_runs_never_share_a_number(db_file, tmp_path, capsys):
    assert cards(db_file, "-o", str(tmp_path / "a.html"), "--ideas", "3") == 0
    assert cards(db_file, "-o", str(tmp_path / "b.pdf"), "--ideas", "2", "--size", "a6") == 0
    err = capsys.readouterr().err
    assert "C-0001 to C-0003" in err and "C-0004 to C-0005" in err
    second = " ".join(p.extract_text() for p in PdfReader(str(tmp_path / "b.pdf")).pages)
    assert "C-0004" in second and "C-0005" in second and "C-0001" not in second


def test_reserved_numbers_follow_on_postgresql_too(any_database):
    with any_database.write() as session:
        first = reserve_card_numbers(session, 3)
    with any_database.write() as session:
        second = reserve_card_numbers(session, 2)
    assert (first, second) == ([1, 2, 3], [4, 5])


def test_numbers_typed_in_by_hand_are_never_printed_again(any_database):
    """A card from another database's run (or a number made up at the table) typed in at the
    console: the next print run follows on from it, so no two ideas can share a number."""
    from meetingtui.domain.cards import capture_card_idea
    from meetingtui.domain.ideas import IdeaInput

    with any_database.write() as session:
        meeting = meetings.create_meeting(session, agenda=parse_agenda(AGENDA), code="handcode23")
        capture_card_idea(
            session, meeting_id=meeting.id, data=IdeaInput(title="Benches"), card_number=500
        )
    with any_database.write() as session:
        assert reserve_card_numbers(session, 3) == [501, 502, 503]
    with any_database.write() as session:
        capture_card_idea(
            session, meeting_id=meeting.id, data=IdeaInput(title="Lights"), card_number=7
        )
        assert reserve_card_numbers(session, 2) == [504, 505]  # a number below: nothing moves


def test_without_a_unicode_font_the_pdf_says_what_it_cannot_print(db_file):
    database = Database.open(f"sqlite:///{db_file}")
    with database.write() as session:
        meeting = meetings.find_meeting(session, "cardcode23")
        sheet = card_sheet(session, meeting=meeting, join_url=URL, ideas=1, comments=0)
    database.close()
    plain = CardFont(None, None)
    warning = font_warning(sheet, plain)
    assert "Ελλάδα" not in warning or "print as ?" in warning
    assert "fonts-dejavu-core" in warning
    text = PdfReader(io.BytesIO(cards_pdf(sheet, plain))).pages[0].extract_text()
    assert "Café <b>night</b>" in " ".join(text.split())  # Latin-1 accents survive
    if find_font().regular is not None:
        assert font_warning(sheet, find_font()) == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "cards.txt"], "ending .html"),
        (["-o", "missing/cards.pdf"], "does not exist"),
        (["-o", "cards.pdf", "--ideas", "0"], "Nothing to print"),
    ],
)
def test_bad_output_is_a_clear_error(db_file, tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    assert cards(db_file, *args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "cards.pdf").exists()


def test_unknown_meeting_is_exit_2(db_file, tmp_path, capsys):
    assert main(["--db", db_file, "cards", "nosuch", "-o", str(tmp_path / "c.pdf")]) == 2
    assert "No meeting with code or id 'nosuch'" in capsys.readouterr().err
    assert not (tmp_path / "c.pdf").exists()


def test_the_record_of_ideas_received_outside_meetings_gets_no_cards(db_file, tmp_path, capsys):
    """Found trying it: its join address answers as an unknown code, so its cards led nowhere."""
    from meetingtui.domain.intake import intake_record
    from meetingtui.domain.programmes import programme_for_name

    database = Database.open(f"sqlite:///{db_file}")
    with database.write() as session:
        code = intake_record(session, programme_for_name(session, "default")).code
    database.close()
    assert main(["--db", db_file, "cards", code, "-o", str(tmp_path / "c.pdf")]) == 2
    assert "received outside meetings" in capsys.readouterr().err
    assert not (tmp_path / "c.pdf").exists()


def test_a_typed_in_card_shows_its_number_in_idea_ref(db_file, capsys):
    from meetingtui.domain.cards import capture_card_idea
    from meetingtui.domain.ideas import IdeaInput

    database = Database.open(f"sqlite:///{db_file}")
    with database.write() as session:
        meeting = meetings.find_meeting(session, "cardcode23")
        meetings.start_meeting(session, meeting_id=meeting.id)
        idea = capture_card_idea(
            session, meeting_id=meeting.id, data=IdeaInput(title="Benches"), card_number=137
        )
        assert idea.channel == "card"
    database.close()
    assert main(["--db", db_file, "idea", "cardcode23/I-0001"]) == 0
    out = capsys.readouterr().out
    assert "Card: C-0137" in out and "Channel: card" in out


def test_a_mistyped_database_is_refused_and_never_made(tmp_path, capsys):
    """Found by a reviewer: ``cards`` with a mistyped --db left an empty database behind."""
    missing = tmp_path / "typo.sqlite3"
    assert main(["--db", str(missing), "cards", "cardcode23", "-o", str(tmp_path / "c.pdf")]) != 0
    assert "There is no database" in capsys.readouterr().err
    assert not missing.exists()


def _text_rows(page) -> list[tuple[float, float, str]]:  # noqa: ANN001 - a pypdf page
    """(baseline from the page's top in mm, font size in pt, text) of every piece of text."""
    height = float(page.mediabox.height)
    found: list[tuple[float, float, str]] = []

    def seen(text, _cm, matrix, _font, size) -> None:  # noqa: ANN001
        if text.strip():
            found.append(((height - matrix[5]) * 25.4 / 72, size, text.strip()))

    page.extract_text(visitor_text=seen)
    return found


@pytest.mark.parametrize("size", ["a6", "a5"])
@pytest.mark.parametrize("topics", [0, 2, 6, 30])
def test_the_pdf_idea_card_fits_its_page_above_the_qr_code(size: str, topics: int) -> None:
    """Found by review: the A6 card overflowed. The layout drew in points where it meant
    millimetres (a third of the card, lines of text on top of each other), and six topics ran
    past the QR code's line once drawn to scale. Read back: one page per card, every row of
    the form above the line over the QR code, rows apart by at least their font size."""
    from meetingtui.export.cards import CardSheet
    from meetingtui.export.cards_pdf import _CardPDF

    sheet = CardSheet(
        meeting_title="Our health and care plan: the East locality listening event " * 2,
        meeting_date="2026-12-03",
        topics=[f"Topic number {n} about buses" for n in range(topics)],
        join_url=URL,
        size=size,
        idea_numbers=[1, 2],
        comment_numbers=[3],
    )
    font = find_font()
    reader = PdfReader(io.BytesIO(cards_pdf(sheet, font)))
    assert len(reader.pages) == 3
    line = _CardPDF(sheet, font).foot_line  # mm from the top: the line above the QR code
    width, height = sheet.page_size
    for page in reader.pages:
        assert float(page.mediabox.height) * 25.4 / 72 == pytest.approx(height, abs=0.1)
        rows = _text_rows(page)
        foot = [row for row in rows if row[2].startswith(("Or use your phone", "https://"))]
        form = [row for row in rows if row not in foot]
        assert foot and form
        assert all(0 < top < line for top, _, _ in form), (size, topics)
        assert all(line < top < height for top, _, _ in foot)
        tops = sorted({round(top, 2) for top, _, _ in form})
        smallest = min(size for _, size, _ in form) * 25.4 / 72
        assert min(b - a for a, b in zip(tops, tops[1:], strict=False)) >= smallest  # no overlap
    texts = " ".join(page.extract_text() for page in reader.pages)
    if topics <= 2:
        assert all(f"Topic number {n} about buses" in texts for n in range(topics))
    else:  # too many for tick boxes on this card: a line to write the topic on instead
        assert "Topic (one of the meeting's)" in texts or "Topic number 5" in texts


@pytest.mark.parametrize("size", ["a6", "a5"])
def test_the_html_idea_card_keeps_its_qr_code_on_the_card(tmp_path, size: str) -> None:
    """The HTML cards hold what the PDF's do: with many topics nothing is cut off (the card
    clips what overflows) and every line keeps a height to write on; in headless Chromium."""
    from meetingtui.export.cards import CardSheet, cards_html
    from tests.export.card_pages import measure_cards

    pages = []
    for topics in (0, 2, 6, 30):
        sheet = CardSheet(
            meeting_title="Our health and care plan: the East locality listening event " * 2,
            meeting_date="2026-12-03",
            topics=[f"Topic number {n} about buses" for n in range(topics)],
            join_url=URL,
            size=size,
            idea_numbers=[1],
            comment_numbers=[2],
        )
        path = tmp_path / f"cards-{topics}.html"
        path.write_text(cards_html(sheet), encoding="utf-8")
        pages.append(path)
    measure = """() => [...document.querySelectorAll('.card')].map(card => {
        const box = card.getBoundingClientRect();
        const foot = card.querySelector('.foot').getBoundingClientRect();
        const lines = [...card.querySelectorAll('.line')].map(l => l.getBoundingClientRect());
        return {over: card.scrollHeight - card.clientHeight, foot: box.bottom - foot.bottom,
                line: Math.min(...lines.map(l => l.height))};
    })"""
    found = measure_cards(pages, measure)
    px_per_mm = 96 / 25.4
    for name, measured in found.items():
        for card in measured:
            assert card["over"] <= 0, (name, card)  # nothing clipped
            assert card["foot"] >= 3 * px_per_mm, (name, card)  # inside the card's margin
            assert card["line"] >= 3.5 * px_per_mm, (name, card)  # room to write on


@pytest.mark.parametrize(
    "url",
    [
        "meet.example.org",
        "https://",
        "https://meet example.org",
        'https://meet.example.org/"><script>',
        "javascript:alert(1)",
        "https://meet.example.org:99999",
        "",
    ],
)
def test_a_bad_public_url_is_refused_and_nothing_is_printed(db_file, tmp_path, capsys, url):
    output = tmp_path / "c.html"
    assert main(["--db", db_file, "cards", "cardcode23", "-o", str(output), "--public-url", url])
    err = capsys.readouterr().err
    assert f"--public-url {url!r}: give the address attendees open, starting https://" in err
    assert "Traceback" not in err and not output.exists()
    assert cards(db_file, "-o", str(output), "--ideas", "1") == 0  # no number was used up
    assert "C-0001 to C-0001" in capsys.readouterr().err


def test_without_a_public_url_the_cards_say_which_address_they_point_to(db_file, tmp_path, capsys):
    from meetingtui.web.server import lan_address

    output = tmp_path / "c.html"
    assert main(["--db", db_file, "cards", "cardcode23", "-o", str(output), "--ideas", "1"]) == 0
    err = capsys.readouterr().err
    url = f"http://{lan_address()}:8765/m/cardcode23"
    assert f"joining at {url} (this machine's address on the network and port 8765" in err
    assert "where `meetingtui run` starts when that port is free" in err
    assert "print them with --public-url" in err and url in output.read_text()
    args = ["--db", db_file, "cards", "cardcode23", "-o", str(output), "--port", "18301"]
    assert main(args) == 0
    assert f"{lan_address()}:18301/m/cardcode23 (this machine's" in capsys.readouterr().err
    assert cards(db_file, "-o", str(output)) == 0
    assert f"joining at {URL} (from --public-url)" in capsys.readouterr().err
