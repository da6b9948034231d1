"""Browser tests of the dashboards on a real `streamlit run app.py` (Debian chromium, Playwright):
every dashboard page loads with no exception element and no console error at 1280×720,
1920×1080 and a 390×844 phone (screenshots in test-artifacts/), Chinese renders with a CJK font
(real glyphs, not tofu), and the station map draws its canvas with basemap none and no request
leaving the machine. One server and one browser for the module."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser_support import IDLE

pytestmark = pytest.mark.browser

TIMEOUT_MS = 30_000
VIEWPORTS = [(1280, 720), (1920, 1080), (390, 844)]
# page name -> (URL path, an element that shows the page has drawn its content)
PAGES = {
    "overview": ("", '[data-testid="stMetric"]'),
    "yoy": ("yoy", '[data-testid="stVegaLiteChart"] svg.marks'),
    "targets": ("targets", '[data-testid="stDataFrame"]'),
    "map": ("map", '[data-testid="stDeckGlJsonChart"] canvas'),
    "sources": ("sources", '[data-testid="stDataFrame"]'),
}
# When a page's URL is opened directly, the frontend probes <path>/_stcore/health and
# <path>/_stcore/host-config to find the server's base path; those 404s are not app errors.
BASE_PATH_PROBES = ("/_stcore/health", "/_stcore/host-config")
NO_SIDEWAYS_SCROLL = (
    "() => document.documentElement.scrollWidth - document.documentElement.clientWidth <= 1"
)
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


class Tab:
    """One browser tab kept for the module, with the console errors and off-machine requests
    seen since the last reset."""

    def __init__(self, browser, base: str) -> None:  # noqa: ANN001
        """Open the main page and start listening."""
        self.base = base
        self.errors: list[str] = []
        self.external: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 720})
        self.page.set_default_timeout(TIMEOUT_MS)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("request", self._on_request)
        self.page.goto(base)
        self.page.locator('[data-testid="stMetric"]').first.wait_for(timeout=TIMEOUT_MS * 2)

    def _on_console(self, msg) -> None:  # noqa: ANN001
        """Keep console errors that are not the base-path probe."""
        url = (msg.location or {}).get("url", "")
        if msg.type == "error" and not url.endswith(BASE_PATH_PROBES):
            self.errors.append(f"{msg.text} @ {url}")

    def _on_request(self, req) -> None:  # noqa: ANN001
        """Keep requests that leave the machine."""
        if not req.url.startswith(("http://localhost", "http://127.0.0.1", "data:", "blob:")):
            self.external.append(req.url)

    def settle(self) -> None:
        """Wait (auto-retrying) until the script run has finished."""
        expect(self.page.locator(IDLE)).to_be_attached()

    def go(self, name: str):  # noqa: ANN201
        """Switch to a dashboard through the sidebar (as a user does) and wait for its content."""
        path, ready = PAGES[name]
        self.page.set_viewport_size({"width": 1280, "height": 720})
        self.errors.clear()
        self.external.clear()
        link = self.page.locator('[data-testid="stSidebarNav"] a').filter(has_text=NAV_TITLES[name])
        try:  # streamlit opens the sidebar again when the window widens...
            expect(link.first).to_be_visible(timeout=5_000)
        except AssertionError:  # ...unless it was closed by hand (phone step of an earlier test)
            self.page.locator('[data-testid="stExpandSidebarButton"]').click()
            expect(link.first).to_be_visible()
        link.first.click()
        self.page.locator(ready).first.wait_for()
        self.settle()
        return self.page


# page name -> its title in the Chinese sidebar
NAV_TITLES = {
    "overview": "总览",
    "yoy": "年度对比",
    "targets": "目标进度",
    "map": "服务阵地地图",
    "sources": "数据来源",
}


@pytest.fixture(scope="module")
def tab(app_server: str, chromium_browser) -> Tab:  # noqa: ANN001
    """The module's browser tab on the main page."""
    opened = Tab(chromium_browser, app_server)
    yield opened
    opened.page.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_without_errors_at_every_size(tab: Tab, artifacts: Path, name: str) -> None:
    """Test that a dashboard page draws with no exception, console error or sideways scroll at
    1280×720, 1920×1080 and 390×844, and screenshot each size."""
    page = tab.go(name)
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        tab.settle()
        try:
            page.wait_for_function(NO_SIDEWAYS_SCROLL, timeout=5_000)
        except PlaywrightTimeout:
            pytest.fail(f"{name} scrolls sideways by {page.evaluate(SIDEWAYS)}px at {width}px")
        page.screenshot(path=str(artifacts / f"{name}_{width}x{height}.png"))
    assert page.locator('[data-testid="stException"]').count() == 0
    assert tab.errors == []


