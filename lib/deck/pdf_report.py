"""The A4 PDF report (fpdf2): Noto Sans CJK embedded (subset) from the Debian font package, one
page per slide with tables and bar charts drawn with fpdf2 primitives (vector, offline, fast; one
panel per unit), the footnote and page numbers on every page."""

from __future__ import annotations

from typing import Any

from lib.core.i18n import t
from lib.deck.measure import (
    FONT_BOLD,
    FONT_INDEX_SC,
    FONT_REGULAR,
    INK,
    MUTED_GREY,
    RED,
    rgb,
    split_value,
)
from lib.deck.slides import Chart, Slide


def _pdf_class() -> type:
    """An FPDF subclass whose footer prints the current slide's footnote and the page number."""
    from fpdf import FPDF
    from fpdf.enums import WrapMode

    class PackPDF(FPDF):
        """A4 report with a per-page footnote and 'page n of N'."""

        footnote: str = ""
        lang: str = "zh"

        def footer(self) -> None:
            """Sources and stamp, then the page number, at the foot of every page."""
            self.set_y(-20)
            self.set_font("cjk", size=7)
            self.set_text_color(*MUTED_GREY)
            self.multi_cell(
                0, 3.2, self.footnote, wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT"
            )
            self.set_y(-8)
            self.set_font("cjk", size=8)
            page = t("present.pdf_page", self.lang, n=self.page_no(), total="{nb}")
            self.cell(0, 4, page, align="C")

    return PackPDF


def _pdf_bars(pdf: Any, chart: Chart) -> None:
    """Horizontal clustered bars drawn with fpdf2 primitives: a legend of periods, then one panel
    per unit, headed by it and on its own scale (labels carry the shown values)."""
    panels = chart.bar_panels()
    series = tuple({s.name: s for p in panels for s in p.series}.values())
    if not any(v is not None for s in series for v in s.values):
        return
    x0, name_w, bar_w, bar_h = pdf.l_margin, 62.0, 88.0, 3.6
    pdf.set_font("cjk", size=8)
    y = pdf.get_y() + 1
    for n, s in enumerate(series):  # legend
        pdf.set_fill_color(*rgb(s.color))
        pdf.rect(x0 + n * 60, y, 3, 3, style="F")
        pdf.set_xy(x0 + n * 60 + 4, y - 0.5)
        pdf.cell(55, 4, s.name)
    y += 6
    for panel in panels:
        top_value = max(v for s in panel.series for v in s.values if v is not None) or 1.0
        if panel.unit:
            pdf.set_font("cjk", size=7.5)
            pdf.set_text_color(*MUTED_GREY)
            pdf.set_xy(x0, y)
            pdf.cell(name_w, 4, panel.unit)
            pdf.set_draw_color(220, 223, 228)
            pdf.line(x0 + name_w, y + 2, x0 + name_w + bar_w + 30, y + 2)
            y += 5
            pdf.set_font("cjk", size=8)
        for c, name in enumerate(panel.categories):
            row_h = len(panel.series) * (bar_h + 0.6) + 1.6
            pdf.set_text_color(*INK)
            pdf.set_xy(x0, y)
            pdf.multi_cell(name_w - 2, 3.4, name, wrapmode="CHAR", max_line_height=3.4)
            for n, s in enumerate(panel.series):
                value = s.values[c]
                yy = y + n * (bar_h + 0.6)
                if value is None:
                    continue
                width = max(0.4, bar_w * value / top_value)
                pdf.set_fill_color(*rgb(s.color))
                pdf.rect(x0 + name_w, yy, width, bar_h, style="F")
                pdf.set_xy(x0 + name_w + width + 1, yy - 0.2)
                pdf.set_text_color(*MUTED_GREY)
                pdf.cell(30, bar_h, s.labels[c])
            y += max(row_h, 7.2)
        y += 2
    pdf.set_text_color(*INK)
    pdf.set_y(y + 1)


def _pdf_scatter(pdf: Any, chart: Chart) -> None:
    """The station positions as dots in a lon/lat box, with a legend of types."""
    pts = [p for _, ps in chart.points for p in ps]
    lons, lats = [p[0] for p in pts], [p[1] for p in pts]
    lo_x, hi_x = min(lons) - 0.02, max(lons) + 0.02
    lo_y, hi_y = min(lats) - 0.02, max(lats) + 0.02
    x0, y0, w, h = pdf.l_margin, pdf.get_y() + 2, 120.0, 100.0
    pdf.set_draw_color(*MUTED_GREY)
    pdf.rect(x0, y0, w, h)
    for (_name, ps), color in zip(chart.points, chart.colors, strict=False):
        pdf.set_fill_color(*rgb(color))
        for lon, lat in ps:
            x = x0 + (lon - lo_x) / (hi_x - lo_x) * w
            y = y0 + h - (lat - lo_y) / (hi_y - lo_y) * h
            pdf.ellipse(x - 1.6, y - 1.6, 3.2, 3.2, style="F")
    pdf.set_font("cjk", size=8)
    ly = y0
    for (name, ps), color in zip(chart.points, chart.colors, strict=False):
        pdf.set_fill_color(*rgb(color))
        pdf.ellipse(x0 + w + 4, ly + 1, 3, 3, style="F")
        pdf.set_xy(x0 + w + 8, ly)
        pdf.cell(50, 5, f"{name}（{len(ps)}）")
        ly += 6
    pdf.set_y(y0 + h + 4)


