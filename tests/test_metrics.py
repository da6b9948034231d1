"""Tests for lib.core.metrics: 同比, 环比, 累计, 完成率, 序时进度, target status and multi-year plans."""

from __future__ import annotations

import pytest

from lib.core import metrics as m
from lib.core.metrics import Measurement


def fig(value, year=2025, qualifier="exact", note="", quarter=None, org="daxing", ind="x"):
    """A figure of one series (org daxing, indicator x) for the tables below."""
    return Measurement(value, qualifier, note, year, quarter, org, ind)


YOY = [
    # current, previous, kind, pct, delta, bound, reason
    (fig(110), fig(100, 2024), "flow", 10.0, 10.0, "exact", None),
    (fig(90), fig(100, 2024), "flow", -10.0, -10.0, "exact", None),
    (fig(3396), fig(3000, 2024), "stock", 13.2, 396.0, "exact", None),
    (fig(18000, qualifier="at_least"), fig(15000, 2024), "flow", 20.0, 3000.0, "at_least", None),
    (fig(18000), fig(15000, 2024, "at_least"), "flow", 20.0, 3000.0, "at_most", None),
    (fig(18000, qualifier="about"), fig(15000, 2024), "flow", 20.0, 3000.0, "about", None),
    (fig(90.0), fig(85.0, 2024), "rate", None, 5.0, "exact", None),
    (fig(None), fig(100, 2024), "flow", None, None, "exact", m.NO_CURRENT),
    (fig(100), None, "flow", None, None, "exact", m.NO_PREVIOUS),
    (fig(100), fig(None, 2024), "flow", None, None, "exact", m.NO_PREVIOUS),
    (fig(100, note="6月起专项行动"), fig(80, 2024), "flow", None, None, "exact", m.SUB_PERIOD),
    (fig(100), fig(80, 2024, note="6月起专项行动"), "flow", None, None, "exact", m.SUB_PERIOD),
    (fig(100, quarter=1), fig(80, 2024), "flow", None, None, "exact", m.PERIOD_MISMATCH),
    (fig(100), fig(80, 2023), "flow", None, None, "exact", m.PERIOD_MISMATCH),
    (fig(100), fig(80, 2024, org="shunyi"), "flow", None, None, "exact", m.DIFFERENT_SERIES),
    (fig(100), fig(80, 2024, ind="y"), "flow", None, None, "exact", m.DIFFERENT_SERIES),
    (fig(5), fig(0, 2024), "flow", None, 5.0, "exact", m.ZERO_BASE),
    (fig(120, quarter=2), fig(100, 2024, quarter=2), "flow", 20.0, 20.0, "exact", None),
]


@pytest.mark.parametrize(("cur", "prev", "kind", "pct", "delta", "bound", "reason"), YOY)
def test_yoy_compares_like_with_like(cur, prev, kind, pct, delta, bound, reason):
    """Test that 同比 gives the % (points for rates), its bound, or why there is none."""
    result = m.yoy(cur, prev, kind)
    assert result.reason == reason
    assert result.bound == bound
    assert result.pct == (pytest.approx(pct, abs=0.05) if pct is not None else None)
    assert result.delta == (pytest.approx(delta) if delta is not None else None)


QOQ = [
    (fig(120, quarter=2), fig(100, quarter=1), 20.0, None),
    (fig(120, quarter=1), fig(100, 2024, quarter=4), 20.0, None),
    (fig(120, quarter=3), fig(100, quarter=1), None, m.PERIOD_MISMATCH),
    (fig(120), fig(100, quarter=4), None, m.PERIOD_MISMATCH),
    (fig(120, quarter=2), None, None, m.NO_PREVIOUS),
]


@pytest.mark.parametrize(("cur", "prev", "pct", "reason"), QOQ)
def test_qoq_compares_adjacent_quarters_only(cur, prev, pct, reason):
    """Test that 环比 compares a quarter with the quarter just before it, across the year end."""
    result = m.qoq(cur, prev)
    assert result.reason == reason
    assert result.pct == (pytest.approx(pct) if pct is not None else None)


COMPLETION = [
    (3396, 3000, ">=", 1.132),
    (1500, 3000, ">=", 0.5),
    (90.0, 85.0, ">=", 1.0588),
    (80, 100, "<=", 1.25),
    (125, 100, "<=", 0.8),
    (0, 100, "<=", 1.0),
    (None, 100, ">=", None),
    (100, None, ">=", None),
    (100, 0, ">=", None),
]


@pytest.mark.parametrize(("actual", "target", "comparator", "expected"), COMPLETION)
def test_completion_reads_100_percent_when_just_met(actual, target, comparator, expected):
    """Test that 完成率 is actual÷target for ≥ and target÷actual for ≤ ceilings."""
    result = m.completion(actual, target, comparator)
    assert result == (pytest.approx(expected, abs=1e-4) if expected is not None else None)


@pytest.mark.parametrize(
    ("ratio", "share", "expected"),
    [
        (0.5, 0.5, m.AHEAD_OF_TIME),
        (0.6, 0.5, m.AHEAD_OF_TIME),
        (0.4, 0.5, m.BEHIND_TIME),
        (0.74, 0.75, m.BEHIND_TIME),
        (None, 0.5, None),
        (0.5, None, None),
    ],
)
def test_time_progress_flag(ratio, share, expected):
    """Test that 序时进度 says 超序时 when completion keeps pace with time gone, else 落后序时."""
    assert m.time_progress_flag(ratio, share) == expected


@pytest.mark.parametrize(("quarters", "share"), [(0, 0.0), (1, 0.25), (3, 0.75), (4, 1.0)])
def test_elapsed_share_by_reported_quarter(quarters, share):
    """Test that the share of the year gone follows the last reported quarter."""
    assert m.elapsed_share(quarters) == share
