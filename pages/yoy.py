"""Year-over-year page (年度对比): a category or chosen indicators for one or two orgs over
2021–2025 as grouped bars or lines, a table with 同比 per year (missing = "—"), CSV and PNG
downloads, and a quarterly drill-down (环比, 累计) where quarterly figures exist."""

import streamlit as st

from lib import ui
from lib.core import settings
from lib.core.catalog import CATEGORIES, category_name
from lib.dash import vega, views, yoy
from lib.store.export import csv_bytes
from lib.ui import chart_cache, session, tables

session.require_role("viewer")
lang = ui.lang()
metas = ui.indicator_meta()
names = ui.org_names()

st.title(ui.t("yoy.title"))
col_orgs, col_cat = st.columns([3, 2])
orgs = ui.orgs_picker("yoy_orgs", where=col_orgs)
category = ui.bound_select(
    ui.t("dash.category"),
    list(CATEGORIES),
    key="yoy_category",
    param="cat",
    default="org_building",
    format_func=lambda c: category_name(c, lang),
    where=col_cat,
)
figs = ui.figures(tuple(orgs))
ui.example_notice(tuple(orgs))
available = views.indicators_with_data(figs, metas, orgs, category)
chosen = ui.bound_multiselect(
    ui.t("dash.indicators"),
    available,
    key="yoy_indicators",
    param="ind",
    format_func=lambda c: metas[c].name(lang),
    help=ui.t("dash.indicators.help"),
    placeholder=ui.t("dash.indicators.all"),
)
mode = ui.bound_select(
    ui.t("yoy.chart"),
    ["bars", "lines"],
    key="yoy_mode",
    param="chart",
    default="bars",
    format_func=lambda m: ui.t(f"yoy.{m}"),
)
if not orgs:
    st.info(ui.t("yoy.pick"))
    st.stop()
indicators = chosen or available
latest = max((views.latest_year(figs, o) or 0 for o in orgs), default=0) or None
years = settings.year_span(latest)
rows = yoy.yoy_rows(figs, metas, orgs, indicators, years, names, lang)
if not indicators:
    st.info(ui.t("yoy.nothing"))
    st.stop()

st.caption(ui.t("yoy.png_hint"))
grid = st.columns(2)
for i, ind in enumerate(indicators):
    ind_rows = [r for r in rows if r.indicator == ind]
    with grid[i % 2]:
        title = metas[ind].name(lang)
        st.vega_lite_chart(
            spec=vega.yoy_spec(ind_rows, mode, lang, title=title),
            key=f"yoy_chart_{ind}",
            width="stretch",
            theme=None,
        )
        ui.png_button(
            lambda r=ind_rows, title=title: chart_cache.yoy_figure(r, mode, lang, title=title),
            f"yoy_{ind}",
            key=f"yoy_png_{ind}",
        )


def yoy_table(org_rows: list[yoy.YoyRow], key: str) -> None:
    """One org's year-over-year table: the org named above it (not on every row), value and
    同比 right-aligned, the note cut to a medium width; a click on a row shows all of it."""
    tables.show_table(
        yoy.yoy_table(org_rows, lang),
        key,
        hide=[ui.t("col.org")],
        right=[ui.t("col.value"), ui.t("col.yoy")],
        wide=[ui.t("col.note"), ui.t("col.period")],
        detail_label=ui.t("table.detail_hint"),
    )


st.subheader(ui.t("yoy.table"))
if len(orgs) == 2:
    side = st.columns(2)
    for col, org in zip(side, orgs, strict=True):
        with col:
            st.markdown(f"**{ui.literal(names.get(org, org))}**")
            yoy_table([r for r in rows if r.org == org], f"yoy_table_{org}")
else:
    st.markdown(f"**{ui.literal(names.get(orgs[0], orgs[0]))}**")
    yoy_table(rows, "yoy_table")
st.download_button(
    ui.t("yoy.csv"),
    csv_bytes(yoy.yoy_csv_frame(rows)),
    file_name=f"yoy_{'_'.join(orgs)}_{category}.csv",
    mime="text/csv",
    key="yoy_csv",
)

with st.expander(ui.t("yoy.quarterly")):
    series = yoy.series_with_quarters(figs, orgs, indicators)
    if not series:
        st.caption(ui.t("yoy.no_quarterly"))
    else:
        pick = st.selectbox(
            ui.t("dash.indicators"),
            series,
            format_func=lambda s: f"{names.get(s[0], s[0])} · {metas[s[1]].name(lang)}",
            key="yoy_quarter_series",
        )
        q_rows = yoy.quarterly_rows(figs, pick[0], pick[1], lang)
        q_title = metas[pick[1]].name(lang)
        st.vega_lite_chart(
            spec=vega.quarterly_spec(q_rows, lang, title=q_title),
            key="yoy_quarter_chart",
            width="stretch",
            theme=None,
        )
        ui.png_button(
            lambda: chart_cache.quarterly_figure(q_rows, lang, title=q_title),
            f"quarters_{pick[0]}_{pick[1]}",
            key="yoy_quarter_png",
        )
        quarterly = yoy.quarterly_table(q_rows, lang)
        tables.show_table(quarterly, "yoy_quarter_table", right=quarterly.columns[1:])
st.caption(ui.t("dash.share"))
