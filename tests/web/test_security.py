"""Public input on any venue's Wi-Fi: CSRF on every form, the signed device cookie, per-device
rate limits with a per-address ceiling, and the secret that keeps cookies valid after a restart."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from sqlmodel import select

from meetingtui.domain.models import Comment, Idea, Meeting, Speaker, Support
from meetingtui.web.security import (
    DEVICE_COOKIE,
    TOKEN_MAX_AGE,
    Bucket,
    RateLimiter,
    RateLimits,
    Signer,
)
from tests.web.helpers import LiveWeb, add_idea, controls, error_summary_links, page_title


def _count(live_web: LiveWeb, model: type) -> int:
    with live_web.database.read() as session:
        return len(session.exec(select(model)).all())


def _forms(ref: str) -> list[tuple[str, dict[str, str], str, str]]:
    """(path, fields, the id of the control that keeps the text, the text)."""
    return [
        ("/m/testcode23/ideas", {"title": "Benches by the pond"}, "title", "Benches by the pond"),
        (f"/m/testcode23/ideas/{ref}/comments", {"body": "Me too"}, f"body-{ref}", "Me too"),
        ("/m/testcode23/speakers", {"name": "Sam"}, "speaker-name", "Sam"),
        (f"/m/testcode23/ideas/{ref}/support", {}, "", ""),
    ]


def _nothing_written(live_web: LiveWeb) -> None:
    assert _count(live_web, Idea) == 1  # the note-taker's
    assert _count(live_web, Comment) == 0
    assert _count(live_web, Speaker) == 0
    assert _count(live_web, Support) == 0


# ---------------------------------------------------------------------------- CSRF


@pytest.mark.parametrize("token", ["", "garbage", "abc.123.forged"])
def test_every_form_needs_a_valid_token(live_web: LiveWeb, discussion: Meeting, token: str) -> None:
    ref = add_idea(live_web.database, discussion, "Saturday GP appointments")
    live_web.page()  # the device has its cookie

    for path, fields, control, text in _forms(ref):
        response = live_web.post(path, {**fields, "csrf_token": token})
        assert response.status_code == 403, path
        assert page_title(response.text).startswith("Error: "), path
        assert "nothing was sent" in response.text or "not recorded" in response.text, path
        if control:
            assert controls(response.text).values[control] == text, path  # the text is kept
            assert error_summary_links(response.text)[0][0] == f"#{control}"
    _nothing_written(live_web)


def test_token_of_another_device_is_refused(live_web: LiveWeb, discussion: Meeting) -> None:
    ref = add_idea(live_web.database, discussion, "Saturday GP appointments")
    live_web.page()
    stolen = live_web.phone().csrf_token()  # what a page on another site could embed

    for path, fields, _control, _text in _forms(ref):
        assert live_web.post(path, {**fields, "csrf_token": stolen}).status_code == 403, path
    _nothing_written(live_web)


def test_expired_token_is_refused_and_a_fresh_one_offered(
    live_web: LiveWeb, meeting: Meeting
) -> None:
    live_web.page()
    device = live_web.client.cookies[DEVICE_COOKIE].rsplit(".", 1)[0]
    signer: Signer = live_web.app.state.signer
    stale = signer.sign("csrf", f"{device}.{int(time.time()) - TOKEN_MAX_AGE - 60}")

    response = live_web.post("/m/testcode23/ideas", {"title": "Benches", "csrf_token": stale})

    assert response.status_code == 403
    assert controls(response.text).values["title"] == "Benches"
    # The refusal carries a fresh token: sending the form again works.
    assert live_web.post("/m/testcode23/ideas", {"title": "Benches"}).status_code == 303


def test_post_from_another_site_is_refused(live_web: LiveWeb, meeting: Meeting) -> None:
    token = live_web.csrf_token()
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        response = live_web.client.post(
            "/m/testcode23/ideas", data={"title": "Forged", "csrf_token": token}, headers=headers
        )
        assert response.status_code == 403, headers
    same_site = live_web.client.post(
        "/m/testcode23/ideas",
        data={"title": "Genuine", "csrf_token": token},
        headers={"Origin": live_web.base_url, "Sec-Fetch-Site": "same-origin"},
    )
    assert same_site.status_code == 303
    assert _count(live_web, Idea) == 1


# ---------------------------------------------------------------------------- the device


def test_device_cookie_is_signed_httponly_and_lax(live_web: LiveWeb, meeting: Meeting) -> None:
    response = live_web.page()
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{DEVICE_COOKIE}=")
    for attribute in ("HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="):
        assert attribute in cookie
    # Once the browser has it, it is not set again.
    assert "set-cookie" not in live_web.page().headers
    # Not on the JSON API or static files: only the meeting pages identify a device.
    assert "set-cookie" not in live_web.phone().client.get("/api/meetings/testcode23").headers


def test_tampered_cookie_is_a_new_device(live_web: LiveWeb, meeting: Meeting) -> None:
    ref = add_idea(live_web.database, meeting, "Saturday GP appointments")
    live_web.post(f"/m/testcode23/ideas/{ref}/support", {})
    value = live_web.client.cookies[DEVICE_COOKIE]
    device, signature = value.rsplit(".", 1)

    forger = live_web.phone()
    forger.client.cookies.set(DEVICE_COOKIE, f"{device}x.{signature}")
    response = forger.page()
    assert DEVICE_COOKIE in response.headers["set-cookie"]  # refused, replaced
    assert "Supporters: 1" in response.text and 'aria-pressed="false"' in response.text


def test_a_token_posted_without_its_cookie_is_refused_with_the_form_kept(
    live_web: LiveWeb, meeting: Meeting
) -> None:
    """A token minted for one device, posted with no cookie at all (another site's form, or a
    script replaying one token), is refused: 403, and the person's text is kept."""
    token = live_web.csrf_token()
    live_web.client.cookies.clear()

    response = live_web.post(
        "/m/testcode23/ideas", {"title": "Tokens need cookies", "csrf_token": token}
    )

    assert response.status_code == 403
    assert "Tokens need cookies" in response.text
    with live_web.database.read() as session:
        assert session.exec(select(Idea)).all() == []


