"""The overview's KPI cards (no streamlit): per indicator of an org's year and period, the value as
the figure model shows it, its 同比 (or why there is none), the period, a sparkline over the year
span that breaks on missing years, and the hover text saying where the figure comes from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from lib.core.catalog import CATEGORIES
from lib.core.escape import md_literal
from lib.core.figures import (
    YEAR,
    Figure,
    FigureSet,
    Period,
    bound_text,
    change_text,
    change_tone,
    reason_text,
    shown,
    sort_key,
)
from lib.core.i18n import t
from lib.core.numbers import DASH
from lib.core.settings import year_span
from lib.dash.views import IndicatorMeta, latest_year


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
