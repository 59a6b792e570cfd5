"""The catalogue screen as an engagement lead uses it (a real database file, a Textual pilot):
search as you type, filters, sorts, the detail pane, bulk status with the reason refused,
responses published, needs an answer, reviewers and "my ideas"; hidden, pending and deleted
input shown only as the organisers' rules allow."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from rich.console import Console
from sqlmodel import select
from textual.widgets import Input, OptionList, SelectionList, Static

from meetingtui.catalogue_session import CatalogueSession
from meetingtui.domain.ideas import IdeaInput, add_comment, capture_idea, set_idea_deleted
from meetingtui.domain.lifecycle import Review
from meetingtui.domain.models import Idea, IdeaChange, Support, utcnow
from meetingtui.domain.moderation import set_visibility
from meetingtui.domain.states import IdeaStatus
from meetingtui.tui.screens.catalogue import CatalogueScreen
from meetingtui.tui.screens.catalogue_app import make_catalogue_app
from meetingtui.tui.screens.catalogue_filters import FilterDialog
from meetingtui.tui.screens.confirm import ConfirmScreen
from meetingtui.tui.screens.form_dialog import FormDialog
from meetingtui.tui.screens.help import HelpScreen
from tests.domain.test_lifecycle_answers import new_meeting
from tests.tui.conftest import options_text, screen_text, wait_until

IDEAS = [
    # title, detail, topic, days ago, supports, comments
    ("Café at the station", "somewhere warm to wait", "Transport", 40, 1, 0),
    ("More benches", "benches by the bus stops", "Parks", 20, 5, 1),
    ("Night buses", "a bus after midnight", "Transport", 2, 0, 3),
    ("[bold red]Free parking[/]", "markup is only words here", "Parks", 1, 2, 2),
]


@pytest.fixture
def programme(database):
    """Programme "Transport": two meetings, four visible ideas with supports and comments, one
    hidden, one pending, one deleted (and a hidden comment); another programme's idea."""
    with database.write() as session:
        east = new_meeting(session, "East", "Transport", code="eastcode23")
        west = new_meeting(session, "West", "Transport", code="westcode23")
        other = new_meeting(session, "Elsewhere", "Housing", code="elsecode23")
        for n, (title, detail, topic, days, supports, comments) in enumerate(IDEAS):
            meeting = east if n % 2 == 0 else west
            idea = capture_idea(
                session,
                meeting_id=meeting.id,
                data=IdeaInput(title=title, detail=detail, channel="phone"),
            )
            idea.topic = topic  # (the agenda declares none)
            idea.captured_at = utcnow() - timedelta(days=days)
            for s in range(supports):
                session.add(Support(idea_id=idea.id, meeting_id=meeting.id, device=f"d{s}"))
            for c in range(comments):
                add_comment(session, meeting_id=meeting.id, idea_ref=idea.ref, body=f"comment {c}")
        hidden = capture_idea(session, meeting_id=west.id, data=IdeaInput(title="Rude words"))
        set_visibility(
            session, meeting_id=west.id, entity="idea", entity_id=hidden.id, visibility="hidden"
        )
        pending = capture_idea(session, meeting_id=east.id, data=IdeaInput(title="Awaiting mod"))
        pending.visibility = "pending"
        gone = capture_idea(session, meeting_id=east.id, data=IdeaInput(title="Deleted idea"))
        set_idea_deleted(session, meeting_id=east.id, idea_id=gone.id, deleted=True)
        capture_idea(session, meeting_id=other.id, data=IdeaInput(title="Other programme"))
        benches = session.exec(select(Idea).where(Idea.title == "More benches")).one()
        bad = add_comment(session, meeting_id=west.id, idea_ref=benches.ref, body="Spam comment")
        set_visibility(
            session, meeting_id=west.id, entity="comment", entity_id=bad.id, visibility="hidden"
        )
    return database


def app_for(database, name: str = "Priya"):
    return make_catalogue_app(lambda: CatalogueSession(database, "Transport", name))


def listed(app) -> str:
    return options_text(app.screen.query_one("#cat-list", OptionList))


def heading(app) -> str:
    return str(app.screen.query_one("#cat-heading", Static).render())


