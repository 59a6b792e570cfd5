"""Engine and session set-up: SQLite pragmas, write transactions, and migrations on open.

Every acknowledged write is committed durably before the caller hears back: SQLite runs in WAL
mode with ``synchronous=FULL`` (survives a killed process *and* a power cut), foreign keys on and a
busy timeout so that a second terminal on the same file waits instead of failing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Session

from meetingtui.store.location import describe_database, resolve_database_url

BUSY_TIMEOUT_MS = 10_000


def _configure_sqlite(engine: sa.Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001 - DB-API objects
        # Let SQLAlchemy, not the driver, decide when transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # noqa: ANN001
        # A write transaction takes the write lock up front (BEGIN IMMEDIATE). A deferred BEGIN
        # that reads and then writes can fail at once with "database is locked" when another
        # process wrote in between, and the busy timeout does not help in that case.
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_database_engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        )
        _configure_sqlite(engine)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


class Database:
    """One database, opened and upgraded to the current schema.

    ``write()`` hands out a session whose transaction holds the write lock and commits on success;
    writes from this process also pass through one lock, so web threads and console workers queue
    politely instead of contending for SQLite's lock.
    """

    def __init__(self, url: str, *, migrate: bool = True):
        self.url = url
        self.engine = create_database_engine(url)
        self._writer = self.engine.execution_options(sqlite_immediate=True)
        self._write_lock = threading.Lock()
        if migrate:
            from meetingtui.store.migrate import upgrade_to_head

            upgrade_to_head(self)

    @classmethod
    def open(cls, db: str | None = None) -> Database:
        return cls(resolve_database_url(db))

    @property
    def description(self) -> str:
        return describe_database(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def write_connection(self) -> sa.Connection:
        return self._writer.connect()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self._write_lock, Session(self._writer, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()
