"""Themes from the keyboard (a real database file, a Textual pilot, 80x24): ``t`` in the
catalogue puts the selected ideas in a new theme or an existing one; ``T`` opens the themes
screen: counts, edit and publish, take ideas out, and suggestions accepted, renamed or
rejected (computed in a worker); people's words shown literally."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import OptionList, Static

from meetingtui.catalogue_session import CatalogueSession
from meetingtui.domain import programmes, themes
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.models import Idea, Theme, ThemeDecision
from meetingtui.domain.public import Audience
from meetingtui.tui.screens.catalogue import CatalogueScreen
from meetingtui.tui.screens.catalogue_app import make_catalogue_app
from meetingtui.tui.screens.confirm import ConfirmScreen
from meetingtui.tui.screens.form_dialog import FormDialog
from meetingtui.tui.screens.themes import ThemesScreen
from tests.domain.test_lifecycle_answers import new_meeting
from tests.tui.conftest import options_text, wait_until
from tests.tui.test_catalogue_screen import opened, shown

IDEAS = [
    ("[bold]Bus shelter[/] on the High Street", "the shelter at the bus stop leaks"),
    ("Shelter at the bus stop by the school", "children wait at the bus stop in rain"),
    ("Bus stop shelters with seats", "a seat in every bus shelter"),
    ("Café in the library", "community café"),
]


def _programme_with_ideas(database):
    with database.write() as session:
        east = new_meeting(session, "East", "Transport", code="eastcode23")
        for title, detail in IDEAS:
            capture_idea(session, meeting_id=east.id, data=IdeaInput(title=title, detail=detail))
    return database


def _themes(database) -> dict[str, set[str]]:
    with database.read() as session:
        programme = programmes.find_programme(session, "Transport")
        return {
            t.name: {i.title for i, _ in themes.theme_ideas(session, t, Audience.ORGANISERS)}
            for t in themes.list_themes(session, programme, Audience.ORGANISERS)
        }


def app_for(database):
    return make_catalogue_app(lambda: CatalogueSession(database, "Transport", "Priya"))


async def test_t_assigns_the_selected_ideas_to_a_new_then_an_existing_theme(database):
    _programme_with_ideas(database)
    app = app_for(database)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        await pilot.press("space", "space")  # the two newest ideas
        assert len(screen.selected) == 2
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        app.screen.query_one("#field-new").value = "Buses [red]&[/] shelters 🚌"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, CatalogueScreen))
        await wait_until(pilot, lambda: len(_themes(database)) == 1)
        [(name, titles)] = _themes(database).items()
        assert name == "Buses [red]&[/] shelters 🚌"
        assert titles == {IDEAS[3][0], IDEAS[2][0]}
        await wait_until(pilot, lambda: not screen.selected)
        # The highlighted idea alone, into the theme chosen from the list.
        place = next(n for n, r in enumerate(screen.rows) if r.idea.title == IDEAS[0][0])
        screen.query_one("#cat-list", OptionList).highlighted = place
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        app.screen.query_one("#field-theme").value = name
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(_themes(database)[name]) == 3)
        # T: the themes screen lists it with its counts, literally.
        await wait_until(pilot, lambda: isinstance(app.screen, CatalogueScreen))
        await pilot.press("T")
        await wait_until(pilot, lambda: isinstance(app.screen, ThemesScreen))
        themes_screen = app.screen
        await wait_until(pilot, lambda: themes_screen.reads >= 1)
        listing = options_text(themes_screen.query_one("#th-list", OptionList))
        assert "Buses [red]&[/] shelters" in listing and "draft" in listing
        detail = themes_screen.query_one("#th-detail", Static)
        await wait_until(pilot, lambda: "3 ideas" in shown(detail))
        assert "Channels: Spoken at meeting 3" in shown(detail)
        ideas = themes_screen.query_one("#th-ideas", OptionList)
        assert "[bold]Bus shelter[/]" in options_text(ideas)


async def test_themes_screen_edits_publishes_and_removes_ideas(database):
    _programme_with_ideas(database)
    with database.write() as session:
        programme = programmes.find_programme(session, "Transport")
        theme = themes.add_theme(session, programme=programme, name="Buses")
        ids = [i.id for i in session.exec(select(Idea).order_by(Idea.seq))][:3]
        themes.assign_ideas(session, theme=theme, idea_ids=ids)
    app = app_for(database)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, app)
        await pilot.press("T")
        await wait_until(pilot, lambda: isinstance(app.screen, ThemesScreen))
        screen = app.screen
        detail = screen.query_one("#th-detail", Static)
        await wait_until(pilot, lambda: "3 ideas" in shown(detail))
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        app.screen.query_one("#field-response").text = "New shelters in 2027."
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ThemesScreen))
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")

        def published() -> Theme:
            with database.read() as session:
                return session.exec(select(Theme)).one()

        await wait_until(pilot, lambda: published().public_response == "New shelters in 2027.")
        await wait_until(pilot, lambda: "(published)" in shown(detail))
        await pilot.press("enter", "space", "x")
        await wait_until(pilot, lambda: len(next(iter(_themes(database).values()))) == 2)
        await wait_until(pilot, lambda: "2 ideas" in shown(detail))
        await pilot.press("escape", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CatalogueScreen))


async def test_suggestions_are_computed_in_a_worker_accepted_and_rejected(database):
    _programme_with_ideas(database)
    app = app_for(database)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, app)
        await pilot.press("T")
        await wait_until(pilot, lambda: isinstance(app.screen, ThemesScreen))
        screen = app.screen
        await pilot.press("2")
        await wait_until(pilot, lambda: screen.suggested is not None)
        assert len(screen.suggested) == 1
        listing = options_text(screen.query_one("#th-list", OptionList))
        assert "bus" in listing and "shelter" in listing
        detail = screen.query_one("#th-detail", Static)
        await wait_until(pilot, lambda: "Shared words:" in shown(detail))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        app.screen.query_one("#field-name").value = "Shelters"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Shelters" in _themes(database))
        assert len(_themes(database)["Shelters"]) == 3
        await wait_until(pilot, lambda: screen.suggested == [])
        with database.read() as session:
            [decision] = session.exec(select(ThemeDecision)).all()
        assert (decision.decision, decision.decided_by, decision.name) == (
            "renamed",
            "Priya",
            "Shelters",
        )
        await pilot.press("1")
        await wait_until(pilot, lambda: "Shelters" in options_text(screen.query_one("#th-list")))


async def test_a_rejected_suggestion_is_gone_for_good(database):
    _programme_with_ideas(database)
    app = app_for(database)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, app)
        await pilot.press("T")
        await wait_until(pilot, lambda: isinstance(app.screen, ThemesScreen))
        screen = app.screen
        await pilot.press("2")
        await wait_until(pilot, lambda: bool(screen.suggested))
        await pilot.press("x")
        await wait_until(pilot, lambda: screen.suggested == [])
        with database.read() as session:
            [decision] = session.exec(select(ThemeDecision)).all()
        assert decision.decision == "rejected" and decision.decided_by == "Priya"
        assert _themes(database) == {}
