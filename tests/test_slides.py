"""Tests of the presenter slide sequence (lib.deck.slides): what each slide shows, 同比 only where a
comparable figure exists, gaps never drawn as zero, sources and the 数据截至 stamp on every slide."""

from __future__ import annotations

import pytest

from lib.deck.category import chunks as _chunks
from lib.deck.payload import Facts, default_year, format_as_of, live_payload
from lib.deck.slides import build_slides, chart_figure
from lib.store import queries
from tests.deck_support import LAST_YEAR, NOW, add_figure


def of_kind(deck: list, kind: str) -> list:
    """The slides of one kind."""
    return [s for s in deck if s.kind == kind]


DAXING_2025 = [
    "大兴区总工会",
    "汇报提纲",
    "工作综述",
    "主要指标",
    "组织建设",
    "组织建设（续）",
    "维权服务",
    "维权服务（续）",
    "普惠服务",
    "阵地建设",
    "产改与技能",
    "产改与技能（续）",
    "文体活动",
    "思想引领",
    "思想引领（续）",
    "服务阵地分布",
    "2025年目标完成情况",
    "历年对比（2021—2025年）",
    "资料来源",
    "谢谢！",
]
DAXING_2021 = [
    "大兴区总工会",
    "汇报提纲",
    "工作综述",
    "主要指标",
    "维权服务",
    "普惠服务",
    "阵地建设",
    "阵地建设（续）",
    "产改与技能",
    "文体活动",
    "就业帮扶",
    "服务阵地分布",
    "资料来源",
    "谢谢！",
]


def test_2025_deck_has_the_sections_with_content(slides: list) -> None:
    """Test that Daxing's 2025 deck runs cover → 提纲 → … → 历年对比 → closing, nothing else."""
    assert [s.title for s in slides] == DAXING_2025


def test_2021_deck_has_the_sections_with_content(seeded_read_url: str) -> None:
    """Test that Daxing's 2021 deck leaves out targets, plan, 历年对比 and 兄弟单位 (none on record)."""
    deck = build_slides(live_payload("daxing", 2021, seeded_read_url, now=NOW), "zh")
    assert [s.title for s in deck] == DAXING_2021


@pytest.mark.parametrize("year", [2025, 2021])
def test_no_slide_is_empty(seeded_read_url: str, year: int) -> None:
    """Test that every slide but cover and closing shows figures or text, none a 暂无 notice."""
    deck = build_slides(live_payload("daxing", year, seeded_read_url, now=NOW), "zh")
    for slide in deck[1:-1]:
        assert slide.cards or slide.chart or slide.table or slide.paragraphs, slide.title
        assert not any(p.startswith("暂无") for p in slide.paragraphs), slide.title


def test_agenda_lists_the_sections_shown(slides: list) -> None:
    """Test that 汇报提纲 numbers the sections of the deck in order, each category once."""
    assert slides[1].paragraphs == [
        "一、工作综述",
        "二、主要指标",
        "三、组织建设",
        "四、维权服务",
        "五、普惠服务",
        "六、阵地建设",
        "七、产改与技能",
        "八、文体活动",
        "九、思想引领",
        "十、服务阵地分布",
        "十一、目标完成情况",
        "十二、历年对比",
    ]


def test_cover_names_meeting_and_date_but_no_file(slides: list) -> None:
    """Test that the cover says org, year, meeting, date and 数据截至, and cites no file name."""
    cover = slides[0]
    assert (cover.title, cover.subtitle) == ("大兴区总工会", "2025年度工作情况")
    assert cover.paragraphs == ["联席会议汇报材料", "2026-03-01"]
    assert cover.footnote == "数据截至 2026-03-01 10:30"


def test_title_slide_names_org_and_year(slides: list) -> None:
    """Test that the title slide names the org and the year."""
    assert slides[0].title == "大兴区总工会"
    assert "2025" in slides[0].subtitle


def test_headline_shows_chinese_figures(slides: list) -> None:
    """Test that the headline slide shows 3,396家 and 1.8万余人 from the store."""
    shown = {c.indicator: c.shown for c in of_kind(slides, "headline")[0].cards}
    assert shown["new_union_units"] == "3,396家"
    assert shown["members_recruited"] == "1.8万余人"


def test_no_yoy_claimed_without_a_previous_year(slides: list) -> None:
    """Test that with no 2024 figures no headline card claims a 同比."""
    cards = of_kind(slides, "headline")[0].cards
    assert cards and all(not c.comparable for c in cards)
    assert all(c.change == "上年无数据，无法同比" for c in cards)


