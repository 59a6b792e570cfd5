"""The facilitator console app and the one factory that the CLI and the tests both use.

This module imports Textual and nothing heavy: ``meetingtui run`` draws its first frame (an
"opening the meeting" screen) while a worker imports the database layer, opens the meeting and
builds the attendee web, then switches to the console. SQLAlchemy alone takes longer to import
than a whole minimal Textual app takes to start.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import os
import signal
import socket
import sys
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Protocol

from textual import work
from textual.app import SystemCommand
from textual.message import Message
from textual.notifications import Notify, SeverityLevel
from textual.screen import Screen
from textual.signal import Signal
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from meetingtui.domain.states import MeetingStatus
from meetingtui.domain.words import counted
from meetingtui.tui.clock import Clock, system_clock
from meetingtui.tui.failure import failure_text
from meetingtui.tui.literal_app import LiteralApp
from meetingtui.tui.messages import ActionDone, ActionRefused, MeetingChanged
from meetingtui.tui.screens.confirm import ConfirmScreen
from meetingtui.tui.screens.opening import OpeningScreen

if TYPE_CHECKING:
    from meetingtui.domain.snapshot import LiveMeeting
    from meetingtui.session import LiveChange, MeetingSession
    from meetingtui.store.database import Database
    from meetingtui.tui.feed import FeedFollower

# Signals that should end the console cleanly (restoring the terminal) rather than kill it.
EXIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
# After SIGTERM or SIGHUP, how long the orderly shutdown (the web stopped, the terminal given
# back) may take before the process ends regardless: Textual's shutdown writes to the terminal,
# and with the terminal gone those writes can block for ever (the console stayed alive serving).
SIGNAL_EXIT_SECONDS = 10.0
# What a change said, and whether it was refused: for a screen that says it in its own place.
Reply = Callable[[str, bool], None]

HIGH_CONTRAST = Theme(
    name="meetingtui-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffaf00",
    error="#ff5f5f",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1c1c1c",
    boost="#262626",
    dark=True,
    text_alpha=1.0,
    variables={
        "footer-key-foreground": "#ffff00",
        "block-cursor-background": "#ffff00",
        "block-cursor-foreground": "#000000",
    },
)
# ctrl+t cycles: the default, the terminal's own colours (ANSI), high contrast.
THEME_CYCLE = ("textual-dark", "ansi-dark", HIGH_CONTRAST.name)
# What the console calls them (the names of ``--theme``), never Textual's own.
THEME_NAMES = {
    "textual-dark": "default",
    "ansi-dark": "terminal colours",
    HIGH_CONTRAST.name: "high contrast",
}
MAX_TOASTS = 3  # more at once would cover the console; the oldest gives way
HELD_SHOWN = 3  # held while the room watches or a moderator reads: the newest few on return


def default_operator() -> str:
    """Who is at this terminal, recorded as the author of what they capture."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "console"


def terminal_name() -> str:
    """This terminal (user, host and tty): part of a draft's owner, with user@host and the pid
    (session.MeetingSession), so a restart prefers a dead console's draft from its own terminal.
    ``MEETINGTUI_TERMINAL`` names it explicitly (scripts, tests)."""
    if named := os.environ.get("MEETINGTUI_TERMINAL", "").strip():
        return named
    tty = ""
    with contextlib.suppress(OSError, AttributeError):
        if sys.stdin.isatty():
            tty = os.ttyname(sys.stdin.fileno())
    return f"{default_operator()}@{socket.gethostname()}{':' + tty if tty else ''}"


class WebServer(Protocol):
    """What the console needs of the attendee web: start and stop inside its event loop.

    ``report`` says a sentence to the facilitator when the web has trouble after it started
    (it stopped and is starting again, say); ``on_commit`` is called when a web in another
    process has committed a write (one in this process is heard by the feed's own listener).
    """

    async def start(
        self,
        report: Callable[[str], None] | None = None,
        on_commit: Callable[[], None] | None = None,
    ) -> None: ...

    async def stop(self) -> None: ...


