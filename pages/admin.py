"""Administration page (系统管理, admins only): users and roles, the audit log (filter, download),
a backup download and the account settings (anonymous reading, idle time). Every action re-checks
the role on the server before it writes."""

from datetime import timedelta

import polars as pl
import streamlit as st

from lib import ui
from lib.accounts import auth, backup
from lib.store import export
from lib.store.audit import AuditEvent, event_label
from lib.store.db import is_sqlite
from lib.store.models import ROLES, utcnow
from lib.ui import session

session.require_role("admin")
url = ui.database_url()
me = session.current_username()


def role_name(role: str) -> str:
    """A role in the UI language."""
    return ui.t(f"role.{role}")


PENDING_KEY = "admin_pending_demotion"


def enabled_admins(users: pl.DataFrame) -> list[str]:
    """The usernames of the enabled administrators."""
    admins = users.filter((pl.col("role") == "admin") & ~pl.col("disabled"))
    return admins["username"].to_list()


def users_table(users: pl.DataFrame) -> pl.DataFrame:
    """The accounts as shown: no e-mail is blank (not "None"), roles in the UI language."""
    return users.with_columns(
        pl.col("email").fill_null(""),
        pl.col("role").replace_strict(
            {r: role_name(r) for r in ROLES}, default=pl.col("role"), return_dtype=pl.Utf8
        ),
    )


def confirm_demotion() -> None:
    """Ask before an administrator loses the admin role: apply it on 确认, drop it on 取消."""
    pending = st.session_state.get(PENDING_KEY)
    if not pending:
        return
    who, role = pending
    st.warning(ui.t("admin.confirm_demote", who=who, role=role_name(role)))
    yes, no = st.columns(2)
    if yes.button(ui.t("admin.confirm_yes"), key="admin_confirm_demote", type="primary"):
        del st.session_state[PENDING_KEY]
        act(f"{who} → {role_name(role)}", auth.set_role, who, role, url, me)
    elif no.button(ui.t("admin.confirm_no"), key="admin_cancel_demote"):
        del st.session_state[PENDING_KEY]
        st.rerun()


def act(what: str, fn, *args) -> None:  # noqa: ANN001
    """Re-check the admin role, run an account change, and report it."""
    session.require_role("admin")
    try:
        fn(*args)
    except auth.AuthError as exc:
        why = str(exc)
        if "last enabled admin" in why:
            why = ui.t("admin.last_admin_short")
        st.error(ui.t("admin.refused", why=why))
    else:
        st.success(ui.t("admin.done", what=what))


st.title(ui.t("admin.title"))
tab_users, tab_audit, tab_backup, tab_settings = st.tabs(
    [
        ui.t(k)
        for k in ("admin.tab_users", "admin.tab_audit", "admin.tab_backup", "admin.tab_settings")
    ]
)

with tab_users:
    st.subheader(ui.t("admin.add_user"))
    with st.form("admin_add_form", clear_on_submit=True):
        new_name = st.text_input(ui.t("admin.username"), key="admin_add_name", max_chars=64)
        new_email = st.text_input(ui.t("admin.email"), key="admin_add_email", max_chars=200)
        new_role = st.selectbox(
            ui.t("admin.role"), ROLES, format_func=role_name, key="admin_add_role"
        )
        pw1 = st.text_input(ui.t("admin.password"), type="password", key="admin_add_pw1")
        pw2 = st.text_input(ui.t("admin.password2"), type="password", key="admin_add_pw2")
        add = st.form_submit_button(ui.t("admin.add"), key="admin_add_submit")
    if add:
        if pw1 != pw2:
            st.error(ui.t("admin.passwords_differ"))
        else:
            act(new_name, auth.create_user, new_name, new_role, pw1, new_email or None, url, me)

    st.subheader(ui.t("admin.change_user"))
    users = auth.list_users(url)
    names = users["username"].to_list()
    if names:
        who = st.selectbox(ui.t("admin.user"), names, key="admin_change_user")
        current = dict(users.select("username", "role").iter_rows()).get(who, ROLES[0])
        admins = enabled_admins(users)
        cols = st.columns(4)
        # One picker per user, so it opens on that user's current role (never on 查看者 by default).
        role = cols[0].selectbox(
            ui.t("admin.new_role"),
            ROLES,
            index=ROLES.index(current) if current in ROLES else 0,
            format_func=role_name,
            key=ui.lang_key(f"admin_change_role_{who}"),  # its labels follow a language switch
        )
        if cols[1].button(ui.t("admin.set_role"), key="admin_set_role"):
            st.session_state.pop(PENDING_KEY, None)
            if role == current:
                st.info(ui.t("admin.role_unchanged", who=who, role=role_name(role)))
            elif current == "admin" and who in admins and len(admins) <= 1:
                st.error(ui.t("admin.last_admin", who=who))
            elif current == "admin":
                st.session_state[PENDING_KEY] = (who, role)
            else:
                act(f"{who} → {role_name(role)}", auth.set_role, who, role, url, me)
        if cols[2].button(ui.t("admin.disable"), key="admin_disable"):
            if current == "admin" and who in admins and len(admins) <= 1:
                st.error(ui.t("admin.last_admin", who=who))
            else:
                act(f"{who} ✕", auth.set_disabled, who, True, url, me)
        if cols[3].button(ui.t("admin.enable"), key="admin_enable"):
            act(f"{who} ✓", auth.set_disabled, who, False, url, me)
        confirm_demotion()
        with st.form("admin_password_form", clear_on_submit=True):
            npw = st.text_input(ui.t("admin.new_password"), type="password", key="admin_new_pw")
            reset = st.form_submit_button(ui.t("admin.reset_password"), key="admin_reset_submit")
        if reset:
            act(f"{who} ⚿", auth.set_password, who, npw, url, me)
    ui.show_frame(
        users_table(auth.list_users(url)),
        key="admin_users_table",
        column_config={
            "username": ui.t("admin.username"),
            "email": ui.t("admin.col_email"),
            "role": ui.t("admin.role"),
            "disabled": st.column_config.CheckboxColumn(ui.t("admin.col_disabled")),
            "has_password": st.column_config.CheckboxColumn(ui.t("admin.col_has_password")),
            "created_at": st.column_config.DatetimeColumn(
                ui.t("admin.col_created"), format="YYYY-MM-DD HH:mm", timezone=session.BEIJING.key
            ),
            "last_login_at": st.column_config.DatetimeColumn(
                ui.t("admin.col_last_login"),
                format="YYYY-MM-DD HH:mm",
                timezone=session.BEIJING.key,
            ),
        },
    )

