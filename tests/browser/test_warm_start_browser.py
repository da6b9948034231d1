"""Browser tests of an app server's start (`streamlit run serve.py`, Debian chromium): the server
answers only once warm, so the first visit after /_stcore/health answers reads no figure, target,
station, source, org or batch from the store, and the watcher does not warm the version it started
with again; a start whose warm fails still serves the app. Every SQL statement the server runs is
written, with its thread's name, to a trace file by a sitecustomize module on the server's
PYTHONPATH (an SQLAlchemy listener in the server process; the store itself is real)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser_support import CHROMIUM, IDLE, chromium, streamlit_server
from tests.conftest import copied_store

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed"),
]
# Statements on the tables a page reads when a cache misses (not the data version, not sign-in).
HEAVY = re.compile(r"\bFROM (observation|target|station|source|org|import_batch|indicator)\b")
WATCHER = "kpi-warm"  # the warmer's thread (lib.ui.warm.start_watcher)
SITECUSTOMIZE = '''"""SQL trace of one test server: thread name, tab, statement, one a line; with
KPI_SQL_FAIL_THREAD set, the first heavy statement of that thread raises (the store went away);
with KPI_SQL_STALL_THREAD set, it blocks 120 s first (the store hangs)."""
import os
import re
import threading

from sqlalchemy import event
from sqlalchemy.engine import Engine

TRACE = os.environ["KPI_SQL_TRACE"]
FAIL = [os.environ.get("KPI_SQL_FAIL_THREAD")]
STALL = [os.environ.get("KPI_SQL_STALL_THREAD")]
HEAVY = re.compile(HEAVY_PATTERN)


def _note(conn, cursor, statement, parameters, context, executemany):
    thread = threading.current_thread().name
    with open(TRACE, "a", encoding="utf-8") as fh:
        fh.write(thread + "\\t" + " ".join(statement.split()) + "\\n")
    if STALL[0] == thread and HEAVY.search(statement):
        STALL[0] = None
        threading.Event().wait(120)  # the store hangs: this statement blocks for 120 s
    if FAIL[0] == thread and HEAVY.search(statement):
        FAIL[0] = None
        raise RuntimeError("the store went away during the first warm")


event.listen(Engine, "before_cursor_execute", _note)
'''.replace("HEAVY_PATTERN", repr(HEAVY.pattern))


def traced_env(url: str, folder: Path, **faults: str) -> dict[str, str]:
    """The environment of a traced server over a store (anonymous reading, basemap none), with
    extra variables (``KPI_SQL_FAIL_THREAD``, ``KPI_SQL_STALL_THREAD``, ...)."""
    (folder / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": url, "KPI_ANONYMOUS_READ": "1", "KPI_BASEMAP": "none"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder), env.get("PYTHONPATH")]))
    env["KPI_SQL_TRACE"] = str(folder / "sql.trace")
    return {**env, **faults}


def trace(folder: Path) -> list[tuple[str, str]]:
    """The (thread, statement) pairs the server has run so far."""
    path = folder / "sql.trace"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return [tuple(line.split("\t", 1)) for line in lines]  # type: ignore[misc]


def heavy(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs whose statement reads a heavy table."""
    return [(thread, sql) for thread, sql in pairs if HEAVY.search(sql)]


@pytest.fixture(scope="module")
def started(seeded_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    """A just-started traced app server nobody has visited: (base URL, trace folder, how many
    statements it had run when its health check first answered)."""
    folder = tmp_path_factory.mktemp("warm_start")
    with copied_store(seeded_store, folder) as url:
        with streamlit_server(traced_env(url, folder), folder / "server.log") as (_, base):
            yield base, folder, len(trace(folder))


def test_the_first_visit_after_health_answers_reads_no_table(started: tuple) -> None:
    """Test that the overview's first visit after the server's health check answered shows its
    figures (发展会员 1.8万余人) while the server reads no figure, org or other table."""
    base, folder, at_health = started
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(base)
        expect(page.get_by_text("1.8万余人").first).to_be_visible(timeout=60_000)
        expect(page.locator(IDLE)).to_be_attached(timeout=30_000)
        page.close()
    assert heavy(trace(folder)[at_health:]) == []


def test_the_watcher_does_not_warm_the_start_version_again(started: tuple) -> None:
    """Test that after the start's warm (heavy reads by the watcher before health answered), the
    watcher's next two looks read only the data version."""
    _, folder, at_health = started
    assert heavy([p for p in trace(folder)[:at_health] if p[0] == WATCHER])

    def looks() -> list[tuple[str, str]]:
        """The watcher's statements since the health check answered."""
        return [p for p in trace(folder)[at_health:] if p[0] == WATCHER]

    with chromium() as browser:  # Playwright's own polling waits for two looks (one every 2 s)
        page = browser.new_page()
        page.expose_function("watcherLooks", lambda: len(looks()))
        page.wait_for_function("async () => (await window.watcherLooks()) >= 2", timeout=30_000)
        page.close()
    assert heavy(looks()) == []


def test_a_start_whose_warm_fails_still_serves_the_figures(
    seeded_store: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Test that a server whose first warm raised (the store failed the warmer's first figure
    read) still answers and its overview shows the seed's figures (发展会员 1.8万余人)."""
    folder = tmp_path_factory.mktemp("warm_fails")
    with copied_store(seeded_store, folder) as url:
        env = traced_env(url, folder, KPI_SQL_FAIL_THREAD=WATCHER)
        with streamlit_server(env, folder / "server.log") as (_, base), chromium() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(base)
            expect(page.get_by_text("1.8万余人").first).to_be_visible(timeout=60_000)
            page.close()
    assert "the store went away during the first warm" in (folder / "server.log").read_text()


def test_a_start_whose_warm_hangs_answers_after_the_cap(
    seeded_store: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Test that a server whose first warm hangs (the store stalls the warmer's first figure read
    for 120 s) answers its health check once the cap (KPI_WARM_CAP_SECONDS=2) has passed, within
    the 60 s the health wait allows, and says in its log that it serves unwarmed."""
    folder = tmp_path_factory.mktemp("warm_hangs")
    with copied_store(seeded_store, folder) as url:
        env = traced_env(url, folder, KPI_SQL_STALL_THREAD=WATCHER, KPI_WARM_CAP_SECONDS="2")
        with streamlit_server(env, folder / "server.log"):
            log = (folder / "server.log").read_text()
    assert "caches not warm after 2 s: serving anyway" in log
