"""The sign-in form (password, single sign-on, "keep me signed in") and the account box; shown by
pages/login.py and, on any page's own URL, by app.py for a signed-out visitor, so that after
signing in the visitor is on the page (and query parameters) the link named."""

from __future__ import annotations

import streamlit as st

from lib import ui
from lib.ui import session


def account_box(user: dict) -> None:
    """The signed-in user's account: who, which role, and a sign-out button."""
    st.title(ui.t("account.title"))
    st.write(ui.t("auth.signed_in_as", name=user["username"], role=ui.t(f"role.{user['role']}")))
    if st.button(ui.t("auth.sign_out"), key="login_sign_out", icon=":material/logout:"):
        session.sign_out()
        st.rerun()


def sign_in_form() -> None:
    """The sign-in form; on success the same URL runs again, now signed in."""
    st.title(ui.t("login.title"))
    notice = session.pop_notice()
    if notice:
        st.info(ui.t(notice))
    if session.anonymous_read():
        st.caption(ui.t("login.anonymous_note"))
    if session.sso_configured():
        if st.button(ui.t("login.sso"), key="login_sso", icon=":material/key:", type="primary"):
            st.session_state.pop(session.SSO_OFF_KEY, None)
            st.login()
        st.caption(ui.t("login.or"))

    with st.form("login_form", clear_on_submit=True):
        username = st.text_input(ui.t("login.username"), key="login_username", max_chars=100)
        password = st.text_input(
            ui.t("login.password"), key="login_password", type="password", max_chars=200
        )
        keep = st.checkbox(ui.t("login.keep"), key="login_keep", value=False)
        submitted = st.form_submit_button(ui.t("login.submit"), key="login_submit", type="primary")

    if submitted:
        result = session.sign_in(username, password, keep=bool(keep))
        if result.ok:
            st.rerun()  # the same URL again: the page the visitor asked for, signed in
        elif result.status == "locked":
            st.error(ui.t("login.locked", until=session.local_time(result.locked_until)))
        elif result.status == "disabled":
            st.error(ui.t("login.disabled"))
        else:
            st.error(ui.t("login.invalid"))
            if result.locked_until is not None:
                st.warning(ui.t("login.now_locked"))
    st.caption(ui.t("login.no_account"))


def needs_role(page_title: str, min_role: str, role: str) -> None:
    """The page a signed-in visitor gets for a page above their role (no redirect)."""
    st.title(ui.t("auth.needs_role_title"))
    st.error(
        ui.t(
            "auth.needs_role",
            page=page_title,
            role=ui.t(f"role.{min_role}"),
            current=ui.t(f"role.{role}"),
        ),
        icon=":material/lock:",
    )
