"""Charts for a meeting room, measured: the PPTX's chart text ≥ 18 pt, footnotes ≥ 12 pt and the
Chinese deck's headline figures ≥ 40 pt (a 13.33-inch slide shown 1920 px wide: 1 pt = 2 px); bar colours reach
3:1 and text colours 4.5:1 against both the light and the dark slide background (WCAG 2 contrast,
computed here from the colours); 同比 is red when up and green when down in the Chinese deck
(红涨绿跌, a setting), and the headline slide's legend says so."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

import pytest
from pptx import Presentation
from pptx.util import Emu

from lib.deck.model import HISTORY_COLOR
from lib.deck.pack import build_pptx
from lib.deck.payload import live_payload
from lib.deck.slides import CURRENT_COLOR, PREV_COLOR, SUB_COLORS, THEMES, SlideCard, build_slides
from lib.ui import present
from tests.deck_support import NOW, add_figure

WHITE, DARK = "#FFFFFF", THEMES["dark"]["bg"]


def luminance(color: str) -> float:
    """WCAG 2 relative luminance of '#rrggbb'."""
    chans = [int(color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in chans]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_matches_known_pairs() -> None:
    """Test that the contrast helper gives WCAG's known ratios (black/white 21, #777 on white 4.48)."""
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


@pytest.fixture(scope="module")
def decks(seeded_read_url: str) -> dict[tuple[int, str], list]:
    """Daxing's 2025 and 2021 slides in both languages."""
    return {
        (year, lang): build_slides(live_payload("daxing", year, seeded_read_url, now=NOW), lang)
        for year in (2025, 2021)
        for lang in ("zh", "en")
    }


def bar_colors(slides: list) -> set[str]:
    """Every bar colour the slides' charts use."""
    return {
        s.color.upper()
        for slide in slides
        if slide.chart is not None
        for panel in slide.chart.bar_panels()
        for s in panel.series
    }


@pytest.mark.parametrize("background", [WHITE, DARK])
def test_bars_reach_3_to_1_on_both_themes(decks: dict, background: str) -> None:
    """Test that every bar colour of the 2025 and 2021 decks reaches 3:1 on the background."""
    colors = set().union(*(bar_colors(s) for s in decks.values()))
    assert HISTORY_COLOR in colors  # the 历年对比 bars; categories use the colours below
    colors |= {CURRENT_COLOR, PREV_COLOR, *SUB_COLORS}
    for color in colors:
        assert contrast(color, background) >= 3.0, (color, background)


def css_vars(css: str) -> dict[str, str]:
    """The --kpi-* colours a theme's stylesheet sets."""
    return dict(re.findall(r"--kpi-([a-z]+):\s*(#[0-9A-Fa-f]{6})", css))


@pytest.mark.parametrize(("css", "background"), [("LIGHT_CSS", WHITE), ("DARK_CSS", DARK)])
def test_slide_text_reaches_4_5_to_1_on_its_theme(css: str, background: str) -> None:
    """Test that the presenter's text colours (body, muted, accent, red/green 同比) reach 4.5:1."""
    colors = css_vars(getattr(present, css))
    for name in ("fg", "muted", "accent", "red", "green"):
        assert contrast(colors[name], background) >= 4.5, (name, colors[name])


def chart_sizes(pptx: bytes) -> list[int]:
    """Every font size (hundredths of a point) set in the deck's charts."""
    with zipfile.ZipFile(BytesIO(pptx)) as zf:
        xml = "".join(
            zf.read(n).decode() for n in zf.namelist() if n.startswith("ppt/charts/chart")
        )
    return [int(v) for v in re.findall(r'<a:(?:defRPr|rPr)[^>]*\bsz="(\d+)"', xml)]


