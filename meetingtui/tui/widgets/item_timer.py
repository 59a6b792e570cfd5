"""The current item's clock: time used and time left against the plan, the whole meeting against
its plan, and the speaker's countdown, refreshed every second.

It turns to the warning colour as the item nears its planned end and to the error colour once it
runs over, which are the moments the facilitator needs to notice. A closed meeting's clock says
when it closed and how long it ran, never time left.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from meetingtui.domain.models import AgendaItem, Meeting, Speaker
from meetingtui.domain.speakers import QUEUE_KINDS, SPEAKING, WAITING
from meetingtui.domain.vocab import ITEM_KINDS, STAKEHOLDERS, label
from meetingtui.tui.clock import Clock, format_duration, local_time
from meetingtui.tui.timing import (
    format_long,
    format_together,
    item_time,
    meeting_time,
    speaker_time,
)


def closed_line(meeting: Meeting | None) -> Text:
    """ "CLOSED at 21:04 · ran 1:58:10": the meeting's end in the room's time and its length
    from start to close (breaks and pauses included). The header says O reopens."""
    line = Text.assemble((" CLOSED ", "bold reverse"))
    if meeting is not None and meeting.closed_at is not None:
        line.append(f" at {local_time(meeting.closed_at, meeting.timezone)}")
        if meeting.started_at is not None:
            ran = (meeting.closed_at - meeting.started_at).total_seconds()
            line.append(f" · ran {format_long(ran, hours=True)}")
    return line


class ItemTimer(Static):
    """Title, ``mm:ss used · mm:ss left``, the meeting's totals and who is speaking.

    Carries the ``-near`` class in the last minutes of an item and ``-over`` once it runs over.
    """

    def __init__(self, *, clock: Clock, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.clock = clock
        self.item: AgendaItem | None = None
        self.items: list[AgendaItem] = []
        self.speakers: list[Speaker] = []
        self.state = "ok"
        self.line_count = 0
        self.started = True  # False: the meeting has not started (no clock runs yet)
        self.closed = False  # the meeting has closed: the clock stopped there, not paused
        self.meeting: Meeting | None = None

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)

    def show(
        self,
        item: AgendaItem | None,
        items: list[AgendaItem],
        speakers: list[Speaker],
        *,
        started: bool = True,
        closed: bool = False,
        meeting: Meeting | None = None,
    ) -> None:
        self.item, self.items, self.speakers = item, items, speakers
        self.started, self.closed, self.meeting = started, closed, meeting
        self.tick()

    def tick(self) -> None:
        item = self.item
        if self.closed:
            self.show_closed(item)
            return
        if item is None:
            self.state = "ok"
            self.set_class(False, "-near", "-over")
            if self.started:
                self.update("No current item.", layout=False)
                self.fit(1)
                return
            # Short lines: at 80 columns the panel beside the join code has 37 of them.
            lines = [
                Text.assemble((" Not started ", "bold reverse"), " S starts the clock"),
                Text("Phones: agenda, ideas and comments;"),
                Text("asking to speak waits for the start.", style="dim"),
            ]
            for line in lines:
                line.no_wrap = True
                line.overflow = "ellipsis"
            self.update(Text("\n").join(lines), layout=False)
            self.fit(len(lines))
            return
        now = self.clock()
        time = item_time(item, now)
        self.state = time.state
        self.set_class(time.state == "near", "-near")
        self.set_class(time.state == "over", "-over")

        about = [label(ITEM_KINDS, item.kind), item.presenter]
        kind = "  " + " · ".join(p for p in about if p)
        title = Text.assemble((item.title, "bold"), (kind, "dim"))
        running = "paused " if item.running_since is None else ""
        if time.over:
            clock = Text.assemble(
                (running.upper(), "reverse"),
                (f"OVER by {format_duration(-time.remaining)}", "bold"),
                f"  {format_duration(time.elapsed)} used of {format_duration(time.planned)}",
            )
        else:
            clock = Text.assemble(
                (running.upper(), "reverse"),
                (format_duration(time.remaining), "bold"),
                f" left  {format_duration(time.elapsed)} used of {format_duration(time.planned)}",
            )
        whole = meeting_time(self.items, now)
        used, planned, behind = format_together(whole.used, whole.planned, whole.behind)
        drift = ""
        if abs(whole.behind) >= 60:
            drift = f" · {behind} {'behind' if whole.behind > 0 else 'ahead'}"
        meeting = Text(
            self.narrowed(
                f"Meeting {used} / {planned} planned{drift}",
                f"Meeting {used} / {planned}{drift}",
                f"Meeting {used}{drift}",  # 80 columns beside the join code: the drift stays
            ),
            style="dim" if whole.behind < 60 else "",
        )
        lines = [title, clock, meeting]
        speaker_line = self.speaker_line(item, now)
        if speaker_line is not None:
            lines.append(speaker_line)
        for line in lines:
            line.no_wrap = True
            line.overflow = "ellipsis"
        self.update(Text("\n").join(lines), layout=False)
        self.fit(len(lines))

    def show_closed(self, item: AgendaItem | None) -> None:
        """The last item, when and after how long the meeting closed, and the item times the
        record keeps; no countdown (nothing runs) and no warning colour."""
        self.state = "ok"
        self.set_class(False, "-near", "-over")
        lines = []
        if item is not None:
            about = [label(ITEM_KINDS, item.kind), item.presenter]
            kind = "  " + " · ".join(p for p in about if p)
            lines.append(Text.assemble(("Last item: ", "dim"), (item.title, "bold"), (kind, "dim")))
        lines.append(closed_line(self.meeting))
        whole = meeting_time(self.items, self.clock())
        used, planned = format_together(whole.used, whole.planned)
        lines.append(Text(f"Items ran {used} of {planned} planned", style="dim"))
        lines.append(Text("Attendees cannot add input now.", style="dim"))
        for line in lines:
            line.no_wrap = True
            line.overflow = "ellipsis"
        self.update(Text("\n").join(lines), layout=False)
        self.fit(len(lines))

    def narrowed(self, *variants: str) -> str:
        """The first of ``variants`` (longest first) that fits the panel's width whole."""
        width = self.content_size.width
        return next((v for v in variants if not width or cell_len(v) <= width), variants[-1])

    def fit(self, lines: int) -> None:
        """Every second the clock moves; only a change in the number of lines needs a layout
        pass (which lays out, and repaints, the whole screen). The height is set as a style,
        which a draw made before the first layout cannot miss (as an auto height can)."""
        if lines != self.line_count:
            self.line_count = lines
            self.styles.height = lines + self.styles.gutter.height

    def speaker_line(self, item: AgendaItem, now) -> Text | None:  # noqa: ANN001
        waiting = sum(1 for s in self.speakers if s.status == WAITING)
        speaking = next((s for s in self.speakers if s.status == SPEAKING), None)
        queue = f"{waiting} waiting" if waiting else "nobody waiting"
        if speaking is not None:
            who = speaking.name or "Speaker"
            group = label(STAKEHOLDERS, speaking.stakeholder)
            time = speaker_time(speaking, item, now)
            if time.remaining is None:
                countdown = Text(f"{format_duration(time.elapsed)} so far")
            elif time.remaining < 0:
                countdown = Text(f"over by {format_duration(-time.remaining)}", style="bold")
            else:
                countdown = Text(f"{format_duration(time.remaining)} left", style="bold")
            if time.state != "ok":
                countdown.stylize("reverse")
            if item.running_since is None:  # the speaker's clock stops with the item's
                countdown.append(" (paused)", style="reverse")
            # The countdown first: it is what the facilitator glances for, even in a narrow pane.
            return Text.assemble(
                countdown,
                " · speaking: ",
                (who, "bold"),
                f" ({group})" if group else "",
                f" · {queue}",
            )
        if waiting or item.kind in QUEUE_KINDS:
            hint = "c calls the next" if waiting else "s adds a speaker"
            return Text(f"Speakers' queue: {queue} · {hint}", style="dim")
        return None
