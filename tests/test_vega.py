"""Tests for lib.dash.vega, the dashboards' Vega-Lite charts: a missing year is a 无数据 mark and
never a bar, lines break at gaps, campaign figures are hollow dashed bars of their own, labels are
the figure model's text, ticks read 万 in Chinese, text from data stays as typed, and completion
bars stop at the cap while their labels keep the real 完成率."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from lib.dash import vega
from lib.dash.targets import TargetRow
from lib.dash.yoy import QuarterRow
from tests.test_charts import ROWS, yoy_row


def drawn(spec: dict, kind: str) -> list[tuple[str, str, object]]:
    """(series, year, value) of the records of one kind (full, campaign, gap)."""
    return [
        (r["series"], r["year"], r["value"]) for r in spec["data"]["values"] if r["kind"] == kind
    ]


def layer_of(spec: dict, kind: str) -> dict:
    """The one layer drawing the records of a kind."""
    found = [x for x in spec["layer"] if f"datum.kind === '{kind}'" in json.dumps(x)]
    assert len(found) == 1
    return found[0]


def test_missing_years_are_no_data_marks_not_bars() -> None:
    """Test that a year an org has no figure for gets a 无数据 text mark and no bar at all."""
    spec = vega.yoy_spec(ROWS, "bars", "zh", title="新增建会单位")
    assert drawn(spec, "full") == [("大兴区总工会", "2025", 3396), ("顺义区总工会", "2021", 10)]
    gaps = [(s, y) for s, y, _ in drawn(spec, "gap")]
    assert gaps == [
        ("大兴区总工会", "2021"),
        ("大兴区总工会", "2022"),
        ("顺义区总工会", "2022"),
        ("顺义区总工会", "2025"),
    ]
    # one character per line in Chinese, so two orgs' marks side by side never run together
    assert {r["text"] for r in spec["data"]["values"] if r["kind"] == "gap"} == {"无\n数\n据"}
    assert layer_of(spec, "gap")["mark"]["type"] == "text"
    assert layer_of(spec, "full")["mark"]["type"] == "bar"


def test_a_year_with_only_a_campaign_figure_gets_no_no_data_mark() -> None:
    """Test that 2025 with a campaign figure but no full-year one is not marked 无数据."""
    rows = [yoy_row("daxing", 2024, 5, text="5家"), replace(ROWS[3])]
    spec = vega.yoy_spec(rows, "bars", "zh")
    assert drawn(spec, "gap") == []
    assert [(y, v) for _, y, v in drawn(spec, "campaign")] == [("2025", 786)]


def test_campaign_figures_are_hollow_dashed_bars_in_the_orgs_colour() -> None:
    """Test that a campaign series is its own legend entry, drawn hollow and dashed, in the colour
    of its org's full-year bars."""
    spec = vega.yoy_spec(ROWS, "bars", "zh")
    mark = layer_of(spec, "campaign")["mark"]
    assert mark["filled"] is False and mark["strokeDash"]
    scale = spec["encoding"]["color"]["scale"]
    assert scale["domain"] == [
        "大兴区总工会",
        "大兴区总工会 · 2025年6月起蹲点工作期间",
        "顺义区总工会",
    ]
    assert scale["range"][0] == scale["range"][1] != scale["range"][2]


def test_lines_break_at_a_missing_year() -> None:
    """Test that in lines mode the years on either side of a gap are separate segments."""
    rows = [yoy_row("shunyi", y, v, text=f"{v}家") for y, v in ((2021, 1), (2022, 2), (2024, 4))]
    rows.insert(2, yoy_row("shunyi", 2023, None))
    spec = vega.yoy_spec(rows, "lines", "zh")
    segments = [r["segment"] for r in spec["data"]["values"] if r["kind"] == "full"]
    assert segments[0] == segments[1] != segments[2]
    line = next(x for x in spec["layer"] if x["mark"]["type"] == "line")
    assert line["encoding"]["detail"] == {"field": "segment"}


