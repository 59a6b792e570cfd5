"""One format for the spans on one line: "00:26 / 2:00:00" mixed two; now it is all h:mm:ss
once any span reaches an hour, all mm:ss below."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.app import App, ComposeResult

from meetingtui.domain.models import AgendaItem
from meetingtui.tui.timing import format_together
from meetingtui.tui.widgets.item_timer import ItemTimer


def test_spans_on_one_line_share_one_format():
    assert format_together(26, 7200, 589) == ["0:00:26", "2:00:00", "0:09:49"]
    assert format_together(26, 3599, -61) == ["00:26", "59:59", "01:01"]


class TimerApp(App[None]):
    def __init__(self, timer: ItemTimer) -> None:
        super().__init__()
        self.timer = timer

    def compose(self) -> ComposeResult:
        yield self.timer


async def test_the_meeting_line_of_a_two_hour_agenda_uses_hours_throughout():
    now = datetime(2026, 12, 3, 19, 0, tzinfo=UTC)
    timer = ItemTimer(clock=lambda: now)
    items = [
        AgendaItem(
            meeting_id=None,
            position=0,
            title="Welcome",
            minutes=15,
            status="active",
            running_since=now - timedelta(seconds=26),
        ),
        AgendaItem(meeting_id=None, position=1, title="Open floor", minutes=105),
    ]
    async with TimerApp(timer).run_test() as pilot:
        timer.show(items[0], items, [])
        await pilot.pause()
        assert "Meeting 0:00:26 / 2:00:00 planned" in str(timer.content)
        assert "14:34 left  00:26 used of 15:00" in str(timer.content)
