"""Plotly figures of the dashboards (no streamlit): theme with the CJK font, zh/en labels and
number ticks (万 in Chinese), card sparklines (inline SVG) that break on missing years,
year-over-year grouped bars or lines, quarterly drill-down, and completion bars. No MathJax
anywhere (plain-text labels, and ``typesetMath`` off in the config); ``config()`` sets up the
modebar's PNG download."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from lib.core.escape import html_literal
from lib.core.i18n import t
from lib.core.numbers import format_number
from lib.core.vocab import CJK_FONT
from lib.dash.plotly_zh import locale_config
from lib.dash.targets import TargetRow
from lib.dash.yoy import QuarterRow, YoyRow

PALETTE = ("#C8102E", "#1F77B4", "#2CA02C", "#FF7F0E", "#9467BD", "#8C564B", "#17BECF")
STATUS_COLORS = {
    "done": "#2E7D32",
    "in_progress": "#1F77B4",
    "behind": "#C8102E",
    "unproven": "#B8860B",
    "no_data": "#9E9E9E",
}


THEME_TEMPLATE = "kpi"
# plotly_white's layout without its per-trace defaults: the same look, but copying it into each
# figure costs ~1 ms instead of ~11 ms (a yoy page draws up to a dozen figures per rerun).
_WHITE_LAYOUT_KEYS = (
    "autotypenumbers",
    "annotationdefaults",
    "colorway",
    "font",
    "hoverlabel",
    "hovermode",
    "paper_bgcolor",
    "plot_bgcolor",
    "shapedefaults",
    "title",
    "xaxis",
    "yaxis",
)


def register_theme() -> None:
    """Register the board's plotly template and make it the default of every new figure.

    Called before each figure is built: importing streamlit makes its own template the default,
    and which import came last must not decide how a chart looks."""
    if THEME_TEMPLATE not in pio.templates:
        white = pio.templates["plotly_white"].layout.to_plotly_json()
        layout = {k: v for k, v in white.items() if k in _WHITE_LAYOUT_KEYS}
        pio.templates[THEME_TEMPLATE] = go.layout.Template(layout=layout)
    pio.templates.default = THEME_TEMPLATE


register_theme()


def config(filename: str = "chart", lang: str = "zh") -> dict[str, object]:
    """The plotly config: PNG download from the modebar, no logo, no MathJax typesetting, and
    plotly's own words (modebar titles, hints) in the UI language."""
    return {
        "displaylogo": False,
        "typesetMath": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
        **locale_config(lang),
    }


def figure_png(fig: go.Figure, width: int, height: int, scale: float = 1) -> bytes:
    """A figure as PNG bytes, rendered offline by kaleido on Debian's chromium (no MathJax)."""
    if Path("/usr/bin/chromium").exists():
        os.environ.setdefault("BROWSER_PATH", "/usr/bin/chromium")
    pio.defaults.mathjax = None
    return fig.to_image(format="png", width=width, height=height, scale=scale)


def merged(*layouts: dict) -> dict:
    """Layout dicts merged left to right, nested dicts key by key (as ``update_layout`` does)."""
    out: dict = {}
    for layout in layouts:
        for key, value in layout.items():
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key] = merged(out[key], value)
            else:
                out[key] = value
    return out


def theme_layout(lang: str, height: int = 360) -> dict:
    """The board's layout (the white template is the default): CJK font, compact margins,
    legend on top. Figures are built in one go from such dicts: each ``update_layout`` on a built
    figure costs ~5 ms of plotly validation, a yoy page draws a dozen figures."""
    register_theme()
    return {
        "font": {"family": CJK_FONT, "size": 13, "color": "#1F2329"},
        "height": height,
        "margin": {"l": 8, "r": 8, "t": 40, "b": 8},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "separators": ".,",
        "hoverlabel": {"font": {"family": CJK_FONT}},
    }


def nice_ticks(top: float, n: int = 5) -> list[float]:
    """Round tick values from 0 to at least top (about n steps)."""
    if not math.isfinite(top) or top <= 0:
        return [0.0, 1.0]
    raw = top / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    count = math.ceil(top / step)
    return [round(i * step, 10) for i in range(count + 1)]


def value_axis_layout(values: Sequence[float | None], lang: str, unit: str, scale: int = 1) -> dict:
    """A y axis with ticks read the language's way (万 in Chinese) and the unit, from zero, in
    the numbers the labels read (value × scale: 万元 in yuan in English)."""
    known = [v * scale for v in values if v is not None and math.isfinite(v)]
    shown = nice_ticks(max(known) if known else 1.0)
    ticks = [v / scale for v in shown]
    return {
        "yaxis": {
            "tickvals": ticks,
            "ticktext": [format_number(v, "exact", lang) for v in shown],
            "title": {"text": unit},
            "rangemode": "tozero",
            "range": [0, ticks[-1] * 1.05],
        }
    }


