"""The KPI cards of the overview (lib.dash.cards.Card, lib.dash.overview.Headline) drawn with
st.metric: value in Chinese form, 同比 or 完成率 coloured by direction, a sparkline that breaks on
missing years, the source on hover; cards in a row of equal height, units never split from their
numbers."""

from __future__ import annotations

import base64

import streamlit as st

from lib.dash import charts
from lib.dash.cards import Card
from lib.dash.overview import Headline
from lib.ui.lang import literal, t

_TONE_TO_COLOR = {"good": "green", "bad": "red", "flat": "gray", "none": "gray"}


def svg_image(svg: str) -> str:
    """An <img> showing an SVG built from numbers only: st.html's sanitiser drops inline SVG but
    keeps an image, and st.image would put a fullscreen button on every card."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img alt="" src="data:image/svg+xml;base64,{data}" style="display:block;width:100%">'


def kpi_card(card: Card, key: str, show_period: bool = True, show_note: bool = True) -> None:
    """One KPI card: value in Chinese form, 同比 coloured by direction (or "—" and why), the
    statistical period when not a full year, a sparkline that breaks on missing years, and the
    source on hover of the "?". The period and the reason for a missing 同比 can be left out
    where the section heading or one line above the cards already says them. Cards in a row are
    of equal height."""
    with st.container(border=True, height="stretch", key=key):
        comparable = card.change != "—"
        arrow = "off"
        if comparable:
            arrow = "down" if card.change.lstrip("≥≤≈").startswith("-") else "up"
        show_delta = comparable or show_note
        st.metric(
            literal(card.name),
            card.value_text,
            delta=card.change if show_delta else None,
            delta_color=_TONE_TO_COLOR.get(card.tone, "gray"),  # type: ignore[arg-type]
            delta_arrow=arrow,  # type: ignore[arg-type]
            delta_description=(
                t("overview.yoy") if comparable and not card.note else literal(card.note)
            )
            if show_delta
            else None,
            help=card.source_help or None,  # markdown from cards.source_help, data escaped
        )
        if card.period and show_period:
            st.caption(literal(card.period))
        if any(v is not None for v in card.spark_values):
            # Inline SVG built from numbers only (lib.dash.charts.sparkline_svg): dozens of cards stay
            # light, where one plotly chart per card made the overview slow to draw (an SVG image).
            st.html(svg_image(charts.sparkline_svg(card.spark_years, card.spark_values)))


def headline_card(item: Headline, caption: str, key: str) -> None:
    """One headline figure (lib.dash.overview.Headline): value, its period, and its comparison:
    同比 with an arrow, the latest target's 完成率 with the target and status, or nothing."""
    card = item.card
    with st.container(border=True, height="stretch", key=key):
        arrow = "off"
        if item.kind == "yoy":
            arrow = "down" if item.delta.lstrip("≥≤≈").startswith("-") else "up"
        description = {"yoy": t("overview.yoy"), "target": item.detail, "absent": item.detail}.get(
            item.kind
        )
        if item.kind == "yoy" and card.note:
            description = card.note
        st.metric(
            literal(card.name),
            card.value_text,
            delta=item.delta or None,
            delta_color=_TONE_TO_COLOR.get(item.tone, "gray"),  # type: ignore[arg-type]
            delta_arrow=arrow,  # type: ignore[arg-type]
            delta_description=literal(description) if item.delta and description else None,
            help=card.source_help or None,  # markdown from cards.source_help, data escaped
        )
        st.caption(literal(caption))
        if any(v is not None for v in card.spark_values):
            st.html(svg_image(charts.sparkline_svg(card.spark_years, card.spark_values)))


_DASHBOARD_CSS = """
<style>
[data-testid="stMetric"] .stMarkdownEllipsis,
[data-testid="stMetric"] .stMarkdownEllipsis p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] div, [data-testid="stMetricValue"] p {
  font-size: clamp(1.1rem, 1.55vw, 1.45rem); line-height: 1.3; height: auto;
  white-space: nowrap !important; word-break: keep-all;  /* 46.9万余人次 never splits from 次 */
}
[data-testid="stMetricDeltaDescription"] { min-width: 0; flex: 1 1 auto; }
@media (max-width: 640px) {
  [data-testid="stMetricValue"], [data-testid="stMetricValue"] div, [data-testid="stMetricValue"] p {
    font-size: 1.6rem;
  }
}
</style>
"""


def dashboard_css() -> None:
    """Let KPI card values and labels wrap instead of being cut off (a fixed style block)."""
    st.html(_DASHBOARD_CSS)
