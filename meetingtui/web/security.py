"""Who is asking, and may they: the signed device cookie, CSRF tokens and per-device rate limits.

No accounts: a phone is known by a random device id in a signed cookie. The id is what makes
"support once per device" and "your place in the queue" work; it identifies a browser, not a
person, and is never shown.

Every form carries a CSRF token, an HMAC of the device id and the time it was issued. A POST is
accepted only with the device cookie and a valid token, less than ``TOKEN_MAX_AGE`` old, minted
for that same device: a token posted without its cookie (another site's form, whose request
the ``SameSite=Lax`` cookie does not join, or a script replaying one token) is refused. On top,
a POST whose ``Origin`` names another site, or is ``null`` (a sandboxed frame, a ``data:``
page), is refused.

Rate limits are token buckets kept in memory, spent by what each device does, so that one phone
flooding (or a script sending junk) slows itself and not the room behind the same NAT address
(see ``RateLimits`` for the numbers and why).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEVICE_COOKIE = "mt_device"
DEVICE_COOKIE_MAX_AGE = 90 * 24 * 3600  # a season of meetings; a device id is not a person
TOKEN_MAX_AGE = 24 * 3600  # a page left open all evening still sends
CSRF_FIELD = "csrf_token"
VERIFIED_CACHE = 20_000  # signed strings remembered as valid: two per phone in a big room
SIGNATURE_CHARS = 22  # 16 bytes in unpadded URL-safe base64
MAX_SIGNED_CHARS = 200  # far longer than anything we sign (a device id and a time)


class Signer:
    """HMAC-SHA256 signatures, truncated to 128 bits, in URL-safe base64.

    Every post checks two signatures (the device cookie and the form token), and a phone sends
    the same two again and again: the values found valid are remembered (the answer for a given
    string never changes), so a busy room costs a dictionary look-up instead of two HMACs a
    post. Only valid ones, and a bounded number, so forged strings cannot fill memory.
    """

    def __init__(self, secret: str | bytes, *, remember: int = VERIFIED_CACHE):
        self._key = secret.encode() if isinstance(secret, str) else secret
        self._remember = remember
        self._verified: dict[tuple[str, str], str] = {}

    def signature(self, purpose: str, value: str) -> str:
        digest = hmac.new(self._key, f"{purpose}|{value}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")

    def sign(self, purpose: str, value: str) -> str:
        return f"{value}.{self.signature(purpose, value)}"

    def unsign(self, purpose: str, signed: str) -> str | None:
        known = self._verified.get((purpose, signed))
        if known is not None:
            return known
        # Whatever a browser or a script sent: only a string of our shape is worth an HMAC
        # (and ``compare_digest`` refuses non-ASCII text with a TypeError).
        if len(signed) > MAX_SIGNED_CHARS or not signed.isascii():
            return None
        value, _, signature = signed.rpartition(".")
        if not value or len(signature) != SIGNATURE_CHARS:
            return None
        if not hmac.compare_digest(signature, self.signature(purpose, value)):
            return None
        if len(self._verified) >= self._remember:
            self._verified.clear()  # simpler than LRU; the room's phones are back in a moment
        self._verified[(purpose, signed)] = value
        return value


def new_device_id() -> str:
    return secrets.token_urlsafe(12)  # 96 bits, 16 characters


NEW_DEVICE_SECONDS = 60  # a cookie issued less than this long ago is a brand-new device


class Device:
    """This request's device: from a valid cookie, or new (and then offered as a cookie).

    ``issued`` is when its cookie was first issued (the cookie carries it, signed); a cookie
    from before that was recorded counts as old (0). A device without a cookie is new now.
    """

    def __init__(self, device_id: str, *, from_cookie: bool, issued: float | None = None):
        self.id = device_id
        self.from_cookie = from_cookie
        self.needs_cookie = not from_cookie
        self.issued = time.time() if issued is None else issued

    def is_new(self, now: float | None = None) -> bool:
        """Brand new: no cookie yet, or one issued under ``NEW_DEVICE_SECONDS`` ago."""
        if not self.from_cookie:
            return True
        now = time.time() if now is None else now
        return now - self.issued < NEW_DEVICE_SECONDS

    def adopt(self, device_id: str) -> None:
        """A cookie-less browser sent a valid token: it is the device the token was made for."""
        self.id = device_id
        self.needs_cookie = True


def csrf_token(signer: Signer, device: Device, now: float | None = None) -> str:
    issued = int(time.time() if now is None else now)
    return signer.sign("csrf", f"{device.id}.{issued}")


@dataclass(frozen=True)
class Refusal:
    status_code: int
    reason: str  # "forged", "expired" or "limited"
    retry_after: int = 0


def check_csrf(
    request: Request, signer: Signer, token: str, now: float | None = None
) -> Refusal | None:
    """Refuse a POST from another site or without a valid, fresh token for this device."""
    origin = request.headers.get("origin")
    if origin == "null":  # an opaque origin: never one of our own pages
        return Refusal(403, "forged")
    if origin:
        # This server as the browser reached it, or as --public-url names it (a proxy in front
        # may rewrite the Host header).
        ours = {request.headers.get("host"), urlsplit(request.app.state.base_url or "").netloc}
        if urlsplit(origin).netloc not in ours:
            return Refusal(403, "forged")
    if request.headers.get("sec-fetch-site") == "cross-site":
        return Refusal(403, "forged")
    payload = signer.unsign("csrf", token.strip()) if token else None
    if payload is None:
        return Refusal(403, "expired" if not token else "forged")
    device_id, _, issued = payload.rpartition(".")
    now = time.time() if now is None else now
    if not (issued.isascii() and issued.isdigit()) or not 0 <= now - int(issued) <= TOKEN_MAX_AGE:
        return Refusal(403, "expired")
    device: Device = request.state.device
    if not device.from_cookie:
        # Our pages always set the cookie before showing a form: a token without it came
        # from elsewhere (or the browser dropped its cookie since the page loaded).
        return Refusal(403, "forged")
    if device.id != device_id:
        return Refusal(403, "expired")  # a cookie reset since the page loaded, most likely
    return None


@dataclass(frozen=True)
class Bucket:
    capacity: float  # how many at once
    per_second: float  # refilled at this rate


@dataclass(frozen=True)
class RateLimits:
    """How much one device, and one address, may ask of the server.

    A whole room may reach us through one NAT address (venue Wi-Fi, a hotspot), so the address
    is never what slows an honest phone down: each phone has its own allowance, and only what
    a phone does spends it. Refused requests (a forged or expired token, junk, a refusal from
    the domain) spend no one's posting allowance.

    - ``device``: posts that passed the CSRF check, per device: 20 at once, then one every 3
      seconds (20 a minute). Someone typing ideas and comments, or tapping support on a dozen
      ideas in a row, never meets it; a phone (or script) hammering the form does, after 20.
      A post the domain refuses (an empty comment, an idea gone) is given back.
    - ``first_posts``: a brand-new device (its cookie issued under a minute ago, see
      ``Device.is_new``) starts its ``device`` bucket with only this many (3), refilled at the
      same rate: a phone that just arrived supports an idea or two at once, and a script that
      drops its cookie to start afresh gets 3 posts per new device, not 20.
    - ``address``: new devices, per address: a device's first post spends one, later ones
      never. 150 at once, then 1 a second: a room of 300 phones arriving over five minutes
      behind one NAT address fits; one client minting fresh devices (dropping its cookie and
      fetching new tokens) to escape the per-device limit gets one new device a second.
    - ``refused``: refusals, per device (per address for requests without a valid device): 30
      at once, then one a second. Past it a refused post is answered with a plain 429 instead
      of the page again, so junk costs no page render.
    - ``reads``: page, ``/live`` and ``/api`` requests per device with its cookie: 60 at
      once, then 2 a second (a phone polls ``/live`` every 5 seconds and loads a page now and
      then).
    - ``anonymous_reads``: the same from browsers without a valid device cookie, per address:
      300 at once (a room's first page loads), then 5 a second. A flood that drops its cookie
      is bounded here; phones that kept theirs are not affected by it.
    """

    device: Bucket = Bucket(capacity=20, per_second=1 / 3)
    first_posts: int = 3
    address: Bucket = Bucket(capacity=150, per_second=1)
    refused: Bucket = Bucket(capacity=30, per_second=1)
    reads: Bucket = Bucket(capacity=60, per_second=2)
    anonymous_reads: Bucket = Bucket(capacity=300, per_second=5)
    # A read refused by the limits is answered after this long: a flood's connections each
    # wait instead of asking again at once (waiting costs the server nothing; answering a
    # flood of 429s at once took most of a core).
    read_refusal_delay: float = 1.0
    enabled: bool = True


UNLIMITED = RateLimits(enabled=False)


@dataclass(frozen=True)
class Grant:
    """What an accepted post took, so that a refusal by the domain can give it back."""

    device: str


class RateLimiter:
    """Token buckets by key, in memory, thread-safe; the least recently used are forgotten
    beyond ``max_keys`` so that a flood of fresh device ids cannot exhaust memory."""

    def __init__(self, limits: RateLimits, *, max_keys: int = 50_000, clock=time.monotonic):
        self.limits = limits
        self.max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[tuple[str, str], tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def _level(self, key: tuple[str, str], bucket: Bucket, now: float) -> float:
        tokens, updated = self._buckets.get(key, (bucket.capacity, now))
        return min(bucket.capacity, tokens + (now - updated) * bucket.per_second)

    def _set(self, key: tuple[str, str], tokens: float, now: float) -> None:
        self._buckets[key] = (tokens, now)
        self._buckets.move_to_end(key)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)

    def _take(self, key: tuple[str, str], bucket: Bucket, now: float) -> float:
        """Take one token; returns 0 when granted, else the seconds until one is available
        (and then takes nothing)."""
        tokens = self._level(key, bucket, now)
        if tokens < 1:
            return (1 - tokens) / bucket.per_second
        self._set(key, tokens - 1, now)
        return 0.0

    @staticmethod
    def _refusal(wait: float) -> Refusal:
        return Refusal(429, "limited", retry_after=max(1, int(wait + 0.999)))

    def check(self, *, device: str, address: str, new: bool = False) -> Refusal | None:
        """A post that passed the CSRF check: this device's allowance, and the address's
        allowance of new devices if the device has not posted before. ``new``: a brand-new
        device, whose allowance starts at ``first_posts``."""
        granted = self.take_post(device=device, address=address, new=new)
        return granted if isinstance(granted, Refusal) else None

    def take_post(self, *, device: str, address: str, new: bool = False) -> Grant | Refusal:
        if not self.limits.enabled:
            return Grant(device)
        with self._lock:
            now = self._clock()
            key = ("device", device)
            if key in self._buckets or not new:
                tokens = self._level(key, self.limits.device, now)
            else:
                tokens = min(self.limits.device.capacity, float(self.limits.first_posts))
            if tokens < 1:  # this device's own doing: nothing else is spent
                return self._refusal((1 - tokens) / self.limits.device.per_second)
            if key not in self._buckets:  # a device new to us: the address admits it
                wait = self._take(("address", address), self.limits.address, now)
                if wait:
                    return self._refusal(wait)
            self._set(key, tokens - 1, now)
        return Grant(device)

    def give_back(self, grant: Grant) -> None:
        """The domain refused the post: it does not count against the device."""
        if not self.limits.enabled:
            return
        with self._lock:
            now = self._clock()
            key = ("device", grant.device)
            if key in self._buckets:
                self._set(
                    key,
                    min(self.limits.device.capacity, self._level(key, self.limits.device, now) + 1),
                    now,
                )

    def take_refusal(self, *, device: str | None, address: str) -> Refusal | None:
        """Count a refusal against whoever sent it (the device, or the address when there is
        no valid device); a 429 once they have had too many."""
        if not self.limits.enabled:
            return None
        key = ("refused-device", device) if device else ("refused-address", address)
        with self._lock:
            wait = self._take(key, self.limits.refused, self._clock())
        return self._refusal(wait) if wait else None

    def take_read(self, *, device: str | None, address: str) -> Refusal | None:
        """A page or ``/live`` request: per device with its cookie, else per address."""
        if not self.limits.enabled:
            return None
        if device:
            key, bucket = ("reads", device), self.limits.reads
        else:
            key, bucket = ("anonymous-reads", address), self.limits.anonymous_reads
        with self._lock:
            wait = self._take(key, bucket, self._clock())
        return self._refusal(wait) if wait else None


class DeviceCookieMiddleware:
    """Puts a ``Device`` on every request to the meeting pages and, when the browser has no
    valid device cookie yet, offers one on the response. Requests to the JSON API get their
    device too (its reads are limited per device like the pages'), but are never offered a
    cookie."""

    def __init__(
        self, app: ASGIApp, *, signer: Signer, prefix: str = "/m/", read_only: str = "/api/"
    ):
        self.app = app
        self.signer = signer
        self.prefix = prefix
        self.read_only = read_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if not path.startswith(self.prefix):
            if path.startswith(self.read_only):
                scope.setdefault("state", {})["device"] = self._device_from(scope)
                scope["state"]["device"].needs_cookie = False
            await self.app(scope, receive, send)
            return
        device = self._device_from(scope)
        scope.setdefault("state", {})["device"] = device

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and device.needs_cookie:
                headers = MutableHeaders(scope=message)
                headers.append("Set-Cookie", self._cookie(device, scope))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _device_from(self, scope: Scope) -> Device:
        for name, value in scope.get("headers", []):
            if name != b"cookie":
                continue
            # Our value is URL-safe base64 and dots, never quoted: a plain split will do, and
            # is far cheaper than SimpleCookie on every request.
            for pair in value.decode("latin-1").split(";"):
                key, _, signed = pair.strip().partition("=")
                if key == DEVICE_COOKIE and len(signed) <= 80:
                    payload = self.signer.unsign("device", signed)
                    if payload:
                        # "id.issued" since issue times were recorded; a bare "id" before.
                        device_id, _, issued = payload.partition(".")
                        when = int(issued) if issued.isascii() and issued.isdigit() else 0
                        return Device(device_id, from_cookie=True, issued=float(when))
        return Device(new_device_id(), from_cookie=False)

    def _cookie(self, device: Device, scope: Scope) -> str:
        secure = "; Secure" if scope.get("scheme") == "https" else ""
        value = self.signer.sign("device", f"{device.id}.{int(device.issued)}")
        return (
            f"{DEVICE_COOKIE}={value}; Path=/; Max-Age={DEVICE_COOKIE_MAX_AGE}; HttpOnly; "
            f"SameSite=Lax{secure}"
        )


def client_address(request: Request) -> str:
    return scope_address(request.scope, trust_proxy=request.app.state.trust_proxy)


def scope_address(scope: Scope, *, trust_proxy: bool = False) -> str:
    """The address a request came from. Behind a reverse proxy (``--trust-proxy``: the
    facilitator says one is in front) it is the last entry of ``X-Forwarded-For``, the one the
    proxy itself added; entries before it are whatever the client claimed and are ignored.
    Without the option the header is ignored altogether: anyone can send it."""
    if trust_proxy:
        for name, value in scope.get("headers", ()):
            if name == b"x-forwarded-for":
                last = value.decode("latin-1").rpartition(",")[2].strip()
                if last:
                    return last[:64]
    client = scope.get("client")
    return client[0] if client else "unknown"
