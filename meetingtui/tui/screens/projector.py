"""The projector view: what the room sees. A large QR code, the join address in large text, the
current item and its time, who has the floor with their countdown, the agenda and the latest
ideas. With a Wi-Fi network set (a hotspot when the venue has none), a second QR code joins
phones to it first.

Full screen, updated live from the console's feed while it shows, the clocks every second. A QR
code is shown whole or not at all: where the terminal is too small for it, the address (in large
text when it fits) is what the room types.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from meetingtui.domain.models import AgendaItem, Idea, Meeting, Poll, Speaker
from meetingtui.domain.polls import PollResults, poll_results
from meetingtui.domain.public import Audience, poll_results_public, speaker_now
from meetingtui.domain.room_polls import projected_poll, room_polls
from meetingtui.domain.states import MeetingStatus
from meetingtui.domain.vocab import STAKEHOLDERS, label
from meetingtui.domain.words import counted
from meetingtui.tui.clock import format_duration
from meetingtui.tui.literal import literal
from meetingtui.tui.messages import RoomViewClosed
from meetingtui.tui.timing import item_time, speaker_time
from meetingtui.tui.widgets.agenda_panel import AgendaPanel
from meetingtui.tui.widgets.big_text import BigText
from meetingtui.tui.widgets.poll_chart import chart_text
from meetingtui.tui.widgets.qr_code import QrCode, wifi_payload

LATEST_IDEAS = 12  # the most a 45-row projector shows; fewer where fewer rows are free
# The step line over a code and a blank row under it. Nothing is drawn right under a code: text
# against its quiet zone keeps cameras from finding it (the Wi-Fi name is on the right).
CODE_RESERVED_ROWS = 3
# Below this height the info column loses its top padding: every row goes to what the room reads.
SMALL_ROWS = 24
# The rows under the item and the speaker go to the agenda first (the room's next question is
# "what comes next"), then to the latest ideas: at least this many ideas, or none at all.
LABEL_ROWS = 2  # a label and the blank row above it
IDEAS_MIN_LINES = 3

if TYPE_CHECKING:
    from meetingtui.session import LiveChange, MeetingSession
    from meetingtui.tui.app import MeetingConsoleApp


def _without_scheme(url: str) -> str:
    """Phones add ``http://`` themselves; the large text is shorter without it."""
    return url.split("://", 1)[-1]


def item_clock(item: AgendaItem, now: datetime) -> Text:
    """The item's time as the room reads it: what is left of the plan, or how far over."""
    time = item_time(item, now)
    paused = " · paused" if item.running_since is None else ""
    planned = f"of {item.minutes} min"
    if time.over:
        return Text.assemble(
            (f"Over by {format_duration(-time.remaining)}", "bold"), f" {planned}{paused}"
        )
    return Text.assemble((f"{format_duration(time.remaining)} left", "bold"), f" {planned}{paused}")


def speaker_heading(speakers: list[Speaker]) -> Text:
    """ "Speaker 3 of 5 · Resident": a place and a group, a name only where the public-record
    policy allows one (it allows none today: asking to speak records no consent)."""
    now = speaker_now(speakers, Audience.PUBLIC)
    if now is None:
        return Text("")
    heading = Text.assemble((f"Speaker {now.number} of {now.of}", "bold"))
    for part in (now.name, label(STAKEHOLDERS, now.stakeholder)):
        if part:
            heading.append(f" · {part}")
    return heading


def speaker_countdown(
    speakers: list[Speaker], item: AgendaItem | None, now: datetime
) -> tuple[str, str]:
    """The speaker's clock for the large digits, and what it counts: time left, over, or
    used when the item sets no limit. Empty when nobody speaks."""
    speaking = speaker_now(speakers, Audience.PUBLIC)
    if speaking is None or item is None:
        return "", ""
    time = speaker_time(speaking.speaker, item, now)
    if time.remaining is None:
        return format_duration(time.elapsed), "speaking for"
    if time.remaining < 0:
        return format_duration(-time.remaining), "over time by"
    return format_duration(time.remaining), "time left"


