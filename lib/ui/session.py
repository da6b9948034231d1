"""Who is using this browser session and with which role (accounts live in lib.accounts.auth).

The signed-in user lives in st.session_state["auth_user"] = {"username": ..., "role": ..., "sid":
...}. A password sign-in starts a server-side session (lib.accounts.sessions: a row in the store)
and hands its one-time grant to the browser, which exchanges it at /_kpi/session for an HttpOnly
cookie; a reload, a new tab or a deep link finds the session again from that cookie
(st.context.cookies), on any app server. On every call the session row and the account are read
from the store again: sign-out, idle time, disable, role change and password reset delete the row,
which signs the user out at the next click everywhere. Single sign-on (st.login) keeps streamlit's
own identity cookie; the role is re-read from the store on every call.

Contract used by every page that writes: call `require_role("editor")` at the top of the page and
again right before the write; it stops the script (st.stop) with a clear message when the
signed-in user's role is lower.
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any

import streamlit as st

from lib.accounts import auth, proxies, sessions
from lib.accounts.web import COOKIE_NAME, SESSION_PATH
from lib.core import i18n
from lib.core.vocab import BEIJING
from lib.store.audit import AuditEvent
from lib.store.db import database_url
from lib.ui.navigation import role_allows

AUTH_KEY = "auth_user"
SEEN_KEY = "auth_last_seen"
NOTICE_KEY = "auth_notice"
SSO_OFF_KEY = "auth_sso_off"
GRANT_KEY = "auth_grant"
LOGIN_PAGE = "pages/login.py"


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
    """The browser's address ("" outside a session), through exactly the trusted proxies
    (KPI_TRUSTED_PROXIES, lib.accounts.proxies)."""
    try:
        remote = st.context.ip_address or "127.0.0.1"  # streamlit hides loopback peers
        forwarded = st.context.headers.get_all("X-Forwarded-For")
    except Exception:  # noqa: BLE001 - no script context (bare mode)
        return ""
    remote = remote if isinstance(remote, str) else "127.0.0.1"
    lines = (
        [f for f in forwarded or [] if isinstance(f, str)] if isinstance(forwarded, list) else []
    )
    return proxies.client_address(remote, lines)


def user_agent() -> str:
    """The browser's User-Agent header ("" when unknown)."""
    try:
        return str(st.context.headers.get("User-Agent") or "")[:300]
    except Exception:  # noqa: BLE001 - no script context
        return ""


def _cookie_session() -> int | None:
    """The session row named by this browser's sign-in cookie (None: no cookie or ended)."""
    try:
        token = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # noqa: BLE001 - no script context
        return None
    return sessions.by_token(str(token), database_url()) if token else None


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
    auth.record(
        AuditEvent.LOGIN, user["username"], f"sso {email}", client_address(), database_url()
    )
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


def _end(notice: str | None, action: AuditEvent | None) -> None:
    """Forget the session's user, leaving a notice for the sign-in page and an audit row."""
    user = st.session_state.get(AUTH_KEY) or {}
    for key in (AUTH_KEY, SEEN_KEY, GRANT_KEY):
        st.session_state.pop(key, None)
    st.session_state[SSO_OFF_KEY] = True  # an identity-provider cookie must not sign back in
    if notice:
        st.session_state[NOTICE_KEY] = notice
    if action and user.get("username"):
        auth.record(action, str(user["username"]), "", client_address(), database_url())


def _stored_session(user: dict[str, Any]) -> dict[str, Any] | None:
    """The user of a server-side session as the store has it now (None: ended or expired)."""
    check = sessions.check(int(user["sid"]), auth.idle_minutes(database_url()), database_url())
    if check.status != "ok" or check.user is None:
        name = check.user.username if check.user else user.get("username")
        st.session_state[AUTH_KEY] = {**user, "username": name}
        if check.status == "expired":
            _end("login.expired", AuditEvent.SESSION_EXPIRED)
        else:
            _end("login.ended", None)
        return None
    if check.claimed:
        st.session_state.pop(GRANT_KEY, None)
    fresh = {"username": check.user.username, "role": check.user.role, "sid": user["sid"]}
    st.session_state[AUTH_KEY] = fresh
    return fresh


def current_user() -> dict[str, Any] | None:
    """The signed-in user {"username", "role"} after the idle and store checks, or None."""
    user = st.session_state.get(AUTH_KEY)
    if not user:
        sid = _cookie_session()
        user = {"sid": sid} if sid is not None else _sso_user()
    if not user:
        return None
    if user.get("sid") is not None:
        return _stored_session(user)
    now = time.time()
    last = st.session_state.get(SEEN_KEY)
    if last is not None and now - float(last) > auth.idle_minutes(database_url()) * 60:
        st.session_state[AUTH_KEY] = user
        _end("login.expired", AuditEvent.SESSION_EXPIRED)
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


def sign_in(username: str, password: str, keep: bool = False) -> auth.LoginResult:
    """Check a password sign-in; on success start a server-side session (kept for 7 days when
    keep) and hold it in this tab; deliver_cookie() then hands it to the browser."""
    address = client_address()
    result = auth.authenticate(username, password, address, database_url())
    if result.ok and result.user is not None:
        sid, grant = sessions.start(
            result.user.username, address, user_agent(), keep, database_url()
        )
        st.session_state[AUTH_KEY] = {
            "username": result.user.username,
            "role": result.user.role,
            "sid": sid,
        }
        st.session_state[GRANT_KEY] = (grant, time.time())
        st.session_state.pop(SSO_OFF_KEY, None)
    return result


def deliver_cookie() -> None:
    """While this tab's new session has no cookie yet, let the page exchange its one-time grant
    for the HttpOnly cookie at /_kpi/session (the grant is random, single-use, 2 minutes)."""
    pending = st.session_state.get(GRANT_KEY)
    if not pending:
        return
    grant, issued = pending
    if time.time() - issued > sessions.GRANT_FOR.total_seconds():
        st.session_state.pop(GRANT_KEY, None)  # too old to claim: this tab stays signed in alone
        return
    body = json.dumps(str(grant))
    path = json.dumps(SESSION_PATH)
    script = (
        f"<script>fetch({path}, {{method: 'POST', body: {body}, credentials: 'same-origin',"
        " cache: 'no-store'})</script>"
    )
    with st.sidebar:
        st.html(script, unsafe_allow_javascript=True, width="content")


def sign_out() -> None:
    """End the session's sign-in everywhere (its row in the store) and the single-sign-on
    cookie when there is one."""
    user = st.session_state.get(AUTH_KEY) or {}
    if user.get("sid") is not None:
        sessions.end(int(user["sid"]), database_url())
    _end("login.signed_out", AuditEvent.LOGOUT)
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
    return (
        user is not None
        and bool(user)
        and auth.may_undo(user["role"], user["username"], batch_owner)
    )
