"""The meeting pack (会议材料): the presenter slides as a PPTX deck, an A4 PDF report and PNGs of
single charts, plus `python -m lib.cli export pack` (no streamlit).

* PPTX (python-pptx): 16:9, one slide per presenter slide, charts as native PowerPoint charts
  that staff can edit — clustered bars from CategoryChartData, one chart per unit of a category
  (headed 单位：家, each on its own scale, bars labelled as shown: 1.8万余人), the station map as
  an x/y scatter — and a footnote on every slide with the sources and the 数据截至 stamp. Every
  run, chart label and the theme name 微软雅黑 as the East Asian face and Microsoft YaHei as the
  Latin one (GB2312 charset, zh-CN), which stock Windows and WPS have and for which LibreOffice
  substitutes a Chinese face (tests/test_pack_office.py renders the deck with LibreOffice). Bar
  labels come from a number format where one can show the label (3,396家, 1.8万余人), so edited
  data relabels itself; others stay fixed text. Text is measured with Noto Sans CJK
  (:func:`text_width`, :func:`line_count`) so text boxes and tables are sized to stay inside the
  slide; LibreOffice was used to look at the renders (not needed to build or test).
* PDF (fpdf2): A4 portrait, Noto Sans CJK embedded (subset) from the Debian font package, one page
  per slide with tables and bar charts drawn with fpdf2 primitives (vector, offline, fast; one
  panel per unit), the footnote and page numbers on every page.
* PNG: a slide chart through plotly + kaleido on Debian's chromium (no MathJax, no CDN).
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import re
import sys
from pathlib import Path
from typing import Any

from lib.core.i18n import t
from lib.deck.payload import default_year, live_payload
from lib.deck.slides import Chart, Slide, build_slides, chart_figure

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONT_REGULAR = FONT_DIR / "NotoSansCJK-Regular.ttc"
FONT_BOLD = FONT_DIR / "NotoSansCJK-Bold.ttc"
FONT_INDEX_SC = 2  # face of Simplified Chinese in the Noto Sans CJK collections
# The faces every run names: 微软雅黑 (Microsoft YaHei, on every Windows since Vista and bundled by
# WPS) for East Asian text, its Latin name for Latin and complex-script text, the GB2312 charset
# and zh-CN as East Asian language so PowerPoint, WPS and LibreOffice pick a Chinese face where
# YaHei is missing (LibreOffice then asks fontconfig for a zh-CN sans: Noto Sans CJK SC on Debian).
PPTX_EA_FONT = "微软雅黑"
PPTX_FONT = "Microsoft YaHei"  # Latin and complex script
EA_CHARSET = "-122"  # GB2312
RED = (200, 16, 46)
GREY = (102, 112, 133)
INK = (31, 35, 41)
NUMBER_FORMAT = "#,##0.##"
STRIPES = ((255, 255, 255), (246, 247, 249))  # table rows
SLIDE_W, SLIDE_H = 13.333, 7.5  # inches, 16:9
LINE = 1.45  # line height of Noto Sans CJK in ems (ascent 1.16 + descent 0.29)
INSET_X, INSET_Y = 0.1, 0.05  # default text-box and table-cell insets, inches
FOOT_TOP = 6.45  # where the footnote starts (12 pt, up to 3 lines); slide bodies end above it
CHART_PT = 18  # chart labels, ticks and legends: readable from the back of a meeting room
FOOT_PT = 12  # the footnote (sources and 数据截至)

# ---------------------------------------------------------------------------------------------
# Text measurement (so text is sized to stay inside its box)
# ---------------------------------------------------------------------------------------------

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_TOKENS = re.compile(
    r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+|\s+"
)


@functools.lru_cache(maxsize=2)
def _measure_font(bold: bool) -> Any:
    """Noto Sans CJK SC at 100 px for measuring (None when the font package is missing)."""
    try:
        from PIL import ImageFont

        return ImageFont.truetype(str(FONT_BOLD if bold else FONT_REGULAR), 100, index=2)
    except OSError:
        return None


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of one line of text in inches at a size in points (line breaks from data count
    as spaces: the measuring font refuses multi-line text)."""
    text = " ".join(text.splitlines())
    font = _measure_font(bold)
    if font is not None:
        ems = font.getlength(text) / 100
    else:  # an estimate: CJK full width, the rest a little over half
        ems = sum(1.0 if _CJK.match(ch) else 0.6 for ch in text)
    # LibreOffice (not PowerPoint) spaces CJK from Latin/digits by about a quarter em: allow it
    kinds = [bool(_CJK.match(ch)) for ch in text if not ch.isspace()]
    ems += 0.25 * sum(a != b for a, b in zip(kinds, kinds[1:], strict=False))
    return ems * size / 72


