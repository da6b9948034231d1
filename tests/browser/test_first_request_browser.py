"""Browser test of a freshly started app server's first request (Debian chromium via Playwright):
a deep link opened before any other visit gets app.py's menu and sidebar, and its script runs once
(serve.py switches off streamlit's automatic pages/ mode before the first request)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser_support import CHROMIUM, COUNT_RUNS, IDLE, chromium, streamlit_server
from tests.conftest import copied_store

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed"),
]


@pytest.fixture(scope="module")
def fresh_server(seeded_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A just-started app server (anonymous reading on) that nobody has visited yet."""
    folder = tmp_path_factory.mktemp("browser_first")
    with copied_store(seeded_store, folder) as url:
        env = {**os.environ, "DATABASE_URL": url, "KPI_ANONYMOUS_READ": "1", "KPI_BASEMAP": "none"}
        with streamlit_server(env, folder / "server.log") as (_, base):
            yield base


def test_first_request_for_a_deep_link_gets_the_menu_and_runs_once(fresh_server: str) -> None:
    """Test that a fresh server's first request, /yoy?orgs=daxing, shows the YoY page with the
    app's translated menu (not raw page file names) after a single script run."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.add_init_script(COUNT_RUNS)
        page.goto(f"{fresh_server}/yoy?orgs=daxing")
        expect(page.get_by_role("heading", name="年度对比")).to_be_visible(timeout=60_000)
        expect(page.locator(IDLE)).to_be_attached(timeout=30_000)
        nav = page.locator('[data-testid="stSidebarNav"]')
        expect(nav.get_by_text("总览", exact=True)).to_be_visible()
        expect(nav.get_by_text("服务阵地地图", exact=True)).to_be_visible()
        expect(nav.get_by_text("yoy", exact=True)).to_have_count(0)
        assert page.evaluate("() => window.__runs") == 1
        page.close()


def test_overview_first_load_runs_once(fresh_server: str) -> None:
    """Test that opening the overview at the app's root in a new tab runs its script once (no
    rerun right after the first run)."""
    with chromium() as browser:
        for _ in range(2):  # the server's first visit of the root, then a later one
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.add_init_script(COUNT_RUNS)
            page.goto(f"{fresh_server}/")
            expect(page.get_by_role("heading", name="总览")).to_be_visible(timeout=60_000)
            expect(page.locator(IDLE)).to_be_attached(timeout=30_000)
            expect(page.locator(".st-key-overview_attention")).to_be_visible()
            assert page.evaluate("() => window.__runs") == 1
            page.close()


@pytest.fixture(scope="module")
def fresh_plain_server(
    seeded_store: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A just-started `streamlit run app.py` server (no serve.py), not visited yet."""
    folder = tmp_path_factory.mktemp("browser_first_plain")
    with copied_store(seeded_store, folder) as url:
        env = {**os.environ, "DATABASE_URL": url, "KPI_ANONYMOUS_READ": "1", "KPI_BASEMAP": "none"}
        with streamlit_server(env, folder / "server.log", script="app.py") as (_, base):
            yield base


def test_first_deep_link_on_a_plain_app_server_gets_the_menu(fresh_plain_server: str) -> None:
    """Test that on a server started with `streamlit run app.py`, the first request, /yoy, shows
    the YoY page with the app's translated menu, not raw page file names."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"{fresh_plain_server}/yoy?orgs=daxing")
        expect(page.get_by_role("heading", name="年度对比")).to_be_visible(timeout=60_000)
        expect(page.locator(IDLE)).to_be_attached(timeout=30_000)
        nav = page.locator('[data-testid="stSidebarNav"]')
        expect(nav.get_by_text("总览", exact=True)).to_be_visible()
        expect(nav.get_by_text("yoy", exact=True)).to_have_count(0)
        page.close()


@pytest.mark.parametrize("path", ["/targets", "/yoy?orgs=daxing", "/"])
def test_a_page_url_looks_for_the_server_at_the_root_only(fresh_server: str, path: str) -> None:
    """Test that opening a page's URL asks for the server's health at the app's root only, never
    under the page's own path (a 404 there made the frontend wait 100 ms before asking the root)."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.goto(f"{fresh_server}{path}")
        expect(page.locator(IDLE)).to_be_attached(timeout=30_000)
        expect(page.get_by_role("heading").first).to_be_visible()
        health = [url.removeprefix(fresh_server) for url in asked if "/_stcore/health" in url]
        assert health == ["/_stcore/health"]
        page.close()