def _pdf_table(pdf: Any, table: Any) -> None:
    """A table with a bold heading row; CJK text wraps by character."""
    from fpdf.fonts import FontFace

    n = len(table.header)
    width = pdf.epw
    first = width * (0.4 if n > 2 else 0.6)
    widths = (first, *([(width - first) / (n - 1)] * (n - 1)))
    pdf.set_font("cjk", size=8.5)
    heading = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=RED)
    pdf.set_fill_color(255, 255, 255)
    with pdf.table(
        cell_fill_color=(246, 247, 249),
        cell_fill_mode="ROWS",
        col_widths=widths,
        wrapmode="CHAR",
        headings_style=heading,
        line_height=4.6,
        text_align="LEFT",
        padding=0.8,
    ) as grid:
        for row in [table.header, *table.rows]:
            cells = grid.row()
            for value in row:
                cells.cell(value)
    pdf.ln(3)


def _fit_cell(pdf: Any, text: str, width: float, size: float, style: str = "") -> None:
    """One line of text in a cell of a width (mm), its font shrunk (down to 6 pt) to fit."""
    pdf.set_font("cjk", style, size=size)
    while size > 6 and pdf.get_string_width(text) > width:
        size -= 0.5
        pdf.set_font("cjk", style, size=size)
    pdf.cell(width, size * 0.45, text)


def _pdf_cards(pdf: Any, slide: Slide) -> None:
    """Headline figures: two per row, each number 40 pt (shrunk only if it could not fit) with its
    unit below it, label and 同比."""
    x0, w, h = pdf.l_margin, pdf.epw / 2, 46.0
    y0 = pdf.get_y() + 2
    for n, card in enumerate(slide.cards):
        x, y = x0 + (n % 2) * w, y0 + (n // 2) * (h + 4)
        number, unit = split_value(card.shown)
        pdf.set_draw_color(220, 223, 228)
        pdf.rect(x + 1, y, w - 2, h)
        pdf.set_xy(x + 4, y + 3)
        pdf.set_text_color(*MUTED_GREY)
        _fit_cell(pdf, card.label, w - 8, 10)
        pdf.set_xy(x + 4, y + 10)
        pdf.set_text_color(*RED)
        _fit_cell(pdf, number, w - 8, 40, "B")
        pdf.set_xy(x + 4, y + 29)
        _fit_cell(pdf, unit.strip(), w - 8, 16, "B")
        pdf.set_xy(x + 4, y + 38)
        pdf.set_text_color(*MUTED_GREY)
        _fit_cell(pdf, card.change, w - 8, 8.5)
    pdf.set_text_color(*INK)
    pdf.set_y(y0 + ((len(slide.cards) + 1) // 2) * (h + 4))


def build_pdf(slides: list[Slide], lang: str = "zh") -> bytes:
    """The A4 report of a slide sequence: one page per slide, fonts embedded, page numbers."""
    pdf = _pdf_class()(format="A4", unit="mm")
    pdf.lang = lang
    pdf.add_font("cjk", "", str(FONT_REGULAR), collection_font_number=FONT_INDEX_SC)
    pdf.add_font("cjk", "B", str(FONT_BOLD), collection_font_number=FONT_INDEX_SC)
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=24)
    if slides:
        pdf.set_title(f"{slides[0].title} {slides[0].subtitle}")
    pdf.set_creator("工会指标看板 · Union KPI Board")
    for slide in slides:
        pdf.add_page()
        pdf.footnote = slide.footnote  # the footer of a page is drawn when the next one starts
        _pdf_page(pdf, slide)
    return bytes(pdf.output())


def _pdf_page(pdf: Any, slide: Slide) -> None:
    """The body of one report page."""
    pdf.set_text_color(*INK)
    if slide.kind == "title":
        pdf.set_y(90)
        pdf.set_font("cjk", "B", size=28)
        pdf.set_text_color(*RED)
        pdf.multi_cell(0, 14, slide.title, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", "B", size=20)
        pdf.set_text_color(*INK)
        pdf.multi_cell(0, 12, slide.subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=12)
        pdf.set_text_color(*MUTED_GREY)
        for para in slide.paragraphs:  # the footer carries the 数据截至 stamp
            pdf.multi_cell(0, 8, para, align="C", new_x="LMARGIN", new_y="NEXT")
        return
    pdf.set_font("cjk", "B", size=18)
    pdf.set_text_color(*RED)
    pdf.cell(0, 10, slide.title, new_x="LMARGIN", new_y="NEXT")
    if slide.subtitle:
        pdf.set_font("cjk", size=10)
        pdf.set_text_color(*MUTED_GREY)
        pdf.cell(0, 6, slide.subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.ln(2)
    if slide.kind == "summary":
        pdf.set_font("cjk", size=11)
        for para in slide.paragraphs:
            pdf.multi_cell(0, 6.4, para, wrapmode="CHAR", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        return
    if slide.kind == "headline":
        _pdf_cards(pdf, slide)
    chart = slide.chart
    if chart is not None and chart.kind == "bar" and chart.series:
        _pdf_bars(pdf, chart)
    elif chart is not None and chart.kind == "scatter" and chart.points:
        _pdf_scatter(pdf, chart)
    if (
        slide.paragraphs
        and slide.kind != "headline"
        or (slide.kind == "headline" and not slide.cards)
    ):
        pdf.set_font("cjk", size=10)
        pdf.set_text_color(*MUTED_GREY)
        for para in slide.paragraphs:
            pdf.multi_cell(0, 5.5, para, wrapmode="CHAR", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(*INK)
        pdf.ln(2)
    if slide.table is not None:
        _pdf_table(pdf, slide.table)