def line_count(text: str, width: float, size: float, bold: bool = False) -> int:
    """How many lines text wraps to in a width (inches): CJK breaks anywhere, Latin at spaces."""
    lines, line = 1, ""
    for token in _TOKENS.findall(text):
        trial = line + token
        if token.isspace() or not line.strip() or text_width(trial, size, bold) <= width:
            line = trial
        else:
            lines, line = lines + 1, token
        while len(line) > 1 and text_width(line.rstrip(), size, bold) > width:  # a long word
            cut = len(line) - 1
            while cut > 1 and text_width(line[:cut], size, bold) > width:
                cut -= 1
            lines, line = lines + 1, line[cut:]
    return lines


def text_height(
    lines: list[str], width: float, size: float, bold: bool = False, spacing: float = 0.0
) -> float:
    """The height (inches) of paragraphs wrapped in a text box of a width, insets included;
    spacing is the space after each paragraph but the last, in ems."""
    inner = width - 2 * INSET_X
    n = sum(line_count(line, inner, size, bold) for line in lines)
    gaps = spacing * size * max(0, len(lines) - 1)
    return (n * size * LINE + gaps) / 72 + 2 * INSET_Y


def fit_size(
    lines: list[str],
    box: tuple[float, float],
    size: float,
    smallest: float,
    bold: bool = False,
    spacing: float = 0.0,
) -> float:
    """The largest size from size down to smallest (half points) at which lines fit a box."""
    width, height = box
    while size > smallest and text_height(lines, width, size, bold, spacing) > height:
        size -= 0.5
    return size


# ---------------------------------------------------------------------------------------------
# PPTX
# ---------------------------------------------------------------------------------------------


def rgb(color: str) -> tuple[int, int, int]:
    """'#rrggbb' as an RGB triple."""
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


_FONT_SLOTS = ("latin", "ea", "cs")
_AFTER_FONTS = ("sym", "hlinkClick", "hlinkMouseOver", "rtl", "extLst")


def name_fonts(rpr: Any) -> None:
    """Name 微软雅黑 as the East Asian face (Microsoft YaHei for Latin and complex script) of run
    properties, with the GB2312 charset, zh-CN as East Asian language and, when unset, as
    language."""
    from pptx.oxml.ns import qn

    if rpr.get("lang") is None:
        rpr.set("lang", "zh-CN")
    rpr.set("altLang", "zh-CN")  # the East Asian language: LibreOffice picks a zh-CN face by it
    for slot in _FONT_SLOTS:
        for old in rpr.findall(qn(f"a:{slot}")):
            rpr.remove(old)
    at = len(rpr)
    for n, child in enumerate(rpr):
        if child.tag in {qn(f"a:{tag}") for tag in _AFTER_FONTS}:
            at = n
            break
    for slot in reversed(_FONT_SLOTS):
        attrs = {"typeface": PPTX_EA_FONT if slot == "ea" else PPTX_FONT}
        if slot == "ea":
            attrs["charset"] = EA_CHARSET
        rpr.insert(at, rpr.makeelement(qn(f"a:{slot}"), attrs))


def name_fonts_in(element: Any) -> None:
    """Name the CJK face in every run, paragraph default and end-of-paragraph property below."""
    from pptx.oxml.ns import qn

    for tag in ("a:rPr", "a:defRPr", "a:endParaRPr"):
        for rpr in element.iter(qn(tag)):
            name_fonts(rpr)
    for run in element.iter(qn("a:r")):  # a run without properties would fall back to the theme
        if run.find(qn("a:rPr")) is None:
            rpr = run.makeelement(qn("a:rPr"), {"lang": "zh-CN"})
            run.insert(0, rpr)
            name_fonts(rpr)


