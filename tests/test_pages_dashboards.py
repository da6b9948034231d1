"""AppTest of the dashboards (overview, year over year, targets, map, sources) on the seeded store:
changing org, year and language changes what a chair reads, missing years read "no data" (never
0), campaign figures are labelled and not compared, and views live in the URL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.proto.Metric_pb2 import Metric
from streamlit.testing.v1 import AppTest

from lib.store import db
from lib.store.models import Indicator, Observation, Org, Source, Target
from tests.conftest import run_page

ROOT = Path(__file__).resolve().parent.parent


def metric_values(at: AppTest) -> dict[str, str]:
    """First value shown under each metric label."""
    out: dict[str, str] = {}
    for m in at.metric:
        out.setdefault(m.label, m.value)
    return out


def texts(at: AppTest) -> str:
    """Every text element's content joined (markdown, html, captions, info, subheaders, metrics)."""
    parts = [e.value for e in (*at.markdown, *at.html, *at.caption, *at.info, *at.subheader)]
    parts += [e.value for e in at.title]
    parts += [f"{m.label} {m.value} {m.proto.delta} {m.proto.delta_description}" for m in at.metric]
    return "\n".join(str(p) for p in parts)


def add_observation(url: str, org: str, ind: str, year: int, value: float, **kw: object) -> None:
    """Insert one current observation through the models (and bump the data version)."""
    with db.session_scope(url) as s:
        org_id = s.scalar(select(Org.id).where(Org.code == org))
        ind_id = s.scalar(select(Indicator.id).where(Indicator.code == ind))
        src_id = s.scalar(select(Source.id).order_by(Source.id))
        s.add(
            Observation(
                org_id=org_id,
                indicator_id=ind_id,
                year=year,
                value=value,
                source_id=src_id,
                locator=kw.pop("locator", "test figure"),
                **kw,
            )
        )
        db.bump_data_version(s)


def add_target(url: str, org: str, ind: str, year: int, value: float, **kw: object) -> None:
    """Insert one current target through the models (and bump the data version)."""
    with db.session_scope(url) as s:
        org_id = s.scalar(select(Org.id).where(Org.code == org))
        ind_id = s.scalar(select(Indicator.id).where(Indicator.code == ind))
        src_id = s.scalar(select(Source.id).order_by(Source.id))
        s.add(
            Target(
                org_id=org_id,
                indicator_id=ind_id,
                year=year,
                value=value,
                source_id=src_id,
                plan_zh="测试计划",
                plan_en="Test plan",
                **kw,
            )
        )
        db.bump_data_version(s)


# --- overview ------------------------------------------------------------------------------------


def test_overview_defaults_to_daxing_2025_headline(store: str) -> None:
    """Test that the overview opens on Daxing's latest year with 3,396家 and 1.8万余人."""
    at = run_page("overview")
    values = metric_values(at)
    assert values["新增建会单位"] == "3,396家"
    assert values["发展会员"] == "1.8万余人"
    assert values["系列活动参与人次"] == "46.9万余人次"
    assert at.query_params["year"] == ["2025"] or at.query_params["year"] == "2025"


@pytest.mark.parametrize(
    ("lang", "label", "value"),
    [
        ("zh", "新增建会单位", "3,396家"),
        ("en", "New unionised units", "3,396 units"),
        ("en", "Members recruited", "18,000+ people"),
    ],
)
def test_overview_values_follow_the_language(store: str, lang: str, label: str, value: str) -> None:
    """Test that ?lang=en switches labels and number style (separators, +) and zh shows 万/余."""
    at = run_page("overview", lang=lang)
    assert metric_values(at)[label] == value


def test_overview_2022_shows_no_data_not_zero(store: str) -> None:
    """Test that a year without figures says so and shows "—", never a zero."""
    at = run_page("overview", org="daxing", year="2022")
    assert "没有任何数据（不是零）" in texts(at)
    values = metric_values(at)
    assert values["新增建会单位"] == "—"
    assert all(not v.startswith("0") for v in values.values())


