"""Plotly figures shared across sessions: building a figure validates every property (about a tenth
of a second each on this machine, several per YoY view), so a figure is built once per
distinct input (its rows: plain values from lib.dash.views, the chart mode, language and title)
and the same object is handed to every session; st.plotly_chart only reads it."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from lib.dash import charts
from lib.dash.yoy import QuarterRow, YoyRow


@st.cache_resource(show_spinner=False, max_entries=512)
def yoy_figure(rows: list[YoyRow], mode: str, lang: str, title: str = "") -> go.Figure:
    """lib.dash.charts.yoy_figure, shared by every session that shows the same rows."""
    return charts.yoy_figure(rows, mode, lang, title=title)


@st.cache_resource(show_spinner=False, max_entries=128)
def quarterly_figure(rows: list[QuarterRow], lang: str, title: str = "") -> go.Figure:
    """lib.dash.charts.quarterly_figure, shared by every session that shows the same rows."""
    return charts.quarterly_figure(rows, lang, title=title)
