"""indexes for the catalogue's filters

Revision ID: 0009_catalogue_speed
Revises: 0008_catalogue

A page of the catalogue, newest or oldest first, walks ``ix_idea_captured_at`` and keeps the
ideas its filters accept: quick while they accept many, a walk through every idea when they
accept none (no idea merged yet, a reviewer with nothing assigned). Each filter that can be that
narrow gets an index of its value and the time an idea was raised, so such a page reads only
its own rows, in order: the published status (the public's filter), the organisers' working
status, the reviewer, the plan version and the topic. Then the planner's statistics are
gathered again (a sample of each index: quick whatever the size).

On PostgreSQL the text searched is also kept ready to rank: ``idea.search_vector``, a stored
generated column of the very expression revision 0008 indexed (``meetingtui_fold`` of the
searched columns), and ``ix_idea_search`` is now built on it. Ranking used to compute each
match's vector again from its text (seconds for a word in half of 100,000 ideas).

Only indexes and that generated column are added; no row's data is changed.
"""

from alembic import op

revision = "0009_catalogue_speed"
down_revision = "0008_catalogue"
branch_labels = None
depends_on = None

# domain/models.py ``Idea.__table_args__`` declares the same.
INDEXES = {
    "ix_idea_public_status_captured": ("public_status", "captured_at"),
    "ix_idea_status_captured": ("status", "captured_at"),
    "ix_idea_reviewer_captured": ("reviewer", "captured_at"),
    "ix_idea_plan_version_captured": ("plan_version", "captured_at"),
    "ix_idea_topic_captured": ("topic", "captured_at"),
}


SEARCHED = ("title", "detail", "affects", "tags")  # as revision 0008
VECTOR = (
    "to_tsvector('simple'::regconfig, meetingtui_fold("
    + " || ' ' || ".join(f"coalesce({c}, '')" for c in SEARCHED)
    + "))"
)


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "idea", list(columns))
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA analysis_limit=1000")  # store/database.py ANALYSIS_LIMIT
        op.execute("ANALYZE idea")
    else:
        op.execute(
            f"ALTER TABLE idea ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({VECTOR}) "
            "STORED"
        )
        op.execute("DROP INDEX IF EXISTS ix_idea_search")
        op.execute("CREATE INDEX ix_idea_search ON idea USING gin (search_vector)")
        op.execute("ANALYZE idea")


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="idea")
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP INDEX IF EXISTS ix_idea_search")
        op.execute("ALTER TABLE idea DROP COLUMN IF EXISTS search_vector")
        op.execute(f"CREATE INDEX ix_idea_search ON idea USING gin ({VECTOR})")
