"""idea sequence per meeting

Revision ID: 0004_idea_sequence
Revises: 0003_settings

Ideas are numbered per meeting (``idea.seq``; ``meeting.idea_seq`` is the last number handed
out) instead of by one counter for the whole database, and lists sort by that number instead of
by the text of the ref (``I-10000`` sorted before ``I-9999``).

Existing ideas keep their refs exactly: ``seq`` is the number in the ref, so every ref already
printed in minutes, on a projector or in a phone's bookmark (``/m/{code}/ideas/I-0042``) still
finds the same idea. (Renumbering old meetings from 1 would have given an old ref to a different
idea of the same meeting.) Each meeting then continues from its highest number. A ref is now
unique within its meeting (so databases from different venues combine); the database-wide
``counter`` row is left in place, unused. No row is dropped or rewritten apart from filling the
new columns. No table is rebuilt (only ADD COLUMN and indexes), so SQLite's foreign keys never
see a table dropped.
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0004_idea_sequence"
down_revision = "0003_settings"
branch_labels = None
depends_on = None

_NUMBER = re.compile(r"^[A-Za-z]+-(\d+)$")


def upgrade() -> None:
    op.add_column("idea", sa.Column("seq", sa.Integer(), nullable=False, server_default="0"))
    op.add_column(
        "meeting", sa.Column("idea_seq", sa.Integer(), nullable=False, server_default="0")
    )
    connection = op.get_bind()
    idea = sa.table(
        "idea",
        sa.column("id", sa.Uuid()),
        sa.column("meeting_id", sa.Uuid()),
        sa.column("ref", sa.String()),
        sa.column("seq", sa.Integer()),
        sa.column("captured_at", sa.DateTime(timezone=True)),
    )
    meeting = sa.table("meeting", sa.column("id", sa.Uuid()), sa.column("idea_seq", sa.Integer()))
    rows = connection.execute(
        sa.select(idea.c.id, idea.c.meeting_id, idea.c.ref).order_by(
            idea.c.meeting_id, idea.c.captured_at, idea.c.ref
        )
    ).all()
    numbers: dict[object, dict[object, int]] = {}  # meeting -> idea -> number
    used: dict[object, set[int]] = {}  # meeting -> numbers taken
    unnumbered: list[tuple[object, object]] = []
    for idea_id, meeting_id, ref in rows:
        match = _NUMBER.match(str(ref or ""))
        taken, seen = numbers.setdefault(meeting_id, {}), used.setdefault(meeting_id, set())
        if match and int(match.group(1)) not in seen:
            taken[idea_id] = int(match.group(1))
            seen.add(taken[idea_id])
        else:  # not a ref this program wrote: numbered after the meeting's highest, ref kept
            unnumbered.append((idea_id, meeting_id))
    for idea_id, meeting_id in unnumbered:
        taken, seen = numbers[meeting_id], used[meeting_id]
        taken[idea_id] = max(seen, default=0) + 1
        seen.add(taken[idea_id])
    updates = [
        {"key": idea_id, "number": number}
        for taken in numbers.values()
        for idea_id, number in taken.items()
    ]
    if updates:
        connection.execute(
            idea.update()
            .where(idea.c.id == sa.bindparam("key"))
            .values(seq=sa.bindparam("number")),
            updates,
        )
    highest = [
        {"key": meeting_id, "number": max(taken.values())} for meeting_id, taken in numbers.items()
    ]
    if highest:
        connection.execute(
            meeting.update()
            .where(meeting.c.id == sa.bindparam("key"))
            .values(idea_seq=sa.bindparam("number")),
            highest,
        )
    op.drop_index("ix_idea_ref", table_name="idea")
    op.create_index("ix_idea_ref", "idea", ["ref"], unique=False)
    op.create_index("ix_idea_meeting_seq", "idea", ["meeting_id", "seq"], unique=True)
    op.create_index("ix_idea_meeting_ref", "idea", ["meeting_id", "ref"], unique=True)


def downgrade() -> None:
    """Back to one database-wide ref index; fails (changing nothing) if two meetings now share a
    ref, since the old schema cannot hold that."""
    op.drop_index("ix_idea_meeting_ref", table_name="idea")
    op.drop_index("ix_idea_meeting_seq", table_name="idea")
    op.drop_index("ix_idea_ref", table_name="idea")
    op.create_index("ix_idea_ref", "idea", ["ref"], unique=True)
    with op.batch_alter_table("meeting") as batch_op:
        batch_op.drop_column("idea_seq")
    with op.batch_alter_table("idea") as batch_op:
        batch_op.drop_column("seq")
