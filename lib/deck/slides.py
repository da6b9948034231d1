"""The slide sequence of presenter mode and the meeting pack, as plain data (no streamlit).

This module owns (the payload and its lookups, Facts, are in lib.deck.payload):

* :func:`build_slides`: title, summary, headline figures with 同比, one slide per category with
  its chart (split when long), targets and 完成率, the station map, next year's plan targets —
  each slide with its source footnote and the 数据截至 stamp. A category's bars come in one panel
  per unit (:meth:`Chart.bar_panels`), so 家 and 人次 never share a scale; a figure with no
  same-unit partner to compare with is left to the slide's table rather than drawn as a lone bar;
* :func:`chart_figure`: the plotly figure of a slide chart (presenter view and PNG export), one
  subplot per unit panel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lib.core import metrics
from lib.core.catalog import CATEGORIES, category_name, station_type_name
from lib.core.figures import (
    TO_DATE,
    YEAR,
    Figure,
    basis_text,
    ratio_text,
    status_text,
)
from lib.core.i18n import t
from lib.core.numbers import format_pct
from lib.core.vocab import CJK_FONT
from lib.deck.payload import Facts, format_as_of

CHUNK = 8  # indicators per category slide (readable from the back of the room at 720p)
TARGET_CHUNK = 10  # target rows per slide
MIN_HEADLINE = 4  # pad the headline slide with other figures up to this many cards
PREV_COLOR, CURRENT_COLOR = (
    "#76808C",
    "#C8102E",
)  # last year grey, this year red (≥ 3:1 both themes)
SUB_COLORS = ("#C25E00", "#4E79A7", "#59A14F")  # sub-periods (campaigns), ≥ 3:1 both themes

# ---------------------------------------------------------------------------------------------
# Slides
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """A headline figure: label, value as shown, and its 同比 (or why there is none)."""

    indicator: str
    label: str
    value: float | None
    shown: str
    change: str
    comparable: bool
    note: str
    source: str
    trend: str = ""  # "up" / "down" / "flat" when comparable, else ""


def trend_of(change: metrics.Change) -> str:
    """Which way a comparable change goes ("" when not comparable)."""
    if not change.comparable or change.delta is None:
        return ""
    return "up" if change.delta > 0 else "down" if change.delta < 0 else "flat"


def trend_legend(cards: list[Card], lang: str) -> list[str]:
    """The colour legend of the headline changes (红涨绿跌 in zh by default; see settings)."""
    from lib.core.settings import up_color

    if not any(c.trend in ("up", "down") for c in cards):
        return []
    return [t(f"present.legend.{up_color(lang)}_up", lang)]


@dataclass(frozen=True)
class Series:
    """One chart series: name and one value per category (None = no figure, never zero)."""

    name: str
    values: tuple[float | None, ...]
    labels: tuple[str, ...]
    color: str = "#C8102E"


@dataclass(frozen=True)
class Chart:
    """A slide chart: clustered bars (categories × series) or an x/y scatter (the station map).

    Bars of different units never share a scale: a bar chart whose figures come in several units
    carries one panel per unit (small multiples, each with its own scale and a unit heading);
    renderers draw :meth:`bar_panels`. ``categories``/``series`` stay the whole chart, in panel
    order, for the table-like readers (tests, snapshots).
    """

    kind: str  # "bar" | "scatter"
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    points: tuple[tuple[str, tuple[tuple[float, float], ...]], ...] = ()
    colors: tuple[str, ...] = ()
    units: tuple[str, ...] = ()  # the unit (unit_zh) of each category's figures
    unit: str = ""  # a panel's heading: the unit all its bars share ("单位：家")
    panels: tuple[Chart, ...] = ()

    def bar_panels(self) -> tuple[Chart, ...]:
        """The panels to draw: one per unit, or the chart itself when it has one unit."""
        return self.panels or (self,)


@dataclass(frozen=True)
class Table:
    """A table: header and rows of display strings."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass
