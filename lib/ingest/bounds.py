"""Plausible bounds of uploaded values: what no union figure can be, refused with the bound named.

Counts and money stop at 10¹² (a trillion people, stations or yuan is a typing error, and larger
values overflow the dashboards' arithmetic); rates (unit %) lie in 0–100; years run from 2000 to
next year (plans are made a year ahead); nothing non-finite passes."""

from __future__ import annotations

import math
from datetime import date

YEAR_MIN = 2000
COUNT_MAX = 1e12
RATE_MAX = 100.0


def year_max() -> int:
    """The latest year a figure or target may carry: next year."""
    return date.today().year + 1


def is_rate(unit_zh: str, kind: str) -> bool:
    """True for an indicator measured in per cent."""
    return kind == "rate" or unit_zh.strip() == "%"


def value_bound(unit_zh: str, kind: str) -> float:
    """The largest plausible value of an indicator of this unit and kind."""
    return RATE_MAX if is_rate(unit_zh, kind) else COUNT_MAX


def within(value: float, bound: float) -> bool:
    """True when a value is finite and not above its bound (negatives are refused elsewhere)."""
    return math.isfinite(value) and value <= bound


def limit_text(unit_zh: str, kind: str, lang: str) -> str:
    """The bound as the clerk reads it: 100% or 10¹²（1万亿）人."""
    if is_rate(unit_zh, kind):
        return "100%"
    return f"10¹²（1万亿）{unit_zh}" if lang == "zh" else f"10¹² (a trillion) {unit_zh}"
