"""Frame shaping for display: turns query frames into what a page shows (no streamlit).

Owns the dashboards' view models, read through the one figure model (lib.core.figures: which
figure stands for an org × indicator × year × period, its 同比, a target's judgement, how a number
and a change print): KPI cards with their sparkline, the year-over-year table and its CSV, the
quarterly drill-down, target rows and the "where does this number come from" table. Nothing here
rolls up, merges qualifiers, judges or phrases a change. Missing is never zero: absent figures are None
and show as "—".
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from lib.core import figures as fm
from lib.core.catalog import CATEGORIES, data_label
from lib.core.escape import md_literal
from lib.core.figures import (
    Figure,
    FigureSet,
    Period,
    bound_text,
    change_text,
    change_tone,
    obs_from_rows,
    reason_text,
    shown,
    sort_key,
)
from lib.core.i18n import t
from lib.core.judgement import (
    STATUSES,
    Judgement,
    basis_text,
    judge,
    judge_plan,
    ratio_text,
    status_text,
    time_text,
)
from lib.core.numbers import DASH, format_value
from lib.core.settings import year_span

YEAR = fm.YEAR
IndicatorMeta = fm.Indicator


def source_table(sources: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Sources with their title, file and counts, labelled in a language."""
    title = "title_zh" if lang == "zh" else "title_en"
    return sources.select(
        pl.col(title).alias(t("col.source", lang)),
        pl.col("file").alias(t("col.file", lang)),
        pl.col("n_observations").alias(t("col.figures", lang)),
        pl.col("n_targets").alias(t("col.targets", lang)),
        pl.col("n_stations").alias(t("col.stations", lang)),
    )


# --- figures: read through lib.core.figures -------------------------------------------------------


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


def period_label(period: Period, lang: str) -> str:
    """How a period reads, always named: 全年, 一季度, 1—3季度累计, or the period's note."""
    return period.label(lang)


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


# --- KPI cards -----------------------------------------------------------------------------------


@dataclass
class Card:
    """One KPI card of the overview."""

    indicator: str
    name: str
    category: str
    value_text: str
    change: str  # "+13.2%" or "—"
    tone: str  # good | bad | flat | none
    note: str  # reason the change is missing, or what its bound means
    period: str  # period label, always named (全年, 1—3季度累计 …)
    spark_years: list[int] = field(default_factory=list)
    spark_values: list[float | None] = field(default_factory=list)
    source_help: str = ""
    obs_ids: tuple[int, ...] = ()


def source_help(fig: Figure, lang: str) -> str:
    """The hover text saying where a figure comes from."""
    parts = [
        f"{t('src.source', lang)}: {md_literal(fig.source_title)}",
        f"{t('src.file', lang)}: {md_literal(fig.source_file or DASH)}",
        f"{t('src.locator', lang)}: “{md_literal(fig.locator)}”",
        f"{t('src.qualifier', lang)}: {t('qualifier.' + fig.qualifier, lang)}",
        f"{t('src.period', lang)}: {md_literal(fig.key.period.label(lang))}",
    ]
    ids = ",".join(str(i) for i in fig.obs_ids)
    suffix = "&lang=en" if lang == "en" else ""
    query = f"fig={ids}&org={fig.key.org}&year={fig.key.year}{suffix}"
    parts.append(f"[{t('dash.sources_link', lang)} →](sources?{query})")
    return "  \n".join(parts)


def make_card(
    figs: FigureSet,
    meta: IndicatorMeta,
    org: str,
    year: int,
    period: Period,
    lang: str,
    years: tuple[int, ...],
) -> Card:
    """The card of one indicator for an org, year and period (value "—" when missing)."""
    cur = figs.get(org, meta.code, year, period)
    ch = figs.yoy(org, meta.code, year, period)
    spark = [figs.get(org, meta.code, y, period) for y in years]
    note = reason_text(ch, lang) or bound_text(ch, lang)
    if cur is None:
        other = [p for p in figs.periods(org, meta.code, year) if p != period]
        note = (
            t("reason.only_other_period", lang, period=other[0].label(lang))
            if other
            else t("reason.no_current", lang)
        )
    return Card(
        indicator=meta.code,
        name=meta.name(lang),
        category=meta.category,
        value_text=shown(cur, meta, lang),
        change=change_text(ch, meta.kind, lang),
        tone=change_tone(ch, meta.direction),
        note=note,
        period=period.label(lang),
        spark_years=list(years),
        spark_values=[f.value if f else None for f in spark],
        source_help=source_help(cur, lang) if cur else "",
        obs_ids=cur.obs_ids if cur else (),
    )


