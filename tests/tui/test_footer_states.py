"""The footer follows the meeting's state: S (start) leads it while the meeting is not started,
beside the main keys, at 80 and 100 columns; once started, S leaves it and d and space come
back. Each key answers in every state."""

from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey

from meetingtui.agenda import load_agenda
from meetingtui.domain import meetings
from meetingtui.tui.app import make_app
from tests.conftest import TOWN_HALL
from tests.tui.conftest import ATTENDEE_URL, wait_until
from tests.tui.test_console_chrome import MAIN_KEYS, keys_wholly_shown, loaded


@pytest.fixture
def not_started(database):
    with database.write() as session:
        return meetings.create_meeting(session, agenda=load_agenda(TOWN_HALL), code="testcode23")


def said(app) -> list[str]:
    return [n.message for n in app._notifications]


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_s_is_in_the_footer_of_a_meeting_not_started(database, not_started, size):
    app = make_app(database=database, meeting_id=not_started.id, attendee_url=ATTENDEE_URL)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await wait_until(pilot, lambda: {"S", *MAIN_KEYS} <= keys_wholly_shown(app))
        if size[0] >= 100:
            assert "q" in keys_wholly_shown(app)
        assert not {"d", "space"} & keys_wholly_shown(app)  # no clock runs yet
        await pilot.press("space")  # still answers
        await wait_until(pilot, lambda: len(said(app)) == 1)
        await pilot.press("S")
        await wait_until(pilot, lambda: app.meeting_state.meeting.status == "running")
        await wait_until(pilot, lambda: "S" not in keys_wholly_shown(app))
        await wait_until(pilot, lambda: set(MAIN_KEYS) <= keys_wholly_shown(app))
        if size[0] >= 100:
            assert {"d", "space"} <= keys_wholly_shown(app)
        await pilot.press("S")  # not in the footer now, and still answers
        await wait_until(pilot, lambda: "The meeting is already running." in said(app))


async def test_a_closed_meetings_footer_offers_reopen_not_the_running_keys(database, meeting):
    """Found by review: after X the footer still led with n, s, c, d and space, which only say
    the meeting is closed, and O was nowhere in it. Closed: O is there and those are not; each
    of them still answers; reopened, the footer is as before."""
    with database.write() as session:
        meetings.close_meeting(session, meeting_id=meeting.id)
    app = make_app(database=database, meeting_id=meeting.id, attendee_url=ATTENDEE_URL)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: loaded(app))
        await wait_until(pilot, lambda: "O" in keys_wholly_shown(app))
        assert not {"n", "s", "c", "d", "space"} & keys_wholly_shown(app)
        assert {"i", "q"} <= keys_wholly_shown(app)
        await pilot.press("n")  # not in the footer, and still answers
        await wait_until(pilot, lambda: any("closed" in m for m in said(app)))
        await pilot.press("O", "y")  # it asks first
        await wait_until(pilot, lambda: app.meeting_state.meeting.status != "closed")
        await wait_until(pilot, lambda: {"n", "s", "c"} <= keys_wholly_shown(app))
        assert "O" not in keys_wholly_shown(app)


def footer_row(app) -> str:
    """The footer as drawn: the screen's last row."""
    return "".join(segment.text for segment in app.screen._compositor.render_strips()[-1])


def shown_entries(app) -> str:
    """The footer's entries Textual lays out (not hidden), each whole, as a compact footer
    draws them."""
    keys = [k for k in app.screen.query(FooterKey) if k.display and k.region.width]
    return " ".join(f"{k.key_display} {k.description}" for k in keys)


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 30)])
@pytest.mark.parametrize("state", ["planned", "running", "closed"])
async def test_no_footer_entry_is_cut_mid_word(database, not_started, state, size):
    """Found by review: at 80 columns the footer ended "r No" (for "r Note"): the screen's edge
    cut the entry (and "space P" at 100 with the speakers panel focused). Now the footer drops
    whole entries from the right; the main keys stay."""
    with database.write() as session:
        if state != "planned":
            meetings.start_meeting(session, meeting_id=not_started.id)
        if state == "closed":
            meetings.close_meeting(session, meeting_id=not_started.id)
    app = make_app(database=database, meeting_id=not_started.id, attendee_url=ATTENDEE_URL)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: loaded(app) and app.meeting_state.meeting.status == state)
        await wait_until(pilot, lambda: "i" in keys_wholly_shown(app))
        await wait_until(pilot, lambda: footer_row(app).rstrip() == shown_entries(app))
        for key in app.screen.query(FooterKey):
            if key.display:
                assert key.region.right <= size[0], key.key
        if state == "running":
            assert set(MAIN_KEYS) <= keys_wholly_shown(app)
            await pilot.press("2")  # the speakers panel puts its keys (w Withdraw) in front
            await wait_until(pilot, lambda: "w" in keys_wholly_shown(app))
            await wait_until(pilot, lambda: footer_row(app).rstrip() == shown_entries(app))
            assert set(MAIN_KEYS) <= keys_wholly_shown(app)
            await pilot.press("1")
            await wait_until(pilot, lambda: "w" not in keys_wholly_shown(app))
            await wait_until(pilot, lambda: footer_row(app).rstrip() == shown_entries(app))
        if state == "planned":
            assert {"S", *MAIN_KEYS} <= keys_wholly_shown(app)
