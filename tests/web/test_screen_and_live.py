"""The projector page, the live state the page's script polls, and page weight at the limits."""

from __future__ import annotations

import re
from collections.abc import Callable

from meetingtui.domain import meetings
from meetingtui.domain.ideas import COMMENT_MAX, DETAIL_MAX, TITLE_MAX, add_comment
from meetingtui.domain.models import Meeting
from meetingtui.domain.supports import toggle_support
from tests.web.helpers import LiveWeb, add_idea

PAGE_BUDGET = 60_000  # bytes: the bar for a page on a cheap phone


def test_screen_has_a_qr_code_the_join_address_and_the_latest_ideas(
    web_with: Callable[..., LiveWeb], meeting: Meeting
) -> None:
    web = web_with(base_url="http://10.1.2.3:8765/")
    refs = [add_idea(web.database, meeting, f"Idea number {n}") for n in range(8)]
    with web.database.write() as session:
        toggle_support(session, meeting_id=meeting.id, idea_ref=refs[-1], device="d1")

    response = web.client.get("/m/TESTCODE23/screen")

    assert response.status_code == 200
    document = response.text
    # Refreshes itself: the script swaps in the changing part; without it, a whole reload.
    assert re.search(r'<noscript><meta http-equiv="refresh" content="\d+"></noscript>', document)
    assert '<script src="/static/screen.js" defer></script>' in document
    assert (
        '<svg class="qr" role="img" aria-label="QR code for http://10.1.2.3:8765/m/testcode23"'
        in document
    )
    assert "http://10.1.2.3:8765/m/testcode23" in document
    assert "<path" in document and document.count("<script") == 1
    assert "Welcome and how tonight works" in document
    shown = re.findall(r'<span class="screen__ref">(I-\d+)</span>', document)
    assert shown == refs[::-1][:6]
    assert "+1" in document
    assert not re.search(r'(?:src|href)="(?:https?:)?//', document)
    assert len(response.content) < PAGE_BUDGET
    assert response.headers["x-content-type-options"] == "nosniff"


def test_screen_opened_on_the_laptop_does_not_advertise_localhost(
    live_web: LiveWeb, meeting: Meeting
) -> None:
    document = live_web.client.get("/m/testcode23/screen").text
    found = re.search(r'<p class="screen__url">(.+?)</p>', document)
    assert found is not None
    url = re.sub(r"<[^>]+>", "", found.group(1))  # the address, in parts that break at slashes
    assert "127.0.0.1" not in url and "localhost" not in url
    assert url.endswith(f":{live_web.base_url.rsplit(':', 1)[1]}/m/testcode23")


def test_screen_404_and_closed(live_web: LiveWeb, meeting: Meeting) -> None:
    assert live_web.client.get("/m/nosuchcode/screen").status_code == 404
    with live_web.database.write() as session:
        meetings.close_meeting(session, meeting_id=meeting.id)
    assert "This meeting has closed" in live_web.client.get("/m/testcode23/screen").text


def test_live_state_follows_the_agenda(live_web: LiveWeb, meeting: Meeting) -> None:
    live_web.page()
    first = live_web.client.get("/m/testcode23/live")
    assert first.status_code == 200 and first.headers["cache-control"] == "no-store"
    body = first.json()
    assert body["text"]["now_title"] == "Welcome and how tonight works"
    assert body["text"]["now_meta"] == "Presentation with Amara Okafor · 10 minutes"
    assert body["ideas"] == 0 and body["text"]["queue"] == ""
    page = live_web.page().text
    assert f'data-live-state="{body["state"]}"' in page  # the page and the script agree

    add_idea(live_web.database, meeting, "Saturday GP appointments")
    with live_web.database.write() as session:
        meetings.move_to_item(session, meeting_id=meeting.id, step=2)
    later = live_web.client.get("/m/testcode23/live").json()
    assert later["text"]["now_title"].startswith("Table discussions")
    assert later["ideas"] == 1
    assert later["state"] != body["state"]  # the speak form now applies: the page is stale
    assert live_web.client.get("/m/nosuchcode/live").status_code == 404