@pytest.mark.parametrize("mode", ["bars", "lines"])
def test_hovering_a_figure_shows_org_year_value_period_and_change(mode: str) -> None:
    """Test that every layer drawing a figure hovers with its org, year, value as shown, period
    and 同比 (no layer puts a channel outside its encoding)."""
    spec = vega.yoy_spec(ROWS, mode, "zh")
    for layer in spec["layer"]:
        assert set(layer) <= {"transform", "mark", "encoding"}
        if layer["mark"]["type"] in ("bar", "point"):
            fields = [f["field"] for f in layer["encoding"]["tooltip"]]
            assert fields == ["org", "year", "text", "period", "yoy"]


@pytest.mark.parametrize("mode", ["bars", "lines"])
def test_every_year_of_the_span_is_on_the_axis(mode: str) -> None:
    """Test that years without figures keep their place on the axis (an org with 2021 only still
    shows 2021–2025), so a gap is seen as a gap."""
    rows = [yoy_row("shunyi", 2021, 60, text="60家")]
    rows += [yoy_row("shunyi", y, None) for y in (2022, 2023, 2024, 2025)]
    x = vega.yoy_spec(rows, mode, "zh")["encoding"]["x"]
    assert x["scale"]["domain"] == ["2021", "2022", "2023", "2024", "2025"]


def test_value_labels_are_the_figure_models_text() -> None:
    """Test that the bar labels read as the figure model phrased them (1.8万余人, qualifier kept)."""
    rows = [yoy_row("daxing", 2024, 18000, text="1.8万余人")]
    spec = vega.yoy_spec(rows, "bars", "zh")
    assert [r["text"] for r in spec["data"]["values"]] == ["1.8万余人"]


@pytest.mark.parametrize(
    ("top", "lang", "labels"),
    [
        (46900, "zh", ["0", "1万", "2万", "3万", "4万", "5万"]),
        (46900, "en", ["0", "10,000", "20,000", "30,000", "40,000", "50,000"]),
        (9, "zh", ["0", "2", "4", "6", "8", "10"]),
    ],
)
def test_value_ticks_read_the_languages_way(top: float, lang: str, labels: list[str]) -> None:
    """Test that the value axis' ticks are round and read 万 in Chinese."""
    spec = vega.yoy_spec([yoy_row("daxing", 2025, top, text="x")], "bars", lang)
    axis = spec["encoding"]["y"]["axis"]
    assert json.loads(axis["labelExpr"].split("[indexof(")[0]) == labels
    assert len(axis["values"]) == len(labels) and axis["values"][0] == 0


def test_ticks_of_a_figure_in_wan_yuan_read_yuan_in_english() -> None:
    """Test that 160万元 labelled "1,600,000+ yuan" in English gets an axis in yuan, not 0–200."""
    row = replace(yoy_row("daxing", 2021, 160, text="1,600,000+ yuan"), scale=10**4)
    axis = vega.yoy_spec([row], "bars", "en")["encoding"]["y"]["axis"]
    labels = json.loads(axis["labelExpr"].split("[indexof(")[0])
    assert labels == ["0", "500,000", "1,000,000", "1,500,000", "2,000,000"]
    assert axis["values"] == [0, 50, 100, 150, 200]


def test_text_from_data_stays_as_typed() -> None:
    """Test that an org name with tags is the legend's text as typed, not escaped or read as
    markup (Vega draws it as text)."""
    planted = '<b>x</b> <img src="http://x/y.png">'
    rows = [replace(yoy_row("daxing", 2025, 1, text="1家"), org_name=planted)]
    spec = vega.yoy_spec(rows, "bars", "zh")
    assert spec["encoding"]["color"]["scale"]["domain"] == [planted]
    assert "&lt;" not in json.dumps(spec)


def test_a_long_legend_entry_is_cut_into_lines() -> None:
    """Test that a legend entry wider than a phone's chart is cut into lines Vega draws apart."""
    long_name = "北京市大兴区" * 6 + "总工会"
    rows = [replace(yoy_row("daxing", 2025, 1, text="1家"), org_name=long_name)]
    (label,) = vega.yoy_spec(rows, "bars", "zh")["encoding"]["color"]["scale"]["domain"]
    assert "\n" in label and label.replace("\n", "") == long_name


