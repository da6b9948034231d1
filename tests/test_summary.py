"""Tests of the written summary (lib.deck.summary): a Chinese work-report register filled from the store,
every number traceable to a source, 同比 only where comparable, sentences that follow the data."""

from __future__ import annotations

import re

import pytest

from lib.deck.payload import live_payload
from lib.deck.summary import summarize
from tests.deck_support import add_figure


def summary_text(payload: dict, lang: str = "zh") -> str:
    """The summary's sentences joined into one text (the slide shows one per paragraph)."""
    return ("" if lang == "zh" else " ").join(s.text for s in summarize(payload, lang))


@pytest.fixture(scope="module")
def payload(seeded_read_url: str) -> dict:
    """Daxing's 2025 payload."""
    return live_payload("daxing", 2025, seeded_read_url)


DAXING_2025 = [
    "2025年，大兴区总工会坚持强化思想引领，开展“四个一百”系列活动4,417场，"
    "系列活动参与达46.9万余人次，获评全国劳动模范、先进工作者2名。",
    "扎实推进组织建设，新增建会单位3,396家，发展会员1.8万余人，推动百人以上单位新建会10家。",
    "切实维护职工合法权益，建成“枫桥经验”区级实践点4家，建成劳动争议一站式解纷中心23家，"
    "枫桥实践站智能舱提供服务2,000余人次。",
    "深化产业工人队伍建设改革，累计建成区级工匠学院6家，其中市级1家，开展专题培训77场次。",
    "持续做优普惠服务，关爱活动惠及职工6万余人次，举办会员专享活动57项。",
    "加强服务阵地建设，新建职工活动中心5家，新建心灵驿站1家，提升工会驿站服务效能81家。",
    "丰富职工文体生活，举办职工文体活动2,039场，文体活动参与达17.57万余人次。",
    "2025年6月起蹲点工作期间，新增建会单位786家，发展会员4,600人，新建单独基层工会15家，"
    "联合基层工会新覆盖单位771家。",
    "2025年计划目标党工共建示范典型单位不少于2家，暂无完成数据。",
]
DAXING_2021 = [
    "2021年，大兴区总工会切实维护职工合法权益，培育市级和谐劳动关系企业5家，"
    "培育区级和谐劳动关系企业6家，排查跟进欠薪案件22件。",
    "深化产业工人队伍建设改革，职工办公技能竞赛参与3,000余人，"
    "机关工作实务技能大赛覆盖单位77家，机关工作实务技能大赛参与1.25万余人。",
    "持续做优普惠服务，夏送清凉走访慰问单位60余家，发放慰问金及物资160余万元，慰问职工11,107人。",
    "用心做好就业帮扶，举办线上线下招聘会249场，就业服务总人数达45,137人，"
    "“金秋助学”资助符合条件的困难职工子女1人。",
    "加强服务阵地建设，新建职工活动中心2家，累计建成职工活动中心20家，新建职工之家14家。",
    "丰富职工文体生活，开展职工文体活动项目21项，覆盖参与单位1,320家，文体活动参与达6,836余人次。",
]


def test_daxing_2025_summary_reads_as_a_work_report(payload: dict) -> None:
    """Test that Daxing's 2025 summary is these sentences, 思想引领 first, each with a verb."""
    assert [s.text for s in summarize(payload)] == DAXING_2025


def test_daxing_2021_summary_reads_as_a_work_report(seeded_read_url: str) -> None:
    """Test that Daxing's 2021 summary is these sentences (the first with its verb)."""
    sentences = summarize(live_payload("daxing", 2021, seeded_read_url))
    assert [s.text for s in sentences] == DAXING_2021


def test_no_stock_marker_inside_sentences(payload: dict) -> None:
    """Test that a stock reads as 累计建成…, never with "（累计）" inside a sentence."""
    text = summary_text(payload)
    assert "（累计）" not in text and "累计建成区级工匠学院6家" in text


