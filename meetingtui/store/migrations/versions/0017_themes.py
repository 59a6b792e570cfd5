"""themes: ideas grouped under a name per programme, and decisions on suggested themes

Revision ID: 0017_themes
Revises: 0011_public_plan_link

Three new tables (domain/models.py ``Theme``, ``ThemeIdea``, ``ThemeDecision``); no existing
table or row is changed. Downgrade drops the three tables (their themes with them; every idea
stays as it was: an idea's own rows never point at a theme).
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_themes"
down_revision = "0011_public_plan_link"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "theme",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("programme_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("public_name", sa.String(length=120), nullable=False),
        sa.Column("public_summary", sa.Text(), nullable=False),
        sa.Column("public_response", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("programme_id", "name", name="uq_theme_programme_name"),
    )
    op.create_index("ix_theme_programme_id", "theme", ["programme_id"])
    op.create_table(
        "theme_idea",
        sa.Column("theme_id", sa.Uuid(), nullable=False),
        sa.Column("idea_id", sa.Uuid(), nullable=False),
        sa.Column("added_by", sa.String(length=120), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["idea_id"], ["idea.id"]),
        sa.ForeignKeyConstraint(["theme_id"], ["theme.id"]),
        sa.PrimaryKeyConstraint("theme_id", "idea_id"),
    )
    op.create_index("ix_theme_idea_idea_id", "theme_idea", ["idea_id"])
    op.create_table(
        "theme_decision",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("programme_id", sa.Uuid(), nullable=False),
        sa.Column("decision", sa.String(length=12), nullable=False),
        sa.Column("words_key", sa.String(length=64), nullable=False),
        sa.Column("ideas_key", sa.String(length=64), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column("idea_count", sa.Integer(), nullable=False),
        sa.Column("proposed_name", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("theme_id", sa.Uuid(), nullable=True),
        sa.Column("decided_by", sa.String(length=120), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_theme_decision_programme_id", "theme_decision", ["programme_id"])
    op.create_index("ix_theme_decision_words_key", "theme_decision", ["words_key"])
    op.create_index("ix_theme_decision_ideas_key", "theme_decision", ["ideas_key"])


def downgrade() -> None:
    op.drop_table("theme_decision")
    op.drop_table("theme_idea")
    op.drop_table("theme")
