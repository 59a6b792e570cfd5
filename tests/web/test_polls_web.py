"""Polls over real HTTP: the phone's ballot forms without JavaScript (every type), one ballot
per device and changeable, refusals shown again with the choices kept, and the JSON API."""

from __future__ import annotations

import html
import re

import pytest

from meetingtui.domain import polls
from meetingtui.domain.models import Meeting
from tests.web.helpers import LiveWeb, error_summary_links, page_title

CODE = "testcode23"


def _poll(database, meeting: Meeting, kind: str, options, **settings) -> int:
    with database.write() as session:
        poll = polls.create_poll(
            session,
            meeting_id=meeting.id,
            type=kind,
            question=f"A {kind} question",
            options=options,
            **settings,
        )
        polls.open_poll(session, poll_id=poll.id)
        return poll.number


def _vote(phone: LiveWeb, number: int, data: dict[str, str]):
    return phone.post(f"/m/{CODE}/polls/{number}", data)


def test_single_choice_vote_is_recorded_and_changeable(
    live_web: LiveWeb, database, meeting
) -> None:
    number = _poll(database, meeting, "single", ["Evening GP <b>appointments</b>", "A bus"])
    page = live_web.page().text
    assert "Evening GP &lt;b&gt;appointments&lt;/b&gt;" in page and "<b>appointments" not in page
    assert 'name="choice"' in page
    phone = live_web.phone()
    answer = _vote(phone, number, {"choice": "0"})
    assert answer.status_code == 303 and "notice=ballot-recorded" in answer.headers["location"]
    page = phone.page().text
    assert "Your vote is recorded — you can change it until the poll closes." in page
    assert re.search(r'value="0"\s+checked', page)
    _vote(phone, number, {"choice": "1"})
    with database.read() as session:
        poll = polls.find_poll(session, meeting_id=meeting.id, key=number)
        results = polls.poll_results(session, poll)
    assert [f["votes"] for _, f in results.rows()] == [0, 1] and results.ballots == 1


def test_refused_ballot_comes_back_with_the_message_and_the_choices(
    live_web: LiveWeb, database, meeting
) -> None:
    number = _poll(database, meeting, "multiple", ["A", "B", "C", "D"], min=2, max=3)
    phone = live_web.phone()
    answer = _vote(phone, number, {"option-1": "yes"})
    assert answer.status_code == 422
    assert page_title(answer.text).startswith("Error: ")
    assert (f"#poll-{number}-form", "Choose between 2 and 3 options.") in error_summary_links(
        answer.text
    )
    assert re.search(r'name="option-1" type="checkbox" value="yes"\s+checked', answer.text)
    assert _vote(phone, number, {"option-1": "yes", "option-3": "yes"}).status_code == 303


def test_ranking_by_numbered_selects_and_budget_checked_on_the_server(
    live_web: LiveWeb, database, meeting
) -> None:
    ranking = _poll(database, meeting, "ranking", ["Red", "Green", "Blue"])
    page = live_web.page().text
    assert f'<select class="select" id="poll-{ranking}-0" name="rank-0">' in page
    phone = live_web.phone()
    refused = _vote(phone, ranking, {"rank-0": "1", "rank-1": "1"})
    assert refused.status_code == 422 and "Give each place to one option only." in refused.text
    assert _vote(phone, ranking, {"rank-0": "2", "rank-2": "1", "rank-1": ""}).status_code == 303
    budget = _poll(
        database,
        meeting,
        "budget",
        [
            polls.OptionSpec("Shade", 18000),
            polls.OptionSpec("Benches", 9000),
            polls.OptionSpec("Bike lane", 30000),
        ],
        budget=40000,
    )
    assert "costs 18,000" in phone.page().text
    over = _vote(phone, budget, {"option-0": "yes", "option-2": "yes"})
    assert over.status_code == 422 and "more than the budget of 40,000" in html.unescape(over.text)
    assert _vote(phone, budget, {"option-0": "yes", "option-1": "yes"}).status_code == 303
    data = live_web.client.get(f"/api/meetings/{CODE}/polls").json()
    by_number = {p["number"]: p for p in data["polls"]}
    assert [o["borda"] for o in by_number[ranking]["options"]] == [1, 0, 2]
    assert [o["first"] for o in by_number[ranking]["options"]] == [0, 0, 1]
    assert by_number[budget]["options"][0] == {
        "label": "Shade",
        "cost": 18000,
        "votes": 1,
        "selected_greedy": True,
        "selected_equal_shares": True,
    }


def test_score_and_dots_by_form_fields(live_web: LiveWeb, database, meeting) -> None:
    score = _poll(database, meeting, "score", ["Room", "Food"])
    dots = _poll(database, meeting, "dots", ["North", "South"], dots=3)
    phone = live_web.phone()
    assert _vote(phone, score, {"score-0": "5", "score-1": ""}).status_code == 303
    too_many = _vote(phone, dots, {"dots-0": "2", "dots-1": "2"})
    assert too_many.status_code == 422 and "You placed 4 but you have 3." in too_many.text
    assert 'name="dots-0" type="number"' in too_many.text and 'value="2"' in too_many.text
    assert _vote(phone, dots, {"dots-0": "1", "dots-1": "2"}).status_code == 303
    data = {
        p["number"]: p for p in live_web.client.get(f"/api/meetings/{CODE}/polls").json()["polls"]
    }
    assert data[score]["options"][0] == {"label": "Room", "mean": 5.0, "count": 1, "skips": 0}
    assert data[score]["options"][1]["skips"] == 1
    assert [o["points"] for o in data[dots]["options"]] == [1, 2]