def overview_cards(
    figs: FigureSet,
    metas: Mapping[str, IndicatorMeta],
    org: str,
    year: int,
    lang: str,
) -> dict[Period, dict[str, list[Card]]]:
    """Cards of an org's year grouped as {period: {category: [cards]}}, full year first."""
    years = year_span(latest_year(figs, org))
    keys = [k for k in figs.keys() if k.org == org and k.year == year and k.indicator in metas]
    periods = sorted({k.period for k in keys}, key=sort_key)
    order = {code: i for i, code in enumerate(metas)}
    out: dict[Period, dict[str, list[Card]]] = {}
    for period in periods:
        codes = sorted({k.indicator for k in keys if k.period == period}, key=lambda c: order[c])
        by_cat: dict[str, list[Card]] = {}
        for cat in CATEGORIES:
            cards = [
                make_card(figs, metas[c], org, year, period, lang, years)
                for c in codes
                if metas[c].category == cat
            ]
            if cards:
                by_cat[cat] = cards
        out[period] = by_cat
    return out


def headline_cards(
    figs: FigureSet,
    metas: Mapping[str, IndicatorMeta],
    codes: tuple[str, ...],
    org: str,
    year: int,
    lang: str,
) -> list[Card]:
    """The headline strip: full-year cards of the configured indicators, "—" when missing."""
    years = year_span(latest_year(figs, org))
    return [make_card(figs, metas[c], org, year, YEAR, lang, years) for c in codes if c in metas]


# --- year over year ------------------------------------------------------------------------------


def yoy_rows(
    figs: FigureSet,
    metas: Mapping[str, IndicatorMeta],
    orgs: list[str],
    indicators: list[str],
    years: tuple[int, ...],
    org_names: Mapping[str, str],
    lang: str,
) -> list[dict]:
    """One row per org × indicator × year × period: value, label, 同比; missing years as None.

    Each org × indicator gets every year of the span for the full-year period; other periods
    appear only in the years they exist.
    """
    rows: list[dict] = []
    all_keys = figs.keys()
    for ind in indicators:
        meta = metas.get(ind)
        if meta is None:
            continue
        for org in orgs:
            mine = [k for k in all_keys if (k.org, k.indicator) == (org, ind)]
            periods = sorted({k.period for k in mine} | {YEAR}, key=sort_key)
            for period in periods:
                span = (
                    years
                    if period.is_year
                    else tuple(sorted(k.year for k in mine if k.period == period))
                )
                for y in span:
                    cur = figs.get(org, ind, y, period)
                    ch = figs.yoy(org, ind, y, period)
                    rows.append(
                        {
                            "org": org,
                            "org_name": org_names.get(org, org),
                            "indicator": ind,
                            "indicator_name": meta.name(lang),
                            "unit": meta.unit_en if lang == "en" else meta.unit_zh,
                            "year": y,
                            "period": period.code,
                            "period_label": "" if period.is_year else period.label(lang),
                            "period_name": period.label(lang),
                            "value": cur.value if cur else None,
                            "qualifier": cur.qualifier if cur else None,
                            "value_text": shown(cur, meta, lang),
                            "yoy_pct": ch.pct,
                            "yoy_text": change_text(ch, meta.kind, lang),
                            "yoy_note": reason_text(ch, lang) if cur else "",
                        }
                    )
    return rows


def yoy_table(rows: list[dict], lang: str) -> pl.DataFrame:
    """The year-over-year table for display: labelled columns, "—" for missing."""
    return pl.DataFrame(
        {
            t("col.org", lang): [r["org_name"] for r in rows],
            t("col.indicator", lang): [r["indicator_name"] for r in rows],
            t("col.year", lang): [str(r["year"]) for r in rows],
            t("col.period", lang): [r["period_name"] for r in rows],
            t("col.value", lang): [r["value_text"] for r in rows],
            t("col.yoy", lang): [r["yoy_text"] for r in rows],
            t("col.note", lang): [r["yoy_note"] for r in rows],
        },
        schema={
            t(c, lang): pl.Utf8
            for c in (
                "col.org",
                "col.indicator",
                "col.year",
                "col.period",
                "col.value",
                "col.yoy",
                "col.note",
            )
        },
    )