def test_the_title_carries_the_unit() -> None:
    """Test that the chart's title names the unit the Chinese way or the English way."""
    assert vega.yoy_spec(ROWS, "bars", "zh", title="新增建会单位")["title"]["text"] == (
        "新增建会单位（家）"
    )
    assert vega.yoy_spec(ROWS, "bars", "en", title="New units")["title"]["text"] == (
        "New units (家)"
    )


def test_charts_are_svg_in_the_cjk_font_with_nothing_fetched() -> None:
    """Test that a chart is drawn as SVG in the CJK font and names no address to fetch."""
    spec = vega.yoy_spec(ROWS, "bars", "zh")
    assert spec["usermeta"]["embedOptions"]["renderer"] == "svg"
    assert "Noto Sans CJK SC" in spec["config"]["font"]
    assert "http" not in json.dumps(spec)


def test_quarterly_chart_draws_each_quarter_and_the_running_total() -> None:
    """Test that the drill-down draws a bar per quarter and the 累计 line, with the model's text."""
    rows = [
        QuarterRow(2026, 1, 100, "100场", 100, "100场", "—", "—"),
        QuarterRow(2026, 2, 150, "150场", 250, "250场", "+50.0%", "—"),
    ]
    spec = vega.quarterly_spec(rows, "zh", title="招聘会")
    values = spec["data"]["values"]
    assert [(r["x"], r["series"], r["text"]) for r in values] == [
        ("2026年第1季度", "当季", "100场"),
        ("2026年第1季度", "累计", "100场"),
        ("2026年第2季度", "当季", "150场"),
        ("2026年第2季度", "累计", "250场"),
    ]


def target(
    name: str, completion: float | None, status: str, status_text: str, text: str = "—"
) -> TargetRow:
    """A target row as lib.dash.targets makes it (text: its 完成率 as the figure model reads it)."""
    return TargetRow(
        indicator="x",
        name=name,
        plan="计划",
        span="2025",
        target_text="≥ 10家",
        actual_text="—" if completion is None else "x家",
        actual_basis="全年",
        completion=completion,
        completion_text=text,
        status=status,
        status_text=status_text,
        time_share=None,
        time_flag=None,
        time_text="—",
        source_help="",
    )


def test_completion_bars_stop_at_the_cap_and_labels_keep_the_real_rate() -> None:
    """Test that 180 % draws a bar to 150 labelled 180.0%, a floor's rate keeps its ≥, and a
    target without an actual has no bar and is labelled with its status."""
    rows = [
        target("甲", 1.8, "done", "已完成", "180.0%"),
        target("丙", 1.2, "done", "已完成", "≥120.0%"),
        target("乙", None, "no_data", "暂无完成数据"),
    ]
    spec = vega.completion_spec(rows, "zh")
    values = spec["data"]["values"]
    assert [(r["pct"], r["label"]) for r in values] == [
        (150.0, "180.0%"),
        (120.0, "≥120.0%"),
        (None, "暂无完成数据"),
    ]
    color = spec["layer"][0]["encoding"]["color"]["scale"]
    assert color["domain"] == ["已完成", "暂无完成数据"]
    assert color["range"] == ["#2E7D32", "#9E9E9E"]


def test_completion_rows_with_the_same_name_stay_apart() -> None:
    """Test that two targets of the same indicator are two bars, named in order on the axis."""
    rows = [target("甲", 0.5, "behind", "滞后"), target("甲", 1.0, "done", "已完成")]
    spec = vega.completion_spec(rows, "zh")
    assert [r["row"] for r in spec["data"]["values"]] == [0, 1]
    label = spec["layer"][0]["encoding"]["y"]["axis"]["labelExpr"]
    assert json.loads(label.split("[datum.value]")[0]) == ["甲", "甲"]
