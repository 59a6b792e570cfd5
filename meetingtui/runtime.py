"""The wiring of one ``meetingtui run``: bind the attendee port, run the console app, and have it
start the attendee web in a child process on that port (``web/process.py`` says why).

It sits outside ``tui/`` and ``web/`` and imports both (cli -> runtime -> tui / web): the console
knows nothing of the web but the small ``WebServer`` protocol it starts and stops.

The socket is bound before the console takes the terminal, so "port in use" is a plain message and
exit code 1, not a uvicorn ``sys.exit`` inside a running TUI.

``run_console_lazily`` is the fast path for ``meetingtui run``: the console's first frame comes
before the database layer is even imported; the meeting opens in a worker thread.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import socket

    from meetingtui.store.database import Database
    from meetingtui.tui.app import OpenedMeeting

DEFAULT_HOST = "0.0.0.0"


def run_console(
    *,
    database: Database,
    meeting_id: uuid.UUID,
    host: str = DEFAULT_HOST,
    port: int | None = None,
    public_url: str | None = None,
    wifi_ssid: str | None = None,
    wifi_password: str | None = None,
    operator: str | None = None,
    theme: str | None = None,
    trust_proxy: bool = False,
) -> int:
    """Run the console for a started meeting until the facilitator quits; the exit code.

    ``port=None`` takes the first free port from 8765. ``public_url`` replaces the bound address
    in the QR code when attendees reach the laptop another way (a tunnel, a reverse proxy).
    ``wifi_ssid``/``wifi_password`` (default: the agenda's) put a Wi-Fi QR code on the projector
    view. ``operator`` is the name recorded as author of what is captured here (default: the
    user name). ``theme`` starts in a Textual theme, e.g. ``meetingtui-high-contrast``.
    ``trust_proxy`` believes ``X-Forwarded-For`` (only behind a reverse proxy of your own).
    """
    return run_console_lazily(
        open_meeting=lambda: (database, meeting_id),
        host=host,
        port=port,
        public_url=public_url,
        wifi_ssid=wifi_ssid,
        wifi_password=wifi_password,
        operator=operator,
        theme=theme,
        check_first=True,
        trust_proxy=trust_proxy,
    )


def run_console_lazily(
    *,
    open_meeting: Callable[[], tuple[Database, uuid.UUID]],
    host: str = DEFAULT_HOST,
    port: int | None = None,
    public_url: str | None = None,
    wifi_ssid: str | None = None,
    wifi_password: str | None = None,
    operator: str | None = None,
    theme: str | None = None,
    check_first: bool = False,
    trust_proxy: bool = False,
) -> int:
    """Like ``run_console``, but ``open_meeting`` (open the database, find or create and start
    the meeting) runs in a worker after the first frame is drawn.

    An exception from ``open_meeting`` ends the console with its message (and its ``code``
    attribute as the exit code, if it has one), after the terminal is restored.
    """
    from meetingtui.web.server import PortUnavailable, bind_listening_socket

    if check_first:  # the meeting is already open: refuse an unknown one before the TUI starts
        database, meeting_id = open_meeting()
        if _meeting_code(database, meeting_id) is None:
            print(f"No meeting with id {meeting_id}.", file=sys.stderr)
            return 1
    try:
        sock = bind_listening_socket(host, port)
    except PortUnavailable as error:
        print(f"meetingtui: {error}", file=sys.stderr)
        return 1

    from meetingtui.tui.app import make_app

    opener = make_opener(open_meeting, sock, public_url, trust_proxy)
    app = make_app(
        opener=opener,
        wifi_ssid=wifi_ssid or "",
        wifi_password=wifi_password or "",
        operator=operator,
        theme=theme,
    )
    try:
        app.run()
    finally:
        sock.close()  # a no-op once the web server has closed it
    return app.return_code or 0


class OpeningQuestion(Exception):  # noqa: N818 - a question, not an error
    """Raised by an ``open_meeting`` that needs the facilitator's choice before it can open
    (``meetingtui run agenda.toml`` after its meeting closed, or its file changed).
    ``choices`` are (key, text, value); ``then(value)`` opens the meeting as chosen (``None``:
    Escape, resume)."""

    def __init__(
        self,
        question: str,
        detail: str,
        choices: list[tuple[str, str, str]],
        then: Callable[[str | None], tuple[Database, uuid.UUID]],
    ) -> None:
        super().__init__(question)
        self.question, self.detail, self.choices, self.then = question, detail, choices, then


def make_opener(
    open_meeting: Callable[[], tuple[Database, uuid.UUID]],
    sock: socket.socket,
    public_url: str | None,
    trust_proxy: bool = False,
) -> Callable[[], OpenedMeeting]:
    """What the console's opening worker calls: ``open_meeting``, then the web around ``sock``.
    An ``OpeningQuestion`` from ``open_meeting`` becomes the app's ``ChoiceNeeded`` (asked on
    the first frame); any other failure its ``OpenFailed``, with the message and exit code."""
    from meetingtui.tui.app import ChoiceNeeded, OpenFailed

    def opened(open_it: Callable[[], tuple[Database, uuid.UUID]]) -> OpenedMeeting:
        try:
            database, meeting_id = open_it()
        except OpeningQuestion as question:
            # The facilitator answers on the first frame; then the meeting opens as chosen.
            then = question.then
            raise ChoiceNeeded(
                question.question,
                question.detail,
                question.choices,
                lambda answer: opened(lambda: then(answer)),
            ) from None
        except Exception as error:
            raise OpenFailed(str(error), getattr(error, "code", 1)) from error
        return _open_web(database, meeting_id, sock, public_url, trust_proxy)

    def opener() -> OpenedMeeting:
        return opened(open_meeting)

    return opener


def _meeting_code(database: Database, meeting_id: uuid.UUID) -> str | None:
    from meetingtui.domain.models import Meeting

    with database.read() as session:
        meeting = session.get(Meeting, meeting_id)
        return meeting.code if meeting else None


def _open_web(
    database: Database,
    meeting_id: uuid.UUID,
    sock: socket.socket,
    public_url: str | None,
    trust_proxy: bool = False,
) -> OpenedMeeting:
    """The meeting's join URL and the attendee web around the bound socket (in the worker)."""
    from meetingtui.domain.models import Meeting
    from meetingtui.tui.app import OpenedMeeting, OpenFailed
    from meetingtui.web.process import WebProcess
    from meetingtui.web.server import attendee_url, base_url_for, log_file_path

    with database.read() as session:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None:
            raise OpenFailed(f"No meeting with id {meeting_id}.")
        code, ssid, password = meeting.code, meeting.wifi_ssid, meeting.wifi_password
        language = meeting.language
    base_url = base_url_for(sock, public_url)
    log_path = log_file_path()

    def make_web_server() -> WebProcess:
        # The web runs in a process of its own (see web/process.py): a busy room and the
        # console's redraws no longer take turns on one interpreter.
        return WebProcess(
            database_url=database.url,
            sock=sock,
            base_url=base_url,  # the projector page's QR shows the console's (--public-url)
            trust_proxy=trust_proxy,
            language=language,  # of error pages at addresses that belong to no meeting
            log_path=log_path,
            errors_path=log_path.with_name("web-errors.log"),
        )

    return OpenedMeeting(
        database=database,
        meeting_id=meeting_id,
        attendee_url=attendee_url(base_url, code),
        wifi_ssid=ssid,
        wifi_password=password,
        make_web_server=make_web_server,
    )
