"""Engine and session set-up: SQLite pragmas, write transactions, and the explicit open step.

``Database.open(url, migrate=...)`` is the one way in: it checks the database before anything
uses it (there, SQLite's header, permissions and ``PRAGMA quick_check``, so damage is found at
open and not as errors later; its schema revision) and raises a ``StorageError`` with one plain
sentence when it cannot be used. Commands that write open with ``migrate=True`` and bring the
schema up to date; commands that only read create nothing and change nothing. ``Database(url)``
alone only builds the engine (no I/O, no migrations): for tests and tools that know the file.

Every acknowledged write is committed durably before the caller hears back: SQLite runs in WAL
mode with ``synchronous=FULL`` (survives a killed process *and* a power cut), foreign keys on and a
busy timeout so that a second terminal on the same file waits instead of failing.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
import sqlalchemy.exc
from sqlalchemy import event
from sqlmodel import Session

from meetingtui.domain.text_fold import fold
from meetingtui.store.errors import (
    CannotOpen,
    DatabaseDamaged,
    DatabaseMissing,
    DatabaseReadOnly,
    NotOurDatabase,
    SchemaTooNew,
    SchemaTooOld,
    damaged_message,
    explain,
)
from meetingtui.store.location import describe_database, sqlite_file

BUSY_TIMEOUT_MS = 10_000
ANALYSIS_LIMIT = 1000  # rows ANALYZE samples per index: the planner's statistics in milliseconds
STATISTICS_GROWTH = 2  # gathered again once a table has grown to this many times its measure
WATCHED_TABLES = ("idea", "comment")
QUICK_CHECK_MAX_ERRORS = 10
SQLITE_HEADER = b"SQLite format 3\x00"


def _fold_or_null(text: object) -> str | None:
    return None if text is None else fold(str(text))


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
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.close()
        # The fold every comparison uses (domain/text_fold.py), by the name PostgreSQL's own
        # has (revision 0008), so one SQL expression folds on both.
        dbapi_connection.create_function("meetingtui_fold", 1, _fold_or_null, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # noqa: ANN001
        # A write transaction takes the write lock up front (BEGIN IMMEDIATE). A deferred BEGIN
        # that reads and then writes can fail at once with "database is locked" when another
        # process wrote in between, and the busy timeout does not help in that case.
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _optimize_on_close(engine: sa.Engine) -> None:
    """``PRAGMA optimize`` as each connection closes: SQLite gathers statistics again for the
    tables this connection's queries used whose statistics are missing or out of date. A
    moment's wait at most: never holds up closing for another program's write lock."""

    @event.listens_for(engine, "close")
    def _on_close(dbapi_connection, _record):  # noqa: ANN001 - DB-API objects
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout=100")
            cursor.execute("PRAGMA optimize")
            cursor.close()
        except sqlite3.Error:
            pass  # statistics are a help to the planner, never worth an error


def create_database_engine(url: str) -> sa.Engine:
    # hide_parameters: an error's text never carries the values (a secret, someone's words).
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
            hide_parameters=True,
        )
        _configure_sqlite(engine)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, hide_parameters=True)


def _check_sqlite_file(path: Path, where: str, *, migrate: bool) -> None:
    """Refuse a SQLite file that is missing (for reads), not a database, read-only (for writes)
    or damaged, before any connection that could create or change a file is made."""
    if not path.exists():
        if migrate:
            if not os.access(path.parent, os.W_OK):
                raise CannotOpen(f"Cannot create the database {where}: its folder is read-only.")
            return
        raise DatabaseMissing(
            f"There is no database at {where}; nothing was created (check --db or "
            "MEETINGTUI_DB, or start a meeting with: meetingtui run AGENDA.toml)."
        )
    if path.is_dir():
        raise NotOurDatabase(f"Cannot open the database {where}: it is a folder, not a file.")
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError as error:
        raise CannotOpen(f"Cannot open the database {where}: {error.strerror or error}.") from None
    if not header:
        if migrate:
            return  # an empty file someone created for us: it becomes the database
        raise NotOurDatabase(f"The database {where} is an empty file, not a meetingtui database.")
    if header != SQLITE_HEADER:
        raise NotOurDatabase(f"Cannot open the database {where}: file is not a database.")
    if migrate and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        raise DatabaseReadOnly(
            f"The database {where} is read-only; meetingtui needs to write to it "
            "(check the file's and its folder's permissions). Nothing was changed."
        )
    problems = quick_check(path)
    if problems:
        raise DatabaseDamaged(damaged_message(where, len(problems)))


def quick_check(path: Path) -> list[str]:
    """SQLite's ``PRAGMA quick_check`` on the file (b-tree structure of every page, in a few
    tens of milliseconds at thousands of ideas): the problems found, or [] when it is sound.

    The probe changes nothing: with no ``-wal`` file (no one has the database open) it reads the
    file as immutable, creating no ``-wal``/``-shm``; otherwise it joins the open WAL read-only.
    """
    wal = Path(f"{path}-wal")
    mode = "mode=ro" if wal.exists() else "immutable=1"
    try:
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True)
    except sqlite3.Error as error:
        return [str(error)]
    try:
        rows = probe.execute(f"PRAGMA quick_check({QUICK_CHECK_MAX_ERRORS})").fetchall()
    except sqlite3.DatabaseError as error:
        if "not a database" in str(error) or "encrypted" in str(error):
            return []  # not damage: the open that follows names it plainly
        return [str(error)]
    finally:
        probe.close()
    found = [str(row[0]) for row in rows]
    return [] if found == ["ok"] else found


class Database:
    """One database. Open it with ``Database.open`` (checks, then migrations if asked).

    ``write()`` hands out a session whose transaction holds the write lock and commits on success;
    writes from this process also pass through one lock, so web threads and console workers queue
    politely instead of contending for SQLite's lock.
    """

    def __init__(self, url: str):
        self.url = url
        self.engine = create_database_engine(url)
        self._writer = self.engine.execution_options(sqlite_immediate=True)
        self._write_lock = threading.Lock()

    @classmethod
    def open(cls, url: str, *, migrate: bool = False) -> Database:
        """Check the database and return it ready to use, or raise a ``StorageError``.

        ``migrate=True`` (commands that write): a missing file is created and an older schema
        upgraded. ``migrate=False`` (commands that only read): nothing is created or changed; a
        missing, empty, older or newer database is refused with a plain message.
        """
        where = describe_database(url)
        path = sqlite_file(url)
        if path is not None:
            _check_sqlite_file(path, where, migrate=migrate)
        database = cls(url)
        try:
            database._check_schema(where, migrate=migrate)
        except sqlalchemy.exc.SQLAlchemyError as error:
            database.close()
            raise explain(error, where, server=path is None) from None
        except BaseException:
            database.close()
            raise
        if migrate and database.is_sqlite:
            database.refresh_statistics()
            _optimize_on_close(database.engine)
        return database

    def refresh_statistics(self) -> bool:
        """Gather the planner's statistics again (``ANALYZE``, sampled) when the catalogue's
        tables have grown past ``STATISTICS_GROWTH`` times what they were measured at, or were
        never measured with rows in them: a new database fills from empty, and without them a
        filtered page of 100,000 ideas is planned as if there were none. Only for databases
        opened to write (commands that read change nothing); a database busy with another
        writer is left as it is. True when they were gathered."""
        try:
            with self.engine.connect() as connection:
                try:
                    measured: dict[str, int] = dict(
                        connection.exec_driver_sql(
                            "SELECT tbl, max(CAST(stat AS INTEGER)) FROM sqlite_stat1 "
                            "WHERE tbl IN ('idea', 'comment') GROUP BY tbl"
                        ).all()
                    )
                except sqlalchemy.exc.OperationalError:  # no sqlite_stat1: never measured
                    connection.rollback()
                    measured = {}
                rows = {
                    table: connection.exec_driver_sql(f"SELECT max(rowid) FROM {table}").scalar()
                    or 0
                    for table in WATCHED_TABLES
                }
            if not any(
                count >= 100 and count > STATISTICS_GROWTH * (measured.get(table) or 0)
                for table, count in rows.items()
            ):
                return False
            with self._write_lock, self.write_connection() as connection:
                connection.exec_driver_sql("ANALYZE")
                connection.commit()
            return True
        except sqlalchemy.exc.OperationalError:
            return False  # busy or read-only: the next open tries again

    def _check_schema(self, where: str, *, migrate: bool) -> None:
        from meetingtui.store.migrate import (
            HEAD_REVISION,
            current_revision,
            is_known_revision,
            upgrade_to_head,
        )

        with self.engine.connect() as connection:
            revision = current_revision(connection)
            tables = sa.inspect(connection).get_table_names() if revision is None else []
        if revision == HEAD_REVISION:
            return
        if revision is None and tables:
            raise NotOurDatabase(
                f"The database {where} holds other tables but is not a meetingtui database; "
                "nothing was changed."
            )
        if revision is not None and not is_known_revision(revision):
            raise SchemaTooNew(
                f"The database {where} was last used by a newer version of meetingtui (schema "
                f"{revision}); install that version to open it. Nothing was changed."
            )
        if not migrate:
            if revision is None:
                raise SchemaTooOld(
                    f"The database {where} is empty: it has no meetings yet (start one with: "
                    "meetingtui run AGENDA.toml)."
                )
            raise SchemaTooOld(
                f"The database {where} was made by an older version of meetingtui (schema "
                f"{revision}); upgrade it first with: meetingtui upgrade --db {where}"
            )
        upgrade_to_head(self)

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
