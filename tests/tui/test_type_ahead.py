"""Type-ahead: keys typed before a dialog is ready, or straight after ctrl+s, are never lost and
never land in the wrong field (tui/type_ahead.py)."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select
from textual.widgets import Input

from meetingtui.domain.models import Idea, ItemRecord, Speaker
from meetingtui.tui.screens.confirm import ConfirmScreen
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.idea_form import IdeaFormScreen
from tests.tui.conftest import wait_until
from tests.tui.key_burst import burst, typed
from tests.tui.test_capture import all_ideas, console_for, loaded
from tests.waiting import eventually


async def until(condition, timeout: float = 5.0) -> None:
    """Wait for ``condition``. Not ``pilot.pause``: that waits for the current screen to be
    idle, and the slowed form is busy until the test lets it go."""
    await eventually(condition, timeout)


def slowed_form(monkeypatch) -> asyncio.Event:
    """The idea form cannot finish mounting (so cannot take focus) until the event is set."""
    ready = asyncio.Event()
    original = IdeaFormScreen.on_mount

    async def slow_mount(self) -> None:
        await ready.wait()
        original(self)

    monkeypatch.setattr(IdeaFormScreen, "on_mount", slow_mount)
    return ready


async def test_keys_typed_before_the_form_is_ready_all_reach_their_fields(
    database, meeting, monkeypatch
):
    ready = slowed_form(monkeypatch)
    app = console_for(database, meeting)
    title = "Longer appointments for people with learning disabilities"
    detail = "Double slots, booked by phone"
    keys = ["i", *typed(title), "tab", *typed(detail), "ctrl+s"]
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        burst(app, keys)
        await until(lambda: isinstance(app.screen, IdeaFormScreen))
        form = app.screen
        await asyncio.sleep(0.3)  # a slow form: the keys wait (not a wait for state)
        assert app.focused is None or app.focused.id == "idea-dialog"
        assert form.query_one("#field-title", Input).value == ""
        ready.set()
        await wait_until(pilot, lambda: len(all_ideas(database)) == 1, timeout=30)
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))
    (idea,) = all_ideas(database)
    assert (idea.title, idea.detail) == (title, detail)


async def test_twenty_ideas_typed_as_one_burst_are_saved_exactly(database, meeting):
    """i, title, Tab, detail, Tab, a typed topic, Tab, a typed stakeholder, ctrl+s; twenty
    times, all handed to the console before it has drawn the first form."""
    app = console_for(database, meeting)
    topics = [
        ("gp", "GP and primary care access"),
        ("me", "Mental health"),
        ("car", "Care at home"),
    ]
    stakeholders = [("car", "carer"), ("res", "resident"), ("vol", "voluntary")]
    wanted = []
    keys: list[str] = []
    for number in range(20):
        topic_keys, topic = topics[number % 3]
        who_keys, who = stakeholders[number % 3]
        title, detail = f"Idea number {number} with some words", f"Detail {number}, said fast"
        wanted.append((title, detail, topic, who))
        keys += ["i", *typed(title), "tab", *typed(detail), "tab", *typed(topic_keys)]
        keys += ["tab", "delete", *typed(who_keys), "ctrl+s"]
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        burst(app, keys)
        await wait_until(pilot, lambda: len(all_ideas(database)) == 20, timeout=240)
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))
        await wait_until(pilot, lambda: not app.holding_keys)
    got = [(i.title, i.detail, i.topic, i.stakeholder) for i in all_ideas(database)]
    assert got == wanted


async def test_a_note_and_a_speaker_typed_ahead(database, meeting):
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        burst(app, ["r", *typed("Room is full, overflow in hall B"), "ctrl+s"])
        burst(app, ["s", *typed("Amira Khan-Okafor"), "enter"])
        burst(app, ["s", *typed("Joe"), "enter"])

        def saved() -> tuple[list[str], list[str]]:
            with database.read() as session:
                notes = [r.text for r in session.exec(select(ItemRecord))]
                names = [
                    s.name for s in session.exec(select(Speaker).order_by(Speaker.requested_at))
                ]
            return notes, names

        await wait_until(pilot, lambda: len(saved()[1]) == 2, timeout=30)
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))
    assert saved() == (["Room is full, overflow in hall B"], ["Amira Khan-Okafor", "Joe"])


async def test_keys_after_ctrl_s_wait_for_a_refusal_and_go_back_into_the_form(database, meeting):
    """ctrl+s on an empty title is refused; what was typed after it goes into the title."""
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        burst(app, ["i", "ctrl+s", *typed("Benches"), "ctrl+s"])
        await wait_until(pilot, lambda: len(all_ideas(database)) == 1, timeout=30)
    assert [idea.title for idea in all_ideas(database)] == ["Benches"]
    assert isinstance(Idea, type)


async def test_a_zero_width_joiner_typed_key_by_key_is_kept(database, meeting):
    """A terminal sends 👩‍⚕️ as four keys; the joiner is not "printable" to Python."""
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        burst(app, ["i", *typed("Nurse 👩‍⚕️"), "tab", *typed("کتاب‌ها 👩‍⚕️"), "ctrl+s"])
        await wait_until(pilot, lambda: len(all_ideas(database)) == 1, timeout=30)
    (idea,) = all_ideas(database)
    assert (idea.title, idea.detail) == ("Nurse 👩‍⚕️", "کتاب‌ها 👩‍⚕️")


async def test_a_console_key_between_two_dialogs_reaches_the_console(database, meeting):
    """Found by a reviewer in tmux: ``sEta⏎ c sTheta⏎`` in one burst added both and called
    nobody: the ``c`` was replayed while the speaker dialog was still closing."""
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        burst(app, ["s", *typed("Eta"), "enter", "c", "s", *typed("Theta"), "enter"])

        def queue() -> list[tuple[str, str]]:
            with database.read() as session:
                rows = session.exec(select(Speaker).order_by(Speaker.requested_at))
                return [(s.name, s.status) for s in rows]

        await wait_until(pilot, lambda: len(queue()) == 2, timeout=30)
        await wait_until(pilot, lambda: queue()[0] == ("Eta", "speaking"), timeout=30)
    assert queue() == [("Eta", "speaking"), ("Theta", "waiting")]


async def test_keys_typed_straight_after_browse_go_into_its_search(database, meeting):
    """Found by a reviewer: ``/isolation`` in one burst opened an idea form holding "solation"."""
    from meetingtui.tui.screens.browse import BrowseScreen

    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        burst(app, ["slash", *typed("isolation")])
        await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen), timeout=30)
        search = app.screen.query_one("#browse-search", Input)
        await wait_until(pilot, lambda: search.value == "isolation", timeout=30)
        await wait_until(pilot, lambda: not app.holding_keys)


async def test_a_box_ticked_just_before_ctrl_s_is_saved_ticked(database, meeting):
    """Found by a reviewer: Space on "Publish name" then ctrl+s in one burst saved it unticked
    (the save ran before the box's own key binding had acted)."""
    from textual.widgets import Checkbox

    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        burst(app, ["i", *typed("Evening clinics")])
        await wait_until(pilot, lambda: isinstance(app.screen, IdeaFormScreen), timeout=30)
        form = app.screen
        await wait_until(pilot, lambda: not app.holding_keys, timeout=30)
        form.set_focus(form.query_one("#field-publish_name", Checkbox))
        await pilot.pause()
        form.query_one("#field-raised_by", Input).value = "Ana Pérez"  # consent needs a name
        burst(app, ["space", "ctrl+s"])
        await wait_until(pilot, lambda: len(all_ideas(database)) == 1, timeout=30)
    (idea,) = all_ideas(database)
    assert idea.publish_name is True


# i, a title, Tab to the name, the name, Tab Tab to "Publish name", space, Tab Tab to the
# benefits, space (the first: Quality), ctrl+s: as one burst, no waits.
PICKS_AFTER_TABS = [
    *typed("Evening clinics"),
    *["tab"] * 5,
    *typed("Ana Pérez"),
    "tab",
    "tab",
    "space",
    "tab",
    "tab",
    "space",
    "ctrl+s",
]


@pytest.mark.parametrize("form_open", [False, True], ids=["with-i", "into-open-form"])
async def test_a_box_ticked_and_a_benefit_chosen_after_tabs_in_one_burst_are_saved(
    database, meeting, form_open
):
    """Found by a reviewer in tmux: the space was looked up by what had focus once it came back
    up to the app, after the next Tab had moved on: it opened the scale's list instead of
    ticking the box, and both were saved unticked."""
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        if form_open:
            await pilot.press("i")
            await wait_until(pilot, lambda: isinstance(app.screen, IdeaFormScreen))
            await wait_until(pilot, lambda: not app.holding_keys and app.focused is not None)
            burst(app, PICKS_AFTER_TABS)
        else:
            burst(app, ["i", *PICKS_AFTER_TABS])
        await wait_until(pilot, lambda: len(all_ideas(database)) == 1, timeout=30)
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))
    (idea,) = all_ideas(database)
    assert (idea.title, idea.raised_by, idea.publish_name, idea.benefits, idea.scale) == (
        "Evening clinics",
        "Ana Pérez",
        True,
        '["quality"]',
        "",
    )


