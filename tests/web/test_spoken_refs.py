"""Refs resolve as people say them: I-42, i-42, I42 and I-042 all find idea 42 of the meeting,
on the idea page, the API and in the domain; the page still shows the canonical I-0042."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from meetingtui.domain.errors import NotFound
from meetingtui.domain.ideas import IdeaInput, capture_idea, find_idea, ref_number
from meetingtui.domain.models import Meeting
from meetingtui.store.database import Database
from tests.web.conftest import running_web

SPOKEN = ["I-0042", "I-42", "i-42", "I42", "i42", "I-042", "42"]


@pytest.fixture
def idea_42(database: Database, meeting: Meeting) -> str:
    with database.write() as session:
        session.exec(sa.update(Meeting).where(Meeting.id == meeting.id).values(idea_seq=41))
        idea = capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Idea 42"))
        return idea.ref


def test_ref_number() -> None:
    assert [ref_number(text) for text in SPOKEN] == [42] * len(SPOKEN)
    assert ref_number("I-") is None and ref_number("X-42") is None and ref_number("") is None


@pytest.mark.parametrize("spoken", SPOKEN)
def test_find_idea_by_spoken_ref(
    database: Database, meeting: Meeting, idea_42: str, spoken: str
) -> None:
    assert idea_42 == "I-0042"
    with database.read() as session:
        assert find_idea(session, meeting_id=meeting.id, ref=spoken).ref == "I-0042"
        with pytest.raises(NotFound):
            find_idea(session, meeting_id=meeting.id, ref="I-43")


def test_page_and_api_by_spoken_ref(database: Database, meeting: Meeting, idea_42: str) -> None:
    with running_web(database) as web:
        for spoken in SPOKEN:
            page = web.client.get(f"/m/{meeting.code}/ideas/{spoken}")
            assert page.status_code == 200, spoken
            assert "I-0042" in page.text, re.findall(r"<title>[^<]*", page.text)
            api = web.client.get(f"/api/meetings/{meeting.code}/ideas/{spoken}")
            assert api.status_code == 200, spoken
            assert api.json()["idea"]["ref"] == "I-0042", api.json()
        assert web.client.get(f"/m/{meeting.code}/ideas/I-43").status_code == 404
        assert web.client.get(f"/m/{meeting.code}/ideas/bogus").status_code == 404
