"""The dashboard in real headless Chromium (Debian's, driven by Playwright): sign-in with the
token link, the charts, the plan editor's inline errors and saving, and refusal without it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pacewise.clinic.live import Live
from pacewise.clinic.screens import ARGS, CHROMIUM, capture
from pacewise.domain.prescription import Exercise
from pacewise.store import Store


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required under CI: {CHROMIUM} is missing")
        pytest.skip(f"Chromium is missing ({CHROMIUM}); as root: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live: Live) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1024, "height": 1280})
    tab = context.new_page()
    yield tab
    context.close()


def test_token_link_signs_in_and_shows_the_charts(page: Any, live: Live) -> None:
    page.goto(live.guard.login_url())
    assert page.url == f"{live.base}/"
    assert page.locator("svg.chart").count() >= 6
    assert page.get_by_role("img", name="Pain (0 = none, 10 = worst imaginable)").is_visible()
    pain = page.locator("#chart-pain svg.chart")
    assert pain.bounding_box()["width"] > 600
    summary = page.get_by_text("Table: pain before and after each session")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("details[open] table").first.is_visible()


def test_without_the_token_the_browser_gets_nothing(page: Any, live: Live) -> None:
    response = page.goto(f"{live.base}/")
    assert response.status == 401
    assert "Not signed in" in page.content()
    assert page.goto(f"{live.base}/login?token=guess").status == 401
    assert page.goto(f"{live.base}/plan").status == 401


def test_keyboard_reaches_the_skip_link_first(page: Any, live: Live) -> None:
    page.goto(live.guard.login_url())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"


def test_plan_editor_shows_an_invalid_value_then_saves_a_valid_one(
    page: Any, live: Live, home: Path
) -> None:
    before = Store.open(home).prescription()
    page.goto(live.guard.login_url())
    page.get_by_role("link", name="Plan", exact=True).click()
    page.fill("#f-reach-target_deg", "15, 30, 80")
    page.click("button[value=preview]")
    error = page.locator("#f-reach-target_deg-err")
    error.wait_for(timeout=15_000)
    assert error.is_visible()
    assert "reach.target_deg 80 is above the cap of 60" in error.inner_text()
    assert page.locator("#f-reach-target_deg").get_attribute("aria-invalid") == "true"
    assert Store.open(home).prescription().revision == before.revision

    page.fill("#f-reach-target_deg", "15, 30, 50")
    page.click("button[value=preview]")
    preview = page.locator("#preview")
    preview.wait_for(timeout=15_000)
    assert "15°, 30°, 55° → 15°, 30°, 50°" in preview.inner_text()
    page.fill("#f-reason", "top target felt too far this week")
    page.click("button[value=save]")
    page.wait_for_url("**/plan/history**", timeout=15_000)
    assert page.get_by_role("status").inner_text().startswith(f"Revision {before.revision + 1}")
    after = Store.open(home).prescription()
    assert after.revision == before.revision + 1
    assert after.note == "top target felt too far this week"
    assert after.prescription.exercises[Exercise.reach].target_deg == [
        15.0,
        30.0,
        50.0,
    ]


def test_screenshots_are_made_by_the_real_browser(browser: Any, live: Live, tmp_path: Path) -> None:
    shots = capture(browser, live, tmp_path)
    for shot in shots:
        assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 20_000
