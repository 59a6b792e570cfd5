"""Installation settings kept in the database: values that must survive a restart."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from meetingtui.domain.models import Setting

WEB_SECRET = "web.signing_secret"


def get_or_create_setting(session: Session, *, name: str, make: Callable[[], str]) -> str:
    """The setting's value, creating it with ``make()`` the first time.

    Two processes starting at once may both try to create it; the loser's insert fails on the
    primary key and it reads the winner's value instead, so everyone ends up with one value.
    """
    existing = session.get(Setting, name)
    if existing is not None:
        return existing.value
    try:
        with session.begin_nested():
            session.add(Setting(name=name, value=make()))
    except IntegrityError:
        pass
    row = session.get(Setting, name)
    assert row is not None
    return row.value


def web_signing_secret(session: Session) -> str:
    """The attendee web's signing secret (256 random bits), created on first use."""
    return get_or_create_setting(session, name=WEB_SECRET, make=lambda: secrets.token_hex(32))
