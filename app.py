"""Routing only: page config, every page registered (the menu shows those of the user's role),
the shared sidebar, and the gate: a signed-out visitor gets the sign-in form on the very URL they
opened (then that page, with its query parameters), a signed-in visitor without the role gets a
"needs the … role" page. Serve it with `streamlit run serve.py` (the sign-in cookie route)."""

import streamlit as st

from lib import ui
from lib.ui import login, session
from lib.ui.navigation import hidden_for, registered

st.set_page_config(page_title="工会指标看板 · Union KPI Board", page_icon="📊", layout="wide")
ui.boot(ui.database_url())
role = session.current_role()
anonymous = role is None and session.anonymous_read()
specs = registered(role)
hidden = hidden_for(role, anonymous)
pages = ui.make_pages(specs, hidden)
navigation = st.navigation(pages)
ui.sidebar()
session.sidebar_account()
session.deliver_cookie()
spec = next((s for s, p in zip(specs, pages, strict=False) if p is navigation), None)
if spec is None or spec.url_path not in hidden:
    navigation.run()
elif role is None:
    login.sign_in_form()
else:
    login.needs_role(ui.t(spec.title_key), spec.min_role, role)
