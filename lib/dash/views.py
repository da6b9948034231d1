"""Frame shaping for display: turns query frames into what a page shows (no streamlit).

Owns the dashboards' display logic on top of lib.core.metrics: which figure stands for an org ×
indicator × year and period (a full year, quarters to date, or a campaign period), KPI cards with
their 同比 and sparkline, the year-over-year table, the quarterly drill-down, target progress rows
and the "where does this number come from" table. Missing is never zero: absent figures are None
and show as "—".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

import polars as pl

from lib.core import metrics
from lib.core.catalog import CATEGORIES
from lib.core.escape import md_literal
from lib.core.i18n import t
from lib.core.numbers import DASH, format_number, format_pct, format_value
from lib.core.settings import year_span

YEAR = ""  # period key of a full year
HIDDEN = "~"  # prefix of period keys kept only for comparisons (quarters to date of a full year)


def visible(key: tuple[str, str, int, str]) -> bool:
    """Whether a figure key is one the dashboards show (not a hidden comparison base)."""
    return not key[3].startswith(HIDDEN)


def source_table(sources: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Sources with their title, file and counts, labelled in a language."""
    title = "title_zh" if lang == "zh" else "title_en"
    return sources.select(
        pl.col(title).alias(t("col.source", lang)),
        pl.col("file").alias("file"),
        pl.col("n_observations").alias(t("col.figures", lang)),
        pl.col("n_targets").alias(t("col.targets", lang)),
        pl.col("n_stations").alias(t("col.stations", lang)),
    )


# --- figures: one value per org × indicator × year × period --------------------------------------


@dataclass(frozen=True)
class Fig:
    """The figure standing for an org × indicator × year × period, with where it comes from."""

    org: str
    indicator: str
    year: int
    period: str  # "" full year, "ytd:N" quarters 1..N, else the campaign's period note
    value: float
    qualifier: str
    obs_ids: tuple[int, ...]
    source_title: str
    source_file: str
    locator: str

    def as_metric(self) -> metrics.Figure:
        """The figure for lib.core.metrics (period note carries the period key)."""
        return metrics.Figure(
            self.value, self.qualifier, self.period, self.year, None, self.org, self.indicator
        )


@dataclass(frozen=True)
class IndicatorMeta:
    """Display facts of an indicator."""

    code: str
    name_zh: str
    name_en: str
    category: str
    unit_zh: str
    unit_en: str
    kind: str
    rollup: str
    direction: str

    def name(self, lang: str) -> str:
        """The indicator's name in a language."""
        return self.name_en if lang == "en" else self.name_zh


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


def _merge_qualifier(qualifiers: list[str]) -> str:
    """The qualifier of a sum of figures: about beats at_least beats exact."""
    if "about" in qualifiers:
        return "about"
    return "at_least" if "at_least" in qualifiers else "exact"


def figures(obs: pl.DataFrame) -> dict[tuple[str, str, int, str], Fig]:
    """Every figure keyed by (org, indicator, year, period).

    A full-year row wins; four quarters roll up into a full year by the indicator's roll-up;
    fewer consecutive quarters from Q1 make a "ytd:N" figure; a row with a period note is its own
    period (never merged into a year).
    """
    out: dict[tuple[str, str, int, str], Fig] = {}
    quarters: dict[tuple[str, str, int], dict[int, dict]] = defaultdict(dict)
    for row in obs.sort("obs_id").iter_rows(named=True):
        key = (row["org_code"], row["indicator_code"], int(row["year"]))
        if row["quarter"] is not None and not row["period_note"]:
            quarters[key][int(row["quarter"])] = row
            continue
        period = row["period_note"] or YEAR
        if row["quarter"] is not None:  # a campaign figure for one quarter stays its own period
            period = f"{period} Q{int(row['quarter'])}"
        out[(*key, period)] = Fig(
            key[0],
            key[1],
            key[2],
            period,
            float(row["value"]),
            row["qualifier"],
            (int(row["obs_id"]),),
            row["source_title_zh"],
            row["source_file"],
            row["locator"],
        )
    for key, by_q in quarters.items():
        run = []
        for q in (1, 2, 3, 4):
            if q not in by_q:
                break
            run.append(by_q[q])
        if not run:
            continue
        rollup = run[0]["rollup"]
        running = metrics.cumulative([r["value"] for r in run], rollup)
        for n, cum in enumerate(running, start=1):
            # Hidden quarters-to-date figures, so a later year's Q1–Qn compares like with like.
            out[(*key, f"{HIDDEN}ytd:{n}")] = Fig(
                key[0],
                key[1],
                key[2],
                f"{HIDDEN}ytd:{n}",
                float(cum),  # type: ignore[arg-type]
                _merge_qualifier([r["qualifier"] for r in run[:n]]),
                tuple(int(r["obs_id"]) for r in run[:n]),
                run[n - 1]["source_title_zh"],
                run[n - 1]["source_file"],
                run[n - 1]["locator"],
            )
        value = running[-1]
        period = YEAR if len(run) == 4 else f"ytd:{len(run)}"
        if (*key, YEAR) in out or value is None:
            continue
        last = run[-1]
        out[(*key, period)] = Fig(
            key[0],
            key[1],
            key[2],
            period,
            float(value),
            _merge_qualifier([r["qualifier"] for r in run]),
            tuple(int(r["obs_id"]) for r in run),
            last["source_title_zh"],
            last["source_file"],
            last["locator"],
        )
    return out


