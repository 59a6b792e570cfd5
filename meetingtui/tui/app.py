"""The facilitator console app and the one factory that the CLI and the tests both use."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import uuid
from collections.abc import Iterable
from typing import Protocol

from textual.app import App, SystemCommand
from textual.screen import Screen

from meetingtui.store.database import Database
from meetingtui.tui.clock import Clock, system_clock
from meetingtui.tui.screens.console import ConsoleScreen

# Signals that should end the console cleanly (restoring the terminal) rather than kill it.
EXIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class WebServer(Protocol):
    """What the console needs of the attendee web: start and stop inside its event loop."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class MeetingConsoleApp(App[int]):
    """Runs one meeting. Serves the attendee web from the same event loop when given one."""

    CSS_PATH = "console.tcss"
    TITLE = "meetingtui"

    def __init__(
        self,
        *,
        database: Database,
        meeting_id: uuid.UUID,
        attendee_url: str,
        web_server: WebServer | None,
        clock: Clock,
    ) -> None:
        super().__init__()
        self.database = database
        self.meeting_id = meeting_id
        self.attendee_url = attendee_url
        self.web_server = web_server
        self.clock = clock
        self._signals_installed: list[signal.Signals] = []

    def get_default_screen(self) -> Screen:
        return ConsoleScreen(
            database=self.database,
            meeting_id=self.meeting_id,
            attendee_url=self.attendee_url,
            clock=self.clock,
        )

    async def on_mount(self) -> None:
        if not self.is_headless:
            self._install_exit_signals()
        if self.web_server is not None:
            # A plain asyncio task, not a worker: Textual cancels workers on exit, and uvicorn
            # must run its own shutdown to release the port.
            try:
                await self.web_server.start()
            except Exception as error:  # noqa: BLE001 - the console still runs without the web
                self.web_server = None
                self.notify(f"The attendee web could not start: {error}", severity="error")

    async def on_unmount(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in self._signals_installed:
            loop.remove_signal_handler(signum)
        if self.web_server is not None:
            await self.web_server.stop()

    def _install_exit_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in EXIT_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self.exit)
                self._signals_installed.append(signum)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The console's actions in the command palette, beside Textual's own."""
        yield from super().get_system_commands(screen)
        if isinstance(screen, ConsoleScreen):
            yield SystemCommand(
                "Capture idea", "Open the idea form (i)", screen.action_capture_idea
            )
            yield SystemCommand(
                "Next item", "Move to the next agenda item (n)", screen.action_next_item
            )
            yield SystemCommand(
                "Previous item",
                "Go back to the previous agenda item (p)",
                screen.action_previous_item,
            )


def make_app(
    *,
    database: Database,
    meeting_id: uuid.UUID,
    attendee_url: str,
    web_server: WebServer | None = None,
    clock: Clock | None = None,
) -> MeetingConsoleApp:
    """Build the console for one meeting. ``clock`` fixes "now" (aware UTC) for snapshot tests."""
    return MeetingConsoleApp(
        database=database,
        meeting_id=meeting_id,
        attendee_url=attendee_url,
        web_server=web_server,
        clock=clock or system_clock,
    )
