"""Who is using this browser session and with which role (accounts live in lib.accounts.auth).

The signed-in user lives in st.session_state["auth_user"] = {"username": ..., "role": ...}. Only
sign_in() (password) and the single-sign-on mapping (st.login) set it. On every call it is checked
against the store again: the account must exist and be enabled, and the role is the role stored
now, so a role change or a disable takes effect on the user's next click. A session also ends
after the idle time (lib.accounts.auth.idle_minutes) and on sign-out.

Contract used by every page that writes: call `require_role("editor")` at the top of the page and
again right before the write; it stops the script (st.stop) with a clear message when the
signed-in user's role is lower.
"""

from __future__ import annotations

import os
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import streamlit as st

from lib.accounts import auth
from lib.core import i18n
from lib.store.db import database_url
from lib.ui.navigation import role_allows

AUTH_KEY = "auth_user"
SEEN_KEY = "auth_last_seen"
NOTICE_KEY = "auth_notice"
SSO_OFF_KEY = "auth_sso_off"
LOGIN_PAGE = "pages/login.py"
BEIJING = ZoneInfo("Asia/Shanghai")
TRUSTED_PROXY_ENV = "KPI_TRUSTED_PROXY"


def _t(key: str, **fmt: object) -> str:
    """A string in the URL's language (no import of lib.ui: it imports this module's users)."""
    return i18n.t(key, i18n.norm_lang(st.query_params.get("lang")), **fmt)


def _accounts_secret(name: str) -> str | None:
    """A value from the [accounts] section of .streamlit/secrets.toml, None when absent."""
    try:
        section = st.secrets.get("accounts")
        value = section.get(name) if section is not None else None
    except Exception:  # noqa: BLE001 - no secrets file at all
        return None
    return None if value is None else str(value)


def sso_configured() -> bool:
    """Whether single sign-on ([auth] in secrets.toml) is configured."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def client_address() -> str:
    """The browser's address ("" when unknown). Behind a reverse proxy set KPI_TRUSTED_PROXY=1
    to take the first X-Forwarded-For address instead of the proxy's own."""
    try:
        if os.environ.get(TRUSTED_PROXY_ENV, "").lower() in {"1", "true", "yes"}:
            forwarded = st.context.headers.get("X-Forwarded-For") or ""
            if isinstance(forwarded, str) and forwarded.split(",")[0].strip():
                return forwarded.split(",")[0].strip()[:100]
        value = st.context.ip_address
    except Exception:  # noqa: BLE001 - no script context (bare mode)
        return ""
    return value if isinstance(value, str) else ""


def _sso_user() -> dict[str, Any] | None:
    """The session user from st.user (OIDC), mapped to a role by e-mail; None if none applies."""
    if st.session_state.get(SSO_OFF_KEY) or not sso_configured():
        return None
    try:
        if not st.user.is_logged_in:
            return None
        email = str(st.user.get("email") or "").strip()
        verified = st.user.get("email_verified")
    except Exception:  # noqa: BLE001 - st.user unavailable
        return None
    if not email or verified is False:
        return None
    info = auth.user_by_email(email, database_url())
    if info is not None:
        if info.disabled:
            return None
        user = {"username": info.username, "role": info.role, "sso": email}
    else:
        role = auth.sso_unknown_role(_accounts_secret("sso_unknown_role"))
        if role is None:
            st.session_state[NOTICE_KEY] = "login.sso_unknown"
            return None
        user = {"username": email.lower(), "role": role, "sso": email}
    auth.record("login", user["username"], f"sso {email}", client_address(), database_url())
    return user


def _revalidate(user: dict[str, Any]) -> dict[str, Any] | None:
    """The session user as the store knows it now (None: gone, disabled or not mapped)."""
    url = database_url()
    if user.get("sso"):
        info = auth.user_by_email(str(user["sso"]), url)
        if info is None:
            role = auth.sso_unknown_role(_accounts_secret("sso_unknown_role"))
            return {**user, "role": role} if role else None
        if info.disabled:
            return None
        return {"username": info.username, "role": info.role, "sso": user["sso"]}
    info = auth.active_user(str(user.get("username") or ""), url)
    if info is None or user.get("stamp", info.stamp) != info.stamp:
        return None  # gone, disabled, or the password changed since this sign-in
    fresh = {"username": info.username, "role": info.role}
    return {**fresh, "stamp": info.stamp} if "stamp" in user else fresh