def period_label(period: str, lang: str) -> str:
    """How a period reads: "" for a full year, "1—3季度累计", or the campaign's note."""
    if period == YEAR:
        return ""
    if period.startswith("ytd:"):
        return t("period.ytd", lang, n=period.split(":", 1)[1])
    return period


def latest_year(figs: dict[tuple[str, str, int, str], Fig], org: str) -> int | None:
    """The latest year with any figure for an org (None when it has none)."""
    years = [k[2] for k in figs if k[0] == org]
    return max(years) if years else None


def years_with_data(figs: dict[tuple[str, str, int, str], Fig], org: str) -> list[int]:
    """The years with at least one figure for an org, ascending."""
    return sorted({k[2] for k in figs if k[0] == org})


# --- change texts --------------------------------------------------------------------------------


def change_text(ch: metrics.Change, kind: str, lang: str) -> str:
    """A change for display: "+13.2%", "+5.0个百分点", with ≥/≤/约 for a bound; "—" if none."""
    if not ch.comparable:
        return DASH
    if kind == "rate":
        number = format_number(abs(ch.delta or 0.0), "exact", lang)
        sign = "-" if (ch.delta or 0) < 0 else "+"
        text = f"{sign}{number}" + (" pp" if lang == "en" else "个百分点")
    else:
        text = format_pct(ch.pct, lang, signed=True)
    prefix = {"at_least": "≥", "at_most": "≤", "about": "≈"}.get(ch.bound, "")
    return prefix + text


def change_tone(ch: metrics.Change, direction: str) -> str:
    """good / bad / flat / none: the colour of a change given the indicator's direction."""
    if not ch.comparable or ch.delta is None:
        return "none"
    if ch.delta == 0:
        return "flat"
    up = ch.delta > 0
    return "good" if up == (direction != "down") else "bad"


def reason_text(ch: metrics.Change, lang: str) -> str:
    """Why a change is not shown, for a caption or tooltip ("" when it is shown)."""
    return "" if ch.reason is None else t(f"reason.{ch.reason}", lang)


def bound_text(ch: metrics.Change, lang: str) -> str:
    """What a bound means in words ("" when the change is exact)."""
    return "" if ch.bound == "exact" or not ch.comparable else t(f"bound.{ch.bound}", lang)


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
    period: str  # period label ("" for a full year)
    spark_years: list[int] = field(default_factory=list)
    spark_values: list[float | None] = field(default_factory=list)
    source_help: str = ""
    obs_ids: tuple[int, ...] = ()


