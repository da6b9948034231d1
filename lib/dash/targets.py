"""Target rows of the dashboards (no streamlit): each target of an org's year, or each multi-year
plan covering it, read off its judgement in lib.core.figures (actual, 完成率, one status, 序时进度
where it adds to it), the table that shows them, and which year the targets page opens on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import polars as pl

from lib.core.escape import md_literal
from lib.core.figures import FigureSet, shown
from lib.core.i18n import t
from lib.core.judgement import (
    STATUSES,
    Judgement,
    basis_text,
    judge,
    judge_plan,
    ratio_text,
    status_text,
    target_phrase,
    time_text,
)
from lib.dash.views import IndicatorMeta


@dataclass
class TargetRow:
    """One target with its actual, completion, one status and 序时进度 where it adds to it."""

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
        indicator=meta.code,
        name=meta.name(lang),
        plan=r["plan_en"] if lang == "en" and r["plan_en"] else r["plan_zh"],
        span=span,
        target_text=target_phrase(
            r["value"], r["comparator"], r["qualifier"], meta.unit_zh, meta.unit_en, lang
        ),
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
    schema: dict[str, type[pl.DataType]] = {t(c, lang): pl.Utf8 for c in cols}
    schema[t("col.completion", lang)] = pl.Float64
    return pl.DataFrame(data, schema=schema)


def status_counts(rows: list[TargetRow]) -> dict[str, int]:
    """How many targets are in each status, in status order."""
    return {s: sum(1 for r in rows if r.status == s) for s in STATUSES}


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
