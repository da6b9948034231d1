"""Vega-Lite specs of the dashboards' charts (no streamlit): year-over-year grouped bars or lines,
the quarterly drill-down and the completion bars, drawn by Streamlit's own Vega-Lite element.

The browser evaluates Streamlit's Vega code in a fraction of the time it takes for plotly's
(4.7 MB), which every page with a plotly chart loads; the deck's images stay plotly
(lib.dash.charts). The specs read the same rows as the plotly figures: every label is the row's
text from the one figure model, ticks are read the language's way (万 in Chinese), a missing year
is a 无数据 mark and never a zero-height bar, and campaign figures are hollow, dashed bars (or open
diamonds) beside the full-year series. Text from data stays data: Vega draws it as text, never as
markup. The charts are drawn as SVG, in the CJK font, with nothing fetched from outside."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from lib.core.i18n import t
from lib.core.numbers import format_number
from lib.core.vocab import CJK_FONT
from lib.dash.charts import (
    COMPLETION_CAP,
    PALETTE,
    STATUS_COLORS,
    STATUS_ORDER,
    completion_range,
    nice_ticks,
    wrap_lines,
)
from lib.dash.targets import TargetRow
from lib.dash.yoy import QuarterRow, YoyRow

GREY = "#6B7280"
LINE_BREAK = "\n"  # legend labels from data are cut into lines at this character


def base_spec(title: str, height: int) -> dict:
    """What every dashboard chart shares: SVG, the CJK font, the title on the left, a legend
    below, the width of its column."""
    font = {"labelFont": CJK_FONT, "titleFont": CJK_FONT}
    return {
        "usermeta": {"embedOptions": {"renderer": "svg"}},
        "width": "container",
        "height": height,
        "title": {"text": title, "anchor": "start", "fontSize": 15, "font": CJK_FONT},
        "config": {
            "font": CJK_FONT,
            "axis": {**font, "labelFontSize": 12, "titleFontSize": 12, "grid": True},
            "legend": {
                **font,
                "orient": "bottom",
                "direction": "vertical",
                "labelFontSize": 12,
                "labelLimit": 0,
                "title": None,
                "labelExpr": f"split(datum.label, {json.dumps(LINE_BREAK)})",
            },
            "text": {"font": CJK_FONT},
            "view": {"stroke": None},
        },
    }


def tick_axis(
    values: Sequence[float | None], lang: str, scale: int = 1
) -> tuple[list[float], dict]:
    """A value axis from zero with round ticks read the language's way, in the numbers the
    labels read (value × scale: 万元 in yuan in English): (domain, axis)."""
    known = [v * scale for v in values if v is not None]
    shown = nice_ticks(max(known) if known else 1.0)
    ticks = [v / scale for v in shown]
    texts = [format_number(v, "exact", lang) for v in shown]
    label = f"{json.dumps(texts)}[indexof({json.dumps(ticks)}, datum.value)]"
    axis = {"values": ticks, "labelExpr": label, "title": None}
    return [0.0, ticks[-1] * 1.05], axis


def legend_label(text: str) -> str:
    """A legend entry from data, cut into lines for a phone's width (Vega draws each line)."""
    return LINE_BREAK.join(wrap_lines(text))


def gap_text(lang: str) -> str:
    """The 无数据 mark of a missing year, standing in a bar's slot: in Chinese one character per
    line (two orgs' marks side by side never run into each other), in English turned upright."""
    label = t("common.no_data", lang)
    return LINE_BREAK.join(label) if lang == "zh" else label


def _tooltip(lang: str) -> list[dict]:
    """The hover box of a year: org, year, value as shown, period, 同比."""
    return [
        {"field": "org", "title": t("col.org", lang)},
        {"field": "year", "title": t("col.year", lang)},
        {"field": "text", "title": t("col.value", lang)},
        {"field": "period", "title": t("col.period", lang)},
        {"field": "yoy", "title": t("col.yoy", lang)},
    ]


def _record(row: YoyRow, series: str, kind: str, segment: int = 0) -> dict:
    """One drawn point of the year-over-year chart."""
    return {
        "year": str(row.year),
        "series": series,
        "kind": kind,
        "segment": f"{series}|{segment}",
        "value": row.value,
        "text": row.value_text,
        "org": row.org_name,
        "period": row.period_name,
        "yoy": row.yoy_text,
    }