def _theme_fonts(prs: Any) -> None:
    """Make Microsoft YaHei the theme's Latin face and 微软雅黑 its East Asian and Simplified
    Chinese (script Hans) face (text styled by the theme)."""
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    theme = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    for slot in root.findall(".//a:fontScheme/*/a:latin", ns):
        slot.set("typeface", PPTX_FONT)
    for slot in root.findall(".//a:fontScheme/*/a:ea", ns):
        slot.set("typeface", PPTX_EA_FONT)
    for slot in root.findall(".//a:fontScheme/*/a:font[@script='Hans']", ns):
        slot.set("typeface", PPTX_EA_FONT)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _style_run(run: Any, size: float, bold: bool = False, color: tuple = INK) -> None:
    """Font of a run: size, weight, colour, and 微软雅黑 / Microsoft YaHei (see ``name_fonts``)."""
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = RGBColor(*color)
    name_fonts(run._r.get_or_add_rPr())


def _text(
    slide: Any,
    box: tuple[float, float, float, float],
    lines: list[str],
    size: float,
    bold: bool = False,
    color: tuple = INK,
    align: str = "left",
    name: str = "",
    smallest: float | None = None,
    spacing: float = 0.0,
) -> Any:
    """A text box at (left, top, width, height) inches, one paragraph per line (spacing ems
    apart); with smallest, the size shrinks (down to smallest) until the text fits the box."""
    from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
    from pptx.util import Inches, Pt

    if smallest is not None:
        size = fit_size(lines, box[2:], size, smallest, bold, spacing)
    shape = slide.shapes.add_textbox(*(Inches(v) for v in box))
    if name:
        shape.name = name
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    for n, line in enumerate(lines):
        para = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        para.alignment = {"center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}.get(
            align, PP_ALIGN.LEFT
        )
        if spacing and n < len(lines) - 1:
            para.space_after = Pt(spacing * size)
        _style_run(para.add_run(), size, bold, color)
        para.runs[0].text = line
    return shape


def _column_widths(rows: list[tuple[str, ...]], width: float, size: float) -> list[float]:
    """Column widths (inches) for table rows: each column's one-line width, scaled to fit."""
    n = len(rows[0])
    pad = 2 * INSET_X + 0.05
    natural = [
        max(text_width(row[c], size, bold=r == 0) for r, row in enumerate(rows)) + pad
        for c in range(n)
    ]
    if sum(natural) <= width:
        extra = width - sum(natural)
        return [w + extra * w / sum(natural) for w in natural]
    rest = [min(w, width * 0.6 / (n - 1)) for w in natural[1:]] if n > 1 else []
    first = width - sum(rest)
    if first < width * 0.3:  # keep the indicator names readable
        scale = (width * 0.7) / sum(rest)
        rest = [w * scale for w in rest]
        first = width * 0.3
    return [first, *rest]


def _table_layout(
    table: Any, width: float, height: float, size: float, smallest: float = 9
) -> tuple[float, list[float], list[float]]:
    """A font size, column widths and row heights (inches) at which a table fits a box."""
    rows = [table.header, *table.rows]
    while True:
        widths = _column_widths(rows, width, size)
        heights = [  # wrap a little early and allow LibreOffice's taller table lines
            max(
                line_count(v, (widths[c] - 2 * INSET_X) * 0.94, size, r == 0)
                for c, v in enumerate(row)
            )
            * size
            * (LINE + 0.1)
            / 72
            + 2 * INSET_Y
            + 0.02
            for r, row in enumerate(rows)
        ]
        if sum(heights) <= height or size <= smallest:
            return size, widths, heights
        size -= 0.5


def _table(slide: Any, table: Any, box: tuple[float, float, float, float], size: float) -> Any:
    """A native table from a slide table, sized so its wrapped rows stay inside the box."""
    from pptx.dml.color import RGBColor
    from pptx.util import Inches

    size, widths, heights = _table_layout(table, box[2], box[3], size)
    n_rows, n_cols = len(table.rows) + 1, len(table.header)
    shape = slide.shapes.add_table(
        n_rows, n_cols, Inches(box[0]), Inches(box[1]), Inches(box[2]), Inches(sum(heights))
    )
    shape.name = "Table"
    grid = shape.table
    for c, w in enumerate(widths):
        grid.columns[c].width = Inches(w)
    for r, h in enumerate(heights):
        grid.rows[r].height = Inches(h)
    for r, row in enumerate([table.header, *table.rows]):
        for c, value in enumerate(row):
            cell = grid.cell(r, c)
            cell.text = ""
            cell.fill.solid()
            cell.fill.fore_color.rgb = RGBColor(*(RED if r == 0 else STRIPES[r % 2]))
            cell.margin_left = cell.margin_right = Inches(INSET_X)
            cell.margin_top = cell.margin_bottom = Inches(INSET_Y)
            run = cell.text_frame.paragraphs[0].add_run()
            _style_run(run, size, bold=r == 0, color=(255, 255, 255) if r == 0 else INK)
            run.text = value
    return shape


