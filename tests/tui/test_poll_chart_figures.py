"""The console's poll chart says its figures in English with thousands separators, whatever the
meeting's language: "1,200", "4.5 avg"; a score has no percentage (it is of the top mean)."""

from __future__ import annotations

from meetingtui.domain import polls
from meetingtui.tui.widgets.poll_chart import chart_text
from tests.export.test_poll_figures import _polls


def test_chart_figures_are_english_with_separators(database, meeting) -> None:
    _polls(database, meeting, "es")
    with database.read() as session:
        single, budget, score = (
            chart_text(polls.poll_results(session, poll), 70).plain
            for poll in polls.meeting_polls(session, meeting.id)
        )
    assert " 1,200  57%" in single and " 900  43%" in single and "2,100 ballots" in single
    assert "1200" not in single + budget and "1.200" not in single + budget
    assert "4.5 avg" in score and "3.5 avg" in score and "%" not in score
    assert max(len(line) for chart in (single, budget, score) for line in chart.splitlines()) < 70