def yoy_csv_frame(rows: list[dict]) -> pl.DataFrame:
    """The year-over-year table for CSV: raw values (empty when missing), the value as shown,
    the named period and the 同比 as the dashboards read it."""
    return pl.DataFrame(
        {
            "org_code": [r["org"] for r in rows],
            "org_name": [r["org_name"] for r in rows],
            "indicator_code": [r["indicator"] for r in rows],
            "indicator_name": [r["indicator_name"] for r in rows],
            "unit": [r["unit"] for r in rows],
            "year": [r["year"] for r in rows],
            "period_note": [r["period"] for r in rows],
            "period": [r["period_name"] for r in rows],
            "value": [r["value"] for r in rows],
            "qualifier": [r["qualifier"] for r in rows],
            "value_shown": [r["value_text"] for r in rows],
            "yoy_pct": [None if r["yoy_pct"] is None else round(r["yoy_pct"], 2) for r in rows],
            "yoy": [r["yoy_text"] for r in rows],
            "yoy_note": [r["yoy_note"] for r in rows],
        },
        schema={
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
        },
    )


def quarterly_rows(figs: FigureSet, org: str, indicator: str, lang: str) -> list[dict]:
    """The quarterly drill-down of one series: each quarter with 累计 (qualifier kept), 环比, 同比."""
    meta = figs.indicators.get(indicator)
    if meta is None:
        return []
    rows: list[dict] = []
    for y in figs.quarter_years(org, indicator):
        own = [figs.quarter(org, indicator, y, n) for n in (1, 2, 3, 4)]
        for n in (1, 2, 3, 4):
            r = own[n - 1]
            if r is None and all(o is None for o in own[n - 1 :]):
                continue
            cum = figs.running(org, indicator, y, n)
            rows.append(
                {
                    "year": y,
                    "quarter": n,
                    "value": r.value if r else None,
                    "value_text": format_value(
                        r.value,
                        r.qualifier,  # type: ignore[arg-type]
                        meta.unit_zh,
                        meta.unit_en,
                        lang,
                    )
                    if r
                    else DASH,
                    "cumulative": cum.value if cum else None,
                    "cumulative_text": shown(cum, meta, lang),
                    "qoq_text": change_text(
                        figs.quarter_change(org, indicator, y, n, "quarter"), meta.kind, lang
                    ),
                    "yoy_text": change_text(
                        figs.quarter_change(org, indicator, y, n, "year"), meta.kind, lang
                    ),
                }
            )
    return rows


def quarterly_table(rows: list[dict], lang: str) -> pl.DataFrame:
    """The quarterly drill-down for display."""
    cols = ("col.quarter", "col.value", "col.cumulative", "col.qoq", "col.yoy")
    return pl.DataFrame(
        {
            t("col.quarter", lang): [
                t("period.quarter", lang, y=r["year"], q=r["quarter"]) for r in rows
            ],
            t("col.value", lang): [r["value_text"] for r in rows],
            t("col.cumulative", lang): [r["cumulative_text"] for r in rows],
            t("col.qoq", lang): [r["qoq_text"] for r in rows],
            t("col.yoy", lang): [r["yoy_text"] for r in rows],
        },
        schema={t(c, lang): pl.Utf8 for c in cols},
    )


def series_with_quarters(
    figs: FigureSet, orgs: list[str], indicators: list[str]
) -> list[tuple[str, str]]:
    """The org × indicator series among a selection that have quarterly figures."""
    return sorted((o, c) for o in orgs for c in indicators if figs.quarter_years(o, c))


# --- targets -------------------------------------------------------------------------------------


@dataclass
class TargetRow:
    """One target with its actual, completion, one status and 序时进度 where it adds to it."""

    target_id: int
    indicator: str
    name: str
    plan: str
    span: str  # "2023" or "2025—2027"
    target_text: str
    actual_text: str
    actual_basis: str  # what the actual is: 全年, 1—3季度累计, campaign period, plan to date …
    completion: float | None
    completion_text: str
    status: str
    status_text: str
    time_share: float | None
    time_flag: str | None
    time_text: str
    source_help: str


def target_text(
    value: float, comparator: str, qualifier: str, meta: IndicatorMeta, lang: str
) -> str:
    """A target for display: "≥ 85%", "≤ 10起"."""
    sign = "≥" if comparator == ">=" else "≤"
    return f"{sign} {format_value(value, qualifier, meta.unit_zh, meta.unit_en, lang)}"  # type: ignore[arg-type]


