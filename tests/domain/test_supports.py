"""The one support count (domain/supports.py), on SQLite and PostgreSQL: an idea counts each
device once across itself and the ideas merged into it that the audience may see; a theme each
device once across its ideas and theirs; and every surface that shows a count reads that one
number (found by review: the console, the phone, similar ideas, the minutes, the site and the
theme view each counted on their own, and disagreed after a merge)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from meetingtui.domain import merging, themes
from meetingtui.domain.catalogue import idea_detail
from meetingtui.domain.catalogue_view import CatalogueView, catalogue_page
from meetingtui.domain.duplicates import catalogue_ideas
from meetingtui.domain.errors import DomainError
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.models import Idea, Support
from meetingtui.domain.moderation import set_visibility
from meetingtui.domain.programmes import find_programme
from meetingtui.domain.public import Audience, public_snapshot
from meetingtui.domain.similar import similar_ideas
from meetingtui.domain.snapshot import load_idea_rows, load_record
from meetingtui.domain.supports import (
    idea_support_count,
    idea_support_counts,
    theme_support_counts,
    toggle_support,
)
from meetingtui.export.minutes import build_minutes
from meetingtui.web.views import load_public_meeting
from tests.domain.test_lifecycle_answers import new_meeting

PUBLIC, ORGANISERS = Audience.PUBLIC, Audience.ORGANISERS


@pytest.fixture
def merged(any_database):
    """East (programme Transport): A "Bus lane on Main Street", B "Bus lane on the high
    street", C "Cycle racks", H "HIDDEN bus lane words". Phones: A p1 p2; B p2 p3; C p1; H p4.
    A and H are merged into B, then H is hidden by a moderator. Theme "Buses" holds A, B
    and C (published)."""
    database = any_database
    titles = {
        "A": "Bus lane on Main Street",
        "B": "Bus lane on the high street",
        "C": "Cycle racks",
        "H": "HIDDEN bus lane words",
    }
    with database.write() as session:
        meeting = new_meeting(session, "East", "Transport", code="eastcode23")
        ids = {
            key: capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=title)).id
            for key, title in titles.items()
        }
    with database.write() as session:
        for ref, devices in (
            ("I-0001", ("p1", "p2")),
            ("I-0002", ("p2", "p3")),
            ("I-0003", ("p1",)),
            ("I-0004", ("p4",)),
        ):
            for device in devices:
                toggle_support(session, meeting_id=meeting.id, idea_ref=ref, device=device)
    with database.write() as session:
        merging.merge_ideas(session, [ids["A"], ids["H"]], ids["B"], "Clerk")
        set_visibility(
            session, meeting_id=meeting.id, entity="idea", entity_id=ids["H"], visibility="hidden"
        )
        programme = find_programme(session, "Transport")
        theme = themes.add_theme(session, programme=programme, name="Buses")
        themes.assign_ideas(session, theme=theme, idea_ids=[ids["A"], ids["B"], ids["C"]])
        themes.edit_theme(session, theme=theme, response="We are on it.", publish=True)
        ids["theme"] = theme.id
    return database, meeting, ids


def test_an_idea_counts_each_device_once_across_what_was_merged_into_it(merged) -> None:
    database, _meeting, ids = merged
    with database.read() as session:
        public = idea_support_counts(session, [ids[k] for k in "ABCH"], PUBLIC)
        organisers = idea_support_counts(session, [ids[k] for k in "ABCH"], ORGANISERS)
    # B: p2 p3 and, from A, p1 (p2 supported both: once). H is hidden: its p4 is the
    # organisers' business only. A merged idea keeps its own supports.
    assert public == {ids["A"]: 2, ids["B"]: 3, ids["C"]: 1, ids["H"]: 1}
    assert organisers[ids["B"]] == 4


def test_a_theme_counts_each_device_once_across_its_ideas_and_their_sources(merged) -> None:
    database, meeting, ids = merged
    with database.read() as session:
        # A, B and C, with H through B: p1 p2 p3 (p1 and p2 supported two ideas each) and,
        # for the organisers only, the hidden H's p4.
        assert theme_support_counts(session, [ids["theme"]], PUBLIC) == {ids["theme"]: 3}
        assert theme_support_counts(session, [ids["theme"]], ORGANISERS) == {ids["theme"]: 4}
        programme = find_programme(session, "Transport")
        [overview] = themes.theme_overviews(session, programme, PUBLIC)
        assert overview.supports == 3 and overview.ideas == 3
        [staff] = themes.theme_overviews(session, programme, ORGANISERS)
        assert staff.supports == 4
        assert theme_support_counts(session, [ids["theme"]], PUBLIC, meeting_ids=[meeting.id]) == {
            ids["theme"]: 3
        }
        assert theme_support_counts(session, [ids["theme"]], PUBLIC, meeting_ids=[]) == {
            ids["theme"]: 0
        }


def test_every_surface_shows_the_one_count(merged) -> None:
    database, meeting, ids = merged
    b = ids["B"]
    with database.read() as session:
        idea = session.get(Idea, b)
        assert merging.merge_view(session, idea, PUBLIC).supports == 3
        assert idea_detail(session, idea, PUBLIC).supports == 3
        assert idea_detail(session, idea, ORGANISERS).supports == 4
        rows = catalogue_page(session, [meeting.id], CatalogueView(), audience=PUBLIC)
        assert {row.idea.id: row.supports for row in rows}[b] == 3
        rows = catalogue_page(session, [meeting.id], CatalogueView(), audience=ORGANISERS)
        assert {row.idea.id: row.supports for row in rows}[b] == 4
        console = similar_ideas(
            session, text="bus lane on the high street", audience=ORGANISERS, limit=5
        )
        assert {s.idea_id: s.support_count for s in console}[b] == 4
        phone = similar_ideas(
            session,
            text="bus lane on the high street",
            audience=PUBLIC,
            meeting_ids=[meeting.id],
            follow_merges=True,
        )
        assert {s.idea_id: s.support_count for s in phone}[b] == 3
        page = load_public_meeting(session, "eastcode23", all_comments_of="I-0002")
        assert page.focus is not None and page.focus.support_count == 3
        assert {i.ref: i.support_count for i in page.ideas}["I-0002"] == 3
        minutes = build_minutes(session, meeting.id)
        entries = {i.ref: i.supports for i in minutes.all_ideas}
        assert entries == {"I-0001": 2, "I-0002": 3, "I-0003": 1}  # H: hidden, not there
        assert minutes.support_count == 4  # B's three (A's within them) and C's one
        record = load_record(session, meeting.id, ORGANISERS)
        assert record.supports[b] == 4
        assert public_snapshot(record, PUBLIC).supports[b] == 3
        assert load_record(session, meeting.id, PUBLIC).supports[b] == 3
        assert load_idea_rows(session, [b]).supports[b] == 4  # the console's live view
        assert {i.id: i.supports for i in catalogue_ideas(session, [meeting.id])}[b] == 4


def test_the_phone_is_offered_the_idea_kept_never_the_merged_one_and_never_both(merged) -> None:
    database, meeting, ids = merged
    with database.read() as session:
        phone = similar_ideas(
            session,
            text="bus lane on main street",
            audience=PUBLIC,
            meeting_ids=[meeting.id],
            follow_merges=True,
        )
        console = similar_ideas(
            session, text="bus lane on main street", audience=PUBLIC, meeting_ids=[meeting.id]
        )
    assert phone[0].idea_id == ids["B"] and phone[0].merged_into == ""
    assert [s.idea_id for s in phone].count(ids["B"]) == 1
    assert ids["A"] not in [s.idea_id for s in phone]
    assert all("HIDDEN" not in s.title for s in phone + console)
    # The console is told where the merged one went, as before.
    assert console[0].idea_id == ids["A"] and console[0].merged_into == "I-0002"


def test_a_merged_idea_takes_no_support_and_says_where_to_go(merged) -> None:
    database, meeting, ids = merged
    with database.write() as session, pytest.raises(DomainError) as refused:
        toggle_support(session, meeting_id=meeting.id, idea_ref="I-0001", device="p9")
    assert "I-0002" in str(refused.value)
    # p1 supports A already: no withdrawal either
    with database.write() as session, pytest.raises(DomainError):
        toggle_support(session, meeting_id=meeting.id, idea_ref="I-0001", device="p1")
    with database.write() as session:
        supported, total = toggle_support(
            session, meeting_id=meeting.id, idea_ref="I-0002", device="p1"
        )
    assert supported and total == 3  # p1 counted once: through A, and now on B itself
    with database.read() as session:
        assert idea_support_count(session, ids["A"], PUBLIC) == 2
        rows = session.exec(select(Support.device).where(Support.idea_id == ids["A"])).all()
        assert sorted(rows) == ["p1", "p2"]


def test_a_merged_idea_whose_kept_idea_is_hidden_is_not_named_by_the_refusal(merged) -> None:
    database, meeting, ids = merged
    with database.write() as session:
        set_visibility(
            session, meeting_id=meeting.id, entity="idea", entity_id=ids["B"], visibility="hidden"
        )
    with database.write() as session, pytest.raises(DomainError) as refused:
        toggle_support(session, meeting_id=meeting.id, idea_ref="I-0001", device="p9")
    assert "I-0002" not in str(refused.value) and "high street" not in str(refused.value)
    with database.read() as session:
        # B is hidden: the public sees neither it nor, in the theme, its devices.
        assert theme_support_counts(session, [ids["theme"]], PUBLIC) == {ids["theme"]: 2}


def test_unmerging_gives_each_idea_its_own_count_back(merged) -> None:
    database, _meeting, ids = merged
    with database.write() as session:
        merging.unmerge(session, ids["A"], "Clerk")
    with database.read() as session:
        counts = idea_support_counts(session, [ids["A"], ids["B"]], PUBLIC)
        assert counts == {ids["A"]: 2, ids["B"]: 2}
        assert theme_support_counts(session, [ids["theme"]], PUBLIC) == {ids["theme"]: 3}


def test_many_ideas_are_counted_by_meeting_or_in_chunks(merged) -> None:
    """The API's every idea and the duplicates' whole catalogue: past one IN list."""
    database, meeting, ids = merged
    with database.write() as session:
        more = [
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=f"Idea {n}")).id
            for n in range(520)
        ]
    every = [*more, ids["A"], ids["B"], ids["C"]]
    with database.read() as session:
        by_meeting = idea_support_counts(session, every, PUBLIC, meeting_id=meeting.id)
        by_chunks = idea_support_counts(session, every, PUBLIC)
    for counts in (by_meeting, by_chunks):
        assert counts[ids["B"]] == 3 and counts[ids["A"]] == 2 and counts[ids["C"]] == 1
        assert sum(counts[i] for i in more) == 0


def test_the_phone_sorts_most_supported_by_the_count_it_shows(merged) -> None:
    database, meeting, ids = merged
    with database.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Dropped kerbs"))
        for device in ("q1", "q2"):
            toggle_support(session, meeting_id=meeting.id, idea_ref="I-0005", device=device)
    with database.read() as session:
        page = load_public_meeting(session, "eastcode23", sort="support")
    # B's three (with A's) first; then the twos, newest first: D (I-0005), then A.
    assert [(i.ref, i.support_count) for i in page.ideas] == [
        ("I-0002", 3),
        ("I-0005", 2),
        ("I-0001", 2),
        ("I-0003", 1),
    ]
