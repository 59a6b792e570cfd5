"""Issue 8 #7: a device cookie or form token that is not one of ours (non-ASCII, a signature of
the wrong shape, no signature at all) is replaced (the cookie) or refused with the form kept (the
token): never a 500, whatever bytes arrive."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetingtui.domain.models import Meeting
from meetingtui.web.security import DEVICE_COOKIE, UNLIMITED, Signer
from tests.web.helpers import LiveWeb, controls

SIGNER = Signer("test secret")
VALID = SIGNER.sign("device", "abcdefghijklmnop")

# Anything: what a script could put in a cookie header (any byte but CR/LF/NUL) or a form field
# (any text), weighted towards things that look almost like ours.
signature_like = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="latin-1"), max_size=40),
    st.builds(lambda s: VALID.rsplit(".", 1)[0] + "." + s, st.text(max_size=30)),
    st.builds(lambda s: VALID[:-2] + s, st.text(min_size=1, max_size=3)),
    st.sampled_from(["", ".", "..", "a.", ".a", "é.é", "abc.ä€", "x" * 200, "١٢٣.٤٥٦"]),
)


@pytest.fixture
def unlimited_web(web_with: Callable[..., LiveWeb]) -> Iterator[LiveWeb]:
    yield web_with(rate_limits=UNLIMITED)  # many refusals in a row from one device


@given(signed=signature_like)
def test_unsign_never_raises(signed: str) -> None:
    assert SIGNER.unsign("device", signed) in (None, "abcdefghijklmnop")
    assert SIGNER.unsign("csrf", signed) is None


def _cookie_header(value: str) -> bytes:
    """What a header can carry: bytes, visible ASCII or any byte from 0x80 (text beyond latin-1
    as its UTF-8 bytes); control characters are refused by the HTTP parser itself (400)."""
    raw = value.encode("utf-8", "surrogatepass")
    return f"{DEVICE_COOKIE}=".encode() + bytes(b for b in raw if 0x21 <= b != 0x7F)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=signature_like)
def test_a_malformed_device_cookie_is_replaced(
    live_web: LiveWeb, meeting: Meeting, value: str
) -> None:
    response = live_web.client.get("/m/testcode23", headers={"cookie": _cookie_header(value)})
    assert response.status_code == 200
    assert response.headers["set-cookie"].startswith(f"{DEVICE_COOKIE}=")  # a new device


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(token=signature_like)
def test_a_malformed_form_token_is_refused_with_the_form_kept(
    unlimited_web: LiveWeb, meeting: Meeting, token: str
) -> None:
    live_web = unlimited_web
    live_web.page()
    response = live_web.post(
        "/m/testcode23/ideas", {"title": "Benches by the pond", "csrf_token": token}
    )
    assert response.status_code == 403
    assert controls(response.text).values["title"] == "Benches by the pond"


def test_non_ascii_signatures_do_not_break_a_page(live_web: LiveWeb, meeting: Meeting) -> None:
    """The cases found by hand: a non-ASCII signature on the cookie and on the token."""
    cookie = VALID.rsplit(".", 1)[0] + ".ä€"
    page = live_web.client.get("/m/testcode23", headers={"cookie": _cookie_header(cookie)})
    assert page.status_code == 200
    live_web.page()
    refused = live_web.post("/m/testcode23/ideas", {"title": "Benches", "csrf_token": "a.b.é"})
    assert refused.status_code == 403
    assert controls(refused.text).values["title"] == "Benches"
