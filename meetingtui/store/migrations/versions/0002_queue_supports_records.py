"""queue supports records drafts

Revision ID: 0002_queue_supports_records
Revises: 0001_baseline

Speakers' queue, supports, notes/decisions/actions, idea-form drafts; meeting attendance and
Wi-Fi details; soft delete of ideas (so a delete can be undone). Additive only: no data changes.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_queue_supports_records"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "draft",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("idea_id", sa.Uuid(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_draft_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "item_record",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("agenda_item_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("text", sa.String(length=2000), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("due", sa.String(length=10), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("item_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_item_record_agenda_item_id"), ["agenda_item_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_item_record_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "speaker",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("agenda_item_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("stakeholder", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("speaker", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_speaker_agenda_item_id"), ["agenda_item_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_speaker_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "support",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("idea_id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["idea.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idea_id", "device", name="uq_support_idea_device"),
    )
    with op.batch_alter_table("support", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_support_idea_id"), ["idea_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_support_meeting_id"), ["meeting_id"], unique=False)

    with op.batch_alter_table("idea", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attendance", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("wifi_ssid", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("wifi_password", sa.String(length=128), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("wifi_password")
        batch_op.drop_column("wifi_ssid")
        batch_op.drop_column("attendance")

    with op.batch_alter_table("idea", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")

    with op.batch_alter_table("support", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_support_idea_id"))

    op.drop_table("support")
    with op.batch_alter_table("speaker", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_speaker_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_speaker_agenda_item_id"))

    op.drop_table("speaker")
    with op.batch_alter_table("item_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_record_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_item_record_agenda_item_id"))

    op.drop_table("item_record")
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_meeting_id"))

    op.drop_table("draft")
