"""Sources page (数据来源): every source with how many figures it supplies, and every figure's origin."""

import streamlit as st

from lib import ui
from lib.views import source_table

st.title(ui.t("sources.title"))
src = ui.sources()
ui.show_frame(source_table(src, ui.lang()), key="sources_table")
st.subheader(ui.t("sources.figures"))
ui.show_frame(ui.observations(), key="sources_figures")
st.subheader(ui.t("sources.batches"))
ui.show_frame(ui.batches(), key="sources_batches")
