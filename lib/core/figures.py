"""The one figure model: every surface (dashboards, slides, summary, PPTX/PDF/PNG pack, CSV
downloads) reads a figure, its period, its qualifier, a target's status and a change through here.

It owns:

* :class:`Period` (full year, quarters 1..N to date, a named sub-period such as a campaign, a
  stock's date) and :class:`Key` (org, indicator, year, period);
* the one roll-up of quarters (:func:`roll_up`: sum, last, max or mean by the indicator);
* the one qualifier merge (:func:`merge_qualifiers`);
* :class:`FigureSet`: the figure standing for each key, built once from observations, with a
  year's actual (:meth:`FigureSet.year_actual`) and 同比 / 环比 (:meth:`FigureSet.yoy`);
* (the one target judgement, on top of this model, is lib.core.judgement);
* the one phrasing of a change (:func:`change_text`, :func:`change_words`, :func:`reason_text`).

Numbers are shown by lib.core.numbers.format_value (:func:`shown`), the one display formatter.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lib.core import metrics
from lib.core.catalog import data_label
from lib.core.i18n import t
from lib.core.numbers import DASH, format_pct, format_value

# --- periods and keys -----------------------------------------------------------------------------

YEAR_KIND, TO_DATE, SUB, STOCK = "year", "to_date", "sub", "stock"
_QUARTER_ZH = {1: "一", 2: "二", 3: "三", 4: "四"}


@dataclass(frozen=True, order=True)
class Period:
    """What part of a year a figure covers: the full year, quarters 1..N to date, a named
    sub-period (a campaign, never compared with a year) or a stock's date ("2023年初存量")."""

    kind: str = YEAR_KIND
    quarters: int = 4
    note: str = ""

    @property
    def code(self) -> str:
        """A plain string for widget keys, URLs and CSV columns: "", "ytd:3" or the note."""
        if self.kind == YEAR_KIND:
            return ""
        if self.kind == TO_DATE:
            return f"ytd:{self.quarters}"
        return self.note

    @property
    def is_year(self) -> bool:
        """Whether this is the full year."""
        return self.kind == YEAR_KIND

    def label(self, lang: str) -> str:
        """How the period reads, always named: 全年, 一季度, 1—3季度累计, or the note."""
        if self.kind == YEAR_KIND:
            return t("period.year", lang)
        if self.kind == TO_DATE:
            if self.quarters == 1:
                return "Q1" if lang == "en" else "一季度"
            return t("period.ytd", lang, n=self.quarters)
        return data_label(self.note, lang)


YEAR = Period()


def to_date(quarters: int) -> Period:
    """Quarters 1..N to date (4 is the full year)."""
    return YEAR if quarters >= 4 else Period(TO_DATE, quarters)


def sort_key(period: Period) -> tuple[int, int, str]:
    """Full year first, then quarters to date, stocks, sub-periods."""
    order = {YEAR_KIND: 0, TO_DATE: 1, STOCK: 2, SUB: 3}
    return (order[period.kind], period.quarters, period.note)


@dataclass(frozen=True)
class Key:
    """One figure's identity: org × indicator × year × period."""

    org: str
    indicator: str
    year: int
    period: Period = YEAR


# --- inputs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorMeta:
    """What the model needs of an indicator: names, units, kind, roll-up and direction."""

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


@dataclass(frozen=True)
class Obs:
    """One current observation as the model reads it."""

    org: str
    indicator: str
    year: int
    quarter: int | None
    period_note: str
    value: float
    qualifier: str
    obs_id: int
    source: str
    source_title: str = ""
    source_file: str = ""
    locator: str = ""


@dataclass(frozen=True)
class Figure:
    """The figure standing for a key, with where it comes from (sources of every part)."""

    key: Key
    value: float
    qualifier: str
    obs_ids: tuple[int, ...]
    sources: tuple[str, ...]
    source_title: str
    source_file: str
    locator: str

    @property
    def source(self) -> str:
        """The source of the (last) observation behind the figure."""
        return self.sources[-1]

    @property
    def indicator(self) -> str:
        """The figure's indicator code."""
        return self.key.indicator

    @property
    def year(self) -> int:
        """The figure's year."""
        return self.key.year

    @property
    def period(self) -> Period:
        """The period the figure covers."""
        return self.key.period


def shown(fig: Figure | Obs | None, ind: IndicatorMeta, lang: str) -> str:
    """A figure (or one quarter's own observation) as every surface prints it ("—" when there is
    none)."""
    if fig is None:
        return DASH
    return value_shown(fig.value, fig.qualifier, ind.unit_zh, ind.unit_en, lang)