def test_overview_changing_org_and_year_changes_values(store: str) -> None:
    """Test that picking Shunyi and 2024 shows Shunyi's 2024 figures."""
    at = run_page("overview")
    at.selectbox(key="overview_org").set_value("shunyi").run()
    at.selectbox(key="overview_year").set_value(2024).run()
    assert not at.exception
    assert metric_values(at)["学历提升班累计报名"] == "494人"
    assert at.query_params["org"] in ("shunyi", ["shunyi"])


def test_overview_year_defaults_to_the_orgs_latest_year(store: str) -> None:
    """Test that an org whose latest figures are 2024 opens on 2024."""
    at = run_page("overview", org="shunyi")
    assert at.selectbox(key="overview_year").value == 2024


def test_overview_labels_campaign_figures_and_never_compares_them(store: str) -> None:
    """Test that campaign-period figures sit under their period with no 同比 and, said once for
    the section rather than on every card, the reason."""
    at = run_page("overview", org="daxing", year="2025")
    text = texts(at)
    assert "统计期：2025年6月起蹲点工作期间（不与全年数据比较）" in text
    campaign = [m for m in at.metric if m.value == "786家"]
    assert campaign and not campaign[0].proto.delta
    assert [c.value for c in at.caption].count("专项行动期间数据，不与全年比较") == 1


def test_overview_prints_the_2021_figures_as_reported(store: str) -> None:
    """Test that 2021's exact 45137, 11107 and 14115 print exactly and 160余万元 keeps its 余 before
    万 (never 4.51万人 or 160万余元)."""
    at = run_page("overview", org="daxing", year="2021")
    shown = {m.value for m in at.metric}
    assert {"45,137人", "11,107人", "14,115人次", "160余万元"} <= shown
    assert not {"4.51万人", "1.11万人", "1.41万人次", "160万余元"} & shown


def test_overview_labels_a_dated_stock_as_a_stock_not_a_campaign(store: str) -> None:
    """Test that the 2023 stock 职工心灵驿站（累计）15家 sits under 存量 with a stock's reason, never
    under a campaign heading or a campaign reason."""
    at = run_page("overview", org="daxing", year="2023")
    text = texts(at)
    assert "存量：2023年初存量（2023年计划所依托）" in text
    card = next(m for m in at.metric if m.label == "职工心灵驿站（累计）")
    assert card.value == "15家"
    # the section's one card gives the stock's reason once, under the heading
    assert "时点存量数据，不作同比" in [c.value for c in at.caption]
    assert "蹲点" not in card.proto.delta_description
    assert "统计期：2023年初存量" not in text


def test_overview_shows_yoy_against_a_comparable_year(store: str) -> None:
    """Test that with a 2024 full-year figure the 2025 card shows +13.2% in the direction colour."""
    add_observation(store, "daxing", "new_union_units", 2024, 3000)
    at = run_page("overview", org="daxing", year="2025")
    card = next(m for m in at.metric if m.label == "新增建会单位")
    assert card.proto.delta == "+13.2%"
    assert card.proto.delta_description == "同比"
    assert card.proto.color == Metric.MetricColor.GREEN
    assert card.proto.direction == Metric.MetricDirection.UP


def test_overview_fall_is_red_when_higher_is_better(store: str) -> None:
    """Test that a fall in an up-is-good indicator shows a red down arrow."""
    add_observation(store, "daxing", "new_union_units", 2024, 4000)
    at = run_page("overview", org="daxing", year="2025")
    card = next(m for m in at.metric if m.label == "新增建会单位")
    assert card.proto.delta == "-15.1%"
    assert card.proto.color == Metric.MetricColor.RED
    assert card.proto.direction == Metric.MetricDirection.DOWN


def test_overview_floor_figure_yoy_is_a_lower_bound(store: str) -> None:
    """Test that a 余 figure against an exact one shows the change as "at least" (≥)."""
    add_observation(store, "daxing", "members_recruited", 2024, 15000)
    at = run_page("overview", org="daxing", year="2025")
    card = next(m for m in at.metric if m.label == "发展会员")
    assert card.proto.delta == "≥+20.0%"


