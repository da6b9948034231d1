"""Targets page (目标进度): each target of a year with plan, actual, 完成率 bar and status
(已完成 / 进行中 / 滞后 / 无法判定 / 暂无完成数据, one per row from lib.core.figures), 序时进度 only
beside 进行中 / 滞后 where quarterly figures exist, and multi-year plans'
progress toward their end year. Org and year live in the URL."""

import streamlit as st

from lib import ui
from lib.core import settings
from lib.dash import targets, vega, views
from lib.ui import chart_cache, session, shared, tables

session.require_role("viewer")
ui.dashboard_css()
lang = ui.lang()
metas = ui.indicator_meta()


def target_table(rows: list[targets.TargetRow], key: str) -> None:
    """Targets as a table that fits: indicator, target, actual, 完成率 (tinted by status), status
    and 序时进度 first; the actual's basis, period and plan after them, cut to a medium width."""
    col = ui.t
    frame = tables.percent_text(targets.target_table(rows, lang), col("col.completion"))
    tables.show_table(
        frame,
        key,
        order=[col(f"col.{c}") for c in ("indicator", "target", "actual", "completion", "status")]
        + [col("col.time")],
        right=[col("col.target"), col("col.actual"), col("col.completion")],
        wide=[col("col.basis"), col("col.plan")],
        styler=tables.status_styler(frame, col("col.completion"), [r.status for r in rows]),
        detail_label=ui.t("table.detail_hint"),
    )


st.title(ui.t("targets.title"))
col_org, col_year = st.columns([3, 1])
org = ui.org_picker("targets_org", where=col_org)
figs = ui.figures((org,))
ui.example_notice((org,))
target_years = shared.target_years(org)
span = sorted(set(settings.year_span(views.latest_year(figs, org))) | set(target_years))
year = ui.year_picker(
    "targets_year", span, default=targets.default_target_year(target_years, span), where=col_year
)
org_name = ui.org_names().get(org, org)
annual, plans = shared.target_rows(org, year)

st.subheader(ui.t("targets.annual", year=year))
if not annual:
    st.info(ui.t("targets.none", org=ui.literal(org_name), year=year))
else:
    st.markdown(ui.t("targets.summary", **targets.status_counts(annual)))
    st.vega_lite_chart(
        spec=vega.completion_spec(annual, lang), key="targets_chart", width="stretch", theme=None
    )
    ui.png_button(
        lambda: chart_cache.completion_figure(annual, lang),
        f"targets_{org}_{year}",
        key="targets_png",
    )
    target_table(annual, "targets_table")
if plans:
    st.subheader(ui.t("targets.plans"))
    st.vega_lite_chart(
        spec=vega.completion_spec(plans, lang),
        key="targets_plans_chart",
        width="stretch",
        theme=None,
    )
    ui.png_button(
        lambda: chart_cache.completion_figure(plans, lang), f"plans_{org}", key="targets_plans_png"
    )
    target_table(plans, "targets_plans_table")
st.caption(ui.t("targets.rules"))
ui.sources_link({"org": org, "year": str(year)})