def _legend(slide: Any, series: tuple, left: float, top: float, width: float) -> float:
    """A row of colour keys with period names (one legend for all of a chart's panels)."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches

    x, size = left, 12
    for s in series:
        label = text_width(s.name, size) + 2 * INSET_X + 0.05
        if x + 0.2 + label > left + width:
            break
        key = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, Inches(x), Inches(top + 0.09), Inches(0.16), Inches(0.16)
        )
        key.name = "Legend key"
        key.fill.solid()
        key.fill.fore_color.rgb = RGBColor(*rgb(s.color))
        key.line.fill.background()
        _text(slide, (x + 0.18, top, label, 0.34), [s.name], size, color=INK, name="Legend")
        x += 0.18 + label + 0.2
    return 0.38


def _plot_layout(graph: Any, left: float, top: float = 0.02, height: float = 0.96) -> None:
    """Pin the plot area (inner, fractions of the chart): stacked panels line up, legends clear."""
    from pptx.oxml.ns import qn

    plot_area = graph._chartSpace.find(qn("c:chart")).find(qn("c:plotArea"))
    layout = plot_area.find(qn("c:layout"))
    if layout is None:
        layout = plot_area.makeelement(qn("c:layout"), {})
        plot_area.insert(0, layout)
    for child in list(layout):
        layout.remove(child)
    manual = layout.makeelement(qn("c:manualLayout"), {})
    layout.append(manual)
    for tag, value in (
        ("layoutTarget", "inner"),
        ("xMode", "edge"),
        ("yMode", "edge"),
        ("x", f"{left:.4f}"),
        ("y", f"{top:.4f}"),
        ("w", f"{0.99 - left:.4f}"),
        ("h", f"{height:.4f}"),
    ):
        manual.append(manual.makeelement(qn(f"c:{tag}"), {"val": value}))


_LABEL = re.compile(r"^(近|about )?(\d[\d,]*)(\.\d)?(万)?(.*)$")


def _quoted(text: str) -> str:
    """Text as a number-format literal ('' for none)."""
    return f'"{text}"' if text else ""


def label_format(value: float, label: str) -> str | None:
    """A number format that shows ``value`` exactly as ``label`` (3,396家, 1.8万余人, 18,000+
    people), so a bar's label follows its value when the chart's data is edited; None when no
    format can (近2万, 17.57万: 万 needs a scale a format cannot make)."""
    match = _LABEL.match(label)
    if match is None or '"' in label or value < 0:
        return None
    prefix, digits, decimal, wan, suffix = match.groups()
    prefix = prefix or ""
    if not wan and not decimal and value == int(value) and f"{int(value):,}" == digits:
        return f"{_quoted(prefix)}#,##0{_quoted(suffix)}"
    if wan and decimal and value % 1000 == 0 and value >= 10_000:
        k = int(value // 1000)
        if f"{k // 10}.{k % 10}" == digits + decimal:
            # thousands scaled by the comma, a literal point before the last digit: 18000 → 1.8
            return f"{_quoted(prefix)}0\\.0,{_quoted('万' + suffix)}"
    return None


def _label_by_format(point: Any, code: str) -> None:
    """Let a point's data label show its value through a number format (no fixed text)."""
    from pptx.oxml.ns import qn

    dlbl = point.data_label._get_or_add_dLbl()
    for old in dlbl.findall(qn("c:numFmt")) + dlbl.findall(qn("c:tx")):
        dlbl.remove(old)
    fmt = dlbl.makeelement(qn("c:numFmt"), {"formatCode": code, "sourceLinked": "0"})
    later = ("spPr", "txPr", "dLblPos", "showLegendKey", "showVal", "showCatName", "showSerName")
    at = next((n for n, c in enumerate(dlbl) if c.tag in {qn(f"c:{t}") for t in later}), len(dlbl))
    dlbl.insert(at, fmt)
    body = dlbl.find(qn("c:txPr"))
    if body is not None and body.find(qn("a:bodyPr")) is not None:
        body.find(qn("a:bodyPr")).set("wrap", "none")  # "1.8万余人" on one line
    show = dlbl.find(qn("c:showVal"))
    if show is None:
        show = dlbl.makeelement(qn("c:showVal"), {})
        dlbl.append(show)
    show.set("val", "1")


