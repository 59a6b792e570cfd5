"""Alembic environment.

meetingtui runs migrations on the connection that ``Database.open(url, migrate=True)`` hands
over (see store/migrate.py), holding the write lock. Run by hand with the ``alembic`` command and
the repository's ``alembic.ini`` (to add a revision: README, "Adding a migration"), it opens the
database named by ``-x db=URL_OR_PATH`` or ``$MEETINGTUI_DB`` with the same engine set-up.
"""

from alembic import context
from sqlmodel import SQLModel

import meetingtui.domain.models  # noqa: F401  (registers every table on the metadata)
from meetingtui.store.migrate import modelled


def _run(connection) -> None:  # noqa: ANN001 - a SQLAlchemy connection
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=False,  # SQLModel's AutoString vs Text differences are not schema changes
        include_name=modelled,  # the full-text search tables are made in SQL (revision 0006)
    )
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    _run(given)
else:
    import os

    from meetingtui.store.database import create_database_engine
    from meetingtui.store.location import resolve_database_url

    where = context.get_x_argument(as_dictionary=True).get("db") or os.environ.get("MEETINGTUI_DB")
    if not where:
        raise SystemExit("Name the database: alembic -x db=PATH_OR_URL … (or set MEETINGTUI_DB).")
    engine = create_database_engine(resolve_database_url(where))
    with engine.begin() as connection:
        _run(connection)
    engine.dispose()
