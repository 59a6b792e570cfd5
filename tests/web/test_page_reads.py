"""Issue 8 #13, web read side: a page reads what it shows, not the meeting.

Checked on the views' results, not on timings (those are in ``bench/phone_page.py``): the meeting
page holds one page of ideas and the newest comments of those only, the idea page one page of its
comments, and sorting and paging are done by the database across the whole meeting.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from meetingtui.domain.ideas import add_comment
from meetingtui.domain.models import Comment, Meeting, Support
from meetingtui.store.database import Database
from meetingtui.web.views import (
    COMMENTS_PER_PAGE,
    IDEAS_PER_PAGE,
    load_live_state,
    load_public_meeting,
)
from tests.web.helpers import add_idea

IDEAS = 40


def _seed(database: Database, meeting: Meeting) -> list[str]:
    refs = [add_idea(database, meeting, f"Idea {n}") for n in range(IDEAS)]
    with database.write() as session:
        for n, ref in enumerate(refs):
            for k in range(3):
                add_comment(session, meeting_id=meeting.id, idea_ref=ref, body=f"c{n}-{k}")
        # The oldest idea is the most supported: on the last page of "newest first".
        oldest = session.exec(select(Comment.idea_id).where(Comment.body == "c0-0")).one()
        session.add_all(
            Support(idea_id=oldest, meeting_id=meeting.id, device=f"d{n}") for n in range(5)
        )
    return refs


def test_meeting_page_reads_one_page_of_ideas_and_their_newest_comments(
    database: Database, meeting: Meeting
) -> None:
    refs = _seed(database, meeting)
    with database.read() as session:
        first = load_public_meeting(session, "testcode23", latest_comments=2)
        last = load_public_meeting(session, "testcode23", latest_comments=2, page=999)
        popular = load_public_meeting(session, "testcode23", sort="support")
        everything = load_public_meeting(session, "testcode23", per_page=None)
        live = load_live_state(session, "testcode23")
    assert first.idea_count == IDEAS == live.idea_count == len(everything.ideas)
    assert [i.ref for i in first.ideas] == refs[::-1][:IDEAS_PER_PAGE]
    assert all(len(i.comments) == 2 and i.comment_count == 3 for i in first.ideas)
    assert [c.body for c in first.ideas[0].comments] == [f"c{IDEAS - 1}-1", f"c{IDEAS - 1}-2"]
    assert (last.page, last.page_count) == (3, 3)  # past the end: the last page
    assert [i.ref for i in last.ideas] == refs[::-1][2 * IDEAS_PER_PAGE :]
    assert popular.ideas[0].ref == refs[0] and popular.ideas[0].support_count == 5
    assert [i.ref for i in popular.ideas[1:]] == refs[::-1][: IDEAS_PER_PAGE - 1]
    assert all(not i.comments for i in popular.ideas)  # no comments asked for


def test_idea_page_reads_one_page_of_its_comments(database: Database, meeting: Meeting) -> None:
    ref = add_idea(database, meeting, "Much discussed")
    with database.write() as session:
        for n in range(2 * COMMENTS_PER_PAGE + 5):
            comment = add_comment(session, meeting_id=meeting.id, idea_ref=ref, body=f"n{n}")
            comment.created_at += timedelta(seconds=n)  # a strict order
    with database.read() as session:
        third = load_public_meeting(
            session, "testcode23", all_comments_of=ref, per_page=0, comment_page=3
        )
        beyond = load_public_meeting(
            session, "testcode23", all_comments_of=ref, per_page=0, comment_page=99
        )
    assert third.ideas == [] and third.focus is not None
    assert [c.body for c in third.focus.comments] == [f"n{n}" for n in range(40, 45)]
    assert third.focus.comment_count == 45 and third.comment_page_count == 3
    assert beyond.comment_page == 3 and beyond.focus == third.focus


def test_counts_by_meeting_agree_with_counts_by_list(database, meeting, monkeypatch) -> None:
    """The API's every idea is counted by meeting, not by a list of thousands of ids."""
    from meetingtui.web import views

    _seed(database, meeting)
    with database.read() as session:
        by_list = load_public_meeting(session, "testcode23", per_page=None)
        monkeypatch.setattr(views, "IN_LIST_MAX", 5)
        by_meeting = load_public_meeting(session, "testcode23", per_page=None)
    assert by_list == by_meeting
    assert sum(i.comment_count for i in by_meeting.ideas) == 3 * IDEAS
    assert sum(i.support_count for i in by_meeting.ideas) == 5
