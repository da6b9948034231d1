"""Text from files stays text in the exports: links, images and HTML planted in every text field
of a store come out literally in the meeting pack's PDF (fpdf2, no markup) and PPTX."""

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
from tests.user_text_support import PAYLOAD, plant

NOW = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)


@pytest.fixture
def slides(seeded_copy: str) -> list:
    """Daxing's 2025 slides from a store with the payload in every text field."""
    plant(seeded_copy)
    return build_slides(live_payload("daxing", 2025, seeded_copy, now=NOW), "zh")


def pptx_text(data: bytes) -> str:
    """Every text run of a deck, joined."""
    deck = Presentation(BytesIO(data))
    return "\n".join(
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )


def test_pptx_shows_planted_markup_literally(slides: list) -> None:
    """Test that the PPTX deck carries the planted org name and sources as typed."""
    assert PAYLOAD in pptx_text(build_pptx(slides))


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdf_shows_planted_markup_literally(slides: list, tmp_path: Path) -> None:
    """Test that the PDF report prints the planted markup as text (no link, no image)."""
    path = tmp_path / "pack.pdf"
    path.write_bytes(build_pdf(slides, "zh"))
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert '<img src="http://evil.example/h.png">' in flat and "![px](http://" in flat
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True)
    assert images.stdout.count("\n") <= 2  # header lines only: no image was fetched or embedded
