"""Browser-test fixtures: one `streamlit run app.py` per test module on a free port over a private
copy of the seeded store on the engine under test (dashboards readable without signing in, basemap
none so nothing leaves the machine), and one Debian chromium driven by Playwright. Never
`playwright install`."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, free_port, wait_for_health
from tests.conftest import copied_store

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def app_server(seeded_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a fresh app server over a private copy of the seeded store."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed")
    folder = tmp_path_factory.mktemp("browser_dash")
    port = free_port()
    with copied_store(seeded_store, folder) as url:
        env = {**os.environ, "DATABASE_URL": url, "KPI_ANONYMOUS_READ": "1", "KPI_BASEMAP": "none"}
        log = open(folder / "server.log", "wb")  # noqa: SIM115 - closed in finally
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://localhost:{port}"
        try:
            wait_for_health(base, proc)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()


@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[object]:
    """One headless Debian chromium for the module."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The folder screenshots are written to (test-artifacts/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give browser tests up to two reruns: a loaded 2-core CI machine can starve the browser of a
    timely rerun, and a red CI for a timing hiccup helps nobody. Other tests never rerun."""
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.flaky(reruns=2, reruns_delay=2))