@pytest.mark.parametrize(("year", "lang"), [(2025, "zh"), (2025, "en"), (2021, "zh")])
def test_pptx_chart_text_is_at_least_18_pt(decks: dict, year: int, lang: str) -> None:
    """Test that every label, tick and legend in the deck's charts is at least 18 pt."""
    sizes = chart_sizes(build_pptx(decks[(year, lang)]))
    assert sizes and min(sizes) >= 1800, min(sizes)


def run_sizes(page, name: str) -> list[float]:  # noqa: ANN001
    """The font sizes (pt) of the runs in a page's shapes of a name."""
    return [
        r.font.size.pt
        for sh in page.shapes
        if sh.name == name and sh.has_text_frame
        for p in sh.text_frame.paragraphs
        for r in p.runs
        if r.font.size
    ]


@pytest.mark.parametrize(("year", "lang"), [(2025, "zh"), (2025, "en"), (2021, "zh")])
def test_pptx_footnotes_are_at_least_12_pt(decks: dict, year: int, lang: str) -> None:
    """Test that every slide's footnote (sources, 数据截至) is at least 12 pt."""
    deck = Presentation(BytesIO(build_pptx(decks[(year, lang)])))
    assert Emu(deck.slide_width).inches == pytest.approx(13.333, abs=0.01)
    for page in deck.slides:
        sizes = run_sizes(page, "Footnote")
        assert sizes and min(sizes) >= 12, sizes


def digits(text: str) -> str:
    """The digits of a text (3,396家 → 3396)."""
    return re.sub(r"\D", "", text)


@pytest.mark.parametrize(
    ("year", "lang", "aspect"),
    [(y, lang, a) for y in (2025, 2021) for lang in ("zh", "en") for a in ("16:9", "4:3")],
)
def test_pptx_headline_figures_are_at_least_40_pt(
    decks: dict, year: int, lang: str, aspect: str
) -> None:
    """Test that every headline number (the run holding all its digits) is at least 40 pt."""
    slides = decks[(year, lang)]
    deck = Presentation(BytesIO(build_pptx(slides, aspect)))
    at = [s.kind for s in slides].index("headline")
    cards = slides[at].cards
    numbers = [
        sh.text_frame.paragraphs[0].runs[0] for sh in deck.slides[at].shapes if sh.name == "Value"
    ]
    assert [digits(r.text) for r in numbers] == [digits(c.shown) for c in cards]
    sizes = [r.font.size.pt for r in numbers]
    assert min(sizes) >= 40, sizes


def card(trend: str) -> SlideCard:
    """A headline card whose 同比 goes one way."""
    return SlideCard("x", "新增建会单位", 3396.0, "3,396家", "同比 +13.2%", True, "", "s", trend)


@pytest.mark.parametrize(
    ("lang", "setting", "trend", "tone"),
    [
        ("zh", None, "up", "is-red"),
        ("zh", None, "down", "is-green"),
        ("en", None, "up", "is-green"),
        ("zh", "green", "up", "is-green"),
    ],
)
def test_change_colour_follows_the_reading_of_the_audience(
    monkeypatch: pytest.MonkeyPatch, lang: str, setting: str | None, trend: str, tone: str
) -> None:
    """Test that 同比 up is red in Chinese (红涨绿跌), green in English, and the setting wins."""
    monkeypatch.setattr(present, "lang", lambda: lang)
    if setting:
        monkeypatch.setenv("KPI_UP_COLOR", setting)
    else:
        monkeypatch.delenv("KPI_UP_COLOR", raising=False)
    assert f"kpi-card__change {tone}" in present._cards_html([card(trend)])


def test_headline_legend_says_red_is_up(seeded_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Test that once a 同比 shows, the headline slide's legend says red is up, green down."""
    monkeypatch.delenv("KPI_UP_COLOR", raising=False)
    add_figure(seeded_url, "new_union_units", 2024, 3000)
    slides = build_slides(live_payload("daxing", 2025, seeded_url), "zh")
    head = next(s for s in slides if s.kind == "headline")
    assert "同比：红色为增长，绿色为下降（红涨绿跌）" in head.paragraphs
