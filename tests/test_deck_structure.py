"""Tests that presenter mode, the PPTX and the PDF carry the same deck structure (cover → 汇报提纲
→ … → closing, sections with nothing to show left out) for Daxing's 2025 and 2021 decks, with
the presenter's text sections and speaker notes where they belong."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from pptx import Presentation

from lib.deck.pack import build_pdf, build_pptx
from lib.deck.payload import live_payload
from lib.deck.slides import build_slides
from tests.test_slides import DAXING_2021, DAXING_2025

NOW = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)
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
