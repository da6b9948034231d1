"""The meeting pack (会议材料): the presenter slides as a PPTX deck, an A4 PDF report and PNGs of
single charts, plus `python -m lib.cli export pack` (no streamlit).

* PPTX (python-pptx): 16:9, one slide per presenter slide, charts as native PowerPoint charts
  (clustered bars from CategoryChartData, the station map as an x/y scatter) that staff can edit,
  a footnote on every slide with the sources and the 数据截至 stamp.
* PDF (fpdf2): A4 portrait, Noto Sans CJK embedded (subset) from the Debian font package, one page
  per slide with tables and bar charts drawn with fpdf2 primitives (vector, offline, fast), the
  footnote and page numbers on every page.
* PNG: a slide chart through plotly + kaleido on Debian's chromium (no MathJax, no CDN).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path
from typing import Any

from lib.i18n import t
from lib.slides import Chart, Slide, build_slides, chart_figure, default_year, live_payload

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONT_REGULAR = FONT_DIR / "NotoSansCJK-Regular.ttc"
FONT_BOLD = FONT_DIR / "NotoSansCJK-Bold.ttc"
FONT_INDEX_SC = 2  # face of Simplified Chinese in the Noto Sans CJK collections
PPTX_FONT = "Microsoft YaHei"
RED = (200, 16, 46)
GREY = (102, 112, 133)
INK = (31, 35, 41)
NUMBER_FORMAT = "#,##0.##"

# ---------------------------------------------------------------------------------------------
# PPTX
# ---------------------------------------------------------------------------------------------


def rgb(color: str) -> tuple[int, int, int]:
    """'#rrggbb' as an RGB triple."""
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def _style_run(run: Any, size: float, bold: bool = False, color: tuple = INK) -> None:
    """Font of a run: size, weight, colour, and the same typeface for Latin and East Asian text."""
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = RGBColor(*color)
    run.font.name = PPTX_FONT
    rpr = run._r.get_or_add_rPr()
    if rpr.find(qn("a:ea")) is None:
        ea = rpr.makeelement(qn("a:ea"), {"typeface": PPTX_FONT})
        rpr.append(ea)


def _text(
    slide: Any,
    box: tuple[float, float, float, float],
    lines: list[str],
    size: float,
    bold: bool = False,
    color: tuple = INK,
    align: str = "left",
    name: str = "",
) -> Any:
    """A text box at (left, top, width, height) inches with one paragraph per line."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches

    shape = slide.shapes.add_textbox(*(Inches(v) for v in box))
    if name:
        shape.name = name
    frame = shape.text_frame
    frame.word_wrap = True
    for n, line in enumerate(lines):
        para = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        para.alignment = {"center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}.get(
            align, PP_ALIGN.LEFT
        )
        _style_run(para.add_run(), size, bold, color)
        para.runs[0].text = line
    return shape


def _table(slide: Any, table: Any, box: tuple[float, float, float, float], size: float) -> Any:
    """A native table from a slide table."""
    from pptx.util import Inches

    n_rows, n_cols = len(table.rows) + 1, len(table.header)
    shape = slide.shapes.add_table(n_rows, n_cols, *(Inches(v) for v in box))
    shape.name = "Table"
    grid = shape.table
    first = box[2] * (0.42 if n_cols > 2 else 0.6)
    grid.columns[0].width = Inches(first)
    for c in range(1, n_cols):
        grid.columns[c].width = Inches((box[2] - first) / (n_cols - 1))
    for r, row in enumerate([table.header, *table.rows]):
        for c, value in enumerate(row):
            cell = grid.cell(r, c)
            cell.text = ""
            run = cell.text_frame.paragraphs[0].add_run()
            _style_run(run, size, bold=r == 0, color=(255, 255, 255) if r == 0 else INK)
            run.text = value
    return shape