def source_help(fig: Fig, lang: str) -> str:
    """The hover text saying where a figure comes from."""
    parts = [
        f"{t('src.source', lang)}: {md_literal(fig.source_title)}",
        f"{t('src.file', lang)}: {md_literal(fig.source_file or DASH)}",
        f"{t('src.locator', lang)}: “{md_literal(fig.locator)}”",
        f"{t('src.qualifier', lang)}: {t('qualifier.' + fig.qualifier, lang)}",
    ]
    if fig.period:
        parts.append(f"{t('src.period', lang)}: {md_literal(period_label(fig.period, lang))}")
    ids = ",".join(str(i) for i in fig.obs_ids)
    suffix = "&lang=en" if lang == "en" else ""
    query = f"fig={ids}&org={fig.org}&year={fig.year}{suffix}"
    parts.append(f"[{t('dash.sources_link', lang)} →](sources?{query})")
    return "  \n".join(parts)


PREV_SUB_PERIOD = "prev_sub_period"  # the previous year has only campaign-period figures
NO_PREVIOUS_PERIOD = "no_previous_period"  # no quarters-to-date figure a year earlier


def series_change(
    figs: dict[tuple[str, str, int, str], Fig],
    org: str,
    meta: IndicatorMeta,
    year: int,
    period: str,
) -> metrics.Change:
    """同比 of a figure against the same period a year earlier, or why there is none."""
    cur = figs.get((org, meta.code, year, period))
    prev = figs.get((org, meta.code, year - 1, period))
    ch = metrics.yoy(
        cur.as_metric() if cur else None, prev.as_metric() if prev else None, meta.kind
    )
    if cur is not None and prev is None and period.startswith("ytd:"):
        base = figs.get((org, meta.code, year - 1, HIDDEN + period))
        if base is not None:
            prev = replace(base, period=period)
            return metrics.yoy(cur.as_metric(), prev.as_metric(), meta.kind)
        return metrics.Change(None, None, "exact", NO_PREVIOUS_PERIOD)
    if cur is None or prev is not None:
        return ch
    if period != YEAR:
        return metrics.Change(None, None, "exact", metrics.SUB_PERIOD)
    if any(k[:3] == (org, meta.code, year - 1) and visible(k) for k in figs):
        return metrics.Change(None, None, "exact", PREV_SUB_PERIOD)
    return ch


def make_card(
    figs: dict[tuple[str, str, int, str], Fig],
    meta: IndicatorMeta,
    org: str,
    year: int,
    period: str,
    lang: str,
    years: tuple[int, ...],
) -> Card:
    """The card of one indicator for an org, year and period (value "—" when missing)."""
    cur = figs.get((org, meta.code, year, period))
    ch = series_change(figs, org, meta, year, period)
    spark = [figs.get((org, meta.code, y, period)) for y in years]
    value = (
        format_value(cur.value, cur.qualifier, meta.unit_zh, meta.unit_en, lang)  # type: ignore[arg-type]
        if cur
        else DASH
    )
    note = reason_text(ch, lang) or bound_text(ch, lang)
    if cur is None:
        other = [
            k[3] for k in figs if k[:3] == (org, meta.code, year) and k[3] != period and visible(k)
        ]
        note = (
            t("reason.only_other_period", lang, period=period_label(other[0], lang))
            if other
            else t("reason.no_current", lang)
        )
    return Card(
        indicator=meta.code,
        name=meta.name(lang),
        category=meta.category,
        value_text=value,
        change=change_text(ch, meta.kind, lang),
        tone=change_tone(ch, meta.direction),
        note=note,
        period=period_label(period, lang),
        spark_years=list(years),
        spark_values=[f.value if f else None for f in spark],
        source_help=source_help(cur, lang) if cur else "",
        obs_ids=cur.obs_ids if cur else (),
    )


