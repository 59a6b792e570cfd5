"""Where the database lives: ``--db``, then ``MEETINGTUI_DB``, then a file in the user data dir."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

ENV_VAR = "MEETINGTUI_DB"


def default_database_path() -> Path:
    return user_data_path("meetingtui", appauthor=False) / "meetingtui.sqlite3"


def resolve_database_url(db: str | None = None) -> str:
    """Turn what the user gave (a path, a SQLAlchemy URL, or nothing) into a SQLAlchemy URL.

    A plain path becomes a SQLite URL and its folder is created, so that the first run on a fresh
    machine needs no set-up at all.
    """
    given = db or os.environ.get(ENV_VAR) or ""
    if "://" in given:
        return given
    path = Path(given).expanduser() if given else default_database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path.resolve()}"


def describe_database(url: str) -> str:
    """A short, password-free description of the database for status lines."""
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///")
    scheme, _, rest = url.partition("://")
    host = rest.rpartition("@")[2]
    return f"{scheme}://{host}"
