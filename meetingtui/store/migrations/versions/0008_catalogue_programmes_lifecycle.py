"""engagement programmes, the idea lifecycle, plan versions and full-text search

Revision ID: 0008_catalogue
Revises: 0007_screens

- ``programme``: every meeting now belongs to an engagement programme. One default programme
  is created (its key derived from its name, the same in every database, so venues' databases
  still combine) and every existing meeting is put in it (``meeting.programme_id``).
- The idea lifecycle: ``idea`` gains a reviewer, a plan section, and the public copy of its
  answer (``public_status``, ``public_reason``, ``public_response``, ``published_at``). Existing
  ideas keep their status, reason and response as the organisers' working copy; nothing was
  ever published before this revision (nothing could set those columns), so their public
  copy starts as "new" with no answer. ``idea_change`` holds each idea's history.
- ``plan_version`` and ``plan_section``: a programme's plan versions and their sections.
- ``ix_idea_captured_at``: the catalogue newest or oldest first, a page at a time.
- Search: on SQLite an FTS5 table ``idea_fts`` (unicode61, diacritics removed) over each
  idea's title, detail, who is affected and tags, kept in step by triggers and filled with
  every existing idea; on PostgreSQL an expression GIN index over the same text, folded by
  ``meetingtui_fold`` (lower case, punctuation a space, accents removed when the ``unaccent``
  extension can be installed).

Only tables, columns, indexes and triggers are added; no row is dropped or rewritten apart
from filling the new column of ``meeting``. No table is rebuilt (SQLite adds the new columns,
foreign key included, with ADD COLUMN), so SQLite's foreign keys never see a table dropped.
"""

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0008_catalogue"
down_revision = "0007_screens"
branch_labels = None
depends_on = None

DEFAULT_PROGRAMME = "default"  # domain/programmes.py DEFAULT_PROGRAMME says the same
# domain/programmes.py programme_key: a programme's key is derived from its name, so every
# database's default programme has the same key and venues' databases combine.
PROGRAMME_NAMESPACE = uuid.UUID("48b9f1b7-a529-5e43-bc7f-4a0f8f2908c6")

# The text searched: the idea's words, never names (consent to publish a name is per idea).
SEARCHED = ("title", "detail", "affects", "tags")


