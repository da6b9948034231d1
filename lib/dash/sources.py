"""Where does this number come from (no streamlit): every figure with its value as shown and its
source, file, locator phrase, qualifier and period; the figures a card's link names, spelled out;
the sources with their counts; and every target with its plan and locator."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import polars as pl

from lib.core.catalog import data_label
from lib.core.figures import value_shown
from lib.core.i18n import t
from lib.core.judgement import target_phrase
from lib.core.numbers import DASH


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


class SourceRow(NamedTuple):
    """One figure of the sources table as it shows (the columns of SOURCE_COLUMNS after its id)."""

    id: int
    org: str
    indicator: str
    year: str
    period: str
    value: str
    qualifier: str
    source: str
    file: str
    locator: str


SOURCE_COLUMNS = (
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


def source_row(r: Mapping[str, Any], lang: str, example: bool) -> SourceRow:
    """One observation as the sources table shows it; an example file's name marked 示例."""
    en = lang == "en"
    period = data_label(r["period_note"], lang)
    if r["quarter"] is not None:
        quarter = t("period.quarter", lang, y=r["year"], q=r["quarter"])
        period = f"{quarter} {period}" if period else quarter
    mark = t("example.mark", lang) + " " if example else ""
    return SourceRow(
        id=r["obs_id"],
        org=r["org_name_en"] if en else r["org_name_zh"],
        indicator=r["indicator_name_en"] if en else r["indicator_name_zh"],
        year=str(r["year"]),
        period=period or t("period.year", lang),
        value=value_shown(r["value"], r["qualifier"], r["unit_zh"], r["unit_en"], lang),
        qualifier=t("qualifier." + r["qualifier"], lang),
        source=r["source_title_zh"],
        file=mark + (r["source_file"] or DASH),
        locator=r["locator"],
    )


def figure_sources(obs: pl.DataFrame, lang: str, examples: Collection[int] = ()) -> pl.DataFrame:
    """Every figure with its value as shown and where it comes from (title, file, locator …);
    a figure of an ``examples`` batch (uploaded from data/examples/) has its file marked 示例."""
    rows = [source_row(r, lang, r.get("batch_id") in examples) for r in obs.iter_rows(named=True)]
    schema = {"id": pl.Int64} | {t(c, lang): pl.Utf8 for c in SOURCE_COLUMNS}
    return pl.DataFrame(rows, schema=schema, orient="row")


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


def parse_ids(text: str | None) -> list[int]:
    """Figure ids from a ?fig=1,2 parameter (bad parts ignored)."""
    if not text:
        return []
    return [int(p) for p in text.split(",") if p.strip().isdigit()]


@dataclass(frozen=True)
class FigureDetail:
    """One figure spelled out: its title (org · indicator · year), value as shown, and labelled
    source lines (source, file, locator, qualifier, period)."""

    title: str
    value: str
    lines: tuple[tuple[str, str], ...]


def figure_details(obs: pl.DataFrame, lang: str) -> list[FigureDetail]:
    """Each figure spelled out: title (org · indicator · year), value, and labelled source lines."""
    out = []
    for r in obs.iter_rows(named=True):
        en = lang == "en"
        org = r["org_name_en"] if en else r["org_name_zh"]
        name = r["indicator_name_en"] if en else r["indicator_name_zh"]
        period = data_label(r["period_note"], lang) or t("period.year", lang)
        if r["quarter"] is not None:
            period = t("period.quarter", lang, y=r["year"], q=r["quarter"])
        lines = (
            (t("src.source", lang), r["source_title_zh"]),
            (t("src.file", lang), r["source_file"] or DASH),
            (t("src.locator", lang), f"“{r['locator']}”"),
            (t("src.qualifier", lang), t("qualifier." + r["qualifier"], lang)),
            (t("src.period", lang), period),
        )
        value = value_shown(r["value"], r["qualifier"], r["unit_zh"], r["unit_en"], lang)
        out.append(FigureDetail(f"{org} · {name} · {r['year']}", value, lines))
    return out


def target_sources(targets: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Every target with its plan, source and locator phrase."""
    en = lang == "en"
    cols = ("col.org", "col.indicator", "col.span", "col.target", "col.plan", "col.source")
    data: dict[str, list[str]] = {t(c, lang): [] for c in (*cols, "col.locator")}
    for r in targets.iter_rows(named=True):
        span = f"{r['base_year']}—{r['year']}" if r["base_year"] else str(r["year"])
        data[t("col.org", lang)].append(r["org_name_en"] if en else r["org_name_zh"])
        data[t("col.indicator", lang)].append(
            r["indicator_name_en"] if en else r["indicator_name_zh"]
        )
        data[t("col.span", lang)].append(span)
        data[t("col.target", lang)].append(
            target_phrase(
                r["value"], r["comparator"], r["qualifier"], r["unit_zh"], r["unit_en"], lang
            )
        )
        data[t("col.plan", lang)].append(r["plan_en"] if en and r["plan_en"] else r["plan_zh"])
        data[t("col.source", lang)].append(r["source_title_zh"])
        data[t("col.locator", lang)].append(r["locator"])
    return pl.DataFrame(data, schema={k: pl.Utf8 for k in data})