def _end(notice: str | None, action: str | None) -> None:
    """Forget the session's user, leaving a notice for the sign-in page and an audit row."""
    user = st.session_state.get(AUTH_KEY) or {}
    for key in (AUTH_KEY, SEEN_KEY):
        st.session_state.pop(key, None)
    st.session_state[SSO_OFF_KEY] = True  # an identity-provider cookie must not sign back in
    if notice:
        st.session_state[NOTICE_KEY] = notice
    if action and user.get("username"):
        auth.record(action, str(user["username"]), "", client_address(), database_url())


def current_user() -> dict[str, Any] | None:
    """The signed-in user {"username", "role"} after the idle and store checks, or None."""
    user = st.session_state.get(AUTH_KEY) or _sso_user()
    if not user:
        return None
    now = time.time()
    last = st.session_state.get(SEEN_KEY)
    if last is not None and now - float(last) > auth.idle_minutes(database_url()) * 60:
        st.session_state[AUTH_KEY] = user
        _end("login.expired", "session_expired")
        return None
    fresh = _revalidate(user)
    if fresh is None:
        st.session_state[AUTH_KEY] = user
        _end("login.revoked", None)
        return None
    st.session_state[AUTH_KEY] = fresh
    st.session_state[SEEN_KEY] = now
    return fresh


def current_role() -> str | None:
    """The role of this session's user (None when nobody is signed in)."""
    user = current_user()
    return str(user["role"]) if user else None


def current_username() -> str:
    """The signed-in user's name ("" when nobody is signed in)."""
    user = current_user()
    return str(user["username"]) if user else ""


def anonymous_read() -> bool:
    """Whether dashboards are readable without signing in (admin setting; off by default)."""
    return auth.anonymous_read(database_url())


def require_role(min_role: str) -> None:
    """Stop the page with a refusal unless the session's user has at least min_role.

    Dashboards (min_role viewer) also pass for nobody signed in when anonymous reading is on;
    upload and admin always need an account."""
    role = current_role()
    if role_allows(role, min_role):
        return
    if role is None and min_role == "viewer" and anonymous_read():
        return
    st.error(_t("auth.refused"))
    st.stop()


def sign_in(username: str, password: str) -> auth.LoginResult:
    """Check a password sign-in; on success the session holds the user."""
    result = auth.authenticate(username, password, client_address(), database_url())
    if result.ok and result.user is not None:
        st.session_state[AUTH_KEY] = {
            "username": result.user.username,
            "role": result.user.role,
            "stamp": result.user.stamp,
        }
        st.session_state[SEEN_KEY] = time.time()
        st.session_state.pop(SSO_OFF_KEY, None)
    return result


def sign_out() -> None:
    """End the session's sign-in (and the single-sign-on cookie when there is one)."""
    user = st.session_state.get(AUTH_KEY) or {}
    _end("login.signed_out", "logout")
    if user.get("sso"):
        st.logout()


def pop_notice() -> str | None:
    """The string key of a notice left for the sign-in page (expired, signed out …), once."""
    return st.session_state.pop(NOTICE_KEY, None)


def sidebar_account() -> None:
    """The sidebar's account line: who is signed in, and a sign-out button."""
    user = st.session_state.get(AUTH_KEY)
    if not user:
        return
    with st.sidebar:
        st.caption(_t("auth.signed_in_as", name=user["username"], role=_t(f"role.{user['role']}")))
        if st.button(_t("auth.sign_out"), key="sidebar_sign_out", icon=":material/logout:"):
            sign_out()
            st.switch_page(LOGIN_PAGE)


def local_time(at: datetime | None) -> str:
    """A time as HH:MM in Beijing time ("" for None)."""
    return at.astimezone(BEIJING).strftime("%H:%M") if at else ""


def may_undo(batch_owner: str) -> bool:
    """Whether the signed-in user may undo a batch uploaded by batch_owner (checked in the store
    now): admins any batch, editors their own."""
    user = current_user()
    return bool(user) and auth.may_undo(user["role"], user["username"], batch_owner)
