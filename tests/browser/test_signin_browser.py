"""Browser test of accounts against a real `streamlit run app.py` (Debian chromium via Playwright):
a fresh server refuses a signed-out visitor at the upload URL; an editor signs in, uploads a small
file, sees the new figure on the overview, and signs out. One server for the module."""

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
PW = "editor pass 2025"
CSV = b"org_code,indicator_code,year,quarter,value\ndaxing,new_union_units,2026,,4321\n"
TIMEOUT_MS = 30_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed"),
]


@pytest.fixture(scope="module")
def server(
    seeded_store: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """A fresh app server on a copy of the seeded store with editor 'ed'; yields (base URL, db URL)."""
    folder = tmp_path_factory.mktemp("browser_auth")
    with copied_store(seeded_store, folder) as url:
        auth.create_user("ed", "editor", PW, url=url)
        db.get_engine(url).dispose()
        env = {**os.environ, "DATABASE_URL": url}
        for key in (auth.ENV_ANON, auth.ENV_IDLE, auth.ENV_SSO_UNKNOWN):
            env.pop(key, None)
        with streamlit_server(env, folder / "server.log") as (_, base):
            yield base, url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One chromium for the module."""
    with chromium() as b:
        yield b


def test_fresh_server_refuses_the_upload_url_when_signed_out(server, browser) -> None:
    """Test that the first visit to /upload on a fresh server gets the sign-in page, not the uploader."""
    base, _ = server
    page = browser.new_page()
    page.goto(f"{base}/upload")
    page.locator(".st-key-login_username input").wait_for(timeout=TIMEOUT_MS)
    assert page.locator('input[type="file"]').count() == 0
    page.close()


def test_editor_signs_in_uploads_sees_the_figure_and_signs_out(server, browser) -> None:
    """Test that an editor signs in, uploads a file, finds the figure on the overview, signs out."""
    base, url = server
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(base)
    page.get_by_label("用户名").fill("ed")
    page.get_by_label("密码").fill(PW)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="总览").wait_for()

    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="数据上传").click()
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "q2026.csv", "mimeType": "text/csv", "buffer": CSV}]
    )
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("已导入").first.wait_for()

    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="总览").click()
    page.get_by_text("4,321家").first.wait_for()

    page.get_by_role("button", name="退出登录").first.click()
    page.get_by_role("heading", name="登录工会指标看板").wait_for()
    assert page.get_by_role("link", name="数据上传").count() == 0
    page.close()

    log = auth.audit_log(url, username="ed")
    assert {"login", "logout"} <= set(log["action"])
