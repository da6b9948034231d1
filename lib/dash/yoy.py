"""Year over year (no streamlit): one typed row per org × indicator × year × period with its value,
qualifier and 同比 as the figure model reads them (missing years None, shown "—"), the table and
CSV made from them, and the quarterly drill-down (each quarter with 累计, 环比 and 同比)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from lib.core.figures import YEAR, FigureSet, Period, change_text, reason_text, shown, sort_key
from lib.core.i18n import t
from lib.core.numbers import shown_scale
from lib.dash.views import IndicatorMeta


@dataclass(frozen=True)
class YoyRow:
    """One org × indicator × year × period of the year-over-year view (value None when missing)."""

    org: str
    org_name: str
    indicator: str
    indicator_name: str
    unit: str
    year: int
    period: str  # the period's code: "" for the full year
    period_label: str  # "" for the full year, else the period as it reads
    period_name: str  # always named: 全年, 1—3季度累计, the campaign's period …
    value: float | None
    qualifier: str | None
    value_text: str
    yoy_pct: float | None
    yoy_text: str
    yoy_note: str
    scale: int = 1  # value × scale is the number the texts read (万元 in yuan in English)


def yoy_row(
    figs: FigureSet,
    meta: IndicatorMeta,
    org: str,
    org_name: str,
    year: int,
    period: Period,
    lang: str,
) -> YoyRow:
    """The row of one org, indicator, year and period, read off the figure set."""
    cur = figs.get(org, meta.code, year, period)
    ch = figs.yoy(org, meta.code, year, period)
    return YoyRow(
        org=org,
        org_name=org_name,
        indicator=meta.code,
        indicator_name=meta.name(lang),
        unit=meta.unit_en if lang == "en" else meta.unit_zh,
        year=year,
        period=period.code,
        period_label="" if period.is_year else period.label(lang),
        period_name=period.label(lang),
        value=cur.value if cur else None,
        qualifier=cur.qualifier if cur else None,
        value_text=shown(cur, meta, lang),
        yoy_pct=ch.pct,
        yoy_text=change_text(ch, meta.kind, lang),
        yoy_note=reason_text(ch, lang) if cur else "",
        scale=shown_scale(meta.unit_zh, lang),
    )


def yoy_rows(
    figs: FigureSet,
    metas: Mapping[str, IndicatorMeta],
    orgs: list[str],
    indicators: list[str],
    years: tuple[int, ...],
    org_names: Mapping[str, str],
    lang: str,
) -> list[YoyRow]:
    """One row per org × indicator × year × period: value, label, 同比; missing years as None.

    Each org × indicator gets every year of the span for the full-year period; other periods
    appear only in the years they exist.
    """
    rows: list[YoyRow] = []
    all_keys = figs.keys()
    for ind in indicators:
        meta = metas.get(ind)
        if meta is None:
            continue
        for org in orgs:
            mine = [k for k in all_keys if (k.org, k.indicator) == (org, ind)]
            for period in sorted({k.period for k in mine} | {YEAR}, key=sort_key):
                span = (
                    years
                    if period.is_year
                    else tuple(sorted(k.year for k in mine if k.period == period))
                )
                name = org_names.get(org, org)
                rows += [yoy_row(figs, meta, org, name, y, period, lang) for y in span]
    return rows


YOY_COLUMNS = ("col.org", "col.indicator", "col.year", "col.period", "col.value", "col.yoy")


def yoy_table(rows: list[YoyRow], lang: str) -> pl.DataFrame:
    """The year-over-year table for display: labelled columns, "—" for missing."""
    cols = (*YOY_COLUMNS, "col.note")
    data = [
        (r.org_name, r.indicator_name, str(r.year), r.period_name, r.value_text, r.yoy_text)
        + (r.yoy_note,)
        for r in rows
    ]
    schema = {t(c, lang): pl.Utf8 for c in cols}
    return pl.DataFrame(data, schema=schema, orient="row")


CSV_SCHEMA = {
    "org_code": pl.Utf8,
    "org_name": pl.Utf8,
    "indicator_code": pl.Utf8,
    "indicator_name": pl.Utf8,
    "unit": pl.Utf8,
    "year": pl.Int64,
    "period_note": pl.Utf8,
    "period": pl.Utf8,
    "value": pl.Float64,
    "qualifier": pl.Utf8,
    "value_shown": pl.Utf8,
    "yoy_pct": pl.Float64,
    "yoy": pl.Utf8,
    "yoy_note": pl.Utf8,
}


def yoy_csv_frame(rows: list[YoyRow]) -> pl.DataFrame:
    """The year-over-year table for CSV: raw values (empty when missing), the value as shown,
    the named period and the 同比 as the dashboards read it."""
    data = [
        (r.org, r.org_name, r.indicator, r.indicator_name, r.unit, r.year, r.period)
        + (r.period_name, r.value, r.qualifier, r.value_text)
        + (None if r.yoy_pct is None else round(r.yoy_pct, 2), r.yoy_text, r.yoy_note)
        for r in rows
    ]
    return pl.DataFrame(data, schema=CSV_SCHEMA, orient="row")


@dataclass(frozen=True)
class QuarterRow:
    """One quarter of a series' drill-down: its own value, the running 累计, 环比 and 同比."""

    year: int
    quarter: int
    value: float | None
    value_text: str
    cumulative: float | None
    cumulative_text: str
    qoq_text: str
    yoy_text: str
    scale: int = 1  # value × scale is the number the texts read (万元 in yuan in English)


def quarterly_rows(figs: FigureSet, org: str, indicator: str, lang: str) -> list[QuarterRow]:
    """The quarterly drill-down of one series: each quarter with 累计 (qualifier kept), 环比, 同比."""
    meta = figs.indicators.get(indicator)
    if meta is None:
        return []
    rows: list[QuarterRow] = []
    for y in figs.quarter_years(org, indicator):
        own = [figs.quarter(org, indicator, y, n) for n in (1, 2, 3, 4)]
        for n in (1, 2, 3, 4):
            r = own[n - 1]
            if r is None and all(o is None for o in own[n - 1 :]):
                continue
            cum = figs.running(org, indicator, y, n)
            value_text = shown(r, meta, lang)
            qoq = figs.quarter_change(org, indicator, y, n, "quarter")
            yoy = figs.quarter_change(org, indicator, y, n, "year")
            rows.append(
                QuarterRow(
                    year=y,
                    quarter=n,
                    value=r.value if r else None,
                    value_text=value_text,
                    cumulative=cum.value if cum else None,
                    cumulative_text=shown(cum, meta, lang),
                    qoq_text=change_text(qoq, meta.kind, lang),
                    yoy_text=change_text(yoy, meta.kind, lang),
                    scale=shown_scale(meta.unit_zh, lang),
                )
            )
    return rows


def quarterly_table(rows: list[QuarterRow], lang: str) -> pl.DataFrame:
    """The quarterly drill-down for display."""
    cols = ("col.quarter", "col.value", "col.cumulative", "col.qoq", "col.yoy")
    data = [
        (
            t("period.quarter", lang, y=r.year, q=r.quarter),
            r.value_text,
            r.cumulative_text,
            r.qoq_text,
            r.yoy_text,
        )
        for r in rows
    ]
    return pl.DataFrame(data, schema={t(c, lang): pl.Utf8 for c in cols}, orient="row")


def series_with_quarters(
    figs: FigureSet, orgs: list[str], indicators: list[str]
) -> list[tuple[str, str]]:
    """The org × indicator series among a selection that have quarterly figures."""
    return sorted((o, c) for o in orgs for c in indicators if figs.quarter_years(o, c))
