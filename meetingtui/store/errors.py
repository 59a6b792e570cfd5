"""Storage failures as one plain sentence each.

Every way a database can fail to open (missing, read-only, busy, damaged, not ours, too old, too
new) has its own exception with a message a facilitator can act on. ``explain`` turns any
SQLAlchemy error met later into such a sentence, so no SQL, bound parameter or secret ever
reaches a user: the message is built from the database's description and SQLite's or the
server's short reason, never from ``str(error)`` (which carries the statement and parameters).
"""

from __future__ import annotations

import sqlalchemy.exc


class StorageError(Exception):
    """The database cannot be used as asked; the message is one sentence for a person."""


class DatabaseMissing(StorageError):
    pass


class DatabaseReadOnly(StorageError):
    pass


class DatabaseBusy(StorageError):
    pass


class DatabaseDamaged(StorageError):
    pass


class NotOurDatabase(StorageError):
    pass


class SchemaTooOld(StorageError):
    pass


class SchemaTooNew(StorageError):
    pass


class CannotOpen(StorageError):
    pass


def _reason(error: sqlalchemy.exc.DBAPIError) -> str:
    original = error.orig
    text = str(original).strip().splitlines()[0] if original is not None else ""
    return text.rstrip(".")


def explain(
    error: sqlalchemy.exc.SQLAlchemyError, where: str, *, server: bool = False
) -> StorageError:
    """The plain-sentence exception for a SQLAlchemy error on the database ``where`` (its
    description, never its URL with a password); ``server`` for PostgreSQL and the like."""
    if not isinstance(error, sqlalchemy.exc.DBAPIError):
        return CannotOpen(f"The database {where} could not be used ({type(error).__name__}).")
    reason = _reason(error).lower()
    if "locked" in reason or "busy" in reason:
        return DatabaseBusy(
            f"The database {where} is busy: another program is writing to it. "
            "Try again when it has finished."
        )
    if "readonly" in reason or "read-only" in reason:
        return DatabaseReadOnly(
            f"The database {where} is read-only; meetingtui needs to write to it "
            "(check the file's and its folder's permissions)."
        )
    if "malformed" in reason or "corrupt" in reason:
        return DatabaseDamaged(damaged_message(where))
    if "not a database" in reason or "file is encrypted" in reason:
        return NotOurDatabase(f"Cannot open the database {where}: file is not a database.")
    if "unable to open" in reason:
        return CannotOpen(f"Cannot open the database {where}: unable to open the file.")
    if "disk" in reason and ("full" in reason or "i/o" in reason):
        return CannotOpen(f"The database {where} cannot be written: {_reason(error)}.")
    if server and isinstance(error, sqlalchemy.exc.OperationalError):
        # A server: connection refused, unknown database, authentication, … (no SQL in these).
        return CannotOpen(f"Cannot open the database {where}: {_reason(error)}.")
    return CannotOpen(
        f"The database {where} failed ({type(error.orig).__name__ if error.orig else 'error'}); "
        "nothing more was changed."
    )


def damaged_message(where: str, problems: int | None = None) -> str:
    found = (
        f" (SQLite's check found {problems} problem{'s' if problems != 1 else ''})"
        if problems
        else ""
    )
    return (
        f"The database {where} is damaged{found}; nothing was changed. Restore it from a backup "
        f"or recover what is readable with: sqlite3 {where} .recover"
    )


def storage_failure(error: BaseException) -> StorageError | None:
    """The plain-sentence form of a database failure met while serving (``None`` for anything
    that is not one): a ``StorageError`` as it is, a SQLAlchemy error explained."""
    if isinstance(error, StorageError):
        return error
    if isinstance(error, sqlalchemy.exc.SQLAlchemyError):
        return explain(error, "in use")
    return None


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` is the database being locked by another program (worth retrying)."""
    return isinstance(storage_failure(error), DatabaseBusy)