def test_pages_stay_under_60_kb_at_the_limits(live_web: LiveWeb, meeting: Meeting) -> None:
    """Every idea and comment as long as allowed, hundreds of them: still a light page."""
    wide = "Wide text & <markup> " * 300
    with live_web.database.write() as session:
        from meetingtui.domain.ideas import IdeaInput, capture_idea

        refs = []
        for n in range(60):
            idea = capture_idea(
                session,
                meeting_id=meeting.id,
                data=IdeaInput(
                    title=f"{n} " + wide[: TITLE_MAX - 4],
                    detail=wide[:DETAIL_MAX],
                    raised_by="N" * 120,
                    organisation="O" * 200,
                    publish_name=True,
                    stakeholder="carer",
                    topic="Mental health",
                ),
            )
            refs.append(idea.ref)
        for _ in range(70):
            add_comment(session, meeting_id=meeting.id, idea_ref=refs[-1], body=wide[:COMMENT_MAX])
        for n in range(3):
            add_comment(session, meeting_id=meeting.id, idea_ref=refs[n], body=wide[:COMMENT_MAX])

    for path in (
        "/m/testcode23",
        "/m/testcode23?page=4",
        "/m/testcode23?sort=support",
        f"/m/testcode23/ideas/{refs[-1]}",
        f"/m/testcode23/ideas/{refs[-1]}?page=3",
        "/m/testcode23/screen",
    ):
        response = live_web.client.get(path)
        assert response.status_code == 200, path
        assert len(response.content) < PAGE_BUDGET, (path, len(response.content))


def test_screen_shows_the_agenda_the_item_time_and_the_speaker_without_a_name(
    live_web: LiveWeb, meeting: Meeting
) -> None:
    from meetingtui.domain import meetings
    from meetingtui.domain.models import AgendaItem
    from meetingtui.domain.speakers import add_speaker, call_next_speaker

    with live_web.database.write() as session:
        for _ in range(4):  # the open floor: 35 minutes, speakers take turns
            meetings.move_to_item(session, meeting_id=meeting.id, step=1)
        item = session.get(AgendaItem, session.get(Meeting, meeting.id).current_item_id)
        item.speaker_minutes = 3
        for name, group in (("Joan Phillips", "resident"), ("Dev Patel", "carer")):
            add_speaker(session, meeting_id=meeting.id, name=name, stakeholder=group)
        call_next_speaker(session, meeting_id=meeting.id)

    document = live_web.client.get("/m/testcode23/screen").text

    assert "Speaker 1 of 2 · Resident" in document
    assert re.search(r'data-countdown="1(79|80)">0[23]:[0-9]{2}</span> left', document)
    assert re.search(
        r'data-countdown="(2099|2100)">3[45]:[0-9]{2}</span> left of 35 minutes', document
    )
    assert "Joan" not in document and "Dev Patel" not in document
    agenda = re.findall(r'screen__agenda-item--(\w+)">([^<]+) <span', document)
    assert [status for status, _ in agenda] == ["done"] * 4 + ["active", "pending", "pending"]
    assert agenda[4][1] == "Open floor: questions and ideas"
    # The join address breaks only between its parts, never inside the code.
    parts = re.findall(r'<span class="screen__url-part">([^<]+)</span>', document)
    assert parts[-1] == "testcode23" and parts[0].startswith("http://")
    assert (
        "<wbr>" in document
        and "overflow-wrap: anywhere"
        not in live_web.client.get("/static/site.css").text.split(".screen__url")[1].split("}")[0]
    )


def test_a_poll_opened_from_the_console_makes_every_phone_reload(
    live_web: LiveWeb, meeting: Meeting
) -> None:
    """A facilitator starts an ad hoc poll mid-item: the phones' pages are stale (they show no
    ballot) and the live state says so; once reloaded, the page and the script agree again."""
    from meetingtui.domain.polls import close_poll, create_poll, open_poll

    before = live_web.client.get("/m/testcode23/live").json()["state"]
    with live_web.database.write() as session:
        poll = create_poll(
            session,
            meeting_id=meeting.id,
            type="single",
            question="Which first?",
            options=["Buses", "Benches"],
            item_id=session.get(Meeting, meeting.id).current_item_id,  # as the console does
        )
        poll_id = poll.id
    assert live_web.client.get("/m/testcode23/live").json()["state"] == before  # a draft
    with live_web.database.write() as session:
        open_poll(session, poll_id=poll_id)
    opened = live_web.client.get("/m/testcode23/live").json()["state"]
    assert opened != before
    page = live_web.page().text
    assert "Which first?" in page and f'data-live-state="{opened}"' in page
    with live_web.database.write() as session:
        close_poll(session, poll_id=poll_id)
    closed = live_web.client.get("/m/testcode23/live").json()["state"]
    assert closed not in (opened, before)
    assert f'data-live-state="{closed}"' in live_web.page().text
