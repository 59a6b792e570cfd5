"""dismissed pairs of possible duplicates

Revision ID: 0016_duplicate_pairs
Revises: 0011_public_plan_link

Staff reviewing the possible-duplicates view (domain/duplicates.py) dismiss pairs that are not
duplicates; ``duplicate_dismissal`` keeps each pair (smaller idea id first), who dismissed it,
when and why, so it is never offered again. A new table: no existing row changes. Downgrade
drops only this table (the dismissals made since are lost; every idea stays).
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_duplicate_pairs"
down_revision = "0013_idea_import"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "duplicate_dismissal",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("idea_a_id", sa.Uuid(), nullable=False),
        sa.Column("idea_b_id", sa.Uuid(), nullable=False),
        sa.Column("dismissed_by", sa.String(length=120), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["idea_a_id"], ["idea.id"]),
        sa.ForeignKeyConstraint(["idea_b_id"], ["idea.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idea_a_id", "idea_b_id", name="uq_duplicate_dismissal_pair"),
    )
    op.create_index("ix_duplicate_dismissal_idea_a_id", "duplicate_dismissal", ["idea_a_id"])
    op.create_index("ix_duplicate_dismissal_idea_b_id", "duplicate_dismissal", ["idea_b_id"])


def downgrade() -> None:
    op.drop_index("ix_duplicate_dismissal_idea_b_id", table_name="duplicate_dismissal")
    op.drop_index("ix_duplicate_dismissal_idea_a_id", table_name="duplicate_dismissal")
    op.drop_table("duplicate_dismissal")
