"""Screenshots of the dashboard for the docs, taken by real headless Chromium.

`python -m pacewise.clinic.screens` fills a temporary data folder with four months of
generated data, serves it, and writes docs/images/dashboard-overview.png and
docs/images/dashboard-plan-editor.png at a tablet's size. Playwright drives Debian's Chromium
(never a downloaded browser); the browser tests call `capture` too.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pacewise.clinic.live import Live, running
from pacewise.clinic.sample_data import fill
from pacewise.store import Store

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: A 10-inch tablet held in portrait, in CSS pixels.
TABLET = {"width": 1024, "height": 1280}
NOW = datetime(2025, 5, 10, 12, 0, tzinfo=UTC)


def capture(browser: Any, live: Live, out: Path) -> list[Path]:
    """Sign in, then photograph the overview and the plan editor showing a change's preview."""
    out.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport=TABLET)
    try:
        page.goto(live.guard.login_url())
        page.wait_for_selector("svg.chart")
        overview = out / "dashboard-overview.png"
        page.screenshot(path=str(overview))
        page.goto(f"{live.base}/plan")
        page.fill("#f-reach-target_deg", "15, 30, 50")
        page.fill("#f-reach-caps-max_deg", "65")
        page.click("button[value=preview]")
        page.wait_for_selector("#preview")
        page.fill("#f-reason", "Reach is comfortable at 45°: widen the top target.")
        page.evaluate("window.scrollTo(0, 0)")
        editor = out / "dashboard-plan-editor.png"
        page.screenshot(path=str(editor))
    finally:
        page.close()
    return [overview, editor]


def main() -> int:
    from playwright.sync_api import sync_playwright

    out = Path(__file__).resolve().parents[3] / "docs" / "images"
    with tempfile.TemporaryDirectory(prefix="pacewise-screens-") as tmp:
        home = Path(tmp) / "home"
        fill(Store.open(home), start=NOW - timedelta(days=125), days=120)
        with running(home, clock=lambda: NOW, tz=UTC) as live, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            try:
                for path in capture(browser, live, out):
                    print(f"wrote {path}")
            finally:
                browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