def _series_records(
    rows: list[YoyRow], years: list[int], lang: str
) -> tuple[list[dict], list[str], list[str]]:
    """The chart's records, and its series (full-year per org, then its campaigns) with colours."""
    records: list[dict] = []
    series: list[str] = []
    colors: list[str] = []
    for i, org in enumerate(dict.fromkeys(r.org for r in rows)):
        color = PALETTE[i % len(PALETTE)]
        mine = [r for r in rows if r.org == org]
        full = {r.year: r for r in mine if r.period == ""}
        name = legend_label(next(iter(full.values())).org_name if full else mine[0].org_name)
        series.append(name)
        colors.append(color)
        segment = 0
        for year in years:
            row = full.get(year)
            if row is None or row.value is None:
                segment += 1
                if not any(r.year == year and r.value is not None for r in mine):
                    gap = {"year": str(year), "series": name, "kind": "gap", "value": 0}
                    records.append({**gap, "text": gap_text(lang)})
                continue
            records.append(_record(row, name, "full", segment))
        for period in sorted({r.period for r in mine if r.period}):
            sub = [r for r in mine if r.period == period and r.value is not None]
            if not sub:
                continue
            label = legend_label(f"{sub[0].org_name} · {sub[0].period_label}")
            series.append(label)
            colors.append(color)
            records += [_record(r, label, "campaign") for r in sub]
    return records, series, colors


def _yoy_layers(mode: str, lang: str) -> list[dict]:
    """The drawn layers: full-year bars (or lines that break at gaps), campaign bars (hollow,
    dashed) or diamonds, the value labels over bars, and the 无数据 marks at missing years."""
    full = {"filter": "datum.kind === 'full'"}
    campaign = {"filter": "datum.kind === 'campaign'"}
    tip = {"tooltip": _tooltip(lang)}
    if mode == "lines":
        return [
            {
                "transform": [full],
                "mark": {"type": "line", "strokeWidth": 3},
                "encoding": {"detail": {"field": "segment"}},
            },
            {
                "transform": [full],
                "mark": {"type": "point", "filled": True, "size": 70, "opacity": 1},
                "encoding": tip,
            },
            {
                "transform": [campaign],
                "mark": {"type": "point", "shape": "diamond", "size": 120, "strokeWidth": 2},
                "encoding": tip,
            },
        ]
    return [
        {"transform": [full], "mark": {"type": "bar"}, "encoding": tip},
        {
            "transform": [campaign],
            "mark": {"type": "bar", "filled": False, "strokeWidth": 2, "strokeDash": [4, 2]},
            "encoding": tip,
        },
        {
            "transform": [{"filter": "datum.kind !== 'gap'"}],
            "mark": {"type": "text", "baseline": "bottom", "dy": -3, "fontSize": 11},
            "encoding": {"text": {"field": "text"}, "color": {"value": "#1F2329"}},
        },
        {
            "transform": [{"filter": "datum.kind === 'gap'"}],
            "mark": {"type": "text", "fontSize": 11, "lineBreak": LINE_BREAK, "lineHeight": 12}
            | (
                {"baseline": "bottom", "dy": -3 - 24}
                if lang == "zh"
                else {"angle": 270, "align": "left", "baseline": "middle", "dx": 3}
            ),
            "encoding": {"text": {"field": "text"}, "color": {"value": GREY}},
        },
    ]


def yoy_spec(rows: list[YoyRow], mode: str, lang: str, title: str = "") -> dict:
    """One indicator's years per org as grouped bars or lines; missing years are gaps.

    The same reading as lib.dash.charts.yoy_figure: campaign-period figures get their own hollow
    bars / open diamonds so they never read as part of the full-year series."""
    years = sorted({r.year for r in rows})
    records, series, colors = _series_records(rows, years, lang)
    unit = rows[0].unit if rows else ""
    heading = (
        f"{title}（{unit}）" if unit and lang == "zh" else f"{title} ({unit})" if unit else title
    )
    domain, axis = tick_axis([r.value for r in rows], lang, rows[0].scale if rows else 1)
    span = [str(y) for y in years]  # every year of the span on the axis, with figures or not
    x = {"field": "year", "type": "ordinal", "sort": span, "scale": {"domain": span}}
    encoding: dict = {
        "x": {**x, "title": None, "axis": {"labelAngle": 0, "grid": False}},
        "y": {"field": "value", "type": "quantitative", "scale": {"domain": domain}, "axis": axis},
        "color": {"field": "series", "scale": {"domain": series, "range": colors}},
    }
    layers = _yoy_layers(mode, lang)
    if mode != "lines":  # bars side by side per year, each org's and campaign's in its own slot
        for layer in layers:
            layer.setdefault("encoding", {})["xOffset"] = {"field": "series", "sort": series}
    spec = base_spec(heading, 300)
    spec.update({"data": {"values": records}, "encoding": encoding, "layer": layers})
    return spec


