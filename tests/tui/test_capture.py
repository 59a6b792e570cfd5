"""Capture at the speed of speech: defaults remembered, drafts kept across a quit, edit, delete
with undo, and notes, decisions and actions on the current item."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.widgets import Input, Select, Static, TextArea

from meetingtui.domain.drafts import draft_fields
from meetingtui.domain.models import Idea, ItemRecord
from meetingtui.tui.app import make_app
from meetingtui.tui.screens.confirm import ConfirmScreen
from meetingtui.tui.screens.console import ConsoleScreen
from meetingtui.tui.screens.form_dialog import FormDialog
from meetingtui.tui.screens.idea_form import IdeaFormScreen
from meetingtui.tui.widgets.ideas_view import IdeasView
from meetingtui.tui.widgets.record_list import RecordList
from tests.draft_lookup import terminal_draft
from tests.tui.conftest import ATTENDEE_URL, options_text, wait_until


def loaded(app) -> bool:
    return isinstance(app.screen, ConsoleScreen) and app.meeting_state is not None


def all_ideas(database) -> list[Idea]:
    with database.read() as session:
        return list(session.exec(select(Idea).order_by(Idea.ref)))


def draft_title(database, meeting, owner="pane-1") -> str | None:
    with database.read() as session:
        draft = terminal_draft(session, meeting_id=meeting.id, owner=owner)
        return draft_fields(draft).get("title") if draft else None


def draft_detail(database, meeting, owner="pane-1") -> str | None:
    with database.read() as session:
        draft = terminal_draft(session, meeting_id=meeting.id, owner=owner)
        return draft_fields(draft).get("detail") if draft else None


def console_for(database, meeting, owner="pane-1"):
    return make_app(
        database=database,
        meeting_id=meeting.id,
        attendee_url=ATTENDEE_URL,
        operator="Priya",
        draft_owner=owner,
    )


async def capture(pilot, title: str) -> None:
    await pilot.press("i")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, IdeaFormScreen))
    await wait_until(pilot, lambda: isinstance(pilot.app.focused, Input))  # the title field
    await pilot.press(*title)


async def test_choices_are_remembered_from_the_last_idea(database, meeting):
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await capture(pilot, "Evening clinics")
        await pilot.press("tab", "tab", *"gp", "enter")  # topic: typing opens the list
        await pilot.press("tab", *"car", "enter")  # stakeholder
        await pilot.press("tab", *"writ", "enter")  # channel: written card (substring)
        form = app.screen
        await wait_until(pilot, lambda: form.query_one("#field-channel", Select).value == "card")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(all_ideas(database)) == 1)
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))

        await capture(pilot, "Later buses")
        form = app.screen
        assert form.query_one("#field-topic", Select).value == "GP and primary care access"
        assert form.query_one("#field-stakeholder", Select).value == "carer"
        assert form.query_one("#field-channel", Select).value == "card"
        assert app.focused is form.query_one("#field-title", Input)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(all_ideas(database)) == 2)
    second = all_ideas(database)[1]
    assert (second.topic, second.stakeholder, second.channel, second.captured_by) == (
        "GP and primary care access",
        "carer",
        "card",
        "Priya",
    )


async def test_a_draft_survives_a_quit_and_is_offered_back(database, meeting):
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await capture(pilot, "Pharmacy hou")
        await pilot.press("tab", *"Until 8pm")
        await wait_until(pilot, lambda: draft_detail(database, meeting) == "Until 8pm")
        await app.action_quit()  # quit with the form open, nothing saved

    with database.read() as session:
        draft = terminal_draft(session, meeting_id=meeting.id, owner="pane-1")
        assert draft_fields(draft)["title"] == "Pharmacy hou"
    assert all_ideas(database) == []

    again = console_for(database, meeting)
    async with again.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(again))
        await wait_until(pilot, lambda: any("was kept" in n.message for n in again._notifications))
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(again.screen, IdeaFormScreen))
        form = again.screen
        assert form.query_one("#field-title", Input).value == "Pharmacy hou"
        assert form.query_one("#field-detail", TextArea).text == "Until 8pm"
        await pilot.press(*"rs", "ctrl+s")
        await wait_until(pilot, lambda: len(all_ideas(database)) == 1)
    assert all_ideas(database)[0].title == "Pharmacy hours"
    with database.read() as session:
        assert terminal_draft(session, meeting_id=meeting.id, owner="pane-1") is None


async def test_two_terminals_keep_separate_drafts(database, meeting):
    first = console_for(database, meeting, owner="pane-1")
    async with first.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(first))
        await capture(pilot, "Pane one")
        await wait_until(pilot, lambda: draft_title(database, meeting, "pane-1") == "Pane one")
    second = console_for(database, meeting, owner="pane-2")
    async with second.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(second))
        await capture(pilot, "Pane two")
        await wait_until(pilot, lambda: draft_title(database, meeting, "pane-2") == "Pane two")
    with database.read() as session:
        one = draft_fields(terminal_draft(session, meeting_id=meeting.id, owner="pane-1"))
        two = draft_fields(terminal_draft(session, meeting_id=meeting.id, owner="pane-2"))
    assert (one["title"], two["title"]) == ("Pane one", "Pane two")


async def test_edit_then_delete_with_confirmation_and_undo(database, meeting):
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await capture(pilot, "Evening clincs")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(all_ideas(database)) == 1)
        ideas = app.screen.query_one(IdeasView)
        await wait_until(pilot, lambda: ideas.shown_refs == ["I-0001"])

        await pilot.press("1", "e")
        await wait_until(pilot, lambda: isinstance(app.screen, IdeaFormScreen))
        title = app.screen.query_one("#field-title", Input)
        assert title.value == "Evening clincs"
        title.value = "Evening clinics"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: all_ideas(database)[0].title == "Evening clinics")
        await wait_until(pilot, lambda: "Evening clinics" in options_text(ideas))

        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")  # changed my mind
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: all_ideas(database)[0].deleted_at is not None)
        await wait_until(pilot, lambda: ideas.shown_refs == [])
        assert any("u to undo" in n.message for n in app._notifications)

        await pilot.press("u")
        await wait_until(pilot, lambda: all_ideas(database)[0].deleted_at is None)
        await wait_until(pilot, lambda: ideas.shown_refs == ["I-0001"])
    assert len(all_ideas(database)) == 1


async def test_notes_decisions_and_actions_on_the_current_item(database, meeting):
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        await pilot.press(*"Room full", "ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))

        # An action with a bad due date: the message sits beside the field, the text stays.
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        form = app.screen
        form.query_one("#field-kind", Select).value = "action"
        await pilot.press(*"Bus survey", "tab", *"Ann", "tab", *"soon")
        await pilot.press("ctrl+s")
        error = form.query_one("#error-due", Static)
        await wait_until(pilot, lambda: error.has_class("-shown"))
        assert "YYYY-MM-DD" in str(error.content)
        assert form.query_one("#field-text", TextArea).text == "Bus survey"
        form.query_one("#field-due", Input).value = "2027-01-31"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))

        records = app.screen.query_one(RecordList)
        await wait_until(pilot, lambda: len(records.records) == 2)
        await pilot.press("3")
        text = options_text(records)
        assert "Note: Room full" in text
        assert "Action: Bus survey  (Ann · due 2027-01-31)" in text

        await pilot.press("x", "y")
        await wait_until(pilot, lambda: len(records.records) == 1)
        await pilot.press("u")
        await wait_until(pilot, lambda: len(records.records) == 2)

    with database.read() as session:
        rows = list(session.exec(select(ItemRecord).order_by(ItemRecord.created_at)))
    assert [(r.kind, r.owner, r.due, r.agenda_item_id) for r in rows] == [
        ("note", "", "", meeting.current_item_id),
        ("action", "Ann", "2027-01-31", meeting.current_item_id),
    ]
    assert all(r.deleted_at is None for r in rows)


async def test_editing_a_phone_idea_changes_only_what_was_changed(database, meeting):
    """A phone idea with every field set; the note-taker fixes a typo in the title: organisation,
    consent, tags, scale, benefits and "affects" stay as they were."""
    from meetingtui.domain.ideas import capture_idea
    from tests.sample_ideas import FULL_FORM

    with database.write() as session:
        capture_idea(
            session,
            meeting_id=meeting.id,
            data=FULL_FORM,
            from_public=True,
        )
    (before,) = all_ideas(database)
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await pilot.press("1", "e")
        await wait_until(pilot, lambda: isinstance(app.screen, IdeaFormScreen))
        title = app.screen.query_one("#field-title", Input)
        title.value = "Evening GP appointments"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: all_ideas(database)[0].title == "Evening GP appointments")
    (after,) = all_ideas(database)
    kept = ("title", "updated_at")
    assert after.model_dump(exclude=set(kept)) == before.model_dump(exclude=set(kept))
    assert (after.organisation, after.publish_name, after.tags, after.scale) == (
        "Riverside Carers",
        True,
        '["evenings", "gp"]',
        "quick-win",
    )
    assert (after.benefits, after.affects) == ('["access", "experience"]', "Working carers")


async def test_a_title_typed_past_its_limit_is_kept_and_refused_beside_the_field(database, meeting):
    """A note-taker types on without looking: nothing past 120 characters is dropped. The save
    is refused beside the title with the count, every character still in the field; once cut
    down, it saves."""
    from tests.tui.key_burst import burst, typed

    long_title = "Longer appointments for people with learning disabilities" * 3  # 171
    app = console_for(database, meeting)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        burst(app, ["i", *typed(long_title), "ctrl+s"])
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, IdeaFormScreen) and isinstance(app.focused, Input),
        )
        form = app.screen
        error = form.query_one("#error-title")
        await wait_until(
            pilot, lambda: "120 characters or fewer (it has 171)" in str(error.content)
        )
        title = form.query_one("#field-title", Input)
        assert title.value == long_title
        assert all_ideas(database) == []
        title.value = long_title[:57]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(all_ideas(database)) == 1)
    assert all_ideas(database)[0].title == long_title[:57]


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_text_of_every_field_starts_in_one_column(database, meeting, size):
    """The multi-line fields (the idea's detail, a record's text) start their text where the
    one-line fields beside them do, not a column to the right."""
    app = console_for(database, meeting)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await capture(pilot, "Evening clinics")
        form = app.screen
        title = form.query_one("#field-title", Input)
        detail = form.query_one("#field-detail", TextArea)
        await wait_until(pilot, lambda: detail.content_region.width > 0)
        assert detail.content_region.x == title.content_region.x
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen))

        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        form = app.screen
        text = form.query_one("#field-text", TextArea)
        owner = form.query_one("#field-owner", Input)
        await wait_until(pilot, lambda: text.content_region.width > 0)
        assert text.content_region.x == owner.content_region.x