async def test_escape_on_an_unchanged_edit_closes_without_asking(database, meeting):
    """Found by a reviewer: Escape on an edit nobody changed asked "Discard this idea?"."""
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        burst(app, ["i", *typed("Benches"), "ctrl+s"])
        await wait_until(pilot, lambda: len(all_ideas(database)) == 1, timeout=30)
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))
        burst(app, ["1", "e", "escape", "i", *typed("Ramps"), "ctrl+s"])
        await wait_until(pilot, lambda: len(all_ideas(database)) == 2, timeout=30)
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))
        assert [idea.title for idea in all_ideas(database)] == ["Benches", "Ramps"]

        burst(app, ["1", "e", *typed(" and shade"), "escape"])  # changed: asks
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), timeout=30)


async def test_the_keys_typed_straight_after_a_confirmation_are_not_lost(database, meeting):
    """Found by a reviewer: the key typed just after answering "Discard this idea?" vanished."""
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        # Keep editing (n), typing on; then discard (y) and capture the next idea at once.
        burst(app, ["i", *typed("Bench"), "escape", "n", *typed("es"), "ctrl+s"])
        burst(app, ["i", *typed("Half typed"), "escape", "y", "i", *typed("Ramps"), "ctrl+s"])
        await wait_until(pilot, lambda: len(all_ideas(database)) == 2, timeout=60)
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))
        await wait_until(pilot, lambda: not app.holding_keys)
    assert [idea.title for idea in all_ideas(database)] == ["Benches", "Ramps"]