def _bar_panel(
    slide: Any, panel: Chart, box: tuple[float, float, float, float], label_w: float
) -> Any:
    """One native clustered bar chart of same-unit figures; each bar labelled as shown (46.9万余人次)."""
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
    from pptx.util import Inches, Pt

    data = CategoryChartData(number_format=NUMBER_FORMAT)
    data.categories = list(panel.categories)
    for s in panel.series:
        data.add_series(s.name, list(s.values), number_format=NUMBER_FORMAT)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, *(Inches(v) for v in box), data)
    frame.name = "Chart"
    graph = frame.chart
    graph.has_legend = False
    graph.has_title = False
    graph.font.size = Pt(CHART_PT)
    axis = graph.category_axis
    axis.reverse_order = True
    axis.tick_labels.font.size = Pt(CHART_PT)
    axis.format.line.fill.solid()
    axis.format.line.fill.fore_color.rgb = RGBColor(*GREY)
    values = graph.value_axis
    top = max((v for s in panel.series for v in s.values if v is not None), default=1.0) or 1.0
    values.minimum_scale, values.maximum_scale = 0, top * 1.5  # room for the labels
    values.visible = False
    values.has_major_gridlines = False
    plot = graph.plots[0]
    plot.gap_width = 40
    plot.overlap = 0
    for series, spec in zip(plot.series, panel.series, strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor(*rgb(spec.color))
        series.invert_if_negative = False
        for n, (value, label) in enumerate(zip(spec.values, spec.labels, strict=True)):
            if value is None:
                continue
            dl = series.points[n].data_label
            dl.position = XL_LABEL_POSITION.OUTSIDE_END
            code = label_format(value, label)
            if code is None:  # a label no format can show stays fixed text
                dl.text_frame.text = label
                dl.text_frame.word_wrap = False  # "1.8万余人" on one line, never "1.8万 / 余人"
            dl.font.size = Pt(CHART_PT)
            if code is not None:
                _label_by_format(series.points[n], code)
    _plot_layout(graph, min(0.5, label_w / box[2]))
    name_fonts_in(graph._chartSpace)
    return frame


def _bar_chart(slide: Any, chart: Chart, box: tuple[float, float, float, float]) -> list[Any]:
    """A slide's bars: a legend of periods, then one native chart per unit, each headed by its
    unit and on its own scale, stacked with heights by their number of bars."""
    left, top, width, height = box
    panels = chart.bar_panels()
    series = tuple({s.name: s for p in panels for s in p.series}.values())
    top += _legend(slide, series, left, top, width)
    heading = 0.36 if any(p.unit for p in panels) else 0.0
    rows = [len(p.categories) * len(p.series) + 0.8 for p in panels]
    room = box[1] + height - top - heading * len(panels)
    per_row = min(0.5, room / sum(rows))
    names = [c for p in panels for c in p.categories]
    label_w = min(width * 0.5, max(text_width(n, 12) for n in names) + 0.25)
    frames = []
    for panel, n in zip(panels, rows, strict=True):
        if panel.unit:
            _text(
                slide, (left, top, width, heading), [panel.unit], FOOT_PT, color=GREY, name="Unit"
            )
            top += heading
        frames.append(_bar_panel(slide, panel, (left, top, width, per_row * n), label_w))
        top += per_row * n
    return frames


def _scatter_chart(slide: Any, chart: Chart, box: tuple[float, float, float, float]) -> Any:
    """The station map as a native x/y scatter chart (longitude, latitude), a series per type;
    axes span the stations at Beijing's aspect (a degree of longitude ≈ 0.77 of latitude)."""
    from pptx.chart.data import XyChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import (
        XL_CHART_TYPE,
        XL_LEGEND_POSITION,
        XL_MARKER_STYLE,
        XL_TICK_LABEL_POSITION,
        XL_TICK_MARK,
    )
    from pptx.util import Inches, Pt

    # Every series lists every station's longitude, with a latitude only at its own stations:
    # LibreOffice reads one shared x column, so per-series x values would lose whole series.
    everywhere = [p for _, pts in chart.points for p in pts]
    data = XyChartData()
    start = 0
    for name, points in chart.points:
        series = data.add_series(name)
        mine = range(start, start + len(points))
        for n, (lon, lat) in enumerate(everywhere):
            series.add_data_point(lon, lat if n in mine else None)
        start += len(points)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.XY_SCATTER, *(Inches(v) for v in box), data)
    frame.name = "Chart"
    graph = frame.chart
    graph.has_legend = True
    graph.legend.position = XL_LEGEND_POSITION.BOTTOM
    graph.legend.include_in_layout = True
    graph.legend.font.size = Pt(CHART_PT)
    lons = [p[0] for _, pts in chart.points for p in pts]
    lats = [p[1] for _, pts in chart.points for p in pts]
    mid_x, mid_y = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    span_y = max((max(lats) - min(lats)) * 1.3, 0.05)
    span_x = max((max(lons) - min(lons)) * 1.3, 0.05)
    legend = 0.8  # inches under the plot for two rows of legend
    plot_w, plot_h = box[2] * 0.96, box[3] * 0.96 - legend
    aspect = plot_w / plot_h / 0.77  # plot width ÷ height, in degrees
    span_x, span_y = max(span_x, span_y * aspect), max(span_y, span_x / aspect)
    for axis, mid, span in (
        (graph.category_axis, mid_x, span_x),
        (graph.value_axis, mid_y, span_y),
    ):
        axis.has_major_gridlines = False
        axis.minimum_scale, axis.maximum_scale = mid - span / 2, mid + span / 2
        axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE  # degrees mean nothing to the room
        axis.major_tick_mark = XL_TICK_MARK.NONE
        axis.format.line.fill.background()
    for series, color in zip(graph.plots[0].series, chart.colors, strict=False):
        series.marker.style = XL_MARKER_STYLE.CIRCLE
        series.marker.size = 12
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = RGBColor.from_string(color.lstrip("#").upper())
        series.format.line.fill.background()
    _plot_layout(graph, 0.02, 0.02, plot_h / box[3])
    _frame_plot(graph)
    name_fonts_in(graph._chartSpace)
    return frame


