"""Bring any database up to the current schema when it is opened; never drop data.

Alembic is imported only when there is something to do: opening an up-to-date database (the
common case, at every start of the console) costs one query.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

if TYPE_CHECKING:
    from meetingtui.store.database import Database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
HEAD_REVISION = "0003_settings"


def current_revision(connection: sa.Connection) -> str | None:
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def upgrade_to_head(database: Database) -> None:
    with database.engine.connect() as probe:
        if current_revision(probe) == HEAD_REVISION:
            return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Hold the write lock for the whole upgrade so two consoles opening a new file at once
    # do not both try to create the tables.
    with database.write_connection() as connection, connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
