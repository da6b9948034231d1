"""Browser test of server-side sessions against a real `streamlit run serve.py` that has already
served other pages (Debian chromium via Playwright): the sign-in cookie's attributes, reload and
new tab keep the session, a forwarded deep link signed out → sign in → the same view with its query
parameters, a viewer at /upload gets the "needs the editor role" page, and disabling the account
ends the session at the next interaction. One server for the module."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from lib.accounts import auth, sessions
from lib.accounts.web import COOKIE_NAME, SESSION_PATH
from lib.store import db
from tests.browser_support import CHROMIUM, chromium, streamlit_server
from tests.conftest import copied_store

PW = "editor pass 2025"
VPW = "viewer pass 2025"
TIMEOUT_MS = 30_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed"),
]


@pytest.fixture(scope="module")
def server(
    seeded_store: str, tmp_path_factory: pytest.TempPathFactory, browser: object
) -> Iterator[tuple[str, str]]:
    """A server on a store with editor 'ed' and viewer 'viv' that has served a few pages already."""
    folder = tmp_path_factory.mktemp("browser_sessions")
    with copied_store(seeded_store, folder) as url:
        auth.create_user("ed", "editor", PW, url=url)
        auth.create_user("viv", "viewer", VPW, url=url)
        db.get_engine(url).dispose()
        env = {**os.environ, "DATABASE_URL": url}
        for key in (auth.ENV_ANON, auth.ENV_IDLE, auth.ENV_SSO_UNKNOWN):
            env.pop(key, None)
        with streamlit_server(env, folder / "server.log") as (_, base):
            warm = browser.new_page()
            for path in ("", "/login", "/map"):
                warm.goto(f"{base}{path}")
                warm.get_by_label("用户名").wait_for(timeout=TIMEOUT_MS)
            warm.close()
            yield base, url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One chromium for the module."""
    with chromium() as b:
        yield b


def sign_in(page, name: str, password: str, keep: bool = False) -> None:  # noqa: ANN001
    """Fill and submit the sign-in form on whatever page shows it."""
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(password)
    if keep:
        page.get_by_text("在此设备上保持登录").click()
    page.get_by_role("button", name="登录", exact=True).click()


def signed_in_cookie(page, name: str, password: str, keep: bool = False) -> dict:  # noqa: ANN001
    """Sign in and return the sign-in cookie, read once the page's POST to the session route
    (which sets it) has been answered and the sidebar says who is signed in."""
    from playwright.sync_api import expect

    def claims(response) -> bool:  # noqa: ANN001
        """Whether a response answers the page's claim of its session cookie."""
        return urlparse(response.url).path == SESSION_PATH and response.request.method == "POST"

    with page.expect_response(claims, timeout=TIMEOUT_MS) as answer:
        sign_in(page, name, password, keep)
    assert answer.value.ok, answer.value.status
    expect(page.get_by_text("已登录：")).to_be_visible()
    found = [c for c in page.context.cookies() if c["name"] == COOKIE_NAME]
    assert found, f"no {COOKIE_NAME} cookie"
    return found[0]


def test_forwarded_deep_link_signs_in_to_the_same_view(server, browser) -> None:
    """Test that a deep link opened signed out shows the sign-in form at that URL (no "page not
    found") and, after signing in, the same page with its query parameters."""
    from playwright.sync_api import expect

    base, _ = server
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{base}/targets?org=daxing&year=2023")
    expect(page.get_by_label("用户名")).to_be_visible()
    assert "/targets" in page.url
    sign_in(page, "ed", PW)
    expect(page.get_by_role("heading", name="目标进度")).to_be_visible()
    assert "/targets" in page.url and "year=2023" in page.url
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_text("does not seem to exist")).to_have_count(0)
    page.context.close()


def test_session_cookie_is_httponly_lax_opaque_and_session_only(server, browser) -> None:
    """Test that the sign-in cookie is HttpOnly, SameSite=Lax, carries no name or role, and
    lasts only for the browser session unless "keep me signed in" was ticked."""
    base, _ = server
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(base)
    cookie = signed_in_cookie(page, "ed", PW)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["expires"] == -1
    assert "ed" not in cookie["value"].lower().split("-") and "editor" not in cookie["value"]
    assert len(cookie["value"]) >= 22  # ≥ 128 bits in URL-safe base64
    context.close()


def test_keep_me_signed_in_sets_a_seven_day_cookie(server, browser) -> None:
    """Test that ticking "keep me signed in" gives the cookie a 7-day lifetime."""
    import time

    base, _ = server
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(base)
    cookie = signed_in_cookie(page, "ed", PW, keep=True)
    assert 6.9 * 86400 < cookie["expires"] - time.time() <= 7 * 86400
    context.close()


def test_reload_and_new_tab_keep_the_session(server, browser) -> None:
    """Test that a reload and a new tab stay signed in, on the page and view of their URL."""
    from playwright.sync_api import expect

    base, _ = server
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{base}/upload")
    signed_in_cookie(page, "ed", PW)
    page.reload()
    expect(page.get_by_role("heading", name="数据上传")).to_be_visible()
    expect(page.get_by_text("已登录：ed")).to_be_visible()
    tab = context.new_page()
    tab.goto(f"{base}/sources?lang=en")
    expect(tab.get_by_text("Signed in as ed")).to_be_visible()
    expect(tab.get_by_label("Username")).to_have_count(0)
    context.close()


def test_viewer_at_the_upload_url_gets_the_needs_editor_page(server, browser) -> None:
    """Test that a signed-in viewer opening /upload gets a page saying it needs the editor role."""
    from playwright.sync_api import expect

    base, _ = server
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{base}/upload")
    sign_in(page, "viv", VPW)
    expect(page.get_by_text("需要编辑者角色")).to_be_visible()
    expect(page.locator('input[type="file"]')).to_have_count(0)
    page.context.close()


def test_disabling_the_account_ends_the_session_at_the_next_interaction(server, browser) -> None:
    """Test that disabling a signed-in account (as another server would, in the store) signs the
    browser out at its next click and at a reload."""
    from playwright.sync_api import expect

    base, url = server
    auth.create_user("temp", "viewer", "temp pass 2025", url=url)
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(base)
    signed_in_cookie(page, "temp", "temp pass 2025")
    assert "temp" in sessions.list_sessions(url)["username"].to_list()
    auth.set_disabled("temp", True, url, "boss")
    nav = page.locator('[data-testid="stSidebarNav"]')
    nav.get_by_role("link", name="数据来源").click()
    expect(page.get_by_label("用户名")).to_be_visible()
    page.reload()
    expect(page.get_by_label("用户名")).to_be_visible()
    assert "temp" not in sessions.list_sessions(url)["username"].to_list()
    context.close()
