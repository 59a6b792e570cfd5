"""The supports and comments stored on each idea (revision 0010's triggers), on SQLite and
PostgreSQL: after every kind of change each stored count equals a count of the rows, and the
catalogue's sorts and rows read them (every comment for the organisers, the visible ones for
the public: domain/public.py)."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlmodel import col, func, select

from meetingtui.domain.catalogue_view import CatalogueView, _statement, catalogue_page
from meetingtui.domain.ideas import (
    IdeaInput,
    add_comment,
    add_comments,
    capture_idea,
    set_idea_deleted,
)
from meetingtui.domain.lifecycle import Review, review_ideas
from meetingtui.domain.models import Comment, Idea, Support, utcnow
from meetingtui.domain.moderation import set_visibility
from meetingtui.domain.public import Audience
from meetingtui.domain.states import IdeaStatus
from meetingtui.domain.supports import toggle_support
from meetingtui.store.database import Database
from tests.domain.test_lifecycle_answers import new_meeting


@pytest.fixture
def db(any_database: Database) -> Database:
    """On SQLite and on PostgreSQL (tests/conftest.py)."""
    return any_database


@pytest.fixture
def two(db):
    with db.write() as session:
        meeting = new_meeting(session, "Counts", "Counts", code="countcode23")
        first = capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="First"))
        second = capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Second"))
    return meeting.id, first.id, second.id


def stored(db, idea_id: uuid.UUID) -> tuple[int, int, int]:
    with db.read() as session:
        idea = session.get(Idea, idea_id)
        assert idea is not None
        return idea.support_count, idea.comment_count, idea.visible_comment_count


def counted(db, idea_id: uuid.UUID) -> tuple[int, int, int]:
    """The same three counted from the rows."""
    with db.read() as session:

        def rows(table, *conditions) -> int:  # noqa: ANN001
            query = select(func.count()).where(col(table.idea_id) == idea_id, *conditions)
            return int(session.exec(query).one())

        return (rows(Support), rows(Comment), rows(Comment, col(Comment.visibility) == "visible"))


def check(db, *idea_ids: uuid.UUID) -> list[tuple[int, int, int]]:
    found = [stored(db, i) for i in idea_ids]
    assert found == [counted(db, i) for i in idea_ids]
    return found


def test_supports_added_and_taken_back(db, two) -> None:
    meeting_id, first, second = two
    with db.write() as session:
        for device in ("a", "b", "c"):
            toggle_support(session, meeting_id=meeting_id, idea_ref="I-0001", device=device)
        toggle_support(session, meeting_id=meeting_id, idea_ref="I-0002", device="a")
    assert check(db, first, second) == [(3, 0, 0), (1, 0, 0)]
    with db.write() as session:  # a second tap takes it back
        toggle_support(session, meeting_id=meeting_id, idea_ref="I-0001", device="b")
    assert check(db, first, second) == [(2, 0, 0), (1, 0, 0)]


def test_comments_added_hidden_approved_undone_and_deleted(db, two) -> None:
    meeting_id, first, second = two
    with db.write() as session:
        comment = add_comment(session, meeting_id=meeting_id, idea_ref="I-0001", body="one")
        add_comments(  # the attendee web's group commit: one insert for many
            session,
            meeting_id=meeting_id,
            requests=[("I-0001", "two"), ("I-0002", "three"), ("I-0001", "four")],
        )
    assert check(db, first, second) == [(0, 3, 3), (0, 1, 1)]
    with db.write() as session:
        set_visibility(
            session,
            meeting_id=meeting_id,
            entity="comment",
            entity_id=comment.id,
            visibility="hidden",
        )
    assert check(db, first) == [(0, 3, 2)]  # the organisers still count it; the public not
    with db.write() as session:  # pending, then the console's undo: visible again
        for visibility in ("pending", "visible"):
            set_visibility(
                session,
                meeting_id=meeting_id,
                entity="comment",
                entity_id=comment.id,
                visibility=visibility,
            )
    assert check(db, first) == [(0, 3, 3)]
    with db.write() as session:  # a comment moved to the other idea, then one erased
        moved = session.get(Comment, comment.id)
        assert moved is not None
        moved.idea_id = second
        session.flush()
        session.delete(moved)
    assert check(db, first, second) == [(0, 2, 2), (0, 1, 1)]


def test_deleting_merging_and_undoing_keep_the_counts(db, two) -> None:
    meeting_id, first, second = two
    with db.write() as session:
        toggle_support(session, meeting_id=meeting_id, idea_ref="I-0002", device="a")
        add_comment(session, meeting_id=meeting_id, idea_ref="I-0002", body="x")
        review_ideas(
            session,
            idea_ids=[second],
            review=Review(status=IdeaStatus.MERGED, reason="Same as I-0001", merged_into=first),
        )
    # A merged idea keeps its own supports and comments (nothing moves to the one it joined).
    assert check(db, first, second) == [(0, 0, 0), (1, 1, 1)]
    with db.write() as session:  # undone (the catalogue's undo is a review back)
        review_ideas(session, idea_ids=[second], review=Review(status=IdeaStatus.NEW))
        set_idea_deleted(session, meeting_id=meeting_id, idea_id=second, deleted=True)
    assert check(db, first, second) == [(0, 0, 0), (1, 1, 1)]
    with db.write() as session:
        set_idea_deleted(session, meeting_id=meeting_id, idea_id=second, deleted=False)
    assert check(db, second) == [(1, 1, 1)]


def test_the_sorts_read_the_counts_by_audience(db, two) -> None:
    meeting_id, first, second = two
    with db.write() as session:
        for n in range(3):  # "First": three comments, all hidden
            hidden = add_comment(session, meeting_id=meeting_id, idea_ref="I-0001", body=f"{n}")
            set_visibility(
                session,
                meeting_id=meeting_id,
                entity="comment",
                entity_id=hidden.id,
                visibility="hidden",
            )
        add_comment(session, meeting_id=meeting_id, idea_ref="I-0002", body="seen")
        toggle_support(session, meeting_id=meeting_id, idea_ref="I-0001", device="a")

    def page(sort: str, audience: Audience) -> list[tuple[str, int, int]]:
        with db.read() as session:
            rows = catalogue_page(
                session, [meeting_id], CatalogueView(sort=sort), audience=audience
            )
            return [(row.idea.title, row.supports, row.comments) for row in rows]

    assert page("discussed", Audience.ORGANISERS) == [("First", 1, 3), ("Second", 0, 1)]
    assert page("discussed", Audience.PUBLIC) == [("Second", 0, 1), ("First", 1, 0)]
    assert page("supported", Audience.PUBLIC)[0] == ("First", 1, 0)


def test_the_counts_are_kept_by_the_database_whatever_writes(db, two) -> None:
    """A statement that goes round the domain (a script, another tool) keeps them too."""
    meeting_id, first, _ = two
    with db.engine.begin() as connection:
        connection.execute(
            sa.insert(Comment.__table__),  # type: ignore[attr-defined]
            [
                {
                    "id": uuid.uuid4(),
                    "idea_id": first,
                    "meeting_id": meeting_id,
                    "body": "raw",
                    "visibility": visibility,
                }
                for visibility in ("visible", "pending")
            ],
        )
    assert check(db, first) == [(0, 2, 1)]


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("supported", "ix_idea_support_count_captured"),
        ("discussed", "ix_idea_comment_count_captured"),
        ("waiting", "ix_idea_awaiting"),
    ],
)
def test_a_sort_walks_its_index_without_sorting(tmp_path, sort, index) -> None:
    """SQLite's plan for a page sorted by a count or by waiting: its index, in order, and no
    sort of every match (``USE TEMP B-TREE FOR ORDER BY``), after the statistics are read."""
    database = Database.open(f"sqlite:///{tmp_path / 'plans.sqlite3'}", migrate=True)
    with database.write() as session:  # a programme of many meetings, as in issue 10
        meetings = [new_meeting(session, f"Plans {m}", "Plans") for m in range(20)]
        for meeting in meetings:
            for n in range(10):
                capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=f"Idea {n}"))
    with database.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
    with database.read() as session:
        statement = _statement(
            session,
            [m.id for m in meetings],
            CatalogueView(sort=sort),
            Audience.ORGANISERS,
            utcnow(),
        ).limit(100)
        connection = session.connection()
        sql = statement.compile(connection, compile_kwargs={"literal_binds": True})
        plan = [row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
    database.close()
    assert any(index in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan


def test_the_needs_answer_view_counts_what_it_lists(db, two) -> None:
    """The session counts the plain needs-an-answer view with the needs-an-answer counts
    (one read): the same number as counting the view itself."""
    from meetingtui.catalogue_session import CatalogueSession
    from meetingtui.domain.catalogue_view import catalogue_count

    meeting_id, first, second = two
    with db.write() as session:
        third = capture_idea(session, meeting_id=meeting_id, data=IdeaInput(title="Third"))
        set_visibility(
            session, meeting_id=meeting_id, entity="idea", entity_id=third.id, visibility="hidden"
        )
        review_ideas(
            session,
            idea_ids=[second],
            review=Review(status=IdeaStatus.ADOPTED, response="Done", publish=True),
        )
    catalogue = CatalogueSession(db, "Counts", "clerk")
    for sort in ("newest", "waiting"):
        view = CatalogueView(needs_answer=True, sort=sort)
        total, waiting = catalogue.counts(view)
        with db.read() as session:
            assert total == waiting.total == catalogue_count(session, [meeting_id], view) == 1
