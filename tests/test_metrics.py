"""Tests for lib.core.metrics: 同比, 环比, 累计, 完成率, 序时进度, target status and multi-year plans."""

from __future__ import annotations

import pytest

from lib.core import metrics as m
from lib.core.metrics import Figure


def fig(value, year=2025, qualifier="exact", note="", quarter=None, org="daxing", ind="x"):
    """A figure of one series (org daxing, indicator x) for the tables below."""
    return Figure(value, qualifier, note, year, quarter, org, ind)


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


CUMULATIVE = [
    ([10, 20, 30, 40], "sum", [10, 30, 60, 100]),
    ([10, None, 30, 40], "sum", [10, None, None, None]),
    ([5, 7, 6, 9], "last", [5, 7, 6, 9]),
    ([5, 7, 6, 9], "max", [5, 7, 7, 9]),
    ([80, 90], "mean", [80, 85]),
    ([], "sum", []),
]


@pytest.mark.parametrize(("values", "rollup", "expected"), CUMULATIVE)
def test_cumulative_runs_by_rollup_and_breaks_on_a_gap(values, rollup, expected):
    """Test that 累计 adds (or takes last/max/mean) and a missing quarter breaks later ones."""
    assert m.cumulative(values, rollup) == expected


@pytest.mark.parametrize(
    ("values", "rollup", "expected"),
    [([1, 2, 3, 4], "sum", 10), ([1, 2, 3], "sum", None), ([1, None, 3, 4], "sum", None)],
)
def test_rollup_year_needs_all_four_quarters(values, rollup, expected):
    """Test that a year is built from quarters only when all four are reported."""
    assert m.rollup_year(values, rollup) == expected


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


STATUS = [
    # actual, target, comparator, period_over, time_share, kind, lower_bound, expected
    (3396, 3000, ">=", True, None, "flow", False, m.DONE),
    (2000, 3000, ">=", True, None, "flow", False, m.BEHIND),
    (2000, 3000, ">=", False, None, "flow", False, m.IN_PROGRESS),
    (2000, 3000, ">=", False, 0.5, "flow", False, m.IN_PROGRESS),
    (1000, 3000, ">=", False, 0.5, "flow", False, m.BEHIND),
    (None, 3000, ">=", True, None, "flow", False, m.NO_DATA),
    (90.0, 85.0, ">=", True, None, "rate", False, m.DONE),
    (80.0, 85.0, ">=", True, None, "rate", False, m.BEHIND),
    (3396, 3000, ">=", True, None, "flow", True, m.DONE),
    (2000, 3000, ">=", True, None, "flow", True, m.NO_DATA),
    (2000, 3000, ">=", False, None, "flow", True, m.IN_PROGRESS),
    (80, 100, "<=", True, None, "flow", False, m.DONE),
    (120, 100, "<=", True, None, "flow", False, m.BEHIND),
    (80, 100, "<=", False, None, "flow", False, m.IN_PROGRESS),
    (120, 100, "<=", False, None, "flow", False, m.BEHIND),
    (3.0, 2.0, "<=", False, None, "rate", False, m.IN_PROGRESS),
    (3.0, 2.0, "<=", True, None, "rate", False, m.BEHIND),
    (80, 100, "<=", True, None, "flow", True, m.NO_DATA),
    (120, 100, "<=", False, None, "flow", True, m.BEHIND),
]


@pytest.mark.parametrize(
    ("actual", "target", "comparator", "over", "share", "kind", "lower", "expected"), STATUS
)
def test_target_status_rules(actual, target, comparator, over, share, kind, lower, expected):
    """Test that a target reads 已完成/进行中/滞后/无实际数据 by comparator, time and bound."""
    result = m.target_status(
        actual,
        target,
        comparator,
        period_over=over,
        time_share=share,
        kind=kind,
        lower_bound=lower,
    )
    assert result == expected


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


PLANS = [
    # annual, target, comparator, base, end, as_of, rollup -> actual, share, status, flag
    ({2025: 400}, 1000, ">=", 2025, 2027, 2026, "sum", 400, 1 / 3, m.IN_PROGRESS, m.AHEAD_OF_TIME),
    ({2025: 200}, 1000, ">=", 2025, 2027, 2026, "sum", 200, 1 / 3, m.BEHIND, m.BEHIND_TIME),
    (
        {2025: 400, 2026: 700},
        1000,
        ">=",
        2025,
        2027,
        2027,
        "sum",
        1100,
        2 / 3,
        m.DONE,
        m.AHEAD_OF_TIME,
    ),
    ({2026: 700}, 1000, ">=", 2025, 2027, 2027, "sum", None, None, m.NO_DATA, None),
    (
        {2025: 8, 2026: 9},
        10,
        ">=",
        2025,
        2027,
        2027,
        "last",
        9,
        2 / 3,
        m.IN_PROGRESS,
        m.AHEAD_OF_TIME,
    ),
    ({2025: 3, 2027: 7}, 10, ">=", 2025, 2027, 2028, "last", 7, 1.0, m.BEHIND, None),
    ({}, 10, ">=", 2025, 2027, 2026, "last", None, None, m.NO_DATA, None),
]


@pytest.mark.parametrize(
    (
        "annual",
        "target",
        "cmp",
        "base",
        "end",
        "as_of",
        "rollup",
        "actual",
        "share",
        "status",
        "flag",
    ),
    PLANS,
)
def test_multi_year_plan_progress(
    annual, target, cmp, base, end, as_of, rollup, actual, share, status, flag
):
    """Test that a 2025–2027 plan adds up (or takes the latest) and compares with time gone."""
    result = m.plan_progress(annual, target, cmp, base, end, as_of, rollup)
    assert result.actual == actual
    assert result.time_share == (pytest.approx(share) if share is not None else None)
    assert result.status == status
    assert result.flag == flag


CHANGE_DISPLAY = [
    # change, kind, direction, lang, text, tone
    (m.Change(13.2, 396.0), "flow", "up", "zh", "+13.2%", "good"),
    (m.Change(-10.0, -10.0), "flow", "up", "en", "-10.0%", "bad"),
    (m.Change(-10.0, -10.0), "flow", "down", "zh", "-10.0%", "good"),
    (m.Change(None, 5.0), "rate", "up", "zh", "+5个百分点", "good"),
    (m.Change(None, -2.5), "rate", "up", "en", "-2.5 pp", "bad"),
    (m.Change(20.0, 3000.0, "at_least"), "flow", "up", "zh", "≥+20.0%", "good"),
    (m.Change(20.0, 3000.0, "about"), "flow", "up", "zh", "≈+20.0%", "good"),
    (m.Change(0.0, 0.0), "flow", "up", "zh", "0.0%", "flat"),
    (m.Change(None, None, "exact", m.NO_PREVIOUS), "flow", "up", "zh", "—", "none"),
]


@pytest.mark.parametrize(("change", "kind", "direction", "lang", "text", "tone"), CHANGE_DISPLAY)
def test_change_display_and_direction_colour(change, kind, direction, lang, text, tone):
    """Test that a change reads +x% (points for rates, ≥/≈ for bounds) and its colour follows
    the indicator's direction (a fall is good when lower is better)."""
    from lib.dash import views

    assert views.change_text(change, kind, lang) == text
    assert views.change_tone(change, direction) == tone