def overview_cards(
    figs: dict[tuple[str, str, int, str], Fig],
    metas: dict[str, IndicatorMeta],
    org: str,
    year: int,
    lang: str,
) -> dict[str, dict[str, list[Card]]]:
    """Cards of an org's year grouped as {period label: {category: [cards]}}, full year first."""
    years = year_span(latest_year(figs, org))
    keys = [k for k in figs if k[0] == org and k[2] == year and k[1] in metas and visible(k)]
    periods = sorted({k[3] for k in keys}, key=lambda p: (p != YEAR, p))
    order = {code: i for i, code in enumerate(metas)}
    out: dict[str, dict[str, list[Card]]] = {}
    for period in periods:
        codes = sorted({k[1] for k in keys if k[3] == period}, key=lambda c: order[c])
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
    figs: dict[tuple[str, str, int, str], Fig],
    metas: dict[str, IndicatorMeta],
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
    figs: dict[tuple[str, str, int, str], Fig],
    metas: dict[str, IndicatorMeta],
    orgs: list[str],
    indicators: list[str],
    years: tuple[int, ...],
    org_names: dict[str, str],
    lang: str,
) -> list[dict]:
    """One row per org × indicator × year × period: value, label, 同比; missing years as None.

    Each org × indicator gets every year of the span for the full-year period; campaign
    periods appear only in the years they exist.
    """
    rows: list[dict] = []
    for ind in indicators:
        meta = metas.get(ind)
        if meta is None:
            continue
        for org in orgs:
            periods = sorted(
                {k[3] for k in figs if k[0] == org and k[1] == ind and visible(k)} | {YEAR}
            )
            for period in periods:
                span = (
                    years
                    if period == YEAR
                    else tuple(sorted(k[2] for k in figs if k[:2] == (org, ind) and k[3] == period))
                )
                for y in span:
                    cur = figs.get((org, ind, y, period))
                    ch = series_change(figs, org, meta, y, period)
                    rows.append(
                        {
                            "org": org,
                            "org_name": org_names.get(org, org),
                            "indicator": ind,
                            "indicator_name": meta.name(lang),
                            "unit": meta.unit_en if lang == "en" else meta.unit_zh,
                            "year": y,
                            "period": period,
                            "period_label": period_label(period, lang),
                            "value": cur.value if cur else None,
                            "qualifier": cur.qualifier if cur else None,
                            "value_text": format_value(
                                cur.value,
                                cur.qualifier,
                                meta.unit_zh,
                                meta.unit_en,
                                lang,  # type: ignore[arg-type]
                            )
                            if cur
                            else DASH,
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
            t("col.period", lang): [r["period_label"] or t("period.year", lang) for r in rows],
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
    """The year-over-year table for CSV: raw values (empty when missing) and the 同比 in %."""
    return pl.DataFrame(
        {
            "org_code": [r["org"] for r in rows],
            "org_name": [r["org_name"] for r in rows],
            "indicator_code": [r["indicator"] for r in rows],
            "indicator_name": [r["indicator_name"] for r in rows],
            "unit": [r["unit"] for r in rows],
            "year": [r["year"] for r in rows],
            "period_note": [r["period"] for r in rows],
            "value": [r["value"] for r in rows],
            "qualifier": [r["qualifier"] for r in rows],
            "yoy_pct": [None if r["yoy_pct"] is None else round(r["yoy_pct"], 2) for r in rows],
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
            "value": pl.Float64,
            "qualifier": pl.Utf8,
            "yoy_pct": pl.Float64,
            "yoy_note": pl.Utf8,
        },
    )


def quarterly_rows(obs: pl.DataFrame, org: str, indicator: str, lang: str) -> list[dict]:
    """The quarterly drill-down of one series: each quarter with 累计, 环比 and 同比."""
    q = obs.filter(
        (pl.col("org_code") == org)
        & (pl.col("indicator_code") == indicator)
        & pl.col("quarter").is_not_null()
        & (pl.col("period_note") == "")
    )
    if q.is_empty():
        return []
    first = q.row(0, named=True)
    kind, rollup = first["kind"], first["rollup"]
    unit_zh, unit_en = first["unit_zh"], first["unit_en"]
    by = {(int(r["year"]), int(r["quarter"])): r for r in q.iter_rows(named=True)}
    years = sorted({y for y, _ in by})
    rows: list[dict] = []
    for y in years:
        values = [by.get((y, n), {}).get("value") for n in (1, 2, 3, 4)]
        cum = metrics.cumulative(values, rollup)
        for n in (1, 2, 3, 4):
            r = by.get((y, n))
            cur = _qfig(r, org, indicator)
            prev_key = metrics.previous_quarter(y, n)
            prev = _qfig(by.get(prev_key), org, indicator)
            last_year = _qfig(by.get((y - 1, n)), org, indicator)
            qq = metrics.qoq(cur, prev, kind)
            yy = metrics.yoy(cur, last_year, kind)
            if r is None and all(v is None for v in values[n - 1 :]):
                continue
            rows.append(
                {
                    "year": y,
                    "quarter": n,
                    "value": r["value"] if r else None,
                    "value_text": format_value(r["value"], r["qualifier"], unit_zh, unit_en, lang)
                    if r
                    else DASH,
                    "cumulative": cum[n - 1],
                    "cumulative_text": format_value(cum[n - 1], "exact", unit_zh, unit_en, lang),
                    "qoq_text": change_text(qq, kind, lang),
                    "yoy_text": change_text(yy, kind, lang),
                }
            )
    return rows


def _qfig(row: dict | None, org: str, indicator: str) -> metrics.Figure | None:
    """A quarterly observation row as a metrics figure."""
    if not row:
        return None
    return metrics.Figure(
        row["value"], row["qualifier"], "", int(row["year"]), int(row["quarter"]), org, indicator
    )


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
    obs: pl.DataFrame, orgs: list[str], indicators: list[str]
) -> list[tuple[str, str]]:
    """The org × indicator series among a selection that have quarterly figures."""
    q = obs.filter(
        pl.col("quarter").is_not_null()
        & pl.col("org_code").is_in(orgs)
        & pl.col("indicator_code").is_in(indicators)
    )
    return sorted({(r[0], r[1]) for r in q.select("org_code", "indicator_code").iter_rows()})


# --- targets -------------------------------------------------------------------------------------


@dataclass
class TargetRow:
    """One target with its actual, completion, status and elapsed-time progress."""

    target_id: int
    indicator: str
    name: str
    plan: str
    span: str  # "2023" or "2025—2027"
    target_text: str
    actual_text: str
    actual_basis: str  # what the actual is: full year, Q1–Q3, campaign period, plan to date …
    completion: float | None
    status: str
    status_text: str
    time_share: float | None
    time_flag: str | None
    time_text: str
    source_help: str


def _target_text(
    value: float, comparator: str, qualifier: str, meta: IndicatorMeta, lang: str
) -> str:
    """A target for display: "≥ 85%", "≤ 10起"."""
    sign = "≥" if comparator == ">=" else "≤"
    return f"{sign} {format_value(value, qualifier, meta.unit_zh, meta.unit_en, lang)}"  # type: ignore[arg-type]


def _year_actual(
    figs: dict[tuple[str, str, int, str], Fig], org: str, ind: str, year: int
) -> tuple[Fig | None, str]:
    """The figure to judge a year's target by, and its basis: YEAR, "ytd:N", "sub" or "none"."""
    full = figs.get((org, ind, year, YEAR))
    if full is not None:
        return full, YEAR
    keys = [k for k in figs if k[:3] == (org, ind, year) and visible(k)]
    ytd = sorted((k for k in keys if k[3].startswith("ytd:")), key=lambda k: k[3])
    if ytd:
        return figs[ytd[-1]], ytd[-1][3]
    subs = [k for k in keys if k[3] != YEAR]
    if subs:
        return figs[max(subs, key=lambda k: figs[k].obs_ids)], "sub"
    return None, "none"


def target_rows(
    targets: pl.DataFrame,
    figs: dict[tuple[str, str, int, str], Fig],
    metas: dict[str, IndicatorMeta],
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
                plans.append(_plan_row(r, figs, meta, org, lang, today))
            continue
        if r["year"] == year:
            annual.append(_annual_row(r, figs, meta, org, lang, today))
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


def _annual_row(
    r: dict, figs: dict, meta: IndicatorMeta, org: str, lang: str, today: date
) -> TargetRow:
    """A one-year target judged by the full year, quarters to date, or a campaign floor."""
    year = int(r["year"])
    fig, basis = _year_actual(figs, org, meta.code, year)
    quarters_done = int(basis.split(":")[1]) if basis.startswith("ytd:") else None
    period_over = year < today.year or basis == YEAR
    lower = basis == "sub" and meta.kind == "flow"
    if basis == "sub" and meta.kind != "flow":
        fig, basis = None, "none"  # a stock or rate mid-campaign says nothing sure of the year
    share = metrics.elapsed_share(quarters_done) if quarters_done else None
    actual = fig.value if fig else None
    if fig is not None and fig.qualifier == "at_least":
        lower = True  # a 余 figure is a floor: it can prove a target met (or a ceiling broken)
    ratio = metrics.completion(actual, r["value"], r["comparator"])
    status = metrics.target_status(
        actual,
        r["value"],
        r["comparator"],
        period_over=period_over,
        time_share=share,
        kind=meta.kind,
        lower_bound=lower,
    )
    flag = metrics.time_progress_flag(ratio, share) if share else None
    basis_text = {
        YEAR: t("basis.year", lang),
        "sub": t("basis.sub", lang, note=fig.period if fig else ""),
        "none": "",
    }.get(basis, period_label(basis, lang))
    if status == metrics.NO_DATA and actual is not None:
        basis_text = t("basis.floor", lang, basis=basis_text) if basis_text else basis_text
    return TargetRow(
        target_id=int(r["target_id"]),
        indicator=meta.code,
        name=meta.name(lang),
        plan=r["plan_en"] if lang == "en" and r["plan_en"] else r["plan_zh"],
        span=str(year),
        target_text=_target_text(r["value"], r["comparator"], r["qualifier"], meta, lang),
        actual_text=format_value(actual, fig.qualifier, meta.unit_zh, meta.unit_en, lang)  # type: ignore[arg-type]
        if fig
        else DASH,
        actual_basis=basis_text,
        completion=ratio,
        status=status,
        status_text=t(f"status.{status}", lang),
        time_share=share,
        time_flag=flag,
        time_text=_time_text(flag, share, lang),
        source_help=_help_for_target(r, lang),
    )


def _time_text(flag: str | None, share: float | None, lang: str) -> str:
    """序时进度 for display: "超序时（时间进度75%）" or "—"."""
    if flag is None or share is None:
        return DASH
    return t(f"time.{flag}", lang, share=format_pct(share * 100, lang, digits=0))


def _plan_row(
    r: dict, figs: dict, meta: IndicatorMeta, org: str, lang: str, today: date
) -> TargetRow:
    """A multi-year plan's progress toward its end year."""
    base, end = int(r["base_year"]), int(r["year"])
    annual = {
        y: figs[(org, meta.code, y, YEAR)].value
        for y in range(base, end + 1)
        if (org, meta.code, y, YEAR) in figs
    }
    prog = metrics.plan_progress(
        annual, r["value"], r["comparator"], base, end, today.year, meta.rollup
    )
    basis = (
        t("basis.plan", lang, start=base, through=prog.through_year) if prog.through_year else ""
    )
    return TargetRow(
        target_id=int(r["target_id"]),
        indicator=meta.code,
        name=meta.name(lang),
        plan=r["plan_en"] if lang == "en" and r["plan_en"] else r["plan_zh"],
        span=f"{base}—{end}",
        target_text=_target_text(r["value"], r["comparator"], r["qualifier"], meta, lang),
        actual_text=format_value(prog.actual, "exact", meta.unit_zh, meta.unit_en, lang),
        actual_basis=basis,
        completion=prog.ratio,
        status=prog.status,
        status_text=t(f"status.{prog.status}", lang),
        time_share=prog.time_share,
        time_flag=prog.flag,
        time_text=_time_text(prog.flag, prog.time_share, lang),
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
    return {s: sum(1 for r in rows if r.status == s) for s in metrics.STATUSES}


# --- where does this number come from ------------------------------------------------------------


def figure_sources(obs: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Every figure with its value as shown and where it comes from (title, file, locator …)."""
    rows = []
    for r in obs.iter_rows(named=True):
        name = r["indicator_name_en"] if lang == "en" else r["indicator_name_zh"]
        org = r["org_name_en"] if lang == "en" else r["org_name_zh"]
        period = r["period_note"]
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
                t("col.file", lang): r["source_file"] or DASH,
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
    figs: dict[tuple[str, str, int, str], Fig],
    metas: dict[str, IndicatorMeta],
    orgs: list[str],
    category: str | None,
) -> list[str]:
    """Indicator codes (catalogue order) of a category with any figure for the orgs."""
    have = {k[1] for k in figs if k[0] in orgs}
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
        period = r["period_note"] or t("period.year", lang)
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