def test_yoy_shown_once_a_comparable_figure_exists(seeded_url: str) -> None:
    """Test that a 2024 full-year figure turns the card's change into 同比 +13.2%."""
    add_figure(seeded_url, "new_union_units", 2024, 3000)
    deck = build_slides(live_payload("daxing", 2025, seeded_url), "zh")
    card = next(c for c in of_kind(deck, "headline")[0].cards if c.indicator == "new_union_units")
    assert card.comparable and card.change == "同比 +13.2%"


def store_figures(url: str, year: int = 2025) -> dict[str, float]:
    """Daxing's full-year figures of a year in the store, by indicator name."""
    obs = queries.observations(("daxing",), years=(year,), url=url)
    full = obs.filter((obs["period_note"] == "") & obs["quarter"].is_null())
    return {r["indicator_name_zh"]: r["value"] for r in full.iter_rows(named=True)}


def test_category_charts_equal_the_store(compared: list, compared_url: str) -> None:
    """Test that every bar of a category chart is the store's value for that figure and year."""
    store = {2025: store_figures(compared_url), 2024: store_figures(compared_url, 2024)}
    checked = 0
    for slide in of_kind(compared, "category"):
        for panel in slide.chart.bar_panels() if slide.chart else ():
            for series in panel.series:
                year = {"2025年": 2025, "2024年": 2024}[series.name]
                for name, value in zip(panel.categories, series.values, strict=True):
                    assert value == store[year].get(name)
                    checked += 1
    assert checked == 2 * len(LAST_YEAR)


def test_every_figure_is_on_its_category_slide(slides: list, seeded_read_url: str) -> None:
    """Test that every full-year figure of the store is in a category slide's table."""
    named = {row[0] for s in of_kind(slides, "category") for row in s.table.rows}
    assert set(store_figures(seeded_read_url)) <= named


def indicator_names(url: str, lang: str) -> set[str]:
    """Every indicator's display name in a language."""
    payload = live_payload("daxing", 2025, url, now=NOW)
    return {i["name_zh" if lang == "zh" else "name_en"] for i in payload["indicators"]}


def panel_indicators(panel, names: set[str]) -> set[str]:  # noqa: ANN001
    """The indicators a bar panel draws: those among its bars, else the one its heading names."""
    among = {c for c in panel.categories if c in names}
    return among or {
        n for n in names if panel.unit.startswith(n + "（") or panel.unit.startswith(n + " (")
    }


@pytest.mark.parametrize(
    ("year", "lang", "store"),
    [(y, lang, st) for y in (2025, 2021) for lang in ("zh", "en") for st in ("seed", "compared")],
)
def test_every_chart_panel_draws_one_indicator(
    seeded_read_url: str, compared_url: str, year: int, lang: str, store: str
) -> None:
    """Test that every bar panel of the deck (category, 历年对比, 兄弟单位) puts one indicator on
    its scale: indicators that merely share a unit (400余家, 4家) never share an axis."""
    url = seeded_read_url if store == "seed" else compared_url
    deck = build_slides(live_payload("daxing", year, url, now=NOW), lang)
    names = indicator_names(url, lang)
    panels = [p for s in deck if s.chart and s.chart.kind == "bar" for p in s.chart.bar_panels()]
    assert panels or year == 2021  # 2021, the first year on record, has nothing to compare
    for panel in panels:
        assert len(panel_indicators(panel, names)) == 1, (panel.unit, panel.categories)


def test_indicators_become_separate_panels(compared: list) -> None:
    """Test that 组织建设 draws 新增建会单位 and 百人以上单位新建会 (both 家) on two panels,
    each headed by its indicator and unit, then 发展会员 (人) on a third."""
    chart = of_kind(compared, "category")[0].chart
    assert [p.unit for p in chart.bar_panels()] == [
        "新增建会单位（单位：家）",
        "百人以上单位新建会（单位：家）",
        "发展会员（单位：人）",
    ]


@pytest.mark.parametrize("fixture", ["slides", "compared"])
def test_no_lone_bar_on_a_scale_of_its_own(request: pytest.FixtureRequest, fixture: str) -> None:
    """Test that every panel compares at least two bars (a lone bar would fill any scale), so a
    category whose indicators have one figure each shows them in its table, not as bars."""
    deck = request.getfixturevalue(fixture)
    for slide in of_kind(deck, "category"):
        for panel in slide.chart.bar_panels() if slide.chart else ():
            assert sum(v is not None for s in panel.series for v in s.values) >= 2
    charted = [s.title for s in of_kind(deck, "category") if s.chart]
    assert charted == ([] if fixture == "slides" else ["组织建设", "思想引领"])


