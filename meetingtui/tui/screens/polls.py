"""The meeting's polls (key ``P`` on the console): open, close, reopen, ad hoc polls, live charts.

The list shows each poll's number, status, type, ballots and question; below it the highlighted
poll's results as a bar chart (tui/widgets/poll_chart.py: combined and per channel). ``o`` opens
the highlighted poll, ``c`` closes it (after asking: closing makes the ballots anonymous and
final), ``r`` reopens a closed one, ``a`` starts an ad hoc poll (a dialog: type, question,
options one per line or idea refs, settings). Results follow the feed: a ``poll.ballot`` event
reads only that poll's results again (LiveChange.polls), in a worker.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from meetingtui.domain import polls as poll_service
from meetingtui.domain.errors import DomainError, FieldErrors
from meetingtui.domain.models import Poll
from meetingtui.domain.poll_bars import TYPE_NAMES
from meetingtui.domain.polls import PollResults
from meetingtui.domain.words import counted
from meetingtui.tui.literal import literal
from meetingtui.tui.screens.confirm import ConfirmScreen
from meetingtui.tui.screens.form_dialog import FormDialog, FormField
from meetingtui.tui.widgets.poll_chart import PollChart

if TYPE_CHECKING:
    from meetingtui.session import LiveChange
    from meetingtui.tui.app import MeetingConsoleApp

STATUS_STYLE = {"draft": "dim", "open": "bold green", "closed": ""}


def poll_line(poll: Poll, ballots: int) -> Text:
    line = Text(f"#{poll.number:<3}", style="bold")
    line.append(f"{poll.status:<7}", style=STATUS_STYLE.get(poll.status, ""))
    line.append(f"{TYPE_NAMES.get(poll.type, poll.type):<16}")
    line.append(f"{counted(ballots, 'ballot'):>11}  ")
    line.append_text(literal(poll.question))
    return line


def ad_hoc_settings(values: dict[str, str]) -> dict[str, int]:
    """The numbers typed in the settings field: "max=2 min=1", "dots=5", "budget=1000"."""
    settings: dict[str, int] = {}
    for part in values.get("settings", "").replace(",", " ").split():
        name, _, number = part.partition("=")
        if name not in ("min", "max", "dots", "budget") or not number.strip().isdigit():
            raise FieldErrors(
                {"settings": f"{part!r}: write name=number (min, max, dots or budget)."}
            )
        settings[name] = int(number)
    return settings


FORM_FIELDS = ("type", "question", "options", "ideas", "themes", "settings", "results")


def dialog_errors(errors: dict[str, str]) -> dict[str, str]:
    """The domain's refusals beside the dialog's fields: a setting's (min, max, dots, budget,
    costs …) beside Settings, named."""
    shown: dict[str, str] = {}
    for key, message in errors.items():
        if key in FORM_FIELDS:
            shown[key] = message
        else:
            joined = f"{key}: {message}"
            shown["settings"] = f"{shown['settings']} · {joined}" if "settings" in shown else joined
    return shown


def option_of(line: str) -> str | poll_service.OptionSpec:
    """An option line; "Label | 500" gives a budget option its cost."""
    label, bar, cost = line.rpartition("|")
    if bar and cost.strip().isdigit():
        return poll_service.OptionSpec(label=label.strip(), cost=int(cost.strip()))
    return line


class PollsScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("o", "open_poll", "Open"),
        Binding("c", "close_poll", "Close"),
        Binding("r", "reopen_poll", "Reopen"),
        Binding("a", "ad_hoc", "Ad hoc poll"),
        Binding("escape,P", "dismiss_screen", "Back"),
    ]
    DEFAULT_CSS = """
    PollsScreen { align: center middle; }
    PollsScreen > Vertical { width: 100%; height: 100%; background: $panel; }
    PollsScreen #poll-list { height: 7; }
    PollsScreen #poll-title { height: auto; padding: 0 1; }
    PollsScreen #poll-chart-box { height: 1fr; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.polls: list[Poll] = []
        self.ballots: dict[uuid.UUID, int] = {}
        self.results: dict[uuid.UUID, PollResults] = {}

    @property
    def console_app(self) -> MeetingConsoleApp:
        return cast("MeetingConsoleApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Polls", classes="dialog-title")
            yield OptionList(id="poll-list")
            yield Static("", id="poll-title")
            with VerticalScroll(id="poll-chart-box"):
                yield PollChart(id="poll-chart")
            yield Footer()

    def on_mount(self) -> None:
        self.console_app.meeting_signal.subscribe(self, self.meeting_changed, immediate=True)
        self.load_polls()
        self.query_one(OptionList).focus()

    # ---- reading --------------------------------------------------------------------------

    def highlighted(self) -> Poll | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.polls):
            return None
        return self.polls[index]

    def meeting_changed(self, change: LiveChange) -> None:
        if change.full is not None:
            self.load_polls()
        elif change.polls:
            self.load_polls(only=change.polls)

    @work(thread=True, group="polls", exit_on_error=False)
    def load_polls(self, only: set[uuid.UUID] | None = None) -> None:
        session = self.console_app.session
        if session is None:
            return
        with session.database.read() as db:
            found = poll_service.meeting_polls(db, session.meeting_id)
            results = {
                poll.id: poll_service.poll_results(db, poll)
                for poll in found
                if only is None or poll.id in only or poll.id not in self.results
            }
            for poll in found:
                db.expunge(poll)
            for result in results.values():
                for option in result.options:
                    db.expunge(option)
        self.app.call_from_thread(self.show_polls, found, results)

    def show_polls(self, found: list[Poll], results: dict[uuid.UUID, PollResults]) -> None:
        keep = self.highlighted()
        self.polls = found
        self.results.update(results)
        for poll in found:
            if poll.id in self.results:
                self.results[poll.id].poll = poll
        listing = self.query_one(OptionList)
        old = listing.highlighted
        listing.clear_options()
        listing.add_options(
            Option(poll_line(p, self.results[p.id].combined.ballots), id=str(p.id)) for p in found
        )
        if found:
            index = next((i for i, p in enumerate(found) if keep and p.id == keep.id), old or 0)
            listing.highlighted = min(index, len(found) - 1)
        self.show_chart()

    def on_option_list_option_highlighted(self, _event: OptionList.OptionHighlighted) -> None:
        self.show_chart()

    def show_chart(self) -> None:
        poll = self.highlighted()
        title = self.query_one("#poll-title", Static)
        chart = self.query_one(PollChart)
        if poll is None:
            title.update(Text("No polls yet. Press a to start an ad hoc poll.", style="dim"))
            chart.show(None)
            return
        heading = Text(f"Poll {poll.number} ({poll.status}, results {poll.results}): ", "bold")
        heading.append_text(literal(poll.question))
        title.update(heading)
        chart.show(self.results.get(poll.id))

    # ---- running polls -------------------------------------------------------------------

    @work(thread=True, group="poll-write", exit_on_error=False)
    def run(self, verb: str, poll_id: uuid.UUID) -> None:
        session = self.console_app.session
        if session is None:
            return
        step = {
            "open": poll_service.open_poll,
            "close": poll_service.close_poll,
            "reopen": poll_service.reopen_poll,
        }[verb]
        try:
            with session.database.write() as db:
                poll = step(db, poll_id=poll_id, actor=self.console_app.operator)
                number = poll.number
        except DomainError as error:
            self.app.call_from_thread(self.notify, str(error), severity="warning")
            return
        done = {"open": "opened", "close": "closed", "reopen": "reopened"}[verb]
        self.app.call_from_thread(self.notify, f"Poll {number} {done}.")
        self.load_polls(only={poll_id})

    def action_open_poll(self) -> None:
        poll = self.highlighted()
        if poll is None or poll.status == "open":
            self.notify("Highlight a poll that is not open (↑↓).")
            return
        if poll.status == "closed":
            self.notify("That poll is closed: press r to reopen it.")
            return
        self.run("open", poll.id)

    def action_close_poll(self) -> None:
        poll = self.highlighted()
        if poll is None or poll.status != "open":
            self.notify("Highlight an open poll to close (↑↓).")
            return
        ballots = counted(self.results[poll.id].combined.ballots, "ballot")

        def answered(yes: bool | None) -> None:
            if yes:
                self.run("close", poll.id)

        self.app.push_screen(
            ConfirmScreen(
                f"Close poll {poll.number}?",
                f"{ballots} so far. Closing counts them and makes them anonymous; "
                "a reopened poll keeps them.",
                yes="Close",
                no="Keep open",
            ),
            answered,
        )

    def action_reopen_poll(self) -> None:
        poll = self.highlighted()
        if poll is None or poll.status != "closed":
            self.notify("Highlight a closed poll to reopen (↑↓).")
            return
        self.run("reopen", poll.id)

    def action_ad_hoc(self) -> None:
        session = self.console_app.session
        if session is None:
            return
        state = self.console_app.meeting_state
        item_id = state.meeting.current_item_id if state is not None else None
        meeting_id, actor = session.meeting_id, self.console_app.operator
        database = session.database

        def submit(values: dict[str, str]) -> str:
            try:
                return create(values)
            except FieldErrors as error:
                raise FieldErrors(dialog_errors(error.errors)) from None

        def create(values: dict[str, str]) -> str:
            settings = ad_hoc_settings(values)
            lines = [line.strip() for line in values.get("options", "").splitlines()]
            lines = [line for line in lines if line]
            with database.write() as db:
                refs = values.get("ideas", "").replace(",", " ").split()
                options: list[str | poll_service.OptionSpec] = [option_of(line) for line in lines]
                if refs:
                    options += poll_service.options_from_ideas(db, meeting_id=meeting_id, refs=refs)
                names = [n.strip() for n in values.get("themes", "").split(";") if n.strip()]
                if names:
                    options += poll_service.options_from_themes(
                        db, meeting_id=meeting_id, names=names
                    )
                poll = poll_service.create_poll(
                    db,
                    meeting_id=meeting_id,
                    type=values.get("type") or "single",
                    question=values.get("question", ""),
                    options=options,
                    item_id=item_id,
                    results=values.get("results") or "live",
                    actor=actor,
                    min=settings.get("min"),
                    max=settings.get("max"),
                    dots=settings.get("dots"),
                    budget=settings.get("budget"),
                )
                if values.get("open_now", "yes") == "yes":
                    poll_service.open_poll(db, poll_id=poll.id, actor=actor)
                return f"Poll {poll.number} {'opened' if poll.status == 'open' else 'saved'}."

        fields = [
            FormField(
                "type",
                "Type",
                kind="select",
                value="single",
                options=[(name, key) for key, name in TYPE_NAMES.items()],
                allow_blank=False,
            ),
            FormField("question", "Question", max_length=300),
            FormField("options", "Options, one per line (budget: Label | cost)", kind="text"),
            FormField("ideas", "Or options from ideas (refs: I-0003 I-0007)", max_length=400),
            FormField("themes", "Or from themes (names, separated by ;)", max_length=400),
            FormField("settings", "Settings (max=2 · dots=5 · budget=1000)", placeholder="max=2"),
            FormField(
                "results",
                "Results the room sees",
                kind="select",
                value="live",
                options=[("live, while it is open", "live"), ("at close", "at close")],
                allow_blank=False,
            ),
            FormField(
                "open_now",
                "Open it now",
                kind="select",
                value="yes",
                options=[("yes", "yes"), ("no, keep it as a draft", "no")],
                allow_blank=False,
            ),
        ]

        def closed(message: str | None) -> None:
            if message:
                self.notify(message)
                self.load_polls()

        self.app.push_screen(FormDialog("Ad hoc poll", fields, submit), closed)

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
