"""The projector view: what the room sees. A large QR code, the join address in large text, the
current item and the latest ideas. With a Wi-Fi network set (a hotspot when the venue has none),
a second QR code joins phones to it first.

Full screen, and updated live from the console's feed while it shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from meetingtui.domain.models import Idea
from meetingtui.domain.states import MeetingStatus
from meetingtui.tui.messages import RoomViewClosed
from meetingtui.tui.widgets.big_text import BigText
from meetingtui.tui.widgets.qr_code import QrCode, wifi_payload

LATEST_IDEAS = 6

if TYPE_CHECKING:
    from meetingtui.session import LiveChange, MeetingSession
    from meetingtui.tui.app import MeetingConsoleApp


def _without_scheme(url: str) -> str:
    """Phones add ``http://`` themselves; the large text is shorter without it."""
    return url.split("://", 1)[-1]


def room_ideas(session: MeetingSession, limit: int = LATEST_IDEAS) -> list[Idea]:
    """The ideas the room may see, newest first: the one place the projector decides it.

    Only ideas the public-record policy (``meetingtui.domain.public``) lets the public see (not
    waiting, not hidden, not deleted), and the projector shows refs and titles, never names.
    """
    return session.public_ideas(limit)


class ProjectorScreen(Screen[None]):
    """Full screen for the room. ``SHOWN_TO_THE_ROOM``: the app holds notifications while it
    shows (and its stylesheet hides the toast rack), so nothing meant for the operator is
    projected."""

    SHOWN_TO_THE_ROOM = True

    BINDINGS = [
        Binding("escape,f5,v,q", "back", "Back to the console"),
        Binding("w", "switch_code", "Wi-Fi/meeting code", tooltip="Small screens: switch code"),
    ]

    def __init__(self, attendee_url: str, *, wifi_ssid: str = "", wifi_password: str = "") -> None:
        super().__init__()
        self.attendee_url = attendee_url
        self.wifi_ssid = wifi_ssid
        self.wifi_password = wifi_password

    @property
    def console_app(self) -> MeetingConsoleApp:
        return cast("MeetingConsoleApp", self.app)

    def compose(self) -> ComposeResult:
        with Horizontal(id="projector-body"):
            with Horizontal(id="projector-codes", classes="-two" if self.wifi_ssid else ""):
                if self.wifi_ssid:
                    # Side by side: two codes stacked would not fit a 30-row terminal.
                    with Vertical(classes="projector-code"):
                        yield Static("1. Join the Wi-Fi", classes="projector-step")
                        yield QrCode(
                            wifi_payload(self.wifi_ssid, self.wifi_password),
                            fit=True,
                            reserve_rows=4,
                            id="projector-wifi-qr",
                        )
                        password = f"Password: {self.wifi_password}" if self.wifi_password else ""
                        yield Static(
                            f"Network: {self.wifi_ssid}\n{password}",
                            id="projector-wifi-text",
                            markup=False,
                        )
                with Vertical(classes="projector-code"):
                    step = "2. Scan to join the meeting" if self.wifi_ssid else "Scan to join"
                    yield Static(step, classes="projector-step")
                    yield QrCode(self.attendee_url, fit=True, reserve_rows=4, id="projector-qr")
            with Vertical(id="projector-info"):
                yield Static("", id="projector-title")
                yield Static("Join at", classes="projector-label")
                yield BigText(_without_scheme(self.attendee_url), id="projector-url")
                yield Static("", id="projector-code")
                yield Static("Now", classes="projector-label")
                yield Static("", id="projector-item")
                yield Static("Latest ideas", classes="projector-label")
                yield Static("", id="projector-ideas")
                yield Static("Esc returns to the console", id="projector-hint")

    def on_mount(self) -> None:
        self.console_app.meeting_signal.subscribe(self, self.meeting_changed, immediate=True)
        self.show_meeting()
        self.load_ideas()
        self.showing_wifi = True
        self.fit_codes()

    def on_resize(self) -> None:
        self.fit_codes()

    def fit_codes(self) -> None:
        """Two codes side by side when they fit; otherwise one at a time (``w`` switches), so a
        small terminal never shows a cropped code that phones cannot read."""
        if not self.wifi_ssid:
            return
        modules = max(len(q.matrix) for q in self.query(QrCode))
        codes_width = (self.size.width * 2) // 3 - 2  # the codes take 2fr of 3
        one_at_a_time = codes_width < 2 * modules + 2
        self.set_class(one_at_a_time, "-one-code")
        wifi, meeting = self.query(".projector-code")
        wifi.display = not one_at_a_time or self.showing_wifi
        meeting.display = not one_at_a_time or not self.showing_wifi
        hint = "Esc returns to the console"
        if one_at_a_time:
            hint += " · w shows the " + ("meeting code" if self.showing_wifi else "Wi-Fi code")
        self.query_one("#projector-hint", Static).update(hint)

    def action_switch_code(self) -> None:
        self.showing_wifi = not self.showing_wifi
        self.fit_codes()

    def meeting_changed(self, change: LiveChange) -> None:
        if change.full is not None or change.meeting is not None or change.items is not None:
            self.show_meeting()
        if change.full is not None or change.rows is not None or change.gone:
            self.load_ideas()

    def show_meeting(self) -> None:
        state = self.console_app.meeting_state
        if state is None:
            return
        meeting = state.meeting
        self.query_one("#projector-title", Static).update(Text(meeting.title, style="bold"))
        self.query_one("#projector-code", Static).update(
            Text.assemble("Meeting code ", (meeting.code, "bold"))
        )
        item = state.current_item
        if meeting.status == MeetingStatus.CLOSED:
            now = Text("This meeting has closed. Thank you for taking part.", style="bold")
        elif item is None:
            now = Text("Starting soon", style="bold")
        else:
            now = Text(item.title, style="bold")
        self.query_one("#projector-item", Static).update(now)

    @work(thread=True, group="projector", exclusive=True, exit_on_error=False)
    def load_ideas(self) -> None:
        session = self.console_app.session
        if session is not None:
            latest = room_ideas(session)
            self.app.call_from_thread(self.show_ideas, latest)

    def show_ideas(self, latest: list[Idea]) -> None:
        if not self.is_attached:
            return
        lines = Text()
        for number, idea in enumerate(latest):
            if number:
                lines.append("\n")
            lines.append(f"{idea.ref}  ", style="bold")
            lines.append(idea.title)
        if not latest:
            lines = Text("No ideas yet: be the first, from your phone.", style="italic")
        self.query_one("#projector-ideas", Static).update(lines)

    def on_screen_suspend(self) -> None:
        self.app.post_message(RoomViewClosed())

    def on_unmount(self) -> None:
        self.app.post_message(RoomViewClosed())

    def action_back(self) -> None:
        self.dismiss(None)