async def opened(pilot, app, count: int = 1) -> CatalogueScreen:
    await wait_until(pilot, lambda: isinstance(app.screen, CatalogueScreen))
    screen = app.screen
    await wait_until(pilot, lambda: screen.pages_read >= count, timeout=5)
    await wait_until(pilot, lambda: screen.counts_read >= count, timeout=5)
    return screen


def shown(widget: Static) -> str:
    """What a Static shows, as plain text (its content may be a Rich renderable)."""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(widget.content, markup=False)
    return console.export_text()


def stored(database, title: str) -> Idea:
    with database.read() as session:
        return session.exec(select(Idea).where(Idea.title == title)).one()


async def test_opens_on_every_idea_of_the_programme_newest_first(programme):
    app = app_for(programme)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, app)
        text = listed(app)
        rows = [line for line in text.splitlines() if line.strip()]
        # 4 visible + hidden + pending (organisers see them, marked); never the deleted one,
        # never another programme's.
        assert len(rows) == 6
        assert "Deleted idea" not in text and "Other programme" not in text
        assert "HID" in text and "MOD" in text  # moderation's own column
        assert "[bold red]Free parking[/]" in text  # literal, never styled
        titles = [r for r in rows if "Night buses" in r or "Café" in r]
        assert "Night buses" in titles[0]  # newest first
        assert "6 ideas" in heading(app)
        assert "need an answer" in heading(app)


async def test_search_as_you_type_finds_prefixes(programme):
    app = app_for(programme)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"bench")  # letters type into the box, not the screen's keys
        await wait_until(pilot, lambda: screen.view.text == "bench" and "1 match" in heading(app))
        await wait_until(
            pilot, lambda: "More benches" in listed(app) and "Night" not in listed(app)
        )
        await pilot.press("enter")  # back to the list
        assert isinstance(app.focused, OptionList)


async def test_filters_take_several_values_and_say_so(programme):
    app = app_for(programme)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        await wait_until(pilot, lambda: screen.facets is not None)  # counted after the rows
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, FilterDialog))
        dialog = app.screen
        await pilot.press("down")  # Topic
        await wait_until(pilot, lambda: dialog.facet == "topics")
        await pilot.press("tab")
        values = dialog.query_one("#filter-values", SelectionList)
        labels = [str(values.get_option_at_index(i).prompt) for i in range(values.option_count)]
        parks = next(i for i, label in enumerate(labels) if label.startswith("Parks"))
        values.highlighted = parks
        await pilot.press("space")
        await wait_until(pilot, lambda: dialog.chosen["topics"] == {"Parks"})
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.view.topics == {"Parks"})
        await wait_until(pilot, lambda: "2 matches" in heading(app))
        await wait_until(pilot, lambda: "More benches" in listed(app))
        assert "Night buses" not in listed(app)
        summary = str(screen.query_one("#cat-filters", Static).render())
        assert "topic: Parks" in summary
        # A second filter narrows: status "new" and age over 28 days gives none of the Parks.
        screen.set_view(screen.view.with_values("ages", ["over-28"]))
        await wait_until(pilot, lambda: "0 matches" in heading(app))
        await pilot.press("F")
        await wait_until(pilot, lambda: "6 ideas" in heading(app))


async def test_sorts_most_supported_most_discussed_longest_waiting(programme):
    app = app_for(programme)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)

        def first() -> str:
            return screen.rows[0].idea.title if screen.rows else ""

        await pilot.press("o")
        await wait_until(
            pilot, lambda: screen.view.sort == "supported" and first() == "More benches"
        )
        await pilot.press("o")
        await wait_until(
            pilot, lambda: screen.view.sort == "discussed" and first() == "Night buses"
        )
        await pilot.press("o")
        await wait_until(
            pilot, lambda: screen.view.sort == "waiting" and first() == "Café at the station"
        )
        assert "longest waiting" in str(screen.query_one("#cat-sort", Static).render())


async def test_detail_pane_shows_the_whole_idea_at_80_columns(programme):
    app = app_for(programme)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        screen.set_view(screen.view.__class__(text="benches"))
        await wait_until(pilot, lambda: len(screen.rows) == 1)
        await pilot.press("enter")
        detail = screen.query_one("#cat-detail-text", Static)
        await wait_until(pilot, lambda: "More benches" in shown(detail))
        text = shown(detail)
        assert "eastcode23" not in text and "westcode23/I-0001" in text
        assert "Supports: 5" in text and "Comments: 2" in text
        assert "comment 0" in text and "(hidden): Spam comment" in text  # organisers see it, marked
        assert "Meeting: West" in text and "Channel: Attendee phone" in text
        assert screen.query_one("#cat-detail").display
        await pilot.press("escape")
        await wait_until(pilot, lambda: not screen.query_one("#cat-body").has_class("-reading"))


