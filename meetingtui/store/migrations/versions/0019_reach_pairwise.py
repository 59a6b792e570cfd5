"""reach (monitoring questions, responses, sign-in names, answered devices, reference
populations) and pairwise choices

Revision ID: 0019_reach_pairwise
Revises: 0011_public_plan_link

Six new tables; no existing row changes. The reach tables keep answers apart from everything
a person posted (domain/reach.py): ``reach_response``, ``reach_name`` and ``reach_device`` hold
no device id, idea, comment or time, and in SQLite they are ``WITHOUT ROWID`` tables keyed by
random UUIDs, so the stored order says nothing of who answered when. Downgrade drops the six
tables (and so the answers, names and choices kept in them).
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_reach_pairwise"
down_revision = "0016_duplicate_pairs"
branch_labels = None
depends_on = None

NO_ROWID = {"sqlite_with_rowid": False}


def upgrade() -> None:
    op.create_table(
        "reach_question",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("options", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "key", name="uq_reach_question_key"),
    )
    op.create_index("ix_reach_question_meeting_id", "reach_question", ["meeting_id"])
    op.create_table(
        "reach_response",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("area", sa.String(length=40), nullable=False),
        sa.Column("answers", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("id"),
        **NO_ROWID,
    )
    op.create_index("ix_reach_response_meeting_id", "reach_response", ["meeting_id"])
    op.create_table(
        "reach_name",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("id"),
        **NO_ROWID,
    )
    op.create_index("ix_reach_name_meeting_id", "reach_name", ["meeting_id"])
    op.create_table(
        "reach_device",
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("device_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("meeting_id", "device_hash"),
        **NO_ROWID,
    )
    op.create_table(
        "reach_population",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("programme_id", sa.Uuid(), nullable=False),
        sa.Column("area", sa.String(length=40), nullable=False),
        sa.Column("question", sa.String(length=40), nullable=False),
        sa.Column("option", sa.String(length=80), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "programme_id", "area", "question", "option", name="uq_reach_population_cell"
        ),
    )
    op.create_index("ix_reach_population_programme_id", "reach_population", ["programme_id"])
    op.create_table(
        "pairwise_choice",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=False),
        sa.Column("idea_low", sa.Uuid(), nullable=False),
        sa.Column("idea_high", sa.Uuid(), nullable=False),
        sa.Column("winner", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.ForeignKeyConstraint(["idea_low"], ["idea.id"]),
        sa.ForeignKeyConstraint(["idea_high"], ["idea.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "meeting_id", "device", "idea_low", "idea_high", name="uq_pairwise_device_pair"
        ),
    )
    op.create_index("ix_pairwise_choice_meeting_id", "pairwise_choice", ["meeting_id"])
    op.create_index("ix_pairwise_choice_idea_low", "pairwise_choice", ["idea_low"])
    op.create_index("ix_pairwise_choice_idea_high", "pairwise_choice", ["idea_high"])


def downgrade() -> None:
    op.drop_table("pairwise_choice")
    op.drop_table("reach_population")
    op.drop_table("reach_device")
    op.drop_table("reach_name")
    op.drop_table("reach_response")
    op.drop_table("reach_question")