async def test_keys_typed_straight_after_enter_in_browse_go_into_the_form(database, meeting):
    """Found by a reviewer: Enter on an idea in browse, then typing at once, lost the keys."""
    from meetingtui.tui.screens.browse import BrowseScreen

    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        burst(app, ["i", *typed("Benches"), "ctrl+s", "i", *typed("Ramps"), "ctrl+s"])
        await wait_until(pilot, lambda: len(all_ideas(database)) == 2, timeout=30)
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))
        burst(app, ["b", *typed("bench")])
        await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen), timeout=30)
        await wait_until(
            pilot, lambda: [i.title for i in app.screen.ideas] == ["Benches"], timeout=10
        )
        burst(app, ["enter", *typed(" in the shade"), "ctrl+s", "escape"])
        await wait_until(pilot, lambda: all_ideas(database)[0].title != "Benches", timeout=30)
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen), timeout=30)
        assert not isinstance(app.screen, BrowseScreen)
    assert [idea.title for idea in all_ideas(database)] == ["Benches in the shade", "Ramps"]


async def test_keys_typed_straight_after_e_on_a_record_go_into_its_form(database, meeting):
    """Found by a reviewer: ``e`` on a note then typing at once lost the first keys."""
    from meetingtui.tui.widgets.record_list import RecordList

    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        burst(app, ["r", *typed("Room is full"), "ctrl+s"])
        records = app.screen.query_one(RecordList)
        await wait_until(pilot, lambda: len(records.records) == 1, timeout=30)
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))
        burst(app, ["3", "e", *typed(", overflow in hall B"), "ctrl+s", "e", "!", "ctrl+s"])

        def texts() -> list[str]:
            with database.read() as session:
                return [r.text for r in session.exec(select(ItemRecord))]

        await wait_until(pilot, lambda: texts()[0].endswith("!"), timeout=30)
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))
    assert texts() == ["Room is full, overflow in hall B!"]