class Slide:
    """One slide: what it shows and where its figures come from."""

    kind: str  # title | summary | headline | category | targets | map | plan
    title: str
    subtitle: str = ""
    cards: list[Card] = field(default_factory=list)
    chart: Chart | None = None
    table: Table | None = None
    paragraphs: list[str] = field(default_factory=list)
    org: str = ""  # the org code (the map slide outlines its district)
    stations: list[dict[str, Any]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    source_line: str = ""
    stamp: str = ""
    tag: str = ""  # snapshot name tag, "" for live figures

    @property
    def footnote(self) -> str:
        """The footnote line: sources, then the 数据截至 stamp (and the snapshot's name)."""
        parts = [self.source_line, self.stamp]
        if self.tag:
            parts.append(self.tag)
        return "  |  ".join(p for p in parts if p)


def _card(facts: Facts, fig: Figure, lang: str) -> Card:
    """A card of a figure with its 同比 (the period named unless it is the full year)."""
    change = facts.yoy(fig.indicator, fig.year, fig.period)
    return Card(
        fig.indicator,
        facts.name(fig.indicator, lang),
        fig.value,
        facts.shown(fig, lang),
        facts.change(fig.indicator, fig.year, fig.period, lang),
        change.comparable,
        "" if fig.period.is_year else fig.period.label(lang),
        fig.source,
        trend_of(change),
    )


def headline_figures(facts: Facts, year: int) -> list[Figure]:
    """The headline figures of a year: the configured ones with a figure, padded from the rest."""
    have = facts.annual_codes(year)
    codes = [c for c in facts.payload["headline"] if c in have]
    for code in have:
        if len(codes) >= MIN_HEADLINE:
            break
        if code not in codes:
            codes.append(code)
    return [f for c in codes if (f := facts.annual(c, year)) is not None]


def _chunks(items: list, size: int) -> list[list]:
    """Split a list into the fewest runs of at most size, as even as possible."""
    if not items:
        return [[]]
    parts = -(-len(items) // size)
    base, extra = divmod(len(items), parts)
    out, start = [], 0
    for n in range(parts):
        end = start + base + (1 if n < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def _unit_heading(facts: Facts, codes: list[str], lang: str) -> str:
    """The heading of a panel of same-unit bars: '单位：家', 'Unit: units / sites'."""
    if lang == "zh":
        unit = facts.ind[codes[0]]["unit_zh"]
    else:
        names = [facts.ind[c]["unit_en"] or facts.ind[c]["unit_zh"] for c in codes]
        unit = " / ".join(dict.fromkeys(names))
    return t("present.unit", lang, unit=unit)


def by_unit(facts: Facts, codes: list[str]) -> list[list[str]]:
    """Indicators grouped by unit (units in first-seen order, catalogue order within a unit)."""
    groups: dict[str, list[str]] = {}
    for code in codes:
        groups.setdefault(facts.ind[code]["unit_zh"], []).append(code)
    return list(groups.values())


def _bars(facts: Facts, codes: list[str], title: str, lang: str, unit: str = "") -> Chart:
    """Bars of some indicators: last year, this year and each other period, per indicator. A
    figure of quarters to date stands beside last year's same quarters, never beside last year's
    full year (an indicator with only quarters to date this year gets no full-year bar)."""
    year = facts.year

    def prev_full(c: str) -> Figure | None:
        """Last year's full year, where this year has one or no figure of quarters to date."""
        to_date_only = facts.annual(c, year) is None and any(
            p.kind == TO_DATE and facts.sub(c, year, p) for p in facts.sub_periods(year)
        )
        return None if to_date_only else facts.annual(c, year - 1)

    periods: list[tuple[str, str, Any]] = [
        (t("present.full_year", lang, year=year - 1), PREV_COLOR, prev_full),
        (t("present.full_year", lang, year=year), CURRENT_COLOR, lambda c: facts.annual(c, year)),
    ]
    for n, period in enumerate(facts.sub_periods(year)):
        color = SUB_COLORS[n % len(SUB_COLORS)]
        if period.kind == TO_DATE:
            label = f"{t('present.full_year', lang, year=year - 1)}{period.label(lang)}"
            periods.append(
                (
                    label,
                    PREV_COLOR,
                    lambda c, p=period: (
                        facts.last_year(c, year, p) if facts.sub(c, year, p) else None
                    ),
                )
            )
            label = f"{t('present.full_year', lang, year=year)}{period.label(lang)}"
        else:
            label = period.label(lang)
        periods.append((label, color, lambda c, p=period: facts.sub(c, year, p)))
    series = []
    for name, color, get in periods:
        figs = [get(c) for c in codes]
        if all(f is None for f in figs):
            continue
        values = tuple(f.value if f else None for f in figs)
        labels = tuple(facts.shown(f, lang) if f else "" for f in figs)
        series.append(Series(name, values, labels, color))
    names = tuple(facts.name(c, lang) for c in codes)
    units = tuple(facts.ind[c]["unit_zh"] for c in codes)
    return Chart("bar", title, names, tuple(series), units=units, unit=unit)


def _category_chart(facts: Facts, codes: list[str], title: str, lang: str) -> Chart | None:
    """A category's bars, one panel per unit, so a chair never compares 家 with 人次 on one scale.

    A bar is drawn only beside another of the same unit (two indicators, or one indicator in two
    periods): a lone bar on a scale of its own would look as long as any other lone bar. Those
    figures are in the slide's table; a slide with no comparison to draw has no chart (None).
    """
    charted: list[str] = []
    panels: list[Chart] = []
    for group in by_unit(facts, codes):
        panel = _bars(facts, group, title, lang, _unit_heading(facts, group, lang))
        if sum(v is not None for s in panel.series for v in s.values) >= 2:
            charted += group
            panels.append(panel)
    if len(panels) <= 1:
        return panels[0] if panels else None
    whole = _bars(facts, charted, title, lang)
    return Chart(
        "bar", title, whole.categories, whole.series, units=whole.units, panels=tuple(panels)
    )


def _category_table(facts: Facts, codes: list[str], lang: str) -> tuple[Table, list[str]]:
    """The rows of a category slide: indicator, this year, last year, 同比; and sources cited.
    With no last-year figure on the slide the last two columns would say nothing: left out."""
    year = facts.year
    with_prev = any(
        facts.last_year(c, year, p) is not None
        for c in codes
        for p in [YEAR, *facts.sub_periods(year)]
        if p.is_year or facts.sub(c, year, p) is not None
    )
    header = (
        t("present.col.indicator", lang),
        t("present.col.value", lang, year=year),
        t("present.col.value", lang, year=year - 1),
        t("present.col.change", lang),
    )
    rows, sources = [], []
    for code in codes:
        cur, prev = facts.annual(code, year), facts.annual(code, year - 1)
        if cur is not None:
            rows.append(
                (
                    facts.name(code, lang),
                    facts.shown(cur, lang),
                    facts.shown(prev, lang) if prev else "—",
                    facts.change(code, year, YEAR, lang),
                )
            )
            sources += [s for f in (cur, prev) if f for s in f.sources]
        for period in facts.sub_periods(year):
            sub = facts.sub(code, year, period)
            if sub is not None:
                base = facts.last_year(code, year, period)
                rows.append(
                    (
                        f"{facts.name(code, lang)}（{period.label(lang)}）",
                        facts.shown(sub, lang),
                        facts.shown(base, lang),
                        facts.change(code, year, period, lang),
                    )
                )
                sources += [s for f in (sub, base) if f for s in f.sources]
        if cur is None and prev is not None:
            sources.append(prev.source)
    if not with_prev:
        header, rows = header[:2], [r[:2] for r in rows]
    return Table(header, tuple(rows)), sources


def _category_cards(facts: Facts, codes: list[str], lang: str) -> list[Card]:
    """The figures of a category slide as cards: full-year ones with 同比, then sub-periods."""
    year, cards = facts.year, []
    for code in codes:
        cur = facts.annual(code, year)
        if cur is not None:
            cards.append(_card(facts, cur, lang))
        for period in facts.sub_periods(year):
            sub = facts.sub(code, year, period)
            if sub is not None:
                cards.append(_card(facts, sub, lang))
    return cards


def _target_rows(facts: Facts, recs: list[dict[str, Any]], lang: str, progress: bool) -> Table:
    """A targets table: indicator, target, (actual, 完成率, status), plan."""
    header = [t("present.col.indicator", lang), t("present.col.target", lang)]
    if progress:
        header += [
            t("present.col.actual", lang),
            t("present.col.period", lang),
            t("present.col.completion", lang),
            t("present.col.status", lang),
        ]
    header.append(t("present.col.plan", lang))
    rows = []
    for rec in recs:
        code = rec["indicator"]
        target = f"{rec['comparator'].replace('>=', '≥').replace('<=', '≤')} " + facts.shown_value(
            code, rec["value"], rec["qualifier"], lang
        )
        row = [facts.name(code, lang), target]
        if progress:
            j = facts.judgement(rec)
            row += [
                facts.shown(j.actual, lang),
                basis_text(j, lang, rec["base_year"]) or "—",
                ratio_text(j, lang),
                status_text(j.status, lang),
            ]
        plan = rec["plan_zh"] if lang == "zh" else (rec["plan_en"] or rec["plan_zh"])
        row.append(plan)
        rows.append(tuple(row))
    return Table(tuple(header), tuple(rows))


def _completion_chart(facts: Facts, recs: list[dict[str, Any]], title: str, lang: str) -> Chart:
    """完成率 in % per target (None where there is no actual figure)."""
    values, labels = [], []
    for rec in recs:
        ratio = facts.judgement(rec).ratio
        values.append(round(ratio * 100, 1) if ratio is not None else None)
        labels.append(format_pct(ratio * 100 if ratio is not None else None, lang))
    series = Series(t("present.series.completion", lang), tuple(values), tuple(labels))
    names = tuple(facts.name(r["indicator"], lang) for r in recs)
    return Chart("bar", title, names, (series,), units=("%",) * len(names))


def _map_slide(facts: Facts, title: str, lang: str) -> Slide:
    """The station map slide: the stations open by the end of the year (and the undated ones,
    counted as such), points, counts per type, a scatter chart for the pack."""
    from lib.core.catalog import STATION_TYPES

    year = facts.year
    stations = [
        s for s in facts.payload["stations"] if s["opened_year"] is None or s["opened_year"] <= year
    ]
    undated = sum(1 for s in stations if s["opened_year"] is None)
    by_type: dict[str, list[dict[str, Any]]] = {}
    for s in stations:
        by_type.setdefault(s["type"], []).append(s)
    order = [c for c in STATION_TYPES if c in by_type] + sorted(
        c for c in by_type if c not in STATION_TYPES
    )
    table = Table(
        (t("present.col.type", lang), t("present.col.count", lang)),
        tuple((station_type_name(c, lang), str(len(by_type[c]))) for c in order),
    )
    points = tuple(
        (station_type_name(c, lang), tuple((s["lon"], s["lat"]) for s in by_type[c])) for c in order
    )
    colors = tuple(
        "#{:02x}{:02x}{:02x}".format(*STATION_TYPES[c].color) if c in STATION_TYPES else "#808080"
        for c in order
    )
    chart = Chart("scatter", title, (), (), points, colors) if stations else None
    paragraphs = [t("present.stations_total", lang, n=len(stations), year=year)] if stations else []
    if undated:
        paragraphs.append(t("present.stations_undated", lang, n=undated))
    totals = [r for r in facts.payload.get("station_totals", []) if r["indicator"] in facts.ind]
    reported = [
        t(
            "present.reported_item",
            lang,
            name=facts.name(r["indicator"], lang),
            value=facts.shown_value(r["indicator"], r["value"], r["qualifier"], lang),
            year=r["year"],
        )
        for r in totals
    ]
    if stations and reported:
        sep = "；" if lang == "zh" else "; "
        paragraphs.append(t("present.reported", lang, reported=sep.join(reported)))
    if any(s["precision"] != "surveyed" for s in stations):
        paragraphs.append(t("present.approx", lang))
    if not stations:
        paragraphs = [t("present.no_stations", lang)]
    return Slide(
        "map",
        title,
        chart=chart,
        table=table if stations else None,
        paragraphs=paragraphs,
        stations=stations,
        org=facts.payload["org"]["code"],
        sources=[s["source"] for s in stations] + [r["source"] for r in totals],
    )


def build_slides(payload: dict[str, Any], lang: str = "zh") -> list[Slide]:
    """The slide sequence of a payload in a language, each with footnote and 数据截至 stamp."""
    from lib.deck.summary import summarize

    facts = Facts(payload)
    year, org = facts.year, facts.org_name(lang)
    slides: list[Slide] = []
    all_sources = list(payload["sources"])
    slides.append(
        Slide(
            "title",
            org,
            subtitle=t("present.slide.title", lang, year=year),
            paragraphs=[t("present.slide.title_sub", lang)],
            sources=all_sources,
        )
    )
    sentences = summarize(payload, lang, facts)
    slides.append(
        Slide(
            "summary",
            t("present.slide.summary", lang),
            paragraphs=[s.text for s in sentences],
            sources=[r.source for s in sentences for r in s.refs],
        )
    )
    cards = [_card(facts, f, lang) for f in headline_figures(facts, year)]
    codes = facts.year_codes(year)
    prev_sources = [
        p.source for c in cards if (p := facts.annual(c.indicator, year - 1)) is not None
    ]
    slides.append(
        Slide(
            "headline",
            t("present.slide.headline", lang),
            subtitle=t("present.full_year", lang, year=year),
            cards=cards,
            paragraphs=trend_legend(cards, lang)
            if cards
            else [t("present.no_full_year" if codes else "present.no_figures", lang)],
            sources=[c.source for c in cards] + prev_sources,
        )
    )
    for cat in CATEGORIES:
        in_cat = [c for c in codes if facts.ind[c]["category"] == cat]
        if not in_cat:
            continue
        in_cat = [c for group in by_unit(facts, in_cat) for c in group]  # same units together
        for n, chunk in enumerate(_chunks(in_cat, CHUNK)):
            key = "present.slide.category" if n == 0 else "present.slide.category_more"
            title = t(key, lang, category=category_name(cat, lang))
            table, sources = _category_table(facts, chunk, lang)
            no_prev = len(table.header) == 2
            slides.append(
                Slide(
                    "category",
                    title,
                    subtitle=t("present.full_year", lang, year=year),
                    chart=_category_chart(facts, chunk, title, lang),
                    table=table,
                    cards=_category_cards(facts, chunk, lang),
                    paragraphs=[t("present.no_previous_year", lang, year=year - 1)]
                    if no_prev
                    else [],
                    sources=sources,
                )
            )
    due = facts.targets_due(year)
    for chunk in _chunks(due, TARGET_CHUNK):
        title = t("present.slide.targets", lang, year=year)
        judged = [facts.judgement(r) for r in chunk]
        has_values = any(j.ratio is not None for j in judged)
        slides.append(
            Slide(
                "targets",
                title,
                table=_target_rows(facts, chunk, lang, progress=True) if chunk else None,
                chart=_completion_chart(facts, chunk, title, lang) if has_values else None,
                paragraphs=[] if chunk else [t("present.no_targets", lang)],
                sources=[r["source"] for r in chunk]
                + [s for j in judged if j.actual for s in j.actual.sources],
            )
        )
    slides.append(_map_slide(facts, t("present.slide.map", lang), lang))
    plan = facts.plan_targets(year + 1)
    slides.append(
        Slide(
            "plan",
            t("present.slide.plan", lang, year=year + 1),
            table=_target_rows(facts, plan, lang, progress=False) if plan else None,
            paragraphs=[] if plan else [t("present.no_plan", lang, year=year + 1)],
            sources=[r["source"] for r in plan],
        )
    )
    stamp = t("present.as_of", lang, when=format_as_of(payload["as_of"], lang))
    snap = payload.get("snapshot")
    tag = t("present.snapshot_tag", lang, name=snap["name"]) if snap else ""
    for slide in slides:
        slide.sources = list(dict.fromkeys(slide.sources))
        slide.source_line = facts.source_line(slide.sources, lang)
        slide.stamp = stamp
        slide.tag = tag
    return slides


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------

THEMES = {
    "light": {"bg": "#FFFFFF", "fg": "#1F2329", "grid": "#E5E7EB"},
    "dark": {"bg": "#111418", "fg": "#F2F4F7", "grid": "#2B3038"},
}


def _panel_rows(panel: Chart) -> int:
    """How many bar rows a panel needs (indicators × the periods it shows)."""
    return max(1, len(panel.categories)) * max(1, len(panel.series))


def _bar_layout(chart: Chart, font_size: int, height: int) -> tuple[list[dict], dict]:
    """Traces and layout of bars in one panel per unit: each panel its own x axis (own scale,
    room for the labels, no numeric ticks) and y band, headed by its unit; one legend on top.
    The first heading sits in the top margin, the others in the gaps between panels."""
    panels = chart.bar_panels()
    headed = any(p.unit for p in panels)
    top_margin = round(font_size * (3.2 if headed else 2.2))
    plot = max(120, height - top_margin - 10)  # px of the plot area
    gap = ((font_size * 1.7 if headed else 0) + 14) / plot  # paper fraction between panels
    gap = min(gap, 0.5 / max(1, len(panels) - 1))
    weights = [_panel_rows(p) for p in panels]
    scale = (1 - gap * (len(panels) - 1)) / sum(weights)
    data: list[dict] = []
    layout: dict[str, Any] = {"annotations": []}
    shown: set[str] = set()
    hi = 1.0
    for n, (panel, weight) in enumerate(zip(panels, weights, strict=True), start=1):
        lo = max(0.0, hi - weight * scale)
        band = hi
        suffix = "" if n == 1 else str(n)
        top = max((v for s in panel.series for v in s.values if v is not None), default=0)
        layout[f"xaxis{suffix}"] = {
            "domain": [0, 1],
            "anchor": f"y{suffix}",
            "range": [0, (top or 1) * 1.45],  # room right of the longest bar for its label
            "showticklabels": False,
            "showgrid": False,
            "zeroline": False,
        }
        layout[f"yaxis{suffix}"] = {
            "domain": [lo, band],
            "anchor": f"x{suffix}",
            "autorange": "reversed",
            "automargin": True,
            "showgrid": False,
        }
        if panel.unit:
            layout["annotations"].append(
                {
                    "text": panel.unit,
                    "x": 0,
                    "xref": "paper",
                    "xanchor": "left",
                    "y": band,
                    "yref": "paper",
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": round(font_size * 0.85)},
                }
            )
        for s in panel.series:
            data.append(
                {
                    "type": "bar",
                    "orientation": "h",
                    "xaxis": f"x{suffix}",
                    "yaxis": f"y{suffix}",
                    "y": list(panel.categories),
                    "x": list(s.values),
                    "name": s.name,
                    "legendgroup": s.name,
                    "showlegend": s.name not in shown,
                    "text": list(s.labels),
                    "textposition": "outside",
                    "cliponaxis": False,
                    "constraintext": "none",  # every label at the same size
                    "marker": {"color": s.color},
                }
            )
            shown.add(s.name)
        hi = lo - gap
    # the legend at the very top, the first unit heading under it, then the bars
    layout["legend"] = {"orientation": "h", "x": 0, "yref": "container", "y": 1, "yanchor": "top"}
    layout["margin"] = {"l": 10, "r": 20, "b": 10, "t": top_margin}
    layout["barmode"] = "group"
    return data, layout


def chart_figure(chart: Chart, theme: str = "light", font_size: int = 18, height: int = 560) -> Any:
    """The plotly figure of a slide chart: horizontal clustered bars in one panel per unit (each
    on its own scale, headed by its unit, bars labelled with their Chinese-style values), or a
    lon/lat scatter. height (px) is what the figure will be drawn at, for the panel spacing."""
    import plotly.graph_objects as go

    colors = THEMES.get(theme, THEMES["light"])
    theme_layout = {
        "paper_bgcolor": colors["bg"],
        "plot_bgcolor": colors["bg"],
        "font": {"family": CJK_FONT, "size": font_size, "color": colors["fg"]},
    }
    if chart.kind != "scatter":
        data, layout = _bar_layout(chart, font_size, height)
        return go.Figure(data=data, layout=layout | theme_layout)
    fig = go.Figure()
    for (name, pts), color in zip(chart.points, chart.colors, strict=False):
        fig.add_trace(
            go.Scatter(
                x=[p[0] for p in pts],
                y=[p[1] for p in pts],
                mode="markers",
                name=name,
                marker={"size": 16, "color": color, "line": {"width": 1, "color": "#FFF"}},
            )
        )
    fig.update_layout(
        theme_layout,
        legend={"orientation": "h", "x": 0, "yanchor": "bottom", "y": 1.02},
        margin={"l": 10, "r": 20, "b": 10, "t": 40},
        xaxis={"showticklabels": False, "gridcolor": colors["grid"], "zeroline": False},
        yaxis={
            "scaleanchor": "x",
            "scaleratio": 1.3,
            "showticklabels": False,
            "gridcolor": colors["grid"],
            "zeroline": False,
        },
    )
    return fig
