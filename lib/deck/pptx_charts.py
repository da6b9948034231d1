"""Native PowerPoint charts of a slide: clustered bars from CategoryChartData, one chart per unit
of a category (headed 单位：家, each on its own scale, bars labelled as shown: 1.8万余人), and the
station map as an x/y scatter. Bar labels come from a number format where one can show the label
(3,396家, 1.8万余人), so edited data relabels itself; others stay fixed text."""

from __future__ import annotations

import re
from typing import Any

from lib.deck.measure import INK, INSET_X, MUTED_GREY, rgb, text_width
from lib.deck.pptx_base import FOOT_PT, name_fonts_in, text_box
from lib.deck.slides import Chart

NUMBER_FORMAT = "#,##0.##"
CHART_PT = 18  # chart labels, ticks and legends: readable from the back of a meeting room


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
        text_box(slide, (x + 0.18, top, label, 0.34), [s.name], size, color=INK, name="Legend")
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
    axis.format.line.fill.fore_color.rgb = RGBColor(*MUTED_GREY)
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


def bar_chart(slide: Any, chart: Chart, box: tuple[float, float, float, float]) -> list[Any]:
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
            text_box(
                slide,
                (left, top, width, heading),
                [panel.unit],
                FOOT_PT,
                color=MUTED_GREY,
                name="Unit",
            )
            top += heading
        frames.append(_bar_panel(slide, panel, (left, top, width, per_row * n), label_w))
        top += per_row * n
    return frames


def scatter_chart(slide: Any, chart: Chart, box: tuple[float, float, float, float]) -> Any:
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