def room_ideas(session: MeetingSession, limit: int = LATEST_IDEAS) -> list[Idea]:
    """The ideas the room may see, newest first: the one place the projector decides it.

    Only ideas the public-record policy (``meetingtui.domain.public``) lets the public see (not
    waiting, not hidden, not deleted), and the projector shows refs and titles, never names.
    """
    return session.public_ideas(limit)


@dataclass(frozen=True)
class RoomPoll:
    """The poll on the projector, its results, and whether the room may see them yet."""

    poll: Poll
    results: PollResults
    results_shown: bool


def room_poll(session: MeetingSession) -> RoomPoll | None:
    """The one poll the room sees (domain/room_polls.py decides which; the public-record
    policy whether its results show yet)."""
    with session.database.read() as db:
        meeting = db.get(Meeting, session.meeting_id)
        poll = projected_poll(room_polls(db, meeting)) if meeting is not None else None
        if poll is None:
            return None
        results = poll_results(db, poll)
        return RoomPoll(poll, results, poll_results_public(poll, Audience.PUBLIC))


def share_rows(rows: int, agenda_items: int, poll_lines: int = 0) -> tuple[int, int]:
    """(agenda rows, lines below it) for ``rows`` free under the item and the speaker. The
    agenda first, whole if it can be (its panel slides to keep the current item in view when
    not); then the latest ideas, when at least ``IDEAS_MIN_LINES`` of them fit; an agenda longer
    than the space gives up rows so that they do. While a poll is on (``poll_lines``: its
    chart's height) the poll takes the ideas' place and the agenda gives up every row but one
    for it: in a vote the room reads the question and the bars. Zero agenda rows: not even its
    label fits."""
    free = rows - LABEL_ROWS
    if free < 1:
        return 0, 0
    agenda = min(max(1, agenda_items), free)
    below_need = LABEL_ROWS + (poll_lines or IDEAS_MIN_LINES)
    if poll_lines and free - agenda < below_need:
        agenda = max(1, free - below_need)
    elif free - agenda < below_need and free >= 2 * below_need:
        agenda = free - below_need
    below = free - agenda - LABEL_ROWS
    return agenda, below if below >= min(poll_lines or IDEAS_MIN_LINES, IDEAS_MIN_LINES) else 0


class RoomRows(Vertical):
    """The rows left under the item and the speaker, shared by the agenda and the latest ideas
    (``share_rows``) each time their size or the agenda changes, so that a small projector shows
    the agenda instead of empty rows, and a large one the ideas as well."""

    poll_lines = 0  # the poll's chart, while a poll is on (it takes the ideas' place)

    def on_resize(self) -> None:
        self.share()

    def share(self) -> None:
        agenda = self.query_one(AgendaPanel)
        agenda_rows, lines = share_rows(self.size.height, len(agenda.items), self.poll_lines)
        agenda.styles.max_height = agenda_rows + agenda.styles.gutter.height
        shown = agenda_rows > 0
        if agenda.display != shown:
            agenda.display = shown
            self.query_one("#projector-agenda-label").display = shown
        for widget in self.query("#projector-ideas-label, #projector-ideas"):
            widget.display = lines > 0 and not self.poll_lines
        for widget in self.query("#projector-poll-label, #projector-poll"):
            widget.display = lines > 0 and bool(self.poll_lines)


