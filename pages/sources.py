"""Sources page (数据来源): answers "where does this number come from" for every figure on screen.

?org= and ?year= (from a dashboard's link) narrow the figure table to what that dashboard showed
(one org at a time, so a national store stays quick); ?fig=<ids> (from a card's hover link) shows
those figures first with source title, file, locator phrase, qualifier and period. Then every
source with its counts, the org's targets and the import batches."""

import streamlit as st

from lib import ui
from lib.dash import sources
from lib.dash.tables import batch_table
from lib.ui import session, tables

session.require_role("viewer")
lang = ui.lang()
names = ui.org_names()

st.title(ui.t("sources.title"))
col_org, col_year = st.columns([3, 1])
org = ui.org_picker("sources_org", where=col_org)
obs = ui.observations((org,))
ui.example_notice((org,))
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
picked = sources.parse_ids(st.query_params.get("fig"))
if picked:
    st.subheader(ui.t("sources.this_figure"))
    for item in sources.figure_details(sources.filter_figures(obs, None, None, picked), lang):
        with st.container(border=True):
            st.markdown(f"**{ui.literal(item.title)}** · {ui.literal(item.value)}")
            for label, text in item.lines:
                shown = ui.literal(text)
                st.markdown(f"{label}：{shown}" if lang == "zh" else f"{label}: {shown}")

shown = sources.filter_figures(obs, org, None if year == "all" else int(year))
if year != "all":
    st.subheader(ui.t("sources.on_screen", org=ui.literal(names.get(org, org)), year=year))
else:
    st.subheader(ui.t("sources.figures_of", org=ui.literal(names.get(org, org))))
col = ui.t
# The org is in the heading above, so no column repeats it; the locator phrase (原文) comes right
# after the value, the long source title last; a click on a row shows all of it.
tables.show_table(
    sources.figure_sources(shown, lang, ui.example_batches_in((org,))).drop("id"),
    "sources_figures",
    order=[col(f"col.{c}") for c in ("indicator", "year", "period", "value", "locator")],
    hide=[col("col.org")],
    right=[col("col.value")],
    wide=[col("col.indicator"), col("col.locator"), col("col.source"), col("col.period")],
    detail_label=col("table.detail_hint"),
)

st.subheader(ui.t("sources.documents"))
tables.show_table(
    sources.source_table(ui.sources(), lang),
    "sources_table",
    right=[col("col.figures"), col("col.targets"), col("col.stations")],
)
st.subheader(ui.t("sources.targets"))
tables.show_table(
    sources.target_sources(ui.targets((org,)), lang),
    "sources_targets",
    order=[col(f"col.{c}") for c in ("indicator", "span", "target", "locator")],
    hide=[col("col.org")],
    right=[col("col.target")],
    wide=[col("col.indicator"), col("col.locator"), col("col.plan"), col("col.source")],
    detail_label=col("table.detail_hint"),
)
st.subheader(ui.t("sources.batches"))
tables.show_table(batch_table(ui.batches(), lang), "sources_batches")
