"""The idea form's "Similar ideas already raised" line (tui/widgets/similar_hint.py): shown once
typing pauses, literal, never taking keys or the focus, and a burst of typing is saved whole."""

from __future__ import annotations

import uuid

from textual.widgets import Input

from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.similar import SimilarIdea
from meetingtui.tui.screens.idea_form import IdeaFormScreen
from meetingtui.tui.widgets.similar_hint import SimilarIdeasHint, describe
from tests.tui.conftest import wait_until
from tests.tui.key_burst import burst
from tests.tui.test_capture import all_ideas, console_for, loaded


def seed(database, meeting, *titles: str) -> None:
    with database.write() as session:
        for title in titles:
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=title))


def hint(app) -> SimilarIdeasHint:
    return app.screen.query_one(SimilarIdeasHint)


def hint_text(app) -> str:
    return str(hint(app).render())


async def open_form(pilot) -> None:
    await pilot.press("i")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, IdeaFormScreen))
    await wait_until(pilot, lambda: isinstance(pilot.app.focused, Input))


async def test_similar_ideas_show_under_the_title_once_typing_pauses(database, meeting):
    seed(database, meeting, "Benches at the café bus stop [bold red]now", "Cheaper parking")
    app = console_for(database, meeting)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await open_form(pilot)
        assert not hint(app).has_class("-shown")  # nothing typed, nothing shown
        await pilot.press(*"benches at the cafe bus")
        await wait_until(pilot, lambda: "I-0001" in hint_text(app))
        text = hint_text(app)
        assert text.startswith("Similar ideas already raised: ")
        assert "[bold red]now" in text  # the title literally, never styled
        assert "(0 supports)" in text and "support it instead?" in text
        assert "Cheaper parking" not in text
        assert app.focused is app.screen.query_one("#field-title", Input)  # focus kept
        assert app.screen.query_one("#field-title", Input).value == "benches at the cafe bus"
        # Typed over with something else: the line goes.
        title = app.screen.query_one("#field-title", Input)
        title.value = ""
        await pilot.press(*"swimming lessons")
        await wait_until(pilot, lambda: not hint(app).has_class("-shown"))
        assert hint(app).can_focus is False


async def test_a_burst_of_typing_is_unaffected_by_the_lookups(database, meeting):
    seed(database, meeting, *[f"Benches number {n} at the bus stop" for n in range(30)])
    app = console_for(database, meeting)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        title = "Benches at the bus stop by the surgery"
        detail = "Older people cannot stand for long"
        # The form opens, the title and detail are typed and the idea saved, all in one burst.
        burst(app, ["i", *title, "tab", *detail, "ctrl+s"])
        await wait_until(pilot, lambda: len(all_ideas(database)) == 31)
        saved = [i for i in all_ideas(database) if i.title == title]
        assert len(saved) == 1 and saved[0].detail == detail
        # And typed with pauses, the line shows while the keys still go where they belong.
        await open_form(pilot)
        await pilot.press(*"benches bus")
        await wait_until(pilot, lambda: hint(app).looked_up > 0 and hint(app).shown)
        await pilot.press(*" stop", "tab", *"more", "ctrl+s")
        await wait_until(pilot, lambda: len(all_ideas(database)) == 32)
        last = max(all_ideas(database), key=lambda i: i.seq)
        assert (last.title, last.detail) == ("benches bus stop", "more")


def test_the_line_names_other_meetings_merges_and_statuses():
    def idea(ref, code, title, supports, status="new", merged=""):
        return SimilarIdea(
            idea_id=uuid.uuid4(),
            ref=ref,
            meeting_code=code,
            title=title,
            support_count=supports,
            status=status,
            merged_into=merged,
            score=0.9,
        )

    line = describe(
        [
            idea("I-0042", "here", "Benches", 12),
            idea("I-0007", "there", "More benches", 1, "merged", "I-0042"),
            idea("I-0003", "here", "Seats", 2, "adopted"),
        ],
        home_code="here",
    ).plain
    assert line == (
        "Similar ideas already raised: I-0042 Benches (12 supports) · there/I-0007 More benches "
        "(1 support, merged into I-0042) · I-0003 Seats (2 supports, adopted) — support it instead?"
    )


def test_an_idea_the_room_cannot_see_is_marked_in_the_hint():
    """Found by a reviewer: a pending idea was offered ("support it instead?") unmarked."""
    import uuid

    from meetingtui.domain.similar import SimilarIdea
    from meetingtui.tui.widgets.similar_hint import describe

    def idea(visibility: str) -> SimilarIdea:
        return SimilarIdea(uuid.uuid4(), "I-0002", "code", "Café", 0, "new", "", 0.9, visibility)

    assert "MOD, not public" in describe([idea("pending")]).plain
    assert "HID, not public" in describe([idea("hidden")]).plain
    assert "not public" not in describe([idea("visible")]).plain


async def test_card_entry_shows_similar_ideas_too(database, meeting):
    """Found by a reviewer: the card entry form (K) showed no similar ideas."""
    seed(database, meeting, "Benches at the café bus stop", "Cheaper parking")
    app = console_for(database, meeting)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await pilot.press("K")
        await wait_until(pilot, lambda: isinstance(app.screen, IdeaFormScreen))
        await wait_until(pilot, lambda: app.focused is app.screen.query_one("#field-title", Input))
        await pilot.press(*"benches at the cafe")
        await wait_until(pilot, lambda: "I-0001" in hint_text(app))
        assert "Cheaper parking" not in hint_text(app)