def target_rows(
    targets: pl.DataFrame,
    figs: FigureSet,
    metas: Mapping[str, IndicatorMeta],
    org: str,
    year: int,
    lang: str,
    today: date | None = None,
) -> tuple[list[TargetRow], list[TargetRow]]:
    """(annual targets due in a year, multi-year plans covering it) for an org."""
    today = today or date.today()
    annual: list[TargetRow] = []
    plans: list[TargetRow] = []
    for r in targets.filter(pl.col("org_code") == org).iter_rows(named=True):
        meta = metas.get(r["indicator_code"])
        if meta is None or r["quarter"] is not None:
            continue
        base = r["base_year"]
        if base is not None and base < r["year"]:
            if base <= year <= r["year"]:
                span = (int(base), int(r["year"]))
                j = judge_plan(figs, org, meta.code, span, r["value"], r["comparator"], today.year)
                plans.append(_target_row(r, j, meta, lang, f"{base}—{r['year']}"))
            continue
        if r["year"] == year:
            j = judge(figs, org, meta.code, year, r["value"], r["comparator"], today)
            annual.append(_target_row(r, j, meta, lang, str(year)))
    return annual, plans


def _help_for_target(r: dict, lang: str) -> str:
    """Hover text for a target's source."""
    plan = r["plan_en"] if lang == "en" and r["plan_en"] else r["plan_zh"]
    return "  \n".join(
        [
            f"{t('src.plan', lang)}: {md_literal(plan)}",
            f"{t('src.source', lang)}: {md_literal(r['source_title_zh'])}",
            f"{t('src.locator', lang)}: “{md_literal(r['locator'])}”",
        ]
    )


def _target_row(r: dict, j: Judgement, meta: IndicatorMeta, lang: str, span: str) -> TargetRow:
    """A target row read off its judgement."""
    return TargetRow(
        target_id=int(r["target_id"]),
        indicator=meta.code,
        name=meta.name(lang),
        plan=r["plan_en"] if lang == "en" and r["plan_en"] else r["plan_zh"],
        span=span,
        target_text=target_text(r["value"], r["comparator"], r["qualifier"], meta, lang),
        actual_text=shown(j.actual, meta, lang),
        actual_basis=basis_text(j, lang, r["base_year"]),
        completion=j.ratio,
        completion_text=ratio_text(j, lang),
        status=j.status,
        status_text=status_text(j.status, lang),
        time_share=j.time_share,
        time_flag=j.time_flag,
        time_text=time_text(j, lang),
        source_help=_help_for_target(r, lang),
    )


def target_table(rows: list[TargetRow], lang: str) -> pl.DataFrame:
    """Targets for display: indicator, plan period, target, actual, 完成率, status, 序时进度."""
    cols = (
        "col.indicator",
        "col.span",
        "col.target",
        "col.actual",
        "col.basis",
        "col.completion",
        "col.status",
        "col.time",
        "col.plan",
    )
    data = {
        t("col.indicator", lang): [r.name for r in rows],
        t("col.span", lang): [r.span for r in rows],
        t("col.target", lang): [r.target_text for r in rows],
        t("col.actual", lang): [r.actual_text for r in rows],
        t("col.basis", lang): [r.actual_basis for r in rows],
        t("col.completion", lang): [
            None if r.completion is None else round(r.completion * 100, 1) for r in rows
        ],
        t("col.status", lang): [r.status_text for r in rows],
        t("col.time", lang): [r.time_text for r in rows],
        t("col.plan", lang): [r.plan for r in rows],
    }
    schema = {t(c, lang): pl.Utf8 for c in cols}
    schema[t("col.completion", lang)] = pl.Float64
    return pl.DataFrame(data, schema=schema)


def status_counts(rows: list[TargetRow]) -> dict[str, int]:
    """How many targets are in each status, in status order."""
    return {s: sum(1 for r in rows if r.status == s) for s in STATUSES}


# --- where does this number come from ------------------------------------------------------------


def figure_sources(obs: pl.DataFrame, lang: str, examples: Collection[int] = ()) -> pl.DataFrame:
    """Every figure with its value as shown and where it comes from (title, file, locator …);
    a figure of an ``examples`` batch (uploaded from data/examples/) has its file marked 示例."""
    rows = []
    mark = t("example.mark", lang) + " "
    for r in obs.iter_rows(named=True):
        example = r.get("batch_id") in examples
        name = r["indicator_name_en"] if lang == "en" else r["indicator_name_zh"]
        org = r["org_name_en"] if lang == "en" else r["org_name_zh"]
        period = data_label(r["period_note"], lang)
        if r["quarter"] is not None:
            period = t("period.quarter", lang, y=r["year"], q=r["quarter"]) + (
                f" {period}" if period else ""
            )
        rows.append(
            {
                "id": r["obs_id"],
                t("col.org", lang): org,
                t("col.indicator", lang): name,
                t("col.year", lang): str(r["year"]),
                t("col.period", lang): period or t("period.year", lang),
                t("col.value", lang): format_value(
                    r["value"], r["qualifier"], r["unit_zh"], r["unit_en"], lang
                ),
                t("col.qualifier", lang): t("qualifier." + r["qualifier"], lang),
                t("col.source", lang): r["source_title_zh"],
                t("col.file", lang): (mark if example else "") + (r["source_file"] or DASH),
                t("col.locator", lang): r["locator"],
            }
        )
    cols = (
        "col.org",
        "col.indicator",
        "col.year",
        "col.period",
        "col.value",
        "col.qualifier",
        "col.source",
        "col.file",
        "col.locator",
    )
    schema = {"id": pl.Int64} | {t(c, lang): pl.Utf8 for c in cols}
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def filter_figures(
    obs: pl.DataFrame, org: str | None, year: int | None, ids: list[int] | None = None
) -> pl.DataFrame:
    """Observations of an org and year (either None = all), or exactly the given ids."""
    out = obs
    if ids:
        return out.filter(pl.col("obs_id").is_in(ids))
    if org:
        out = out.filter(pl.col("org_code") == org)
    if year:
        out = out.filter(pl.col("year") == year)
    return out


