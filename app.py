"""Routing only: page config, the page list for the signed-in user's role, the shared sidebar."""

import streamlit as st

from lib import ui
from lib.navigation import pages_for
from lib.ui import session

st.set_page_config(page_title="工会指标看板 · Union KPI Board", page_icon="📊", layout="wide")
ui.boot(ui.database_url())
role = session.current_role()
navigation = st.navigation([ui.make_page(spec) for spec in pages_for(role)])
ui.sidebar()
navigation.run()