with tab_audit:
    cols = st.columns([3, 2, 1, 2])
    actions = cols[0].multiselect(
        ui.t("admin.audit_actions"),
        list(AuditEvent),
        format_func=lambda event: event_label(event, ui.lang()),
        key=ui.lang_key("admin_audit_actions"),  # its labels follow a language switch
        placeholder=ui.t("admin.audit_all"),
    )
    user_filter = cols[1].text_input(ui.t("admin.audit_user"), key="admin_audit_user")
    days = cols[2].number_input(
        ui.t("admin.audit_days"), min_value=1, max_value=3650, value=30, key="admin_audit_days"
    )
    text_filter = cols[3].text_input(ui.t("admin.audit_text"), key="admin_audit_text")
    log = auth.audit_log(
        url,
        actions=tuple(actions) or None,
        username=user_filter or None,
        since=utcnow() - timedelta(days=int(days)),
        text=text_filter or None,
    )
    st.caption(ui.t("admin.audit_count", n=log.height))
    ui.show_frame(
        log,
        key="admin_audit_table",
        column_config={
            "at": st.column_config.DatetimeColumn(
                ui.t("admin.col_at"), format="YYYY-MM-DD HH:mm:ss", timezone=session.BEIJING.key
            ),
            "username": ui.t("admin.username"),
            "action": ui.t("admin.col_action"),
            "detail": ui.t("admin.col_detail"),
            "address": ui.t("admin.col_address"),
        },
    )
    st.download_button(
        ui.t("admin.audit_download"),
        data=export.csv_bytes(log),
        file_name="audit-log.csv",
        mime="text/csv",
        key="admin_audit_download",
        on_click="ignore",
    )

with tab_backup:
    if is_sqlite(url):
        st.caption(ui.t("admin.backup_note"))
        st.download_button(
            ui.t("admin.backup_download"),
            data=lambda: backup.backup_for_admin(me, url),
            file_name=backup.backup_file_name(),
            mime="application/vnd.sqlite3",
            key="admin_backup_download",
            on_click="ignore",
            icon=":material/download:",
        )
    else:
        st.info(ui.t("admin.backup_unavailable"))

with tab_settings:
    anon = st.toggle(
        ui.t("admin.anonymous"),
        value=auth.anonymous_read(url),
        help=ui.t("admin.anonymous_help"),
        key="admin_anonymous",
    )
    idle = st.number_input(
        ui.t("admin.idle"),
        min_value=1,
        max_value=1440,
        value=auth.idle_minutes(url),
        key="admin_idle",
    )
    if st.button(ui.t("admin.save"), key="admin_save_settings", type="primary"):
        session.require_role("admin")
        if anon != auth.anonymous_read(url):
            auth.put_setting(auth.ANON_KEY, "1" if anon else "0", url, me)
        if int(idle) != auth.idle_minutes(url):
            auth.put_setting(auth.IDLE_KEY, str(int(idle)), url, me)
        st.success(ui.t("admin.saved"))
