"""polls: questions, options, ballots (anonymous once counted), paper and hand counts

Revision ID: 0018_polls
Revises: 0011_public_plan_link

New tables only (domain/polls.py explains them): ``poll``, ``poll_option``, ``poll_ballot``
(a device's changeable ballot while its poll is open), ``poll_counted_ballot`` (choices and
channel, no device, no time), ``poll_voter`` (which device hashes were counted, not what they
chose) and ``poll_channel_count`` (paper and hands). No existing row changes; the downgrade
drops the new tables and their rows only.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_polls"
down_revision = "0017_themes"
branch_labels = None
depends_on = None


def _key(name: str = "id") -> sa.Column:
    return sa.Column(name, sa.Uuid(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "poll",
        _key(),
        _key("meeting_id"),
        sa.Column("agenda_item_id", sa.Uuid(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=12), nullable=False),
        sa.Column("question", sa.String(length=300), nullable=False),
        sa.Column("settings", sa.String(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("results", sa.String(length=8), nullable=False),
        sa.Column("opens", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("override", sa.String(), nullable=False),
        sa.Column("override_reason", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.ForeignKeyConstraint(["agenda_item_id"], ["agenda_item.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "number", name="uq_poll_meeting_number"),
    )
    op.create_index("ix_poll_meeting_id", "poll", ["meeting_id"])
    op.create_table(
        "poll_option",
        _key(),
        _key("poll_id"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("cost", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(["poll_id"], ["poll.id"]),
        sa.ForeignKeyConstraint(["idea_id"], ["idea.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_poll_option_poll_id", "poll_option", ["poll_id"])
    op.create_table(
        "poll_ballot",
        _key(),
        _key("poll_id"),
        sa.Column("device_hash", sa.String(length=64), nullable=False),
        sa.Column("choices", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["poll_id"], ["poll.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("poll_id", "device_hash", name="uq_poll_ballot_device"),
    )
    op.create_index("ix_poll_ballot_poll_id", "poll_ballot", ["poll_id"])
    op.create_table(
        "poll_counted_ballot",
        _key(),
        _key("poll_id"),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("choices", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["poll_id"], ["poll.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_poll_counted_ballot_poll_id", "poll_counted_ballot", ["poll_id"])
    op.create_table(
        "poll_voter",
        _key(),
        _key("poll_id"),
        sa.Column("device_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["poll_id"], ["poll.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("poll_id", "device_hash", name="uq_poll_voter_device"),
    )
    op.create_index("ix_poll_voter_poll_id", "poll_voter", ["poll_id"])
    op.create_table(
        "poll_channel_count",
        _key(),
        _key("poll_id"),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("cast", sa.Integer(), nullable=False),
        sa.Column("invalid", sa.Integer(), nullable=False),
        sa.Column("counts", sa.String(), nullable=False),
        sa.Column("entered_by", sa.String(length=120), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["poll_id"], ["poll.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("poll_id", "channel", name="uq_poll_channel"),
    )
    op.create_index("ix_poll_channel_count_poll_id", "poll_channel_count", ["poll_id"])


def downgrade() -> None:
    for table in (
        "poll_channel_count",
        "poll_voter",
        "poll_counted_ballot",
        "poll_ballot",
        "poll_option",
        "poll",
    ):
        op.drop_table(table)
