"""Overview page (总览): headline strip and KPI cards by category for an org and year, with 同比,
sparklines and the source of every figure on hover. Org, year and category live in the URL."""

import streamlit as st

from lib import ui
from lib.core import settings
from lib.core.catalog import CATEGORIES, category_name
from lib.dash import cards, overview, targets, views
from lib.ui import session, shared

session.require_role("viewer")
ui.dashboard_css()
lang = ui.lang()
metas = ui.indicator_meta()

st.title(ui.t("overview.title"))
col_org, col_year, col_cat = st.columns([3, 1, 2])
org = ui.org_picker("overview_org", where=col_org)
figs = ui.figures((org,))
ui.example_notice((org,))
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
st.caption(ui.t("overview.caption", org=ui.literal(org_name), year=year))

st.subheader(ui.t("overview.headline"))
headline = cards.headline_cards(figs, metas, settings.headline(), org, year, lang)


def rows_of_year(y: int) -> list[targets.TargetRow]:
    """The org's annual targets due in a year (as targets.target_rows gives them)."""
    return shared.target_rows(org, y)[0]


first_year = min(shared.target_years(org) or [year])
strip, strip_note = overview.headline_strip(headline, rows_of_year, year, first_year, lang)
caption = ui.t("overview.full_year_of", year=year)
for i, (col, item) in enumerate(zip(st.columns(len(strip) or 1), strip, strict=False)):
    with col:
        ui.headline_card(item, caption, key=f"overview_head_{i}")
if strip_note:
    st.caption(ui.literal(strip_note))

sections = cards.overview_cards(figs, metas, org, year, lang)
year_cards = [c for by_cat in sections.values() for in_cat in by_cat.values() for c in in_cat]
annual_rows, plan_rows = shared.target_rows(org, year)
attention = overview.attention_items([*annual_rows, *plan_rows], year_cards, lang)
with st.container(border=True, key="overview_attention"):
    st.markdown(f"**{ui.t('overview.attention')}**")
    if attention:
        for item in attention:
            st.text(f"• {item.text}")
    else:
        st.caption(ui.t("overview.attn_none"))
if not sections:
    have = views.years_with_data(figs, org)
    st.info(
        ui.t(
            "overview.no_data_year",
            org=ui.literal(org_name),
            year=year,
            years="、".join(str(y) for y in have) or "—",
        )
    )
for period, by_category in sections.items():
    st.subheader(ui.t(views.period_heading(period), period=ui.literal(period.label(lang))))
    shown = {c: in_cat for c, in_cat in by_category.items() if category in ("all", c)}
    notes = {card.note for in_cat in shown.values() for card in in_cat if card.change == "—"}
    changes = {card.change for in_cat in shown.values() for card in in_cat}
    # When no card of the section compares, and all for the same reason, say it once.
    once = len(notes) == 1 and changes == {"—"}
    if once:
        st.caption(ui.literal(notes.pop()))
    for cat, cat_cards in shown.items():
        st.markdown(f"**{category_name(cat, lang)}**")
        per_row = 4
        for start in range(0, len(cat_cards), per_row):
            cols = st.columns(per_row)
            for j, card in enumerate(cat_cards[start : start + per_row]):
                with cols[j]:
                    ui.kpi_card(
                        card,
                        key=f"overview_{period.code}_{card.indicator}",
                        show_period=False,
                        show_note=not once,
                    )

ui.sources_link({"org": org, "year": str(year)})
st.caption(ui.t("dash.share"))
