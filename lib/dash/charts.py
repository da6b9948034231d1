"""Plotly figures of the dashboards (no streamlit): theme with the CJK font, zh/en labels and
number ticks (万 in Chinese), sparklines that break on missing years, year-over-year grouped bars
or lines, quarterly drill-down, and completion bars. No MathJax anywhere (plain-text labels, and
``typesetMath`` off in the config); ``config()`` sets up the modebar's PNG download."""

from __future__ import annotations

import math
from collections.abc import Sequence

import plotly.graph_objects as go
import plotly.io as pio

from lib.core.i18n import t
from lib.core.numbers import format_number

FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, sans-serif"
PALETTE = ("#C8102E", "#1F77B4", "#2CA02C", "#FF7F0E", "#9467BD", "#8C564B", "#17BECF")
STATUS_COLORS = {
    "done": "#2E7D32",
    "in_progress": "#1F77B4",
    "behind": "#C8102E",
    "unproven": "#B8860B",
    "no_data": "#9E9E9E",
}
TONE_COLORS = {"good": "#2E7D32", "bad": "#C8102E", "flat": "#6B7280", "none": "#9CA3AF"}


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


def config(filename: str = "chart") -> dict[str, object]:
    """The plotly config: PNG download from the modebar, no logo, no MathJax typesetting."""
    return {
        "displaylogo": False,
        "typesetMath": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    }


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
        "font": {"family": FONT_FAMILY, "size": 13, "color": "#1F2329"},
        "height": height,
        "margin": {"l": 8, "r": 8, "t": 40, "b": 8},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "separators": ".,",
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
    }


def theme(fig: go.Figure, lang: str, height: int = 360) -> go.Figure:
    """Apply the board's theme (``theme_layout``) to a built figure."""
    fig.update_layout(theme_layout(lang, height))
    return fig


def nice_ticks(top: float, n: int = 5) -> list[float]:
    """Round tick values from 0 to at least top (about n steps)."""
    if not math.isfinite(top) or top <= 0:
        return [0.0, 1.0]
    raw = top / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    count = math.ceil(top / step)
    return [round(i * step, 10) for i in range(count + 1)]


def value_axis_layout(values: Sequence[float | None], lang: str, unit: str) -> dict:
    """A y axis with ticks read the language's way (万 in Chinese) and the unit, from zero."""
    known = [v for v in values if v is not None and math.isfinite(v)]
    ticks = nice_ticks(max(known) if known else 1.0)
    return {
        "yaxis": {
            "tickvals": ticks,
            "ticktext": [format_number(v, "exact", lang) for v in ticks],
            "title": {"text": unit},
            "rangemode": "tozero",
            "range": [0, ticks[-1] * 1.05],
        }
    }


def value_axis(fig: go.Figure, values: Sequence[float | None], lang: str, unit: str) -> None:
    """Label a built figure's y axis as ``value_axis_layout`` does."""
    fig.update_layout(value_axis_layout(values, lang, unit))


def sparkline(
    years: Sequence[int], values: Sequence[float | None], color: str = PALETTE[0]
) -> go.Figure:
    """A tiny 2021–2025 line that breaks where a year has no figure (no zero filling)."""
    register_theme()
    fig = go.Figure(
        go.Scatter(
            x=list(years),
            y=list(values),
            mode="lines+markers",
            connectgaps=False,
            line={"color": color, "width": 2},
            marker={"size": 5},
            hoverinfo="skip",
        )
    )
    known = [v for v in values if v is not None]
    fig.update_layout(
        height=56,
        margin={"l": 2, "r": 2, "t": 2, "b": 14},
        showlegend=False,
        font={"family": FONT_FAMILY, "size": 9},
        xaxis={
            "tickvals": [years[0], years[-1]] if years else [],
            "showgrid": False,
            "fixedrange": True,
            "range": [years[0] - 0.3, years[-1] + 0.3] if years else None,
        },
        yaxis={
            "visible": False,
            "fixedrange": True,
            "range": [0, (max(known) * 1.15) if known else 1],
        },
        plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
    )
    return fig


def _hover(row: dict) -> str:
    """Hover text of one year: value as shown, period, 同比."""
    parts = [f"{row['org_name']} · {row['year']}", row["value_text"]]
    if row["period_label"]:
        parts.append(row["period_label"])
    if row["yoy_text"] and row["yoy_text"] != "—":
        parts.append(f"YoY {row['yoy_text']}")
    return "<br>".join(parts)