def test_overview_card_has_its_source_on_hover(store: str) -> None:
    """Test that a card's help names the source, file and the quoted phrase, linking to sources."""
    at = run_page("overview", org="daxing", year="2025")
    card = next(m for m in at.metric if m.label == "新增建会单位")
    shown = card.proto.help.replace("\\", "")  # data in the help is markdown-escaped
    assert "全区新增建会单位3396家" in shown
    assert "000_9d04b9ba0d89f8ca.txt" in shown
    assert "](sources?fig=" in card.proto.help


def test_overview_category_filter_is_in_the_url(store: str) -> None:
    """Test that ?cat=skills shows only that category's cards below the headline strip."""
    at = run_page("overview", org="daxing", year="2025", cat="skills")
    assert "专题培训" in metric_values(at)
    assert "劳动争议一站式解纷中心" not in metric_values(at)


# --- year over year ------------------------------------------------------------------------------


def test_yoy_table_shows_missing_years_as_dash(store: str) -> None:
    """Test that 2022 reads "—" in the year-over-year table, never 0."""
    at = run_page("yoy", orgs="daxing", cat="org_building", ind="new_union_units")
    table = at.dataframe[0].value
    row_2022 = table[table["年份"] == "2022"]
    assert list(row_2022["数值"]) == ["—"]
    row_2025 = table[(table["年份"] == "2025") & (table["统计期"] == "全年")]
    assert list(row_2025["数值"]) == ["3,396家"]


def test_yoy_table_shows_change_per_year(store: str) -> None:
    """Test that the table carries the 同比 of a year against the previous one."""
    add_observation(store, "daxing", "new_union_units", 2024, 3000)
    at = run_page("yoy", orgs="daxing", cat="org_building", ind="new_union_units")
    table = at.dataframe[0].value
    row = table[(table["年份"] == "2025") & (table["统计期"] == "全年")]
    assert list(row["同比"]) == ["+13.2%"]


def test_yoy_two_orgs_side_by_side(store: str) -> None:
    """Test that two orgs get one table each, side by side."""
    at = run_page("yoy", orgs=["daxing", "shunyi"], cat="skills")
    assert len(at.dataframe) == 2
    assert len(at.get("vega_lite_chart")) >= 1


def test_yoy_offers_csv_download(store: str) -> None:
    """Test that the page offers the table as a CSV download."""
    at = run_page("yoy", orgs="daxing", cat="org_building")
    assert at.get("download_button")


def test_yoy_quarterly_drill_down_shows_qoq_and_cumulative(store: str) -> None:
    """Test that quarterly figures give 环比 and 累计 in the drill-down table."""
    for q, v in ((1, 100), (2, 150), (3, 120)):
        add_observation(store, "daxing", "job_fairs", 2026, v, quarter=q)
    at = run_page("yoy", orgs="daxing", cat="employment", ind="job_fairs")
    quarterly = at.dataframe[-1].value
    assert list(quarterly["累计"]) == ["100场", "250场", "370场"]
    assert list(quarterly["环比"]) == ["—", "+50.0%", "-20.0%"]


def test_yoy_quarterly_running_total_keeps_its_floor(store: str) -> None:
    """Test that 1.2万余人 then 1,000人 run up to 1.3万余人 in the drill-down, not 1.3万人."""
    add_observation(
        store, "daxing", "legal_checkup_workers", 2026, 12000, quarter=1, qualifier="at_least"
    )
    add_observation(store, "daxing", "legal_checkup_workers", 2026, 1000, quarter=2)
    at = run_page("yoy", orgs="daxing", cat="rights", ind="legal_checkup_workers")
    quarterly = at.dataframe[-1].value
    assert list(quarterly["累计"]) == ["1.2万余人", "1.3万余人"]