TOFU_CHECK = """
() => {
  const canvas = document.createElement('canvas');
  canvas.width = 200; canvas.height = 60;
  const ctx = canvas.getContext('2d');
  const ink = (text) => {
    ctx.clearRect(0, 0, 200, 60);
    ctx.font = '40px "Noto Sans CJK SC"';
    ctx.fillText(text, 5, 45);
    const data = ctx.getImageData(0, 0, 200, 60).data;
    let sum = 0, hash = 0;
    for (let i = 3; i < data.length; i += 4) { sum += data[i]; hash = (hash * 31 + data[i]) | 0; }
    return [sum, hash];
  };
  const title = document.querySelector('h1');
  return {
    glyphs: [ink('工会'), ink('指标'), ink('\\u{10FFFD}\\u{10FFFD}')],
    family: title ? getComputedStyle(title).fontFamily : '',
    check: document.fonts.check('16px "Noto Sans CJK SC"'),
  };
}
"""


def test_chinese_renders_with_a_cjk_font(tab: Tab) -> None:
    """Test that headings use Noto Sans CJK SC and Chinese draws real glyphs, not tofu boxes."""
    result = tab.go("overview").evaluate(TOFU_CHECK)
    (ink_a, hash_a), (ink_b, hash_b), (_, hash_tofu) = result["glyphs"]
    assert "Noto Sans CJK SC" in result["family"]
    assert result["check"] is True
    assert ink_a > 0 and ink_b > 0
    assert len({hash_a, hash_b, hash_tofu}) == 3, "CJK glyphs look like the missing-glyph box"


def test_map_canvas_appears_offline_with_basemap_none(tab: Tab) -> None:
    """Test that the map draws its canvas with basemap none and requests nothing off the machine."""
    page = tab.go("map")
    box = page.locator(PAGES["map"][1]).first.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 200
    assert page.get_by_text("共 14 处").count() == 1
    assert tab.external == []
    assert tab.errors == []


def test_language_switch_round_trip(tab: Tab) -> None:
    """Test that English is one click away, persists in the URL, and 中文 comes back."""
    page = tab.go("overview")
    page.get_by_text("English", exact=True).click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    expect(page.get_by_text("3,396 units").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"lang=en"))
    tab.settle()
    page.get_by_text("中文", exact=True).click()
    expect(page.get_by_role("heading", name="总览")).to_be_visible()
    expect(page.get_by_text("3,396家").first).to_be_visible()
    assert tab.errors == []


def test_overview_url_opens_the_overview_with_its_query(tab: Tab) -> None:
    """Test that a typed /overview?org=shunyi opens Shunyi's overview at the root, not "not found"."""
    page = tab.page
    tab.errors.clear()
    page.goto(f"{tab.base}/overview?org=shunyi")
    expect(page.get_by_role("heading", name="总览")).to_be_visible()
    expect(page.locator('[data-testid="stMetric"]').first).to_be_visible()
    expect(page).to_have_url(re.compile(re.escape(f"{tab.base}/?org=shunyi")))
    expect(page.get_by_text("顺义区总工会").first).to_be_visible()
    tab.settle()
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text("未找到").count() == 0
    assert tab.errors == []
