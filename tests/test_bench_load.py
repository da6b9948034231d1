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
    proc, base = serve(str(script), {}, tmp_path / "server.log")
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
