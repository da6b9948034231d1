"""Sources page (数据来源): answers "where does this number come from" for every figure on screen.

?org= and ?year= (from a dashboard's link) narrow the figure table to what that dashboard showed
(one org at a time, so a national store stays quick); ?fig=<ids> (from a card's hover link) shows
those figures first with source title, file, locator phrase, qualifier and period. Then every
source with its counts, the org's targets and the import batches."""

import streamlit as st

from lib import ui
from lib.dash import views
from lib.ui import session

session.require_role("viewer")
lang = ui.lang()
names = ui.org_names()

st.title(ui.t("sources.title"))
col_org, col_year = st.columns([3, 1])
org = ui.org_picker("sources_org", where=col_org)
obs = ui.observations((org,))
years = sorted({int(y) for y in obs.get_column("year").to_list()}, reverse=True)
year = ui.bound_select(
    ui.t("dash.year"),
    ["all", *years],
    key="sources_year",
    param="year",
    default="all",
    format_func=lambda y: ui.t("sources.all") if y == "all" else str(y),
    where=col_year,
)
picked = views.parse_ids(st.query_params.get("fig"))
if picked:
    st.subheader(ui.t("sources.this_figure"))
    for item in views.figure_details(views.filter_figures(obs, None, None, picked), lang):
        with st.container(border=True):
            st.markdown(f"**{ui.literal(item['title'])}** · {ui.literal(item['value'])}")
            for label, text in item["lines"]:
                shown = ui.literal(text)
                st.markdown(f"{label}：{shown}" if lang == "zh" else f"{label}: {shown}")

shown = views.filter_figures(obs, org, None if year == "all" else int(year))
if year != "all":
    st.subheader(ui.t("sources.on_screen", org=ui.literal(names.get(org, org)), year=year))
else:
    st.subheader(ui.t("sources.figures_of", org=ui.literal(names.get(org, org))))
ui.show_frame(views.figure_sources(shown, lang).drop("id"), key="sources_figures")

st.subheader(ui.t("sources.title"))
ui.show_frame(views.source_table(ui.sources(), lang), key="sources_table")
st.subheader(ui.t("sources.targets"))
ui.show_frame(views.target_sources(ui.targets((org,)), lang), key="sources_targets")
st.subheader(ui.t("sources.batches"))
ui.show_frame(ui.batches(), key="sources_batches")