@dataclass
class OpenedMeeting:
    """What the console needs once the meeting is open (built by ``run_console_lazily``)."""

    database: Database
    meeting_id: uuid.UUID
    attendee_url: str
    web_server: WebServer | None = None
    wifi_ssid: str = ""
    wifi_password: str = ""
    # Building the attendee web imports FastAPI and the templates (~150 ms): done after the
    # console shows the meeting, in a worker.
    make_web_server: Callable[[], WebServer] | None = None


class ChoiceNeeded(Exception):
    """Opening the meeting needs the facilitator's answer first (a rehearsal's meeting closed,
    or the agenda file changed: resume it or start a new one?). The opener raises it; the app
    asks on the first frame and calls ``then`` with the chosen value (None for Escape), in the
    opening worker, for what to open."""

    def __init__(
        self,
        question: str,
        detail: str,
        choices: list[tuple[str, str, str]],
        then: Callable[[str | None], OpenedMeeting],
    ) -> None:
        super().__init__(question)
        self.question, self.detail, self.choices, self.then = question, detail, choices, then


class OpenFailed(Exception):
    """Opening the meeting failed for a reason a person can fix; ``code`` is the exit code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


MeetingOpener = Callable[[], OpenedMeeting]


class MeetingConsoleApp(LiteralApp):
    """Runs one meeting. Serves the attendee web from the same event loop when given one.

    Holds the keys typed while a dialog opens, for the dialog (``tui/type_ahead.py``)."""

    CSS_PATH = "console.tcss"
    TITLE = "meetingtui"

    class Opened(Message):
        def __init__(self, opened: OpenedMeeting) -> None:
            super().__init__()
            self.opened = opened

    class WebBuilt(Message):
        def __init__(self, web_server: WebServer) -> None:
            super().__init__()
            self.web_server = web_server

    class NotOpened(Message):
        def __init__(self, text: str, code: int) -> None:
            super().__init__()
            self.text, self.code = text, code

    def __init__(
        self,
        *,
        database: Database | None,
        meeting_id: uuid.UUID | None,
        attendee_url: str,
        web_server: WebServer | None,
        clock: Clock,
        operator: str,
        draft_owner: str,
        wifi_ssid: str = "",
        wifi_password: str = "",
        theme: str | None = None,
        opener: MeetingOpener | None = None,
    ) -> None:
        super().__init__()
        self.opener = opener
        self.database = database
        self.meeting_id = meeting_id
        self.attendee_url = attendee_url
        self.web_server = web_server
        self.clock = clock
        self.operator = operator
        self.draft_owner = draft_owner
        self.wifi_ssid = wifi_ssid
        self.wifi_password = wifi_password
        self._signals_installed: list[tuple[signal.Signals, signal._HANDLER]] = []
        self._exit_timer_started = False
        self._web_start: asyncio.Task[None] | None = None
        self.held_notifications: list[tuple[str, str, SeverityLevel, float | None]] = []
        # The meeting's state belongs to the app: one session (intents, reads), one feed
        # follower, and the live view every screen is given (``meeting_signal`` says it changed).
        self.session: MeetingSession | None = None
        self.follower: FeedFollower | None = None
        self.meeting_state: LiveMeeting | None = None
        self.meeting_signal: Signal[LiveChange] = Signal(self, "meeting-changed")
        self._known_pending = 0  # input already waiting at start is announced too
        self.register_theme(HIGH_CONTRAST)
        if theme:
            self.theme = theme

    def keep_notification(
        self, message: str, title: str, severity: SeverityLevel, timeout: float | None
    ) -> bool:
        if not self.holds_notifications():
            return False
        # The room sees only what the facilitator chose: the operator's messages (a phone's
        # free-text name among them) wait until the console is back. A moderator's text is
        # not covered either.
        self.held_notifications.append((message, title, severity, timeout))
        return True

    def _on_notify(self, event: Notify) -> None:
        """A new toast arrived: at most ``MAX_TOASTS`` show, the oldest give way (a burst of
        arrivals would otherwise stack up the side of the console, over what is being read)."""
        super()._on_notify(event)
        shown = list(self._notifications)
        for old in shown[: max(0, len(shown) - MAX_TOASTS)]:
            self._unnotify(old, refresh=False)
        self._refresh_notifications()

    def holds_notifications(self) -> bool:
        """The projector (``SHOWN_TO_THE_ROOM``) and moderation (``HOLDS_NOTIFICATIONS``, so
        that no toast covers the text being judged) hold them until the console is back."""
        screen = self.screen
        return getattr(screen, "SHOWN_TO_THE_ROOM", False) or getattr(
            screen, "HOLDS_NOTIFICATIONS", False
        )

    def hold_shown_notifications(self, *, answered: str = "") -> None:
        """Toasts already up when the projector or moderation opens would stay over it until
        they time out: take them down and hold them with the rest, except those titled
        ``answered`` (moderation answers "N waiting. Press m")."""
        for shown in list(self._notifications):
            if answered and shown.title == answered:
                continue
            self.held_notifications.append(
                (shown.message, shown.title, shown.severity, shown.timeout)
            )
        self.clear_notifications()
        # The screens below keep drawing their racks (a modal shows them through): empty those.
        from textual.widgets._toast import ToastRack

        for screen in self.screen_stack:
            for rack in screen.query(ToastRack):
                rack.show(self._notifications)

    def on_room_view_closed(self) -> None:
        """Back from the projector: say what was held while the room was watching."""
        self.release_held_notifications()

    def release_held_notifications(self) -> None:
        """Say what was held: the newest few, and how many more (all of them were already on
        screen elsewhere: the queue, the moderation list)."""
        held, self.held_notifications = self.held_notifications, []
        if len(held) > HELD_SHOWN:
            more = len(held) - HELD_SHOWN + 1
            held = held[-(HELD_SHOWN - 1) :]
            self.notify(f"{more} earlier messages while you were away from the console.")
        for message, title, severity, timeout in held:
            self.notify(message, title=title, severity=severity, timeout=timeout)

    def action_cycle_theme(self) -> None:
        current = THEME_CYCLE.index(self.theme) if self.theme in THEME_CYCLE else -1
        self.theme = THEME_CYCLE[(current + 1) % len(THEME_CYCLE)]
        self.notify(f"Theme: {THEME_NAMES.get(self.theme, self.theme)}")

    def get_default_screen(self) -> Screen:
        if self.opener is not None:
            return OpeningScreen()
        return self.console_screen()

    def console_screen(self) -> Screen:
        # Imported here, not at the top: the console pulls in the database layer, which the
        # first frame does not need (see the module's docstring). Not a cycle.
        from meetingtui.tui.screens.console import ConsoleScreen

        return ConsoleScreen(attendee_url=self.attendee_url, clock=self.clock)

    # ---- the meeting's state --------------------------------------------------------------

    def start_session(self) -> None:
        """The meeting session and the feed follower, once the meeting is open."""
        if self.session is not None or self.database is None or self.meeting_id is None:
            return
        from meetingtui.session import MeetingSession
        from meetingtui.tui.feed import FeedFollower

        self.session = MeetingSession(
            self.database, self.meeting_id, operator=self.operator, draft_owner=self.draft_owner
        )
        self.follower = FeedFollower(self.session, self.post_message)
        self.follower.start()
        self.run_worker(
            self.follower.follow, thread=True, group="feed", exit_on_error=False, name="feed"
        )

    def on_meeting_changed(self, message: MeetingChanged) -> None:
        """Apply what the follower read, tell the screens, and let it read the next."""
        from meetingtui.session import apply_change

        change = message.change
        try:
            if self.meeting_state is None:
                if change.full is None:
                    return
                self.meeting_state = change.full
            else:
                self.meeting_state = apply_change(self.meeting_state, change)
            self.announce(change)
            self.meeting_signal.publish(change)
        finally:
            if self.follower is not None:
                self.follower.applied()

    def announce(self, change: LiveChange) -> None:
        """Say when a phone asks to speak or attendee input starts waiting for a moderator."""
        for speaker in change.arrived_speakers:
            who = speaker.name or "Someone"
            self.notify(f"{who} asked to speak from a phone.", title="Speakers' queue")
        state = self.meeting_state
        if state is None:
            return
        waiting = state.pending.total
        if not self.screen_stack:  # closing down: a late change is not news any more
            return
        moderating = getattr(self.screen, "HOLDS_NOTIFICATIONS", False)
        if waiting > self._known_pending and not moderating:  # moderation shows its count
            self.notify(
                f"{counted(waiting, 'attendee contribution')} waiting. Press m to moderate.",
                title="Moderation",
            )
        self._known_pending = waiting

    def pending_seen(self, waiting: int) -> None:
        """The moderation screen closed with ``waiting`` rows still waiting, read by its own
        query: the app's view may catch up with them only after it closed, and they must not
        be announced as new then."""
        self._known_pending = waiting

    def change(
        self,
        intent: Callable[[MeetingSession], str],
        *,
        done: str = "",
        reply: Reply | None = None,
    ) -> None:
        """Run one intent of the meeting session in a worker; what it says becomes a
        notification, a refusal a warning, or, given ``reply``, goes to it (a screen that holds
        toasts says it in its own words). The feed follower shows the change. Each intent puts
        itself on the session's undo stack."""
        assert self.session is not None
        self.run_change(intent, done, self.session.ticket(), reply)

    @work(thread=True, group="changes", exit_on_error=False)
    def run_change(
        self,
        intent: Callable[[MeetingSession], str],
        done: str,
        ticket: int,
        reply: Reply | None = None,
    ) -> None:
        from meetingtui.domain.errors import DomainError

        assert self.session is not None
        try:
            said = self.session.run(intent, ticket)
        except DomainError as error:
            if reply is not None:
                self.call_from_thread(reply, str(error), True)
            else:
                self.post_message(ActionRefused(str(error)))
            return
        if reply is not None:
            self.call_from_thread(reply, said or done, False)
        else:
            self.post_message(ActionDone(said or done))

    def on_action_done(self, message: ActionDone) -> None:
        if message.text:
            self.notify(message.text)

    def on_action_refused(self, message: ActionRefused) -> None:
        self.notify(message.text, severity="warning")

    def undo(self, reply: Reply | None = None) -> None:
        """``u`` (in the console, the agenda and moderation): the session takes back this
        console's newest action and says which, or that there is nothing to undo."""
        if self.session is None:
            if reply is not None:
                reply("Nothing to undo.", False)
            else:
                self.notify("Nothing to undo.")
            return
        self.change(lambda s: s.undo(), reply=reply)

    # ---- quitting -------------------------------------------------------------------------

    def serving_the_room(self) -> bool:
        """The attendee web is up for a meeting phones can still use: quitting takes the page
        away from every phone in the room."""
        state = self.meeting_state
        return (
            self.web_server is not None
            and state is not None
            and state.meeting.status != MeetingStatus.CLOSED
        )

    async def action_quit(self) -> None:
        """``q``, ctrl+q, ctrl+c and the palette's Quit: ask first while phones depend on us."""
        if not self.serving_the_room():
            self.exit()
            return
        if isinstance(self.screen, QuitQuestion):
            return

        def decided(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(QuitQuestion(self.attendee_url), decided)

    def action_help_quit(self) -> None:
        """ctrl+c quits as ``q`` does (asking first while serving), rather than only telling
        which key quits."""
        self.call_later(self.action_quit)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place the app's unexpected worker failures surface: a notification."""
        if event.state == WorkerState.ERROR and event.worker.group in ("changes", "feed"):
            self.log.error(event.worker.error)
            self.notify(failure_text(event.worker.error), severity="error")

    async def on_mount(self) -> None:
        if not self.is_headless:
            self._install_exit_signals()
        if self.opener is not None:
            self.open_meeting()
        else:
            self.start_session()
            await self.start_web()

    @work(thread=True, group="open", exit_on_error=False)
    def open_meeting(self) -> None:
        """Import the database layer, open the meeting and build the web, off the UI thread."""
        assert self.opener is not None
        try:
            try:
                opened = self.opener()
            except ChoiceNeeded as needed:
                answer: str | None = self.call_from_thread(self.ask, needed)  # type: ignore[arg-type]
                opened = needed.then(answer)
            import meetingtui.tui.screens.console  # noqa: F401 - imported here, not on the UI thread
        except OpenFailed as error:
            self.post_message(self.NotOpened(str(error), error.code))
        except Exception as error:  # noqa: BLE001 - say it, restore the terminal, exit 1
            self.post_message(self.NotOpened(f"meetingtui: could not open the meeting: {error}", 1))
        else:
            self.post_message(self.Opened(opened))

    async def ask(self, needed: ChoiceNeeded) -> str | None:
        """Ask ``needed``'s question on the opening screen; the answer (on the UI thread)."""
        from meetingtui.tui.screens.choice import ChoiceScreen

        answered: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        screen = ChoiceScreen(needed.question, needed.detail, needed.choices, escape="resume")
        self.push_screen(screen, answered.set_result)
        return await answered

    async def on_meeting_console_app_opened(self, message: Opened) -> None:
        opened = message.opened
        self.database, self.meeting_id = opened.database, opened.meeting_id
        self.attendee_url, self.web_server = opened.attendee_url, opened.web_server
        self.wifi_ssid = self.wifi_ssid or opened.wifi_ssid
        self.wifi_password = self.wifi_password or opened.wifi_password
        self.opener = None
        self.start_session()
        await self.push_screen(self.console_screen())
        if opened.make_web_server is not None:
            self.build_web(opened.make_web_server)
        else:
            await self.start_web()

    @work(thread=True, group="open", exit_on_error=False)
    def build_web(self, make_web_server: Callable[[], WebServer]) -> None:
        try:
            self.post_message(self.WebBuilt(make_web_server()))
        except Exception as error:  # noqa: BLE001 - the console still runs without the web
            self.post_message(self.NotOpened(str(error), 0))

    async def on_meeting_console_app_web_built(self, message: WebBuilt) -> None:
        self.web_server = message.web_server
        await self.start_web()

    def on_meeting_console_app_not_opened(self, message: NotOpened) -> None:
        if message.code == 0:  # the web failed to build: the console carries on without it
            self.notify(f"The attendee web could not start: {message.text}", severity="error")
            return
        self.exit(return_code=message.code, message=message.text)

    async def start_web(self) -> None:
        """Start the attendee web without holding up the console: a web in its own process
        takes a second or so to come up, and keys pressed meanwhile must not wait for it."""
        if self.web_server is not None:
            # A plain asyncio task, not a worker: Textual cancels workers on exit, and the web
            # must run its own shutdown to release the port.
            self._web_start = asyncio.create_task(self._start_web(self.web_server))

    async def _start_web(self, web_server: WebServer) -> None:
        try:
            await web_server.start(report=self.say_web_trouble, on_commit=self.web_committed)
        except Exception as error:  # noqa: BLE001 - the console still runs without the web
            if self.web_server is web_server:
                self.web_server = None
            self.notify(f"The attendee web could not start: {error}", severity="error")

    def web_committed(self) -> None:
        if self.follower is not None:
            self.follower.wake()

    def say_web_trouble(self, sentence: str) -> None:
        self.notify(sentence, severity="warning", timeout=10)

    async def on_unmount(self) -> None:
        if self.follower is not None:
            self.follower.stop()
        for signum, before in self._signals_installed:
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(signum, before)
        self._signals_installed.clear()
        if self._web_start is not None and not self._web_start.done():
            self._web_start.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._web_start
        if self.web_server is not None:
            await self.web_server.stop()

    def _install_exit_signals(self) -> None:
        """SIGTERM and SIGHUP end the console (``exit_on_signal``). Plain ``signal.signal``
        handlers, not the event loop's: Python runs them between bytecodes even while the loop
        is blocked (a terminal that stopped reading fills Textual's output queue, and the loop
        waits on it), where a loop handler would never run."""
        loop = asyncio.get_running_loop()

        def received(signum: int, _frame: object) -> None:
            self.exit_on_signal(signum, loop)

        for signum in EXIT_SIGNALS:
            with contextlib.suppress(ValueError, OSError):  # not the main thread: no signals
                self._signals_installed.append((signum, signal.signal(signum, received)))

    def exit_on_signal(self, signum: int, loop: asyncio.AbstractEventLoop) -> None:
        """SIGTERM (a shutdown, ``kill``) or SIGHUP (the terminal closed, the ssh link
        dropped): quit without asking, as nothing is lost (every input acknowledged on screen
        or to a phone is already committed, drafts included). After a hang-up nothing can be
        drawn, so the console stops drawing and the shutdown only stops the web; and if the
        shutdown has not ended the process after ``SIGNAL_EXIT_SECONDS`` (blocked on a
        terminal that does not read), it ends then: the web child stops by itself when the
        console's pipe to it closes. Runs in a signal handler: it only sets, schedules and
        starts."""
        if signum == signal.SIGHUP or not _terminal_alive():
            driver = self._driver
            if driver is not None:
                driver.write = _write_nowhere  # type: ignore[method-assign]
        if not self._exit_timer_started:
            self._exit_timer_started = True
            threading.Thread(
                target=self._end_after,
                args=(SIGNAL_EXIT_SECONDS,),
                name="exit-on-signal",
                daemon=True,
            ).start()
        with contextlib.suppress(RuntimeError):  # the loop already closed: the timer ends it
            loop.call_soon_threadsafe(self.exit)

    def _end_after(self, seconds: float) -> None:
        """End the process if it is still here after ``seconds`` (a daemon thread: an orderly
        exit before then ends it first), the web told to stop first (a web that can be told
        at once: ``end_now``). Exit code 1: the shutdown did not finish."""
        threading.Event().wait(seconds)
        end_now = getattr(self.web_server, "end_now", None)
        if end_now is not None:
            with contextlib.suppress(Exception):
                end_now()
        os._exit(1)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The console's actions in the command palette, beside Textual's own."""
        yield from super().get_system_commands(screen)
        if hasattr(screen, "palette_commands"):
            for title, help_text, action in screen.palette_commands():
                yield SystemCommand(title, help_text, partial(screen.run_action, action))
        yield SystemCommand(
            "High-contrast theme",
            "Black background, bright text (ctrl+t cycles themes)",
            partial(setattr, self, "theme", HIGH_CONTRAST.name),
        )
        yield SystemCommand(
            "Terminal colours theme",
            "Use the terminal's own colour palette (ctrl+t cycles themes)",
            partial(setattr, self, "theme", "ansi-dark"),
        )


def _write_nowhere(data: str) -> None:
    """The terminal is gone: what would be drawn goes nowhere."""


def _terminal_alive() -> bool:
    """Whether the console's terminal still answers (after a hang-up it does not). Asked in
    a signal handler, so it must not block: no write (a write to a terminal that stopped
    reading waits for ever)."""
    import termios

    try:
        termios.tcgetattr(sys.__stdin__.fileno() if sys.__stdin__ else 0)
    except (OSError, termios.error, ValueError):
        return False
    return True


class QuitQuestion(ConfirmScreen):
    """Quit while the attendee web serves the meeting? Saying what phones lose."""

    def __init__(self, attendee_url: str) -> None:
        where = f" ({attendee_url})" if attendee_url else ""
        super().__init__(
            "Quit the console?",
            f"The attendee page{where} goes away from every phone until the console runs "
            "again. The meeting stays open and nothing recorded is lost.",
            yes="Quit",
            no="Keep running",
        )


def make_app(
    *,
    database: Database | None = None,
    meeting_id: uuid.UUID | None = None,
    attendee_url: str = "",
    web_server: WebServer | None = None,
    clock: Clock | None = None,
    operator: str | None = None,
    draft_owner: str | None = None,
    wifi_ssid: str = "",
    wifi_password: str = "",
    theme: str | None = None,
    opener: MeetingOpener | None = None,
) -> MeetingConsoleApp:
    """Build the console for one meeting.

    ``clock`` fixes "now" (aware UTC) for snapshot tests. ``operator`` is recorded as the author
    of what is captured here (default: the user name); ``draft_owner`` names this terminal for
    its idea draft (default: user, host and tty; the draft's key adds user@host and the pid).
    ``wifi_ssid``/``wifi_password`` override the agenda's
    network for the projector's Wi-Fi QR code. ``theme`` names a Textual theme (for example
    ``meetingtui-high-contrast`` or ``ansi-dark`` for the terminal's own colours).
    With ``opener`` (and no database), the first frame comes at once and ``opener`` runs in a
    thread to open the meeting; ``OpenFailed`` from it ends the app with its message and code.
    """
    return MeetingConsoleApp(
        database=database,
        meeting_id=meeting_id,
        attendee_url=attendee_url,
        web_server=web_server,
        clock=clock or system_clock,
        operator=operator or default_operator(),
        draft_owner=draft_owner or terminal_name(),
        wifi_ssid=wifi_ssid,
        wifi_password=wifi_password,
        theme=theme,
        opener=opener,
    )
