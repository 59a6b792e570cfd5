"""The projector page with polls, over real HTTP: the question and an inline SVG bar chart (no
external assets, labels escaped) with the ballots; "results at close" shows only the ballots so
far while the poll is open; a draft is not shown."""

from __future__ import annotations

from meetingtui.domain import polls
from tests.web.helpers import LiveWeb

CODE = "testcode23"


def _make(database, meeting, question, options, **settings):
    with database.write() as session:
        poll = polls.create_poll(
            session,
            meeting_id=meeting.id,
            type="single",
            question=question,
            options=options,
            **settings,
        )
        return poll.id


def _vote(phone: LiveWeb, number: int, choice: str):
    return phone.post(f"/m/{CODE}/polls/{number}", {"choice": choice})


def test_live_results_drawn_as_svg_and_escaped(live_web: LiveWeb, database, meeting) -> None:
    poll_id = _make(
        database, meeting, "Best <script>alert(1)</script> spot?", ["<b>Park</b>", "Pier"]
    )
    page = live_web.client.get(f"/m/{CODE}/screen").text
    assert "Best &lt;script&gt;" not in page  # a draft is the organisers' own
    with database.write() as session:
        polls.open_poll(session, poll_id=poll_id)
    for choice in ("0", "1", "1"):
        assert _vote(live_web.phone(), 1, choice).status_code == 303
    page = live_web.client.get(f"/m/{CODE}/screen").text
    assert (
        "Best &lt;script&gt;alert(1)&lt;/script&gt; spot?" in page and "<script>alert" not in page
    )
    chart = page[
        page.index('<svg class="screen__chart"') : page.index("</svg>", page.index("screen__chart"))
    ]
    assert "&lt;b&gt;Park&lt;/b&gt;" in chart and "<b>Park" not in chart
    assert "2 votes · 67%" in chart and "1 vote · 33%" in chart and "<rect" in chart
    assert "3 ballots" in page and "http" not in chart


def test_results_at_close_hidden_until_closed(live_web: LiveWeb, database, meeting) -> None:
    poll_id = _make(database, meeting, "Secret ballot", ["Yes", "No"], results="at close")
    with database.write() as session:
        polls.open_poll(session, poll_id=poll_id)
    for choice in ("0", "1"):
        _vote(live_web.phone(), 1, choice)
    page = live_web.client.get(f"/m/{CODE}/screen").text
    assert "Secret ballot" in page and "2 ballots so far" in page
    assert "screen__chart" not in page and "50%" not in page
    with database.write() as session:
        polls.close_poll(session, poll_id=poll_id)
    page = live_web.client.get(f"/m/{CODE}/screen").text
    assert "screen__chart" in page and "1 vote · 50%" in page


def test_the_projector_says_the_figures_in_the_meetings_language(
    live_web, database, meeting
) -> None:
    """A Spanish meeting's projector: "1.200 votos", a mean "4,5" (the two newest polls)."""
    from tests.export.test_poll_figures import _polls

    _polls(database, meeting, "es")
    page = live_web.client.get(f"/m/{meeting.code}/screen").text
    assert "1.200 votos · 57%" in page and "900 votos · 43%" in page and "1200" not in page
    assert "media 4,5" in page and "media 3,5" in page  # a score: its average, no share


def test_the_phone_says_a_mean_in_the_meetings_language(live_web, database, meeting) -> None:
    """The phone page's average score is written as the meeting's language writes decimals."""
    from meetingtui.domain.models import Meeting

    with database.write() as session:
        session.get(Meeting, meeting.id).language = "es"
        score = polls.create_poll(
            session, meeting_id=meeting.id, type="score", question="Rate", options=["Pier", "Pool"]
        )
        polls.open_poll(session, poll_id=score.id)
        for device, given in (("a", {0: 5}), ("b", {0: 4})):
            polls.cast_ballot(session, poll_id=score.id, device=device, choices=given)
    page = live_web.client.get(f"/m/{CODE}").text
    assert "media de 4,5 con 2 puntuaciones" in page and "4.5" not in page
