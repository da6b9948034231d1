"""The PPTX deck: one slide per presenter slide (16:9 or 4:3), title, body by kind (cards,
charts, tables, text), a footnote with the sources and the 数据截至 stamp, and speaker notes."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from lib.deck.measure import MUTED_GREY, RED, fit_size, text_height
from lib.deck.pptx_base import (
    FOOT_PT,
    add_table,
    name_fonts_in,
    style_run,
    table_layout,
    text_box,
    theme_fonts,
    words_fit,
)
from lib.deck.pptx_cards import draw_headline_cards
from lib.deck.pptx_charts import bar_chart, scatter_chart
from lib.deck.slides import Slide

SLIDE_W, SLIDE_H = 13.333, 7.5  # inches, 16:9 (the default)
FOOT_TOP = 6.45  # where the footnote starts (12 pt, up to 3 lines); slide bodies end above it


ASPECTS = {"16:9": 13.333, "4:3": 10.0}  # slide widths (inches) at the one height SLIDE_H
TABLE_READABLE = 12  # pt: a chart narrows so the table beside it keeps its words whole at this


@dataclass(frozen=True)
class Frame:
    """The slide size a deck is laid out for: its width (inches) and what follows from it."""

    width: float = SLIDE_W

    @property
    def body(self) -> float:
        """The width of the slide's content between its side margins."""
        return self.width - 1.033

    @property
    def chart(self) -> float:
        """The width of a chart beside a table or text."""
        return round(self.body * 0.57, 2)


def _title(page: Any, slide: Slide, frame: Frame) -> None:
    """The slide title (in the layout's title placeholder), 32 pt or smaller to fit one box."""
    from pptx.util import Inches

    title = page.shapes.title
    cover = slide.kind == "title"
    top, height = (2.2, 1.2) if cover else (0.25, 0.9)
    title.left, title.top, title.width, title.height = (
        Inches(v) for v in (0.5, top, frame.body, height)
    )
    title.text = slide.title
    size = fit_size([slide.title], (frame.body, height), 40 if cover else 32, 20, True)
    for para in title.text_frame.paragraphs:
        para.alignment = 1  # left
        for run in para.runs:
            style_run(run, size, True, RED)


def _chart_width(slide: Slide, frame: Frame, bottom: float) -> float:
    """The chart's width beside a table: the frame's, narrowed (down to a third of the body) until
    the table fits beside it at 9 pt or more and its words and years unbroken at TABLE_READABLE pt
    or more (the 历年对比 table's five year columns)."""
    width = frame.chart
    while slide.table is not None and width > frame.body / 3:
        room = bottom - 1.5 - (1.3 if slide.paragraphs else 0)
        beside = frame.width - 1.0 - width
        _, _, heights = table_layout(slide.table, beside, room, 14)
        if sum(heights) <= room and words_fit(slide.table, beside, TABLE_READABLE):
            break
        width -= 0.4
    return width


def _chart_body(page: Any, slide: Slide, frame: Frame, bottom: float) -> None:
    """A category, targets, map or plan slide: chart on the left, text and table beside it."""
    chart = slide.chart
    if slide.subtitle:
        text_box(page, (0.5, 1.05, frame.body / 2, 0.4), [slide.subtitle], 14, color=MUTED_GREY)
    has_chart = chart is not None and bool(chart.series or chart.points)
    chart_w = _chart_width(slide, frame, bottom)
    if chart is not None and has_chart:
        box = (0.4, 1.45, chart_w, bottom - 1.45)
        (scatter_chart if chart.kind == "scatter" else bar_chart)(page, chart, box)
    left = 0.6 + chart_w if has_chart else 0.5
    width = frame.width - left - 0.4
    top = 1.5
    if slide.paragraphs and not has_chart and slide.table is None:
        lines, body = slide.paragraphs, (0.5, 3.0, frame.body, 1.2)
        text_box(page, body, lines, 28, color=MUTED_GREY, align="center", smallest=14)
    elif slide.paragraphs:
        size = fit_size(slide.paragraphs, (width, 1.2), 16, 11)
        height = text_height(slide.paragraphs, width, size)
        text_box(page, (left, top, width, height), slide.paragraphs, size, color=MUTED_GREY)
        top += height + 0.1
    if slide.table is not None:  # a table alone on its slide reads from further back
        add_table(page, slide.table, (left, top, width, bottom - top), 14 if has_chart else 18)


def _foot(page: Any, slide: Slide, frame: Frame, number: int, total: int) -> None:
    """The footnote (sources and 数据截至) and the page number at the foot of a slide."""
    foot, width = [slide.footnote], frame.width - 1.833
    need = text_height(foot, width, FOOT_PT)
    # the cover cites every source: its footnote may rise into the cover's empty lower part
    foot_top = FOOT_TOP if slide.kind != "title" else min(FOOT_TOP, SLIDE_H - 0.05 - need)
    box = (0.4, foot_top, width, SLIDE_H - foot_top - 0.05)
    text_box(page, box, foot, FOOT_PT, color=MUTED_GREY, name="Footnote", smallest=FOOT_PT)
    page_box = (frame.width - 1.333, 6.95, 0.95, 0.35)
    text_box(
        page,
        page_box,
        [f"{number} / {total}"],
        FOOT_PT,
        color=MUTED_GREY,
        align="right",
        name="Page",
    )


def _notes(page: Any, slide: Slide) -> None:
    """The slide's speaker notes (figures with sources and qualifiers), when it has any."""
    notes = getattr(slide, "notes", "") or ""
    if notes:
        page.notes_slide.notes_text_frame.text = notes


def _pptx_slide(prs: Any, slide: Slide, frame: Frame, number: int, total: int) -> None:
    """Add one presenter slide to a deck: title, body by kind, footnote, speaker notes."""
    page = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only": a real title placeholder
    _title(page, slide, frame)
    bottom = FOOT_TOP - 0.08
    if slide.kind == "title":
        text_box(page, (0.5, 3.5, frame.body, 0.9), [slide.subtitle], 32, True, smallest=20)
        box = (0.5, 4.5, frame.body, 1.2)
        text_box(page, box, slide.paragraphs, 20, color=MUTED_GREY, smallest=12)
    elif slide.kind == "summary":
        box = (0.6, 1.2, frame.body - 0.2, bottom - 1.2)
        text_box(page, box, slide.paragraphs, 20, name="Summary", smallest=10, spacing=0.45)
    elif slide.kind == "headline":
        draw_headline_cards(page, slide, frame.body, bottom)
    else:
        _chart_body(page, slide, frame, bottom)
    _foot(page, slide, frame, number, total)
    name_fonts_in(page.shapes._spTree)
    _notes(page, slide)


def build_pptx(slides: list[Slide], aspect: str = "16:9") -> bytes:
    """The deck of a slide sequence as PPTX bytes, 16:9 or 4:3."""
    from pptx import Presentation
    from pptx.util import Inches

    frame = Frame(ASPECTS[aspect])
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(frame.width), Inches(SLIDE_H)
    theme_fonts(prs)
    for n, slide in enumerate(slides, start=1):
        _pptx_slide(prs, slide, frame, n, len(slides))
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