async def test_wide_terminal_shows_list_and_detail_side_by_side(programme):
    app = app_for(programme)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await opened(pilot, app)
        detail = screen.query_one("#cat-detail-text", Static)
        await wait_until(pilot, lambda: screen.rows[0].idea.title in shown(detail))
        await pilot.press("down")
        await wait_until(pilot, lambda: screen.rows[1].idea.title in shown(detail))
        await wait_until(  # the meeting column, once the rows have the wide layout's width
            pilot, lambda: "eastcode23" in listed(app) or "westcode23" in listed(app)
        )


async def test_bulk_status_refuses_without_a_reason_then_applies_to_all_and_undoes(programme):
    app = app_for(programme)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        screen.set_view(screen.view.with_values("topics", ["Transport"]))
        await wait_until(pilot, lambda: len(screen.rows) == 2)
        await pilot.press("space", "space")
        assert len(screen.selected) == 2 and "2 selected" in heading(app)
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        dialog = app.screen
        assert "Status of 2 ideas" in str(dialog.query_one("#form-dialog").border_title)
        dialog.query_one("#field-status").value = "not-taken-forward"
        await pilot.press("ctrl+s")
        error = dialog.query_one("#error-reason", Static)
        await wait_until(pilot, lambda: "needs a public reason" in str(error.render()))
        assert "--reason" not in str(error.render())
        assert stored(programme, "Night buses").status == "new"  # nothing changed
        dialog.query_one("#field-reason").text = "No budget this year"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, CatalogueScreen))
        await wait_until(
            pilot, lambda: stored(programme, "Night buses").status == "not-taken-forward"
        )
        assert stored(programme, "Café at the station").status_reason == "No budget this year"
        assert stored(programme, "More benches").status == "new"  # not selected
        await wait_until(pilot, lambda: not screen.selected and "not taken fwd*" in listed(app))
        await pilot.press("u")
        await wait_until(pilot, lambda: stored(programme, "Night buses").status == "new")
        with programme.read() as session:
            night = stored(programme, "Night buses")
            steps = session.exec(select(IdeaChange).where(IdeaChange.idea_id == night.id)).all()
        assert [(c.from_value, c.to_value) for c in steps] == [
            ("new", "not-taken-forward"),
            ("not-taken-forward", "new"),
        ]


async def test_a_response_is_a_draft_until_published_with_confirmation(programme):
    app = app_for(programme)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        screen.set_view(screen.view.__class__(text="benches"))
        await wait_until(pilot, lambda: len(screen.rows) == 1 and screen.view.text == "benches")
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        app.screen.query_one("#field-response").text = "Six benches go in next spring."
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: stored(programme, "More benches").response != "")
        idea = stored(programme, "More benches")
        assert idea.public_response == "" and idea.published_at is None
        await wait_until(pilot, lambda: isinstance(app.screen, CatalogueScreen))
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")  # not yet: nothing published
        await wait_until(pilot, lambda: isinstance(app.screen, CatalogueScreen))
        assert stored(programme, "More benches").published_at is None
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(
            pilot,
            lambda: (
                stored(programme, "More benches").public_response
                == "Six benches go in next spring."
            ),
        )


async def test_needs_an_answer_lists_oldest_first_with_counts_by_age(programme):
    app = app_for(programme)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        await pilot.press("n")
        await wait_until(
            pilot,
            lambda: screen.view.needs_answer and screen.pages_read >= 2 and screen.counts_read >= 2,
        )
        titles = [row.idea.title for row in screen.rows]
        # Only what the public sees is owed an answer (not the hidden or pending idea).
        assert titles == [
            "Café at the station",
            "More benches",
            "Night buses",
            "[bold red]Free parking[/]",
        ]
        assert "4 need an answer (2 >14 days, 1 >28 days)" in heading(app)
        assert "needs an answer" in str(screen.query_one("#cat-filters", Static).render())


