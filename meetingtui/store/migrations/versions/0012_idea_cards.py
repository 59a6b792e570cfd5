"""paper idea cards: the printed card number kept on the idea

Revision ID: 0012_idea_cards
Revises: 0011_public_plan_link

``meetingtui cards`` prints idea and comment cards, each with a number (``C-0137``) that is
never printed twice from one database: the last number handed out is the ``counter`` row named
``card`` (the table revision 0004 left unused; the row is created on the first print run).
An idea typed in from a card keeps that number in ``idea.card_number`` (NULL for every other
idea), indexed so the next card's number is checked at once.

Every existing row is kept: the upgrade only adds a nullable column and an index; the
downgrade drops them but keeps the ``card`` counter row (the table predates this revision), so
numbers printed before a downgrade are still never printed again after the next upgrade.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_idea_cards"
down_revision = "0018_polls"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("idea", sa.Column("card_number", sa.Integer(), nullable=True))
    op.create_index("ix_idea_card_number", "idea", ["card_number"])


def downgrade() -> None:
    op.drop_index("ix_idea_card_number", "idea")
    op.execute("ALTER TABLE idea DROP COLUMN card_number")  # SQLite 3.35+, PostgreSQL
