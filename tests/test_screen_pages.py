"""AppTest of the chair's screen (issue 17) on the seeded store: targets tables with key columns
first and 完成率 tinted by status, gaps marked on charts, tables without raw field names and with
the org named once, widget labels in the UI language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from lib.dash import charts
from lib.ui.tables import STATUS_TINTS
from tests.conftest import run_page
from tests.test_pages_dashboards import add_observation, add_target

ROOT = Path(__file__).resolve().parent.parent


def cell_css(at: AppTest, table: int, row: int, column: str) -> str:
    """The CSS the page gave one cell of a table (by row number and column name)."""
    element = at.dataframe[table]
    col = list(element.value.columns).index(column)
    styles = element.proto.arrow_data.styler.styles
    for selectors, css in re.findall(r"([^{}]+)\{([^}]*)\}", styles):
        if re.search(rf"_row{row}_col{col}\b", selectors):
            return css
    return ""


def test_targets_table_shows_key_columns_first(store: str) -> None:
    """Test that the targets table opens with indicator, target, actual, 完成率, status, 序时进度."""
    at = run_page("targets", org="daxing", year="2023")
    order = list(at.dataframe[0].proto.column_order)
    assert order[:6] == ["指标", "目标", "实际", "完成率 %", "状态", "序时进度"]


def test_met_target_completion_cell_is_green_and_behind_is_red(store: str) -> None:
    """Test that 完成率 cells take their status colour: green at 103.5 %, red for a lagging 60 %."""
    add_observation(store, "daxing", "collective_contract_rate", 2023, 88.0)
    add_observation(store, "daxing", "mother_infant_rooms_new", 2023, 3)
    at = run_page("targets", org="daxing", year="2023")
    table = at.dataframe[0].value
    names = list(table["指标"])
    met = cell_css(at, 0, names.index("集体合同签订率"), "完成率 %")
    behind = cell_css(at, 0, names.index("新建母婴关爱室"), "完成率 %")
    assert charts.STATUS_COLORS["done"] in met and STATUS_TINTS["done"] in met
    assert charts.STATUS_COLORS["behind"] in behind and STATUS_TINTS["behind"] in behind


def test_target_without_actual_reads_dash_not_none(store: str) -> None:
    """Test that a target with no actual shows "—" as its 完成率, never "None" or 0."""
    at = run_page("targets", org="daxing", year="2023")
    assert set(at.dataframe[0].value["完成率 %"]) == {"—"}


def test_clicking_a_target_row_shows_all_of_it(store: str) -> None:
    """Test that selecting a row shows every field of it, the plan included, below the table."""
    at = AppTest.from_file(str(ROOT / "pages" / "targets.py"), default_timeout=60)
    at.query_params["org"] = "daxing"
    at.query_params["year"] = "2023"
    at.session_state["targets_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    shown = "\n".join(t.value for t in at.text)
    assert "计划文件: 大兴区总工会2023年主要工作任务" in shown


# --- bilingual data ------------------------------------------------------------------------------


def test_campaign_period_reads_in_english_in_the_yoy_table(store: str) -> None:
    """Test that the 2025 campaign's period note shows in English in the English YoY table."""
    at = run_page("yoy", orgs="daxing", cat="org_building", ind="new_union_units", lang="en")
    periods = set(at.dataframe[0].value["Period"])
    assert "from June 2025, on-site campaign" in periods
    assert not any("蹲点" in p for p in periods)


def test_campaign_period_stays_chinese_in_the_chinese_ui(store: str) -> None:
    """Test that the Chinese UI keeps the period note as the article wrote it."""
    at = run_page("yoy", orgs="daxing", cat="org_building", ind="new_union_units")
    assert "2025年6月起蹲点工作期间" in set(at.dataframe[0].value["统计期"])


def test_campaign_period_reads_in_english_in_the_chart_legend(store: str) -> None:
    """Test that the English YoY chart's legend names the 2025 campaign's period in English."""
    at = run_page("yoy", orgs="daxing", cat="org_building", ind="new_union_units", lang="en")
    chart = at.get("vega_lite_chart")[0].proto
    records = pa.ipc.open_stream(chart.data.data).read_all().to_pylist()
    names = [rec["series"].replace("\n", " ") for rec in records]
    assert any(name.endswith("from June 2025, on-site campaign") for name in names)
    assert not any("蹲点" in name for name in names)


def test_sources_table_periods_follow_the_language(store: str) -> None:
    """Test that the sources page lists the campaign period in English in the English UI."""
    at = run_page("sources", org="daxing", year="2025", lang="en")
    assert "from June 2025, on-site campaign" in set(at.dataframe[0].value["Period"])


def test_org_picker_follows_a_language_switch_at_once(store: str) -> None:
    """Test that after switching to English the org picker offers English names, same org."""
    at = AppTest.from_file(str(ROOT / "pages" / "targets.py"), default_timeout=60)
    at.query_params["org"] = "daxing"
    at.run()
    assert at.selectbox(key="targets_org").options[0].endswith("总工会")
    at.query_params["lang"] = "en"
    at.run()
    picker = at.selectbox(key="targets_org_en")
    assert picker.value == "daxing"
    assert "Daxing District Federation of Trade Unions" in picker.options


def test_empty_org_picker_asks_in_the_ui_language(store: str) -> None:
    """Test that the YoY page's org picker, emptied, asks 请选择 (not streamlit's "Choose options")."""
    at = run_page("yoy", orgs="daxing")
    at.multiselect(key="yoy_orgs").set_value([]).run()
    assert at.multiselect(key="yoy_orgs").placeholder == "请选择"
    assert "请选择至少一个单位。" in [i.value for i in at.info]


