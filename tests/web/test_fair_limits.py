"""Issue 8 #8 and the web's part of #13: limits that are fair to a room behind one address.

Refused requests (a forged or missing token, junk, forged cookies, refusals by the domain) spend
no honest device's allowance and not the address's; a device that floods is slowed, the room is
not; a GET flood from one device is bounded; ``X-Forwarded-For`` counts only with
``trust_proxy``; and page renders run in a few read slots, not in forty threads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import select

from meetingtui.domain.models import Comment, Idea, Meeting
from meetingtui.web.middleware import READ_SLOTS
from meetingtui.web.security import DEVICE_COOKIE, Bucket, RateLimits
from tests.web.helpers import LiveWeb, add_idea

NEVER = 0.0001  # a refill too slow to matter within a test


def _count(web: LiveWeb, model: type) -> int:
    with web.database.read() as session:
        return len(session.exec(select(model)).all())


def test_junk_posts_do_not_stop_the_room(
    web_with: Callable[..., LiveWeb], meeting: Meeting
) -> None:
    web = web_with(rate_limits=RateLimits(address=Bucket(40, NEVER)))
    ref = add_idea(web.database, meeting, "Saturday GP appointments")
    attacker = web.phone()
    statuses = set()
    for n in range(100):  # forged tokens, no cookie, and a forged cookie: all refused
        if n % 2:
            attacker.client.cookies.set(DEVICE_COOKIE, f"forged{n}.AAAAAAAAAAAAAAAAAAAAAA")
        response = attacker.client.post(
            f"/m/testcode23/ideas/{ref}/comments", data={"body": "spam", "csrf_token": f"x.{n}"}
        )
        statuses.add(response.status_code)
    assert statuses == {403, 429}  # refused; after a while without even rendering the page
    for _ in range(30):  # the room, behind the same address, posts as normal
        phone = web.phone()
        assert phone.post(f"/m/testcode23/ideas/{ref}/comments", {"body": "Yes"}).status_code == 303
    assert _count(web, Comment) == 30


def test_one_device_flooding_is_slowed_and_the_room_is_not(
    web_with: Callable[..., LiveWeb], meeting: Meeting
) -> None:
    web = web_with(
        rate_limits=RateLimits(device=Bucket(5, NEVER), first_posts=5, address=Bucket(40, NEVER))
    )
    ref = add_idea(web.database, meeting, "Saturday GP appointments")
    flooder = web.phone()
    token = flooder.csrf_token()
    path = f"/m/testcode23/ideas/{ref}/comments"
    statuses = [
        flooder.client.post(path, data={"body": f"flood {n}", "csrf_token": token}).status_code
        for n in range(60)
    ]
    assert statuses == [303] * 5 + [429] * 55
    for _ in range(35):  # 60 of the flooder's posts spent nothing of the address's 40
        phone = web.phone()
        assert phone.post(path, {"body": "Still here"}).status_code == 303
    assert _count(web, Comment) == 5 + 35


def test_a_post_the_domain_refuses_is_given_back(
    web_with: Callable[..., LiveWeb], meeting: Meeting
) -> None:
    web = web_with(rate_limits=RateLimits(device=Bucket(3, NEVER)))
    ref = add_idea(web.database, meeting, "Saturday GP appointments")
    path = f"/m/testcode23/ideas/{ref}/comments"
    for _ in range(5):
        assert web.post(path, {"body": "   "}).status_code == 422  # empty: refused, kept
    assert [web.post(path, {"body": f"Real {n}"}).status_code for n in range(4)] == [
        303,
        303,
        303,
        429,
    ]


def test_a_get_flood_from_one_device_is_bounded(
    web_with: Callable[..., LiveWeb], meeting: Meeting
) -> None:
    web = web_with(
        rate_limits=RateLimits(
            reads=Bucket(10, NEVER), anonymous_reads=Bucket(20, NEVER), read_refusal_delay=0
        )
    )
    add_idea(web.database, meeting, "Saturday GP appointments")
    flooder = web.phone()
    flooder.page()  # its cookie: one anonymous read
    statuses = [flooder.client.get("/m/testcode23/live").status_code for _ in range(15)]
    assert statuses == [200] * 10 + [429] * 5
    refused = flooder.client.get("/m/testcode23")
    assert refused.headers["retry-after"]
    assert refused.headers["connection"] == "close"  # a flood's connections do not pile up
    other = web.phone()
    assert other.page().status_code == 200  # its first load, cookie-less
    assert other.page().status_code == 200  # and with its cookie
    # A flood that drops its cookie spends the address's anonymous allowance only.
    cookieless = [web.phone().client.get("/m/testcode23").status_code for _ in range(25)]
    assert 429 in cookieless
    assert other.page().status_code == 200  # phones that kept their cookie are unaffected
    assert web.client.get("/healthz").status_code == 200  # and nothing else is


@pytest.mark.parametrize("trust_proxy", [False, True])
def test_forwarded_for_counts_only_behind_a_trusted_proxy(
    web_with: Callable[..., LiveWeb], meeting: Meeting, trust_proxy: bool
) -> None:
    web = web_with(rate_limits=RateLimits(address=Bucket(2, NEVER)), trust_proxy=trust_proxy)
    statuses = []
    for n in range(4):
        phone = web.phone(headers={"X-Forwarded-For": f"203.0.113.9, 10.0.0.{n}"})
        statuses.append(phone.post("/m/testcode23/ideas", {"title": f"Idea {n}"}).status_code)
    # Trusted: four addresses (the proxy's own entry, the last; the client's claim is ignored).
    # Not trusted: the header is anyone's to send, so all four are this one address.
    assert statuses == ([303] * 4 if trust_proxy else [303, 303, 429, 429])
    assert _count(web, Idea) == (4 if trust_proxy else 2)


def test_page_renders_run_in_a_few_slots(
    live_web: LiveWeb, meeting: Meeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    from meetingtui.web import pages

    real = pages.load_public_meeting
    lock, running, most = threading.Lock(), [0], [0]
    enough = threading.Event()

    def counted(*args: object, **kwargs: object):  # noqa: ANN202
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
            if running[0] >= READ_SLOTS:
                enough.set()
        enough.wait(timeout=10)  # hold the slot until the slots are full
        try:
            return real(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(pages, "load_public_meeting", counted)
    phones = [live_web.phone() for _ in range(20)]
    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(lambda phone: phone.page().status_code, phones))
    assert statuses == [200] * 20
    assert most[0] == READ_SLOTS


def test_a_client_dropping_its_cookie_gets_a_bounded_number_of_posts(
    web_with: Callable[..., LiveWeb], meeting: Meeting
) -> None:
    """Issue: a script that dropped its cookie after every 20 posts posted 1,000 ideas in 15 s.
    Now a brand-new device has 3 posts, and the address admits a bounded number of new devices;
    an honest phone on the same address that keeps its cookie goes on posting."""
    web = web_with(rate_limits=RateLimits(address=Bucket(10, NEVER)))
    honest = web.phone()
    assert honest.post("/m/testcode23/ideas", {"title": "Honest first"}).status_code == 303
    accepted = 0
    for round_ in range(30):
        fresh = web.phone()  # a new cookie every round
        token = fresh.csrf_token()
        for n in range(20):
            response = fresh.client.post(
                "/m/testcode23/ideas", data={"title": f"spam {round_} {n}", "csrf_token": token}
            )
            if response.status_code != 303:
                assert response.status_code == 429
                break
            accepted += 1
    assert accepted <= 9 * 3  # 9 new devices left at the address, 3 posts each
    assert honest.post("/m/testcode23/ideas", {"title": "Honest second"}).status_code == 303
    assert honest.post("/m/testcode23/ideas", {"title": "Honest third"}).status_code == 303


def test_a_device_cookie_carries_its_issue_time_and_old_cookies_still_work(
    web_with: Callable[..., LiveWeb], meeting: Meeting
) -> None:
    import time

    from meetingtui.web.security import DeviceCookieMiddleware, Signer

    signer = Signer("s")
    middleware = DeviceCookieMiddleware(lambda *a: None, signer=signer)  # type: ignore[arg-type,return-value]

    def device(cookie: str):  # noqa: ANN202
        return middleware._device_from({"headers": [(b"cookie", cookie.encode())]})

    old = device(f"{DEVICE_COOKIE}={signer.sign('device', 'abcdefghijklmnop')}")
    assert old.from_cookie and old.id == "abcdefghijklmnop" and not old.is_new()
    now = int(time.time())
    fresh = device(f"{DEVICE_COOKIE}={signer.sign('device', f'abcdefghijklmnop.{now}')}")
    assert fresh.from_cookie and fresh.id == "abcdefghijklmnop" and fresh.is_new()
    assert not fresh.is_new(now + 61)
    web = web_with()
    phone = web.phone()
    phone.page()
    device_id, issued, _signature = phone.client.cookies[DEVICE_COOKIE].split(".")
    assert len(device_id) == 16 and abs(int(issued) - time.time()) < 60
