"""Browser test that text from files and forms is text everywhere (Debian chromium via Playwright):
links, images and HTML planted in every text field a file can fill (org names, period notes,
locators, source titles and files, plans, station names, towns and addresses) make chromium request
nothing outside the app server, and the markup shows literally on the pages that display it."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from lib.store import db
from tests.browser_support import CHROMIUM, streamlit_server
from tests.conftest import copied_store
from tests.user_text_support import BOLD, IMG, plant

TIMEOUT_MS = 30_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed"),
]


@pytest.fixture(scope="module")
def server(seeded_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An app server over a store with the payload planted (reading without an account)."""
    folder = tmp_path_factory.mktemp("browser_user_text")
    with copied_store(seeded_store, folder) as url:
        plant(url)
        db.get_engine(url).dispose()
        env = {**os.environ, "DATABASE_URL": url, "KPI_ANONYMOUS_READ": "1", "KPI_BASEMAP": "none"}
        with streamlit_server(env, folder / "server.log") as (_, base):
            yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One chromium for the module."""
    from tests.browser_support import chromium

    with chromium() as b:
        yield b


def shown_text(locator) -> str:  # noqa: ANN001
    """The text a locator shows, without the invisible word joiners that keep addresses from
    turning into links."""
    return locator.inner_text().replace("\u2060", "")


def visit(browser, base: str, path: str):  # noqa: ANN001, ANN201
    """A page at path whose requests to any other host are recorded and refused."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    outside: list[str] = []
    app_host = urlparse(base).hostname

    def guard(route) -> None:  # noqa: ANN001
        if urlparse(route.request.url).hostname not in {app_host, None}:
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{base}{path}")
    return page, outside


@pytest.mark.parametrize(
    "path",
    ["/?org=daxing&year=2025", "/sources?org=daxing&year=2025&fig=1,2,3,4,5"],
    ids=["overview", "sources"],
)
def test_planted_markup_shows_literally_and_requests_nothing_outside(
    server: str, browser, path: str
) -> None:
    """Test that a page showing planted text shows the markup as typed and loads nothing from
    outside the app server."""
    from playwright.sync_api import expect

    page, outside = visit(browser, server, path)
    expect(page.get_by_text("evil.example/px.png").first).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    assert IMG in shown_text(page.locator('[data-testid="stMain"]'))
    expect(page.locator('[data-testid="stMain"] a[href*="evil.example"]')).to_have_count(0)
    expect(page.locator('[data-testid="stMain"] img[src*="evil.example"]')).to_have_count(0)
    assert outside == []
    page.context.close()


def test_card_help_tooltip_shows_the_locator_literally(server: str, browser) -> None:
    """Test that a KPI card's source tooltip shows a planted locator as text, loading nothing."""
    from playwright.sync_api import expect

    page, outside = visit(browser, server, "/?org=daxing&year=2025")
    page.locator('[data-testid="stMetric"]').first.wait_for()
    page.locator('[data-testid="stTooltipHoverTarget"]').first.hover()
    tip = page.locator('[data-testid="stTooltipContent"]').first
    expect(tip).to_contain_text("evil.example/px.png", timeout=TIMEOUT_MS)
    assert IMG in shown_text(tip)
    expect(tip.locator('a[href*="evil.example"]')).to_have_count(0)
    assert outside == []
    page.context.close()


@pytest.mark.parametrize(
    "path",
    ["/targets?org=daxing", "/yoy?orgs=daxing", "/map", "/present?org=daxing&year=2025"],
    ids=["targets", "yoy", "map", "present"],
)
def test_pages_with_planted_text_request_nothing_outside(server: str, browser, path: str) -> None:
    """Test that the charts, the map and the slides drawn over planted text request nothing from
    outside the app server."""
    page, outside = visit(browser, server, path)
    from playwright.sync_api import expect

    page.locator('[data-testid="stAppViewContainer"]').wait_for()
    idle = page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
    expect(idle).to_be_attached(timeout=TIMEOUT_MS)
    drawn = {
        "map": '[data-testid="stDeckGlJsonChart"] canvas',
        "present": ".st-key-present_counter",
    }.get(path.strip("/").split("?")[0], '[data-testid="stVegaLiteChart"] svg.marks')
    expect(page.locator(drawn).first).to_be_visible(timeout=TIMEOUT_MS)  # what fetches, drawn
    name = path.strip("/").split("?")[0]
    page.screenshot(path=str(ARTIFACTS / f"user_text_{name}.png"), full_page=True)
    assert outside == []
    page.context.close()


def test_chart_legends_show_planted_tags_literally(server: str, browser) -> None:
    """Test that a chart legend naming an org with planted tags shows the tags as typed."""
    from playwright.sync_api import expect

    page, outside = visit(browser, server, "/yoy?orgs=daxing")
    legend = page.locator('[data-testid="stVegaLiteChart"] .role-legend-label text').first
    # a long legend entry is wrapped onto lines, so the space at a break may not be in the text
    expect(legend).to_contain_text(re.compile(r"<img\s*src="), timeout=TIMEOUT_MS)
    expect(legend).to_contain_text(BOLD)
    assert outside == []
    page.context.close()
