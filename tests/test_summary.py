"""Tests of the written summary (lib.deck.summary): a Chinese work-report register filled from the store,
every number traceable to a source, 同比 only where comparable, sentences that follow the data."""

from __future__ import annotations

import re

import pytest

from lib.deck.payload import live_payload
from lib.deck.summary import summarize
from tests.test_slides import add_figure


def summary_text(payload: dict, lang: str = "zh") -> str:
    """The summary's sentences joined into one text (the slide shows one per paragraph)."""
    return ("" if lang == "zh" else " ").join(s.text for s in summarize(payload, lang))


@pytest.fixture(scope="module")
def template_url(seeded_read_url: str) -> str:
    """The seeded store on the engine under test, read only."""
    return seeded_read_url


@pytest.fixture(scope="module")
def payload(template_url: str) -> dict:
    """Daxing's 2025 payload."""
    return live_payload("daxing", 2025, template_url)


def test_summary_opens_like_a_work_report(payload: dict) -> None:
    """Test that the summary opens with the year, the org and the headline figures in Chinese."""
    text = summary_text(payload)
    assert text.startswith(
        "2025年，大兴区总工会在组织建设方面新增建会单位3,396家，发展会员1.8万余人"
    )


def test_summary_in_english(payload: dict) -> None:
    """Test that the English summary states the same figures the English way."""
    text = summary_text(payload, "en")
    assert text.startswith("In 2025, Daxing District Federation of Trade Unions")
    assert "New unionised units 3,396 units" in text and "18,000+ people" in text


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


def test_every_number_traces_to_a_source(payload: dict) -> None:
    """Test that each number in a figure sentence is a referenced figure with a source."""
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
        if "计划目标" in sentence.text:  # counts of the referenced targets
            assert re.findall(r"\d+", rest) == [str(len(sentence.refs))]
            continue
        assert not re.search(r"\d", rest), (sentence.text, rest)


def test_targets_sentence_counts_statuses(payload: dict) -> None:
    """Test that the targets sentence counts the year's targets by status."""
    assert "2025年共有计划目标1项，均暂无完成数据。" in summary_text(payload)


def test_plan_sentence_for_next_year(template_url: str) -> None:
    """Test that the 2024 summary states the 2025 plan as the plan states it."""
    text = summary_text(live_payload("daxing", 2024, template_url))
    assert "2025年计划：党工共建示范典型单位不少于2家。" in text


def test_org_without_figures_says_so(template_url: str) -> None:
    """Test that a year with nothing to report yields one honest sentence."""
    text = summary_text(live_payload("mentougou", 2025, template_url))
    assert text == "2025年门头沟区总工会暂无可汇报的数据。"


def test_plan_sentence_names_the_rest_when_cut_short(template_url: str) -> None:
    """Test that the 2022 summary lists four of the six 2023 plan targets and ends with 等6项."""
    text = summary_text(live_payload("daxing", 2022, template_url))
    plan = next(s for s in re.split(r"(?<=。)", text) if s.startswith("2023年计划："))
    assert plan.count("不少于") == 4
    assert plan.endswith("等6项。")