def value_shown(value: float | None, qualifier: str, unit_zh: str, unit_en: str, lang: str) -> str:
    """Any value of an indicator (a figure, a store row's, a target's) as every surface prints it,
    the Chinese way in zh with its qualifier and unit: '1.8万余人', '18,000+ people'."""
    return format_value(value, qualifier, unit_zh, unit_en, lang)  # type: ignore[arg-type]


# --- roll-up and qualifier merge ------------------------------------------------------------------


def roll_up(values: Sequence[float | None], rollup: str = "sum") -> list[float | None]:
    """累计: running values over quarters by the indicator's roll-up (sum, last, max, mean); a
    missing quarter breaks every later one (missing is not zero)."""
    out: list[float | None] = []
    seen: list[float] = []
    for value in values:
        if value is None or not math.isfinite(value) or len(seen) < len(out):
            out.append(None)
            continue
        seen.append(float(value))
        if rollup == "sum":
            out.append(sum(seen))
        elif rollup == "max":
            out.append(max(seen))
        elif rollup == "mean":
            out.append(sum(seen) / len(seen))
        else:  # last: a stock at period end
            out.append(seen[-1])
    return out


def merge_qualifiers(qualifiers: Iterable[str]) -> str:
    """The qualifier of figures combined (a sum, a mean): exact + at least = at least; anything +
    about = about.

    Why: if each part is ≥ its shown value (余) or exactly it, the sum is ≥ the sum of the shown
    values (1,000 + 1,000余 + … ≥ 4,000: 4,000余); once one part is only approximately its value
    (近), the sum is only approximately known, in either direction (近4,000).
    """
    qs = set(qualifiers)
    if "about" in qs:
        return "about"
    return "at_least" if "at_least" in qs else "exact"


# --- the figure set -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actual:
    """The figure a year's target is judged by and what it is (its period, whether a floor)."""

    figure: Figure | None
    period: Period | None
    floor: bool  # a campaign-period part of a flow year: the year is at least this


def _figure(key: Key, rows: Sequence[Obs], value: float, qualifier: str) -> Figure:
    """A figure made of some observations (the last one names its source)."""
    last = rows[-1]
    return Figure(
        key,
        float(value),
        qualifier,
        tuple(r.obs_id for r in rows),
        tuple(dict.fromkeys(r.source for r in rows)),
        last.source_title,
        last.source_file,
        last.locator,
    )


