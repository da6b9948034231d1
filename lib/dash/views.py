"""The dashboards' shared view-model helpers (no streamlit), read through the one figure model
(lib.core.figures: which figure stands for an org × indicator × year × period, its 同比, a target's
judgement, how a number and a change print): indicator display facts, the figure set of an
observations frame, which years and indicators have figures, and an overview section's heading.

The view models themselves live beside it, one module per screen part, each with typed rows:
lib.dash.cards (KPI cards), lib.dash.yoy (year over year, quarterly drill-down), lib.dash.targets
(target rows) and lib.dash.sources ("where does this number come from"). Nothing here rolls up,
merges qualifiers, judges or phrases a change. Missing is never zero: absent figures are None and
show as "—".
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from lib.core import figures as fm
from lib.core.figures import FigureSet, IndicatorMeta, Period, obs_from_rows


def indicator_meta(obs_or_catalog: pl.DataFrame) -> dict[str, IndicatorMeta]:
    """Indicator display facts from an observations frame or the catalogue frame."""
    df = obs_or_catalog
    if "indicator_code" in df.columns:
        df = df.rename(
            {
                "indicator_code": "code",
                "indicator_name_zh": "name_zh",
                "indicator_name_en": "name_en",
            }
        )
    cols = ["code", "name_zh", "name_en", "category", "unit_zh", "unit_en", "kind", "rollup"]
    cols.append("direction")
    out: dict[str, IndicatorMeta] = {}
    for row in (
        df.select(cols)
        .unique(subset="code", keep="first", maintain_order=True)
        .iter_rows(named=True)
    ):
        out[row["code"]] = IndicatorMeta(**{k: row[k] or "" for k in cols})
    return out


def figures(obs: pl.DataFrame) -> FigureSet:
    """Every figure of an observations frame (lib.core.figures.FigureSet)."""
    return FigureSet(obs_from_rows(obs.iter_rows(named=True)), indicator_meta(obs))


def period_heading(period: Period) -> str:
    """The string key of an overview section's heading: full year, quarters to date (compared
    with the same quarters), a stock's date (a stock, not a campaign), or a sub-period."""
    return {
        fm.YEAR_KIND: "overview.full_year",
        fm.TO_DATE: "overview.to_date",
        fm.STOCK: "overview.stock_period",
    }.get(period.kind, "overview.sub_period")


def latest_year(figs: FigureSet, org: str) -> int | None:
    """The latest year with any figure for an org (None when it has none)."""
    years = figs.years(org)
    return years[-1] if years else None


def years_with_data(figs: FigureSet, org: str) -> list[int]:
    """The years with at least one figure for an org, ascending."""
    return figs.years(org)


def indicators_with_data(
    figs: FigureSet,
    metas: Mapping[str, IndicatorMeta],
    orgs: list[str],
    category: str | None,
) -> list[str]:
    """Indicator codes (catalogue order) of a category with any figure for the orgs."""
    have = {k.indicator for k in figs.keys() if k.org in orgs}
    return [c for c, m in metas.items() if c in have and (not category or m.category == category)]