def _bar_chart(slide: Any, chart: Chart, box: tuple[float, float, float, float]) -> Any:
    """A native clustered bar chart: one category per indicator, one series per period."""
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Inches, Pt

    data = CategoryChartData(number_format=NUMBER_FORMAT)
    data.categories = list(chart.categories)
    for s in chart.series:
        data.add_series(s.name, list(s.values), number_format=NUMBER_FORMAT)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, *(Inches(v) for v in box), data)
    frame.name = "Chart"
    graph = frame.chart
    graph.has_legend = True
    graph.legend.position = XL_LEGEND_POSITION.BOTTOM
    graph.legend.include_in_layout = False
    graph.legend.font.size = Pt(12)
    graph.category_axis.reverse_order = True
    graph.category_axis.tick_labels.font.size = Pt(12)
    graph.value_axis.visible = False
    graph.value_axis.has_major_gridlines = False
    plot = graph.plots[0]
    plot.has_data_labels = True
    plot.data_labels.number_format = NUMBER_FORMAT
    plot.data_labels.number_format_is_linked = False
    plot.data_labels.font.size = Pt(11)
    for series, spec in zip(plot.series, chart.series, strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor(*rgb(spec.color))
    return frame


def _scatter_chart(slide: Any, chart: Chart, box: tuple[float, float, float, float]) -> Any:
    """The station map as a native x/y scatter chart (longitude, latitude), a series per type."""
    from pptx.chart.data import XyChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
    from pptx.util import Inches, Pt

    data = XyChartData()
    for name, points in chart.points:
        series = data.add_series(name)
        for lon, lat in points:
            series.add_data_point(lon, lat)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.XY_SCATTER, *(Inches(v) for v in box), data)
    frame.name = "Chart"
    graph = frame.chart
    graph.has_legend = True
    graph.legend.position = XL_LEGEND_POSITION.RIGHT
    graph.legend.include_in_layout = False
    graph.legend.font.size = Pt(12)
    for axis in (graph.value_axis, graph.category_axis):
        axis.has_major_gridlines = False
        axis.tick_labels.font.size = Pt(9)
    for series, color in zip(graph.plots[0].series, chart.colors, strict=False):
        series.marker.style = XL_MARKER_STYLE.CIRCLE
        series.marker.size = 12
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = RGBColor.from_string(color.lstrip("#").upper())
        series.format.line.fill.background()
    return frame


def _pptx_slide(prs: Any, slide: Slide, number: int, total: int) -> None:
    """Add one presenter slide to a deck: title, body by kind, footnote with sources and stamp."""
    from pptx.util import Inches

    page = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only": a real title placeholder
    title = page.shapes.title
    title.left, title.top, title.width, title.height = (
        Inches(0.5),
        Inches(0.25),
        Inches(12.3),
        Inches(0.9),
    )
    title.text = slide.title
    for para in title.text_frame.paragraphs:
        para.alignment = 1  # left
        for run in para.runs:
            _style_run(run, 32 if slide.kind != "title" else 40, True, RED)
    if slide.kind == "title":
        title.top, title.height = Inches(2.2), Inches(1.2)
        _text(page, (0.5, 3.5, 12.3, 0.9), [slide.subtitle], 32, True)
        _text(page, (0.5, 4.5, 12.3, 0.6), slide.paragraphs, 20, color=GREY)
    elif slide.kind == "summary":
        _text(page, (0.6, 1.2, 12.1, 5.5), slide.paragraphs, 15, name="Summary")
    elif slide.kind == "headline":
        _headline_cards(page, slide)
    else:
        if slide.subtitle:
            _text(page, (0.5, 1.05, 6.0, 0.4), [slide.subtitle], 14, color=GREY)
        has_chart = slide.chart is not None and (slide.chart.series or slide.chart.points)
        if has_chart and slide.chart.kind == "scatter":  # type: ignore[union-attr]
            _scatter_chart(page, slide.chart, (0.4, 1.45, 7.6, 5.2))  # type: ignore[arg-type]
        elif has_chart:
            _bar_chart(page, slide.chart, (0.4, 1.45, 7.0, 5.3))  # type: ignore[arg-type]
        left = 7.6 if has_chart else 0.5
        width = 13.333 - left - 0.4
        top = 1.5
        if slide.paragraphs:
            _text(page, (left, top, width, 0.8), slide.paragraphs, 16, color=GREY)
            top += 0.9
        if slide.table is not None:
            size = 12 if len(slide.table.rows) <= 10 else 10
            _table(page, slide.table, (left, top, width, 0.3 * (len(slide.table.rows) + 1)), size)
    _text(page, (0.4, 6.85, 11.6, 0.6), [slide.footnote], 9, color=GREY, name="Footnote")
    _text(page, (12.0, 6.95, 0.95, 0.35), [f"{number} / {total}"], 10, color=GREY, align="right")