def quarterly_spec(rows: list[QuarterRow], lang: str, title: str = "") -> dict:
    """Quarterly values as bars with the running cumulative (累计) as a line."""
    bar_name, line_name = t("yoy.quarter_trace", lang), t("yoy.cumulative_trace", lang)
    records = []
    for r in rows:
        quarter = t("period.quarter", lang, y=r.year, q=r.quarter)
        records.append({"x": quarter, "series": bar_name, "value": r.value, "text": r.value_text})
        records.append(
            {"x": quarter, "series": line_name, "value": r.cumulative, "text": r.cumulative_text}
        )
    values = [r.value for r in rows] + [r.cumulative for r in rows]
    domain, axis = tick_axis(values, lang, rows[0].scale if rows else 1)
    quarters = list(dict.fromkeys(rec["x"] for rec in records))
    encoding = {
        "x": {
            "field": "x",
            "type": "ordinal",
            "sort": quarters,
            "title": None,
            "axis": {"labelAngle": 0, "grid": False},
        },
        "y": {"field": "value", "type": "quantitative", "scale": {"domain": domain}, "axis": axis},
        "color": {
            "field": "series",
            "scale": {"domain": [bar_name, line_name], "range": [PALETTE[1], PALETTE[0]]},
        },
        "tooltip": [{"field": "x", "title": ""}, {"field": "text", "title": bar_name}],
    }
    line = {"filter": f"datum.series === {json.dumps(line_name)}"}
    layers = [
        {"transform": [{"filter": f"datum.series === {json.dumps(bar_name)}"}], "mark": "bar"},
        {"transform": [line], "mark": {"type": "line", "strokeWidth": 3, "point": True}},
    ]
    spec = base_spec(title, 260)
    spec.update({"data": {"values": records}, "encoding": encoding, "layer": layers})
    return spec


def _completion_records(rows: Sequence[TargetRow]) -> list[dict]:
    """One record per target: the bar's length (capped), its label (the real 完成率 as the figure
    model reads it, ≥ or ≈ kept, or the status where there is no actual) and the hover box's
    texts."""
    records = []
    for i, r in enumerate(rows):
        pct = None if r.completion is None else r.completion * 100
        records.append(
            {
                "row": i,
                "name": r.name,
                "pct": None if pct is None else min(pct, COMPLETION_CAP),
                "label": r.completion_text if pct is not None else r.status_text,
                "status": r.status_text,
                "target": r.target_text,
                "actual": r.actual_text,
            }
        )
    return records


def _completion_encoding(rows: Sequence[TargetRow], lang: str) -> dict:
    """The bars' channels: a row per target named on the axis, 完成率 along, colour by status."""
    statuses = [*STATUS_ORDER, *sorted({r.status for r in rows} - set(STATUS_ORDER))]
    shown = [s for s in statuses if any(r.status == s for r in rows)]
    status_text = {r.status: r.status_text for r in rows}
    names = json.dumps([r.name for r in rows])
    pcts = [None if r.completion is None else r.completion * 100 for r in rows]
    return {
        "y": {
            "field": "row",
            "type": "ordinal",
            "title": None,
            "axis": {"labelExpr": f"{names}[datum.value]", "labelLimit": 260, "grid": False},
        },
        "x": {
            "field": "pct",
            "type": "quantitative",
            "scale": {"domain": completion_range(pcts)},
            "axis": {"labelExpr": "datum.value + '%'"},
            "title": t("chart.completion", lang),
        },
        "color": {
            "field": "status",
            "scale": {
                "domain": [status_text[s] for s in shown],
                "range": [STATUS_COLORS.get(s, "#9E9E9E") for s in shown],
            },
        },
        "tooltip": [
            {"field": "name", "title": t("col.indicator", lang)},
            {"field": "target", "title": t("col.target", lang)},
            {"field": "actual", "title": t("col.actual", lang)},
            {"field": "status", "title": t("col.status", lang)},
        ],
    }


def completion_spec(rows: Sequence[TargetRow], lang: str) -> dict:
    """完成率 as horizontal bars coloured by status, one legend entry per status shown, the 100 %
    line labelled, the axis just past the longest bar; no bar where there is no actual."""
    bars = _completion_encoding(rows, lang)
    y, x = bars["y"], bars["x"]
    rule: dict[str, Any] = {
        "data": {"values": [{"x": 100}]},
        "encoding": {"x": {"field": "x", "type": "quantitative"}},
    }
    layers = [
        {"mark": "bar", "encoding": bars},
        {
            "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 11},
            "encoding": {
                "y": y,
                "x": {**x, "field": "pct_or_zero"},
                "text": {"field": "label"},
                "color": {"value": "#1F2329"},
            },
            "transform": [{"calculate": "datum.pct === null ? 0 : datum.pct", "as": "pct_or_zero"}],
        },
        {**rule, "mark": {"type": "rule", "strokeDash": [5, 4], "color": GREY}},
        {
            **rule,
            "mark": {
                "type": "text",
                "y": -6,
                "fontSize": 11,
                "color": "#4B5563",
                "align": "center",
            },
            "encoding": {**rule["encoding"], "text": {"value": t("chart.target_line", lang)}},
        },
    ]
    spec = base_spec("", 100 + 36 * len(rows))  # fit: axis, legend and 100 % label included
    spec.pop("title")
    spec.update({"data": {"values": _completion_records(rows)}, "layer": layers})
    return spec
