"""What changes while people watch: the live state the phone page's script polls, and the
projector page with the QR code.

The live endpoint answers with texts already in the meeting's language, so the script only ever
sets ``textContent`` (never HTML) and stays a few lines long. The projector page reloads itself
with a meta refresh: it works in any browser a venue's projector laptop has, script or not.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache

from fastapi import APIRouter, Request
from markupsafe import Markup
from starlette.responses import HTMLResponse, JSONResponse, Response

from meetingtui.web import i18n
from meetingtui.web.deps import DatabaseDep, TemplatesDep
from meetingtui.web.i18n import gettext, plural
from meetingtui.web.screen_state import load_screen_state
from meetingtui.web.views import LiveState, load_live_state, load_public_meeting

router = APIRouter(include_in_schema=False)

SCREEN_IDEAS = 6
SCREEN_REFRESH_SECONDS = 15


@router.get("/m/{code}/live")
def live_state(request: Request, code: str, database: DatabaseDep) -> Response:
    device = request.state.device
    with database.read() as session:
        state = load_live_state(session, code, device=device.id if device.from_cookie else "")
    with i18n.language(state.language):
        body = {"state": state.state_key, "ideas": state.idea_count, "text": live_texts(state)}
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


def live_texts(state: LiveState) -> dict[str, str]:
    """Text for each ``data-live`` element of the page; an empty text hides the element."""
    item = state.current_item
    if item is not None:
        meta = gettext(item.kind_label)
        if item.presenter:
            meta = gettext("{kind} with {presenter}", kind=meta, presenter=item.presenter)
        meta = plural(
            item.minutes, "{what} · {count} minute", "{what} · {count} minutes", what=meta
        )
    return {
        "now_title": item.title if item else "",
        "now_meta": meta if item else "",
        "queue": queue_text(state.queue_place),
    }


def queue_text(place: int | None) -> str:
    if place is None:
        return ""
    if place == 0:
        return gettext("It is your turn to speak now.")
    if place == 1:
        return gettext("You are next in the queue to speak.")
    return gettext("You are number {place} in the queue to speak.", place=place)


@router.get("/m/{code}/screen", response_class=HTMLResponse)
def screen_page(
    request: Request, code: str, database: DatabaseDep, templates: TemplatesDep
) -> Response:
    """For the projector: a large QR code, the join address, the current item and its time,
    the speaker and their countdown, the agenda, the latest ideas. Refreshes itself."""
    with database.read() as session:
        meeting = load_public_meeting(session, code, per_page=SCREEN_IDEAS)
        screen = load_screen_state(session, meeting.id)
    join_url = f"{join_base_url(request)}/m/{meeting.code}"
    with i18n.language(meeting.language):
        return templates.TemplateResponse(
            request,
            "screen.html",
            {
                "meeting": meeting,
                "lang": i18n.html_lang(meeting.language),
                "join_url": join_url,
                "qr_svg": qr_svg(join_url, gettext("QR code for {url}", url=join_url)),
                "ideas": meeting.ideas,  # the newest SCREEN_IDEAS, public only
                "screen": screen,  # agenda, clocks, the speaker (public-record policy)
                "join_parts": join_parts(join_url),
                "refresh": SCREEN_REFRESH_SECONDS,
            },
            headers={"Cache-Control": "no-cache"},
        )


def join_parts(url: str) -> list[str]:
    """The join address in pieces that each end after a slash (the scheme's ``//`` stays with
    the host): the page lets a line break only between them, never inside the meeting's code
    (the last piece)."""
    scheme, sep, rest = url.rpartition("://")
    parts = [part + "/" for part in rest.split("/")]
    parts[-1] = parts[-1][:-1]
    parts = [part for part in parts if part]
    if parts and sep:
        parts[0] = scheme + sep + parts[0]
    return parts


def join_base_url(request: Request) -> str:
    """The address phones should use. A projector page opened on the laptop itself arrives on
    localhost, which no phone can reach: swap in this machine's LAN address, keeping the port."""
    configured = request.app.state.base_url
    if configured:
        return configured
    scheme = request.url.scheme
    host = request.url.hostname or "localhost"
    port = request.url.port
    if _is_loopback(host):
        from meetingtui.web.server import lan_address

        host = lan_address()
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@lru_cache(maxsize=32)
def qr_svg(url: str, label: str) -> Markup:
    """The URL as an inline SVG QR code (error correction M), black on white whatever the
    page's colours, sized by CSS."""
    import qrcode
    import qrcode.image.svg
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M,
        border=4,
        image_factory=qrcode.image.svg.SvgPathFillImage,
    )
    code.add_data(url)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    svg = re.sub(r'\swidth="[^"]*"\sheight="[^"]*"', "", svg, count=1)
    svg = svg.replace(
        "<svg ", f'<svg class="qr" role="img" aria-label="{Markup.escape(label)}" ', 1
    )
    return Markup(svg)  # noqa: S704 - generated here from the URL, which is escaped above
