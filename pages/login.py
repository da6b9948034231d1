"""Sign-in page (登录): password or single sign-on; once signed in, the account page (账户) with
sign-out. Lockout, idle expiry and role checks live in lib.accounts.auth / lib.ui.session."""

import streamlit as st

from lib import ui
from lib.ui import session

user = session.current_user()
if user:
    st.title(ui.t("account.title"))
    st.write(ui.t("auth.signed_in_as", name=user["username"], role=ui.t(f"role.{user['role']}")))
    if st.button(ui.t("auth.sign_out"), key="login_sign_out", icon=":material/logout:"):
        session.sign_out()
        st.rerun()
    st.stop()

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
    submitted = st.form_submit_button(ui.t("login.submit"), key="login_submit", type="primary")

if submitted:
    result = session.sign_in(username, password)
    if result.ok:
        # Signed out, this page is the default one, served at the root (or at the URL of a page
        # the visitor could not open yet): the rerun opens the overview, or that page.
        st.rerun()
    elif result.status == "locked":
        st.error(ui.t("login.locked", until=session.local_time(result.locked_until)))
    elif result.status == "disabled":
        st.error(ui.t("login.disabled"))
    else:
        st.error(ui.t("login.invalid"))
        if result.locked_until is not None:
            st.warning(ui.t("login.now_locked"))
st.caption(ui.t("login.no_account"))
