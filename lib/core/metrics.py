"""KPI arithmetic that must be right to the digit (pure Python, no streamlit, no database).

This module owns:

* comparability: two figures compare only when they are the same org and indicator over the same
  period length — a campaign-period figure (non-empty ``period_note``) is never compared with a
  full year, a quarter only with a quarter;
* 同比 (year over year) and 环比 (quarter over quarter) as a :class:`PeriodChange` that carries a reason
  instead of a number when the figures do not compare, and a bound when a qualifier (余 / 近)
  makes the percentage a floor or an estimate; rates change in percentage points;
* 完成率 (completion) for ≥ and ≤ targets and 序时进度 (elapsed-time progress).

It is the arithmetic under lib.core.figures, the one figure model: roll-ups, qualifier merges,
target statuses and the wording of changes live there, and every surface calls that.
"""

from __future__ import annotations

from dataclasses import dataclass

from lib.core.numbers import is_finite

# Why a change cannot be shown (each has a zh/en explanation in lib/core/strings/dashboards.py).
NO_CURRENT = "no_current"
NO_PREVIOUS = "no_previous"
SUB_PERIOD = "sub_period"  # one side is a campaign / sub-period figure
PERIOD_MISMATCH = "period_mismatch"  # quarter vs year, or different quarters
DIFFERENT_SERIES = "different_series"  # different org or indicator
ZERO_BASE = "zero_base"  # previous value is 0: a % change is undefined

# Elapsed-time progress flags.
AHEAD_OF_TIME = "ahead"  # 超序时
BEHIND_TIME = "behind_time"  # 落后序时


@dataclass(frozen=True)
class Measurement:
    """One figure as this arithmetic sees it: value with qualifier and the period it covers (quarter None = whole year)."""

    value: float | None
    qualifier: str = "exact"
    period_note: str = ""
    year: int | None = None
    quarter: int | None = None
    org: str = ""
    indicator: str = ""


@dataclass(frozen=True)
class PeriodChange:
    """A change between two figures, or the reason there is none.

    ``pct`` is the relative change in % (None for rates and when not comparable); ``delta`` the
    absolute difference (percentage points for rates); ``bound`` says how to read them:
    ``exact``, ``at_least`` (the true change is at least this), ``at_most`` or ``about``.
    """

    pct: float | None
    delta: float | None
    bound: str = "exact"
    reason: str | None = None

    @property
    def comparable(self) -> bool:
        """Whether there is a change to show."""
        return self.reason is None


def incomparable_reason(current: Measurement | None, previous: Measurement | None) -> str | None:
    """Why two figures cannot be compared (None when they can): like with like only."""
    if current is None or not is_finite(current.value):
        return NO_CURRENT
    if previous is None or not is_finite(previous.value):
        return NO_PREVIOUS
    if (current.org, current.indicator) != (previous.org, previous.indicator):
        return DIFFERENT_SERIES
    if current.period_note != previous.period_note:
        return SUB_PERIOD
    if current.quarter is None and previous.quarter is not None:
        return PERIOD_MISMATCH
    if current.quarter is not None and previous.quarter is None:
        return PERIOD_MISMATCH
    return None


def change_bound(current_qualifier: str, previous_qualifier: str) -> str:
    """How a change computed from shown values relates to the true change, given qualifiers."""
    cur, prev = current_qualifier, previous_qualifier
    if cur == "exact" and prev == "exact":
        return "exact"
    if cur == "at_least" and prev == "exact":
        return "at_least"  # the true current value can only be higher
    if cur == "exact" and prev == "at_least":
        return "at_most"  # the true previous value can only be higher
    return "about"


def change(
    current: Measurement | None, previous: Measurement | None, kind: str = "flow"
) -> PeriodChange:
    """The change from previous to current (pct for flows/stocks, points for rates)."""
    reason = incomparable_reason(current, previous)
    if reason is not None:
        return PeriodChange(None, None, "exact", reason)
    assert current is not None and previous is not None
    cur, prev = float(current.value), float(previous.value)  # type: ignore[arg-type]
    bound = change_bound(current.qualifier, previous.qualifier)
    delta = cur - prev
    if kind == "rate":
        return PeriodChange(None, delta, bound, None)
    if prev == 0:
        return PeriodChange(None, delta, bound, ZERO_BASE)
    return PeriodChange(delta / abs(prev) * 100.0, delta, bound, None)


def yoy(
    current: Measurement | None, previous: Measurement | None, kind: str = "flow"
) -> PeriodChange:
    """同比: the change against the same period of the previous year."""
    if current is not None and previous is not None:
        same_quarter = current.quarter == previous.quarter
        if current.year is not None and previous.year is not None:
            if previous.year != current.year - 1 or not same_quarter:
                return PeriodChange(None, None, "exact", PERIOD_MISMATCH)
    return change(current, previous, kind)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    """The quarter before (Q1's predecessor is the previous year's Q4)."""
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def qoq(
    current: Measurement | None, previous: Measurement | None, kind: str = "flow"
) -> PeriodChange:
    """环比: the change against the immediately preceding quarter."""
    if current is not None and previous is not None:
        if current.quarter is None or previous.quarter is None:
            return PeriodChange(None, None, "exact", PERIOD_MISMATCH)
        if current.year is not None and previous.year is not None:
            if (previous.year, previous.quarter) != previous_quarter(current.year, current.quarter):
                return PeriodChange(None, None, "exact", PERIOD_MISMATCH)
    return change(current, previous, kind)


def completion(actual: float | None, target: float | None, comparator: str = ">=") -> float | None:
    """完成率 as a ratio where 1.0 means the target is just met.

    ≥ targets: actual ÷ target. ≤ targets (a ceiling): target ÷ actual, so staying under the
    ceiling reads as ≥ 100 %; an actual of 0 under a positive ceiling is 1.0 (met). None when
    either side is missing or the ratio is undefined.
    """
    if not is_finite(actual) or not is_finite(target):
        return None
    a, t = float(actual), float(target)
    if comparator == "<=":
        if a == 0:
            return 1.0 if t >= 0 else None
        return t / a
    if t == 0:
        return None
    return a / t


def meets(actual: float, target: float, comparator: str = ">=") -> bool:
    """Whether an actual value satisfies a target under its comparator."""
    return actual <= target if comparator == "<=" else actual >= target


def elapsed_share(quarters_reported: int) -> float:
    """The share of the year gone by the end of the last reported quarter (0–1)."""
    return max(0, min(4, quarters_reported)) / 4


def time_progress_flag(ratio: float | None, share: float | None) -> str | None:
    """序时进度 flag: 超序时 when completion keeps pace with the share of time gone, else 落后序时."""
    if ratio is None or share is None or share <= 0:
        return None
    return AHEAD_OF_TIME if ratio + 1e-9 >= share else BEHIND_TIME
