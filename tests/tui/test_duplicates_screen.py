"""The "Possible duplicates" screen (``D`` in the catalogue), driven by a Textual pilot at
80x24 on a real SQLite file: the search runs with progress, clusters are listed largest first
with refs, titles, channels, meetings and supports (people's words literal), a pair or a whole
cluster is dismissed and stays dismissed, a cluster is merged into the chosen idea, an idea is
read, the threshold moves with + and -, escape goes back."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import OptionList

from meetingtui.catalogue_session import CatalogueSession
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.models import DuplicateDismissal, Idea, Support
from meetingtui.domain.states import IdeaStatus
from meetingtui.tui.screens.catalogue import CatalogueScreen
from meetingtui.tui.screens.catalogue_app import make_catalogue_app
from meetingtui.tui.screens.choice import ChoiceScreen
from meetingtui.tui.screens.duplicates import DuplicatesScreen, IdeaReadScreen
from tests.domain.test_lifecycle_answers import new_meeting
from tests.tui.conftest import options_text, screen_text, wait_until

TITLES = [
    ("More benches in the park", "eastcode23", 3),
    ("Park bench", "westcode23", 0),
    ("The park needs more benches", "eastcode23", 1),
    ("[bold red]Free parking[/] for carers", "westcode23", 0),
    ("Free parking for [bold red]carers[/]", "eastcode23", 2),
    ("Longer library opening hours", "westcode23", 0),
]


def seeded(database):
    with database.write() as session:
        meetings = {
            code: new_meeting(session, title, "Transport", code=code)
            for code, title in (("eastcode23", "East"), ("westcode23", "West"))
        }
        for title, code, supports in TITLES:
            meeting = meetings[code]
            idea = capture_idea(
                session, meeting_id=meeting.id, data=IdeaInput(title=title, channel="phone")
            )
            for s in range(supports):
                session.add(Support(idea_id=idea.id, meeting_id=meeting.id, device=f"d{s}"))
    return database


async def opened(pilot, app) -> DuplicatesScreen:
    await wait_until(pilot, lambda: isinstance(app.screen, CatalogueScreen))
    await wait_until(pilot, lambda: app.screen.pages_read >= 1)
    await pilot.press("D")
    await wait_until(pilot, lambda: isinstance(app.screen, DuplicatesScreen))
    screen = app.screen
    await wait_until(pilot, lambda: screen.searches >= 1)
    return screen


def listed(app) -> str:
    return options_text(app.screen.query_one("#dup-list", OptionList))


async def test_clusters_are_listed_largest_first_with_progress(database):
    app = make_catalogue_app(lambda: CatalogueSession(seeded(database), "Transport", "Priya"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        assert screen.progress_seen and screen.progress_seen[-1][0] == 1.0
        text = listed(app)
        lines = [line for line in text.splitlines() if line.strip()]
        assert lines[0].startswith("1. 3 ideas")  # the benches, largest first
        assert "More benches in the park" in lines[1]  # most supported first
        assert "   3 " in lines[1] and "phone · East" in lines[1]
        assert "2. 2 ideas" in text and "[bold red]Free parking[/] for carers" in text
        assert "Longer library" not in text
        assert "2 clusters, 4 pairs at 0.75" in screen_text(app)
        assert "words 1.00" in screen_text(app)  # the highlighted cluster's pairs and words
        await pilot.press("enter")  # read the idea
        await wait_until(pilot, lambda: isinstance(app.screen, IdeaReadScreen))
        await wait_until(pilot, lambda: "More benches in the park" in screen_text(app))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        await pilot.press("minus")  # looser: searched again
        await wait_until(pilot, lambda: screen.searches >= 2)
        assert screen.threshold == 0.7 and "at 0.70" in screen_text(app)
        await pilot.press("plus", "plus")
        await wait_until(pilot, lambda: screen.searches >= 4)
        assert screen.threshold == 0.8
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CatalogueScreen))


async def test_a_cluster_dismissed_stays_dismissed_and_one_is_merged(database):
    seeded(database)
    app = make_catalogue_app(lambda: CatalogueSession(database, "Transport", "Priya"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        listing = app.screen.query_one("#dup-list", OptionList)
        second = next(i for i, (n, idea) in enumerate(screen.rows) if n == 1 and idea is None)
        listing.highlighted = second  # the carers' cluster
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("c")
        await wait_until(pilot, lambda: "carers" not in listed(app))
        listing.highlighted = 2  # "Park bench", in the benches' cluster
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("1")  # keep the first: the most supported
        await wait_until(pilot, lambda: "No possible duplicates" in listed(app))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CatalogueScreen))
    with database.read() as session:
        assert len(session.exec(select(DuplicateDismissal)).all()) == 1
        ideas = {i.title: i for i in session.exec(select(Idea))}
        kept = ideas["More benches in the park"]
        assert kept.status == IdeaStatus.NEW
        for title in ("Park bench", "The park needs more benches"):
            assert ideas[title].status == IdeaStatus.MERGED
            assert ideas[title].merged_into_id == kept.id
    again = make_catalogue_app(lambda: CatalogueSession(database, "Transport", "Tom"))
    async with again.run_test(size=(80, 24)) as pilot:
        await opened(pilot, again)
        assert "No possible duplicates" in listed(again)
        assert "1 dismissed pair left out" in screen_text(again)
