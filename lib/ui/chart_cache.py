"""Plotly figures shared across sessions: building a figure validates every property (about a tenth
of a second each on this machine, several per YoY view), so a figure is built once per
distinct input (its rows: plain values from lib.dash.views, the chart mode, language and title)
and the same object is handed to every session; st.plotly_chart only reads it. The rows
themselves are the key (lib.ui.shared: compared, not hashed by streamlit on every call)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple

import plotly.graph_objects as go

from lib.dash import charts
from lib.dash.targets import TargetRow
from lib.dash.yoy import QuarterRow, YoyRow
from lib.ui.shared import Shared

_FIGURES = Shared(max_entries=512)


def yoy_figure(rows: list[YoyRow], mode: str, lang: str, title: str = "") -> go.Figure:
    """lib.dash.charts.yoy_figure, shared by every session that shows the same rows."""
    key = ("yoy", tuple(rows), mode, lang, title)
    return _FIGURES.get(key, lambda: charts.yoy_figure(rows, mode, lang, title=title))


def quarterly_figure(rows: list[QuarterRow], lang: str, title: str = "") -> go.Figure:
    """lib.dash.charts.quarterly_figure, shared by every session that shows the same rows."""
    key = ("quarterly", tuple(rows), lang, title)
    return _FIGURES.get(key, lambda: charts.quarterly_figure(rows, lang, title=title))


def completion_figure(rows: Sequence[TargetRow], lang: str) -> go.Figure:
    """lib.dash.charts.completion_figure, shared by every session that shows the same targets
    (the rows' values are the key: a target row is a plain, unfrozen record)."""
    key = ("completion", tuple(astuple(r) for r in rows), lang)
    return _FIGURES.get(key, lambda: charts.completion_figure(rows, lang))


def clear() -> None:
    """Forget every shared figure (the next view builds its figures again)."""
    _FIGURES.clear()
