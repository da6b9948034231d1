"""Tests of the one figure model (lib.core.figures): periods, roll-up, qualifier merge, a year's
actual, the target decision table and 序时进度, and how a change is phrased."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from lib.core import figures as f
from lib.core import judgement as jd
from lib.core import metrics as m

IND = {
    "events": f.IndicatorMeta(
        "events", "活动", "Events", "services", "场", "events", "flow", "sum", "up"
    ),
    "members": f.IndicatorMeta(
        "members", "发展会员", "Members", "org_building", "人", "people", "flow", "sum", "up"
    ),
    "rate": f.IndicatorMeta("rate", "签订率", "Rate", "rights", "%", "%", "rate", "last", "up"),
    "stock": f.IndicatorMeta(
        "stock", "驿站（累计）", "Stations", "services", "家", "stations", "stock", "last", "up"
    ),
}
TODAY = date(2026, 11, 30)


def fset(*rows: tuple) -> f.FigureSet:
    """A figure set of rows (indicator, year, quarter, value, qualifier[, note]) of one org."""
    obs = [
        f.Obs("o", r[0], r[1], r[2], r[5] if len(r) > 5 else "", r[3], r[4], n, f"s{n}")
        for n, r in enumerate(rows)
    ]
    return f.FigureSet(obs, IND)


CUMULATIVE = [
    ([10, 20, 30, 40], "sum", [10, 30, 60, 100]),
    ([10, None, 30, 40], "sum", [10, None, None, None]),
    ([5, 7, 6, 9], "last", [5, 7, 6, 9]),
    ([5, 7, 6, 9], "max", [5, 7, 7, 9]),
    ([80, 90], "mean", [80, 85]),
    ([], "sum", []),
]


@pytest.mark.parametrize(("values", "rollup", "expected"), CUMULATIVE)
def test_roll_up_by_rollup_and_breaks_on_a_gap(values, rollup, expected):
    """Test that 累计 adds (or takes last/max/mean) and a missing quarter breaks later ones."""
    assert f.roll_up(values, rollup) == expected


@pytest.mark.parametrize(
    ("qualifiers", "expected"),
    [
        (["exact", "exact"], "exact"),
        (["exact", "at_least", "exact"], "at_least"),
        (["at_least", "about"], "about"),
        (["exact", "about"], "about"),
        (["at_least", "at_least"], "at_least"),
    ],
)
def test_merge_qualifiers(qualifiers, expected):
    """Test that exact + at least = at least and anything + about = about."""
    assert f.merge_qualifiers(qualifiers) == expected


def test_four_quarters_with_one_floor_roll_up_to_a_floor():
    """Test that 1,000场 × 4 with one 1000余 reads 4,000余场 for the year, not 近4,000场."""
    fs = fset(*[("events", 2026, q, 1000, "at_least" if q == 2 else "exact") for q in (1, 2, 3, 4)])
    fig = fs.get("o", "events", 2026)
    assert fig is not None and f.shown(fig, IND["events"], "zh") == "4,000余场"


def test_running_total_keeps_the_qualifier():
    """Test that a quarters-to-date sum of 1.2万余 + 1,000 keeps its 余 (1.3万余人)."""
    fs = fset(("members", 2026, 1, 12000, "at_least"), ("members", 2026, 2, 1000, "exact"))
    fig = fs.get("o", "members", 2026, f.to_date(2))
    assert fig is not None and f.shown(fig, IND["members"], "zh") == "1.3万余人"


@pytest.mark.parametrize(
    ("period", "zh", "en"),
    [
        (f.YEAR, "全年", "full year"),
        (f.to_date(1), "一季度", "Q1"),
        (f.to_date(3), "1—3季度累计", "Q1–Q3 cumulative"),
        (
            f.Period(f.SUB, 0, "2025年6月起蹲点工作期间"),
            "2025年6月起蹲点工作期间",
            "from June 2025, on-site campaign",
        ),
    ],
)
def test_period_is_always_named(period, zh, en):
    """Test that every period reads as a name (one quarter is 一季度, never 1—1季度累计)."""
    assert (period.label("zh"), period.label("en")) == (zh, en)


def test_stock_with_a_date_is_a_stock_not_a_campaign():
    """Test that a stock figure with a date note is a stock period, not a sub-period."""
    fs = fset(("stock", 2023, None, 15, "exact", "2023年初存量"))
    assert fs.year_periods("o", 2023) == [f.Period(f.STOCK, 0, "2023年初存量")]


def test_to_date_yoy_compares_same_quarters_of_a_full_year():
    """Test that Q1–Q2 2026 compares with Q1–Q2 of 2025 even when 2025 has all four quarters."""
    fs = fset(
        *[("events", 2025, q, 100, "exact") for q in (1, 2, 3, 4)],
        ("events", 2026, 1, 110, "exact"),
        ("events", 2026, 2, 110, "exact"),
    )
    ch = fs.yoy("o", "events", 2026, f.to_date(2))
    assert f.change_text(ch, "flow", "zh") == "+10.0%"


def test_decision_table_covers_every_case():
    """Test that the decision table has one status for every reading × comparator × meets × timing."""
    timings = {">=": ("over", "on_pace", "off_pace", "running"), "<=": ("over", "running")}
    for reading, cmp, meets in itertools.product(("exact", "floor", "about"), timings, (1, 0)):
        for timing in timings[cmp]:
            assert jd.DECISIONS[(reading, cmp, bool(meets), timing)] in jd.STATUSES


JUDGE = [
    # rows, indicator, target, comparator, status, flag
    ([("events", 2025, None, 3396, "exact")], "events", 3000, ">=", jd.DONE, None),
    ([("events", 2025, None, 2000, "exact")], "events", 3000, ">=", jd.BEHIND, None),
    ([("events", 2026, 1, 1000, "exact")], "events", 3000, ">=", jd.IN_PROGRESS, m.AHEAD_OF_TIME),
    ([("events", 2026, 1, 500, "exact")], "events", 3000, ">=", jd.BEHIND, m.BEHIND_TIME),
    ([("events", 2026, q, 40, "exact") for q in (1, 2, 3)], "events", 100, ">=", jd.DONE, None),
    ([], "events", 3000, ">=", jd.NO_DATA, None),
    ([("members", 2025, None, 18000, "at_least")], "members", 20000, ">=", jd.UNPROVEN, None),
    ([("members", 2025, None, 21000, "at_least")], "members", 20000, ">=", jd.DONE, None),
    ([("members", 2026, 1, 1000, "at_least")], "members", 20000, ">=", jd.UNPROVEN, None),
    (
        [("members", 2026, 1, 6000, "at_least")],
        "members",
        20000,
        ">=",
        jd.IN_PROGRESS,
        m.AHEAD_OF_TIME,
    ),
    ([("rate", 2025, None, 90, "exact")], "rate", 85, ">=", jd.DONE, None),
    ([("rate", 2025, None, 80, "about")], "rate", 85, ">=", jd.BEHIND, None),
    ([("events", 2025, None, 80, "exact")], "events", 100, "<=", jd.DONE, None),
    ([("events", 2025, None, 120, "exact")], "events", 100, "<=", jd.BEHIND, None),
    ([("events", 2026, 1, 80, "exact")], "events", 100, "<=", jd.IN_PROGRESS, None),
    ([("events", 2026, 1, 120, "exact")], "events", 100, "<=", jd.BEHIND, None),
    ([("rate", 2026, 1, 3, "exact")], "rate", 2, "<=", jd.IN_PROGRESS, None),
    ([("events", 2025, None, 80, "at_least")], "events", 100, "<=", jd.UNPROVEN, None),
    ([("events", 2025, None, 120, "at_least")], "events", 100, "<=", jd.BEHIND, None),
    ([("events", 2025, None, 500, "exact", "6月起蹲点")], "events", 3000, ">=", jd.UNPROVEN, None),
    (
        [("events", 2026, None, 500, "exact", "6月起蹲点")],
        "events",
        3000,
        ">=",
        jd.IN_PROGRESS,
        None,
    ),
    ([("events", 2026, None, 5000, "exact", "6月起蹲点")], "events", 3000, ">=", jd.DONE, None),
    ([("stock", 2023, None, 15, "exact", "2023年初存量")], "stock", 20, ">=", jd.NO_DATA, None),
]


@pytest.mark.parametrize(("rows", "ind", "target", "cmp", "status", "flag"), JUDGE)
def test_judge_one_status_per_target(rows, ind, target, cmp, status, flag):
    """Test that a target gets one status by qualifier, period and comparator, with 序时 only
    where it adds to the status."""
    year = rows[0][1] if rows else 2025
    j = jd.judge(fset(*rows), "o", ind, year, target, cmp, TODAY)
    assert (j.status, j.time_flag) == (status, flag)


def test_time_progress_never_contradicts_the_status():
    """Test that 超序时 only goes with 进行中 and 落后序时 only with 滞后, over many cases."""
    for value, quarters, qual, year in itertools.product(
        (10, 40, 60, 90, 200), (1, 2, 3), ("exact", "at_least", "about"), (2024, 2026)
    ):
        rows = [("events", year, q, value / quarters, qual) for q in range(1, quarters + 1)]
        j = jd.judge(fset(*rows), "o", "events", year, 100, ">=", TODAY)
        allowed = {
            None: set(jd.STATUSES),
            m.AHEAD_OF_TIME: {jd.IN_PROGRESS},
            m.BEHIND_TIME: {jd.BEHIND},
        }
        assert j.status in allowed[j.time_flag], (value, quarters, qual, year, j)


def test_to_date_actual_of_a_past_year_is_judged_by_pace():
    """Test that 78.5% over Q1–Q3 of a past year reads 进行中 with 超序时, not 滞后 beside 超序时."""
    rows = [("events", 2025, q, 785 / 3, "exact") for q in (1, 2, 3)]
    j = jd.judge(fset(*rows), "o", "events", 2025, 1000, ">=", TODAY)
    assert (jd.status_text(j.status, "zh"), jd.time_text(j, "zh")) == (
        "进行中",
        "超序时（时间已过75%）",
    )


PLANS = [
    # rows, target, rollup indicator, as_of, actual, status, flag
    (
        [("events", 2025, None, 400, "exact")],
        1000,
        "events",
        2026,
        400,
        jd.IN_PROGRESS,
        m.AHEAD_OF_TIME,
    ),
    ([("events", 2025, None, 200, "exact")], 1000, "events", 2026, 200, jd.BEHIND, m.BEHIND_TIME),
    (
        [("events", 2025, None, 400, "exact"), ("events", 2026, None, 700, "exact")],
        1000,
        "events",
        2027,
        1100,
        jd.DONE,
        None,
    ),
    ([("events", 2026, None, 700, "exact")], 1000, "events", 2027, None, jd.NO_DATA, None),
    (
        [("stock", 2025, None, 8, "exact"), ("stock", 2026, None, 9, "exact")],
        10,
        "stock",
        2027,
        9,
        jd.IN_PROGRESS,
        m.AHEAD_OF_TIME,
    ),
    (
        [("stock", 2025, None, 3, "exact"), ("stock", 2027, None, 7, "exact")],
        10,
        "stock",
        2028,
        7,
        jd.BEHIND,
        None,
    ),
    ([], 10, "stock", 2026, None, jd.NO_DATA, None),
]


@pytest.mark.parametrize(("rows", "target", "ind", "as_of", "actual", "status", "flag"), PLANS)
def test_multi_year_plan(rows, target, ind, as_of, actual, status, flag):
    """Test that a 2025–2027 plan adds up (or takes the latest) and compares with time gone."""
    j = jd.judge_plan(fset(*rows), "o", ind, (2025, 2027), target, ">=", as_of)
    assert (j.actual.value if j.actual else None, j.status, j.time_flag) == (actual, status, flag)


C = m.PeriodChange
CHANGES = [
    # change, kind, lang, short, words
    (C(13.2, 396.0), "flow", "zh", "+13.2%", "同比增长13.2%"),
    (C(-10.0, -10.0), "flow", "en", "-10.0%", "down 10.0% year on year"),
    (C(None, 5.0), "rate", "zh", "+5.0个百分点", "同比提高5.0个百分点"),
    (C(None, -2.5), "rate", "en", "-2.5 pp", "down 2.5 points year on year"),
    (C(20.0, 3000.0, "at_least"), "flow", "zh", "≥+20.0%", "同比增长20.0%以上"),
    (C(-5.0, -2.0, "at_most"), "flow", "zh", "≤-5.0%", "同比下降5.0%以上"),
    (C(20.0, 3000.0, "about"), "flow", "zh", "≈+20.0%", "同比增长约20.0%"),
    (C(12.34, 10.0, "at_most"), "flow", "en", "≤+12.3%", "up about 12.3% year on year"),
    (C(0.0, 0.0), "flow", "zh", "0.0%", "与上年持平"),
    (C(None, None, "exact", m.NO_PREVIOUS), "flow", "zh", "—", None),
    (C(None, 5.0, "exact", m.ZERO_BASE), "flow", "zh", "—", None),
]


@pytest.mark.parametrize(("change", "kind", "lang", "short", "words"), CHANGES)
def test_change_phrasing(change, kind, lang, short, words):
    """Test that a change reads the same number in a table (+13.2%, ≥/≤/≈ for bounds) and in a
    sentence (同比增长13.2%以上), and not at all when incomparable."""
    assert (f.change_text(change, kind, lang), f.change_words(change, kind, lang)) == (short, words)


@pytest.mark.parametrize(
    ("change", "direction", "tone"),
    [
        (C(13.2, 396.0), "up", "good"),
        (C(-10.0, -10.0), "down", "good"),
        (C(-10.0, -10.0), "up", "bad"),
        (C(0.0, 0.0), "up", "flat"),
        (C(None, None, "exact", m.NO_PREVIOUS), "up", "none"),
    ],
)
def test_change_tone_follows_direction(change, direction, tone):
    """Test that a change's colour follows the indicator's direction (lower can be better)."""
    assert f.change_tone(change, direction) == tone
