"""Tests for lib.dash.charts: gaps stay gaps, campaign figures are their own trace, Chinese ticks, the CJK
font, PNG download config without MathJax, and completion bars coloured by status."""

from __future__ import annotations

import json
from dataclasses import replace
from types import SimpleNamespace

import pytest

from lib.dash import charts
from lib.dash.yoy import QuarterRow, YoyRow


def yoy_row(org, year, value, period="", text="—"):
    """A row as lib.dash.yoy.yoy_rows makes it."""
    return YoyRow(
        org=org,
        org_name={"daxing": "大兴区总工会", "shunyi": "顺义区总工会"}[org],
        indicator="x",
        indicator_name="新增建会单位",
        unit="家",
        year=year,
        period=period,
        period_label=period,
        period_name=period or "全年",
        value=value,
        qualifier="exact" if value is not None else None,
        value_text=text,
        yoy_pct=None,
        yoy_text="—",
        yoy_note="",
    )


ROWS = [
    yoy_row("daxing", 2021, None),
    yoy_row("daxing", 2022, None),
    yoy_row("daxing", 2025, 3396, text="3,396家"),
    yoy_row("daxing", 2025, 786, period="2025年6月起蹲点工作期间", text="786家"),
    yoy_row("shunyi", 2021, 10, text="10家"),
    yoy_row("shunyi", 2022, None),
    yoy_row("shunyi", 2025, None),
]


@pytest.mark.parametrize("mode", ["bars", "lines"])
def test_yoy_figure_keeps_gaps_and_separates_campaign(mode):
    """Test that missing years are None and a campaign figure is its own trace, per org."""
    fig = charts.yoy_figure(ROWS, mode, "zh", title="新增建会单位")
    series = [t for t in fig.data if t.meta != "gap"]
    names = [t.name for t in series]
    assert names == ["大兴区总工会", "大兴区总工会 · 2025年6月起蹲点工作期间", "顺义区总工会"]
    daxing = series[0]
    assert list(daxing.x) == [2021, 2022, 2025]
    assert list(daxing.y) == [None, None, 3396]
    assert list(series[1].y) == [786]


def gap_marks(fig) -> dict[str, list]:
    """The no-data marks of a figure: offset group (org) -> years marked."""
    return {t.offsetgroup: list(t.x) for t in fig.data if t.meta == "gap"}


@pytest.mark.parametrize(("lang", "label"), [("zh", "无数据"), ("en", "no data")])
def test_bars_mark_each_missing_year_with_no_data(lang, label):
    """Test that a bar chart writes 无数据 / no data at each org's missing years, in its slot."""
    fig = charts.yoy_figure(ROWS, "bars", lang, title="x")
    assert gap_marks(fig) == {"daxing": [2021, 2022], "shunyi": [2022, 2025]}
    marks = [t for t in fig.data if t.meta == "gap"]
    assert all(set(t.text) == {label} and set(t.y) == {0} for t in marks)
    assert not any(t.showlegend for t in marks)
    assert fig.layout.scattermode == "group"


def test_campaign_bars_stand_beside_the_full_year_bar():
    """Test that a campaign bar has its own slot, never drawn over the org's full-year bar."""
    fig = charts.yoy_figure(ROWS, "bars", "zh")
    bars = [t for t in fig.data if t.type == "bar"]
    groups = [t.offsetgroup for t in bars]
    assert len(set(groups)) == len(bars) and fig.layout.barmode == "group"


def test_year_with_only_a_campaign_figure_is_not_marked_missing():
    """Test that a year with a campaign-period figure is not marked as having no data."""
    rows = [yoy_row("daxing", 2024, 10, text="10家"), yoy_row("daxing", 2025, None)]
    rows.append(yoy_row("daxing", 2025, 786, period="2025年6月起蹲点工作期间", text="786家"))
    assert gap_marks(charts.yoy_figure(rows, "bars", "zh")) == {}


def test_lines_carry_no_gap_marks():
    """Test that line charts keep their breaks without text marks."""
    assert gap_marks(charts.yoy_figure(ROWS, "lines", "zh")) == {}


