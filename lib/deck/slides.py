"""The slide sequence of presenter mode and the meeting pack, as plain data (no streamlit).

* :func:`build_slides`: the deck of a joint meeting (联席会议) — cover → 汇报提纲 → 工作综述 →
  主要指标 → one section per category → 服务阵地分布 → 目标完成情况 → 历年对比 → 兄弟单位对比 →
  存在的问题和不足 → 下一步工作打算 (with next year's plan targets) → 提请协调解决的事项 →
  closing; a section with nothing to show is left out, never an empty slide. The presenter's
  texts, order and hidden slides (lib.deck.model.DeckPlan, in the payload under ``"deck"``)
  shape it, so the page, the PPTX and the PDF show the same deck. Every slide gets its source
  footnote and the 数据截至 stamp;
* :func:`chart_figure`: the plotly figure of a slide chart (presenter view and PNG export), one
  subplot per unit panel.

The slide model is in lib.deck.model (re-exported here for the renderers), the figure slides in
lib.deck.category, the later sections in lib.deck.sections, the frame and texts in
lib.deck.texts.
"""

from __future__ import annotations

from typing import Any

from lib.core.i18n import t
from lib.core.vocab import CJK_FONT
from lib.deck.category import category_slides, headline_slide
from lib.deck.model import (
    CURRENT_COLOR,
    PREV_COLOR,
    SUB_COLORS,
    Chart,
    DeckPlan,
    Series,
    Slide,
    SlideCard,
    Table,
)
from lib.deck.payload import Facts, format_as_of
from lib.deck.sections import history_slides, map_slide, peer_slides, plan_slide, target_slides
from lib.deck.summary import summarize
from lib.deck.texts import (
    TEXT_SECTIONS,
    agenda_slide,
    closing_slide,
    cover_slide,
    sources_slide,
    text_slide,
)

__all__ = [
    "CURRENT_COLOR",
    "PREV_COLOR",
    "SUB_COLORS",
    "THEMES",
    "SlideCard",
    "Chart",
    "DeckPlan",
    "Series",
    "Slide",
    "Table",
    "arrange",
    "build_slides",
    "chart_figure",
]

# ---------------------------------------------------------------------------------------------
# The deck
# ---------------------------------------------------------------------------------------------


def _summary_slide(payload: dict[str, Any], facts: Facts, lang: str) -> Slide | None:
    """工作综述: the written summary (lib.deck.summary); None when it says nothing."""
    sentences = summarize(payload, lang, facts)
    if not sentences:
        return None
    return Slide(
        "summary",
        t("present.slide.summary", lang),
        paragraphs=[s.text for s in sentences],
        sources=[r.source for s in sentences for r in s.refs],
        section="summary",
    )


def _sections(payload: dict[str, Any], facts: Facts, plan: DeckPlan, lang: str) -> list[Slide]:
    """Every slide with something to show, in the order of a 联席会议 report (the agenda a
    placeholder, filled once the order is known)."""
    texts = {s: text_slide(facts, plan, s, lang) for s in TEXT_SECTIONS}
    parts: list[Slide | None] = [
        cover_slide(facts, lang),
        Slide("summary", t("deck.slide.agenda", lang), section="agenda"),
        _summary_slide(payload, facts, lang),
        headline_slide(facts, lang),
        *category_slides(facts, lang),
        map_slide(facts, t("present.slide.map", lang), lang),
        *target_slides(facts, lang),
        *history_slides(facts, lang),
        *peer_slides(facts, lang),
        texts["problems"],
        texts["next_steps"],
        plan_slide(facts, lang),
        texts["coordination"],
        Slide("sources", t("deck.section.sources", lang), section="sources"),
        closing_slide(facts, lang),
    ]
    return [s for s in parts if s is not None]


def arrange(slides: list[Slide], order: list[str]) -> list[Slide]:
    """The slides in the presenter's order (by key; a slide the order does not know stays after
    the slide it follows in the natural order)."""
    by_key = {s.key: s for s in slides}
    keys = [k for k in dict.fromkeys(order) if k in by_key]
    for n, slide in enumerate(slides):
        if slide.key in keys:
            continue
        before = slides[n - 1].key if n else None
        keys.insert(keys.index(before) + 1 if before in keys else 0, slide.key)
    return [by_key[k] for k in keys]


def _footnotes(slides: list[Slide], facts: Facts, lang: str) -> None:
    """Give every slide its source line, 数据截至 stamp and snapshot tag."""
    payload = facts.payload
    stamp = t("present.as_of", lang, when=format_as_of(payload["as_of"], lang))
    snap = payload.get("snapshot")
    tag = t("present.snapshot_tag", lang, name=snap["name"]) if snap else ""
    for slide in slides:
        slide.sources = list(dict.fromkeys(slide.sources))
        slide.source_line = facts.source_line(slide.sources, lang) if slide.sources else ""
        if slide.section == "sources":  # its table is the list: the footnote need not repeat it
            slide.source_line = t("deck.sources.foot", lang)
        slide.stamp = stamp
        slide.tag = tag


def build_slides(payload: dict[str, Any], lang: str = "zh", every: bool = False) -> list[Slide]:
    """The deck of a payload in a language, in the presenter's order; hidden slides left out
    unless every (the presenter's slide list). Sections with nothing to show are never there."""
    facts = Facts(payload)
    plan = DeckPlan.of(payload.get("deck"))
    natural = _sections(payload, facts, plan, lang)
    ordered = arrange(natural, plan.order)
    shown = [s for s in ordered if s.key not in set(plan.hidden)]
    filled = {"agenda": agenda_slide(shown, lang), "sources": sources_slide(shown, facts, lang)}
    slides: list[Slide] = []
    for slide in ordered:
        made = filled.get(slide.section, slide)
        if made is not None:
            slides.append(made)
    if not every:
        slides = [s for s in slides if s.key not in set(plan.hidden)]
    _footnotes(slides, facts, lang)
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
