"""The browser benchmark's timing helper (bench.browser.visit) against a tiny page served here
that becomes idle at a moment the test chooses: the time reported is navigation → idle, whatever
settle wait confirms the idleness."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench import browser as bench_browser
from tests.browser_support import CHROMIUM, chromium

IDLE_AT_S = 1.5
# Marked running at once, idle for 40 ms at 50 ms (a gap between two runs, shorter than any
# settle wait used here), running again, and idle for good when /done answers (IDLE_AT_S after
# the page was asked for); it then tells the server when, on its own clock (ms since navigation).
PAGE = b"""<!doctype html><html><body>
<div data-testid="stApp" data-test-script-state="initial"></div>
<script>
const app = document.querySelector('[data-testid="stApp"]');
const set = (s) => app.setAttribute("data-test-script-state", s);
set("running");
setTimeout(() => set("notRunning"), 50);
setTimeout(() => set("running"), 90);
fetch("/done").then(() => {
  set("notRunning");
  fetch("/idle?ms=" + performance.now());
});
</script></body></html>"""


# What the app server shows when a page raised (a wrong store, say): idle, with the traceback.
BROKEN = b"""<!doctype html><html><body>
<div data-testid="stApp" data-test-script-state="notRunning">
<div data-testid="stException">ArgumentError: Could not parse SQLAlchemy URL</div></div>
</body></html>"""


class _Handler(BaseHTTPRequestHandler):
    """Serves PAGE at /, answers /done IDLE_AT_S after the page was asked for, and keeps the
    moment the page says it became idle (/idle?ms=...)."""

    asked_at = 0.0
    idle_ms = 0.0

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        """The page, or /done once its moment has come."""
        if self.path == "/":
            type(self).asked_at = time.perf_counter()
            body = PAGE
        elif self.path == "/broken":
            body = BROKEN
        elif self.path == "/done":
            time.sleep(max(0.0, type(self).asked_at + IDLE_AT_S - time.perf_counter()))
            body = b"done"
        elif self.path.startswith("/idle?ms="):
            type(self).idle_ms = float(self.path.split("=", 1)[1])
            body = b"noted"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def page_url() -> Iterator[str]:
    """The URL of the tiny page, served from a thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def context() -> Iterator[object]:
    """One browser context of a headless Debian chromium."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed")
    with chromium() as browser:
        ctx = browser.new_context()
        yield ctx
        ctx.close()


@pytest.mark.parametrize("settle_ms", [100, 300, 1000])
def test_visit_times_a_page_idle_at_t_as_t_whatever_the_settle_wait(
    context: object, page_url: str, settle_ms: int
) -> None:
    """Test that a page idle at t (about 1.5 s) after navigation is timed as t (± 50 ms)."""
    seconds, _ = bench_browser.visit(context, page_url, settle_ms=settle_ms)
    idle_s = _Handler.idle_ms / 1000
    assert idle_s >= IDLE_AT_S - 0.05, f"the page was idle at {idle_s:.3f} s"
    assert abs(seconds - idle_s) <= 0.05, f"timed {seconds:.3f} s, idle at {idle_s:.3f} s"


def test_a_visit_to_a_page_showing_an_exception_raises(context: object, page_url: str) -> None:
    """Test that a visit to a page showing a Python exception raises instead of timing it."""
    with pytest.raises(RuntimeError, match="shows an exception"):
        bench_browser.visit(context, page_url + "broken", settle_ms=100)


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("postgresql+psycopg://kpi@db/kpi", "postgresql+psycopg://kpi@db/kpi"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
        ("{tmp}/store.db", "sqlite:///{tmp}/store.db"),
        ("{tmp}/missing.db", None),
    ],
)
def test_store_argument_takes_a_url_or_an_existing_sqlite_file(
    tmp_path: Path, argument: str, expected: str | None
) -> None:
    """Test that STORE is a database URL as given, or an existing file as an SQLite URL, and a
    missing file is refused (it timed error pages before)."""
    (tmp_path / "store.db").write_bytes(b"")
    got = bench_browser.store_argument(argument.format(tmp=tmp_path))
    assert got == (expected.format(tmp=tmp_path) if expected else None)


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--pages", "yoy,nope", "sqlite:////tmp/x.db"], "--pages from overview"),
        (["--repeats", "0", "sqlite:////tmp/x.db"], "--repeats must be 1 or more"),
        (["--against", "{tmp}", "sqlite:////tmp/x.db"], "no checkout of this app there"),
        (["{tmp}/missing.db"], "missing.db"),
    ],
    ids=["unknown-page", "no-repeats", "against-no-checkout", "missing-store"],
)
def test_drawn_refuses_bad_arguments_before_serving_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    """Test that bench.drawn answers a wrong page, repeat count, checkout to compare against or
    store with a message and exit status 2."""
    from bench import drawn

    assert drawn.main([a.format(tmp=tmp_path) for a in argv]) == 2
    assert said in capsys.readouterr().err
