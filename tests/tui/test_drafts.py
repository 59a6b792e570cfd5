"""Drafts keep up with the typing: every change goes to a writer thread at once, which writes the
newest form as soon as the previous write is done (tui/draft_writer.py)."""

from __future__ import annotations

import threading

from meetingtui.tui.draft_writer import DraftWriter
from tests.tui.conftest import wait_until
from tests.tui.key_burst import burst, typed
from tests.tui.test_capture import console_for, draft_detail, draft_title, loaded


def test_the_writer_never_blocks_and_writes_the_newest_form_next():
    written: list[dict] = []
    writing = threading.Event()
    go_on = threading.Event()

    def write(fields: dict) -> None:
        written.append(fields)
        writing.set()
        go_on.wait(timeout=30)

    writer = DraftWriter(write, on_error=lambda error: None)
    writer.put({"title": "P"})
    assert writing.wait(timeout=30)  # the first write is in progress (and stuck)
    for text in ("Ph", "Pha", "Phar"):
        writer.put({"title": text})  # returns at once while the disk is busy
    go_on.set()
    writer.close(flush=True)
    writer.join(timeout=30)
    assert written == [{"title": "P"}, {"title": "Phar"}]


def test_close_without_flush_drops_what_was_not_written():
    written: list[dict] = []
    gate = threading.Event()
    writer = DraftWriter(lambda f: (gate.wait(10), written.append(f)), on_error=lambda e: None)
    writer.put({"title": "a"})
    writer.put({"title": "ab"})
    writer.close(flush=False)
    gate.set()
    writer.join(timeout=30)
    assert written in ([{"title": "a"}], [])  # never "ab", handed over after a write began


async def test_a_burst_of_typing_is_in_the_draft_without_waiting_for_a_pause(database, meeting):
    app = console_for(database, meeting)
    title, detail = "Pharmacy hours until 8pm", "Every weekday, and Saturdays"
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        burst(app, ["i", *typed(title), "tab", *typed(detail)])
        await wait_until(pilot, lambda: draft_detail(database, meeting) == detail, timeout=30)
        assert draft_title(database, meeting) == title


def test_a_draft_with_nothing_typed_is_not_offered_back(database, meeting):
    """Choices carried over and the form's unticked boxes are not typing."""
    from meetingtui.domain.drafts import holds_typing
    from meetingtui.session import MeetingSession

    session = MeetingSession(database, meeting.id, operator="Priya", draft_owner="pane-9")
    empty = {
        "title": " ",
        "topic": "Mental health",
        "stakeholder": "carer",
        "channel": "card",
        "publish_name": False,
        "benefits": [],
        "tags": [],
    }
    session.keep_draft(empty)
    assert session.load_draft() is None
    session.keep_draft({**empty, "benefits": ["cost"]})
    assert session.load_draft() is not None
    assert holds_typing({"organisation": "Riverside"}) and not holds_typing(empty)