class ProjectorScreen(Screen[None]):
    """Full screen for the room. ``SHOWN_TO_THE_ROOM``: the app holds notifications while it
    shows (and its stylesheet hides the toast rack), so nothing meant for the operator is
    projected."""

    SHOWN_TO_THE_ROOM = True

    BINDINGS = [
        Binding("escape,f5,v,q", "back", "Back to the console"),
        Binding("w", "switch_code", "Wi-Fi/meeting code", tooltip="Small screens: switch code"),
    ]

    def __init__(
        self,
        attendee_url: str,
        *,
        wifi_ssid: str = "",
        wifi_password: str = "",
    ) -> None:
        super().__init__()
        self.attendee_url = attendee_url
        self.latest: list[Idea] = []
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
                            reserve_rows=CODE_RESERVED_ROWS,
                            id="projector-wifi-qr",
                        )
                with Vertical(classes="projector-code"):
                    step = "2. Scan to join the meeting" if self.wifi_ssid else "Scan to join"
                    yield Static(step, classes="projector-step")
                    yield QrCode(
                        self.attendee_url,
                        fit=True,
                        reserve_rows=CODE_RESERVED_ROWS,
                        fallback=_without_scheme(self.attendee_url),
                        id="projector-qr",
                    )
            with Vertical(id="projector-info"):
                yield Static("", id="projector-title")
                yield Static("", id="projector-wifi-line", markup=False)
                yield Static("Join at", id="projector-join-label", classes="projector-label")
                yield BigText(_without_scheme(self.attendee_url), id="projector-url")
                yield Static("", id="projector-code")
                yield Static("Now", classes="projector-label")
                yield Static("", id="projector-item")
                yield Static("", id="projector-item-clock")
                yield Static("", id="projector-speaker")
                yield BigText("", id="projector-countdown")
                with RoomRows(id="projector-rest"):
                    yield Static("Agenda", id="projector-agenda-label", classes="projector-label")
                    yield AgendaPanel(id="projector-agenda")
                    yield Static(
                        "Latest ideas", id="projector-ideas-label", classes="projector-label"
                    )
                    yield Static("", id="projector-ideas")
                    yield Static("Poll", id="projector-poll-label", classes="projector-label")
                    yield Static("", id="projector-poll")
                yield Static("Esc returns to the console", id="projector-hint")

    def wifi_text(self) -> str:
        password = f"  Password: {self.wifi_password}" if self.wifi_password else ""
        return f"Wi-Fi: {self.wifi_ssid}{password}"

    def on_mount(self) -> None:
        self.console_app.hold_shown_notifications()
        self.console_app.meeting_signal.subscribe(self, self.meeting_changed, immediate=True)
        self.showing_wifi = True
        self.room_poll: RoomPoll | None = None
        self.show_meeting()
        self.load_ideas()
        self.load_poll()
        self.fit_codes()
        self.set_interval(1.0, self.tick)

    def now(self) -> datetime:
        return self.console_app.clock()

    def on_resize(self) -> None:
        self.fit_codes()

    def fit_codes(self) -> None:
        """Two codes side by side when they fit; otherwise one at a time (``w`` switches); and
        none where not even one fits whole (a cropped code cannot be scanned): the address,
        and the Wi-Fi network's name and password, are then on the right."""
        width, height = self.size
        self.set_class(height < SMALL_ROWS, "-small")
        largest = max(self.query(QrCode), key=lambda q: q.modules)
        modules = largest.modules
        rows_free = height - CODE_RESERVED_ROWS
        share = (2, 3) if self.wifi_ssid else (1, 2)  # the codes' part of the width
        codes_width = width * share[0] // share[1] - 2
        one_fits = largest.fits(codes_width, rows_free)
        self.set_class(not one_fits, "-no-code")
        self.query_one("#projector-codes").display = one_fits
        wifi_line = self.query_one("#projector-wifi-line", Static)
        wifi_line.display = bool(self.wifi_ssid)
        wifi_line.update(self.wifi_text())
        label = "Join at" if one_fits else "Join on your phone: type this address"
        self.query_one("#projector-join-label", Static).update(label)
        hint = "Esc returns to the console"
        if not self.wifi_ssid:
            self.query_one("#projector-hint", Static).update(hint)
            return
        one_at_a_time = codes_width < 2 * modules + 2
        self.set_class(one_at_a_time, "-one-code")
        wifi, meeting = self.query(".projector-code")
        wifi.display = not one_at_a_time or self.showing_wifi
        meeting.display = not one_at_a_time or not self.showing_wifi
        if one_at_a_time and one_fits:
            hint += " · w shows the " + ("meeting code" if self.showing_wifi else "Wi-Fi code")
        self.query_one("#projector-hint", Static).update(hint)

    def action_switch_code(self) -> None:
        self.showing_wifi = not self.showing_wifi
        self.fit_codes()

    def meeting_changed(self, change: LiveChange) -> None:
        if change.full is not None or change.meeting is not None or change.items is not None:
            self.show_meeting()
        elif change.speakers is not None:
            self.tick()
        if change.full is not None or change.rows is not None or change.gone:
            self.load_ideas()
        if change.full is not None or change.polls or change.items is not None:
            self.load_poll()

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
        self.query_one(AgendaPanel).show(state.items, meeting.current_item_id)
        self.query_one(RoomRows).share()
        self.tick()

    def tick(self) -> None:
        """The clocks: the item's time and the speaker's countdown (repainted, not laid out)."""
        state = self.console_app.meeting_state
        if state is None or not self.is_attached:
            return
        item = state.current_item
        running = item is not None and state.meeting.status != MeetingStatus.CLOSED
        now = self.now()
        clock = self.query_one("#projector-item-clock", Static)
        clock.display = running
        if running and item is not None:
            clock.update(item_clock(item, now), layout=False)
        heading = speaker_heading(state.speakers) if running else Text("")
        speaker = self.query_one("#projector-speaker", Static)
        countdown = self.query_one("#projector-countdown", BigText)
        speaker.display = countdown.display = bool(heading.plain)
        if heading.plain:
            digits, meaning = speaker_countdown(state.speakers, item, now)
            speaker.update(heading.append(f" · {meaning}"), layout=False)
            countdown.update(digits)

    @work(thread=True, group="projector", exclusive=True, exit_on_error=False)
    def load_ideas(self) -> None:
        session = self.console_app.session
        if session is not None:
            latest = room_ideas(session)
            self.app.call_from_thread(self.show_ideas, latest)

    def show_ideas(self, latest: list[Idea]) -> None:
        """The newest ideas, one line each; the rows left below the rest show as many as fit
        (the stylesheet clips whole lines)."""
        if not self.is_attached:
            return
        self.latest = latest
        lines = Text(no_wrap=True, overflow="ellipsis")
        for number, idea in enumerate(latest):
            if number:
                lines.append("\n")
            lines.append(f"{idea.ref}  ", style="bold")
            lines.append(idea.title)
        if not latest:
            lines = Text("No ideas yet: be the first, from your phone.", style="italic")
        self.query_one("#projector-ideas", Static).update(lines)

    @work(thread=True, group="projector-poll", exclusive=True, exit_on_error=False)
    def load_poll(self) -> None:
        session = self.console_app.session
        if session is not None:
            shown = room_poll(session)
            self.app.call_from_thread(self.show_poll, shown)

    def show_poll(self, shown: RoomPoll | None) -> None:
        """The poll the room votes in, in the ideas' place: its question, then its bars if its
        results are public now (``results = "at close"`` shows only the count of ballots)."""
        if not self.is_attached:
            return
        self.room_poll = shown
        rows = self.query_one(RoomRows)
        if shown is None:
            rows.poll_lines = 0
            rows.share()
            return
        poll, results = shown.poll, shown.results
        width = max(self.query_one("#projector-info").content_size.width, 30)
        text = Text.assemble(literal(poll.question, "bold"), "\n")
        if shown.results_shown:
            text.append_text(chart_text(results, width, channels=False))
        else:
            ballots = counted(results.combined.ballots, "ballot")
            state = "Vote on your phone" if poll.status == "open" else "Closed"
            text.append(f"{state} · {ballots} · results when it closes", style="italic")
        label = "Poll · open: vote on your phone" if poll.status == "open" else "Poll · closed"
        self.query_one("#projector-poll-label", Static).update(label)
        self.query_one("#projector-poll", Static).update(text)
        rows.poll_lines = len(text.wrap(self.app.console, width))
        rows.share()

    def on_screen_suspend(self) -> None:
        self.app.post_message(RoomViewClosed())

    def on_unmount(self) -> None:
        self.app.post_message(RoomViewClosed())

    def action_back(self) -> None:
        self.dismiss(None)
