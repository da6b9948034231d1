"""Tests that the meeting pack's text stays on the slide and the page: every headline card of the
Daxing 2025 and 2021 decks fits at 16:9 and 4:3 in Chinese and English (PPTX), and on the A4 PDF
page; speaker notes reach the PPTX; `export pack --aspect 4:3` makes a 4:3 deck."""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from PIL import ImageFont
from pptx import Presentation
from pptx.util import Emu

from lib.deck.pack import build_pdf, build_pptx, cli_pack
from lib.deck.payload import live_payload
from lib.deck.slides import Slide, build_slides

NOW = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)
BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
LATIN_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"  # LibreOffice's Latin face
CASES = [(y, lang, a) for y in (2025, 2021) for lang in ("zh", "en") for a in ("16:9", "4:3")]
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")


@pytest.fixture(scope="module")
def decks(seeded_read_url: str) -> dict:
    """The Daxing 2025 and 2021 slides in both languages."""
    out = {}
    for year in (2025, 2021):
        payload = live_payload("daxing", year, seeded_read_url, now=NOW)
        for lang in ("zh", "en"):
            out[(year, lang)] = build_slides(payload, lang)
    return out


def inches(value: int) -> float:
    """EMU as inches."""
    return Emu(value).inches


def ink_width(text: str, points: float) -> float:
    """The width in inches of one line of bold text, measured by Pillow in Noto Sans CJK SC and,
    for text without CJK, in the DejaVu Sans LibreOffice renders Latin with (the wider)."""
    fonts = [ImageFont.truetype(BOLD, 200, index=2)]
    if text.isascii() and Path(LATIN_BOLD).exists():
        fonts.append(ImageFont.truetype(LATIN_BOLD, 200))
    return max(f.getlength(text) for f in fonts) / 200 * points / 72


@pytest.mark.parametrize(("year", "lang", "aspect"), CASES)
def test_every_text_box_is_on_the_slide(decks: dict, year: int, lang: str, aspect: str) -> None:
    """Test that no text box of the deck reaches past the slide's right or bottom edge."""
    prs = Presentation(BytesIO(build_pptx(decks[(year, lang)], aspect)))
    width, height = inches(prs.slide_width), inches(prs.slide_height)
    assert round(width / height, 2) == {"16:9": 1.78, "4:3": 1.33}[aspect]
    for n, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            right = inches(shape.left + shape.width)
            bottom = inches(shape.top + shape.height)
            assert right <= width + 0.01, (n, shape.name, right, width)
            assert bottom <= height + 0.01, (n, shape.name, bottom, height)


def run_width(para) -> float:  # noqa: ANN001
    """The width in inches of a paragraph of bold runs, each measured at its own size."""
    return sum(ink_width(r.text, r.font.size.pt) for r in para.runs)


@pytest.mark.parametrize(("year", "lang", "aspect"), CASES)
def test_every_headline_card_fits(decks: dict, year: int, lang: str, aspect: str) -> None:
    """Test that each headline value sits on the slide in full, each line inside its card."""
    slides = decks[(year, lang)]
    cards = next(s.cards for s in slides if s.kind == "headline")
    prs = Presentation(BytesIO(build_pptx(slides, aspect)))
    page = next(p for p in prs.slides if any(s.name == "Value" for s in p.shapes))
    values = [s for s in page.shapes if s.name == "Value"]
    assert len(values) == len(cards)
    for shape, card in zip(values, cards, strict=True):
        paras = shape.text_frame.paragraphs
        assert ("" if lang == "zh" else " ").join(p.text for p in paras) == card.shown
        frame = shape.text_frame
        inner = inches(shape.width - frame.margin_left - frame.margin_right)
        assert all(run_width(p) <= inner for p in paras), (card.shown, inner)
        assert inches(shape.left + shape.width) <= inches(prs.slide_width)


@needs_poppler
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_cards_fit_the_page(decks: dict, tmp_path: Path, lang: str) -> None:
    """Test that every headline number is printed whole inside its half of the A4 page."""
    slides = decks[(2025, lang)]
    head = next(s for s in slides if s.kind == "headline")
    path = tmp_path / "pack.pdf"
    path.write_bytes(build_pdf([head], lang))
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for card in head.cards:  # the number, then its unit on the line below
        assert card.shown.replace(" ", "\n", 1) in text or card.shown in text.replace("\n", "")
    rights = [float(x.split('"')[0]) for x in out.split('xMax="')[1:]]
    page_w = 595.3 - 15 / 25.4 * 72  # A4 width less its right margin, points
    assert rights and max(rights) <= page_w, max(rights)


@needs_poppler
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_headline_numbers_are_at_least_40_pt(decks: dict, tmp_path: Path, lang: str) -> None:
    """Test that the PDF prints every headline number (all its digits) at 40 pt or more."""
    head = next(s for s in decks[(2025, lang)] if s.kind == "headline")
    path = tmp_path / "pack.pdf"
    path.write_bytes(build_pdf([head], lang))
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-zoom", "1", "-stdout", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    sizes = {f: float(s) for f, s in re.findall(r'<fontspec id="(\d+)" size="([\d.]+)"', xml)}
    printed = {
        re.sub(r"<[^>]+>", "", text): sizes[font]
        for font, text in re.findall(r'<text [^>]*font="(\d+)">(.*?)</text>', xml)
    }
    for card in head.cards:
        number = next(t for t in printed if re.sub(r"\D", "", t) == re.sub(r"\D", "", card.shown))
        assert printed[number] >= 40, (number, printed[number])


@dataclass
class NotedSlide(Slide):
    """A slide carrying speaker notes (the field the presenter's slides add)."""

    notes: str = ""


def test_speaker_notes_in_the_pptx(decks: dict) -> None:
    """Test that a slide's notes become the PPTX slide's speaker notes."""
    first = decks[(2025, "zh")][2]
    noted = NotedSlide(**{**first.__dict__, "notes": "新增建会单位3,396家（来源：2025年工作综述）"})
    prs = Presentation(BytesIO(build_pptx([noted])))
    assert prs.slides[0].notes_slide.notes_text_frame.text == noted.notes


def test_cli_writes_a_4_3_deck(seeded_copy: str, tmp_path: Path) -> None:
    """Test that `export pack --aspect 4:3` writes a deck whose slides are 4:3."""
    out = tmp_path / "pack.pptx"
    args = argparse.Namespace(
        org="daxing", year=2025, format="pptx", out=str(out), lang="en", aspect="4:3"
    )
    assert cli_pack(args) == 0
    prs = Presentation(str(out))
    assert round(inches(prs.slide_width) / inches(prs.slide_height), 2) == 1.33
