"""AppTest of the admin page's user tab: blank e-mails, roles in the UI language, a role picker
that opens on the user's current role, a confirmation before an administrator is demoted, and a
refusal (in the UI language) to demote or disable the last enabled administrator."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.accounts import auth
from lib.store import db
from lib.ui.session import AUTH_KEY

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "admin.py")


@pytest.fixture
def store(seeded_copy: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A seeded store with one admin (boss, no e-mail) and a viewer with an e-mail."""
    monkeypatch.setenv("DATABASE_URL", seeded_copy)
    auth.create_user("boss", "admin", None, None, seeded_copy)
    auth.create_user("viv", "viewer", None, "viv@example.org", seeded_copy)
    yield seeded_copy
    db.get_engine.cache_clear()


def admin_page(lang: str = "zh") -> AppTest:
    """The admin page run as boss, in a language."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[AUTH_KEY] = {"username": "boss", "role": "admin"}
    if lang == "en":
        at.query_params["lang"] = "en"
    return at.run()


def users_table(at: AppTest) -> dict[str, dict]:
    """The users table as shown, one dict per username."""
    frame = at.dataframe[0].value
    return {row["username"]: row for row in frame.to_dict(orient="records")}


def test_missing_email_is_blank_not_none(store: str) -> None:
    """Test that an account without an e-mail shows a blank cell, never "None"."""
    rows = users_table(admin_page())
    assert rows["boss"]["email"] == ""
    assert rows["viv"]["email"] == "viv@example.org"


def test_roles_show_in_chinese_in_the_chinese_ui(store: str) -> None:
    """Test that the users table names roles in Chinese in the zh UI."""
    rows = users_table(admin_page())
    assert (rows["boss"]["role"], rows["viv"]["role"]) == ("管理员", "查看者")


def test_roles_show_in_english_in_the_english_ui(store: str) -> None:
    """Test that the users table names roles in English in the en UI."""
    rows = users_table(admin_page("en"))
    assert (rows["boss"]["role"], rows["viv"]["role"]) == ("admin", "viewer")


def test_role_picker_opens_on_the_chosen_users_role(store: str) -> None:
    """Test that the role picker shows the selected user's current role (admin for an admin)."""
    at = admin_page()
    at.selectbox(key="admin_change_user").set_value("boss").run()
    assert at.selectbox(key="admin_change_role_boss").value == "admin"
    at.selectbox(key="admin_change_user").set_value("viv").run()
    assert at.selectbox(key="admin_change_role_viv").value == "viewer"


def test_demoting_an_admin_asks_first_and_cancel_keeps_the_role(store: str) -> None:
    """Test that demoting an administrator waits for a confirmation and 取消 changes nothing."""
    auth.create_user("deputy", "admin", None, None, store)
    at = admin_page()
    at.selectbox(key="admin_change_user").set_value("deputy").run()
    at.selectbox(key="admin_change_role_deputy").set_value("viewer").run()
    at.button(key="admin_set_role").click().run()
    assert auth.active_user("deputy", store).role == "admin"
    assert "确定把管理员 deputy 改为查看者吗" in at.warning[0].value
    at.button(key="admin_cancel_demote").click().run()
    assert auth.active_user("deputy", store).role == "admin"
    assert not at.warning


def test_confirmed_demotion_changes_the_role(store: str) -> None:
    """Test that confirming the demotion of one of two administrators makes it a viewer."""
    auth.create_user("deputy", "admin", None, None, store)
    at = admin_page()
    at.selectbox(key="admin_change_user").set_value("deputy").run()
    at.selectbox(key="admin_change_role_deputy").set_value("viewer").run()
    at.button(key="admin_set_role").click().run()
    at.button(key="admin_confirm_demote").click().run()
    assert auth.active_user("deputy", store).role == "viewer"
    assert at.success


def test_last_admin_cannot_be_demoted(store: str) -> None:
    """Test that demoting the only enabled administrator is refused in Chinese, role kept."""
    at = admin_page()
    at.selectbox(key="admin_change_user").set_value("boss").run()
    at.selectbox(key="admin_change_role_boss").set_value("editor").run()
    at.button(key="admin_set_role").click().run()
    assert "最后一位启用中的管理员" in at.error[0].value
    assert not at.warning
    assert auth.active_user("boss", store).role == "admin"


def test_last_admin_cannot_be_disabled(store: str) -> None:
    """Test that disabling the only enabled administrator is refused and the account stays."""
    at = admin_page()
    at.selectbox(key="admin_change_user").set_value("boss").run()
    at.button(key="admin_disable").click().run()
    assert "最后一位启用中的管理员" in at.error[0].value
    assert auth.active_user("boss", store) is not None
