"""The PPTX deck as the audience's office suite shows it: LibreOffice Impress (Debian's
libreoffice-impress, installed by `make test-office`) renders the Daxing 2025 and 2021 decks to PDF,
and poppler reads back what it drew. Chinese text comes out in an embedded CJK face (no tofu, no
Latin-only face standing in), bar labels come from their number formats (1.8万余人 drawn from the
value 18000), and there is one page per slide. Skipped, with the reason, when LibreOffice is
missing (the rest of the suite does not need it)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lib.deck.pack import build_pptx
from lib.deck.payload import live_payload
from lib.deck.slides import build_slides
from tests.deck_support import NOW

SOFFICE = shutil.which("soffice")
POPPLER = shutil.which("pdffonts") and shutil.which("pdftotext")
pytestmark = [
    pytest.mark.skipif(
        not SOFFICE, reason="LibreOffice not installed (apt-get install libreoffice-impress)"
    ),
    pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed"),
]
CJK_FACES = ("NotoSansCJK", "NotoSerifCJK", "WenQuanYi", "DroidSansFallback", "MicrosoftYaHei")


def render(pptx: bytes, folder: Path) -> Path:
    """The deck converted to PDF by LibreOffice (a private profile, so runs never share one)."""
    src = folder / "deck.pptx"
    src.write_bytes(pptx)
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(folder), str(src)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return folder / "deck.pdf"


@pytest.fixture(scope="module", params=[2025, 2021])
def rendered(
    request: pytest.FixtureRequest, seeded_read_url: str, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list, Path]:
    """Daxing's Chinese slides of a year and LibreOffice's PDF of their PPTX."""
    slides = build_slides(live_payload("daxing", request.param, seeded_read_url, now=NOW), "zh")
    folder = tmp_path_factory.mktemp(f"office{request.param}")
    return slides, render(build_pptx(slides), folder)


def fonts(pdf: Path) -> list[tuple[str, str, str]]:
    """(name, embedded, has a unicode map) of every font pdffonts lists."""
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True)
    rows = []
    for line in out.stdout.splitlines()[2:]:
        parts = line.split()
        rows.append((parts[0], parts[-5], parts[-3]))
    return rows


def text(pdf: Path, page: int | None = None) -> str:
    """The PDF's (or one page's) text without the spaces LibreOffice puts between Chinese and
    digits."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", *pages, str(pdf), "-"], check=True, capture_output=True, text=True
    )
    return re.sub(r"\s+", "", out.stdout)


def test_libreoffice_draws_chinese_in_an_embedded_cjk_face(rendered: tuple[list, Path]) -> None:
    """Test that LibreOffice draws the deck's Chinese with an embedded CJK face, every font
    embedded with a unicode map (a face without the glyphs would draw tofu boxes)."""
    _, pdf = rendered
    rows = fonts(pdf)
    assert any(name.split("+")[-1].startswith(CJK_FACES) for name, _, _ in rows), rows
    assert all(emb == "yes" and uni == "yes" for _, emb, uni in rows), rows


def test_libreoffice_text_reads_back_as_chinese(rendered: tuple[list, Path]) -> None:
    """Test that the org, the slide titles and the 数据截至 stamp read back from LibreOffice's PDF."""
    slides, pdf = rendered
    body = text(pdf)
    assert "大兴区总工会" in body
    for slide in slides:
        assert re.sub(r"\s+", "", slide.title) in body, slide.title
    assert "数据截至" in body


def test_libreoffice_has_one_page_per_slide(rendered: tuple[list, Path]) -> None:
    """Test that LibreOffice lays the deck out as one page per slide."""
    slides, pdf = rendered
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    pages = int(re.search(r"Pages:\s+(\d+)", out.stdout).group(1))  # type: ignore[union-attr]
    assert pages == len(slides)


@pytest.fixture(scope="module")
def rendered_compared(
    compared: list, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list, Path]:
    """Daxing's 2025 Chinese slides with 2024 figures of a few indicators (so their category
    slides draw bars) and LibreOffice's PDF of their PPTX."""
    return compared, render(build_pptx(compared), tmp_path_factory.mktemp("office_compared"))


def test_bar_labels_are_drawn_from_their_number_format(
    rendered_compared: tuple[list, Path],
) -> None:
    """Test that on every bar chart slide LibreOffice draws each bar's label as the slide shows
    it (1.8万余人 from 18000 and its format): each label appears once per bar plus once per
    table cell that repeats it."""
    slides, pdf = rendered_compared
    checked = 0
    for number, slide in enumerate(slides, start=1):
        if slide.chart is None or slide.chart.kind != "bar":
            continue
        page = text(pdf, number)
        cells = [c for row in (slide.table.rows if slide.table else ()) for c in row]
        for panel in slide.chart.bar_panels():
            for series in panel.series:
                for value, label in zip(series.values, series.labels, strict=True):
                    if value is None:
                        continue
                    bars = sum(
                        lab == label
                        for p in slide.chart.bar_panels()
                        for s in p.series
                        for v, lab in zip(s.values, s.labels, strict=True)
                        if v is not None
                    )
                    want = bars + sum(label in c for c in cells)
                    assert page.count(label) >= want, (number, label, page.count(label), want)
                    checked += 1
    assert checked >= 5
