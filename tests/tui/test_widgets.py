"""The console's pure drawing helpers: QR half blocks, the agenda window, durations, timer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.app import App, ComposeResult

from meetingtui.domain.models import AgendaItem, Speaker
from meetingtui.tui.clock import format_duration
from meetingtui.tui.timing import meeting_time, speaker_time
from meetingtui.tui.widgets.agenda_panel import visible_window
from meetingtui.tui.widgets.big_text import big_text_lines, wrap_at_slashes
from meetingtui.tui.widgets.item_timer import ItemTimer
from meetingtui.tui.widgets.qr_code import (
    QR_STYLE,
    QUIET_ZONE,
    QrCode,
    half_block_lines,
    qr_matrix,
    wifi_payload,
)

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


async def test_timer_warns_as_the_item_nears_its_end_and_when_it_runs_over():
    now = datetime(2026, 12, 3, 19, 0, tzinfo=UTC)
    timer = ItemTimer(clock=lambda: now)
    item = AgendaItem(
        meeting_id=None,
        position=0,
        title="Welcome",
        minutes=10,
        status="active",
        running_since=now - timedelta(minutes=5),
    )
    async with TimerApp(timer).run_test() as pilot:
        timer.show(item, [item], [])
        await pilot.pause()
        assert not timer.has_class("-near") and not timer.has_class("-over")
        assert "05:00 left  05:00 used of 10:00" in str(timer.content)
        assert "Meeting 05:00 / 10:00 planned" in str(timer.content)

        item.running_since = now - timedelta(minutes=9)
        timer.tick()
        assert timer.has_class("-near") and not timer.has_class("-over")
        assert "01:00 left" in str(timer.content)

        item.elapsed_seconds = 125
        timer.tick()
        assert timer.has_class("-over") and not timer.has_class("-near")
        assert "OVER by 01:05" in str(timer.content)
        assert "01:05 behind" in str(timer.content)

        item.elapsed_seconds, item.running_since = 30.0, None
        timer.tick()
        assert "PAUSED" in str(timer.content) and "09:30 left" in str(timer.content)


def test_meeting_time_counts_finished_items_against_the_plan():
    now = datetime(2026, 12, 3, 19, 0, tzinfo=UTC)
    done = AgendaItem(
        meeting_id=None, position=0, title="A", minutes=10, status="done", elapsed_seconds=720.0
    )
    early = AgendaItem(
        meeting_id=None, position=1, title="B", minutes=10, status="done", elapsed_seconds=540.0
    )
    skipped = AgendaItem(meeting_id=None, position=2, title="C", minutes=30, status="skipped")
    active = AgendaItem(
        meeting_id=None,
        position=3,
        title="D",
        minutes=5,
        status="active",
        running_since=now - timedelta(minutes=2),
    )
    whole = meeting_time([done, early, skipped, active], now)
    assert whole.planned == 25 * 60
    assert whole.used == 720 + 540 + 120
    assert whole.behind == 120 - 60  # two minutes over on A, one back on B; D not over yet


def test_speaker_countdown_follows_the_items_speaker_minutes():
    now = datetime(2026, 12, 3, 19, 0, tzinfo=UTC)
    item = AgendaItem(
        meeting_id=None, position=0, title="Open floor", minutes=30, speaker_minutes=3
    )
    speaker = Speaker(
        meeting_id=None,
        agenda_item_id=None,
        status="speaking",
        started_at=now - timedelta(seconds=160),
    )
    time = speaker_time(speaker, item, now)
    assert time.remaining == 20 and time.state == "near"
    speaker.started_at = now - timedelta(minutes=4)
    assert speaker_time(speaker, item, now).state == "over"
    item.speaker_minutes = None
    assert speaker_time(speaker, item, now).remaining is None


def test_wifi_payload_is_the_standard_one_with_special_characters_escaped():
    assert wifi_payload("Town Hall") == "WIFI:T:nopass;S:Town Hall;;"
    assert wifi_payload("Hall;1", 'p:a,s"s\\') == 'WIFI:T:WPA;S:Hall\\;1;P:p\\:a\\,s\\"s\\\\;;'


def test_scaled_qr_keeps_square_modules():
    matrix = [[True, False], [False, True]]
    assert half_block_lines(matrix, 2) == ["██  ", "  ██"]


def test_big_text_draws_three_lines_per_row_and_four_columns_per_character():
    lines = big_text_lines("http://10")
    assert len(lines) == 3
    assert max(len(line) for line in lines) <= len("http://10") * 4
    assert lines[0].startswith("█ █")  # the two uprights of the h


def test_big_text_wraps_a_url_after_slashes():
    assert wrap_at_slashes("192.168.1.20:8765/m/testcode23", 18) == [
        "192.168.1.20:8765/",
        "m/testcode23",
    ]
    assert wrap_at_slashes("a/b", 10) == ["a/b"]
    assert wrap_at_slashes("averyveryverylonghost/m", 10) is None
