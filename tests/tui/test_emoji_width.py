"""Emoji with a variation selector or a zero-width joiner keep the console's borders in line.

A terminal that does not join emoji sequences (tmux 3.3, many Linux terminals) gives each code
point its own width; Rich measures the sequence as one picture. The console draws people's text
without the joiners and selectors whose width they disagree on (tui/literal.py)."""

from __future__ import annotations

import unicodedata

from rich.cells import cell_len

from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.tui.literal import display_text, literal
from meetingtui.tui.widgets.ideas_view import IdeasView
from tests.tui.conftest import wait_until
from tests.tui.test_capture import all_ideas, console_for, loaded

EMOJI_TITLE = "Nurse 👩‍⚕️ visits ❤️ 1️⃣ 👍🏽 🇬🇧"


def terminal_width(text: str) -> int:
    """Cells as a terminal without emoji-sequence support draws ``text``: each code point on
    its own (wide East Asian and emoji: 2; combining marks, joiners, selectors: 0)."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        if "\ufe00" <= char <= "\ufe0f":
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def test_display_text_drops_only_what_terminals_disagree_on():
    assert display_text("❤️") == "❤"
    assert display_text("👩‍⚕️") == "👩⚕"
    assert display_text("1️⃣") == "1⃣"
    assert display_text("👍🏽") == "👍"
    assert display_text("क्‍ष") == "क्‍ष"  # a ZWJ between letters (Devanagari) stays
    assert display_text("[bold]plain[/]") == "[bold]plain[/]"
    text = literal(EMOJI_TITLE)
    assert text.cell_len == terminal_width(text.plain)


async def test_an_emoji_title_keeps_every_line_of_the_console_the_same_width(database, meeting):
    with database.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=EMOJI_TITLE))
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        ideas = app.screen.query_one(IdeasView)
        await wait_until(pilot, lambda: len(ideas.shown_refs) == 1)
        await pilot.pause()
        lines = ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]
    assert any("Nurse" in line for line in lines)
    assert [line for line in lines if terminal_width(line) != 100] == []
    assert all_ideas(database)[0].title == EMOJI_TITLE  # stored exactly as typed


def test_field_display_keeps_every_index_and_the_terminals_width():
    from meetingtui.tui.literal import field_display

    for text in (EMOJI_TITLE, "👨‍👩‍👧 and 👩‍⚕️", "[b]x[/]"):
        shown = field_display(text)
        assert len(shown) == len(text)  # cursor, selection and wrap indexes stay the value's
        assert cell_len(shown) == terminal_width(shown) == terminal_width(display_text(text))
    assert field_display("क्‍ष") == "क्‍ष"  # a ZWJ between letters (Devanagari) stays


async def test_emoji_typed_in_the_form_fields_keep_their_borders_straight(database, meeting):
    """Typed key by key into the title (Input) and the detail (TextArea, wrapping): each line
    of the screen stays 100 cells as a terminal draws it, the cursor sits after the last
    character drawn, and the values keep every joiner."""
    from textual.widgets import Input, TextArea

    from meetingtui.tui.screens.idea_form import IdeaFormScreen
    from tests.tui.key_burst import burst, typed

    title = "Nurse 👩‍⚕️ family 👨‍👩‍👧 ❤️ end"
    detail = "Visits 👨‍👩‍👧 at home 👩‍⚕️ twice a week ❤️ " * 4  # wraps in the box
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        burst(app, ["i", *typed(title), "tab", *typed(detail)])

        def detail_typed() -> bool:
            form = app.screen
            boxes = form.query("#field-detail") if isinstance(form, IdeaFormScreen) else []
            return bool(boxes) and boxes[0].text == detail

        await wait_until(pilot, detail_typed, timeout=20)
        form = app.screen
        title_field = form.query_one("#field-title", Input)
        detail_field = form.query_one("#field-detail", TextArea)
        await pilot.pause()
        assert title_field.value == title  # stored exactly: every joiner and selector
        lines = ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]
        assert any("Nurse" in line for line in lines) and any("Visits" in line for line in lines)
        assert [line for line in lines if terminal_width(line) != 100] == []
        assert detail_field.wrapped_document.height > 1  # it did wrap
        # The title's cursor (at the end) is one cell after what the field draws.
        drawn = title_field.content_region.x + terminal_width(display_text(title))
        assert title_field.cursor_screen_offset.x == drawn + 1


async def test_the_waiting_speakers_question_keeps_its_border_straight(database, meeting):
    """``n`` with people still queued asks about them by name: a name with a skin tone is
    drawn as every other person's words are, and the dialog's border stays in line."""
    from meetingtui.domain.speakers import add_speaker
    from meetingtui.tui.screens.choice import ChoiceScreen

    with database.write() as session:
        add_speaker(session, meeting_id=meeting.id, name="Amaka 👍🏽 [b]O[/b]")
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.pause()
        lines = ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]
    assert any("Amaka 👍 [b]O[/b]" in line for line in lines)  # literal, tone not drawn
    assert [line for line in lines if terminal_width(line) != 100] == []


async def test_the_moderation_screen_keeps_its_border_straight(database, meeting):
    """Found by review: a phone's 👩‍👩‍👧 👍🏽 moved the moderation list's right border."""
    from meetingtui.tui.screens.moderation import ModerationScreen

    with database.write() as session:
        capture_idea(
            session,
            meeting_id=meeting.id,
            data=IdeaInput(
                title="Family 👩‍👩‍👧 day 👍🏽", detail="Detail ❤️ [b]x[/b]", channel="phone"
            ),
            from_public=True,
            device="phone-emoji-1",
        )
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, ModerationScreen))

        def drawn() -> list[str]:
            strips = app.screen._compositor.render_strips()
            return ["".join(s.text for s in strip) for strip in strips]

        await wait_until(pilot, lambda: any("[b]x[/b]" in line for line in drawn()))
        lines = drawn()
    assert any("Family" in line for line in lines)
    assert [line for line in lines if terminal_width(line) != 100] == []
