"""agenda file hash on meetings; paused time on speakers

Revision ID: 0006_lifecycle
Revises: 0005_public_ideas_index

``meeting.agenda_hash`` is the SHA-256 of the agenda file a meeting was created from, so that
running the same file again can say when it changed since (a rehearsal must not use up the real
meeting). Meetings created before have no hash (""): for them nobody can tell, and nothing is
claimed. ``speaker.paused_seconds`` and ``speaker.paused_since`` let pausing an item pause the
current speaker's clock too. Columns are only added, with defaults: every row is kept as it was.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_lifecycle"
down_revision = "0005_public_ideas_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meeting") as batch:
        batch.add_column(
            sa.Column("agenda_hash", sa.String(length=64), nullable=False, server_default="")
        )
    with op.batch_alter_table("speaker") as batch:
        batch.add_column(
            sa.Column("paused_seconds", sa.Float(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("paused_since", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("speaker") as batch:
        batch.drop_column("paused_since")
        batch.drop_column("paused_seconds")
    with op.batch_alter_table("meeting") as batch:
        batch.drop_column("agenda_hash")
