"""The printable cards as a PDF (fpdf2): one card per A5 or A6 page, black and white.

Text is drawn as text, never interpreted (no markup), so a meeting's title or topic prints as
typed. A Unicode TrueType font is needed for text beyond Latin-1 (Greek, Cyrillic, ``≠``…):
``MEETINGTUI_CARD_FONT`` names one, else the first common system font found (DejaVu Sans,
Liberation Sans, Noto Sans, Arial). Without any, the PDF uses the built-in Helvetica and
characters it cannot draw print as ``?``; ``font_warning`` says so, and the CLI prints it.
Colour emoji print only as far as the font has a glyph for them (HTML cards show them).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

from meetingtui.domain.cards import format_card_number
from meetingtui.domain.vocab import BENEFITS, SCALES, STAKEHOLDERS
from meetingtui.export.cards import (
    AFFECTS_QUESTION,
    BENEFITS_QUESTION,
    COMMENT_QUESTION,
    COMMENT_REF_QUESTION,
    DETAIL_QUESTION,
    LAYOUTS,
    NAME_QUESTION,
    ORGANISATION_QUESTION,
    PUBLISH_TICK,
    SCALE_QUESTION,
    SIGN_IN_AREA,
    SIGN_IN_HEADING,
    SIGN_IN_LAYOUTS,
    SIGN_IN_NAME,
    SIGN_IN_SMALL_PRINT,
    STAKEHOLDER_QUESTION,
    TITLE_QUESTION,
    TOPIC_QUESTION,
    TOPIC_WRITE_QUESTION,
    CardSheet,
    IdeaCardLayout,
    SignInDoesNotFit,
    SignInLayout,
    qr_modules,
    sign_in_options,
    sign_in_question,
)

FONT_ENV = "MEETINGTUI_CARD_FONT"
_FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("/Library/Fonts/Arial Unicode.ttf", ""),
    ("/System/Library/Fonts/Supplemental/Arial.ttf", "Arial Bold.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "arialbd.ttf"),
)


@dataclass(frozen=True)
class CardFont:
    regular: Path | None  # None: the built-in Helvetica (Latin-1 only)
    bold: Path | None


def find_font() -> CardFont:
    """The Unicode font the cards print in (see the module's docstring)."""
    chosen = os.environ.get(FONT_ENV, "").strip()
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"{FONT_ENV}={chosen}: no such font file")
        return CardFont(path, None)
    for regular, bold in _FONT_CANDIDATES:
        path = Path(regular)
        if path.is_file():
            bold_path = path.with_name(bold) if bold else None
            return CardFont(path, bold_path if bold_path and bold_path.is_file() else None)
    return CardFont(None, None)


def font_warning(sheet: CardSheet, font: CardFont) -> str:
    """What the PDF cannot print as typed with the built-in font; empty when all is fine."""
    if font.regular is not None:
        return ""
    texts = [sheet.meeting_title, sheet.join_url, *sheet.topics]
    if sheet.sign_ins:
        texts += [text for q in sheet.questions for text in (q.label, *q.options)]
    lost = sorted({char for text in texts for char in text if ord(char) > 0xFF})
    if not lost:
        return ""
    return (
        f"No Unicode font found, so {''.join(lost)} print as ?. Install DejaVu Sans"
        f" (Debian: fonts-dejavu-core), set {FONT_ENV}=/path/to/font.ttf, or print the"
        " HTML cards (-o cards.html)."
    )


FOOT_GAP = 2.0  # millimetres (A5; scaled) between the form and the line above the QR code


