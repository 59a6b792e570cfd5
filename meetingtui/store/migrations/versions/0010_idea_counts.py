"""stored supports and comments per idea, kept by triggers

Revision ID: 0010_idea_counts
Revises: 0009_catalogue_speed

The catalogue sorts by "most supported" and "most discussed". Counting each idea's supports and
comments for every match (1,000,000 comments at 100,000 ideas) took 0.7-1.8 s a page; a count
stored on the idea, with an index of it and the time the idea was raised, makes the first page
of such a sort an index walk that stops after its rows.

- ``idea.support_count``: the idea's supports (every row of ``support``).
- ``idea.comment_count``: every comment of the idea, whatever its moderation state: what the
  organisers see (domain/public.py ``comment_filter`` for the organisers keeps every comment).
- ``idea.visible_comment_count``: its comments with visibility ``visible``: what the public
  sees (the same rule for any other audience).

Triggers on ``support`` and ``comment`` keep them, in the same transaction as the change, on
every write path there is (the domain's services, the bulk inserts of comments, a hide, an
approval, an undo, a delete, a comment moved to another idea), so a count can never drift
from the rows it counts. Counting in the domain's functions instead would have to be repeated
by each of them, and any statement written later would have to remember.

"Longest waiting" and "needs an answer" ask whether the public has an answer: a published
response, or published as merged into another idea (domain/lifecycle.py). That is stored as
``idea.answer_published`` (1 or 0), a generated column of the row's own published copy (SQLite:
virtual; PostgreSQL: stored), so it can be indexed: ``ix_idea_awaiting`` (answer published,
raised, deleted, visibility, meeting) is walked in order by "longest waiting" (unanswered
first, oldest first) and by "needs an answer", and answers the needs-an-answer counts (all, over
14 and 28 days) from the index alone instead of sorting 93,000 ideas. The models leave this
column out (store/migrate.py ``UNMODELLED_COLUMNS``): the database computes it, nothing writes it.

Existing rows are counted once here (every idea's count is filled in); no row is dropped or
rewritten apart from those three new columns.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_idea_counts"
down_revision = "0009_catalogue_speed"
branch_labels = None
depends_on = None

COUNTS = ("support_count", "comment_count", "visible_comment_count")
# domain/models.py ``Idea.__table_args__`` declares the same.
INDEXES = {
    "ix_idea_support_count_captured": ("support_count", "captured_at"),
    "ix_idea_comment_count_captured": ("comment_count", "captured_at"),
    "ix_idea_visible_comments_captured": ("visible_comment_count", "captured_at"),
}
VISIBLE = "'visible'"  # domain/states.py Visibility.VISIBLE
# domain/lifecycle.py ``awaiting_answer_conditions``: answered in public when a response is
# published or the idea is published as merged (its answer is the other idea's).
ANSWER_PUBLISHED = "CASE WHEN public_response <> '' OR public_status = 'merged' THEN 1 ELSE 0 END"
# The answer, then the time: walked in order by "longest waiting" on both databases (with
# ``deleted_at`` before the time, PostgreSQL sorted every idea instead); the rest is read from
# the index by the counts.
AWAITING = ("answer_published", "captured_at", "deleted_at", "visibility", "meeting_id")

BACKFILL = (
    "UPDATE idea SET "
    "support_count = (SELECT count(*) FROM support WHERE support.idea_id = idea.id), "
    "comment_count = (SELECT count(*) FROM comment WHERE comment.idea_id = idea.id), "
    "visible_comment_count = (SELECT count(*) FROM comment WHERE comment.idea_id = idea.id "
    f"AND comment.visibility = {VISIBLE})"
)


def _visible(row: str) -> str:
    return f"(CASE WHEN {row}.visibility = {VISIBLE} THEN 1 ELSE 0 END)"


def _support(sign: str, row: str) -> str:
    return f"UPDATE idea SET support_count = support_count {sign} 1 WHERE id = {row}.idea_id;"


def _comment(sign: str, row: str) -> str:
    return (
        f"UPDATE idea SET comment_count = comment_count {sign} 1, "
        f"visible_comment_count = visible_comment_count {sign} {_visible(row)} "
        f"WHERE id = {row}.idea_id;"
    )


SQLITE_TRIGGERS = {
    "support_count_insert": f"AFTER INSERT ON support BEGIN {_support('+', 'new')} END",
    "support_count_delete": f"AFTER DELETE ON support BEGIN {_support('-', 'old')} END",
    "support_count_update": (
        "AFTER UPDATE OF idea_id ON support "
        f"BEGIN {_support('-', 'old')} {_support('+', 'new')} END"
    ),
    "comment_count_insert": f"AFTER INSERT ON comment BEGIN {_comment('+', 'new')} END",
    "comment_count_delete": f"AFTER DELETE ON comment BEGIN {_comment('-', 'old')} END",
    "comment_count_update": (
        "AFTER UPDATE OF idea_id, visibility ON comment "
        f"BEGIN {_comment('-', 'old')} {_comment('+', 'new')} END"
    ),
}


def _postgresql_function(name: str, minus: str, plus: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {minus} END IF; "
        f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {plus} END IF; "
        "RETURN NULL; END $$"
    )


POSTGRESQL = {
    # table: (function, columns an update must change to be counted again)
    "support": ("meetingtui_support_count", "idea_id"),
    "comment": ("meetingtui_comment_count", "idea_id, visibility"),
}


def upgrade() -> None:
    for name in COUNTS:
        op.add_column(
            "idea", sa.Column(name, sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
    op.execute(BACKFILL)
    if op.get_bind().dialect.name == "sqlite":
        for name, body in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
    else:
        op.execute(
            _postgresql_function(
                "meetingtui_support_count", _support("-", "OLD"), _support("+", "NEW")
            )
        )
        op.execute(
            _postgresql_function(
                "meetingtui_comment_count", _comment("-", "OLD"), _comment("+", "NEW")
            )
        )
        for table, (function, changed) in POSTGRESQL.items():
            op.execute(
                f"CREATE TRIGGER {table}_count AFTER INSERT OR DELETE OR UPDATE OF {changed} "
                f"ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()"
            )
    for name, columns in INDEXES.items():
        op.create_index(name, "idea", list(columns))
    kind = "VIRTUAL" if op.get_bind().dialect.name == "sqlite" else "STORED"
    op.execute(
        f"ALTER TABLE idea ADD COLUMN answer_published INTEGER "
        f"GENERATED ALWAYS AS ({ANSWER_PUBLISHED}) {kind}"
    )
    op.create_index("ix_idea_awaiting", "idea", list(AWAITING))
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA analysis_limit=1000")  # store/database.py ANALYSIS_LIMIT
    op.execute("ANALYZE idea")


def downgrade() -> None:
    op.drop_index("ix_idea_awaiting", table_name="idea")
    op.drop_column("idea", "answer_published")
    for name in INDEXES:
        op.drop_index(name, table_name="idea")
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for table, (function, _columns) in POSTGRESQL.items():
            op.execute(f"DROP TRIGGER IF EXISTS {table}_count ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    for name in COUNTS:
        op.drop_column("idea", name)
