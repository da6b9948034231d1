"""Tests that a new viewer costs a running server little: the YoY and targets pages draw Vega-Lite
specs and build no plotly figure (one is built for a PNG download only, lib.ui.chart_cache), the
target rows are built once and shared by every session that shows the same rows (lib.ui.shared),
and a data change still shows on the next run."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.dash import charts, targets
from lib.ui import chart_cache
from tests.test_pages_dashboards import add_target

ROOT = Path(__file__).resolve().parent.parent


def test_a_yoy_view_builds_no_plotly_figure(
    seeded_copy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that /yoy?orgs=daxing&cat=welfare draws its charts as Vega-Lite without building a
    plotly figure (one is built only when its PNG is downloaded)."""
    monkeypatch.setenv("KPI_ANONYMOUS_READ", "1")
    built: list[str] = []
    original = charts.yoy_figure

    def counting(rows: list[dict], mode: str, lang: str, title: str = "") -> object:
        """Count the figure being built, then build it."""
        built.append(title)
        return original(rows, mode, lang, title=title)

    monkeypatch.setattr(charts, "yoy_figure", counting)
    chart_cache.clear()
    at = AppTest.from_file(str(ROOT / "pages" / "yoy.py"), default_timeout=120)
    at.query_params["orgs"] = "daxing"
    at.query_params["cat"] = "welfare"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.get("vega_lite_chart")) > 0
    assert at.get("plotly_chart") == [] and built == []


def targets_view() -> AppTest:
    """One fresh session of /targets?org=daxing&year=2025, run once without an exception."""
    at = AppTest.from_file(str(ROOT / "pages" / "targets.py"), default_timeout=120)
    at.query_params["org"] = "daxing"
    at.query_params["year"] = "2025"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_second_session_of_the_same_targets_view_builds_nothing_again(
    seeded_copy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that a second viewer of /targets?org=daxing&year=2025 sees the same table and chart
    without the target rows being built again, and neither view builds a plotly figure."""
    monkeypatch.setenv("KPI_ANONYMOUS_READ", "1")
    built: list[str] = []
    rows_of, figure_of = targets.target_rows, charts.completion_figure
    monkeypatch.setattr(targets, "target_rows", lambda *a: built.append("rows") or rows_of(*a))
    monkeypatch.setattr(
        charts, "completion_figure", lambda *a: built.append("chart") or figure_of(*a)
    )
    chart_cache.clear()
    first = targets_view()
    after_first = list(built)
    second = targets_view()
    assert after_first == ["rows"] and built == after_first
    assert second.dataframe[0].value.equals(first.dataframe[0].value)
    charts_first, charts_second = (a.get("vega_lite_chart") for a in (first, second))
    assert len(charts_second) == len(charts_first) > 0


def test_a_new_target_shows_on_the_next_run_of_the_targets_page(
    seeded_copy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that a target written after a first view of /targets shows on the next run (the
    shared target rows follow the store's data version)."""
    monkeypatch.setenv("KPI_ANONYMOUS_READ", "1")
    at = targets_view()
    assert "新增建会单位" not in list(at.dataframe[0].value["指标"])
    add_target(seeded_copy, "daxing", "new_union_units", 2025, 4000)
    at.run()
    assert "新增建会单位" in list(at.dataframe[0].value["指标"])
