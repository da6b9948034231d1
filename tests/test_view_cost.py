"""Tests that a new viewer costs a running server little: the YoY page's plotly figures are built
once and shared by every session that shows the same rows (lib.ui.chart_cache)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.dash import charts
from lib.ui import chart_cache

ROOT = Path(__file__).resolve().parent.parent


def test_a_second_session_of_the_same_yoy_view_builds_no_figure(
    seeded_copy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that a second viewer of /yoy?orgs=daxing&cat=welfare gets the charts the first
    viewer's run built, without building any figure again."""
    monkeypatch.setenv("KPI_ANONYMOUS_READ", "1")
    built: list[str] = []
    original = charts.yoy_figure

    def counting(rows: list[dict], mode: str, lang: str, title: str = "") -> object:
        """Count the figure being built, then build it."""
        built.append(title)
        return original(rows, mode, lang, title=title)

    monkeypatch.setattr(charts, "yoy_figure", counting)
    chart_cache.yoy_figure.clear()
    sessions = []
    for _ in range(2):
        at = AppTest.from_file(str(ROOT / "pages" / "yoy.py"), default_timeout=120)
        at.query_params["orgs"] = "daxing"
        at.query_params["cat"] = "welfare"
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        sessions.append((len(built), len(at.get("plotly_chart"))))
    (first_built, first_charts), (second_built, second_charts) = sessions
    assert first_charts == second_charts == first_built > 0
    assert second_built == first_built
