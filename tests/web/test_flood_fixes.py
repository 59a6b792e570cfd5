"""A security tester's flood findings: a cookieless page flood does not lock brand-new phones
out, the JSON API is read-limited like the pages, and trailing-slash redirects are relative."""

from __future__ import annotations

from collections.abc import Callable

from meetingtui.domain.models import Meeting
from meetingtui.web.security import DEVICE_COOKIE, Bucket, RateLimits
from tests.web.helpers import LiveWeb

NEVER = 0.0001


def test_a_new_phone_gets_in_while_one_client_floods_cookieless_pages(
    web_with: Callable[..., LiveWeb], meeting: Meeting
) -> None:
    """The flood spends the address's allowance for cookieless reads; a new phone's first
    visit may be refused too, but that refusal gives it its cookie (and a link back), and with
    the cookie it has its own allowance: in at the second try."""
    web = web_with(rate_limits=RateLimits(anonymous_reads=Bucket(10, NEVER), read_refusal_delay=0))
    flood = [web.phone().client.get("/m/testcode23").status_code for _ in range(30)]
    assert flood.count(429) >= 19
    phone = web.phone()
    first = phone.client.get("/m/testcode23")
    assert first.status_code == 429
    assert DEVICE_COOKIE in first.headers["set-cookie"]
    assert 'href="/m/testcode23"' in first.text  # try again
    assert phone.client.get("/m/testcode23").status_code == 200
    # The flood goes on; the phone, with its cookie, is not affected by it.
    for _ in range(10):
        web.phone().client.get("/m/testcode23")
    assert phone.client.get("/m/testcode23").status_code == 200


def test_api_reads_are_limited_per_device_and_per_address(
    web_with: Callable[..., LiveWeb], meeting: Meeting
) -> None:
    web = web_with(
        rate_limits=RateLimits(
            reads=Bucket(5, NEVER), anonymous_reads=Bucket(8, NEVER), read_refusal_delay=0
        )
    )
    phone = web.phone()
    phone.page()  # one cookieless read; the phone has its cookie now
    statuses = [phone.client.get("/api/meetings/testcode23").status_code for _ in range(8)]
    assert statuses == [200] * 5 + [429] * 3
    refused = phone.client.get("/api/meetings/testcode23")
    assert refused.headers["retry-after"] and refused.headers["connection"] == "close"
    assert "set-cookie" not in refused.headers  # the API never offers a cookie
    cookieless = [web.phone().client.get("/api/meetings/testcode23").status_code for _ in range(10)]
    assert cookieless == [200] * 7 + [429] * 3  # 8 at once for the address, 1 already spent
    other = web.phone()
    assert other.page().status_code == 429  # the address's cookieless allowance is spent
    assert other.page().status_code == 200  # with the cookie that refusal gave it


def test_trailing_slash_redirects_are_relative_whatever_the_host_header(
    live_web: LiveWeb, meeting: Meeting
) -> None:
    response = live_web.client.get("/m/testcode23/", headers={"Host": "evil.example"})
    assert response.status_code == 307
    assert response.headers["location"] == "/m/testcode23"
    with_query = live_web.client.get("/m/testcode23/?sort=support")
    assert with_query.headers["location"] == "/m/testcode23?sort=support"
    sneaky = live_web.client.get("//evil.example/")
    assert not sneaky.headers.get("location", "").startswith("//")
    assert live_web.client.get("/nowhere/").status_code == 404