def test_long_english_legend_entries_wrap():
    """Test that a long English legend entry is broken onto lines of at most ~40 characters."""
    name = "Daxing District Federation of Trade Unions"
    full = replace(yoy_row("daxing", 2025, 3396, text="3,396"), org_name=name)
    campaign = replace(full, value=786, period="c", period_label="from June 2025, on-site campaign")
    fig = charts.yoy_figure([full, campaign], "bars", "en")
    labels = [t.name for t in fig.data if t.meta != "gap"]
    assert labels[0].replace("<br>", " ") == name and "<br>" in labels[0]
    lines = labels[1].split("<br>")
    assert len(lines) >= 3 and all(len(line) <= 40 for line in lines)
    assert " ".join(lines) == f"{name} from June 2025, on-site campaign"


def test_short_legend_entries_stay_on_one_line():
    """Test that an entry that fits (a Chinese org name) is not broken."""
    assert charts.wrap_label("大兴区总工会 · 2025年6月起蹲点工作期间") == (
        "大兴区总工会 · 2025年6月起蹲点工作期间"
    )


def test_sparkline_svg_takes_the_cards_width():
    """Test that the sparkline is drawn at 100% of its container's width, not a fixed 160 px."""
    svg = charts.sparkline_svg([2021, 2025], [1, 2])
    head = svg.split(">", 1)[0]
    assert 'width="100%"' in head and "width:100%" in head and 'height="' not in head


def test_yoy_lines_do_not_bridge_gaps():
    """Test that lines break at missing years."""
    fig = charts.yoy_figure(ROWS, "lines", "zh")
    assert fig.data[0].connectgaps is False
    assert fig.data[1].mode == "markers"


@pytest.mark.parametrize(
    ("lang", "values", "expected"),
    [
        ("zh", [18000], ["0", "5,000", "1万", "1.5万", "2万"]),
        ("en", [18000], ["0", "5,000", "10,000", "15,000", "20,000"]),
        ("zh", [469000], ["0", "10万", "20万", "30万", "40万", "50万"]),
    ],
)
def test_value_axis_reads_the_language_way(lang, values, expected):
    """Test that y ticks use 万 in Chinese and separators in English."""
    layout = charts.value_axis_layout(values, lang, "")
    assert layout["yaxis"]["ticktext"] == expected


def test_theme_uses_the_cjk_font():
    """Test that figures use Noto Sans CJK SC first."""
    fig = charts.yoy_figure(ROWS, "bars", "zh")
    assert fig.layout.font.family.startswith("Noto Sans CJK SC")


def test_config_downloads_png_without_mathjax():
    """Test that the modebar downloads a PNG and MathJax typesetting is off."""
    cfg = charts.config("yoy_daxing")
    assert cfg["toImageButtonOptions"]["format"] == "png"
    assert cfg["toImageButtonOptions"]["filename"] == "yoy_daxing"
    assert cfg["typesetMath"] is False


def test_config_speaks_chinese_in_the_chinese_ui():
    """Test that the Chinese UI's chart config carries plotly's zh-CN words for the modebar."""
    cfg = charts.config("x", "zh")
    assert cfg["locale"] == "zh-CN"
    words = cfg["locales"]["zh-CN"]["dictionary"]
    assert words["Download plot as a PNG"] == "下载图表为PNG格式"
    assert words["Reset axes"] == "重置轴"


def test_config_keeps_plotlys_english_in_the_english_ui():
    """Test that the English UI's config sets no locale (plotly's own English)."""
    assert "locale" not in charts.config("x", "en")


def test_no_latex_in_figures():
    """Test that no label would trigger MathJax ($…$)."""
    fig = charts.yoy_figure(ROWS, "bars", "en", title="New unions")
    assert "$" not in json.dumps(fig.to_plotly_json(), default=str)


def target(name, completion, status):
    """A target row as lib.dash.targets.TargetRow carries it (only what the chart reads)."""
    return SimpleNamespace(
        name=name,
        completion=completion,
        status=status,
        status_text={"done": "已完成", "no_data": "无实际数据", "behind": "滞后"}[status],
        completion_text="—" if completion is None else f"{completion * 100:.1f}%",
        target_text="≥ 2家",
        actual_text="—",
    )


def test_completion_bars_colour_by_status_and_mark_100():
    """Test that bars are coloured by status, no-actual shows its status, and 100% is marked."""
    rows = [target("a", 1.2, "done"), target("b", None, "no_data"), target("c", 0.5, "behind")]
    fig = charts.completion_figure(rows, "zh")
    colour = {tr.name: tr.marker.color for tr in fig.data}
    assert colour == {
        "已完成": charts.STATUS_COLORS["done"],
        "无实际数据": charts.STATUS_COLORS["no_data"],
        "滞后": charts.STATUS_COLORS["behind"],
    }
    texts = {y: x for tr in fig.data for y, x in zip(tr.y, tr.text, strict=True)}
    assert texts == {"a": "120.0%", "b": "无实际数据", "c": "50.0%"}
    assert list(fig.layout.yaxis.categoryarray) == ["a", "b", "c"]
    assert fig.layout.shapes[0].x0 == 100