def test_a_room_voting_at_once_is_all_counted_and_a_bad_ballot_comes_back_alone(
    live_web: LiveWeb, database, meeting
) -> None:
    """Ballots posted together share the writer's commit (one ``cast_ballots`` call for all
    those waiting): every 303 is a stored ballot, one per phone with its latest choice, and a
    refused ballot among them is answered with its own message and choices."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    number = _poll(database, meeting, "ranking", ["Red", "Green", "Blue"])
    phones = [live_web.phone() for _ in range(40)]
    tokens = [phone.csrf_token() for phone in phones]
    start = threading.Barrier(len(phones))

    def vote(n: int):
        fields = {"rank-0": "1", "rank-1": "1"} if n % 10 == 3 else {f"rank-{n % 3}": "1"}
        start.wait(timeout=10)
        first = phones[n].client.post(
            f"/m/{CODE}/polls/{number}", data={**fields, "csrf_token": tokens[n]}
        )
        again = phones[n].client.post(
            f"/m/{CODE}/polls/{number}", data={"rank-2": "1", "csrf_token": tokens[n]}
        )
        return first, again

    with ThreadPoolExecutor(len(phones)) as pool:
        answers = list(pool.map(vote, range(len(phones))))
    refused = [first for n, (first, _) in enumerate(answers) if n % 10 == 3]
    assert [first.status_code for first, _ in answers if first not in refused] == [303] * 36
    assert [again.status_code for _, again in answers] == [303] * 40
    for answer in refused:
        assert answer.status_code == 422 and "Give each place to one option only." in answer.text
        assert re.search(r'<option value="1"\s+selected', answer.text)
    with database.read() as session:
        poll = polls.find_poll(session, meeting_id=meeting.id, key=number)
        results = polls.poll_results(session, poll)
    assert results.ballots == 40  # one per phone, each with its changed ballot
    assert [f["first"] for _, f in results.rows()] == [0, 0, 40]


def test_at_close_hides_tallies_until_the_poll_closes(live_web: LiveWeb, database, meeting) -> None:
    number = _poll(database, meeting, "single", ["Yes", "No"], results="at close")
    phone = live_web.phone()
    _vote(phone, number, {"choice": "0"})
    data = live_web.client.get(f"/api/meetings/{CODE}/polls").json()["polls"][0]
    assert data["ballots"] == 1 and data["results_shown"] is False
    assert data["options"] == [{"label": "Yes"}, {"label": "No"}]
    assert "Results are shown when the poll closes." in phone.page().text
    with database.write() as session:
        polls.close_poll(
            session, poll_id=polls.find_poll(session, meeting_id=meeting.id, key=number).id
        )
    data = live_web.client.get(f"/api/meetings/{CODE}/polls").json()["polls"][0]
    assert data["status"] == "closed" and [o["votes"] for o in data["options"]] == [1, 0]
    closed = _vote(phone, number, {"choice": "1"})
    assert closed.status_code == 409 and "This poll has closed" in closed.text


def test_drafts_are_not_public_and_the_schema_lists_the_route(
    live_web: LiveWeb, database, meeting
) -> None:
    with database.write() as session:
        polls.create_poll(
            session,
            meeting_id=meeting.id,
            type="single",
            question="Secret draft",
            options=["A", "B"],
        )
    assert live_web.client.get(f"/api/meetings/{CODE}/polls").json() == {
        "meeting_code": CODE,
        "polls": [],
    }
    assert "Secret draft" not in live_web.page().text
    assert _vote(live_web.phone(), 1, {"choice": "0"}).status_code == 404
    schema = live_web.client.get("/openapi.json").json()
    assert "/api/meetings/{code}/polls" in schema["paths"]
    assert live_web.client.get("/api/meetings/nosuchcode/polls").status_code == 404


def test_a_forged_ballot_is_refused(live_web: LiveWeb, database, meeting) -> None:
    number = _poll(database, meeting, "single", ["A", "B"])
    answer = live_web.phone().post(f"/m/{CODE}/polls/{number}", {"choice": "0"}, token=False)
    assert answer.status_code in (400, 403)
    with database.read() as session:
        results = polls.poll_results(
            session, polls.find_poll(session, meeting_id=meeting.id, key=number)
        )
    assert results.ballots == 0


@pytest.mark.parametrize("language", ["es"])
def test_the_ballot_in_spanish(live_web: LiveWeb, database, meeting, language) -> None:
    with database.write() as session:
        session.get(Meeting, meeting.id).language = language
    _poll(database, meeting, "ranking", ["Rojo", "Verde"])
    page = live_web.page().text
    assert "Enviar mi voto" in page and "Puesto 1" in page


def test_every_poll_message_has_its_spanish() -> None:
    import inspect

    from meetingtui.domain import tallies
    from meetingtui.domain.i18n import catalogue_for
    from meetingtui.web import pages

    spanish = catalogue_for("es")
    source = inspect.getsource(tallies)
    plain = re.findall(r'BallotRefused\(\s*"([^"{]+)"', source)
    plain += re.findall(r'else "([^"{]+)"', source)
    messages = [
        *plain,
        *tallies.NUMBERED_REFUSALS,
        pages.POLL_GONE,
        pages.EXPIRED_BALLOT,
        polls.NOT_OPEN,
        polls.CLOSED,
        polls.COUNTED,
        polls.UNKNOWN_DEVICE,
        "Give each place to one option only.",
        "Enter whole numbers.",
    ]
    assert len(plain) > 8
    assert [m for m in messages if m not in spanish] == []