class FigureSet:
    """Every figure of some observations, keyed by (org, indicator, year, period).

    A full-year row wins; quarters from Q1 on roll up (by the indicator's roll-up, qualifiers
    merged) into quarters to date, and four of them into the full year; a row with a period note
    is its own period (a stock's date for stocks, a sub-period otherwise), never merged into a
    year. Quarters to date of every year are kept for comparisons (Q1–Q3 with Q1–Q3).
    """

    def __init__(self, obs: Iterable[Obs], indicators: Mapping[str, IndicatorMeta]) -> None:
        """Build every figure from current observations."""
        self.indicators = dict(indicators)
        self._figs: dict[Key, Figure] = {}
        self._running: dict[tuple[str, str, int, int], Figure] = {}
        self._quarters: dict[tuple[str, str, int], dict[int, Obs]] = defaultdict(dict)
        for row in sorted(obs, key=lambda r: r.obs_id):
            ind = self.indicators.get(row.indicator)
            if ind is None:
                continue
            if row.quarter is not None and not row.period_note:
                self._quarters[(row.org, row.indicator, row.year)][row.quarter] = row
                continue
            note = row.period_note
            if row.quarter is not None:  # a campaign figure of one quarter stays its own period
                note = f"{note} Q{row.quarter}"
            kind = STOCK if note and ind.kind == "stock" else SUB
            period = Period(kind, 0, note) if note else YEAR
            key = Key(row.org, row.indicator, row.year, period)
            self._figs[key] = _figure(key, [row], row.value, row.qualifier)
        for (org, code, year), by_q in self._quarters.items():
            run = []
            for q in (1, 2, 3, 4):
                if q not in by_q:
                    break
                run.append(by_q[q])
            if not run:
                continue
            running = roll_up([r.value for r in run], self.indicators[code].rollup)
            for n, value in enumerate(running, start=1):
                key = Key(org, code, year, to_date(n))
                qual = merge_qualifiers(r.qualifier for r in run[:n])
                self._running[(org, code, year, n)] = _figure(key, run[:n], value, qual)  # type: ignore[arg-type]
            if Key(org, code, year) not in self._figs:
                fig = self._running[(org, code, year, len(run))]
                self._figs[fig.key] = fig

    # lookups -----------------------------------------------------------------------------------
    def _kind(self, indicator: str) -> str:
        """An indicator's kind (flow when the set has no figure of it)."""
        ind = self.indicators.get(indicator)
        return ind.kind if ind else "flow"

    def get(self, org: str, indicator: str, year: int, period: Period = YEAR) -> Figure | None:
        """The figure of a key (None = no figure: a gap, never zero)."""
        return self._figs.get(Key(org, indicator, year, period))

    def keys(self) -> list[Key]:
        """Every shown figure's key."""
        return list(self._figs)

    def periods(self, org: str, indicator: str, year: int) -> list[Period]:
        """The periods with a figure for an org, indicator and year (full year first)."""
        found = {
            k.period for k in self._figs if (k.org, k.indicator, k.year) == (org, indicator, year)
        }
        return sorted(found, key=sort_key)

    def year_periods(self, org: str, year: int) -> list[Period]:
        """The periods with any figure of an org in a year (full year first)."""
        return sorted(
            {k.period for k in self._figs if (k.org, k.year) == (org, year)}, key=sort_key
        )

    def years(self, org: str) -> list[int]:
        """The years with any figure of an org, ascending."""
        return sorted({k.year for k in self._figs if k.org == org})

    def running(self, org: str, indicator: str, year: int, quarters: int) -> Figure | None:
        """Quarters 1..N to date rolled up (kept even when a full-year row exists)."""
        return self._running.get((org, indicator, year, quarters))

    def quarter(self, org: str, indicator: str, year: int, q: int) -> Obs | None:
        """One quarter's own observation."""
        return self._quarters.get((org, indicator, year), {}).get(q)

    def quarter_years(self, org: str, indicator: str) -> list[int]:
        """The years with quarterly figures of a series, ascending."""
        return sorted(y for (o, c, y) in self._quarters if (o, c) == (org, indicator))

    # the year's actual -------------------------------------------------------------------------
    def year_actual(self, org: str, indicator: str, year: int) -> Actual:
        """The figure to judge a year's target by: the full year, else quarters to date, else a
        campaign part of a flow year (a floor of the year); nothing for a stock's or rate's part."""
        full = self.get(org, indicator, year)
        if full is not None:
            return Actual(full, YEAR, False)
        periods = self.periods(org, indicator, year)
        ytd = [p for p in periods if p.kind == TO_DATE]
        if ytd:
            return Actual(self.get(org, indicator, year, ytd[-1]), ytd[-1], False)
        subs = [p for p in periods if p.kind == SUB]
        if subs and self._kind(indicator) == "flow":
            figs = [self.get(org, indicator, year, p) for p in subs]
            fig = max(figs, key=lambda f: f.obs_ids if f else ())
            return Actual(fig, fig.key.period if fig else None, True)
        return Actual(None, None, False)

    # changes -----------------------------------------------------------------------------------
    def yoy(
        self, org: str, indicator: str, year: int, period: Period = YEAR
    ) -> metrics.PeriodChange:
        """同比 of a figure against the same period a year earlier, or why there is none."""
        kind = self._kind(indicator)
        cur = self.get(org, indicator, year, period)
        prev = self.get(org, indicator, year - 1, period)
        if cur is not None and prev is None and period.kind == TO_DATE:
            prev = self.running(org, indicator, year - 1, period.quarters)
            if prev is None:
                return metrics.PeriodChange(None, None, "exact", NO_PREVIOUS_PERIOD)
        if cur is not None and prev is None:
            if period.kind == STOCK:
                return metrics.PeriodChange(None, None, "exact", STOCK_DATE)
            if not period.is_year:
                return metrics.PeriodChange(None, None, "exact", metrics.SUB_PERIOD)
            if any((k.org, k.indicator, k.year) == (org, indicator, year - 1) for k in self._figs):
                return metrics.PeriodChange(None, None, "exact", PREV_SUB_PERIOD)
        return metrics.yoy(_metric(cur), _metric(prev), kind)

    def quarter_change(
        self, org: str, indicator: str, year: int, q: int, against: str
    ) -> metrics.PeriodChange:
        """环比 (against "quarter") or 同比 (against "year") of one quarter's own figure."""
        kind = self._kind(indicator)
        cur = self.quarter(org, indicator, year, q)
        if against == "quarter":
            py, pq = metrics.previous_quarter(year, q)
            return metrics.qoq(_qmetric(cur), _qmetric(self.quarter(org, indicator, py, pq)), kind)
        return metrics.yoy(_qmetric(cur), _qmetric(self.quarter(org, indicator, year - 1, q)), kind)