async def test_assign_a_reviewer_and_filter_my_ideas(programme):
    app = app_for(programme, name="Priya")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        field = app.screen.query_one("#field-reviewer", Input)
        field.value = "Priya"
        await pilot.press("ctrl+s")
        first = screen.rows[0].idea.title
        await wait_until(pilot, lambda: stored(programme, first).reviewer == "Priya")
        await wait_until(pilot, lambda: isinstance(app.screen, CatalogueScreen))
        await pilot.press("m")
        await wait_until(pilot, lambda: "1 match" in heading(app))
        assert [row.idea.title for row in screen.rows] == [first]
        await pilot.press("m")
        await wait_until(pilot, lambda: "6 ideas" in heading(app))


async def test_help_lists_the_keys(programme):
    app = app_for(programme)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, app)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = screen_text(app)
        for words in ("Set the status", "Publish the answers", "Select every match", "Filters"):
            assert words in text


async def test_the_console_opens_its_programmes_catalogue_with_C_and_escape_returns(
    database, meeting
):
    from meetingtui.tui.app import make_app
    from meetingtui.tui.screens.console import ConsoleScreen
    from tests.tui.conftest import ATTENDEE_URL

    with database.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="GP evenings"))
    console = make_app(database=database, meeting_id=meeting.id, attendee_url=ATTENDEE_URL)
    async with console.run_test(size=(80, 24)) as pilot:
        await wait_until(
            pilot, lambda: isinstance(console.screen, ConsoleScreen) and console.meeting_state
        )
        await pilot.press("C")
        screen = await opened(pilot, console)
        # The rows are drawn again once the layout has its width (a frame may be narrower).
        await wait_until(pilot, lambda: "GP evenings" in listed(console))
        assert "default" in heading(console)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(console.screen, ConsoleScreen))
        assert screen.catalogue is not None


async def test_merge_names_the_idea_kept_and_refuses_an_unknown_one(programme):
    app = app_for(programme)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        screen.set_view(screen.view.__class__(text="night"))
        await wait_until(pilot, lambda: len(screen.rows) == 1 and screen.view.text == "night")
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        dialog = app.screen
        dialog.query_one("#field-status").value = "merged"
        dialog.query_one("#field-into", Input).value = "nowhere/I-0099"
        await pilot.press("ctrl+s")
        error = dialog.query_one("#error-into", Static)
        await wait_until(pilot, lambda: "No idea nowhere/I-0099" in str(error.render()))
        kept = stored(programme, "Café at the station")
        dialog.query_one("#field-into", Input).value = f"eastcode23/{kept.ref}"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: stored(programme, "Night buses").status == "merged")
        merged = stored(programme, "Night buses")
        assert merged.merged_into_id == kept.id
        assert merged.status_reason == f"Merged into eastcode23/{kept.ref}"


async def test_over_the_console_a_new_idea_of_the_meeting_appears(database, meeting):
    from meetingtui.tui.app import make_app
    from meetingtui.tui.screens.console import ConsoleScreen
    from tests.tui.conftest import ATTENDEE_URL

    console = make_app(database=database, meeting_id=meeting.id, attendee_url=ATTENDEE_URL)
    async with console.run_test(size=(80, 24)) as pilot:
        await wait_until(
            pilot, lambda: isinstance(console.screen, ConsoleScreen) and console.meeting_state
        )
        await pilot.press("C")
        await opened(pilot, console)
        with database.write() as session:  # as a phone would, through the domain
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Late arrival"))
        console.follower.wake()
        await wait_until(pilot, lambda: "Late arrival" in listed(console), timeout=5)


