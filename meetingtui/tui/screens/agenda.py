"""The agenda, editable during the meeting: jump to an item, add, rename, reorder, extend, skip
or un-skip (put a skipped item back in its place without jumping to it).

Every change goes through a domain service that records it in the change feed, so nothing about
the agenda changes silently, and each item keeps its start and end times for the minutes.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, cast

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from meetingtui.domain import meetings
from meetingtui.domain.models import AgendaItem
from meetingtui.domain.snapshot import LiveMeeting
from meetingtui.domain.speakers import CARRY_OVER, NOT_HEARD_CHOICE
from meetingtui.domain.states import ItemStatus, SpeakerStatus
from meetingtui.domain.vocab import ITEM_KINDS, label
from meetingtui.domain.words import counted
from meetingtui.tui.clock import Clock, format_duration, local_time
from meetingtui.tui.literal import quoted
from meetingtui.tui.screens.choice import ChoiceScreen
from meetingtui.tui.screens.confirm import ConfirmScreen
from meetingtui.tui.screens.form_dialog import FormDialog, FormField
from meetingtui.tui.timing import item_time

if TYPE_CHECKING:
    from meetingtui.session import LiveChange, MeetingSession
    from meetingtui.tui.app import MeetingConsoleApp

_MARKERS = {"done": "✓", "active": "▶", "skipped": "–", "pending": " "}


def item_row(number: int, item: AgendaItem, snapshot: LiveMeeting, now: datetime) -> Table:
    table = Table.grid(expand=True, padding=(0, 1, 0, 0))
    table.add_column(width=1)
    table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column(justify="right", no_wrap=True)
    tz = snapshot.meeting.timezone
    when = ""
    if item.started_at:
        when = f"{local_time(item.started_at, tz)}–{local_time(item.ended_at, tz)}  "
    time = item_time(item, now)
    used = f"{format_duration(time.elapsed)} of " if item.status != ItemStatus.PENDING else ""
    kind = label(ITEM_KINDS, item.kind)
    style = {"active": "bold", "done": "dim", "skipped": "dim"}.get(item.status, "")
    table.add_row(
        _MARKERS.get(item.status, " "),
        Text(f"{number}. {item.title}  ({kind})", style=style),
        Text(
            f"{when}{used}{item.minutes}m"
            + ("  skipped" if item.status == ItemStatus.SKIPPED else "")
        ),
    )
    return table


class AgendaScreen(ModalScreen[uuid.UUID | None]):
    """Dismisses with the item to jump to (Enter), or None (Escape); the console makes the
    jump, asking first about anyone still waiting to speak, as ``n`` does."""

    BINDINGS = [
        Binding("enter", "jump", "Jump to", show=True, priority=False),
        Binding("a", "add", "Add item"),
        Binding("r", "rename", "Rename"),
        Binding("plus,equals_sign", "extend(5)", "+5m", key_display="+"),
        Binding("minus", "extend(-5)", "-5m", key_display="-"),
        Binding("shift+up,K", "move(-1)", "Move up", key_display="⇧↑"),
        Binding("shift+down,J", "move(1)", "Move down", key_display="⇧↓"),
        Binding("s", "skip", "Skip", tooltip="Skip the item, or put a skipped one back"),
        Binding("u", "undo", "Undo", tooltip="Undo your last action (it says which)"),
        Binding("escape", "close", "Back"),
    ]

    def __init__(self, *, clock: Clock) -> None:
        super().__init__()
        self.clock = clock
        self.items: list[AgendaItem] = []

    @property
    def console_app(self) -> MeetingConsoleApp:
        return cast("MeetingConsoleApp", self.app)

    @property
    def session(self) -> MeetingSession:
        session = self.console_app.session
        assert session is not None
        return session

    def compose(self) -> ComposeResult:
        with Vertical(id="agenda-dialog", classes="dialog") as dialog:
            dialog.border_title = "Agenda"
            dialog.border_subtitle = "enter jumps · esc back"
            yield OptionList(id="agenda-items")
            yield Static("", id="agenda-summary")
        yield Footer(compact=True)  # every key at 80 columns

    def on_mount(self) -> None:
        self.console_app.meeting_signal.subscribe(self, self.meeting_changed, immediate=True)
        self.show_agenda()
        options = self.query_one(OptionList)
        current = next((i for i, it in enumerate(self.items) if it.status == ItemStatus.ACTIVE), 0)
        options.highlighted = current
        options.focus()

    def meeting_changed(self, change: LiveChange) -> None:
        if change.full is not None or change.items is not None or change.meeting is not None:
            self.show_agenda()

    def show_agenda(self) -> None:
        snapshot = self.console_app.meeting_state
        if snapshot is None:
            return
        options = self.query_one(OptionList)
        keep = options.highlighted
        self.items = list(snapshot.items)
        now = self.clock()
        options.clear_options()
        options.add_options(
            [
                Option(item_row(n, item, snapshot, now), id=str(item.id))
                for n, item in enumerate(self.items, start=1)
            ]
        )
        if keep is not None and self.items:
            options.highlighted = min(keep, len(self.items) - 1)
        planned = sum(i.minutes for i in self.items if i.status != ItemStatus.SKIPPED)
        self.query_one("#agenda-summary", Static).update(
            f"{counted(len(self.items), 'item')} · {counted(planned, 'minute')} planned · "
            "changes are recorded in the meeting's history"
        )

    def highlighted_item(self) -> AgendaItem | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.items):
            return None
        return self.items[index]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_jump()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_undo(self) -> None:
        """As in the console (one stack): says what it undid, or that there is nothing."""
        self.console_app.undo()

    def action_jump(self) -> None:
        item = self.highlighted_item()
        if item is None:
            return
        self.dismiss(item.id)

    def action_extend(self, minutes: int) -> None:
        item = self.highlighted_item()
        if item is None:
            return
        item_id = item.id
        self.console_app.change(lambda s: s.extend_item(item_id, minutes))

    def action_move(self, step: int) -> None:
        item = self.highlighted_item()
        if item is None:
            return
        options = self.query_one(OptionList)
        target = (options.highlighted or 0) + step
        if 0 <= target < len(self.items):
            options.highlighted = target
        item_id = item.id
        self.console_app.change(lambda s: s.reorder_item(item_id, step))

    def action_skip(self) -> None:
        item = self.highlighted_item()
        if item is None:
            return
        item_id = item.id
        if item.status == ItemStatus.SKIPPED:  # nothing is lost by taking it up again: no question
            self.console_app.change(lambda s: s.unskip_item(item_id))
            return

        state = self.console_app.meeting_state
        waiting = [
            s
            for s in (state.speakers if state else [])
            if s.status == SpeakerStatus.WAITING and s.agenda_item_id == item_id
        ]

        def settled(choice: str | None) -> None:
            if choice:
                self.console_app.change(lambda s: s.skip_item(item_id, waiting=choice))

        def decided(yes: bool | None) -> None:
            if not yes:
                return
            if not waiting:  # skipping the current item moves on: nobody waiting is forgotten
                self.console_app.change(lambda s: s.skip_item(item_id))
                return
            names = ", ".join(s.name or "(no name given)" for s in waiting[:6])
            self.app.push_screen(
                ChoiceScreen(
                    f"{len(waiting)} still waiting to speak on “{item.title}”",
                    f"{names}{' …' if len(waiting) > 6 else ''}.",
                    [
                        ("c", "Carry them over to the next item's queue", CARRY_OVER),
                        ("h", "Record them as asked to speak, not heard", NOT_HEARD_CHOICE),
                    ],
                    escape="keep the item",
                ),
                settled,
            )

        self.app.push_screen(
            ConfirmScreen(
                f"Skip “{item.title}”?",
                "It stays on the agenda, marked skipped; s on it again puts it back in its "
                "place, Enter jumps to it.",
                yes="Skip",
                no="Keep",
            ),
            decided,
        )

    def action_rename(self) -> None:
        item = self.highlighted_item()
        if item is None:
            return
        session, item_id = self.session, item.id

        def rename(values: dict[str, str]) -> str:
            return session.rename_item(item_id, values["title"])

        field = FormField("title", "Title", value=item.title, max_length=meetings.ITEM_TITLE_MAX)
        self.app.push_screen(FormDialog("Rename item", [field], rename), self.form_closed)

    def action_add(self) -> None:
        session = self.session
        after = self.highlighted_item()
        after_id = after.id if after else None

        def add(values: dict[str, str]) -> str:
            text = values["minutes"].strip()
            each = values["speaker_minutes"].strip()
            return session.add_item(
                title=values["title"],
                minutes=int(text) if text.isdigit() else 0,
                kind=values["kind"] or "discussion",
                after_item_id=after_id,
                # Empty: no per-speaker limit; anything but a whole number is refused by name.
                speaker_minutes=(int(each) if each.isdigit() else -1) if each else None,
                presenter=values["presenter"],
                notes=values["notes"],
            )

        fields = [
            FormField("title", "Title", max_length=meetings.ITEM_TITLE_MAX),
            FormField("minutes", "Minutes", value="10", max_length=4),
            FormField(
                "kind",
                "Kind",
                kind="select",
                value="discussion",
                options=[(text, key) for key, text in ITEM_KINDS.items()],
                allow_blank=False,
            ),
            FormField(
                "speaker_minutes",
                "Per speaker",
                placeholder="Optional: minutes on each speaker's countdown",
                max_length=4,
            ),
            FormField(
                "presenter",
                "Presenter",
                placeholder="Optional",
                max_length=meetings.ITEM_PRESENTER_MAX,
            ),
            FormField(
                "notes",
                "Notes",
                kind="text",
                placeholder="Optional",
                max_length=meetings.ITEM_NOTES_MAX,
            ),
        ]
        title = quoted("Add an item after “", after.title, "”") if after else "Add an item"
        self.app.push_screen(FormDialog(title, fields, add), self.form_closed)

    def form_closed(self, message: str | None) -> None:
        if message:
            self.notify(str(message))
