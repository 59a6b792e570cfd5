"""Card entry mode (console key K): a stack of paper cards typed in one after another."""

from __future__ import annotations

from textual.widgets import Input

from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.idea_form import IdeaFormScreen
from tests.tui.conftest import wait_until
from tests.tui.key_burst import burst, typed
from tests.tui.test_capture import all_ideas, console_for, loaded


async def test_three_cards_typed_in_one_burst_are_saved_with_channel_and_numbers(database, meeting):
    """K, the first card's number and title, ctrl+s, then two more cards at once (their
    numbers suggested: 138, then one typed over the suggestion: 200), all before the console
    has drawn the first form; Escape leaves card entry."""
    app = console_for(database, meeting)
    keys = ["K", "shift+tab", *typed("C-0137"), "tab", *typed("Benches by the bus stop")]
    keys += ["tab", *typed("Old people wait standing"), "ctrl+s"]
    keys += [*typed("Longer opening hours at the café"), "ctrl+s"]
    keys += ["shift+tab", *typed("200"), "tab", *typed("Más bancos 🪑 <b>ya</b>"), "ctrl+s"]
    keys += ["escape"]
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        burst(app, keys)
        await wait_until(pilot, lambda: len(all_ideas(database)) == 3, timeout=60)
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen), timeout=30)
        await wait_until(pilot, lambda: not app.holding_keys)
        assert len(app.screen.session.cards_entered) == 3
    got = [(i.title, i.detail, i.channel, i.card_number) for i in all_ideas(database)]
    assert got == [
        ("Benches by the bus stop", "Old people wait standing", "card", 137),
        ("Longer opening hours at the café", "", "card", 138),
        ("Más bancos 🪑 <b>ya</b>", "", "card", 200),
    ]


async def test_a_card_number_entered_twice_is_refused_naming_the_idea(database, meeting):
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        burst(app, ["K", "shift+tab", *typed("5"), "tab", *typed("Benches"), "ctrl+s"])
        await wait_until(pilot, lambda: len(all_ideas(database)) == 1, timeout=30)
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, IdeaFormScreen)
                and app.screen.query_one("#field-card_number", Input).value == "6"
            ),
        )
        assert "card 2 (1 entered this session)" in str(
            app.screen.query_one("#idea-dialog").border_title
        )
        burst(app, ["shift+tab", *typed("C-0005"), "tab", *typed("Lights"), "ctrl+s"])
        form = app.screen

        def refused() -> str:
            return str(form.query_one("#error-card_number").render())

        await wait_until(pilot, lambda: "I-0001" in refused(), timeout=30)
        assert "Card C-0005 was already entered as idea I-0001" in refused()
        assert form.query_one("#field-title", Input).value == "Lights"  # nothing typed lost
        burst(app, typed("6"))  # the refusal focused the number, selected
        # The refusal named C-0005: once the number is corrected, it goes before saving.
        await wait_until(
            pilot, lambda: not form.query_one("#error-card_number").has_class("-shown")
        )
        assert refused() == "" and len(all_ideas(database)) == 1
        burst(app, ["ctrl+s"])
        await wait_until(pilot, lambda: len(all_ideas(database)) == 2, timeout=30)
        burst(app, ["escape"])
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))
    assert [(i.title, i.card_number) for i in all_ideas(database)] == [
        ("Benches", 5),
        ("Lights", 6),
    ]


async def test_card_entry_is_in_the_palette_and_help(database, meeting):
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        console = app.screen
        commands = list(console.palette_commands())
        assert any(action == "card_entry" and key == "key: K" for _t, key, action in commands)
        keys = [b.key for _s, bindings in console.help_sections() for b in bindings]
        assert "K" in keys


async def test_card_entry_and_live_capture_carry_over_apart_and_undo_uncounts(database, meeting):
    """Found by review: a spoken idea's stakeholder and topic were carried onto the next card
    (another person, on paper), and a card's "written card" onto the next spoken idea; and the
    running count went on counting cards that had been undone."""
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        burst(app, ["i", *typed("Spoken one"), "tab", "tab", *typed("gp"), "enter"])
        burst(app, ["tab", *typed("car"), "enter", "ctrl+s"])
        await wait_until(pilot, lambda: len(all_ideas(database)) == 1, timeout=30)
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))
        burst(app, ["K", "shift+tab", *typed("40"), "tab", *typed("Card one"), "ctrl+s"])
        await wait_until(pilot, lambda: len(all_ideas(database)) == 2, timeout=30)
        burst(app, ["escape"])
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))
        await wait_until(pilot, lambda: not app.holding_keys)
        assert len(app.screen.session.cards_entered) == 1
        burst(app, ["u"])
        await wait_until(pilot, lambda: len(app.screen.session.cards_entered) == 0)
        burst(app, ["i", *typed("Spoken two"), "ctrl+s"])
        await wait_until(pilot, lambda: len(all_ideas(database)) == 3, timeout=30)
    spoken, card, spoken_two = all_ideas(database)
    assert (spoken.topic, spoken.stakeholder, spoken.channel) == (
        "GP and primary care access",
        "carer",
        "spoken",
    )
    assert (card.topic, card.stakeholder, card.channel) == ("", "", "card")
    assert card.deleted_at is not None  # undone
    assert (spoken_two.topic, spoken_two.stakeholder, spoken_two.channel) == (
        "GP and primary care access",
        "carer",
        "spoken",
    )