def test_category_opens_with_the_years_results(slides: list) -> None:
    """Test that 维权服务 opens with its full-year figures; campaign-only ones follow on 「续」."""
    first, more = (s for s in of_kind(slides, "category") if s.title.startswith("维权服务"))
    assert [r[:2] for r in first.table.rows[:3]] == [
        ("“枫桥经验”区级实践点", "4家"),
        ("劳动争议一站式解纷中心", "23家"),
        ("枫桥实践站智能舱服务人次", "2,000余人次"),
    ]
    assert more.title == "维权服务（续）"
    assert all("蹲点工作期间" in r[0] for r in more.table.rows)


def test_campaign_bars_stand_in_panels_of_their_own(compared: list) -> None:
    """Test that no bar panel puts a campaign (蹲点期间) figure beside a full year's: the
    campaign figures stay in their slides' tables."""
    for slide in of_kind(compared, "category"):
        for panel in slide.chart.bar_panels() if slide.chart else ():
            assert [s.name for s in panel.series] == ["2024年", "2025年"], slide.title
    rows = [r[0] for s in of_kind(compared, "category") for r in s.table.rows]
    assert sum("蹲点工作期间" in r for r in rows) >= 10


def test_bars_are_labelled_the_chinese_way(compared: list) -> None:
    """Test that bar labels carry the figure as shown, with its unit: 1.8万余人, 3,396家."""
    chart = of_kind(compared, "category")[0].chart
    labels = {label for p in chart.bar_panels() for s in p.series for label in s.labels}
    assert {"1.8万余人", "3,396家", "3,000家", "1.5万人"} <= labels


def test_no_empty_last_year_columns(slides: list) -> None:
    """Test that with no 2024 figure a category table drops its empty 2024/同比 columns, once said."""
    slide = of_kind(slides, "category")[0]
    assert slide.table.header == ("指标", "2025年")
    assert slide.paragraphs == ["2024年无全年数据，本页不作同比"]


def test_last_year_columns_return_with_a_figure(seeded_url: str) -> None:
    """Test that a 2024 figure brings back the 2024 and 同比 columns on its category slide."""
    add_figure(seeded_url, "new_union_units", 2024, 3000)
    deck = build_slides(live_payload("daxing", 2025, seeded_url), "zh")
    slide = of_kind(deck, "category")[0]
    assert slide.table.header == ("指标", "2025年", "2024年", "同比")
    assert slide.table.rows[0] == ("新增建会单位", "3,396家", "3,000家", "同比 +13.2%")
    assert slide.paragraphs == []


def test_figure_gives_each_indicator_its_own_axis(compared: list) -> None:
    """Test that the plotly figure (presenter page, PNG) draws each indicator on its own axis."""
    chart = of_kind(compared, "category")[0].chart
    fig = chart_figure(chart)
    axes = {trace.xaxis for trace in fig.data}
    assert len(axes) == len(chart.bar_panels()) == 3
    headings = [a.text for a in fig.layout.annotations]
    assert headings == [p.unit for p in chart.bar_panels()]
    for trace in fig.data:  # each trace's bars are of one indicator
        assert len(set(trace.y)) == 1


def test_missing_figures_are_gaps_not_zero(compared: list) -> None:
    """Test that an indicator without a 2024 figure gets no 2024 bar pretending zero (nor a
    panel of a lone bar): 两司两员入会 stays in the table."""
    chart = of_kind(compared, "category")[0].chart
    assert "两司两员入会" not in chart.categories
    for panel in chart.bar_panels():
        assert all(v is not None and v > 0 for s in panel.series for v in s.values)


def test_campaign_figures_are_never_compared(slides: list) -> None:
    """Test that sub-period (campaign) figures carry their period and no 同比."""
    cards = [c for s in of_kind(slides, "category") for c in s.cards if c.note]
    assert cards
    assert all(c.note == "2025年6月起蹲点工作期间" and not c.comparable for c in cards)


def test_every_figure_slide_carries_source_and_stamp(slides: list) -> None:
    """Test that every slide with figures names its sources, every slide says 数据截至."""
    for slide in slides:
        if slide.cards or slide.chart or slide.table:
            assert slide.footnote.startswith("来源："), slide.title
        assert "数据截至 2026-03-01 10:30" in slide.footnote
    assert "百年工运铸辉煌" in of_kind(slides, "headline")[0].source_line