def _frame_plot(graph: Any) -> None:
    """A thin grey frame round a chart's plot area (the edge of the map)."""
    from pptx.oxml.ns import qn

    plot_area = graph._chartSpace.find(qn("c:chart")).find(qn("c:plotArea"))
    sp = plot_area.makeelement(qn("c:spPr"), {})
    line = sp.makeelement(qn("a:ln"), {"w": "9525"})
    fill = line.makeelement(qn("a:solidFill"), {})
    fill.append(fill.makeelement(qn("a:srgbClr"), {"val": "C9CED6"}))
    line.append(fill)
    sp.append(line)
    ext = plot_area.find(qn("c:extLst"))
    if ext is not None:
        ext.addprevious(sp)
    else:
        plot_area.append(sp)


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
    big = 40 if slide.kind == "title" else 32
    size = fit_size([slide.title], (12.3, 0.9 if slide.kind != "title" else 1.2), big, 20, True)
    for para in title.text_frame.paragraphs:
        para.alignment = 1  # left
        for run in para.runs:
            _style_run(run, size, True, RED)
    body_bottom = FOOT_TOP - 0.08
    if slide.kind == "title":
        title.top, title.height = Inches(2.2), Inches(1.2)
        _text(page, (0.5, 3.5, 12.3, 0.9), [slide.subtitle], 32, True, smallest=20)
        _text(page, (0.5, 4.5, 12.3, 1.2), slide.paragraphs, 20, color=GREY, smallest=12)
    elif slide.kind == "summary":
        _text(
            page,
            (0.6, 1.2, 12.1, body_bottom - 1.2),
            slide.paragraphs,
            20,
            name="Summary",
            smallest=10,
            spacing=0.45,
        )
    elif slide.kind == "headline":
        _headline_cards(page, slide, body_bottom)
    else:
        if slide.subtitle:
            _text(page, (0.5, 1.05, 6.0, 0.4), [slide.subtitle], 14, color=GREY)
        has_chart = slide.chart is not None and (slide.chart.series or slide.chart.points)
        if has_chart and slide.chart.kind == "scatter":  # type: ignore[union-attr]
            _scatter_chart(page, slide.chart, (0.4, 1.45, 7.0, body_bottom - 1.45))  # type: ignore[arg-type]
        elif has_chart:
            _bar_chart(page, slide.chart, (0.4, 1.45, 7.0, body_bottom - 1.45))  # type: ignore[arg-type]
        left = 7.6 if has_chart else 0.5
        width = SLIDE_W - left - 0.4
        top = 1.5
        if slide.paragraphs and not has_chart and slide.table is None:
            _text(
                page,
                (0.5, 3.0, 12.3, 1.2),
                slide.paragraphs,
                28,
                color=GREY,
                align="center",
                smallest=14,
            )
        elif slide.paragraphs:
            size = fit_size(slide.paragraphs, (width, 1.2), 16, 11)
            height = text_height(slide.paragraphs, width, size)
            _text(page, (left, top, width, height), slide.paragraphs, size, color=GREY)
            top += height + 0.1
        if slide.table is not None:
            _table(page, slide.table, (left, top, width, body_bottom - top), 14)
    foot = [slide.footnote]
    need = text_height(foot, 11.5, FOOT_PT)
    # the cover cites every source: its footnote may rise into the cover's empty lower part
    foot_top = FOOT_TOP if slide.kind != "title" else min(FOOT_TOP, SLIDE_H - 0.05 - need)
    _text(
        page,
        (0.4, foot_top, 11.5, SLIDE_H - foot_top - 0.05),
        foot,
        FOOT_PT,
        color=GREY,
        name="Footnote",
        smallest=FOOT_PT,
    )
    _text(
        page,
        (12.0, 6.95, 0.95, 0.35),
        [f"{number} / {total}"],
        FOOT_PT,
        color=GREY,
        align="right",
        name="Page",
    )
    name_fonts_in(page.shapes._spTree)