def indicators_with_data(
    figs: FigureSet,
    metas: Mapping[str, IndicatorMeta],
    orgs: list[str],
    category: str | None,
) -> list[str]:
    """Indicator codes (catalogue order) of a category with any figure for the orgs."""
    have = {k.indicator for k in figs.keys() if k.org in orgs}
    return [c for c, m in metas.items() if c in have and (not category or m.category == category)]


def target_years(targets: pl.DataFrame, org: str) -> list[int]:
    """The years an org has targets due (ascending)."""
    years = targets.filter(pl.col("org_code") == org).get_column("year").unique().to_list()
    return sorted(int(y) for y in years)


def default_target_year(target_years: list[int], span: list[int], today: date | None = None) -> int:
    """The latest year with targets that has begun (else the latest with targets, else span's)."""
    this_year = (today or date.today()).year
    started = [y for y in target_years if y <= this_year]
    if started:
        return max(started)
    return max(target_years) if target_years else span[-1]


def parse_ids(text: str | None) -> list[int]:
    """Figure ids from a ?fig=1,2 parameter (bad parts ignored)."""
    if not text:
        return []
    return [int(p) for p in text.split(",") if p.strip().isdigit()]


def figure_details(obs: pl.DataFrame, lang: str) -> list[dict]:
    """Each figure spelled out: title (org · indicator · year), value, and labelled source lines."""
    out = []
    for r in obs.iter_rows(named=True):
        en = lang == "en"
        org = r["org_name_en"] if en else r["org_name_zh"]
        name = r["indicator_name_en"] if en else r["indicator_name_zh"]
        period = data_label(r["period_note"], lang) or t("period.year", lang)
        if r["quarter"] is not None:
            period = t("period.quarter", lang, y=r["year"], q=r["quarter"])
        out.append(
            {
                "title": f"{org} · {name} · {r['year']}",
                "value": format_value(r["value"], r["qualifier"], r["unit_zh"], r["unit_en"], lang),
                "lines": [
                    (t("src.source", lang), r["source_title_zh"]),
                    (t("src.file", lang), r["source_file"] or DASH),
                    (t("src.locator", lang), f"“{r['locator']}”"),
                    (t("src.qualifier", lang), t("qualifier." + r["qualifier"], lang)),
                    (t("src.period", lang), period),
                ],
            }
        )
    return out


def target_sources(targets: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Every target with its plan, source and locator phrase."""
    en = lang == "en"
    cols = ("col.org", "col.indicator", "col.span", "col.target", "col.plan", "col.source")
    data: dict[str, list[str]] = {t(c, lang): [] for c in (*cols, "col.locator")}
    for r in targets.iter_rows(named=True):
        span = f"{r['base_year']}—{r['year']}" if r["base_year"] else str(r["year"])
        sign = "≥" if r["comparator"] == ">=" else "≤"
        value = format_value(r["value"], r["qualifier"], r["unit_zh"], r["unit_en"], lang)
        data[t("col.org", lang)].append(r["org_name_en"] if en else r["org_name_zh"])
        data[t("col.indicator", lang)].append(
            r["indicator_name_en"] if en else r["indicator_name_zh"]
        )
        data[t("col.span", lang)].append(span)
        data[t("col.target", lang)].append(f"{sign} {value}")
        data[t("col.plan", lang)].append(r["plan_en"] if en and r["plan_en"] else r["plan_zh"])
        data[t("col.source", lang)].append(r["source_title_zh"])
        data[t("col.locator", lang)].append(r["locator"])
    return pl.DataFrame(data, schema={k: pl.Utf8 for k in data})
