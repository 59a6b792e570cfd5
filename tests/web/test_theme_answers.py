"""The phone's idea page reads the theme's published response when the idea has none of its
own (domain/public.py ``idea_answers``), says it is the theme's, and lists the theme in the
idea's history; a draft theme is never shown. Real HTTP, plain HTML."""

from __future__ import annotations

import html

from meetingtui.domain import lifecycle, programmes, themes
from meetingtui.domain.ideas import find_idea
from meetingtui.domain.models import Meeting
from tests.web.helpers import LiveWeb, add_idea


def _page(live_web: LiveWeb, ref: str) -> str:
    return html.unescape(live_web.client.get(f"/m/testcode23/ideas/{ref}").text)


def test_an_idea_inherits_its_theme_s_published_response(
    live_web: LiveWeb, meeting: Meeting
) -> None:
    plain = add_idea(live_web.database, meeting, "Bus shelter by the library")
    answered = add_idea(live_web.database, meeting, "Bus shelter by the school")
    with live_web.database.write() as session:
        ids = [find_idea(session, meeting_id=meeting.id, ref=r).id for r in (plain, answered)]
        programme = programmes.find_programme(session, None)
        theme = themes.add_theme(session, programme=programme, name="Shelters <b>")
        themes.assign_ideas(session, theme=theme, idea_ids=ids)
        themes.edit_theme(session, theme=theme, response="DRAFT: new shelters")
        lifecycle.set_response(session, idea_ids=[ids[1]], response="This one is done.")
        lifecycle.publish_answers(session, idea_ids=[ids[1]])
    drafted = _page(live_web, plain)
    assert "DRAFT" not in drafted and "Shelters" not in drafted
    assert "No answer has been published yet." in drafted
    with live_web.database.write() as session:
        theme = themes.find_theme(session, programmes.find_programme(session, None), "Shelters <b>")
        themes.edit_theme(session, theme=theme, response="New shelters in 2027.", publish=True)
    shown = _page(live_web, plain)
    assert "The organisers' response to the theme Shelters <b>" in shown
    assert "New shelters in 2027." in shown
    assert "added to the theme Shelters <b>" in shown
    raw = live_web.client.get(f"/m/testcode23/ideas/{plain}").text
    assert "Shelters &lt;b&gt;" in raw and "Shelters <b>" not in raw  # escaped
    own = _page(live_web, answered)
    assert "This one is done." in own and "New shelters in 2027." not in own
    assert "The organisers' response to the theme" not in own


def test_the_inherited_response_is_said_in_spanish(live_web: LiveWeb, meeting: Meeting) -> None:
    with live_web.database.write() as session:
        session.get(Meeting, meeting.id).language = "es"
    ref = add_idea(live_web.database, meeting, "Marquesinas")
    with live_web.database.write() as session:
        idea = find_idea(session, meeting_id=meeting.id, ref=ref)
        theme = themes.add_theme(
            session, programme=programmes.find_programme(session, None), name="Paradas"
        )
        themes.assign_ideas(session, theme=theme, idea_ids=[idea.id])
        themes.edit_theme(session, theme=theme, response="Nuevas marquesinas.", publish=True)
    page = _page(live_web, ref)
    assert "La respuesta de la organización al tema Paradas" in page
    assert "se añadió al tema Paradas" in page
