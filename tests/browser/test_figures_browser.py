"""Browser test of issue 11's two regressions on a real `streamlit run app.py` (Debian chromium):
four quarters of 1,000场 with one 1000余 read 4,000余场 on the overview card, and 40 / 40 / 40
against a ≥ 100 target reads 120人, 1—3季度累计, 已完成 on the overview and the targets page —
the same reading the deck, the PDF and the summary give (tests/test_parity.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM
from tests.browser_support import IDLE, streamlit_server
from tests.conftest import copied_store
from tests.test_pages_dashboards import add_observation, add_target

pytestmark = pytest.mark.browser
TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def server(seeded_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An app server over a seeded copy holding the two regression cases for Daxing's 2026."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed")
    folder = tmp_path_factory.mktemp("browser_figures")
    with copied_store(seeded_store, folder) as url:
        for q in (1, 2, 3, 4):
            qual = "at_least" if q == 2 else "exact"
            add_observation(url, "daxing", "job_fairs", 2026, 1000, quarter=q, qualifier=qual)
        for q in (1, 2, 3):
            add_observation(url, "daxing", "legal_checkup_workers", 2026, 40, quarter=q)
        add_target(url, "daxing", "legal_checkup_workers", 2026, 100, comparator=">=")
        env = {**os.environ, "DATABASE_URL": url, "KPI_ANONYMOUS_READ": "1", "KPI_BASEMAP": "none"}
        with streamlit_server(env, folder / "server.log") as (_, base):
            yield base


def metric(page, label: str):  # noqa: ANN001, ANN201
    """The metric cards with a label."""
    return page.locator('[data-testid="stMetric"]').filter(has_text=label)


def test_overview_card_reads_a_floor_sum_as_a_floor(
    server: str, chromium_browser, artifacts
) -> None:  # noqa: ANN001
    """Test that the overview card of 1,000 + 1000余 + 1,000 + 1,000场 reads 4,000余场."""
    page = chromium_browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{server}/?org=daxing&year=2026")
    expect(metric(page, "招聘会").first).to_contain_text("4,000余场", timeout=TIMEOUT_MS)
    expect(page.locator(IDLE)).to_have_count(1, timeout=TIMEOUT_MS)
    page.screenshot(path=str(artifacts / "issue11_overview_2026.png"), full_page=True)
    page.close()


def test_overview_names_the_to_date_period(server: str, chromium_browser) -> None:  # noqa: ANN001
    """Test that 40 + 40 + 40人 shows as 120人 under 1—3季度累计 on the overview."""
    page = chromium_browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{server}/?org=daxing&year=2026")
    expect(metric(page, "法治体检惠及职工").first).to_contain_text("120人", timeout=TIMEOUT_MS)
    expect(page.get_by_text("统计期：1—3季度累计", exact=False).first).to_be_visible(
        timeout=TIMEOUT_MS
    )
    page.close()


def test_targets_page_reads_done(server: str, chromium_browser, artifacts) -> None:  # noqa: ANN001
    """Test that the targets page counts the ≥ 100 target met by 120人 as 已完成 (1 of 1)."""
    page = chromium_browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{server}/targets?org=daxing&year=2026")
    expect(page.get_by_text("已完成 1 · 进行中 0 · 滞后 0", exact=False).first).to_be_visible(
        timeout=TIMEOUT_MS
    )
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator(IDLE)).to_have_count(1, timeout=TIMEOUT_MS)
    page.screenshot(path=str(artifacts / "issue11_targets_2026.png"), full_page=True)
    page.close()