async def test_on_postgresql_search_filter_and_bulk_status(postgres_url):
    from meetingtui.store.database import Database

    database = Database.open(postgres_url, migrate=True)
    try:
        with database.write() as session:
            east = new_meeting(session, "East", "Transport", code="eastcode23")
            for title in ("Café at the station", "More benches", "Bench by the café"):
                capture_idea(session, meeting_id=east.id, data=IdeaInput(title=title))
        app = app_for(database)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await opened(pilot, app)
            await pilot.press("slash", *"cafe")  # accents aside, as on SQLite
            await wait_until(pilot, lambda: screen.view.text == "cafe" and len(screen.rows) == 2)
            await pilot.press("enter", "A")
            await wait_until(pilot, lambda: len(screen.selected) == 2)
            await pilot.press("s")
            await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
            app.screen.query_one("#field-status").value = "under-review"
            await pilot.press("ctrl+s")
            await wait_until(
                pilot, lambda: stored(database, "Café at the station").status != "new", timeout=10
            )
            assert stored(database, "Bench by the café").status == "under-review"
            assert stored(database, "More benches").status == "new"
    finally:
        database.close()


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_a_hidden_idea_with_a_long_title_keeps_its_marker(programme, size):
    """Moderation has its own column before the ref: a 200-character title never cuts it off,
    and the detail pane says it too."""
    with programme.write() as session:
        rude = session.exec(select(Idea).where(Idea.title == "Rude words")).one()
        rude.title = "Rude " + "w" * 195
        pending = session.exec(select(Idea).where(Idea.title == "Awaiting mod")).one()
        pending.title = "Awaiting " + "m" * 191
    app = app_for(programme)
    async with app.run_test(size=size) as pilot:
        screen = await opened(pilot, app)

        def hidden_row() -> str:
            return next((r for r in listed(app).splitlines() if "Rude www" in r), "")

        if size[0] >= 140:  # the title gets the room: the list pane's width less the columns
            await wait_until(pilot, lambda: len("Rude " + hidden_row().partition("Rude ")[2]) >= 40)
        rows = listed(app).splitlines()
        hidden = hidden_row()
        waiting = next(r for r in rows if "Awaiting mmm" in r)
        assert hidden.lstrip().startswith("HID") and waiting.lstrip().startswith("MOD")
        assert all(len(r) <= size[0] for r in rows)
        screen.set_view(screen.view.__class__(text="Rude"))
        await wait_until(pilot, lambda: len(screen.rows) == 1)
        await pilot.press("enter")
        detail = screen.query_one("#cat-detail-text", Static)
        await wait_until(pilot, lambda: "Moderation: hidden (HID)" in shown(detail))


async def test_the_detail_shows_the_published_answer_and_a_newer_draft(programme):
    benches = stored(programme, "More benches")
    catalogue = CatalogueSession(programme, "Transport", "Priya")
    catalogue.review(
        [benches.id],
        Review(status=IdeaStatus.UNDER_REVIEW, response="We are measuring the pavements."),
    )
    catalogue.publish([benches.id])
    catalogue.review([benches.id], Review(response="Six benches go in next spring."))
    app = app_for(programme)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await opened(pilot, app)
        screen.set_view(screen.view.__class__(text="benches"))
        await wait_until(pilot, lambda: len(screen.rows) == 1)
        detail = screen.query_one("#cat-detail-text", Static)
        await wait_until(pilot, lambda: "Published answer (" in shown(detail))
        text = shown(detail)
        published, draft = text.split("Published answer (")[1].split("Draft (not yet public")
        assert "We are measuring the pavements." in published and "Under review" in published
        assert "Six benches go in next spring." in draft
        assert "Response (draft until published)" not in text
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(
            pilot,
            lambda: (
                "Six benches go in next spring." in shown(detail).split("Supports:")[0]
                and "Draft (not yet public" not in shown(detail)
            ),
        )
        answer = shown(detail).split("Published answer (")[1]
        assert "Six benches go in next spring." in answer
        assert "We are measuring" not in answer.split("History:")[0]


async def test_an_idea_never_published_says_so_and_shows_its_draft(programme):
    benches = stored(programme, "More benches")
    catalogue = CatalogueSession(programme, "Transport", "Priya")
    catalogue.review([benches.id], Review(response="Soon."))
    app = app_for(programme)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        screen.set_view(screen.view.__class__(text="benches"))
        await wait_until(pilot, lambda: len(screen.rows) == 1)
        await pilot.press("enter")
        detail = screen.query_one("#cat-detail-text", Static)
        await wait_until(pilot, lambda: "Published answer: none yet" in shown(detail))
        assert "Soon." in shown(detail).split("Draft (not yet public")[1]


async def test_rows_behind_the_reviewer_dialog_keep_their_titles_at_80_columns(programme):
    """The first rows are drawn for the width the layout gives the list (not the half it has
    before the narrow breakpoint applies), so a dialog opened at once covers whole rows."""
    app = app_for(programme)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        rows = options_text(screen.query_one("#cat-list", OptionList)).splitlines()
        assert any("Café at the station" in r for r in rows)
        assert any("More benches" in r for r in rows)
        assert screen.drawn_width >= 70
