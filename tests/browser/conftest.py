"""Browser-test fixtures: one `streamlit run app.py` per test module on a free port over a seeded
temporary SQLite store (dashboards readable without signing in, basemap none so nothing leaves the
machine), and one Debian chromium driven by Playwright. Never `playwright install`."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"


def free_port() -> int:
    """A free TCP port on localhost."""
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_health(base: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    """Wait until the server answers /_stcore/health (fail early if it exits)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError("streamlit did not become healthy")


@pytest.fixture(scope="module")
def app_server(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a fresh app server over a private copy of the seeded store."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed")
    folder = tmp_path_factory.mktemp("browser_dash")
    path = folder / "kpi.db"
    with closing(sqlite3.connect(seeded_template)) as src, closing(sqlite3.connect(path)) as dst:
        src.backup(dst)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{path}",
        "KPI_ANONYMOUS_READ": "1",
        "KPI_BASEMAP": "none",
    }
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
