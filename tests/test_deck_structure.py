"""Tests that presenter mode, the PPTX and the PDF carry the same deck structure (cover → 汇报提纲
→ … → 资料来源 → closing, sections with nothing to show left out) for Daxing's 2025 and 2021 decks,
with the presenter's text sections and speaker notes where they belong, and each org's figures
credited to the article they come from."""

from __future__ import annotations

import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from pptx import Presentation

from lib.deck.pack import build_pdf, build_pptx
from lib.deck.payload import Facts, live_payload
from lib.deck.slides import build_slides
from lib.deck.texts import sources_slide
from tests.deck_support import NOW
from tests.test_slides import DAXING_2021, DAXING_2025

POPPLER = shutil.which("pdftotext")
TITLES = {2025: DAXING_2025, 2021: DAXING_2021}


@pytest.fixture(scope="module")
def decks(seeded_read_url: str) -> dict[int, list]:
    """Daxing's 2025 and 2021 slides in Chinese."""
    return {
        year: build_slides(live_payload("daxing", year, seeded_read_url, now=NOW), "zh")
        for year in TITLES
    }


@pytest.mark.parametrize("year", [2025, 2021])
def test_pptx_has_the_decks_slides_literally(decks: dict, year: int) -> None:
    """Test that the PPTX of a year has exactly the deck's slide titles, in order."""
    deck = Presentation(BytesIO(build_pptx(decks[year])))
    assert [s.shapes.title.text for s in deck.slides] == TITLES[year]


@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext) missing")
@pytest.mark.parametrize("year", [2025, 2021])
def test_pdf_has_one_page_per_slide_in_order(decks: dict, year: int, tmp_path: Path) -> None:
    """Test that the PDF has a page per slide, each page headed by that slide's title."""
    path = tmp_path / "deck.pdf"
    path.write_bytes(build_pdf(decks[year], "zh"))
    pages = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) == len(TITLES[year])
    for page, title in zip(pages, TITLES[year], strict=True):
        assert title in page.replace("\n", ""), title


def test_slides_carry_speaker_notes_with_source_words(decks: dict) -> None:
    """Test that the headline slide's notes give each figure, its qualifier and the article's
    words it was read from (the PPTX writes Slide.notes as the slide's speaker notes)."""
    head = next(s for s in decks[2025] if s.section == "headline")
    lines = head.notes.splitlines()
    assert len(lines) == len(head.cards)
    assert any(
        line.startswith("发展会员：1.8万余人——《百年工运铸辉煌") and "原文“" in line
        for line in lines
    )


OWN_NAMES = {"targets": "目标完成情况", "history": "历年对比"}  # titles that carry the year


def sources_rows(slides: list) -> dict[str, tuple[str, str]]:
    """The 资料来源 slide's rows: article title → (newspaper and date, sections using it)."""
    slide = next(s for s in slides if s.section == "sources")
    return {title: (where, used) for title, where, used in slide.table.rows}


@pytest.mark.parametrize("year", [2025, 2021])
def test_sources_slide_credits_every_slides_articles(decks: dict, year: int) -> None:
    """Test that 资料来源 lists every article a slide of the deck draws on, naming for each
    article the sections whose figures come from it."""
    slides = decks[year]
    rows = sources_rows(slides)
    cited = 0
    for slide in slides:
        if slide.section in ("sources", "cover", "closing"):
            continue
        for title in slide.source_line.removeprefix("来源：").split("；"):
            title = title.split("》")[0].removeprefix("《")
            if title and title != "报纸名称与日期原文未载":
                assert title in rows, (slide.title, title)
                section = OWN_NAMES.get(slide.section, slide.title.removesuffix("（续）"))
                assert section in rows[title][1].split("、"), (section, rows[title][1])
                cited += 1
    assert cited >= 10


def test_sources_slide_names_newspaper_and_date_or_says_none_given(decks: dict) -> None:
    """Test that each article's row gives its newspaper, date or 版面 where the article does, and
    报纸名称与日期原文未载 where it does not (never left blank, never invented)."""
    rows = sources_rows(decks[2025])
    assert rows["思想引领 精准服务 维权帮扶——大兴区总工会明确2023年主要工作任务"][0] == (
        "今日大兴版，报纸名称与日期原文未载"
    )
    title = "百年工运铸辉煌 实干担当惠职工——大兴区总工会2025年工作交出亮眼答卷"
    assert rows[title] == (
        "报纸名称与日期原文未载",
        "工作综述、主要指标、组织建设、维权服务、普惠服务、阵地建设、产改与技能、文体活动、"
        "思想引领、历年对比",
    )


def test_no_sources_slide_when_no_slide_cites_an_article(decks: dict, seeded_read_url: str) -> None:
    """Test that a deck whose slides cite nothing (cover and closing only) gets no 资料来源."""
    frame = [s for s in decks[2025] if s.section in ("cover", "closing")]
    facts = Facts(live_payload("daxing", 2025, seeded_read_url, now=NOW))
    assert sources_slide(frame, facts, "zh") is None
    assert sources_slide(decks[2025][:4], facts, "zh") is not None


@pytest.mark.parametrize("year", [2025, 2021])
def test_pptx_and_pdf_carry_the_sources_slide(decks: dict, year: int, tmp_path: Path) -> None:
    """Test that the PPTX's 资料来源 slide holds the articles table and the PDF prints it."""
    slides = decks[year]
    at = [s.section for s in slides].index("sources")
    page = Presentation(BytesIO(build_pptx(slides))).slides[at]
    table = next(sh.table for sh in page.shapes if sh.has_table)
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == ["文章", "报纸与日期", "所用数据见"]
    assert {r[0] for r in cells[1:]} == set(sources_rows(slides))
    assert all(r[1] for r in cells[1:])
    if POPPLER:
        path = tmp_path / "deck.pdf"
        path.write_bytes(build_pdf(slides, "zh"))
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.split("\f")[at]
        assert "资料来源" in text and "报纸名称与日期原文未载" in text