def test_english_deck(seeded_read_url: str) -> None:
    """Test that the deck speaks English when asked: titles, figures, stamp."""
    deck = build_slides(live_payload("daxing", 2025, seeded_read_url, now=NOW), "en")
    head = of_kind(deck, "headline")[0]
    assert head.title == "Headline figures"
    assert "18,000+ people" in [c.shown for c in head.cards]
    assert head.stamp == "Data as of 2026-03-01 10:30"
    assert [deck[1].title, deck[-1].title] == ["Outline", "Thank you"]


def test_targets_slide_shows_completion(seeded_url: str) -> None:
    """Test that a 2023 actual of 3 against a ≥ 2 target reads 150.0% and 已完成."""
    add_figure(seeded_url, "mental_stations_new", 2023, 3)
    deck = build_slides(live_payload("daxing", 2023, seeded_url), "zh")
    rows = of_kind(deck, "targets")[0].table.rows
    row = next(r for r in rows if r[0] == "新建心灵驿站")
    assert row[1:6] == ("≥ 2家", "3家", "全年", "150.0%", "已完成")
    others = [r for r in rows if r[0] != "新建心灵驿站"]
    assert others and all(r[2:6] == ("—", "—", "—", "暂无完成数据") for r in others)


def test_plan_slide_lists_next_years_targets(seeded_read_url: str) -> None:
    """Test that the 2024 deck's plan slide lists the 2025 plan target."""
    deck = build_slides(live_payload("daxing", 2024, seeded_read_url, now=NOW), "zh")
    plan = of_kind(deck, "plan")[0]
    assert plan.title == "2025年计划目标"
    assert plan.table.rows[0][:2] == ("党工共建示范典型单位", "≥ 2家")


def test_no_plan_slide_without_next_years_targets(slides: list) -> None:
    """Test that with no 2026 targets there is no plan slide (never an empty 暂无 slide)."""
    assert of_kind(slides, "plan") == []


def test_map_slide_counts_stations(slides: list, seeded_read_url: str) -> None:
    """Test that the map slide holds every Daxing station and counts them by type."""
    n = queries.stations(("daxing",), url=seeded_read_url).height
    slide = of_kind(slides, "map")[0]
    assert len(slide.stations) == n
    assert sum(int(r[1]) for r in slide.table.rows) == n


def test_map_slide_sets_reported_totals_beside_the_plotted_places(slides: list) -> None:
    """Test that the map slide says how many stations the figures report and how many it plots."""
    slide = of_kind(slides, "map")[0]
    assert "截至2025年底已建成并标注的服务阵地 11 处" in slide.paragraphs
    reported = next(p for p in slide.paragraphs if p.startswith("数据报告的阵地总数"))
    assert "工会暖心驿站（累计）800余家（2021年）" in reported
    assert "职工活动中心（累计）20家（2021年）" in reported
    assert "src_2021_record" in slide.sources


def test_map_slide_of_2021_plots_only_stations_open_by_then(seeded_read_url: str) -> None:
    """Test that the 2021 deck maps the 3 stations opened by 2021 and the 1 undated one, not the
    7 opened in 2024–2025, and says one is undated."""
    slide = of_kind(build_slides(live_payload("daxing", 2021, seeded_read_url, now=NOW)), "map")[0]
    assert sorted(s["code"] for s in slide.stations) == [
        "dx_airport_taxi_home",
        "dx_capitaland_warm",
        "dx_greenland_books",
        "dx_greenland_warm",
    ]
    assert slide.paragraphs[:2] == [
        "截至2021年底已建成并标注的服务阵地 4 处",
        "其中 1 处建成年份不详，一并标注",
    ]


def test_default_year_is_latest_full_year(seeded_read_url: str) -> None:
    """Test that presenter mode opens on Daxing's latest full year, 2025."""
    assert default_year("daxing", seeded_read_url) == 2025