def _card_layout(cards: list, height: float) -> tuple[int, float]:
    """Cards per row (3 or 2) and the one value size (≤ 48 pt) at which every headline number
    fits its card on one line and the rows fit the body: the layout with the bigger numbers,
    then the one with fewer empty places (four cards: two by two), then fewer rows."""
    options = []
    for per_row in dict.fromkeys((min(3, len(cards)), min(2, len(cards)))):
        rows = -(-len(cards) // per_row)
        width = 12.3 / per_row - 0.2 - 2 * INSET_X
        size = 48.0
        while size > 20 and max(text_width(c.shown, size, True) for c in cards) > width:
            size -= 1
        while size > 20 and rows * (0.95 + size * LINE / 72 + 0.1) > height:
            size -= 1
        options.append((-size, rows * per_row - len(cards), rows, per_row))
    best = min(options)
    return best[3], -best[0]


def _headline_cards(page: Any, slide: Slide, bottom: float) -> None:
    """Headline figures as big numbers (48 pt where they fit) with their label and 同比."""
    cards = slide.cards
    if not cards:
        _text(page, (0.5, 2.5, 12.3, 1.0), slide.paragraphs, 24, color=GREY, smallest=14)
        return
    per_row, size = _card_layout(cards, bottom - 1.4)
    width = 12.3 / per_row
    value_h = size * LINE / 72 + 0.1
    rows = -(-len(cards) // per_row)
    row_h = min(2.6, (bottom - 1.4) / rows)
    for n, card in enumerate(cards):
        col, row = n % per_row, n // per_row
        left, top = 0.5 + col * width, 1.4 + row * row_h
        _text(page, (left, top, width - 0.2, 0.5), [card.label], 18, color=GREY, smallest=11)
        _text(page, (left, top + 0.45, width - 0.2, value_h), [card.shown], size, True, RED)
        _text(
            page,
            (left, top + 0.45 + value_h, width - 0.2, 0.45),
            [card.change],
            14,
            color=GREY,
            smallest=9,
        )


def build_pptx(slides: list[Slide]) -> bytes:
    """The deck of a slide sequence as PPTX bytes (16:9)."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    _theme_fonts(prs)
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
            pdf.set_text_color(*GREY)
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
                pdf.set_text_color(*GREY)
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
    fig = chart_figure(chart, theme, font_size=22, height=height - 64)
    top = fig.layout.margin.t or 40
    fig.update_layout(  # the title, then the legend and the bars below it
        title={"text": chart.title, "x": 0.01, "yref": "container", "y": 0.985, "yanchor": "top"},
        legend={"yref": "container", "y": 1 - 64 / height, "yanchor": "top"},
        margin={"t": top + 64},
    )
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