def _headline_cards(page: Any, slide: Slide) -> None:
    """Headline figures as big numbers (≥ 48 pt) with their label and 同比."""
    cards = slide.cards
    if not cards:
        _text(page, (0.5, 2.5, 12.3, 1.0), slide.paragraphs, 24, color=GREY)
        return
    per_row = 3 if len(cards) > 4 else max(1, len(cards))
    width = 12.3 / per_row
    for n, card in enumerate(cards):
        col, row = n % per_row, n // per_row
        left, top = 0.5 + col * width, 1.5 + row * 2.6
        _text(page, (left, top, width - 0.2, 0.5), [card.label], 18, color=GREY)
        _text(page, (left, top + 0.45, width - 0.2, 1.1), [card.shown], 48, True, RED)
        _text(page, (left, top + 1.55, width - 0.2, 0.5), [card.change], 14, color=GREY)


def build_pptx(slides: list[Slide]) -> bytes:
    """The deck of a slide sequence as PPTX bytes (16:9)."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    for n, slide in enumerate(slides, start=1):
        _pptx_slide(prs, slide, n, len(slides))
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------


def _pdf_class() -> type:
    """An FPDF subclass whose footer prints the current slide's footnote and the page number."""
    from fpdf import FPDF

    class PackPDF(FPDF):
        """A4 report with a per-page footnote and 'page n of N'."""

        footnote: str = ""
        lang: str = "zh"

        def footer(self) -> None:
            """Sources and stamp, then the page number, at the foot of every page."""
            self.set_y(-20)
            self.set_font("cjk", size=7)
            self.set_text_color(*GREY)
            self.multi_cell(0, 3.2, self.footnote, wrapmode="CHAR", new_x="LMARGIN", new_y="NEXT")
            self.set_y(-8)
            self.set_font("cjk", size=8)
            page = t("present.pdf_page", self.lang, n=self.page_no(), total="{nb}")
            self.cell(0, 4, page, align="C")

    return PackPDF


def _pdf_bars(pdf: Any, chart: Chart) -> None:
    """Horizontal clustered bars drawn with fpdf2 primitives (labels carry the shown values)."""
    values = [v for s in chart.series for v in s.values if v is not None]
    if not values:
        return
    top_value = max(values) or 1.0
    x0, name_w, bar_w, bar_h = pdf.l_margin, 62.0, 88.0, 3.6
    pdf.set_font("cjk", size=8)
    y = pdf.get_y() + 1
    for n, s in enumerate(chart.series):  # legend
        pdf.set_fill_color(*rgb(s.color))
        pdf.rect(x0 + n * 60, y, 3, 3, style="F")
        pdf.set_xy(x0 + n * 60 + 4, y - 0.5)
        pdf.cell(55, 4, s.name)
    y += 6
    for c, name in enumerate(chart.categories):
        n_series = len(chart.series)
        row_h = n_series * (bar_h + 0.6) + 1.6
        pdf.set_text_color(*INK)
        pdf.set_xy(x0, y)
        pdf.multi_cell(name_w - 2, 3.4, name, wrapmode="CHAR", max_line_height=3.4)
        for n, s in enumerate(chart.series):
            value = s.values[c]
            yy = y + n * (bar_h + 0.6)
            if value is None:
                continue
            width = max(0.4, bar_w * value / top_value)
            pdf.set_fill_color(*rgb(s.color))
            pdf.rect(x0 + name_w, yy, width, bar_h, style="F")
            pdf.set_xy(x0 + name_w + width + 1, yy - 0.2)
            pdf.set_text_color(*GREY)
            pdf.cell(30, bar_h, s.labels[c])
        y += max(row_h, 7.2)
    pdf.set_text_color(*INK)
    pdf.set_y(y + 2)


def _pdf_scatter(pdf: Any, chart: Chart) -> None:
    """The station positions as dots in a lon/lat box, with a legend of types."""
    pts = [p for _, ps in chart.points for p in ps]
    lons, lats = [p[0] for p in pts], [p[1] for p in pts]
    lo_x, hi_x = min(lons) - 0.02, max(lons) + 0.02
    lo_y, hi_y = min(lats) - 0.02, max(lats) + 0.02
    x0, y0, w, h = pdf.l_margin, pdf.get_y() + 2, 120.0, 100.0
    pdf.set_draw_color(*GREY)
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


