"""Smoke tests of the load benchmark (bench.load): two protocol-level viewers against a tiny
Streamlit page served here finish every view, and an exception on the page is counted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import load
from bench.browser import serve, stop


@pytest.fixture
def page_server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[str, int]]:
    """A `streamlit run` of the script text given as the fixture's parameter: (websocket URL,
    pid)."""
    script = tmp_path / "page.py"
    script.write_text(request.param, encoding="utf-8")
    proc, base, _ = serve(str(script), {}, tmp_path / "server.log")
    try:
        yield load.ws_url(base), proc.pid
    finally:
        stop(proc)


@pytest.mark.parametrize("page_server", [load.EMPTY_PAGE], indirect=True)
def test_two_viewers_finish_every_view_of_an_empty_page(page_server: tuple[str, int]) -> None:
    """Test that two viewers × four views against an empty page all finish, none failing."""
    url, pid = page_server
    row = load.measure(url, [pid], n=2, views=4)
    assert (row["views_done"], row["failed_sessions"], row["exceptions"]) == (8, 0, 0)
    assert 0 < row["p50_ms"] <= row["p95_ms"] <= row["max_ms"]


@pytest.mark.parametrize("page_server", ["raise ValueError('boom')\n"], indirect=True)
def test_an_exception_on_the_page_is_counted_for_every_view(page_server: tuple[str, int]) -> None:
    """Test that a page raising an exception is reported as one exception per view asked for."""
    url, pid = page_server
    row = load.measure(url, [pid], n=2, views=3)
    assert (row["views_done"], row["exceptions"]) == (6, 6)


def test_a_bad_viewer_count_is_refused_with_a_message(capsys: pytest.CaptureFixture) -> None:
    """Test that `--n ten` exits with code 2 and says what --n takes."""
    with pytest.raises(SystemExit) as exc:
        load.main(["--n", "ten"])
    assert exc.value.code == 2
    assert "--n takes a comma list of whole numbers" in capsys.readouterr().err


def test_alternating_crowds_pool_each_sides_views_and_cpu(tmp_path: Path) -> None:
    """Test that an ABBA round against two servers up at once pools two crowds per side, with
    every view done and the CPU per view reported for both sides."""
    empty, _ = load.header(tmp_path)
    busy = tmp_path / "busy.py"
    busy.write_text("sum(i * i for i in range(1_000_000))\n" + load.EMPTY_PAGE, encoding="utf-8")
    sides = {
        "empty": load.Deployment(str(empty), {}, 1, tmp_path),
        "app": load.Deployment(str(busy), {}, 1, tmp_path),
    }
    try:
        for dep in sides.values():
            dep.start()
        row = load.alternate(sides, n=2, views=2, rounds=1)
    finally:
        for dep in sides.values():
            dep.stop()
    assert {name: (r["crowds"], r["views_done"]) for name, r in row.items()} == {
        "empty": (2, 8),
        "app": (2, 8),
    }
    assert row["app"]["cpu_ms_per_view"] > row["empty"]["cpu_ms_per_view"] + 20