def test_a_post_from_a_null_origin_is_refused(live_web: LiveWeb, meeting: Meeting) -> None:
    token = live_web.csrf_token()
    response = live_web.client.post(
        "/m/testcode23/ideas",
        data={"title": "From a sandbox", "csrf_token": token},
        headers={"Origin": "null"},
    )
    assert response.status_code == 403
    assert "From a sandbox" in response.text
    with live_web.database.read() as session:
        assert session.exec(select(Idea)).all() == []
    ok = live_web.post("/m/testcode23/ideas", {"title": "Same site", "csrf_token": token})
    assert ok.status_code == 303


def test_cookies_and_tokens_survive_a_restart(
    web_with: Callable[..., LiveWeb], meeting: Meeting
) -> None:
    """The signing secret lives in the database, not in the process."""
    first = web_with()
    ref = add_idea(first.database, meeting, "Saturday GP appointments")
    first.post(f"/m/testcode23/ideas/{ref}/support", {})
    token = first.csrf_token()
    cookie = first.client.cookies[DEVICE_COOKIE]

    restarted = web_with()
    restarted.client.cookies.set(DEVICE_COOKIE, cookie)
    page = restarted.page()
    assert "set-cookie" not in page.headers
    assert 'aria-pressed="true"' in page.text  # still this device's support
    response = restarted.post("/m/testcode23/ideas", {"title": "After", "csrf_token": token})
    assert response.status_code == 303


# ---------------------------------------------------------------------------- rate limits


def test_a_phone_hammering_gets_429_and_the_room_does_not(
    web_with: Callable[..., LiveWeb], meeting: Meeting
) -> None:
    web = web_with(rate_limits=RateLimits(device=Bucket(5, 0.001), first_posts=5))
    ref = add_idea(web.database, meeting, "Saturday GP appointments")
    web.page()

    statuses = [
        web.post(f"/m/testcode23/ideas/{ref}/comments", {"body": f"Spam {n}"}).status_code
        for n in range(5)
    ]
    assert statuses == [303] * 5
    refused = web.post(f"/m/testcode23/ideas/{ref}/comments", {"body": "One more thing"})

    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert "You have sent a lot in a short time" in refused.text
    assert "Wait a minute" in refused.text
    assert controls(refused.text).values["unsent-text"] == "One more thing"
    assert 'href="/m/testcode23"' in refused.text
    for path in ("/m/testcode23/ideas", f"/m/testcode23/ideas/{ref}/support"):
        assert web.post(path, {"title": "x"}).status_code == 429, path
    # Everyone else in the room (same address, other devices) carries on.
    for _ in range(3):
        other = web.phone()
        assert other.post(f"/m/testcode23/ideas/{ref}/support", {}).status_code == 303
    assert _count(web, Comment) == 5


def test_the_address_ceiling_stops_a_client_that_drops_its_cookie(
    web_with: Callable[..., LiveWeb], meeting: Meeting
) -> None:
    web = web_with(rate_limits=RateLimits(device=Bucket(2, 0.001), address=Bucket(6, 0.001)))
    statuses = []
    for n in range(8):
        fresh = web.phone()  # a new device every time
        statuses.append(fresh.post("/m/testcode23/ideas", {"title": f"Idea {n}"}).status_code)
    assert statuses == [303] * 6 + [429] * 2
    assert _count(web, Idea) == 6


def test_default_limits_let_a_busy_room_behind_one_address_through(
    web_with: Callable[..., LiveWeb], meeting: Meeting
) -> None:
    """100 phones behind one NAT address, each supporting three ideas at the same moment: all
    of them brand new (they arrived this minute)."""
    limiter = RateLimiter(RateLimits(), clock=lambda: 1000.0)
    results = [
        limiter.check(device=f"phone-{phone}", address="10.0.0.1", new=True)
        for phone in range(100)
        for _ in range(3)
    ]
    assert results == [None] * 300


def test_rate_limiter_refills_and_forgets_old_devices() -> None:
    now = [0.0]
    limiter = RateLimiter(RateLimits(device=Bucket(2, 0.5)), max_keys=10, clock=lambda: now[0])
    assert limiter.check(device="a", address="x") is None
    assert limiter.check(device="a", address="x") is None
    refusal = limiter.check(device="a", address="x")
    assert refusal is not None and refusal.status_code == 429 and refusal.retry_after == 2
    now[0] += 2
    assert limiter.check(device="a", address="x") is None
    for n in range(50):
        limiter.check(device=f"d{n}", address=f"a{n}")
    assert len(limiter._buckets) <= 10
    assert RateLimiter(RateLimits(enabled=False)).check(device="a", address="x") is None
