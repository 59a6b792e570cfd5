"""ideas imported from a file, and each programme's record of ideas received outside meetings

Revision ID: 0013_idea_import
Revises: 0011_public_plan_link

- ``meeting.kind``: ``meeting`` (every existing row: a meeting held from an agenda) or
  ``intake``, the record a programme keeps of ideas that came by email, letter or an online
  form outside any meeting (``import ideas --programme``). An intake record has no join page
  and is never run.
- ``idea.source_id``: the row's key in the file it was imported from, so a re-import of the
  same file changes nothing ("" for every existing idea). Unique per programme, which the
  import checks under the programme's lock (a programme is not a column of ``idea``); the
  index finds the known ones.

Both are ``ADD COLUMN`` with a server default: no table is rebuilt, so the full-text and
count triggers on ``idea`` stay as they are, and no row is lost either way.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_idea_import"
down_revision = "0017_themes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "meeting",
        sa.Column("kind", sa.String(8), nullable=False, server_default="meeting"),
    )
    op.add_column("idea", sa.Column("source_id", sa.String(200), nullable=False, server_default=""))
    op.create_index("ix_idea_source_id", "idea", ["source_id"])


def downgrade() -> None:
    # Intake records stay as ordinary (closed) meetings: their ideas keep their meeting.
    op.drop_index("ix_idea_source_id", "idea")
    op.execute("ALTER TABLE idea DROP COLUMN source_id")  # SQLite 3.35+, PostgreSQL
    op.execute("ALTER TABLE meeting DROP COLUMN kind")
