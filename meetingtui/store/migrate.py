"""Migrations: run only from the explicit open step (``Database.open(url, migrate=True)``).

Commands that write (``run``, ``serve``, ``upgrade``) bring the database up to the current
schema; commands that only read refuse a database that is older or newer than this version of
meetingtui, with a plain message, and change nothing. Migrations never drop data.

Alembic is imported only when there is something to do: opening an up-to-date database (the
common case, at every start of the console) costs one query. Adding a revision: see the README
("Adding a migration") and update ``HEAD_REVISION`` below (a test checks it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

if TYPE_CHECKING:
    from meetingtui.store.database import Database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
HEAD_REVISION = "0020_fold_letters"

# Made by migrations in SQL the models cannot say (revision 0008): SQLite's full-text table
# and its shadow tables, PostgreSQL's full-text expression index. Comparisons of the models
# with a database leave them out.
UNMODELLED_TABLE_PREFIX = "idea_fts"
UNMODELLED_INDEXES = {
    "ix_idea_search",
    "ix_idea_awaiting",  # on the generated ``answer_published`` (revision 0010)
}
UNMODELLED_COLUMNS = {
    "search_vector",  # PostgreSQL's stored search text (revision 0009)
    "answer_published",  # generated from the published answer (revision 0010)
}


def modelled(name: str | None, type_: str, parent_names: object) -> bool:
    """alembic ``include_name``: false for what the models deliberately do not describe."""
    if type_ == "table":
        return not (name or "").startswith(UNMODELLED_TABLE_PREFIX)
    if type_ == "column" and name in UNMODELLED_COLUMNS:
        return False
    return not (type_ == "index" and name in UNMODELLED_INDEXES)


def current_revision(connection: sa.Connection) -> str | None:
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _config():  # noqa: ANN202 - alembic is imported lazily
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def is_known_revision(revision: str) -> bool:
    """Whether this version of meetingtui has the migration ``revision`` (an older schema)."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(_config()).get_revision(revision) is not None
    except (CommandError, KeyError, ValueError):
        return False


def upgrade_to_head(database: Database) -> None:
    with database.engine.connect() as probe:
        if current_revision(probe) == HEAD_REVISION:
            return
    from alembic import command

    config = _config()
    # Hold the write lock for the whole upgrade so two consoles opening a new file at once
    # do not both try to create the tables.
    with database.write_connection() as connection, connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
