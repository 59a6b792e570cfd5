"""Running the console for real: bind the attendee port, start quiet web logging, run the app.

The socket is bound before the console takes the terminal, so "port in use" is a plain message and
exit code 1, not a uvicorn ``sys.exit`` inside a running TUI.
"""

from __future__ import annotations

import sys
import uuid

from meetingtui.domain.models import Meeting
from meetingtui.store.database import Database
from meetingtui.web.server import (
    EmbeddedWebServer,
    PortUnavailable,
    attendee_url,
    base_url_for,
    bind_listening_socket,
    route_web_logs_to_file,
)

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
) -> int:
    """Run the console for a started meeting until the facilitator quits; the exit code.

    ``port=None`` takes the first free port from 8765. ``public_url`` replaces the bound address
    in the QR code when attendees reach the laptop another way (a tunnel, a reverse proxy).
    ``wifi_ssid``/``wifi_password`` (default: the agenda's) put a Wi-Fi QR code on the projector
    view. ``operator`` is the name recorded as author of what is captured here (default: the
    user name). ``theme`` starts in a Textual theme, e.g. ``meetingtui-high-contrast``.
    """
    with database.read() as session:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None:
            print(f"No meeting with id {meeting_id}.", file=sys.stderr)
            return 1
        code = meeting.code
        if wifi_ssid is None:
            wifi_ssid, wifi_password = meeting.wifi_ssid, wifi_password or meeting.wifi_password
    try:
        sock = bind_listening_socket(host, port)
    except PortUnavailable as error:
        print(f"meetingtui: {error}", file=sys.stderr)
        return 1
    route_web_logs_to_file()

    # Imported here: FastAPI and the templates are only needed once we are really serving.
    from meetingtui.tui.app import make_app
    from meetingtui.web.app import create_web_app

    try:
        web_server = EmbeddedWebServer(create_web_app(database), sock)
    except BaseException:
        sock.close()
        raise
    url = attendee_url(base_url_for(sock, public_url), code)
    app = make_app(
        database=database,
        meeting_id=meeting_id,
        attendee_url=url,
        web_server=web_server,
        wifi_ssid=wifi_ssid or "",
        wifi_password=wifi_password or "",
        operator=operator,
        theme=theme,
    )
    app.run()
    return app.return_code or 0