PREV_SUB_PERIOD = "prev_sub_period"  # the previous year has only campaign-period figures
NO_PREVIOUS_PERIOD = "no_previous_period"  # no quarters-to-date figure a year earlier
STOCK_DATE = "stock_date"  # a stock at a date (2023年初存量): a level, not a campaign


def _metric(fig: Figure | None) -> metrics.Measurement | None:
    """A figure for lib.core.metrics' change arithmetic (the period code marks the period)."""
    if fig is None:
        return None
    k = fig.key
    return metrics.Measurement(
        fig.value, fig.qualifier, k.period.code, k.year, None, k.org, k.indicator
    )


def _qmetric(row: Obs | None) -> metrics.Measurement | None:
    """A quarter's own observation for lib.core.metrics."""
    if row is None:
        return None
    return metrics.Measurement(
        row.value, row.qualifier, "", row.year, row.quarter, row.org, row.indicator
    )


# --- phrasing a change ----------------------------------------------------------------------------

_BOUND_SIGN = {"at_least": "≥", "at_most": "≤", "about": "≈"}


def change_text(ch: metrics.PeriodChange, kind: str, lang: str) -> str:
    """A change as every table, card and slide prints it: "+13.2%", "≥+13.2%", "+5.0个百分点";
    "—" when there is none (why: :func:`reason_text`)."""
    if not ch.comparable:
        return DASH
    if kind == "rate":
        delta = ch.delta or 0.0
        sign = "-" if delta < 0 else "+"
        text = f"{sign}{abs(delta):.1f}" + (" pp" if lang == "en" else "个百分点")
    else:
        text = format_pct(ch.pct, lang, signed=True)
    return _BOUND_SIGN.get(ch.bound, "") + text


def change_words(ch: metrics.PeriodChange, kind: str, lang: str) -> str | None:
    """A change as a sentence clause ("同比增长13.2%", "同比增长13.2%以上", "同比增长约13.2%"), the
    same number as :func:`change_text`; None when there is none."""
    if not ch.comparable or ch.delta is None:
        return None
    if ch.delta == 0:
        return t("summary.flat", lang)
    up = ch.delta > 0
    confirmed = (up and ch.bound == "at_least") or (not up and ch.bound == "at_most")
    approx = ch.bound != "exact" and not confirmed
    if kind == "rate":
        amount = f"{abs(ch.delta):.1f}"
        text = t("summary.up_points" if up else "summary.down_points", lang, pts=amount)
    else:
        amount = format_pct(abs(ch.pct or 0.0), lang)
        text = t("summary.up" if up else "summary.down", lang, pct=amount)
    if approx:
        return text.replace(amount, t("present.bound.about", lang) + amount, 1)
    if confirmed:
        return text + ("以上" if lang == "zh" else " or more")
    return text


def reason_text(ch: metrics.PeriodChange, lang: str) -> str:
    """Why a change is not shown ("" when it is), the same words on every surface."""
    return "" if ch.reason is None else t(f"reason.{ch.reason}", lang)


def bound_text(ch: metrics.PeriodChange, lang: str) -> str:
    """What a bound means in words ("" when the change is exact)."""
    return "" if ch.bound == "exact" or not ch.comparable else t(f"bound.{ch.bound}", lang)


def change_tone(ch: metrics.PeriodChange, direction: str) -> str:
    """good / bad / flat / none: the colour of a change given the indicator's direction."""
    if not ch.comparable or ch.delta is None:
        return "none"
    if ch.delta == 0:
        return "flat"
    return "good" if (ch.delta > 0) == (direction != "down") else "bad"


def obs_from_rows(rows: Iterable[Mapping[str, Any]]) -> list[Obs]:
    """Observations from query rows (lib.store.queries.observations, named)."""
    return [
        Obs(
            r["org_code"],
            r["indicator_code"],
            int(r["year"]),
            None if r["quarter"] is None else int(r["quarter"]),
            r["period_note"] or "",
            float(r["value"]),
            r["qualifier"],
            int(r["obs_id"]),
            r.get("source_code") or "",
            r.get("source_title_zh") or "",
            r.get("source_file") or "",
            r.get("locator") or "",
        )
        for r in rows
    ]
