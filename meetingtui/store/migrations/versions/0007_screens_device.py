"""the device an idea or a comment came from

Revision ID: 0007_screens
Revises: 0006_lifecycle

Ideas and comments sent from phones carry the phone's device id (the random id in its signed
cookie, the one that already keys supports and queue places), so that a moderator can hide
everything one device sent at once when a phone floods the meeting. Empty for what organisers
typed and for every row written before this revision. Only ADD COLUMN: no row is rewritten or
dropped and no table rebuilt.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_screens"
down_revision = "0006_lifecycle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("idea", "comment"):
        op.add_column(
            table,
            sa.Column("device", sa.String(length=64), nullable=False, server_default=""),
        )


def downgrade() -> None:
    for table in ("idea", "comment"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("device")
