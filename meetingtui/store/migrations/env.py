"""Alembic environment: runs on the connection meetingtui hands over (see store/migrate.py)."""

from alembic import context
from sqlmodel import SQLModel

import meetingtui.domain.models  # noqa: F401  (registers every table on the metadata)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=False,  # SQLModel's AutoString vs Text differences are not schema changes
)
with context.begin_transaction():
    context.run_migrations()