def upgrade() -> None:
    op.create_table(
        "programme",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_programme_name", "programme", ["name"], unique=True)
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its foreign key in place; alembic would rebuild the table.
        op.execute("ALTER TABLE meeting ADD COLUMN programme_id CHAR(32) REFERENCES programme (id)")
    else:
        op.add_column(
            "meeting",
            sa.Column("programme_id", sa.Uuid(), sa.ForeignKey("programme.id"), nullable=True),
        )
    op.create_index("ix_meeting_programme_id", "meeting", ["programme_id"])
    _default_programme_for_every_meeting()

    for name, column in (
        ("plan_section", sa.String(length=32)),
        ("reviewer", sa.String(length=120)),
        ("public_status", sa.String(length=24)),
        ("public_reason", sa.Text()),
        ("public_response", sa.Text()),
    ):
        default = "new" if name == "public_status" else ""
        op.add_column("idea", sa.Column(name, column, nullable=False, server_default=default))
    op.add_column("idea", sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_idea_captured_at", "idea", ["captured_at"])

    op.create_table(
        "idea_change",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("idea_id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("from_value", sa.Text(), nullable=False),
        sa.Column("to_value", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["idea_id"], ["idea.id"]),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_idea_change_idea_id", "idea_change", ["idea_id"])
    op.create_index("ix_idea_change_meeting_id", "idea_change", ["meeting_id"])

    op.create_table(
        "plan_version",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("programme_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("date", sa.String(length=10), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("programme_id", "name", name="uq_plan_version_programme_name"),
    )
    op.create_index("ix_plan_version_programme_id", "plan_version", ["programme_id"])
    op.create_table(
        "plan_section",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("plan_version_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["plan_version_id"], ["plan_version.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_plan_section_plan_version_id", "plan_section", ["plan_version_id"])

    if op.get_bind().dialect.name == "sqlite":
        _sqlite_search()
        # The planner's statistics, so that a filtered page of the catalogue walks
        # ix_idea_captured_at rather than every idea of the programme.
        op.execute("ANALYZE")
    else:
        _postgresql_search()
        op.execute("ANALYZE idea")


def _default_programme_for_every_meeting() -> None:
    connection = op.get_bind()
    programme = sa.table(
        "programme",
        sa.column("id", sa.Uuid()),
        sa.column("name", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    meeting = sa.table("meeting", sa.column("programme_id", sa.Uuid()))
    key = uuid.uuid5(PROGRAMME_NAMESPACE, DEFAULT_PROGRAMME)
    now = datetime.now(UTC)
    if connection.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # stored as UTC without an offset (models.UtcDateTime)
    connection.execute(programme.insert().values(id=key, name=DEFAULT_PROGRAMME, created_at=now))
    connection.execute(meeting.update().values(programme_id=key))


def _sqlite_search() -> None:
    columns = ", ".join(SEARCHED)
    new = ", ".join(f"new.{c}" for c in SEARCHED)
    op.execute(
        "CREATE VIRTUAL TABLE idea_fts USING fts5("
        f"idea_id UNINDEXED, {columns}, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    # The FTS row of an idea has the idea's rowid (a lookup, not a scan, when it changes) and
    # its id (what searches join on).
    insert = f"INSERT INTO idea_fts (rowid, idea_id, {columns}) VALUES (new.rowid, new.id, {new});"
    # Keyed by both, so a row is never taken from another idea's entry.
    delete = "DELETE FROM idea_fts WHERE rowid = old.rowid AND idea_id = old.id;"
    op.execute(f"CREATE TRIGGER idea_fts_insert AFTER INSERT ON idea BEGIN {insert} END")
    op.execute(f"CREATE TRIGGER idea_fts_delete AFTER DELETE ON idea BEGIN {delete} END")
    op.execute(
        f"CREATE TRIGGER idea_fts_update AFTER UPDATE OF {columns} ON idea "
        f"BEGIN {delete} {insert} END"
    )
    op.execute(
        f"INSERT INTO idea_fts (rowid, idea_id, {columns}) SELECT rowid, id, {columns} FROM idea"
    )


# Lower case, accents removed, and every run of other than letters and digits a space, so that
# words split as SQLite's unicode61 splits them ("I-10000" is "i" and "10000", not "-10000").
FOLD_WITH_UNACCENT = (
    "CREATE OR REPLACE FUNCTION meetingtui_fold(text) RETURNS text LANGUAGE sql IMMUTABLE "
    "PARALLEL SAFE AS $$ SELECT regexp_replace({schema}.unaccent("
    "'{schema}.unaccent'::regdictionary, lower($1)), '[^[:alnum:]]+', ' ', 'g') $$"
)
FOLD_PLAIN = (
    "CREATE OR REPLACE FUNCTION meetingtui_fold(text) RETURNS text LANGUAGE sql IMMUTABLE "
    "PARALLEL SAFE AS $$ SELECT regexp_replace(lower($1), '[^[:alnum:]]+', ' ', 'g') $$"
)


def _postgresql_search() -> None:
    connection = op.get_bind()
    schema = None
    with connection.begin_nested() as attempt:
        try:
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
            schema = connection.exec_driver_sql(
                "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                "ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'"
            ).scalar()
        except sa.exc.DBAPIError:  # not installed on this server, or not ours to install
            attempt.rollback()
    op.execute(FOLD_WITH_UNACCENT.format(schema=schema) if schema else FOLD_PLAIN)
    op.execute(f"CREATE INDEX ix_idea_search ON idea USING gin ({POSTGRESQL_VECTOR})")


# The indexed expression: domain/search.py queries with exactly this text.
POSTGRESQL_VECTOR = (
    "to_tsvector('simple'::regconfig, meetingtui_fold("
    + " || ' ' || ".join(f"coalesce({c}, '')" for c in SEARCHED)
    + "))"
)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("idea_fts_insert", "idea_fts_delete", "idea_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS idea_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_idea_search")
        op.execute("DROP FUNCTION IF EXISTS meetingtui_fold(text)")
    op.drop_table("plan_section")
    op.drop_table("plan_version")
    op.drop_table("idea_change")
    op.drop_index("ix_idea_captured_at", table_name="idea")
    with op.batch_alter_table("idea") as batch_op:
        for name in (
            "published_at",
            "public_response",
            "public_reason",
            "public_status",
            "reviewer",
            "plan_section",
        ):
            batch_op.drop_column(name)
    op.drop_index("ix_meeting_programme_id", table_name="meeting")
    with op.batch_alter_table("meeting") as batch_op:
        batch_op.drop_column("programme_id")
    op.drop_table("programme")
