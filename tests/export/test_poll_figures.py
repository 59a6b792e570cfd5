"""Poll figures in the meeting's language and number format, in every format of the minutes and
on the projector page: a Spanish meeting's 1,200 votes read "1.200", its mean "4,5 de media";
an English meeting's "1,200". A budget poll's table has each option's cost, and a legend names
the budget and the rule behind its ✓; a score poll has no share column."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest
from docx import Document

from meetingtui.domain import polls
from meetingtui.domain.models import Meeting
from meetingtui.domain.polls import OptionSpec
from meetingtui.export import export_meeting
from meetingtui.export.json_data import json_schema

YES, NO = 1200, 900  # 2,100 paper ballots


def _polls(database, meeting, language: str) -> None:
    with database.write() as session:
        session.get(Meeting, meeting.id).language = language
        single = polls.create_poll(
            session, meeting_id=meeting.id, type="single", question="Park?", options=["Yes", "No"]
        )
        polls.open_poll(session, poll_id=single.id)
        polls.close_poll(session, poll_id=single.id)
        polls.enter_paper_ballots(
            session, poll_id=single.id, ballots=[[0]] * YES + [[1]] * NO, cast=YES + NO, invalid=0
        )
        budget = polls.create_poll(
            session,
            meeting_id=meeting.id,
            type="budget",
            question="Spend",
            options=[
                OptionSpec("Benches", 1500),
                OptionSpec("Lights", 2500),
                OptionSpec("Trees", 1000),
            ],
            budget=3000,
        )
        polls.open_poll(session, poll_id=budget.id)
        polls.close_poll(session, poll_id=budget.id)
        polls.enter_paper_ballots(
            session,
            poll_id=budget.id,
            ballots=[[0, 2]] * YES + [[1]] * NO,
            cast=YES + NO,
            invalid=0,
        )
        score = polls.create_poll(
            session, meeting_id=meeting.id, type="score", question="Rate", options=["Pier", "Pool"]
        )
        polls.open_poll(session, poll_id=score.id)
        for device, given in (("a", {0: 5, 1: 3}), ("b", {0: 4, 1: 4})):
            polls.cast_ballot(session, poll_id=score.id, device=device, choices=given)
        polls.close_poll(session, poll_id=score.id)


def _export(database, meeting, fmt: str):
    with database.read() as session:
        return export_meeting(session, meeting.id, fmt)


EXPECTED = {
    "en": {
        "ballots": "2,100 ballots",
        "yes": "✓ 1,200",
        "no": "900",
        "cost": "1,500",
        "legend": "Budget: 3,000. ✓ funded by the Method of Equal Shares, costing 2,500 in all.",
        "mean": "✓ 4.5 avg",
        "other_mean": "3.5 avg",
        "headings": ["Option", "Cost", "Result", "Share"],
        "score_headings": ["Option", "Result"],
    },
    "es": {
        "ballots": "2.100 papeletas",
        "yes": "✓ 1.200",
        "no": "900",
        "cost": "1.500",
        "legend": (
            "Presupuesto: 3.000. ✓ financiado por el Método de Partes Iguales (Equal Shares),"
            " con un coste total de 2.500."
        ),
        "mean": "✓ 4,5 de media",
        "other_mean": "3,5 de media",
        "headings": ["Opción", "Coste", "Resultado", "Porcentaje"],
        "score_headings": ["Opción", "Resultado"],
    },
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_markdown_and_html_say_the_figures_in_the_meetings_language(
    database, meeting, language: str
) -> None:
    _polls(database, meeting, language)
    want = EXPECTED[language]
    md = _export(database, meeting, "md")
    assert want["ballots"] in md
    assert f"| Yes | {want['yes']} | 57% |" in md and f"| No | {want['no']} | 43% |" in md
    assert "1200" not in md and "\\" not in md[md.index("Park?") :].replace("\\?", "")
    assert f"| Benches | {want['cost']} | ✓ 1{'.' if language == 'es' else ','}200 | 57% |" in md
    assert want["legend"] in md.replace("\\", "")
    assert f"| Pier | {want['mean']} |" in md and f"| Pool | {want['other_mean']} |" in md
    score = md[md.index("Rate") :]
    assert "%" not in score.split("###")[0]  # no share column for a score poll
    page = _export(database, meeting, "html")
    assert f'<td class="num">{want["yes"]}</td>' in page and "1200" not in page
    assert f'<td class="num">{want["cost"]}</td>' in page and want["legend"] in page
    assert f'<td class="num">{want["mean"]}</td>' in page


@pytest.mark.parametrize("language", ["en", "es"])
def test_docx_and_csv_say_the_figures_in_the_meetings_language(
    database, meeting, language: str
) -> None:
    _polls(database, meeting, language)
    want = EXPECTED[language]
    document = Document(io.BytesIO(_export(database, meeting, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    assert want["ballots"] in text and want["legend"] in text
    single = next(t for t in tables if ["Yes", want["yes"], "57%"] in t)
    assert ["No", want["no"], "43%"] in single
    budget = next(t for t in tables if t[0] == want["headings"])
    assert budget[1][:2] == ["Benches", want["cost"]]
    score = next(t for t in tables if t[0] == want["score_headings"])
    assert score[1:] == [["Pier", want["mean"]], ["Pool", want["other_mean"]]]
    rows = list(csv.reader(io.StringIO(_export(database, meeting, "csv").lstrip("\ufeff"))))
    cells = [cell for row in rows for cell in row]
    assert want["yes"] in cells and "1200" not in cells and want["legend"] in cells
    assert want["mean"] in cells and want["other_mean"] in cells
    assert any(row[1:] == want["score_headings"] for row in rows)  # no share column
    assert any(row[1:] == ["Benches", want["cost"], want["yes"], "57%"] for row in rows)


def test_json_has_the_numbers_and_english_text(database, meeting) -> None:
    """The JSON is data: the figure as a number with its kind and cost, the text in English
    whatever the meeting's language."""
    _polls(database, meeting, "es")
    data = json.loads(_export(database, meeting, "json"))
    jsonschema.validate(data, json_schema())
    single, budget, score = data["polls"]
    yes = single["channels"][0]["options"][0]
    assert (yes["figure"], yes["value"], yes["result"]) == ("votes", 1200, "1,200")
    assert yes["cost"] is None
    assert budget["budget"] == 3000 and budget["selection"] == "equal shares"
    assert budget["spent"] == 2500 and budget["channels"][0]["options"][1]["cost"] == 2500
    pier = score["channels"][0]["options"][0]
    assert (pier["figure"], pier["value"], pier["result"]) == ("mean", 4.5, "4.5 avg")


def test_an_overridden_budget_says_the_organisers_chose(database, meeting) -> None:
    _polls(database, meeting, "en")
    with database.write() as session:
        budget = polls.find_poll(session, meeting_id=meeting.id, key=2)
        polls.override_selection(session, poll_id=budget.id, selected=[1], reason="Safety")
    md = _export(database, meeting, "md")
    assert "✓ chosen by the organisers instead of the count (below), costing 2,500 in all." in md
    assert "| Lights | 2,500 | ✓ 900 | 43% |" in md