LEGEND_WIDTH = 40  # a legend entry longer than this (CJK counts double) goes on two lines


def _text_width(text: str) -> int:
    """Display width of a text: CJK and full-width characters count double."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def wrap_lines(text: str, width: int = LEGEND_WIDTH) -> list[str]:
    """A label cut into lines so that none is much wider than ``width`` (a phone's chart is
    ~350 px): at " · " first, then between words, or anywhere in Chinese."""
    if _text_width(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    tokens = [tok for part in text.split(" · ") for tok in (part.split(" ") + ["\x00"])][:-1]
    for tok in tokens:
        if tok == "\x00":
            lines.append(line)
            line = ""
            continue
        candidate = f"{line} {tok}".strip()
        if _text_width(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for ch in tok:  # a token too long on its own (Chinese): break it anywhere
            if _text_width(line + ch) > width and line:
                lines.append(line)
                line = ""
            line += ch
    lines.append(line)
    return [x for x in lines if x]


def wrap_label(text: str, width: int = LEGEND_WIDTH) -> str:
    """A legend label from data, broken with <br> between lines and escaped within each line (so
    an entity such as &quot; is never cut by a break)."""
    return "<br>".join(html_literal(line) for line in wrap_lines(text, width))


def _hover(row: YoyRow) -> str:
    """Hover text of one year: value as shown, period, 同比."""
    parts = [f"{html_literal(row.org_name)} · {row.year}", row.value_text]
    if row.period_label:
        parts.append(html_literal(row.period_label))
    if row.yoy_text and row.yoy_text != "—":
        parts.append(f"YoY {row.yoy_text}")
    return "<br>".join(parts)


def gap_marks(years: Sequence[int], group: str, lang: str) -> go.Scatter:
    """A small grey 无数据 / no data mark standing at each missing year, in the org's slot of a
    grouped bar chart, so a gap never reads as a zero-height bar; not in the legend."""
    label = t("common.no_data", lang)
    return go.Scatter(
        x=list(years),
        y=[0] * len(years),
        mode="text",
        text=[label] * len(years),
        textposition="top center",
        textfont={"size": 11, "color": "#6B7280"},
        offsetgroup=group,
        showlegend=False,
        hoverinfo="text",
        hovertext=[f"{y} · {label}" for y in years],
        meta="gap",
    )


def _full_year_traces(
    rows: list[YoyRow], org: str, name: str, color: str, years: list[int], mode: str, lang: str
) -> list[go.Bar | go.Scatter]:
    """An org's full-year series over the years: a line that breaks at gaps, or bars with a
    无数据 mark standing at each year the org has no figure at all."""
    by_year = {r.year: r for r in rows if r.org == org and r.period == ""}
    ys = [by_year[y].value if y in by_year else None for y in years]
    texts = [_hover(by_year[y]) if y in by_year else "" for y in years]
    if mode == "lines":
        line = go.Scatter(
            x=years,
            y=ys,
            name=name,
            mode="lines+markers",
            connectgaps=False,
            line={"color": color, "width": 3},
            marker={"size": 8},
            hovertext=texts,
            hoverinfo="text",
        )
        return [line]
    labels = [by_year[y].value_text if ys[i] is not None else "" for i, y in enumerate(years)]
    bars = go.Bar(
        x=years,
        y=ys,
        name=name,
        marker_color=color,
        text=labels,
        textposition="outside",
        cliponaxis=False,
        hovertext=texts,
        hoverinfo="text",
        offsetgroup=org,
    )
    with_any = {r.year for r in rows if r.org == org and r.value is not None}
    gaps = [y for y in years if y not in with_any]
    return [bars, gap_marks(gaps, org, lang)] if gaps else [bars]


def _period_trace(sub: list[YoyRow], label: str, color: str, mode: str) -> go.Bar | go.Scatter:
    """One org's figures of a sub-period (a campaign): unconnected open diamonds, or hatched bars,
    so they never read as part of the full-year series."""
    x = [r.year for r in sub]
    y = [r.value for r in sub]
    hover = [_hover(r) for r in sub]
    if mode == "lines":
        marker = {"size": 11, "symbol": "diamond-open", "color": color}
        return go.Scatter(
            x=x, y=y, name=label, mode="markers", marker=marker, hovertext=hover, hoverinfo="text"
        )
    return go.Bar(
        x=x,
        y=y,
        name=label,
        marker={
            "color": "white",
            "line": {"color": color, "width": 2},
            "pattern": {"shape": "/", "fgcolor": color},
        },
        text=[r.value_text for r in sub],
        textposition="outside",
        cliponaxis=False,
        hovertext=hover,
        hoverinfo="text",
        offsetgroup=f"{sub[0].org}|{sub[0].period}",
    )


def _yoy_layout(rows: list[YoyRow], years: list[int], title: str, lang: str) -> dict:
    """The year-over-year figure's layout: grouped, titled with the unit, legend below, whole-year
    ticks, and a value axis read the language's way."""
    unit = rows[0].unit if rows else ""
    title_text = (
        f"{title}（{unit}）" if unit and lang == "zh" else f"{title} ({unit})" if unit else title
    )
    return merged(
        theme_layout(lang, height=380),
        {
            "barmode": "group",
            "scattermode": "group",
            "title": {
                "text": title_text,
                "font": {"size": 15},
                "x": 0,
                "y": 0.98,
                "yanchor": "top",
            },
            "legend": {"orientation": "h", "yanchor": "top", "y": -0.14, "x": 0},
            "margin": {"t": 40, "b": 60},
            "uniformtext": {"minsize": 10, "mode": "show"},
            "xaxis": {
                "tickvals": years,
                "ticktext": [str(y) for y in years],
                "range": [years[0] - 0.6, years[-1] + 0.6] if years else None,
            },
        },
        value_axis_layout([r.value for r in rows], lang, "", rows[0].scale if rows else 1),
    )