def _pdf_cards(pdf: Any, slide: Slide) -> None:
    """Headline figures: two per row, big numbers with label and 同比."""
    x0, w, h = pdf.l_margin, pdf.epw / 2, 34.0
    y0 = pdf.get_y() + 2
    for n, card in enumerate(slide.cards):
        x, y = x0 + (n % 2) * w, y0 + (n // 2) * (h + 4)
        pdf.set_draw_color(220, 223, 228)
        pdf.rect(x + 1, y, w - 2, h)
        pdf.set_xy(x + 4, y + 3)
        pdf.set_font("cjk", size=10)
        pdf.set_text_color(*GREY)
        pdf.cell(w - 8, 5, card.label)
        pdf.set_xy(x + 4, y + 10)
        pdf.set_font("cjk", "B", size=24)
        pdf.set_text_color(*RED)
        pdf.cell(w - 8, 12, card.shown)
        pdf.set_xy(x + 4, y + 25)
        pdf.set_font("cjk", size=8.5)
        pdf.set_text_color(*GREY)
        pdf.cell(w - 8, 5, card.change)
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
        pdf.set_text_color(*GREY)
        for para in slide.paragraphs + [slide.stamp]:
            pdf.multi_cell(0, 8, para, align="C", new_x="LMARGIN", new_y="NEXT")
        return
    pdf.set_font("cjk", "B", size=18)
    pdf.set_text_color(*RED)
    pdf.cell(0, 10, slide.title, new_x="LMARGIN", new_y="NEXT")
    if slide.subtitle:
        pdf.set_font("cjk", size=10)
        pdf.set_text_color(*GREY)
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
        pdf.set_text_color(*GREY)
        for para in slide.paragraphs:
            pdf.multi_cell(0, 5.5, para, wrapmode="CHAR", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(*INK)
        pdf.ln(2)
    if slide.table is not None:
        _pdf_table(pdf, slide.table)


# ---------------------------------------------------------------------------------------------
# PNG
# ---------------------------------------------------------------------------------------------


def chart_png(chart: Chart, theme: str = "light", width: int = 1600, height: int = 900) -> bytes:
    """A slide chart as PNG bytes, rendered offline by kaleido on Debian's chromium."""
    import plotly.io as pio

    if Path("/usr/bin/chromium").exists():
        os.environ.setdefault("BROWSER_PATH", "/usr/bin/chromium")
    pio.defaults.mathjax = None
    fig = chart_figure(chart, theme, font_size=22)
    fig.update_layout(title={"text": chart.title, "x": 0.01}, margin={"t": 110})
    return fig.to_image(format="png", width=width, height=height)


# ---------------------------------------------------------------------------------------------
# One entry for the page and the CLI
# ---------------------------------------------------------------------------------------------

FORMATS = ("pptx", "pdf")


def render(slides: list[Slide], fmt: str, lang: str = "zh") -> bytes:
    """The pack of a slide sequence in a format (pptx or pdf)."""
    if fmt == "pptx":
        return build_pptx(slides)
    if fmt == "pdf":
        return build_pdf(slides, lang)
    raise ValueError(fmt)


def pack_bytes(payload: dict[str, Any], fmt: str, lang: str = "zh") -> bytes:
    """The pack of a payload (live or snapshot) in a format and language."""
    return render(build_slides(payload, lang), fmt, lang)


def file_name(payload: dict[str, Any], fmt: str) -> str:
    """A download file name: <org>_<year>_meeting_pack[_snapshot<id>].<fmt>."""
    snap = payload.get("snapshot")
    tail = f"_snapshot{snap['id']}" if snap else ""
    return f"{payload['org']['code']}_{payload['year']}_meeting_pack{tail}.{fmt}"


def cli_pack(args: argparse.Namespace) -> int:
    """export pack --org CODE [--year YEAR] --format pptx|pdf OUT [--lang zh|en]."""
    fmt = args.format if args.format in FORMATS else None
    if fmt is None or not args.org or not args.out:
        print("export pack needs --org CODE, --format pptx|pdf and an output file", file=sys.stderr)
        return 2
    year = args.year or default_year(args.org)
    if year is None:
        print(f"export pack refused: no figures for org {args.org!r}", file=sys.stderr)
        return 1
    try:
        payload = live_payload(args.org, year)
    except KeyError:
        print(f"export pack refused: unknown org {args.org!r}", file=sys.stderr)
        return 1
    lang = getattr(args, "lang", "zh") or "zh"
    slides = build_slides(payload, lang)
    Path(args.out).write_bytes(render(slides, fmt, lang))
    print(f"wrote {args.out}: {len(slides)} slides ({fmt}, {args.org} {year}, {lang})")
    return 0
