"""Browser test of the station map with no network at all (Debian chromium through Playwright,
fixtures of tests/browser/conftest.py): every request that leaves the machine is aborted and
recorded, and the map page and presenter mode's map slide still draw the bundled district outline
and the stations (measured on screenshots of the deck's canvas). Screenshots go to test-artifacts/."""

from __future__ import annotations

import io
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from PIL import Image
from playwright.sync_api import expect

from lib.dash.offline import OUTLINE
from tests.browser_support import IDLE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium missing"),
]
TIMEOUT_MS = 30_000
CANVAS = '[data-testid="stDeckGlJsonChart"] canvas'
# Resolves once the browser has painted the next frame (a wait on the page, not on the clock).
NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def offline_page(browser, width: int = 1600, height: int = 900):  # noqa: ANN001, ANN201
    """A page whose requests off the machine are aborted (and listed in page.outside)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(TIMEOUT_MS)
    outside: list[str] = []

    def gate(route) -> None:  # noqa: ANN001
        host = urlparse(route.request.url).hostname
        if host in ("localhost", "127.0.0.1", None, ""):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", gate)
    page.outside = outside  # type: ignore[attr-defined]
    return page


def near(rgb: tuple[int, ...], target: tuple[int, int, int], tol: int = 40) -> bool:
    """Whether a pixel is within tol of a colour on every channel."""
    return all(abs(a - b) <= tol for a, b in zip(rgb[:3], target, strict=True))


def measure(png: bytes) -> tuple[int, int]:
    """(outline pixels, station pixels) of a map screenshot: pixels in the bold outline's colour,
    and strongly coloured pixels that are not (the station dots; fills and labels are faint or grey)."""
    img = Image.open(io.BytesIO(png)).convert("RGB")
    outline = dots = 0
    for px in img.getdata():
        if near(px, OUTLINE):
            outline += 1
        elif max(px) - min(px) > 60:
            dots += 1
    return outline, dots


def drawn(page, name: str, artifacts: Path) -> tuple[int, int]:  # noqa: ANN001
    """Wait for the deck's canvas and measure screenshots of it (the last saved under
    test-artifacts/) frame by frame, until both the outline and the stations show or the test's
    timeout has passed: deck.gl draws its layers a few frames after the canvas appears."""
    canvas = page.locator(CANVAS).first
    expect(canvas).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator(IDLE)).to_be_attached(timeout=TIMEOUT_MS)
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while True:
        result = measure(canvas.screenshot(path=str(artifacts / name)))
        if (result[0] > 300 and result[1] > 300) or time.monotonic() > deadline:
            return result
        page.wait_for_function(NEXT_FRAME)


def test_map_page_offline_shows_outline_and_stations(
    app_server: str,
    chromium_browser,  # noqa: ANN001
    artifacts: Path,
) -> None:
    """Test that with every outside request blocked the map page draws the outline and stations."""
    page = offline_page(chromium_browser)
    try:
        page.goto(f"{app_server}/map?org1=beijing&org2=daxing")
        outline, dots = drawn(page, "map_offline.png", artifacts)
        assert outline > 300, outline
        assert dots > 300, dots
        expect(page.get_by_text("图上标注的是文章点名地点的 11 处服务阵地").first).to_be_visible()
    finally:
        page.close()


def test_map_slide_offline_shows_outline_and_stations(
    app_server: str,
    chromium_browser,  # noqa: ANN001
    artifacts: Path,
) -> None:
    """Test that with every outside request blocked the presenter's map slide draws both too."""
    page = offline_page(chromium_browser, 1920, 1080)
    try:
        page.goto(f"{app_server}/present")
        counter = page.locator(".st-key-present_counter")
        expect(counter).to_contain_text("1 /", timeout=TIMEOUT_MS)
        for _ in range(40):
            expect(page.locator(IDLE)).to_be_attached(timeout=TIMEOUT_MS)
            if page.inner_text(".st-key-present_slide .kpi-slide__title") == "服务阵地分布":
                break
            before = counter.inner_text()
            page.click(".st-key-present_next button")
            expect(counter).not_to_have_text(before, timeout=TIMEOUT_MS)
        outline, dots = drawn(page, "present_map_offline.png", artifacts)
        assert outline > 300, outline
        assert dots > 300, dots
        expect(page.get_by_text("截至2025年底已建成并标注的服务阵地 11 处").first).to_be_visible()
    finally:
        page.close()
