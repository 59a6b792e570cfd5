"""Themes on a real database (SQLite file and PostgreSQL): CRUD and membership, counts at a
glance, the public history of membership, suggestions from shared words (explainable, accents
folded, a rejected one not made again, decisions recorded), and the inheritance rule."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from meetingtui.domain import lifecycle, programmes, themes
from meetingtui.domain.errors import DomainError, FieldErrors, NotFound
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.models import Event, IdeaChange, ThemeDecision
from meetingtui.domain.moderation import set_visibility
from meetingtui.domain.public import Audience, answer_of, idea_answers
from meetingtui.domain.states import Visibility
from meetingtui.domain.supports import toggle_support
from tests.domain.test_lifecycle_answers import new_meeting

BUS_IDEAS = (
    ("Bus shelter on the High Street", "The shelter needs a roof and a timetable", "resident"),
    ("A shelter at the bus stop by the school", "Children wait in the rain: shelter", "carer"),
    ("Bus shelters with seats", "Older people need a seat and a shelter at the bus stop", ""),
)
CAFE_IDEAS = (
    ("Café in the library", "A community café, open at weekends", "resident"),
    ("Cafe near the library entrance", "cafe with weekend hours for the community", "carer"),
    ("Library café for carers", "The CAFÉ could host a community group at weekends", "carer"),
)
OTHER = ("More trees on the river path", "Fix the broken lights in the car park")


def _catalogue(database, programme_name: str = "Transport"):
    with database.write() as session:
        meeting = new_meeting(session, "East hearing", programme_name, code="east12345")
        ids = []
        for title, detail, group in (*BUS_IDEAS, *CAFE_IDEAS):
            data = IdeaInput(title=title, detail=detail, stakeholder=group, channel="spoken")
            ids.append(capture_idea(session, meeting_id=meeting.id, data=data).id)
        for title in OTHER:
            data = IdeaInput(title=title, channel="card")
            ids.append(capture_idea(session, meeting_id=meeting.id, data=data).id)
    return meeting, ids


def _programme(session, name: str = "Transport"):
    return programmes.find_programme(session, name)


def test_theme_crud_and_membership(any_database) -> None:
    meeting, ids = _catalogue(any_database)
    with any_database.write() as session:
        programme = _programme(session)
        theme = themes.add_theme(session, programme=programme, name="Buses 🚌", actor="ana")
        with pytest.raises(FieldErrors, match="already has a theme"):
            themes.add_theme(session, programme=programme, name="BUSES 🚌")
        with pytest.raises(FieldErrors, match="Give the theme a name"):
            themes.add_theme(session, programme=programme, name="   ")
        assert themes.assign_ideas(session, theme=theme, idea_ids=ids[:3], actor="ana") == 3
        assert themes.assign_ideas(session, theme=theme, idea_ids=ids[:4], actor="ana") == 1
        other = themes.add_theme(session, programme=programme, name="Everything")
        themes.assign_ideas(session, theme=other, idea_ids=ids[:2])  # many-to-many
        themes.rename_theme(session, theme=theme, name="Buses and shelters")
    with any_database.write() as session:
        programme = _programme(session)
        theme = themes.find_theme(session, programme, "buses AND shelters")
        assert [i.title for i, _ in themes.theme_ideas(session, theme, Audience.ORGANISERS)] == [
            *(t for t, _, _ in BUS_IDEAS),
            CAFE_IDEAS[0][0],
        ]
        assert themes.unassign_ideas(session, theme=theme, idea_ids=[ids[3], ids[4]]) == 1
        of = themes.themes_of_ideas(session, [ids[0]], Audience.ORGANISERS)
        assert [t.name for t in of[ids[0]]] == ["Buses and shelters", "Everything"]
        with pytest.raises(NotFound, match="Themes: Buses and shelters, Everything"):
            themes.find_theme(session, programme, "Trains")
        everything = themes.find_theme(session, programme, "Everything")
        assert themes.delete_theme(session, theme=everything, actor="ana") == 2
    with any_database.read() as session:
        kinds = [e.kind for e in session.exec(select(Event).where(Event.entity == "theme"))]
        assert kinds == [
            "theme.added",
            "theme.assigned",
            "theme.assigned",
            "theme.added",
            "theme.assigned",
            "theme.renamed",
            "theme.unassigned",
            "theme.deleted",
        ]
        assert [
            t.name for t in themes.list_themes(session, _programme(session), Audience.ORGANISERS)
        ] == ["Buses and shelters"]
        # Ideas are never deleted with a theme.
        assert len(themes._catalogue_texts(session, _programme(session))) == 8 - 3


def test_ideas_of_another_programme_are_refused_whole(any_database) -> None:
    _, ids = _catalogue(any_database)
    with any_database.write() as session:
        elsewhere = new_meeting(session, "West", "Health", code="west12345")
        stranger = capture_idea(session, meeting_id=elsewhere.id, data=IdeaInput(title="GP"))
        theme = themes.add_theme(session, programme=_programme(session), name="Buses")
        with pytest.raises(DomainError, match="Not in programme 'Transport'"):
            themes.assign_ideas(session, theme=theme, idea_ids=[ids[0], stranger.id])
        assert themes.theme_ideas(session, theme, Audience.ORGANISERS) == []


def test_counts_at_a_glance_and_the_public_view(any_database) -> None:
    meeting, ids = _catalogue(any_database)
    with any_database.write() as session:
        theme = themes.add_theme(session, programme=_programme(session), name="Mixed")
        themes.assign_ideas(session, theme=theme, idea_ids=[ids[0], ids[1], ids[3], ids[6]])
        for device in ("d1", "d2"):
            toggle_support(session, meeting_id=meeting.id, idea_ref="I-0001", device=device)
        set_visibility(
            session,
            meeting_id=meeting.id,
            entity="idea",
            entity_id=ids[1],
            visibility=Visibility.HIDDEN,
        )
    with any_database.write() as session:
        programme = _programme(session)
        [seen] = themes.theme_overviews(session, programme, Audience.ORGANISERS)
        assert (seen.ideas, seen.supports) == (4, 2)
        assert seen.channels == {"spoken": 3, "card": 1}
        assert seen.stakeholders == {"resident": 2, "carer": 1, "": 1}
        assert themes.theme_overviews(session, programme, Audience.PUBLIC) == []  # a draft
        theme = themes.find_theme(session, programme, "Mixed")
        themes.edit_theme(session, theme=theme, summary="Things", publish=True, actor="ana")
        [public] = themes.theme_overviews(session, programme, Audience.PUBLIC)
        assert (public.ideas, public.supports) == (3, 2)  # the hidden idea is not counted
        assert public.stakeholders == {"resident": 2, "": 1}
        titles = [i.title for i, _ in themes.theme_ideas(session, theme, Audience.PUBLIC)]
        assert BUS_IDEAS[1][0] not in titles


def test_membership_enters_the_public_history_once_the_theme_is_published(any_database) -> None:
    _, ids = _catalogue(any_database)
    with any_database.write() as session:
        theme = themes.add_theme(session, programme=_programme(session), name="Buses")
        themes.assign_ideas(session, theme=theme, idea_ids=[ids[0]])
    with any_database.read() as session:
        assert lifecycle.history(session, ids[0], Audience.PUBLIC) == []
        assert [c.to_value for c in lifecycle.history(session, ids[0], Audience.ORGANISERS)] == [
            "Buses"
        ]
    with any_database.write() as session:
        theme = themes.find_theme(session, _programme(session), "Buses")
        themes.publish_theme(session, theme=theme, actor="ana")
        themes.assign_ideas(session, theme=theme, idea_ids=[ids[1]])
        themes.rename_theme(session, theme=theme, name="Buses (draft name)")
        themes.unassign_ideas(session, theme=theme, idea_ids=[ids[1]])
    with any_database.read() as session:
        first = lifecycle.history(session, ids[0], Audience.PUBLIC)
        second = lifecycle.history(session, ids[1], Audience.PUBLIC)
        assert [(c.field, c.from_value, c.to_value) for c in first] == [("theme", "", "Buses")]
        # The working name never shows before it is published.
        assert [(c.from_value, c.to_value) for c in second] == [("", "Buses"), ("Buses", "")]
        published = session.exec(select(Event).where(Event.kind == "theme.published")).one()
        assert json.loads(published.detail)["public"] is True


def test_response_inheritance_rule(any_database) -> None:
    assert answer_of("own", [("A", "theme")]).response == "own"
    assert answer_of("", [("b", "second"), ("A", "first")]).theme == "A"
    assert answer_of("", [("A", "")]).response == ""
    _, ids = _catalogue(any_database)
    with any_database.write() as session:
        theme = themes.add_theme(session, programme=_programme(session), name="Buses")
        themes.assign_ideas(session, theme=theme, idea_ids=ids[:3])
        themes.edit_theme(session, theme=theme, response="We will build shelters. <b>")
        lifecycle.set_response(session, idea_ids=[ids[0]], response="Done on High Street")
        lifecycle.publish_answers(session, idea_ids=[ids[0]])
    with any_database.read() as session:
        ideas = [session.get(lifecycle.Idea, i) for i in ids[:4]]
        public = idea_answers(session, ideas, Audience.PUBLIC)
        assert public[ids[1]].response == ""  # the theme's response is still a draft
        organisers = idea_answers(session, ideas, Audience.ORGANISERS)
        assert organisers[ids[1]].response == "We will build shelters. <b>"
        assert organisers[ids[1]].theme == "Buses"
    with any_database.write() as session:
        theme = themes.find_theme(session, _programme(session), "Buses")
        themes.publish_theme(session, theme=theme)
    with any_database.read() as session:
        ideas = [session.get(lifecycle.Idea, i) for i in ids[:4]]
        public = idea_answers(session, ideas, Audience.PUBLIC)
        assert public[ids[0]].response == "Done on High Street"  # its own response wins
        assert not public[ids[0]].inherited
        assert (public[ids[1]].response, public[ids[1]].theme) == (
            "We will build shelters. <b>",
            "Buses",
        )
        assert public[ids[3]].response == ""  # not in the theme


def test_suggestions_are_explainable_and_fold_accents(any_database) -> None:
    _, ids = _catalogue(any_database)
    with any_database.read() as session:
        found = themes.suggest_themes(session, _programme(session))
    by_words = {s.words[:2]: s for s in found}
    assert len(found) == 2, [(s.name, s.words) for s in found]
    cafe = next(s for s in found if "cafe" in s.words)
    assert {i.id for i in cafe.ideas} == set(ids[3:6])
    assert {"cafe", "library", "community", "weekends"} <= set(cafe.words) or {
        "cafe",
        "library",
    } <= set(cafe.words)
    assert all(len(i.shared) >= 2 for s in found for i in s.ideas)  # each says why
    assert cafe.name.startswith(("Café", "Library", "Community"))  # as people wrote it
    bus = next(s for s in found if s is not cafe)
    assert {i.id for i in bus.ideas} == set(ids[:3])
    assert "shelter" in bus.words and "bus" in bus.words
    assert [s.number for s in found] == [1, 2]
    assert by_words


def test_a_merged_idea_is_not_suggested_beside_the_idea_it_joined(any_database) -> None:
    """Found by a reviewer: a suggestion listed an idea merged into another of its ideas."""
    from meetingtui.domain import merging

    _, ids = _catalogue(any_database)
    with any_database.write() as session:
        merging.merge_ideas(session, [ids[4]], ids[3], "Clerk")
    with any_database.read() as session:
        found = themes.suggest_themes(session, _programme(session))
    assert ids[4] not in {i.id for s in found for i in s.ideas}


def test_accepting_renaming_and_rejecting_suggestions(any_database) -> None:
    _, ids = _catalogue(any_database)
    with any_database.write() as session:
        programme = _programme(session)
        first, second = themes.suggest_themes(session, programme)
        theme = themes.accept_suggestion(
            session, programme=programme, suggestion=first, name="Renamed", actor="ana"
        )
        assert {i.id for i, _ in themes.theme_ideas(session, theme, Audience.ORGANISERS)} == {
            i.id for i in first.ideas
        }
        themes.reject_suggestion(session, programme=programme, suggestion=second, actor="tom")
    with any_database.write() as session:
        programme = _programme(session)
        assert themes.suggest_themes(session, programme) == []  # neither is made again
        made = themes.decisions(session, programme)
        assert sorted((d.decision, d.decided_by, d.idea_count) for d in made) == [
            ("rejected", "tom", 3),
            ("renamed", "ana", 3),
        ]
        rejected = next(d for d in made if d.decision == "rejected")
        assert json.loads(rejected.words) == list(second.words)
        assert rejected.decided_at is not None
        # Deleting the theme frees its ideas, but its suggestion stays decided.
        themes.delete_theme(session, theme=themes.find_theme(session, programme, "Renamed"))
        assert themes.suggest_themes(session, programme) == []
        assert session.exec(select(ThemeDecision)).all()
        kinds = {e.kind for e in session.exec(select(Event))}
        assert {"theme.suggestion_renamed", "theme.suggestion_rejected"} <= kinds
        assert session.exec(select(IdeaChange).where(IdeaChange.field == "theme")).all()
