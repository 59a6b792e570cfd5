"""settings

Revision ID: 0003_settings
Revises: 0002_queue_supports_records

A small name/value table for values an installation keeps across restarts, first of all the
attendee web's signing secret (device cookies and form tokens stay valid after a restart).
Additive only.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_settings"
down_revision = "0002_queue_supports_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "setting",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("setting")
