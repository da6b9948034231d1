"""Browser-test fixtures: one `streamlit run app.py` per test module on a free port over a private
copy of the seeded store on the engine under test (dashboards readable without signing in, basemap
none so nothing leaves the machine), and one Debian chromium driven by Playwright. Never
`playwright install`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from lib.accounts import auth
from lib.store import db
from tests.browser_support import CHROMIUM, chromium, streamlit_server
from tests.conftest import copied_store

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
ADMIN_PW = "admin pass 2025"  # the password of admin_server's administrator 'boss'


@pytest.fixture(scope="module")
def app_server(seeded_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a fresh app server over a private copy of the seeded store."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed")
    folder = tmp_path_factory.mktemp("browser_dash")
    with copied_store(seeded_store, folder) as url:
        env = {**os.environ, "DATABASE_URL": url, "KPI_ANONYMOUS_READ": "1", "KPI_BASEMAP": "none"}
        with streamlit_server(env, folder / "server.log") as (_, base):
            yield base


@pytest.fixture(scope="module")
def admin_server(
    seeded_store: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[str]:
    """The base URL of a fresh app server (basemap none, no reading without an account) over a
    private copy of the seeded store with the administrator 'boss' (password ADMIN_PW)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed")
    folder = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
    with copied_store(seeded_store, folder) as url:
        auth.create_user("boss", "admin", ADMIN_PW, url=url)
        db.get_engine(url).dispose()
        env = {**os.environ, "DATABASE_URL": url, "KPI_BASEMAP": "none"}
        for key in (auth.ENV_ANON, auth.ENV_IDLE, auth.ENV_SSO_UNKNOWN):
            env.pop(key, None)
        with streamlit_server(env, folder / "server.log") as (_, base):
            yield base


@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[object]:
    """One headless Debian chromium for the module."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed")
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The folder screenshots are written to (test-artifacts/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
