"""Tests of the PPTX deck's native tables (lib.deck.pptx_base.add_table): no year heading and no
number breaks across lines; the 历年对比 (year-over-year) slide's table, whose five year columns sit
beside a chart, in Chinese and English, on 16:9 and 4:3 slides. Widths are measured with the
deck's own font metrics (Noto Sans CJK, DejaVu Sans for Latin: lib.deck.measure)."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

import pytest
from pptx import Presentation
from pptx.util import Emu

from lib.deck.measure import INSET_X, text_width
from lib.deck.pack import build_pptx
from lib.deck.payload import live_payload
from lib.deck.slides import build_slides
from tests.deck_support import NOW

CASES = [(lang, aspect) for lang in ("zh", "en") for aspect in ("16:9", "4:3")]
HEADINGS = {
    "zh": ["指标", "2021年", "2022年", "2023年", "2024年", "2025年"],
    "en": ["Indicator", "2021", "2022", "2023", "2024", "2025"],
}
WORD = re.compile(r"[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+")  # no CJK


@pytest.fixture(scope="module", params=CASES, ids=[f"{lang}-{a}" for lang, a in CASES])
def history(request: pytest.FixtureRequest, seeded_read_url: str) -> tuple[str, Any]:
    """The language and the native table of Daxing's 2025 历年对比 slide in the PPTX."""
    lang, aspect = request.param
    slides = build_slides(live_payload("daxing", 2025, seeded_read_url, now=NOW), lang)
    deck = Presentation(BytesIO(build_pptx(slides, aspect)))
    page = deck.slides[[s.kind for s in slides].index("history")]
    return lang, next(sh.table for sh in page.shapes if sh.has_table)


def inner_width(table: Any, column: int) -> float:
    """The width (inches) a column leaves its text inside the cell insets."""
    return Emu(table.columns[column].width).inches - 2 * INSET_X


def font_size(table: Any, row: int, column: int) -> float:
    """The font size (pt) of a cell's text."""
    return table.cell(row, column).text_frame.paragraphs[0].runs[0].font.size.pt


def test_every_year_heading_fits_its_column_on_one_line(history: tuple[str, Any]) -> None:
    """Test that each year heading of the 历年对比 table fits its column on one line (never
    "202 / 1年")."""
    lang, table = history
    headings = [table.cell(0, c).text for c in range(len(table.columns))]
    assert headings == HEADINGS[lang]
    for c in range(1, len(headings)):
        need = text_width(headings[c], font_size(table, 0, c), bold=True)
        assert need <= inner_width(table, c), (headings[c], need, inner_width(table, c))


def test_no_number_in_the_table_breaks(history: tuple[str, Any]) -> None:
    """Test that every number or Latin word of the 历年对比 table (6,836余人次's 6,836) fits its
    column's width, so none is split across lines."""
    _, table = history
    for r in range(len(table.rows)):
        for c in range(len(table.columns)):
            size = font_size(table, r, c)
            for word in WORD.findall(table.cell(r, c).text):
                need = text_width(word, size, bold=r == 0)
                assert need <= inner_width(table, c), (word, need, inner_width(table, c))
