"""Type-to-pick on the form's lists, carried-over choices, and the whole standard form."""

from __future__ import annotations

from textual.widgets import Select

from meetingtui.domain.vocab import STAKEHOLDERS
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.idea_form import IdeaFormScreen
from meetingtui.tui.widgets.quick_select import QuickSelect, best_match
from tests.tui.conftest import screen_text, wait_until
from tests.tui.key_burst import burst
from tests.tui.test_capture import all_ideas, capture, console_for, loaded

TOPICS = [
    "GP and primary care access",
    "Mental health",
    "Care at home",
    "Urgent and emergency care",
    "Travel and transport to services",
]
PICKS = [
    ("gp", "GP and primary care access"),
    ("me", "Mental health"),
    ("mental", "Mental health"),
    ("car", "Care at home"),  # starts with it, before "primary care"
    ("prim", "GP and primary care access"),  # a later word
    ("eme", "Urgent and emergency care"),
    ("t", "Travel and transport to services"),
    ("care a", "Care at home"),
]


def test_matches_prefer_the_start_then_word_starts_never_the_middle_of_a_word():
    for typed, wanted in PICKS:
        assert best_match(TOPICS, typed) == TOPICS.index(wanted), typed
    assert best_match(TOPICS, "ent") is None  # "appointMENTs", "urgENT": not a word start
    assert best_match(TOPICS, "") is None
    labels = list(STAKEHOLDERS.values())
    assert labels[best_match(labels, "vol")] == "Voluntary or community sector"
    assert labels[best_match(labels, "car")] == "Carer"
    assert labels[best_match(labels, "res")] == "Resident"


async def test_type_to_pick_at_speed_gives_the_same_choice_every_time(database, meeting):
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await capture(pilot, "Ramps")
        await pilot.press("tab", "tab")
        topic = app.screen.query_one("#field-topic", QuickSelect)
        assert app.focused is topic
        for _round in range(5):
            for typed, wanted in PICKS:
                burst(app, ["delete", *typed])
                await wait_until(pilot, lambda t=typed: topic.typed == t)
                assert topic.value == wanted, typed
                # What was chosen is on screen: the field's label and "typed …".
                shown = str(topic.query_one("#label").render())
                assert shown == wanted
                assert f"typed “{typed}”" in str(topic.status_text())


async def test_a_letter_that_matches_nothing_says_so_and_keeps_the_choice(database, meeting):
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await capture(pilot, "Ramps")
        await pilot.press("tab", "tab", *"gpx")
        topic = app.screen.query_one("#field-topic", QuickSelect)
        await wait_until(pilot, lambda: topic.refused == "gpx")
        assert topic.value == "GP and primary care access"
        assert "nothing starts with “gpx”; still GP and primary care access" in screen_text(app)
        await pilot.press("backspace")  # takes back the "p" ("x" was never taken)
        assert (topic.typed, topic.value) == ("g", "GP and primary care access")
        await pilot.press("delete")
        assert topic.value is Select.NULL and topic.typed == ""


async def test_carried_over_choices_are_marked_and_delete_clears_one(database, meeting):
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await capture(pilot, "Evening clinics")
        await pilot.press("tab", "tab", *"gp", "tab", *"car", "ctrl+s")
        await wait_until(pilot, lambda: len(all_ideas(database)) == 1)
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))

        await capture(pilot, "Later buses")
        form = app.screen
        assert isinstance(form, IdeaFormScreen)
        topic = form.query_one("#field-topic", QuickSelect)
        who = form.query_one("#field-stakeholder", QuickSelect)
        assert (topic.value, topic.carried, who.value, who.carried) == (
            "GP and primary care access",
            True,
            "carer",
            True,
        )
        assert screen_text(app).count("carried over from the last idea") >= 2
        await pilot.press("tab", "tab", "delete")  # topic: one key clears it
        assert topic.value is Select.NULL and not topic.carried
        assert who.carried  # the other carried choice stays marked
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(all_ideas(database)) == 2)
        # The toast says what was chosen (a pick made at speed is seen once more).
        await wait_until(
            pilot,
            lambda: any(
                n.message == "Idea I-0002 saved (no topic · Carer · Spoken at meeting)."
                for n in app._notifications
            ),
        )
    second = all_ideas(database)[1]
    assert (second.topic, second.stakeholder) == ("", "carer")


async def test_every_field_of_the_standard_form_from_the_keyboard(database, meeting):
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await capture(pilot, "Evening GP appointments")
        await pilot.press("tab", *"Two evenings a week")
        await pilot.press("tab", *"gp", "tab", *"car", "tab", *"ph")  # topic, who, channel
        await pilot.press("tab", *"Maya", "tab", *"Riverside Carers")
        await pilot.press("tab", "space")  # consent to publish the name
        await pilot.press("tab", *"q")  # scale: quick win
        await pilot.press("tab", "down", "down", "space", "down", "space")  # access, experience
        await pilot.press("tab", *"Working carers", "tab", *"evenings, gp")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(all_ideas(database)) == 1)
    (idea,) = all_ideas(database)
    assert (idea.title, idea.detail, idea.topic, idea.stakeholder, idea.channel) == (
        "Evening GP appointments",
        "Two evenings a week",
        "GP and primary care access",
        "carer",
        "phone",
    )
    assert (idea.raised_by, idea.organisation, idea.publish_name, idea.scale) == (
        "Maya",
        "Riverside Carers",
        True,
        "quick-win",
    )
    assert (idea.benefits, idea.affects, idea.tags) == (
        '["access", "experience"]',
        "Working carers",
        '["evenings", "gp"]',
    )


async def test_an_edit_of_one_new_field_changes_only_that_field(database, meeting):
    from meetingtui.domain.ideas import capture_idea
    from tests.sample_ideas import FULL_FORM

    with database.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=FULL_FORM, from_public=True)
    (before,) = all_ideas(database)
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await pilot.press("1", "e")
        await wait_until(pilot, lambda: isinstance(app.screen, IdeaFormScreen))
        form = app.screen
        form.set_focus(form.query_one("#field-organisation"))
        await pilot.press(*" (Eastside)")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: all_ideas(database)[0].organisation != before.organisation)
    (after,) = all_ideas(database)
    assert after.organisation == "Riverside Carers (Eastside)"
    kept = {"organisation", "updated_at"}
    assert after.model_dump(exclude=kept) == before.model_dump(exclude=kept)