class _CardPDF(FPDF):
    # Not ``k``: that is FPDF's own points per unit; setting it drew the whole card in points,
    # a third of its size with its lines of text overlapping (found by review).
    scale: float

    def __init__(
        self, sheet: CardSheet, font: CardFont, layout: IdeaCardLayout | None = None
    ) -> None:
        width, height = sheet.page_size
        super().__init__(unit="mm", format=(width, height))
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)
        self.sheet = sheet
        self.small = sheet.size == "a6"
        self.scale = width / 148.0  # everything is laid out for A5 and scaled
        self.pad = 8 * self.scale
        self.size_pt = 7.0 if self.small else 10.0
        self.unicode = font.regular is not None
        if font.regular is not None:
            self.add_font("card", "", str(font.regular))
            self.add_font("card", "B", str(font.bold or font.regular))
            self.family = "card"
        else:
            self.family = "helvetica"
        self.set_title(f"Cards: {self.clean(sheet.meeting_title)}")
        self.set_creator("meetingtui")
        self.qr = qr_modules(sheet.join_url)
        self.layout = layout or LAYOUTS[0]
        self.fit = 1.0  # the sign-in form's text and spacing, shrunk to fit (SignInLayout)
        # What the form drew, as (text, x, y, width, height) in mm: tick boxes with their
        # labels and questions (checked against each other and the foot by the tests).
        self.drawn: list[tuple[str, float, float, float, float]] = []

    def clean(self, text: str) -> str:
        if self.unicode:
            return text
        return text.encode("latin-1", "replace").decode("latin-1")

    @property
    def inner_width(self) -> float:
        return self.w - 2 * self.pad

    def text_font(self, *, bold: bool = False, scale: float = 1.0) -> None:
        self.set_font(self.family, "B" if bold else "", self.size_pt * scale * self.fit)

    def head(self, kind: str, number: int) -> None:
        self.add_page()
        self.set_xy(self.pad, self.pad)
        self.text_font(bold=True, scale=1.15)
        self.cell(self.inner_width * 0.6, 6 * self.scale, kind)
        self.set_x(self.pad)
        self.cell(self.inner_width, 6 * self.scale, f"Card {format_card_number(number)}", align="R")
        self.ln(6 * self.scale)
        self.set_line_width(0.4)
        self.line(self.pad, self.get_y(), self.w - self.pad, self.get_y())
        self.ln(1.5 * self.scale)
        self.text_font(scale=0.9)
        when = f" · {self.sheet.meeting_date}" if self.sheet.meeting_date else ""
        self.set_x(self.pad)
        self.multi_cell(
            self.inner_width, 4.5 * self.scale, self.clean(self.sheet.meeting_title + when)
        )

    def question(self, text: str) -> None:
        self.ln(1.2 * self.scale * self.fit)
        self.set_x(self.pad)
        self.text_font(bold=True, scale=0.9)
        top = self.get_y()
        self.multi_cell(self.inner_width, 4.5 * self.scale * self.fit, self.clean(text))
        self.drawn.append((text, self.pad, top, self.inner_width, self.get_y() - top))

    def lines(self, count: int) -> None:
        self.set_line_width(0.25)
        step = 7 * self.scale * self.fit
        for _ in range(count):
            y = self.get_y() + step
            self.line(self.pad, y, self.w - self.pad, y)
            self.set_y(y)

    def ticks(self, labels: list[str]) -> None:
        """Tick boxes flowing along the line, wrapped at the margin; a label too long for a
        line of its own is wrapped onto as many lines as it needs, beside its box."""
        self.text_font(scale=0.9)
        fit = self.scale * self.fit
        box, gap, height = 3.2 * fit, 3.5 * fit, 5 * fit
        x, y = self.pad, self.get_y() + 0.8 * fit
        room = self.w - self.pad - (self.pad + box + 1 * fit)  # for a label on a line alone
        self.set_line_width(0.3)
        for label in labels:
            text = self.clean(label)
            text_width = self.get_string_width(text)
            width = box + 1 * fit + text_width
            if text_width + 0.5 > room:  # on lines of its own
                if x > self.pad:
                    y += height
                self.rect(self.pad, y + (height - box) / 2, box, box)
                self.set_xy(self.pad + box + 1 * fit, y)
                self.multi_cell(room, height, text)
                self.drawn.append((label, self.pad, y, self.inner_width, self.get_y() - y))
                x, y = self.w, self.get_y() - height  # the next label starts a new line
                continue
            if x > self.pad and x + width > self.w - self.pad:
                x, y = self.pad, y + height
            self.rect(x, y + (height - box) / 2, box, box)
            self.set_xy(x + box + 1 * fit, y)
            self.cell(text_width + 0.5, height, text)
            self.drawn.append((label, x, y, width + 0.5, height))
            x += width + gap
        self.set_y(y + height)

    @property
    def qr_size(self) -> float:
        return 20.0 if self.small else 28.0  # millimetres: scans from a phone at arm's length

    @property
    def foot_line(self) -> float:
        """Where the line above the QR code is drawn: the form ends above it."""
        return self.h - self.pad - self.qr_size - 2 * self.scale

    def foot(self) -> None:
        qr_size = self.qr_size
        top = self.h - self.pad - qr_size
        self.set_line_width(0.4)
        self.line(self.pad, self.foot_line, self.w - self.pad, self.foot_line)
        module = qr_size / len(self.qr)
        self.set_fill_color(0, 0, 0)
        for row_index, row in enumerate(self.qr):
            for col_index, dark in enumerate(row):
                if dark:
                    self.rect(
                        self.pad + col_index * module,
                        top + row_index * module,
                        module,
                        module,
                        style="F",
                    )
        left = self.pad + qr_size + 3 * self.scale
        self.set_xy(left, top + 2 * self.scale)
        self.text_font(scale=0.85)
        width = self.w - self.pad - left
        self.multi_cell(width, 4 * self.scale, "Or use your phone: scan the code or open")
        self.set_x(left)
        self.text_font(bold=True, scale=0.85)
        self.multi_cell(width, 4 * self.scale, self.clean(self.sheet.join_url))

    def idea_card(self, number: int) -> None:
        self.idea_form(number)
        self.foot()

    def idea_form(self, number: int) -> None:
        """The idea card above its foot, as ``layout`` has room for."""
        self.head("Your idea", number)
        self.question(TITLE_QUESTION)
        self.lines(1)
        self.question(DETAIL_QUESTION)
        self.lines(self.layout.detail_lines)
        self.question(NAME_QUESTION)
        self.lines(1)
        self.ticks([PUBLISH_TICK])
        self.question(ORGANISATION_QUESTION)
        self.lines(1)
        self.question(STAKEHOLDER_QUESTION)
        self.ticks(list(STAKEHOLDERS.values()))
        if self.sheet.topics and self.layout.topic_ticks:
            self.question(TOPIC_QUESTION)
            self.ticks(self.sheet.topics)
        elif self.sheet.topics:
            self.question(TOPIC_WRITE_QUESTION)
            self.lines(1)
        self.question(SCALE_QUESTION)
        self.ticks(list(SCALES.values()))
        self.question(BENEFITS_QUESTION)
        self.ticks(list(BENEFITS.values()))
        self.question(AFFECTS_QUESTION)
        self.lines(1)

    def fits(self) -> bool:
        """Whether the form ended above the QR code's line (with room to breathe)."""
        return self.get_y() + FOOT_GAP * self.scale <= self.foot_line

    def sign_in_form(self, layout: SignInLayout) -> dict[str, float]:
        """The sign-in card above its foot, at ``layout``'s size: no card number. Returns the
        height each monitoring question took (by key), to name the largest when none fits."""
        self.add_page()
        self.fit = layout.font
        self.drawn = []
        self.set_xy(self.pad, self.pad)
        self.text_font(bold=True, scale=1.15)
        # Our own words: the built-in font has no dash, so a hyphen rather than "?" there.
        heading = SIGN_IN_HEADING if self.unicode else SIGN_IN_HEADING.replace("—", "-")
        self.multi_cell(self.inner_width, 6 * self.scale * self.fit, self.clean(heading))
        self.set_line_width(0.4)
        self.line(self.pad, self.get_y(), self.w - self.pad, self.get_y())
        self.ln(1.5 * self.scale * self.fit)
        self.text_font(scale=0.9)
        when = f" · {self.sheet.meeting_date}" if self.sheet.meeting_date else ""
        self.set_x(self.pad)
        self.multi_cell(
            self.inner_width,
            4.5 * self.scale * self.fit,
            self.clean(self.sheet.meeting_title + when),
        )
        self.question(SIGN_IN_AREA)
        self.lines(1)
        self.question(SIGN_IN_NAME)
        self.lines(1)
        heights: dict[str, float] = {}
        for question in self.sheet.questions:
            top = self.get_y()
            self.question(sign_in_question(question))
            self.ticks(sign_in_options(question))
            heights[question.key] = self.get_y() - top
        self.ln(2 * self.scale * self.fit)
        self.set_x(self.pad)
        self.text_font(scale=0.75)
        top = self.get_y()
        self.multi_cell(
            self.inner_width,
            3.6 * self.scale * self.fit,
            self.clean(SIGN_IN_SMALL_PRINT),
            align="L",
        )
        self.drawn.append(
            (SIGN_IN_SMALL_PRINT, self.pad, top, self.inner_width, self.get_y() - top)
        )
        self.fit = 1.0
        return heights

    def url_line(self) -> float:
        """The height of the join URL printed alone at the foot (no room for the QR code)."""
        self.text_font(bold=True, scale=0.85)
        lines = self.multi_cell(
            self.inner_width,
            4 * self.scale,
            self.clean(f"Or use your phone: open {self.sheet.join_url}"),
            dry_run=True,
            output="LINES",
        )
        assert isinstance(lines, list)
        return len(lines) * 4 * self.scale

    def sign_in_limit(self, layout: SignInLayout) -> float:
        """Where the sign-in form must end (mm from the top): above the QR code's line, or
        above the URL alone."""
        if layout.qr:
            return self.foot_line - FOOT_GAP * self.scale
        return self.h - self.pad - self.url_line() - 2 * FOOT_GAP * self.scale

    def sign_in_card(self, layout: SignInLayout) -> None:
        self.sign_in_form(layout)
        if layout.qr:
            self.foot()
            return
        height = self.url_line()
        top = self.h - self.pad - height
        self.set_line_width(0.4)
        self.line(
            self.pad, top - FOOT_GAP * self.scale, self.w - self.pad, top - FOOT_GAP * self.scale
        )
        self.set_xy(self.pad, top)
        self.text_font(bold=True, scale=0.85)
        self.multi_cell(
            self.inner_width,
            4 * self.scale,
            self.clean(f"Or use your phone: open {self.sheet.join_url}"),
        )

    def comment_card(self, number: int) -> None:
        self.head("Your comment", number)
        self.question(COMMENT_REF_QUESTION)
        self.lines(1)
        self.question(COMMENT_QUESTION)
        self.lines(9)
        self.question(NAME_QUESTION)
        self.lines(1)
        self.foot()


