"""AppTest of app.py with accounts: each role sees exactly its pages, signed-out visitors see only
the sign-in page (or the dashboards when anonymous reading is on), a viewer cannot reach or drive
the upload page, sign-in locks after five failures, sessions end on sign-out, idle time, disable
or role change, and single sign-on maps e-mails to roles."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from lib.accounts import auth
from lib.store import db
from lib.store.db import session_scope
from lib.store.models import ImportBatch, Observation
from lib.ui.session import AUTH_KEY, SEEN_KEY

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PW = "right pass 123"
DASHBOARDS = ("overview.py", "yoy.py", "targets.py", "map.py", "sources.py", "present.py")
UPLOAD_CSV = b"org_code,indicator_code,year,quarter,value\ndaxing,culture_programmes,2026,,33\n"


def expected(role: str | None) -> set[str]:
    """The page files a role must see (the dashboards, upload and admin by role), written out."""
    pages = {"login.py"}
    if role is not None:
        pages |= set(DASHBOARDS)
    if role in ("editor", "admin"):
        pages |= {"upload.py"}
    if role == "admin":
        pages |= {"admin.py"}
    return pages


@pytest.fixture(autouse=True)
def app_script(tmp_path: Path) -> None:
    """app.py's code, as a main script in a folder with no pages/ beside it.

    Streamlit runs a script whose folder holds pages/ in its automatic pages mode (MPA v1: the
    requested page file runs without app.py's st.navigation) until st.navigation has run, and
    AppTest starts every run afresh. A running server is kept out of that mode by serve.py before
    its first request (tests/browser/test_first_request_browser.py checks a fresh server); here
    the same code runs from a folder where that mode is off by streamlit's own rule, with nothing
    patched. The pages are registered by absolute path, so they are the repository's files."""
    script = tmp_path / "app.py"
    script.write_text(Path(APP).read_text(encoding="utf-8"), encoding="utf-8")
    SCRIPT[:] = [str(script)]


SCRIPT: list[str] = []  # the main script of this test's AppTests (see app_script)


@pytest.fixture
def store(seeded_copy: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A private copy of the seeded store with a viewer, an editor and an admin (password PW)."""
    url = seeded_copy
    monkeypatch.delenv(auth.ENV_ANON, raising=False)
    monkeypatch.delenv(auth.ENV_SSO_UNKNOWN, raising=False)
    auth.create_user("viv", "viewer", None, "viv@example.org", url)
    auth.create_user("ed", "editor", PW, "ed@example.org", url)
    auth.create_user("boss", "admin", None, "boss@example.org", url)
    yield url
    db.get_engine.cache_clear()


def app(user: str | None = None, role: str | None = None) -> AppTest:
    """An AppTest of app.py opened at /login (light to draw), optionally with a signed-in user."""
    from streamlit.util import calc_hash

    from lib.ui import HOME_URL_PATH

    at = AppTest.from_file(SCRIPT[0], default_timeout=60)
    # Signed out, the sign-in page is the only (so the default) page: served at the root.
    at._page_hash = calc_hash("login" if user else HOME_URL_PATH)
    if user:
        at.session_state[AUTH_KEY] = {"username": user, "role": role or "viewer"}
    return at


MENU: list[tuple[object, str]] = []  # (page file or function, visibility) of the last navigation


@pytest.fixture(autouse=True)
def record_menu(monkeypatch: pytest.MonkeyPatch) -> None:
    """Record the pages and their visibility each st.navigation call registers."""
    import streamlit as st

    original = st.navigation

    def spy(pages, **kwargs):  # noqa: ANN001, ANN003, ANN202
        MENU[:] = [(p._page, p.visibility) for p in pages]
        return original(pages, **kwargs)

    monkeypatch.setattr(st, "navigation", spy)


def page_files(at: AppTest) -> set[str]:
    """The page files the last run showed in the menu (registered and not hidden)."""
    return {
        Path(str(page)).name for page, vis in MENU if isinstance(page, Path) and vis != "hidden"
    }


def registered_files(at: AppTest) -> set[str]:
    """Every page file the last run registered with st.navigation (shown or hidden)."""
    pages = at._registered_pages.values()
    return {Path(str(i["script_path"])).name for i in pages if i["script_path"]}


def batches(url: str) -> int:
    """How many import batches the store holds."""
    with session_scope(url) as s:
        return int(s.scalar(select(func.count(ImportBatch.id))))


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    """Fill and submit the sign-in form."""
    at.text_input(key="login_username").input(name)
    at.text_input(key="login_password").input(password)
    return at.button(key="login_submit").click().run()


@pytest.mark.parametrize(
    ("user", "role"),
    [(None, None), ("viv", "viewer"), ("ed", "editor"), ("boss", "admin")],
    ids=["signed-out", "viewer", "editor", "admin"],
)
def test_each_role_sees_exactly_its_pages(store: str, user: str | None, role: str | None) -> None:
    """Test that the menu holds exactly the pages of the signed-in user's role."""
    at = app(user, role).run()
    assert not at.exception, [e.value for e in at.exception]
    assert page_files(at) == expected(role)


def test_session_role_comes_from_the_store_not_the_session(store: str) -> None:
    """Test that a session claiming 'admin' for a viewer account gets the viewer's pages."""
    at = app("viv", "admin").run()
    assert page_files(at) == expected("viewer")
    assert at.session_state[AUTH_KEY]["role"] == "viewer"


def test_unknown_session_user_is_signed_out(store: str) -> None:
    """Test that a session naming an account that does not exist sees only the sign-in page."""
    at = app("mallory", "admin").run()
    assert page_files(at) == {"login.py"}
    assert AUTH_KEY not in at.session_state


def test_anonymous_reading_shows_dashboards_but_not_upload_or_admin(store: str) -> None:
    """Test that with anonymous reading on, a signed-out visitor gets the dashboards only."""
    auth.put_setting(auth.ANON_KEY, "1", store, "boss")
    at = app().run()
    assert page_files(at) == expected("viewer")


def test_viewer_opening_the_upload_url_is_refused(store: str) -> None:
    """Test that a viewer asking for the upload page's URL gets another page and writes nothing."""
    from streamlit.util import calc_hash

    before = batches(store)
    at = app("viv").run()
    at._page_hash = calc_hash("upload")  # what the browser sends for /upload
    at.run()
    assert not at.exception
    with pytest.raises(KeyError):
        at.get_by_key("upload_file")
    assert batches(store) == before


def test_viewer_running_the_upload_page_directly_is_refused(store: str) -> None:
    """Test that the upload page itself refuses a viewer before drawing any widget."""
    at = AppTest.from_file(str(ROOT / "pages" / "upload.py"), default_timeout=60)
    at.session_state[AUTH_KEY] = {"username": "viv", "role": "viewer"}
    at.run()
    assert at.error and not at.file_uploader


def test_replayed_upload_after_demotion_writes_nothing(store: str) -> None:
    """Test that an editor demoted to viewer cannot commit an upload by replaying its clicks."""
    at = app("ed", "editor").run()
    at.switch_page(str(ROOT / "pages" / "upload.py")).run()
    at.file_uploader(key="upload_file").upload("q.csv", UPLOAD_CSV, "text/csv")
    at.run()
    assert at.get_by_key("upload_commit")
    auth.set_role("ed", "viewer", store, "boss")
    before = batches(store)
    at.button(key="upload_commit").click().run()
    assert batches(store) == before
    with session_scope(store) as s:
        assert not s.scalar(select(func.count(Observation.id)).where(Observation.year == 2026))


def test_editor_upload_is_recorded_with_the_username(store: str) -> None:
    """Test that an editor's upload commits a batch under the editor's name."""
    at = app("ed", "editor").run()
    at.switch_page(str(ROOT / "pages" / "upload.py")).run()
    at.file_uploader(key="upload_file").upload("q.csv", UPLOAD_CSV, "text/csv")
    at.run()
    at.button(key="upload_commit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with session_scope(store) as s:
        last = s.scalar(select(ImportBatch).order_by(ImportBatch.id.desc()))
    assert last.username == "ed" and last.n_new == 1


def test_sign_in_opens_the_role_pages(store: str) -> None:
    """Test that the right password signs in and the menu grows to the editor's pages."""
    at = sign_in(app().run(), "ed", PW)
    assert not at.error
    signed = at.session_state[AUTH_KEY]
    assert (signed["username"], signed["role"]) == ("ed", "editor")
    assert page_files(at) == expected("editor")


def test_wrong_password_is_refused_with_a_message(store: str) -> None:
    """Test that a wrong password keeps the visitor signed out with a clear message."""
    at = sign_in(app().run(), "ed", "not the password")
    assert "用户名或密码错误" in at.error[0].value
    assert AUTH_KEY not in at.session_state and page_files(at) == {"login.py"}


def test_five_failures_lock_the_sign_in(store: str) -> None:
    """Test that after five wrong passwords even the right one is refused with a lock message."""
    at = app().run()
    for _ in range(5):
        sign_in(at, "ed", "not the password")
    sign_in(at, "ed", PW)
    assert "锁定" in at.error[0].value
    assert AUTH_KEY not in at.session_state and page_files(at) == {"login.py"}


def test_sign_out_ends_the_session(store: str) -> None:
    """Test that signing out leaves only the sign-in page and is audited."""
    at = sign_in(app().run(), "ed", PW).run()  # the menu of a signed-in editor is registered
    at.switch_page(str(ROOT / "pages" / "login.py")).run()
    at.button(key="login_sign_out").click().run()
    assert AUTH_KEY not in at.session_state and page_files(at) == {"login.py"}
    assert auth.audit_log(store, actions=("logout",))["username"].to_list() == ["ed"]


def test_idle_session_expires(store: str) -> None:
    """Test that a session idle for longer than the idle time is signed out with a notice."""
    auth.put_setting(auth.IDLE_KEY, "10", store)
    at = app("ed", "editor")
    at.session_state[SEEN_KEY] = time.time() - 11 * 60
    at.run()
    assert page_files(at) == {"login.py"}
    assert any("未操作" in i.value for i in at.info)


def test_active_session_within_idle_time_stays(store: str) -> None:
    """Test that a session used within the idle time stays signed in."""
    at = app("ed", "editor")
    at.session_state[SEEN_KEY] = time.time() - 60
    at.run()
    assert page_files(at) == expected("editor")


def test_disable_takes_effect_on_the_next_click(store: str) -> None:
    """Test that disabling a signed-in account signs it out at its next rerun."""
    at = app("ed", "editor").run()
    auth.set_disabled("ed", True, store, "boss")
    at.run()
    assert page_files(at) == {"login.py"}


def test_password_change_ends_sessions_signed_in_before(store: str) -> None:
    """Test that resetting a password signs out a session opened with the old one."""
    at = sign_in(app().run(), "ed", PW)
    assert page_files(at) == expected("editor")
    auth.set_password("ed", "a brand new pw 1", store, "boss")
    at.run()
    assert page_files(at) == {"login.py"}


def test_role_change_takes_effect_on_the_next_click(store: str) -> None:
    """Test that promoting a signed-in viewer shows the editor's pages at the next rerun."""
    at = app("viv").run()
    auth.set_role("viv", "editor", store, "boss")
    at.run()
    assert page_files(at) == expected("editor")


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_admin_page_refuses_non_admins(store: str, role: str) -> None:
    """Test that the admin page run directly refuses viewers and editors before any widget."""
    at = AppTest.from_file(str(ROOT / "pages" / "admin.py"), default_timeout=60)
    at.session_state[AUTH_KEY] = {
        "username": {"viewer": "viv", "editor": "ed"}[role],
        "role": "admin",
    }
    at.run()
    assert at.error and not at.text_input and not at.download_button


def test_admin_adds_a_user_and_sees_it_in_the_audit_log(store: str) -> None:
    """Test that an admin adds an account on the admin page, audited under the admin's name."""
    at = app("boss", "admin").run()
    at.switch_page(str(ROOT / "pages" / "admin.py")).run()
    at.text_input(key="admin_add_name").input("newbie")
    at.text_input(key="admin_add_pw1").input("newbie pass 1")
    at.text_input(key="admin_add_pw2").input("newbie pass 1")
    at.button(key="admin_add_submit").click().run()
    assert not at.exception and at.success
    assert auth.active_user("newbie", store).role == "viewer"
    log = auth.audit_log(store, actions=("user_add",), username="boss")
    assert log["detail"].to_list() == ["newbie role=viewer"]


def test_admin_switches_on_anonymous_reading(store: str) -> None:
    """Test that the admin's toggle turns anonymous reading on for signed-out visitors."""
    at = app("boss", "admin").run()
    at.switch_page(str(ROOT / "pages" / "admin.py")).run()
    at.toggle(key="admin_anonymous").set_value(True)
    at.button(key="admin_save_settings").click().run()
    assert auth.anonymous_read(store)
    assert page_files(app().run()) == expected("viewer")


SSO_SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "test-only-not-a-secret",
        "client_id": "x",
        "client_secret": "y",
        "server_metadata_url": "https://idp.example.org/.well-known/openid-configuration",
    }
}


@pytest.mark.parametrize(
    ("email", "unknown", "role"),
    [
        ("Ed@Example.org", None, "editor"),
        ("stranger@example.org", None, None),
        ("stranger@example.org", "viewer", "viewer"),
    ],
    ids=["known", "unknown-refused", "unknown-viewer"],
)
def test_single_sign_on_maps_email_to_role(
    store: str, email: str, unknown: str | None, role: str | None
) -> None:
    """Test that an st.login user gets the role of the account with that e-mail, or as configured."""
    at = app()
    at.secrets.update(SSO_SECRETS)
    if unknown:
        at.secrets["accounts"] = {"sso_unknown_role": unknown}
    at.user = {"is_logged_in": True, "email": email, "name": "Someone"}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert page_files(at) == expected(role)


@pytest.mark.parametrize(
    "claims",
    [{"email": ""}, {"email": "ed@example.org", "email_verified": False}],
    ids=["no-email", "unverified"],
)
def test_single_sign_on_without_a_verified_email_is_refused(store: str, claims: dict) -> None:
    """Test that an st.login user without a verified e-mail gets no role."""
    at = app()
    at.secrets.update(SSO_SECRETS)
    at.secrets["accounts"] = {"sso_unknown_role": "viewer"}
    at.user = {"is_logged_in": True, "name": "Someone", **claims}
    at.run()
    assert page_files(at) == expected(None)


def test_synthetic_data_is_flagged_on_every_page(store: str) -> None:
    """Test that a warning names the data as synthetic once the store holds generated figures."""
    from lib.store.db import bump_data_version
    from lib.store.models import Org

    before = app("viv", "viewer").run()
    assert not any("合成" in w.value for w in before.warning)
    with session_scope(store) as s:
        s.add(
            Org(
                code="syn1",
                name_zh="某区（合成）",
                name_en="X",
                level="district",
                is_synthetic=True,
            )
        )
        bump_data_version(s)
    after = app("viv", "viewer").run()
    assert any("合成" in w.value for w in after.warning)


def test_every_page_is_registered_for_a_signed_out_visitor(store: str) -> None:
    """Test that a signed-out visitor's navigation registers every page (so no deep link is
    "page not found") while the menu shows only the sign-in page."""
    at = app().run()
    assert registered_files(at) == expected("admin")
    assert page_files(at) == {"login.py"}


def test_signed_out_deep_link_shows_the_sign_in_form_then_that_page(store: str) -> None:
    """Test that a signed-out visitor opening /targets?year=2023 gets the sign-in form there and,
    after signing in, the targets page with the same query parameters."""
    from streamlit.util import calc_hash

    at = app()
    at._page_hash = calc_hash("targets")
    at.query_params["year"] = "2023"
    at.run()
    assert at.text_input(key="login_username") is not None
    sign_in(at, "ed", PW)
    assert not at.exception
    assert [t.value for t in at.title][:1] == ["目标进度"]
    assert at.query_params["year"] in ("2023", ["2023"])


def test_viewer_at_the_upload_url_gets_a_needs_editor_page(store: str) -> None:
    """Test that a signed-in viewer at /upload gets a page naming the editor role it needs."""
    from streamlit.util import calc_hash

    at = app("viv")
    at._page_hash = calc_hash("upload")
    at.run()
    assert any("需要编辑者角色" in e.value for e in at.error)
    with pytest.raises(KeyError):
        at.get_by_key("upload_file")


def test_role_change_ends_a_password_session(store: str) -> None:
    """Test that changing the role of an account signed in with a password ends its session."""
    at = sign_in(app().run(), "ed", PW)
    assert page_files(at) == expected("editor")
    auth.set_role("ed", "viewer", store, "boss")
    at.run()
    assert page_files(at) == {"login.py"} and AUTH_KEY not in at.session_state