def test_summary_in_english(payload: dict) -> None:
    """Test that the English summary opens with the org, a verb, and the figures the English way."""
    text = summary_text(payload, "en")
    assert text.startswith(
        "In 2025, Daxing District Federation of Trade Unions strengthened ideological guidance: "
        'held 4,417 events of "four hundreds" activities, drew 469,000+ attendances'
    )
    assert "unionised 3,396 units, recruited 18,000+ people as members" in text
    assert "2025 target Party–union co-building model units at least 2 units: " in text


def test_no_yoy_without_comparable_figures(payload: dict) -> None:
    """Test that no sentence states a 同比 when no 2024 figure exists."""
    assert "同比" not in summary_text(payload)


def test_yoy_stated_once_comparable(seeded_url: str) -> None:
    """Test that a 2024 figure of 3,000 makes the sentence say 同比增长13.2%."""
    add_figure(seeded_url, "new_union_units", 2024, 3000)
    text = summary_text(live_payload("daxing", 2025, seeded_url))
    assert "新增建会单位3,396家，同比增长13.2%" in text


def test_sentences_change_when_data_change(seeded_url: str) -> None:
    """Test that a corrected figure changes the sentence that states it."""
    add_figure(seeded_url, "new_union_units", 2025, 3500)
    text = summary_text(live_payload("daxing", 2025, seeded_url))
    assert "新增建会单位3,500家" in text and "3,396" not in text


def test_campaign_figures_get_their_own_sentence(payload: dict) -> None:
    """Test that campaign-period figures are stated apart, with their period and no 同比."""
    sentence = next(s.text for s in summarize(payload) if s.text.startswith("2025年6月起"))
    assert sentence.startswith("2025年6月起蹲点工作期间，新增建会单位786家")
    assert "同比" not in sentence


@pytest.mark.parametrize("year", [2025, 2021])
def test_every_number_traces_to_a_source(seeded_read_url: str, year: int) -> None:
    """Test that each number in a figure sentence is a referenced figure, with its qualifier, that
    has a source."""
    payload = live_payload("daxing", year, seeded_read_url)
    sources = set(payload["sources"])
    for sentence in summarize(payload):
        assert sentence.refs
        rest = sentence.text
        for ref in sentence.refs:
            assert ref.source in sources and ref.locator
            if ref.shown in rest:
                rest = rest.replace(ref.shown, "", 1)
            if ref.period_note:
                rest = rest.replace(ref.period_note, "")
        rest = re.sub(r"\d{4}年", "", rest)
        if "计划目标共" in sentence.text:  # counts of the referenced targets
            assert re.findall(r"\d+", rest) == [str(len(sentence.refs))]
            continue
        assert not re.search(r"\d", rest), (sentence.text, rest)


def test_targets_sentence_says_no_completion_figure(payload: dict) -> None:
    """Test that a target without an actual reads 暂无完成数据, never 已完成0项."""
    text = summary_text(payload)
    assert "2025年计划目标党工共建示范典型单位不少于2家，暂无完成数据。" in text
    assert "已完成0项" not in text


def test_plan_sentence_for_next_year(seeded_read_url: str) -> None:
    """Test that the 2024 summary states the 2025 plan as the plan states it."""
    text = summary_text(live_payload("daxing", 2024, seeded_read_url))
    assert "2025年计划：党工共建示范典型单位不少于2家。" in text


def test_org_without_figures_says_so(seeded_read_url: str) -> None:
    """Test that a year with nothing to report yields one honest sentence."""
    text = summary_text(live_payload("mentougou", 2025, seeded_read_url))
    assert text == "2025年门头沟区总工会暂无可汇报的数据。"


def test_plan_sentence_names_the_rest_when_cut_short(seeded_read_url: str) -> None:
    """Test that the 2022 summary lists four of the six 2023 plan targets and ends with 等6项."""
    text = summary_text(live_payload("daxing", 2022, seeded_read_url))
    plan = next(s for s in re.split(r"(?<=。)", text) if s.startswith("2023年计划："))
    assert plan.count("不少于") == 4
    assert plan.endswith("等6项。")