def yoy_figure(rows: list[YoyRow], mode: str, lang: str, title: str = "") -> go.Figure:
    """One indicator's years per org, as grouped bars or lines; missing years are gaps.

    Campaign-period figures get their own hatched bars / unconnected markers so they never read
    as part of the full-year series.
    """
    traces: list[go.Bar | go.Scatter] = []
    years = sorted({r.year for r in rows})
    for i, org in enumerate(dict.fromkeys(r.org for r in rows)):
        color = PALETTE[i % len(PALETTE)]
        mine = [r for r in rows if r.org == org]
        full = [r for r in mine if r.period == ""]
        org_name = full[0].org_name if full else org
        traces += _full_year_traces(rows, org, wrap_label(org_name), color, years, mode, lang)
        for period in sorted({r.period for r in mine if r.period}):
            sub = [r for r in mine if r.period == period]
            label = wrap_label(f"{org_name} · {sub[0].period_label}")
            traces.append(_period_trace(sub, label, color, mode))
    return go.Figure(data=traces, layout=_yoy_layout(rows, years, title, lang))


def quarterly_figure(rows: list[QuarterRow], lang: str, title: str = "") -> go.Figure:
    """Quarterly values as bars with the running cumulative (累计) as a line."""
    x = [t("period.quarter", lang, y=r.year, q=r.quarter) for r in rows]
    traces = [
        go.Bar(
            x=x,
            y=[r.value for r in rows],
            name=t("yoy.quarter_trace", lang),
            marker_color=PALETTE[1],
            hovertext=[r.value_text for r in rows],
            hoverinfo="text",
        ),
        go.Scatter(
            x=x,
            y=[r.cumulative for r in rows],
            name=t("yoy.cumulative_trace", lang),
            mode="lines+markers",
            connectgaps=False,
            line={"color": PALETTE[0], "width": 3},
            hovertext=[r.cumulative_text for r in rows],
            hoverinfo="text",
        ),
    ]
    values = [r.value for r in rows] + [r.cumulative for r in rows]
    layout = merged(
        theme_layout(lang, height=340),
        {
            "title": {"text": title, "font": {"size": 15}, "x": 0, "y": 0.98, "yanchor": "top"},
            "legend": {"orientation": "h", "yanchor": "top", "y": -0.16, "x": 0},
            "margin": {"t": 40, "b": 60},
        },
        value_axis_layout(values, lang, "", rows[0].scale if rows else 1),
    )
    return go.Figure(data=traces, layout=layout)


STATUS_ORDER = ("done", "in_progress", "behind", "no_data")
COMPLETION_CAP = 150.0  # bars stop here; the label keeps the real 完成率


def completion_range(pct: Sequence[float | None]) -> list[float]:
    """An x range that fits the bars and their labels: past the 100 % line, up to the cap."""
    known = [min(p, COMPLETION_CAP) for p in pct if p is not None and math.isfinite(p)]
    top = max([100.0, *known])
    return [0.0, math.ceil(top * 1.25 / 10) * 10]


