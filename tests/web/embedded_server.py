"""The attendee web in the test's own event loop: a pilot test drives the console and real
HTTP to its web in one process, without the child process ``meetingtui run`` starts
(``meetingtui/web/process.py``). Tests only: the product serves from that child."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING

from meetingtui.web.server import DEFAULT_LIMITS, ConnectionLimits, QuietServer, web_config

if TYPE_CHECKING:
    from starlette.types import ASGIApp


class EmbeddedWebServer:
    """The attendee web running as a plain asyncio task in the caller's loop.

    Not a Textual worker: Textual cancels workers on exit, uvicorn's shutdown would never run
    and the port would stay bound.
    """

    def __init__(
        self, app: ASGIApp, sock: socket.socket, limits: ConnectionLimits = DEFAULT_LIMITS
    ):
        self.sock = sock
        self.server = QuietServer(web_config(app, limits))
        self._task: asyncio.Task[None] | None = None

    async def start(
        self,
        report: Callable[[str], None] | None = None,
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        """Neither callback is used: a web inside the console's process stops only with it,
        and its commits are heard by the console's feed listener."""
        self._task = asyncio.create_task(self.server.serve(sockets=[self.sock]))
        while not self.server.started and not self._task.done():
            await asyncio.sleep(0.01)
        if self._task.done():
            self._task.result()  # surface the start-up error

    async def stop(self) -> None:
        if self._task is None:
            return
        self.server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        self.sock.close()
