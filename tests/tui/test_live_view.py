"""The console's live view reads and redraws only what changed, and holds the same amount
whatever the meeting's size: the session (Textual-free) and the app's feed follower."""

from __future__ import annotations

import threading

from meetingtui.domain import meetings
from meetingtui.domain.ideas import IdeaInput, add_comment, add_comments, capture_idea
from meetingtui.domain.snapshot import COMMENTS_SHOWN, IDEAS_SHOWN
from meetingtui.session import MeetingSession, apply_change
from meetingtui.tui.feed import FeedFollower
from meetingtui.tui.messages import MeetingChanged
from tests.waiting import wait_for


def session_for(database, meeting) -> MeetingSession:
    return MeetingSession(database, meeting.id, operator="Priya", draft_owner="pane-1")


def ideas(database, meeting, count: int) -> list[str]:
    with database.write() as session:
        return [
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=f"Idea {n}")).ref
            for n in range(count)
        ]


def test_the_live_view_is_bounded_whatever_the_meeting_size(database, meeting):
    refs = ideas(database, meeting, IDEAS_SHOWN + 40)
    with database.write() as session:
        add_comments(
            session,
            meeting_id=meeting.id,
            requests=[(ref, f"c{n}") for ref in refs for n in range(COMMENTS_SHOWN + 2)],
        )
    view = session_for(database, meeting).load().full
    assert view is not None
    assert view.idea_total == IDEAS_SHOWN + 40
    assert len(view.rows.ideas) == IDEAS_SHOWN
    assert {idea.ref for idea in view.rows.ideas.values()} == set(refs[-IDEAS_SHOWN:])
    assert all(len(c) == COMMENTS_SHOWN for c in view.rows.latest_comments.values())
    assert set(view.rows.comment_counts.values()) == {COMMENTS_SHOWN + 2}
    newest = view.rows.latest_comments[next(iter(view.rows.ideas))]
    assert [c.body for c in newest] == [f"c{n}" for n in range(2, COMMENTS_SHOWN + 2)]


def test_a_comment_reads_only_its_idea(database, meeting):
    refs = ideas(database, meeting, 5)
    live = session_for(database, meeting)
    first = live.load()
    item_id = first.full.meeting.current_item_id
    with database.write() as session:
        add_comment(session, meeting_id=meeting.id, idea_ref=refs[2], body="Yes please")
    change = live.changes_since(first.event_id, item_id)
    assert change is not None and change.full is None
    assert [i.ref for i in change.rows.ideas.values()] == [refs[2]]
    assert change.idea_total is None and change.pending is None  # nothing else was read
    assert change.speakers is None and change.records is None and change.meeting is None
    view = apply_change(first.full, change)
    idea_id = next(iter(change.rows.ideas))
    assert [c.body for c in view.rows.latest_comments[idea_id]] == ["Yes please"]
    assert live.changes_since(change.event_id, item_id) is None


def test_moving_the_agenda_reads_the_new_item_afresh(database, meeting):
    live = session_for(database, meeting)
    first = live.load()
    with database.write() as session:
        meetings.move_to_item(session, meeting_id=meeting.id, step=1)
    change = live.changes_since(first.event_id, first.full.meeting.current_item_id)
    assert change is not None and change.full is not None
    assert change.full.current_item.title == "The draft plan in ten minutes"


def test_a_burst_while_the_app_draws_becomes_one_change(database, meeting):
    refs = ideas(database, meeting, 3)
    posted: list[MeetingChanged] = []
    follower = FeedFollower(session_for(database, meeting), posted.append)
    follower.start()
    thread = threading.Thread(target=follower.follow, daemon=True)
    thread.start()
    try:
        wait_for(lambda: len(posted) == 1)  # the first load; the app has not applied it yet
        for number in range(20):  # twenty commits, each waking the follower
            with database.write() as session:
                add_comment(session, meeting_id=meeting.id, idea_ref=refs[number % 3], body="x")
        assert len(posted) == 1  # nothing read while the app was busy
        follower.applied()
        wait_for(lambda: len(posted) == 2)
        change = posted[1].change
        assert change.events == 20 and len(change.rows.ideas) == 3
    finally:
        follower.stop()
        thread.join(5)
    assert not thread.is_alive()
