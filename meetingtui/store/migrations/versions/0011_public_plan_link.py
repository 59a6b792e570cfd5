"""the published copy of an idea's plan link

Revision ID: 0011_public_plan_link
Revises: 0010_idea_counts

A plan link ("reflected in v2, section 4.2") is a history entry, published with the idea's
answer; the public used to read the organisers' working link (``idea.plan_version`` and
``plan_section``) at once, before it was published. The public now reads
``idea.public_plan_version`` and ``public_plan_section``, copied by ``publish`` as the status
and response are (domain/lifecycle.py ``publish_answers``).

Backfill: an idea whose plan links are all published gets its current link copied; one whose
latest link is still a draft gets the last published one (read from its history entry, "v2 §4.2"),
or none. Ideas never linked, or linked only in drafts, keep an empty public link. No row is lost.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_public_plan_link"
down_revision = "0010_idea_counts"
branch_labels = None
depends_on = None


def _split(label: str) -> tuple[str, str]:
    """``v2 §4.2`` -> (v2, 4.2); ``v2`` -> (v2, "") (domain/plans.py ``link_label``)."""
    version, _, section = label.partition(" §")
    return version, section


def upgrade() -> None:
    for name, length in (("public_plan_version", 64), ("public_plan_section", 32)):
        op.add_column("idea", sa.Column(name, sa.String(length), nullable=False, server_default=""))
    op.create_index("ix_idea_public_plan_captured", "idea", ["public_plan_version", "captured_at"])
    published = (
        "EXISTS (SELECT 1 FROM idea_change c WHERE c.idea_id = idea.id AND c.field = 'plan'"
        " AND c.published_at IS NOT NULL)"
    )
    draft = (
        "EXISTS (SELECT 1 FROM idea_change c WHERE c.idea_id = idea.id AND c.field = 'plan'"
        " AND c.published_at IS NULL)"
    )
    op.execute(
        "UPDATE idea SET public_plan_version = plan_version, public_plan_section = plan_section"
        f" WHERE {published} AND NOT {draft}"
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT c.idea_id, c.to_value FROM idea_change c"
            " WHERE c.field = 'plan' AND c.published_at IS NOT NULL"
            " AND EXISTS (SELECT 1 FROM idea_change d WHERE d.idea_id = c.idea_id"
            " AND d.field = 'plan' AND d.published_at IS NULL)"
            " ORDER BY c.idea_id, c.at, c.id"
        )
    ).all()
    latest = {idea_id: to_value for idea_id, to_value in rows}  # the last published, per idea
    for idea_id, label in latest.items():
        version, section = _split(label)
        bind.execute(
            sa.text(
                "UPDATE idea SET public_plan_version = :v, public_plan_section = :s WHERE id = :id"
            ),
            {"v": version, "s": section, "id": idea_id},
        )


def downgrade() -> None:
    op.drop_index("ix_idea_public_plan_captured", "idea")
    for name in ("public_plan_section", "public_plan_version"):  # SQLite 3.35+, PostgreSQL
        op.execute(f"ALTER TABLE idea DROP COLUMN {name}")