def test_yoy_in_english(store: str) -> None:
    """Test that the table's columns and values follow ?lang=en."""
    at = run_page("yoy", orgs="daxing", cat="org_building", ind="new_union_units", lang="en")
    table = at.dataframe[0].value
    assert "Value" in table.columns
    assert "3,396 units" in list(table["Value"])


# --- targets -------------------------------------------------------------------------------------


def test_targets_2023_lists_the_plan_with_no_actuals(store: str) -> None:
    """Test that Daxing's 2023 targets show with status 暂无完成数据 (no 2023 actuals exist)."""
    at = run_page("targets", org="daxing", year="2023")
    table = at.dataframe[0].value
    assert "集体合同签订率" in list(table["指标"])
    assert set(table["状态"]) == {"暂无完成数据"}
    assert "≥ 85%" in list(table["目标"])


def test_targets_met_rate_target_reads_done(store: str) -> None:
    """Test that a 2023 rate of 88% against ≥ 85% reads 已完成 with 完成率 103.5."""
    add_observation(store, "daxing", "collective_contract_rate", 2023, 88.0)
    at = run_page("targets", org="daxing", year="2023")
    table = at.dataframe[0].value
    row = table[table["指标"] == "集体合同签订率"]
    assert list(row["状态"]) == ["已完成"]
    assert list(row["完成率 %"]) == ["103.5%"]


def test_targets_missed_past_target_reads_behind(store: str) -> None:
    """Test that a finished year below a ≥ target reads 滞后."""
    add_observation(store, "daxing", "mother_infant_rooms_new", 2023, 3)
    at = run_page("targets", org="daxing", year="2023", lang="en")
    table = at.dataframe[0].value
    row = table[table["Indicator"] == "New mother-and-infant rooms"]
    assert list(row["Status"]) == ["Behind"]


@pytest.mark.parametrize(
    ("values", "flag"),
    [((1200, 1000), "超序时"), ((500, 400), "落后序时")],
)
def test_targets_elapsed_time_progress_from_quarters(store: str, values, flag: str) -> None:
    """Test that quarterly figures give 序时进度: cumulative vs the half of the year gone."""
    year = date.today().year
    add_target(store, "daxing", "new_union_units", year, 4000)
    for q, v in enumerate(values, start=1):
        add_observation(store, "daxing", "new_union_units", year, v, quarter=q)
    at = run_page("targets", org="daxing", year=str(year))
    table = at.dataframe[0].value
    row = table[table["指标"] == "新增建会单位"]
    assert list(row["序时进度"])[0].startswith(flag)
    assert list(row["实际数口径"]) == ["1—2季度累计"]


def test_targets_multi_year_plan_progress(store: str) -> None:
    """Test that a 2025–2027 plan shows its progress toward the end year."""
    add_target(store, "daxing", "craftsman_academies_total", 2027, 10, base_year=2025)
    at = run_page("targets", org="daxing", year="2025")
    assert "多年规划目标" in texts(at)
    plans = at.dataframe[-1].value
    row = plans[plans["指标"] == "区级工匠学院（累计）"]
    assert list(row["期限"]) == ["2025—2027"]
    assert list(row["实际"]) == ["6家"]


# --- map -----------------------------------------------------------------------------------------


def deck_json(at: AppTest) -> dict:
    """The pydeck spec the map page sent."""
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def test_map_shows_stations_with_counts(store: str) -> None:
    """Test that the map draws every station and counts them per type beside it."""
    at = run_page("map")
    spec = deck_json(at)
    scatter = next(layer for layer in spec["layers"] if layer["id"] == "stations")
    assert len(scatter["data"]) == 14
    assert "共 14 处" in texts(at)
    assert "工匠学院" in texts(at)


def test_map_filter_by_type(store: str) -> None:
    """Test that ?type=craftsman_academy keeps only the craftsman academies."""
    at = run_page("map", type="craftsman_academy")
    scatter = next(layer for layer in deck_json(at)["layers"] if layer["id"] == "stations")
    assert len(scatter["data"]) == 4
    assert "共 4 处" in texts(at)