def completion_figure(rows: Sequence[TargetRow], lang: str) -> go.Figure:
    """完成率 as horizontal bars coloured by status, one legend entry per status shown, and the
    100 % line labelled; the axis runs just past the longest bar; no bar = no actual."""
    names = [html_literal(r.name) for r in rows]
    pct = [None if r.completion is None else r.completion * 100 for r in rows]
    traces = []
    for status in [*STATUS_ORDER, *sorted({r.status for r in rows} - set(STATUS_ORDER))]:
        picked = [(r, p) for r, p in zip(rows, pct, strict=True) if r.status == status]
        if not picked:
            continue
        traces.append(
            go.Bar(
                y=[html_literal(r.name) for r, _ in picked],
                x=[0 if p is None else min(p, COMPLETION_CAP) for _, p in picked],
                orientation="h",
                name=picked[0][0].status_text,
                marker_color=STATUS_COLORS.get(status, "#9E9E9E"),
                text=[r.completion_text if p is not None else r.status_text for r, p in picked],
                textposition="outside",
                cliponaxis=False,
                hovertext=[
                    f"{html_literal(r.name)}<br>{r.target_text} · {r.actual_text}<br>{r.status_text}"
                    for r, _ in picked
                ],
                hoverinfo="text",
            )
        )
    line_100 = {
        "type": "line",
        "x0": 100,
        "x1": 100,
        "xref": "x",
        "y0": 0,
        "y1": 1,
        "yref": "y domain",
        "line": {"dash": "dash", "color": "#6B7280"},
    }
    label_100 = {
        "x": 100,
        "xref": "x",
        "y": 1,
        "yref": "y domain",
        "yanchor": "bottom",
        "text": t("chart.target_line", lang),
        "showarrow": False,
        "font": {"size": 11, "color": "#4B5563"},
    }
    layout = merged(
        theme_layout(lang, height=max(180, 44 * len(rows) + 110)),
        {
            "barmode": "overlay",
            "shapes": [line_100],
            "annotations": [label_100],
            "xaxis": {
                "range": completion_range(pct),
                "ticksuffix": "%",
                "title": {"text": t("chart.completion", lang)},
            },
            "yaxis": {
                "autorange": "reversed",
                "automargin": True,
                "categoryorder": "array",
                "categoryarray": names,
            },
            "legend": {
                "orientation": "h",
                "yref": "container",
                "yanchor": "bottom",
                "y": 0,
                "x": 0,
            },
            "margin": {"t": 28, "r": 24, "b": 64},
            "showlegend": True,
        },
    )
    return go.Figure(data=traces, layout=layout)


def sparkline_svg(
    years: Sequence[int],
    values: Sequence[float | None],
    color: str = PALETTE[0],
    width: int = 320,
    height: int = 48,
) -> str:
    """The same sparkline as inline SVG (light enough for dozens of cards): one polyline per run
    of consecutive years with figures, a dot per figure, the first and last year underneath; as
    wide as the card it sits in (the drawing scales, its proportions kept).
    Built only from numbers and constants, so it is safe to render as HTML."""
    if not years:
        return ""
    known = [float(v) for v in values if v is not None and math.isfinite(v)]
    top = max(known) * 1.15 if known and max(known) > 0 else 1.0
    pad_x, plot_h = 8.0, height - 14.0
    step = (width - 2 * pad_x) / max(1, len(years) - 1)
    safe_color = color if color.startswith("#") and len(color) in (4, 7) else PALETTE[0]

    def xy(i: int, v: float) -> tuple[float, float]:
        """Pixel position of the i-th year's value."""
        return pad_x + i * step, 2 + plot_h - (v / top) * plot_h

    runs: list[list[tuple[float, float]]] = [[]]
    dots: list[tuple[float, float]] = []
    for i, v in enumerate(values):
        if v is None or not math.isfinite(v):
            runs.append([])
            continue
        point = xy(i, float(v))
        runs[-1].append(point)
        dots.append(point)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" '
        f'viewBox="0 0 {width} {height}" style="display:block;width:100%;height:auto" '
        'role="img">'
    ]
    for run in runs:
        if len(run) > 1:
            pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            parts.append(
                f'<polyline points="{pts}" fill="none" stroke="{safe_color}" stroke-width="2.5"/>'
            )
    for x, y in dots:
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{safe_color}"/>')
    baseline = 2 + plot_h
    parts.append(
        f'<line x1="{pad_x}" y1="{baseline:.1f}" x2="{width - pad_x}" y2="{baseline:.1f}" '
        'stroke="#E5E7EB" stroke-width="1"/>'
    )
    label = 'font-size="11" fill="#9CA3AF" font-family="sans-serif"'
    parts.append(f'<text x="{pad_x}" y="{height - 1}" {label}>{int(years[0])}</text>')
    parts.append(
        f'<text x="{width - pad_x}" y="{height - 1}" text-anchor="end" {label}>'
        f"{int(years[-1])}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)