def yoy_figure(rows: list[dict], mode: str, lang: str, title: str = "") -> go.Figure:
    """One indicator's years per org, as grouped bars or lines; missing years are gaps.

    Campaign-period figures get their own hatched bars / unconnected markers so they never read
    as part of the full-year series.
    """
    traces: list[go.Bar | go.Scatter] = []
    orgs = list(dict.fromkeys(r["org"] for r in rows))
    years = sorted({r["year"] for r in rows})
    for i, org in enumerate(orgs):
        color = PALETTE[i % len(PALETTE)]
        full = [r for r in rows if r["org"] == org and r["period"] == ""]
        by_year = {r["year"]: r for r in full}
        name = full[0]["org_name"] if full else org
        ys = [by_year[y]["value"] if y in by_year else None for y in years]
        texts = [_hover(by_year[y]) if y in by_year else "" for y in years]
        labels = [
            by_year[y]["value_text"] if y in by_year and by_year[y]["value"] is not None else ""
            for y in years
        ]
        if mode == "lines":
            traces.append(
                go.Scatter(
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
            )
        else:
            traces.append(
                go.Bar(
                    x=years,
                    y=ys,
                    name=name,
                    marker_color=color,
                    text=labels,
                    textposition="outside",
                    cliponaxis=False,
                    hovertext=texts,
                    hoverinfo="text",
                )
            )
        for period in sorted({r["period"] for r in rows if r["org"] == org and r["period"]}):
            sub = [r for r in rows if r["org"] == org and r["period"] == period]
            label = f"{name} · {sub[0]['period_label']}"
            if mode == "lines":
                traces.append(
                    go.Scatter(
                        x=[r["year"] for r in sub],
                        y=[r["value"] for r in sub],
                        name=label,
                        mode="markers",
                        marker={"size": 11, "symbol": "diamond-open", "color": color},
                        hovertext=[_hover(r) for r in sub],
                        hoverinfo="text",
                    )
                )
            else:
                traces.append(
                    go.Bar(
                        x=[r["year"] for r in sub],
                        y=[r["value"] for r in sub],
                        name=label,
                        marker={
                            "color": "white",
                            "line": {"color": color, "width": 2},
                            "pattern": {"shape": "/", "fgcolor": color},
                        },
                        text=[r["value_text"] for r in sub],
                        textposition="outside",
                        cliponaxis=False,
                        hovertext=[_hover(r) for r in sub],
                        hoverinfo="text",
                    )
                )
    unit = rows[0]["unit"] if rows else ""
    title_text = (
        f"{title}（{unit}）" if unit and lang == "zh" else f"{title} ({unit})" if unit else title
    )
    layout = merged(
        theme_layout(lang, height=380),
        {
            "barmode": "group",
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
        value_axis_layout([r["value"] for r in rows], lang, ""),
    )
    return go.Figure(data=traces, layout=layout)


def quarterly_figure(rows: list[dict], lang: str, title: str = "") -> go.Figure:
    """Quarterly values as bars with the running cumulative (累计) as a line."""
    x = [t("period.quarter", lang, y=r["year"], q=r["quarter"]) for r in rows]
    traces = [
        go.Bar(
            x=x,
            y=[r["value"] for r in rows],
            name=t("yoy.quarter_trace", lang),
            marker_color=PALETTE[1],
            hovertext=[r["value_text"] for r in rows],
            hoverinfo="text",
        ),
        go.Scatter(
            x=x,
            y=[r["cumulative"] for r in rows],
            name=t("yoy.cumulative_trace", lang),
            mode="lines+markers",
            connectgaps=False,
            line={"color": PALETTE[0], "width": 3},
            hovertext=[r["cumulative_text"] for r in rows],
            hoverinfo="text",
        ),
    ]
    values = [r["value"] for r in rows] + [r["cumulative"] for r in rows]
    layout = merged(
        theme_layout(lang, height=340),
        {
            "title": {"text": title, "font": {"size": 15}, "x": 0, "y": 0.98, "yanchor": "top"},
            "legend": {"orientation": "h", "yanchor": "top", "y": -0.16, "x": 0},
            "margin": {"t": 40, "b": 60},
        },
        value_axis_layout(values, lang, ""),
    )
    return go.Figure(data=traces, layout=layout)


def completion_figure(rows: Sequence, lang: str) -> go.Figure:
    """完成率 as horizontal bars coloured by status, with the 100% line; no bar = no actual."""
    names = [r.name for r in rows]
    pct = [None if r.completion is None else r.completion * 100 for r in rows]
    shown = [min(p, 150.0) if p is not None else None for p in pct]
    labels = [
        f"{p:.1f}%" if p is not None else r.status_text for p, r in zip(pct, rows, strict=True)
    ]
    bar = go.Bar(
        y=names,
        x=[s if s is not None else 0 for s in shown],
        orientation="h",
        marker_color=[STATUS_COLORS.get(r.status, "#9E9E9E") for r in rows],
        text=labels,
        textposition="outside",
        cliponaxis=False,
        hovertext=[
            f"{r.name}<br>{r.target_text} · {r.actual_text}<br>{r.status_text}" for r in rows
        ],
        hoverinfo="text",
        showlegend=False,
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
    layout = merged(
        theme_layout(lang, height=max(160, 44 * len(rows) + 70)),
        {
            "shapes": [line_100],
            "xaxis": {
                "range": [0, 175],
                "ticksuffix": "%",
                "title": {"text": t("chart.completion", lang)},
            },
            "yaxis": {"autorange": "reversed", "automargin": True},
            "margin": {"t": 16, "r": 24},
        },
    )
    return go.Figure(data=[bar], layout=layout)


def sparkline_svg(
    years: Sequence[int],
    values: Sequence[float | None],
    color: str = PALETTE[0],
    width: int = 160,
    height: int = 40,
) -> str:
    """The same sparkline as inline SVG (light enough for dozens of cards): one polyline per run
    of consecutive years with figures, a dot per figure, the first and last year underneath.
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
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="max-width:100%" role="img">'
    ]
    for run in runs:
        if len(run) > 1:
            pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            parts.append(
                f'<polyline points="{pts}" fill="none" stroke="{safe_color}" stroke-width="2"/>'
            )
    for x, y in dots:
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{safe_color}"/>')
    baseline = 2 + plot_h
    parts.append(
        f'<line x1="{pad_x}" y1="{baseline:.1f}" x2="{width - pad_x}" y2="{baseline:.1f}" '
        'stroke="#E5E7EB" stroke-width="1"/>'
    )
    label = 'font-size="9" fill="#9CA3AF" font-family="sans-serif"'
    parts.append(f'<text x="{pad_x}" y="{height - 1}" {label}>{int(years[0])}</text>')
    parts.append(
        f'<text x="{width - pad_x}" y="{height - 1}" text-anchor="end" {label}>'
        f"{int(years[-1])}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)
