"""Polls in the minutes, in every format: question, results combined and per channel, ballots,
invalid ballots, the override with its reason; a draft is left out, and an open poll with
results at close shows only its ballots so far. People's words stay literal."""

from __future__ import annotations

import io
import json

import jsonschema
from docx import Document

from meetingtui.domain import polls
from meetingtui.domain.polls import OptionSpec
from meetingtui.export import export_meeting
from meetingtui.export.json_data import json_schema

QUESTION = "Which <b>park</b> | first? *now*"


def _polls(database, meeting) -> None:
    with database.write() as session:
        first = polls.create_poll(
            session,
            meeting_id=meeting.id,
            type="single",
            question=QUESTION,
            options=["North & <i>south</i>", "River|side"],
        )
        polls.open_poll(session, poll_id=first.id)
        for n, choice in enumerate([0, 1, 1]):
            polls.cast_ballot(session, poll_id=first.id, device=f"d{n}", choices=[choice])
        polls.close_poll(session, poll_id=first.id)
        polls.enter_paper_ballots(session, poll_id=first.id, ballots=[[0]], cast=2, invalid=1)
        budget = polls.create_poll(
            session,
            meeting_id=meeting.id,
            type="budget",
            question="Spend 500",
            options=[OptionSpec("Benches", 300), OptionSpec("Lights", 400)],
            budget=500,
        )
        polls.open_poll(session, poll_id=budget.id)
        polls.cast_ballot(session, poll_id=budget.id, device="a", choices=[1])
        polls.close_poll(session, poll_id=budget.id)
        polls.override_selection(
            session, poll_id=budget.id, selected=[0], reason="Lights are funded already"
        )
        secret = polls.create_poll(
            session,
            meeting_id=meeting.id,
            type="single",
            question="Secret until close",
            options=["Yes", "No"],
            results="at close",
        )
        polls.open_poll(session, poll_id=secret.id)
        polls.cast_ballot(session, poll_id=secret.id, device="z", choices=[1])
        polls.create_poll(
            session, meeting_id=meeting.id, type="single", question="Draft one", options=["A", "B"]
        )


def _export(database, meeting, fmt: str):
    with database.read() as session:
        return export_meeting(session, meeting.id, fmt)


def test_markdown_and_html(database, meeting) -> None:
    _polls(database, meeting)
    md = _export(database, meeting, "md")
    assert "## Polls" in md
    assert "Which <b>park</b>" not in md and "Which \\<b\\>park\\</b\\> \\| first? \\*now\\*" in md
    assert (
        "River\\|side" in md and "Phones: 3 ballots" in md and "Paper: 1 ballot · 1 invalid" in md
    )
    assert "Lights are funded already" in md and "Draft one" not in md
    secret = md[md.index("Secret until close") :]
    assert "1 ballot so far; results at close" in secret and "| Yes" not in secret
    page = _export(database, meeting, "html")
    assert "Which &lt;b&gt;park&lt;/b&gt; | first? *now*" in page
    assert "North &amp; &lt;i&gt;south&lt;/i&gt;" in page and "<i>south" not in page
    assert "Draft one" not in page and "Lights are funded already" in page


def test_docx_and_json(database, meeting) -> None:
    _polls(database, meeting)
    document = Document(io.BytesIO(_export(database, meeting, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert f"Poll 1: {QUESTION}" in text and "Phones: 3 ballots" in text
    assert "River|side" in cells and "67%" in cells and "Draft one" not in text
    data = json.loads(_export(database, meeting, "json"))
    jsonschema.validate(data, json_schema())
    assert [p["number"] for p in data["polls"]] == [1, 2, 3]
    first = data["polls"][0]
    assert first["question"] == QUESTION and first["invalid"] == 1
    assert [c["channel"] for c in first["channels"]] == ["all", "paper", "phone"]
    assert data["polls"][1]["override"] == ["Benches"]
    assert data["polls"][2]["results_shown"] is False and data["polls"][2]["channels"] == []


def test_csv_has_the_polls_below_the_ideas(database, meeting) -> None:
    """A spreadsheet of the meeting holds its polls too: each a block after a blank row, with
    the same words and figures as the minutes; a question that looks like a formula is defused."""
    import csv

    _polls(database, meeting)
    with database.write() as session:
        formula = polls.create_poll(
            session, meeting_id=meeting.id, type="single", question="=1+1", options=["A", "B"]
        )
        polls.open_poll(session, poll_id=formula.id)
    rows = list(csv.reader(io.StringIO(_export(database, meeting, "csv").lstrip("\ufeff"))))
    cells = [cell for row in rows for cell in row]
    assert f"Poll 1: {QUESTION}" in cells
    first = rows.index([f"Poll 1: {QUESTION}"])
    assert rows[first - 1] == []  # a blank row before each block
    phones = [row for row in rows if row and row[0] == "Phones: 3 ballots"]
    assert phones[0] == ["Phones: 3 ballots", "Option", "Result", "Share"]
    assert ["Phones: 3 ballots", "River|side", "✓ 2", "67%"] in phones
    assert "The organisers chose instead: Benches. Reason: Lights are funded already" in cells
    secret = rows.index(["Poll 3: Secret until close"])
    assert rows[secret + 1] == ["Single choice · open · 1 ballot so far; results at close"]
    assert "Draft one" not in "".join(cells)
    assert "Poll 5: =1+1" in cells  # the poll's number first: nothing for a spreadsheet to run
    assert not any(cell.startswith("=") for cell in cells)


def test_published_meeting_page_has_the_polls(tmp_path, database, meeting) -> None:
    from meetingtui.export.site import publish_site

    _polls(database, meeting)
    with database.read() as session:
        publish_site(session, [meeting.id], tmp_path)
    page = (tmp_path / "meetings" / f"{meeting.code}.html").read_text(encoding="utf-8")
    assert '<h2 id="polls">' in page and "Which &lt;b&gt;park&lt;/b&gt;" in page
    assert "Lights are funded already" in page and "Draft one" not in page
    data = json.loads((tmp_path / "meetings" / f"{meeting.code}.json").read_text("utf-8"))
    assert [p["number"] for p in data["polls"]] == [1, 2, 3]
