"""Overview page (总览): headline strip and KPI cards by category for an org and year, with 同比,
sparklines and the source of every figure on hover. Org, year and category live in the URL."""

import streamlit as st

from lib import ui
from lib.core import settings
from lib.core.catalog import CATEGORIES, category_name
from lib.dash import views
from lib.ui import session

session.require_role("viewer")
ui.dashboard_css()
lang = ui.lang()
metas = ui.indicator_meta()

st.title(ui.t("overview.title"))
col_org, col_year, col_cat = st.columns([3, 1, 2])
org = ui.org_picker("overview_org", where=col_org)
figs = ui.figures((org,))
latest = views.latest_year(figs, org)
span = list(settings.year_span(latest))
year = ui.year_picker("overview_year", span, default=latest or span[-1], where=col_year)
category = ui.bound_select(
    ui.t("dash.category"),
    ["all", *CATEGORIES],
    key="overview_category",
    param="cat",
    default="all",
    format_func=lambda c: ui.t("dash.all_categories") if c == "all" else category_name(c, lang),
    where=col_cat,
)
org_name = ui.org_names().get(org, org)
st.caption(ui.t("overview.caption", org=org_name, year=year))

st.subheader(ui.t("overview.headline"))
headline = views.headline_cards(figs, metas, settings.headline(), org, year, lang)
for i, (col, card) in enumerate(zip(st.columns(len(headline) or 1), headline, strict=False)):
    with col:
        ui.kpi_card(card, key=f"overview_head_{i}")

sections = views.overview_cards(figs, metas, org, year, lang)
if not sections:
    have = views.years_with_data(figs, org)
    st.info(
        ui.t(
            "overview.no_data_year",
            org=org_name,
            year=year,
            years="、".join(str(y) for y in have) or "—",
        )
    )
for period, by_category in sections.items():
    st.subheader(ui.t(views.period_heading(period), period=period.label(lang)))
    for cat, cards in by_category.items():
        if category != "all" and cat != category:
            continue
        st.markdown(f"**{category_name(cat, lang)}**")
        per_row = 4
        for start in range(0, len(cards), per_row):
            cols = st.columns(per_row)
            for j, card in enumerate(cards[start : start + per_row]):
                with cols[j]:
                    ui.kpi_card(card, key=f"overview_{period.code}_{card.indicator}")

ui.sources_link({"org": org, "year": str(year)})
st.caption(ui.t("dash.share"))
