"""index for the public ideas of a meeting

Revision ID: 0005_public_ideas_index
Revises: 0004_idea_sequence

Every phone page and ``meetingtui meetings`` count the ideas the public may see
(``domain/public.py``: not deleted, visible) per meeting. One index on
``idea (meeting_id, visibility, deleted_at, seq)`` answers those counts from the index alone,
whatever the size of the meeting, and gives the public listing its order (newest by number) for
a page without reading the meeting's other ideas. Only an index is created: no row is touched
and no table rebuilt.
"""

from alembic import op

revision = "0005_public_ideas_index"
down_revision = "0004_idea_sequence"
branch_labels = None
depends_on = None

INDEX = "ix_idea_meeting_public"


def upgrade() -> None:
    op.create_index(INDEX, "idea", ["meeting_id", "visibility", "deleted_at", "seq"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="idea")
