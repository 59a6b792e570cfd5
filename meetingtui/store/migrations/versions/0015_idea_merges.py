"""merges that never delete, and splits

Revision ID: 0015_idea_merges
Revises: 0011_public_plan_link

- ``idea_merge``: one row per merge of an idea into another (domain/merging.py), kept for
  ever, holding what the merged idea was before (status, reason, answer, published copy) so an
  unmerge restores it exactly, and when it was undone.
- ``idea.split_from_id``: the idea a split made this one from ("split from I-0042").
- ``ix_idea_merged_into_id``: an idea's sources, found from it (its page lists them).

Existing merges (ideas with status ``merged`` and ``merged_into_id``, made by ``respond``
before this revision) get an ``idea_merge`` row whose "before" is read from their history (the
last status entry to ``merged``), so they can be unmerged too. No row is changed or dropped;
the downgrade drops only what this revision added.
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0015_idea_merges"
down_revision = "0019_reach_pairwise"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "idea_merge",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("target_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("before_status", sa.String(length=24), nullable=False),
        sa.Column("before_reason", sa.Text(), nullable=False),
        sa.Column("before_response", sa.Text(), nullable=False),
        sa.Column("before_public_status", sa.String(length=24), nullable=False),
        sa.Column("before_public_reason", sa.Text(), nullable=False),
        sa.Column("moved_sources", sa.Text(), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["idea.id"]),
        sa.ForeignKeyConstraint(["target_id"], ["idea.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_idea_merge_source_id", "idea_merge", ["source_id"])
    op.create_index("ix_idea_merge_target_id", "idea_merge", ["target_id"])
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its foreign key in place; alembic would rebuild the table.
        op.execute("ALTER TABLE idea ADD COLUMN split_from_id CHAR(32) REFERENCES idea (id)")
    else:
        op.add_column(
            "idea", sa.Column("split_from_id", sa.Uuid(), sa.ForeignKey("idea.id"), nullable=True)
        )
    op.create_index("ix_idea_split_from_id", "idea", ["split_from_id"])
    # An idea's sources are found by their target (a page lists them, counts their supports).
    op.create_index("ix_idea_merged_into_id", "idea", ["merged_into_id"])
    _existing_merges()


def _existing_merges() -> None:
    bind = op.get_bind()
    merged = bind.execute(
        sa.text(
            "SELECT id, merged_into_id, status_reason, public_status, public_reason FROM idea"
            " WHERE status = 'merged' AND merged_into_id IS NOT NULL AND deleted_at IS NULL"
        )
    ).all()
    table = sa.table(
        "idea_merge",
        *(
            sa.column(name)
            for name in (
                "id",
                "source_id",
                "target_id",
                "at",
                "actor",
                "reason",
                "before_status",
                "before_reason",
                "before_response",
                "before_public_status",
                "before_public_reason",
                "moved_sources",
                "undone_at",
                "undone_by",
            )
        ),
    )
    for idea_id, target_id, reason, public_status, public_reason in merged:
        last = bind.execute(
            sa.text(
                "SELECT from_value, at, actor FROM idea_change WHERE idea_id = :id"
                " AND field = 'status' AND to_value = 'merged' ORDER BY at DESC, id DESC"
            ),
            {"id": idea_id},
        ).first()
        before = last[0] if last and last[0] and last[0] != "merged" else "under-review"
        response = bind.execute(
            sa.text("SELECT response FROM idea WHERE id = :id"), {"id": idea_id}
        ).scalar()
        bind.execute(
            table.insert().values(
                id=uuid.uuid4().hex if bind.dialect.name == "sqlite" else uuid.uuid4(),
                source_id=idea_id,
                target_id=target_id,
                at=last[1] if last else sa.func.current_timestamp(),
                actor=last[2] if last else "",
                reason=reason or "",
                before_status=before,
                before_reason="",
                before_response=response or "",
                before_public_status=public_status if public_status != "merged" else before,
                before_public_reason=public_reason if public_status != "merged" else "",
                moved_sources="[]",
                undone_at=None,
                undone_by="",
            )
        )


def downgrade() -> None:
    op.drop_index("ix_idea_merged_into_id", table_name="idea")
    op.drop_index("ix_idea_split_from_id", table_name="idea")
    op.execute("ALTER TABLE idea DROP COLUMN split_from_id")  # SQLite 3.35+, PostgreSQL
    op.drop_index("ix_idea_merge_target_id", table_name="idea_merge")
    op.drop_index("ix_idea_merge_source_id", table_name="idea_merge")
    op.drop_table("idea_merge")