def test_no_raw_field_names_in_the_batch_table(store: str) -> None:
    """Test that the import-batch table has translated headers and words, no checksum column."""
    at = run_page("sources", org="daxing")
    batches = at.dataframe[-1].value
    assert list(batches.columns)[:3] == ["批次", "类型", "文件"]
    assert not {"batch_id", "sha256", "file_name", "n_new"} & set(batches.columns)
    assert list(batches["类型"]) == ["初始数据（新闻稿整理）"]
    assert list(batches["状态"]) == ["已导入"]


def test_source_articles_heading_is_not_the_page_title_again(store: str) -> None:
    """Test that the sources page no longer repeats its title as a section heading."""
    at = run_page("sources", org="daxing")
    assert "数据来源" not in [h.value for h in at.subheader]
    assert "来源文章" in [h.value for h in at.subheader]
    assert "文件" in at.dataframe[1].value.columns


def test_org_is_named_once_above_the_yoy_table(store: str) -> None:
    """Test that the YoY table leaves the org column out of view and names the org above it."""
    at = run_page("yoy", orgs="daxing", cat="org_building", ind="new_union_units")
    assert "单位" not in list(at.dataframe[0].proto.column_order)
    assert "**大兴区总工会**" in [m.value for m in at.markdown]


@pytest.mark.parametrize(
    ("page", "params", "table", "right"),
    [
        ("yoy", {"orgs": "daxing", "cat": "org_building"}, 0, ["数值", "同比"]),
        ("targets", {"org": "daxing", "year": "2023"}, 0, ["目标", "实际", "完成率 %"]),
        ("sources", {"org": "daxing"}, 0, ["数值"]),
    ],
)
def test_numbers_are_right_aligned(store: str, page, params, table, right) -> None:
    """Test that a table's value columns are right-aligned and its text columns are not."""
    at = run_page(page, **params)
    config = json.loads(at.dataframe[table].proto.columns)
    aligned = sorted(c for c, v in config.items() if v.get("alignment") == "right")
    assert aligned == sorted(right)


# --- overview: how are we doing? ----------------------------------------------------------------


def headline(at: AppTest) -> dict[str, object]:
    """The headline strip's metrics by label (the first metric of each label)."""
    out: dict[str, object] = {}
    for m in at.metric:
        out.setdefault(m.label, m)
    return out


def captions(at: AppTest) -> list[str]:
    """Every caption's text."""
    return [c.value for c in at.caption]


def test_strip_without_comparisons_says_why_once(store: str) -> None:
    """Test that with no 2024 figures and no targets the strip says why in one line, not per card."""
    at = run_page("overview", org="daxing", year="2025")
    line = "以上重点指标2024年均无同期数据，也没有可对照的目标，暂无法比较。"
    assert captions(at).count(line) == 1
    assert not any(m.proto.delta_description == "上年无数据，无法同比" for m in at.metric)
    assert captions(at).count("2025年全年") == 5


def test_strip_shows_yoy_where_last_year_compares(store: str) -> None:
    """Test that a headline figure with a 2024 figure shows its 同比 and the line names the rest."""
    add_observation(store, "daxing", "new_union_units", 2024, 3000)
    at = run_page("overview", org="daxing", year="2025")
    card = headline(at)["新增建会单位"]
    assert (card.proto.delta, card.proto.delta_description) == ("+13.2%", "同比")
    line = next(c for c in captions(at) if "暂无法比较" in c)
    assert "发展会员" in line and "新增建会单位" not in line


def test_strip_falls_back_to_the_latest_targets_completion(store: str) -> None:
    """Test that without a 2024 figure a headline figure with a 2025 target shows its 完成率."""
    add_target(store, "daxing", "new_union_units", 2025, 4000, comparator=">=")
    at = run_page("overview", org="daxing", year="2025")
    card = headline(at)["新增建会单位"]
    assert card.proto.delta == "完成率 84.9%"  # 3,396 / 4,000
    assert card.proto.delta_description.startswith("对照2025年目标 ≥ 4,000家")


def test_attention_lists_a_target_behind(store: str) -> None:
    """Test that a missed 2025 target is listed under 需要关注."""
    add_target(store, "daxing", "new_union_units", 2025, 4000, comparator=">=")
    at = run_page("overview", org="daxing", year="2025")
    items = [t.value for t in at.text]
    assert "• 新增建会单位：目标 ≥ 4,000家，实际 3,396家，滞后" in items


def test_attention_lists_a_figure_down_on_last_year(store: str) -> None:
    """Test that a figure below last year's (higher is better) is listed under 需要关注."""
    add_observation(store, "daxing", "new_union_units", 2024, 4000)
    at = run_page("overview", org="daxing", year="2025")
    items = [t.value for t in at.text]
    assert "• 新增建会单位（全年）：3,396家，同比 -15.1%" in items


def test_attention_says_when_nothing_needs_it(store: str) -> None:
    """Test that with nothing behind or down the list says so in one line."""
    at = run_page("overview", org="daxing", year="2025")
    assert "暂无需要关注的事项：没有滞后的目标，也没有同比下降的指标。" in captions(at)


def test_campaign_cards_leave_their_period_to_the_heading(store: str) -> None:
    """Test that the 2025 campaign's cards do not repeat the period note their heading gives."""
    at = run_page("overview", org="daxing", year="2025")
    headings = [h.value for h in at.subheader]
    assert any("2025年6月起蹲点工作期间" in h for h in headings)
    assert not [c.value for c in at.caption if "蹲点" in c.value]


def test_headline_cards_name_their_period(store: str) -> None:
    """Test that each headline figure names the period of its value (2025年全年) under it."""
    at = run_page("overview", org="daxing", year="2025")
    captions = [c.value for c in at.caption]
    assert captions.count("2025年全年") == 5