def cards_pdf(
    sheet: CardSheet, font: CardFont | None = None, missing: list[str] | None = None
) -> bytes:
    """The cards as PDF bytes, one card per page. Characters the font has no glyph for (most
    emoji) are left out; they are appended to ``missing`` (fpdf2's own log line is kept quiet,
    so the CLI can say it in plain words)."""
    font = font or find_font()
    pdf = _CardPDF(sheet, font, idea_card_layout(sheet, font) if sheet.idea_numbers else None)
    for number in sheet.idea_numbers:
        pdf.idea_card(number)
    for number in sheet.comment_numbers:
        pdf.comment_card(number)
    if sheet.sign_ins:
        layout = sign_in_layout(sheet, font)
        for _ in range(sheet.sign_ins):
            pdf.sign_in_card(layout)
    quiet = logging.getLogger("fpdf")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        content = bytes(pdf.output())
    finally:
        quiet.setLevel(level)
    if missing is not None:
        for used in pdf.fonts.values():
            missing.extend(chr(code) for code in getattr(used, "missing_glyphs", ()))
    return content


def idea_card_layout(sheet: CardSheet, font: CardFont) -> IdeaCardLayout:
    """The fullest layout of ``LAYOUTS`` whose idea card fits above the QR code: each is drawn
    on a scratch PDF (text widths depend on the font) and measured."""
    scratch = _CardPDF(sheet, font)
    for layout in LAYOUTS:
        scratch.layout = layout
        scratch.idea_form(0)
        if scratch.fits():
            return layout
    return LAYOUTS[-1]


def sign_in_layout(sheet: CardSheet, font: CardFont) -> SignInLayout:
    """The first of ``SIGN_IN_LAYOUTS`` whose sign-in form ends above its foot, drawn on a
    scratch PDF and measured; SignInDoesNotFit (naming the question that takes the most room)
    when none does."""
    scratch = _CardPDF(sheet, font)
    heights: dict[str, float] = {}
    for layout in SIGN_IN_LAYOUTS:
        heights = scratch.sign_in_form(layout)
        if scratch.get_y() <= scratch.sign_in_limit(layout):
            return layout
    if not sheet.questions:  # nothing but the area and name: cannot happen on A6 or A5
        return SIGN_IN_LAYOUTS[-1]
    # The first of the tallest (to a tenth of a millimetre: equal questions name the first).
    largest = max(sheet.questions, key=lambda q: round(heights.get(q.key, 0.0), 1))
    raise SignInDoesNotFit(largest, sheet.size)


def glyph_warning(missing: list[str]) -> str:
    if not missing:
        return ""
    shown = " ".join(sorted(set(missing)))
    return (
        f"the font has no glyph for {shown}: left out of the PDF (the HTML cards,"
        " -o cards.html, show them)."
    )