def test_quarters_roll_up_to_a_year(seeded_read_url: str) -> None:
    """Test that four quarterly figures make a full-year figure when no annual one exists."""
    payload = live_payload("daxing", 2025, seeded_read_url, now=NOW)
    payload["observations"] += [
        {
            "indicator": "job_fairs",
            "year": 2025,
            "quarter": q,
            "period_note": "",
            "value": 10.0,
            "qualifier": "exact",
            "source": "src_2025_review",
            "locator": "",
        }
        for q in (1, 2, 3, 4)
    ]
    payload["indicators"].append(
        {
            "code": "job_fairs",
            "name_zh": "招聘会",
            "name_en": "Job fairs",
            "category": "employment",
            "unit_zh": "场",
            "unit_en": "events",
            "kind": "flow",
            "rollup": "sum",
            "direction": "up",
        }
    )
    assert Facts(payload).annual("job_fairs", 2025).value == 40.0


@pytest.mark.parametrize(
    ("n", "sizes"),
    [(0, [0]), (3, [3]), (8, [8]), (9, [5, 4]), (12, [6, 6]), (17, [6, 6, 5])],
)
def test_long_categories_split_evenly(n: int, sizes: list[int]) -> None:
    """Test that a long category splits into the fewest, most even slides of at most 8."""
    assert [len(c) for c in _chunks(list(range(n)), 8)] == sizes


def test_as_of_is_beijing_time() -> None:
    """Test that the stamp converts the stored UTC time to Beijing time."""
    assert format_as_of("2025-12-31T16:05:00+00:00") == "2026-01-01 00:05"


def test_quarters_to_date_bar_stands_beside_last_years_same_quarters(seeded_url: str) -> None:
    """Test that 2026 Q1–Q2 (240场) is drawn beside 2025 Q1–Q2 (200场), not 2025's full 400场."""
    from tests.test_pages_dashboards import add_observation

    for q in (1, 2, 3, 4):
        add_observation(seeded_url, "daxing", "job_fairs", 2025, 100, quarter=q)
    for q in (1, 2):
        add_observation(seeded_url, "daxing", "job_fairs", 2026, 120, quarter=q)
    deck = build_slides(live_payload("daxing", 2026, seeded_url, now=NOW), "zh")
    chart = next(
        s.chart for s in of_kind(deck, "category") if s.chart and "招聘会" in s.chart.categories
    )
    bars = {s.name: s.labels[chart.categories.index("招聘会")] for s in chart.series}
    assert bars == {"2025年1—2季度累计": "200场", "2026年1—2季度累计": "240场"}


def test_history_shows_every_year_with_gaps_as_gaps(slides: list) -> None:
    """Test that 历年对比 runs 2021→2025 for each indicator on record twice, years without a
    figure named 无数据 with no bar (None, never zero) and — in the table."""
    slide = of_kind(slides, "history")[0]
    assert slide.table.header == ("指标", "2021年", "2022年", "2023年", "2024年", "2025年")
    assert slide.table.rows == (
        ("新建职工活动中心", "2家", "—", "—", "—", "5家"),
        ("新建心灵驿站", "2家", "—", "—", "—", "1家"),
        ("文体活动参与人次", "6,836余人次", "—", "—", "—", "17.57万余人次"),
    )
    for panel in slide.chart.bar_panels():
        assert panel.categories == (
            "2021年",
            "2022年 无数据",
            "2023年 无数据",
            "2024年 无数据",
            "2025年",
        )
        assert panel.series[0].values[1:4] == (None, None, None)
    assert [p.unit for p in slide.chart.bar_panels()] == [
        "新建职工活动中心（单位：家）",
        "新建心灵驿站（单位：家）",
        "文体活动参与人次（单位：人次）",
    ]


def test_peers_left_out_without_the_same_indicator_and_period(slides: list) -> None:
    """Test that Shunyi's and Jianwai's 2024 figures (other indicators) make no 兄弟单位 slide."""
    assert of_kind(slides, "peers") == []


def test_peers_compare_only_the_same_indicator_and_period(seeded_url: str) -> None:
    """Test that a Shunyi 2025 full-year 新增建会单位 figure is set beside Daxing's, and a Shunyi
    figure of another period of the same indicator is not."""
    add_figure(seeded_url, "new_union_units", 2025, 2100, org="shunyi")
    add_figure(seeded_url, "members_recruited", 2025, 900, org="shunyi", note="2025年上半年")
    deck = build_slides(live_payload("daxing", 2025, seeded_url, now=NOW), "zh")
    slide = of_kind(deck, "peers")[0]
    assert slide.title == "兄弟单位对比"
    assert slide.table.rows == (
        ("新增建会单位", "大兴区总工会", "3,396家"),
        ("新增建会单位", "顺义区总工会", "2,100家"),
    )
    assert "十三、兄弟单位对比" in deck[1].paragraphs