def test_map_basemap_none_requests_no_tiles(store: str) -> None:
    """Test that basemap none sends no map style and draws town names instead."""
    at = run_page("map", basemap="none")
    spec = deck_json(at)
    assert spec.get("mapStyle") in (None, "__MAP_STYLE__")
    assert any(layer["@@type"] == "TextLayer" for layer in spec["layers"])


def test_map_tooltip_in_english_flags_approximate_positions(store: str) -> None:
    """Test that tooltips follow ?lang=en and say when a position is approximate."""
    at = run_page("map", lang="en")
    scatter = next(layer for layer in deck_json(at)["layers"] if layer["id"] == "stations")
    tips = [row["tip"] for row in scatter["data"]]
    assert any("Position: approximate (landmark)" in tip for tip in tips)


# --- sources -------------------------------------------------------------------------------------


def test_sources_answers_where_a_card_number_comes_from(store: str) -> None:
    """Test that the card's link (?fig=id) shows source, file and the quoted phrase of 3,396家."""
    at = run_page("overview", org="daxing", year="2025")
    card = next(m for m in at.metric if m.label == "新增建会单位")
    query = card.proto.help.split("](sources?")[1].split(")")[0]
    params = dict(part.split("=", 1) for part in query.split("&"))
    assert params["org"] == "daxing" and params["year"] == "2025"
    src = run_page("sources", **params)
    text = texts(src)
    assert "这个数字从哪里来" in text
    assert "3,396家" in text
    assert "全区新增建会单位3396家" in text


def test_sources_lists_the_figures_of_the_dashboard_view(store: str) -> None:
    """Test that ?org=&year= narrows the figure table to what the overview showed."""
    at = run_page("sources", org="daxing", year="2021")
    table = at.dataframe[0].value
    assert set(table["年份"]) == {"2021"}
    assert "开展职工文体活动21项" in list(table["原文位置"])


def test_targets_floor_figure_cannot_prove_a_miss(store: str) -> None:
    """Test that a 余 figure below a ≥ target in a finished year is not called 滞后."""
    add_observation(store, "daxing", "mental_stations_new", 2023, 1, qualifier="at_least")
    at = run_page("targets", org="daxing", year="2023")
    table = at.dataframe[0].value
    row = table[table["指标"] == "新建心灵驿站"]
    assert list(row["状态"]) == ["无法判定（“余”数为下限）"]
    assert list(row["实际数口径"]) == ["全年"]
    assert list(row["实际"]) == ["1余家"]


def test_targets_campaign_floor_proves_a_flow_target_met(store: str) -> None:
    """Test that a campaign-period flow figure already above a ≥ target proves it met."""
    add_target(store, "daxing", "cb_firms_guided", 2025, 300)
    at = run_page("targets", org="daxing", year="2025")
    table = at.dataframe[0].value
    row = table[table["指标"] == "指导企业集体协商"]
    assert list(row["状态"]) == ["已完成"]
    assert list(row["实际数口径"])[0].startswith("仅2025年6月起蹲点工作期间")


def test_yoy_url_with_too_many_orgs_keeps_the_first_two(store: str) -> None:
    """Test that a hand-edited URL naming three orgs shows the first two, not an error."""
    at = run_page("yoy", orgs=["daxing", "shunyi", "chaoyang_jianwai"], cat="skills")
    assert at.multiselect(key="yoy_orgs").value == ["daxing", "shunyi"]


def test_map_year_keeps_stations_open_by_its_end(store: str) -> None:
    """Test that choosing 2021 keeps only stations open by the end of 2021 and the undated ones,
    and says how many are undated."""
    at = run_page("map")
    full = next(layer for layer in deck_json(at)["layers"] if layer["id"] == "stations")
    at.slider(key="map_year").set_value(2021).run()
    assert not at.exception
    scatter = next(layer for layer in deck_json(at)["layers"] if layer["id"] == "stations")
    assert 0 < len(scatter["data"]) < len(full["data"])
    assert all("建成: 2021" in p["tip"] or "建成: 不详" in p["tip"] for p in scatter["data"])
    assert any("建成年份不详" in c.value for c in at.caption)


