"""A real browser on a phone-sized screen: headless Chromium (Debian's ``chromium`` package)
driven by Playwright's Python package. Submits an idea and a comment, supports the idea, watches
the live update arrive, and checks the console stayed clean (a CSP violation would show there).
Then the same without JavaScript."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from meetingtui.domain import meetings
from meetingtui.domain.models import Meeting
from tests.web.helpers import LiveWeb, add_idea

CHROMIUM = Path(os.environ.get("MEETINGTUI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"no Chromium at {CHROMIUM} (apt-get install chromium, or set MEETINGTUI_CHROMIUM)",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _watch(page: object) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
        ),
    )  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))  # type: ignore[attr-defined]
    return problems


def test_phone_submits_an_idea_and_a_comment(
    browser: object, live_web: LiveWeb, meeting: Meeting
) -> None:
    context = browser.new_context(**PHONE)  # type: ignore[attr-defined]
    page = context.new_page()
    problems = _watch(page)

    page.goto(f"{live_web.base_url}/m/testcode23")
    page.get_by_label("Your idea in one line").fill("Saturday morning GP appointments")
    page.get_by_label("What should change, and why? (optional)").fill("Two hours would help.")
    page.get_by_text("Carer", exact=True).click()  # the label: the radio itself is drawn by CSS
    page.get_by_role("button", name="Send idea").click()
    page.wait_for_url("**/m/testcode23?notice=idea-added*")
    assert page.get_by_role("status").first.inner_text().startswith("Your idea has been added.")
    idea = page.locator("#idea-I-0001")
    assert idea.get_by_role("heading").inner_text() == "Saturday morning GP appointments"

    idea.get_by_text("Comment on this idea").click()
    idea.get_by_label("Your comment on I-0001").fill("Yes, and <b>evenings</b> too")
    idea.get_by_role("button", name="Send comment").click()
    page.wait_for_url("**notice=comment-added*")
    comment = page.locator("#idea-I-0001 .comment__body")
    assert comment.inner_text() == "Yes, and <b>evenings</b> too"  # shown as typed, as text

    page.locator("#idea-I-0001").get_by_role("button", name="Support this idea").click()
    page.wait_for_url("**notice=supported*")
    assert "Supporters: 1" in page.locator("#idea-I-0001 .support").inner_text()

    # The live script notices the agenda moving on without a reload.
    with live_web.database.write() as session:
        meetings.move_to_item(session, meeting_id=meeting.id, step=1)
    now = page.locator("[data-live=now_title]")
    now.filter(has_text="The draft plan in ten minutes").wait_for(timeout=15_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll

    context.close()
    assert problems == []


def test_phone_without_javascript(browser: object, live_web: LiveWeb, meeting: Meeting) -> None:
    context = browser.new_context(java_script_enabled=False, **PHONE)  # type: ignore[attr-defined]
    page = context.new_page()
    problems = _watch(page)

    page.goto(f"{live_web.base_url}/m/testcode23")
    page.get_by_role("button", name="Send idea").click()  # empty: refused, in the GOV.UK pattern
    assert page.title().startswith("Error: ")
    assert page.get_by_role("alert").inner_text().startswith("There is a problem")
    page.get_by_label("Your idea in one line").fill("More benches by the pond")
    page.get_by_role("button", name="Send idea").click()
    assert page.locator("#idea-I-0001 h3").inner_text() == "More benches by the pond"

    context.close()
    # Chromium reports the refusal's status as a console line; nothing else may appear.
    assert problems == [
        "error: Failed to load resource: the server responded with a status of 422 "
        "(Unprocessable Entity)"
    ]


def test_projector_updates_itself_without_a_reload(
    browser: object, live_web: LiveWeb, meeting: Meeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    from meetingtui.web import live

    monkeypatch.setattr(live, "SCREEN_REFRESH_SECONDS", 1)
    context = browser.new_context(viewport={"width": 1280, "height": 720})  # type: ignore[attr-defined]
    page = context.new_page()
    problems = _watch(page)
    page.goto(f"{live_web.base_url}/m/testcode23/screen")
    page.evaluate("window.stayed = true")  # gone if the page reloads

    add_idea(live_web.database, meeting, "Later buses to the hospital")
    page.locator(".screen__ideas").filter(has_text="Later buses").wait_for(timeout=10_000)

    assert page.evaluate("window.stayed") is True
    assert page.locator("svg.qr").count() == 1
    context.close()
    assert problems == []


def test_pages_pass_an_accessibility_audit(
    browser: object, live_web: LiveWeb, discussion: Meeting
) -> None:
    """axe-core (bundled by axe-playwright-python) finds no violations on any page, in any
    state a person meets: with ideas, with a refused form, one idea, the projector, a 404."""
    axe_module = pytest.importorskip(
        "axe_playwright_python.sync_playwright", reason="axe-playwright-python not installed"
    )
    ref = add_idea(live_web.database, discussion, "Saturday GP appointments", detail="Weekends.")
    live_web.post(f"/m/testcode23/ideas/{ref}/comments", {"body": "Yes, and evenings"})
    axe = axe_module.Axe()
    # The audit injects its script: let it past the page's CSP (the CSP has its own tests).
    context = browser.new_context(bypass_csp=True, **PHONE)  # type: ignore[attr-defined]
    page = context.new_page()
    found: dict[str, list[str]] = {}

    def audit(name: str) -> None:
        result = axe.run(page)
        found[name] = [
            f"{v['id']} ({v['impact']}): {v['help']}" for v in result.response["violations"]
        ]

    page.goto(f"{live_web.base_url}/m/testcode23")
    audit("meeting page")
    page.get_by_role("button", name="Send idea").click()
    audit("refused idea form")
    page.goto(f"{live_web.base_url}/m/testcode23/ideas/{ref}")
    audit("idea page")
    page.goto(f"{live_web.base_url}/m/testcode23/screen")
    audit("projector page")
    page.goto(f"{live_web.base_url}/m/nosuchcode")
    audit("not found")
    context.close()
    assert found == {name: [] for name in found}


def test_sign_in_and_pairwise_at_360_px_pass_the_audit(
    browser: object, live_web: LiveWeb, database
) -> None:
    """The optional sign-in and "which matters more" on a 360 px phone: answered and compared
    by tapping without JavaScript; then axe (which needs scripts) finds nothing on their pages,
    and none of them scrolls sideways."""
    axe_module = pytest.importorskip(
        "axe_playwright_python.sync_playwright", reason="axe-playwright-python not installed"
    )
    from meetingtui.agenda.loader import load_agenda
    from tests.conftest import SAMPLE_AGENDAS

    with database.write() as session:
        workshop = meetings.create_meeting(
            session,
            agenda=load_agenda(SAMPLE_AGENDAS / "community_workshop.toml"),
            code="narrow234",
        )
        meetings.start_meeting(session, meeting_id=workshop.id)
    for title in ("More benches by the pond", "Brighter lights on the path", "A zip wire"):
        add_idea(live_web.database, workshop, title)
    narrow = {**PHONE, "viewport": {"width": 360, "height": 740}}
    base = f"{live_web.base_url}/m/narrow234"

    context = browser.new_context(java_script_enabled=False, **narrow)  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(base)
    page.get_by_role("link", name="Answer the questions").click()
    page.get_by_text("25 to 44", exact=True).click()  # the label: it covers its radio
    page.locator("label[for='answer-carer-prefer-not']").click()
    page.get_by_label("Area or postcode district (optional)").fill("E17")
    page.get_by_role("button", name="Send my answers").click()
    assert "Thank you" in page.content()
    page.goto(f"{base}/pairwise")
    page.get_by_role("button", name="This one matters more").first.click()
    page.get_by_role("button", name="Skip this pair").click()
    page.get_by_role("button", name="This one matters more").last.click()
    assert "compared every pair" in page.content()
    context.close()

    axe = axe_module.Axe()
    context = browser.new_context(bypass_csp=True, **narrow)  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(15_000)
    found: dict[str, list[str]] = {}
    for name, path in (
        ("meeting page with the cards", ""),
        ("sign-in form", "/reach"),
        ("sign-in thanks", "/reach?done=answered"),
        ("pairwise pair", "/pairwise"),
    ):
        page.goto(base + path)
        result = axe.run(page)
        found[name] = [
            f"{v['id']} ({v['impact']}): {v['help']}" for v in result.response["violations"]
        ]
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{name} scrolls sideways ({width} px)"
    page.goto(base + "/reach")
    page.get_by_role("button", name="Send my answers").click()  # nothing chosen: still fine
    page.goto(base + "/reach")
    found["sign-in already answered"] = [
        f"{v['id']} ({v['impact']}): {v['help']}" for v in axe.run(page).response["violations"]
    ]
    context.close()
    assert found == {name: [] for name in found}
