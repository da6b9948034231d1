"""Routing only: page config, the page list for the signed-in user's role, the shared sidebar.

Signed out and anonymous reading off: the only page is the sign-in page."""

import streamlit as st

from lib import ui
from lib.ui import session
from lib.ui.navigation import existing, pages_for

st.set_page_config(page_title="工会指标看板 · Union KPI Board", page_icon="📊", layout="wide")
ui.boot(ui.database_url())
role = session.current_role()
specs = existing(pages_for(role, anonymous_read=role is None and session.anonymous_read()))
navigation = st.navigation(ui.make_pages(specs))
ui.sidebar()
session.sidebar_account()
navigation.run()
