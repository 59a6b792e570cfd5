"""Request-scoped access to what the app factory set up: the database and the templates.

Async on purpose: they only read ``app.state``, and an async dependency runs on the event loop
instead of taking a worker thread for nothing.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from meetingtui.store.database import Database


async def get_database(request: Request) -> Database:
    return request.app.state.database


async def get_templates(request: Request) -> Jinja2Templates:
    return request.app.state.templates


DatabaseDep = Annotated[Database, Depends(get_database)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