async def test_keys_typed_straight_after_e_on_an_idea_go_into_its_form(database, meeting):
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        burst(app, ["i", *typed("Benches"), "ctrl+s"])
        await wait_until(pilot, lambda: len(all_ideas(database)) == 1, timeout=30)
        burst(app, ["1", "e", *typed(" by the bus stop"), "ctrl+s"])
        await wait_until(pilot, lambda: all_ideas(database)[0].title != "Benches", timeout=30)
    assert all_ideas(database)[0].title == "Benches by the bus stop"


async def test_e_straight_after_saving_edits_the_new_idea_before_the_panel_shows_it(
    database, meeting, monkeypatch
):
    """Found in CI on a loaded machine: ``e`` replayed before the ideas panel had drawn the
    idea just saved found nothing highlighted, and the rest of the burst went to the console
    as commands. The panel is kept from drawing here, so the order is the slow machine's."""
    from meetingtui.tui.widgets.ideas_view import IdeasView

    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        monkeypatch.setattr(IdeasView, "show", lambda self, *args, **kwargs: None)
        burst(app, ["i", *typed("Benches"), "ctrl+s", "1", "e", *typed(" by the bus stop")])
        burst(app, ["ctrl+s"])
        await wait_until(pilot, lambda: all_ideas(database)[-1:] != [], timeout=30)
        await wait_until(pilot, lambda: all_ideas(database)[0].title != "Benches", timeout=30)
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen), timeout=30)
        assert not app.screen.query_one(IdeasView).shown_refs  # the panel never drew it
    assert [idea.title for idea in all_ideas(database)] == ["Benches by the bus stop"]


async def test_an_edit_opens_on_the_note_as_stored_not_the_lists_older_copy(database, meeting):
    """Found in CI: ``e`` a second time, before the minutes list had re-read the first edit,
    opened the form on the older text, and saving it was refused as another console's change."""
    from meetingtui.tui.widgets.record_list import RecordList

    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        burst(app, ["r", *typed("Room is full"), "ctrl+s"])
        records = app.screen.query_one(RecordList)
        await wait_until(pilot, lambda: len(records.records) == 1, timeout=30)
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))
        stale = records.records[0].model_copy()
        burst(app, ["3", "e", *typed(", overflow"), "ctrl+s"])

        def texts() -> list[str]:
            with database.read() as session:
                return [r.text for r in session.exec(select(ItemRecord))]

        await wait_until(pilot, lambda: texts() == ["Room is full, overflow"], timeout=30)
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))
        await wait_until(pilot, lambda: not app.holding_keys)
        records.show([stale])  # as if the list had not yet re-read the edit just saved
        burst(app, ["e", "!", "ctrl+s"])
        await wait_until(pilot, lambda: texts() == ["Room is full, overflow!"], timeout=30)
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen), timeout=30)
