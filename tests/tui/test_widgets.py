"""The console's pure drawing helpers: QR half blocks, the agenda window, durations, timer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.app import App, ComposeResult

from meetingtui.domain.models import AgendaItem
from meetingtui.tui.clock import format_duration
from meetingtui.tui.widgets.agenda_panel import visible_window
from meetingtui.tui.widgets.item_timer import ItemTimer
from meetingtui.tui.widgets.qr_code import QR_STYLE, QUIET_ZONE, QrCode, half_block_lines, qr_matrix

URL = "http://192.168.1.20:8765/m/testcode23"


def test_half_blocks_fold_two_module_rows_into_one_line():
    matrix = [[True, False, True], [True, True, False], [False, True, True]]
    assert half_block_lines(matrix) == ["█▄▀", " ▀▀"]


def test_qr_keeps_its_quiet_zone_and_unfolds_back_to_the_matrix():
    matrix = qr_matrix(URL)
    size = len(matrix)
    assert size == 29 + 2 * QUIET_ZONE  # version 3 at level M
    assert not any(matrix[0]) and not any(row[0] for row in matrix)
    lines = half_block_lines(matrix)
    assert len(lines) == (size + 1) // 2 and {len(line) for line in lines} == {size}
    top = {"█": True, "▀": True, "▄": False, " ": False}
    bottom = {"█": True, "▀": False, "▄": True, " ": False}
    for index, line in enumerate(lines):
        assert [top[c] for c in line] == matrix[2 * index]
        if 2 * index + 1 < size:
            assert [bottom[c] for c in line] == matrix[2 * index + 1]


def test_qr_is_drawn_black_on_white_whatever_the_theme():
    assert QR_STYLE.color.triplet.hex == "#000000"
    assert QR_STYLE.bgcolor.triplet.hex == "#ffffff"
    assert QrCode(URL).render().style == QR_STYLE


def test_agenda_window_keeps_the_current_item_and_the_one_before():
    assert visible_window(5, 3, 10) == range(5)
    assert visible_window(12, 0, 4) == range(0, 4)
    assert visible_window(12, 6, 4) == range(5, 9)
    assert visible_window(12, 11, 4) == range(8, 12)


def test_durations_read_as_minutes_and_seconds():
    assert format_duration(0) == "00:00"
    assert format_duration(245.9) == "04:05"
    assert format_duration(6000) == "100:00"
    assert format_duration(-3) == "00:00"


class TimerApp(App[None]):
    def __init__(self, timer: ItemTimer) -> None:
        super().__init__()
        self.timer = timer

    def compose(self) -> ComposeResult:
        yield self.timer


async def test_timer_turns_to_warning_when_the_item_runs_over():
    now = datetime(2026, 12, 3, 19, 0, tzinfo=UTC)
    timer = ItemTimer(clock=lambda: now)
    item = AgendaItem(
        meeting_id=None,
        position=0,
        title="Welcome",
        minutes=10,
        running_since=now - timedelta(minutes=9),
    )
    async with TimerApp(timer).run_test() as pilot:
        timer.show(item)
        await pilot.pause()
        assert not timer.has_class("-over")
        assert "09:00 / 10:00" in str(timer.content)
        item.elapsed_seconds = 125
        timer.tick()
        assert timer.has_class("-over")
        assert "over by 01:05" in str(timer.content)
