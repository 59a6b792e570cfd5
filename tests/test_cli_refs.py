"""The catalogue on the command line: refs by number, each with its meeting's code."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.models import Meeting
from tests.test_cli import meetingtui


def test_ideas_lists_refs_by_number_with_the_meeting_code(database, meeting) -> None:
    with database.write() as session:
        session.exec(sa.update(Meeting).where(Meeting.id == meeting.id).values(idea_seq=9998))
        for title in ("first", "second", "third"):
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=title))
    db = Path(database.url.removeprefix("sqlite:///"))
    result = meetingtui("ideas", db=db)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["testcode23", "I-9999"],
        ["testcode23", "I-10000"],
        ["testcode23", "I-10001"],
    ]