def test_completion_legend_names_each_status_shown_once():
    """Test that the legend lists each status present once, in status order, and no other."""
    rows = [target("a", 0.5, "behind"), target("b", 1.2, "done"), target("c", 1.1, "done")]
    fig = charts.completion_figure(rows, "zh")
    assert [tr.name for tr in fig.data if tr.showlegend is not False] == ["已完成", "滞后"]
    assert fig.layout.showlegend is True


def test_completion_100_line_is_labelled():
    """Test that the dashed 100% line carries a label in the UI language."""
    en = charts.completion_figure([target("a", 0.5, "behind")], "en")
    zh = charts.completion_figure([target("a", 0.5, "behind")], "zh")
    assert en.layout.annotations[0].text == "100% = target met"
    assert zh.layout.annotations[0].text == "100% = 完成目标"
    assert en.layout.annotations[0].x == 100


@pytest.mark.parametrize(
    ("completions", "top"),
    [((0.5, None), 130), ((1.13, 0.9), 150), ((1.6,), 190), ((None,), 130)],
)
def test_completion_axis_fits_the_data(completions, top):
    """Test that the axis ends just past the longest bar (or the 100% line), not at a fixed 175%."""
    rows = [
        target(str(i), c, "no_data" if c is None else "done") for i, c in enumerate(completions)
    ]
    fig = charts.completion_figure(rows, "zh")
    assert list(fig.layout.xaxis.range) == [0, top]


@pytest.mark.parametrize(
    ("top", "ticks"),
    [(4, [0, 1, 2, 3, 4]), (3396, [0, 1000, 2000, 3000, 4000]), (0, [0.0, 1.0])],
)
def test_nice_ticks(top, ticks):
    """Test that ticks are round numbers from 0 past the top."""
    assert charts.nice_ticks(top) == ticks


def test_sparkline_svg_breaks_on_missing_years():
    """Test that the card sparkline draws one line per run of years and a dot per figure."""
    svg = charts.sparkline_svg([2021, 2022, 2023, 2024, 2025], [21, None, None, 30, 40])
    assert svg.count("<polyline") == 1  # 2024–2025 only; 2021 stands alone
    assert svg.count("<circle") == 3
    assert ">2021<" in svg and ">2025<" in svg


def test_sparkline_svg_single_year_is_a_dot():
    """Test that a single figure is a dot with no line (nothing is invented for missing years)."""
    svg = charts.sparkline_svg([2021, 2022, 2023, 2024, 2025], [None, None, None, None, 3396])
    assert svg.count("<polyline") == 0
    assert svg.count("<circle") == 1


QUARTER = QuarterRow(2025, 1, 10.0, "10家", 10.0, "10家", "—", "—")


@pytest.mark.parametrize(
    "make",
    [
        lambda: charts.yoy_figure([yoy_row("daxing", 2021, 10, text="10家")], "bars", "zh", "t"),
        lambda: charts.quarterly_figure([QUARTER], "zh", "t"),
    ],
    ids=["yoy", "quarterly"],
)
def test_figures_keep_the_white_theme_with_light_grid(make):
    """Test that every chart is drawn on white with plotly_white's light grid lines."""
    layout = json.loads(make().to_json())["layout"]
    tpl = layout["template"]["layout"]
    assert tpl["plot_bgcolor"] == "white" and tpl["paper_bgcolor"] == "white"
    assert tpl["yaxis"]["gridcolor"] == "#EBF0F8"
    assert layout.get("plot_bgcolor", "white") in ("white", "rgba(0,0,0,0)")


def test_yoy_figure_ticks_of_a_figure_in_wan_yuan_read_yuan_in_english():
    """Test that the PNG's axis of 160万元 in English reads yuan, as its labels do."""
    row = replace(yoy_row("daxing", 2021, 160, text="1,600,000+ yuan"), scale=10**4)
    axis = charts.yoy_figure([row], "bars", "en").layout.yaxis
    assert list(axis.ticktext) == ["0", "500,000", "1,000,000", "1,500,000", "2,000,000"]
    assert list(axis.tickvals) == [0, 50, 100, 150, 200]
