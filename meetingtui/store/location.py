"""Where the database lives: ``--db``, then ``MEETINGTUI_DB``, then a file in the user data dir."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

ENV_VAR = "MEETINGTUI_DB"


def default_database_path() -> Path:
    return user_data_path("meetingtui", appauthor=False) / "meetingtui.sqlite3"


def resolve_database_url(db: str | None = None, *, create_folder: bool = True) -> str:
    """Turn what the user gave (a path, a SQLAlchemy URL, or nothing) into a SQLAlchemy URL.

    A plain path becomes a SQLite URL. With ``create_folder`` (commands that write) its folder is
    created, so that the first run on a fresh machine needs no set-up at all; commands that only
    read pass ``create_folder=False`` and create nothing, so a mistyped path is an error, not a
    new empty database.
    """
    given = db or os.environ.get(ENV_VAR) or ""
    if "://" in given:
        return given
    path = Path(given).expanduser() if given else default_database_path()
    if create_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path.resolve()}"


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for other databases and for in-memory SQLite."""
    if not url.startswith("sqlite"):
        return None
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def describe_database(url: str) -> str:
    """A short, password-free description of the database for status lines."""
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///")
    scheme, _, rest = url.partition("://")
    host = rest.rpartition("@")[2]
    return f"{scheme}://{host}"