def test_map_year_comes_from_the_url(store: str) -> None:
    """Test that a shared URL with the map's year reproduces it."""
    at = run_page("map", map_year="2024")
    assert at.slider(key="map_year").value == 2024


def test_every_dashboard_string_has_both_languages() -> None:
    """Test that each dashboard string has zh and en text with the same {placeholders}."""
    import re

    from lib.core.strings.dashboards import STRINGS

    for key, (zh, en) in STRINGS.items():
        assert zh and en, key
        assert set(re.findall(r"{(\w+)}", zh)) == set(re.findall(r"{(\w+)}", en)), key


def test_overview_headline_says_when_only_a_campaign_figure_exists(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that a headline indicator with only a campaign figure says so instead of "no data"."""
    add_observation(
        store, "daxing", "worker_comm_meetings", 2024, 150, period_note="2024年专项行动期间"
    )
    monkeypatch.setenv("KPI_HEADLINE", "worker_comm_meetings")
    at = run_page("overview", org="daxing", year="2024")
    card = next(m for m in at.metric if m.label == "职工沟通会")
    assert card.value == "—"
    assert card.proto.delta_description == "本年仅有“2024年专项行动期间”数据"


def test_yoy_quarters_to_date_compare_with_the_same_quarters_a_year_earlier(store: str) -> None:
    """Test that Q1–Q3 of a year is compared with Q1–Q3 of the year before, not its full year."""
    for year, values in ((2025, (60, 70, 55, 64)), (2026, (66, 80, 75))):
        for q, v in enumerate(values, start=1):
            add_observation(store, "daxing", "job_fairs", year, v, quarter=q)
    at = run_page("yoy", orgs="daxing", cat="employment", ind="job_fairs")
    table = at.dataframe[0].value
    row = table[table["统计期"] == "1—3季度累计"]
    assert list(row["数值"]) == ["221场"]
    assert list(row["同比"]) == ["+19.5%"]
    full_2025 = table[(table["年份"] == "2025") & (table["统计期"] == "全年")]
    assert list(full_2025["数值"]) == ["249场"]


@pytest.mark.parametrize(
    ("page", "key"), [("overview", "overview_org"), ("present", "present_org")]
)
def test_org_picker_tells_the_browser_its_choice_on_every_run(store: str, page: str, key: str):
    """Test that a rerun's org picker carries the chosen org as its default, not option 0 (a
    browser that missed the first run's value would otherwise send option 0 back)."""
    at = run_page(page, org="shunyi")
    at.run()  # a second run, as when the browser reruns at once
    picker = at.selectbox(key=key)
    assert picker.value == "shunyi"
    assert picker.options[picker.proto.default] == "顺义区总工会"


def test_map_caption_sets_reported_totals_beside_the_named_places(store: str) -> None:
    """Test that the map says how many stations the figures report and how many places it plots."""
    at = run_page("map", org1="beijing", org2="daxing")
    caption = next(c for c in texts(at).split("\n") if "图上标注的是文章点名地点" in c)
    assert "11 处" in caption
    assert "大兴区总工会：工会暖心驿站（累计）800余家（2021年）" in caption


@pytest.mark.parametrize(("reachable", "expected"), [(False, "none"), (True, "carto")])
def test_map_opens_offline_when_tiles_cannot_be_reached(
    store: str, monkeypatch: pytest.MonkeyPatch, reachable: bool, expected: str
) -> None:
    """Test that without a configured basemap the map opens offline when the tile host is down."""
    from lib import ui
    from lib.dash import maps

    monkeypatch.setattr(maps, "tiles_reachable", lambda *a, **k: reachable)
    ui._PROBE.clear()
    at = run_page("map")
    ui._PROBE.clear()
    assert at.sidebar.selectbox(key="map_basemap").value == expected
    style = deck_json(at).get("mapStyle")
    assert (style in (None, "__MAP_STYLE__")) == (expected == "none")
