"""Browser times: `python -m bench.browser [--repeats N] [--pages a,b] STORE [FOLDER]` prints one
JSON document.

Starts `streamlit run serve.py` (the app server `make run` starts) over STORE (anonymous reading
on, basemap none) and a Streamlit server running an empty page (a title and one line, the
issue's baseline, as bench/load.py's), and drives Debian chromium (Playwright) through both. A visit is
timed from the start of the navigation (the page's own time origin) to the moment stApp's script
state last became idle
(`data-test-script-state="notRunning"`, each change logged by the page itself): the settle wait
(300 ms still idle, so a rerun right after the first run is caught) only confirms the idleness and
is not counted. Every visit is a fresh page of one browser context, warmed by three visits of the
empty page first. For every dashboard page, five visits of each kind, each right after a visit of
the empty page (empty, page, empty, page, ...), so drift on a shared machine hits both sides:

- cold after a start: both servers restarted before the pair; each server's time from its
  process start to its health check's first answer is recorded too (the app server answers only
  once warm, lib.ui.warm.lifespan: the first visitor's cost moved to the start);
- cold after an upload: the store's data version bumped (as every upload does) between the pair;
- warm: nothing in between.

Each kind is reported as the median and min–max of its visits and as a ratio to the empty page's
median over the visits paired with it. Also: the bytes the map page receives (websocket frames
and media), the time a widget change on the map takes to be idle again, the signed-in pages by a
click in the sidebar, the app server's peak RSS (VmHWM) over every server started, and the
machine's load averages (/proc/loadavg) before and after.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, free_port, wait_for_health

ROOT = Path(__file__).resolve().parent.parent
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
KINDS = ("start", "start_e", "upload", "upload_e", "warm", "warm_e")
DASHBOARDS = ("overview", "yoy", "targets", "map", "sources", "present")
SIGNED_IN = ("upload", "admin")
BENCH_ADMIN = ("benchadmin", "bench admin pass 2025")
TIMEOUT_MS = 300_000
HEALTHY_S = 300  # a start waits at most 120 s for its warm (lib.core.settings.warm_cap_seconds)


def serve(
    script: str, env: dict[str, str], log: Path, cwd: Path = ROOT
) -> tuple[subprocess.Popen, str, float]:
    """Start `streamlit run script` in cwd (this checkout, or another to compare against) on a
    free port; the process, its base URL once healthy and the seconds from the process's start
    to its health check's first answer."""
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    out = open(log, "wb")  # noqa: SIM115 - lives as long as the server
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(base, proc, seconds=HEALTHY_S)
    except RuntimeError as exc:
        proc.kill()
        raise RuntimeError(f"{script}: {exc}; see {log}") from exc
    return proc, base, time.perf_counter() - started


def peak_rss_mb(pid: int) -> float:
    """A process's peak resident memory (VmHWM) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


# Recorded in every page before its own scripts run: each change of stApp's script state with the
# page's clock (performance.now(), ms since the page's navigation started).
STATE_LOG_JS = """
(() => {
  const log = [];
  window.__kpiStates = log;
  let last, app;
  const note = () => {
    const s = app.getAttribute("data-test-script-state");
    if (s !== last) { last = s; log.push([s, performance.now()]); }
  };
  const find = new MutationObserver(() => {
    app = document.querySelector('[data-testid="stApp"]');
    if (!app) return;
    find.disconnect();
    note();
    new MutationObserver(note).observe(app, {
      attributes: true, attributeFilter: ["data-test-script-state"]
    });
  });
  find.observe(document, {childList: true, subtree: true});
})();
"""
STATE_NOW_JS = "() => [window.__kpiStates || [], performance.now()]"
SETTLE_MS = 300
# The baseline: "an empty Streamlit page (title + one line)", as issue 16 defines it.
EMPTY_PAGE = "import streamlit as st\n\nst.title('空页面')\nst.write('一行字。')\n"


def new_page(context: Any) -> Any:
    """A fresh page of the context that records its script-state changes (STATE_LOG_JS)."""
    page = context.new_page()
    page.add_init_script(STATE_LOG_JS)
    return page


def wait_idle(page: Any, settle_ms: int = SETTLE_MS, since: int = 0) -> tuple[float, float]:
    """Wait until the script is idle and stays idle for settle_ms (reruns included); return the
    moment it became idle, as (time.perf_counter seconds, ms since the page's navigation started):
    the settle wait only confirms it.

    since: how many state changes the page had logged before the action being timed; one more
    change must follow (an interaction's rerun), so an old idle state is not taken for the new.
    """
    deadline = time.perf_counter() + TIMEOUT_MS / 1000
    while time.perf_counter() < deadline:
        page.wait_for_selector(IDLE, state="attached", timeout=TIMEOUT_MS)
        log, _ = page.evaluate(STATE_NOW_JS)
        seen = len(log)
        page.wait_for_timeout(settle_ms)
        asked = time.perf_counter()
        log, page_now = page.evaluate(STATE_NOW_JS)
        answered = time.perf_counter()
        if len(log) == seen and len(log) > since and log[-1][0] == "notRunning":
            # The page read its clock between asked and answered: take the midpoint.
            return (asked + answered) / 2 - (page_now - log[-1][1]) / 1000, log[-1][1]
    raise TimeoutError(f"{page.url} was not idle for {settle_ms} ms within {TIMEOUT_MS} ms")


def state_changes(page: Any) -> int:
    """How many script-state changes the page has logged so far."""
    return len(page.evaluate(STATE_NOW_JS)[0])


class Meter:
    """Counts the bytes a page receives over the websocket and from /media."""

    def __init__(self, page: Any) -> None:
        """Attach to a page's websocket frames and responses."""
        self.bytes = 0
        page.on("websocket", self._ws)
        page.on("response", self._response)

    def _ws(self, ws: Any) -> None:
        """Count every received frame."""
        ws.on("framereceived", lambda payload: self._add(len(payload)))

    def _response(self, resp: Any) -> None:
        """Count media bodies (large elements may be served from /media)."""
        if "/media/" in resp.url:
            try:
                self._add(len(resp.body()))
            except Exception:  # noqa: BLE001 - a body that is gone is not counted
                pass

    def _add(self, n: int) -> None:
        """Add n bytes."""
        self.bytes += n


def shows_app(page: Any) -> None:
    """Raise when the idle page shows a Python exception instead of the app (a wrong store, a
    broken page): a benchmark never times an error page."""
    if page.locator('[data-testid="stException"]').count():
        raise RuntimeError(f"{page.url} shows an exception, not the app: see the server's log")


def store_argument(arg: str) -> str | None:
    """The store URL for a STORE argument (a URL as is, an existing file as SQLite), or None."""
    if "://" in arg:
        return arg
    path = Path(arg)
    return f"sqlite:///{path.resolve()}" if path.is_file() else None


def store_or_say_why(arg: str) -> str | None:
    """The store URL for a STORE argument, or None after saying on stderr why there is none."""
    store = store_argument(arg)
    if store is None:
        print(f"no such store: {arg} (a database URL or an SQLite file)", file=sys.stderr)
    return store


def visit(context: Any, url: str, settle_ms: int = SETTLE_MS) -> tuple[float, int]:
    """Seconds from the start of the navigation to a URL (the page's time origin) to the moment
    the app became idle, in a fresh page of the context, and the bytes received."""
    page = new_page(context)
    meter = Meter(page)
    page.goto(url, wait_until="commit")
    _, idle_ms = wait_idle(page, settle_ms)
    received = meter.bytes
    shows_app(page)
    page.close()
    return idle_ms / 1000, received


def _ms(seconds: float) -> float:
    """Seconds as milliseconds (0.1 ms)."""
    return round(seconds * 1000, 1)


def spread(seconds: list[float]) -> dict[str, Any]:
    """Median, min and max of visit times in ms, and the visits themselves."""
    ms = [_ms(x) for x in seconds]
    return {
        "median_ms": _ms(statistics.median(seconds)),
        "min_ms": min(ms),
        "max_ms": max(ms),
        "visits_ms": ms,
    }


def ratio(page: dict[str, Any], empty: dict[str, Any]) -> dict[str, Any]:
    """A page's median over the empty page's median, and the min-max spread of the visit-by-visit
    ratios (each visit over the empty visit next to it)."""
    pairs = [p / e for p, e in zip(page["visits_ms"], empty["visits_ms"], strict=True)]
    return {
        "ratio": round(page["median_ms"] / empty["median_ms"], 2),
        "ratio_min": round(min(pairs), 2),
        "ratio_max": round(max(pairs), 2),
    }


def healthy(t: dict[str, list]) -> dict[str, Any]:
    """Process start to healthy of the app server and of the empty page's server over the
    starts of ``t``: each side's median, min–max and starts, and the ratio of the medians."""
    app, empty = spread(t["healthy"]), spread(t["healthy_e"])
    return {"app": app, "empty": empty, "ratio": round(app["median_ms"] / empty["median_ms"], 2)}


def map_interaction(context: Any, base: str) -> float:
    """Milliseconds from changing the map's opened-year filter (a key press) to idle again."""
    page = new_page(context)
    page.set_default_timeout(60_000)
    page.goto(f"{base}/map", wait_until="commit")
    wait_idle(page)
    handle = page.get_by_role("slider").first
    handle.focus()
    # The slider opens on the latest year: step back (forward only if it is known to stand on
    # the first year; Streamlit 1.67's thumb carries no aria-value* at all, and None == None
    # once sent the key the wrong way, at the last year, where it changes nothing).
    now = handle.get_attribute("aria-valuenow")
    at_min = now is not None and now == handle.get_attribute("aria-valuemin")
    before = state_changes(page)
    start = time.perf_counter()
    page.keyboard.press("ArrowRight" if at_min else "ArrowLeft")
    idle, _ = wait_idle(page, since=before)
    page.close()
    return _ms(idle - start)


def signed_in_pages(context: Any, base: str) -> dict[str, float]:
    """Milliseconds from a sidebar click to idle for the pages that need a signed-in admin."""
    from lib.core import i18n

    page = new_page(context)
    page.set_default_timeout(60_000)
    page.goto(f"{base}/login", wait_until="commit")
    wait_idle(page)
    page.get_by_label("用户名").fill(BENCH_ADMIN[0])
    page.get_by_label("密码").fill(BENCH_ADMIN[1])
    before = state_changes(page)
    page.get_by_role("button", name="登录").click()
    wait_idle(page, since=before)
    out = {}
    for name in SIGNED_IN:
        link = i18n.t(f"page.{name}", "zh")
        before = state_changes(page)
        start = time.perf_counter()
        page.get_by_role("link", name=link).click()
        out[name] = _ms(wait_idle(page, since=before)[0] - start)
    page.close()
    return out


def loadavg() -> list[float]:
    """The machine's load averages over 1, 5 and 15 minutes (/proc/loadavg)."""
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def stop(proc: subprocess.Popen) -> None:
    """Terminate a server (kill it if it does not stop within 10 s)."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def bump_data_version(store_url: str) -> None:
    """Bump the store's data version as every upload does, so every app cache is stale."""
    from lib.store import db

    with db.session_scope(store_url) as session:
        db.bump_data_version(session)


class Servers:
    """The app server and the empty-page server of one run, restartable, with their peak RSS."""

    def __init__(self, env: dict[str, str], empty_script: Path, folder: Path) -> None:
        """Remember how to start both servers (call start())."""
        self.env, self.empty_script, self.folder = env, empty_script, folder
        self.app: subprocess.Popen | None = None
        self.empty: subprocess.Popen | None = None
        self.base = self.empty_base = ""
        self.peak_rss_mb = 0.0
        self.starts = 0
        self.healthy_s = self.empty_healthy_s = 0.0  # process start to healthy, last start

    def start(self) -> None:
        """(Re)start both servers and wait until they answer."""
        self.stop()
        self.starts += 1
        log = self.folder / f"app-{self.starts}.log"
        self.app, self.base, self.healthy_s = serve("serve.py", self.env, log)
        log = self.folder / f"empty-{self.starts}.log"
        self.empty, self.empty_base, self.empty_healthy_s = serve(str(self.empty_script), {}, log)

    def stop(self) -> None:
        """Stop both servers, noting the app server's peak RSS first."""
        if self.app is not None:
            self.peak_rss_mb = max(self.peak_rss_mb, peak_rss_mb(self.app.pid))
        for proc in (self.app, self.empty):
            if proc is not None:
                stop(proc)
        self.app = self.empty = None

    def url(self, name: str) -> str:
        """The app URL of a dashboard page (the overview is the root)."""
        return self.base if name == "overview" else f"{self.base}/{name}"


def alternate(context: Any, empty_url: str, url: str, before: Any = None) -> tuple:
    """One empty-page visit and one page visit, in that order (before() runs between them):
    (empty seconds, page seconds, page bytes)."""
    empty_s, _ = visit(context, empty_url)
    if before is not None:
        before()
    page_s, received = visit(context, url)
    return empty_s, page_s, received


def add(times: dict[str, list], kind: str, empty_s: float, page_s: float, received: int) -> None:
    """Note one alternating pair of visits of one kind (start, upload or warm)."""
    times[f"{kind}_e"].append(empty_s)
    times[kind].append(page_s)
    times["bytes"].append(received)


def visit_rounds(
    context: Any, servers: Servers, pages: tuple[str, ...], repeats: int, times: dict
) -> None:
    """The paired visits of every page: cold after a start, then cold after an upload (the store's
    data version bumped) and warm, appended to ``times``."""
    store_url = servers.env["DATABASE_URL"]
    for i in range(repeats):
        for name in pages:
            servers.start()
            e, p, b = alternate(context, servers.empty_base, servers.url(name))
            t = times[name]
            add(t, "start", e, p, b)
            t["healthy"].append(servers.healthy_s)
            t["healthy_e"].append(servers.empty_healthy_s)
            print(
                f"  cold start {i + 1}/{repeats} {name}: {p:.2f} s (empty {e:.2f} s); "
                f"healthy {servers.healthy_s:.2f} s after the start (empty "
                f"{servers.empty_healthy_s:.2f} s)",
                file=sys.stderr,
                flush=True,
            )
    for i in range(repeats):
        for name in pages:
            t = times[name]
            e, p, b = alternate(
                context,
                servers.empty_base,
                servers.url(name),
                before=lambda: bump_data_version(store_url),
            )
            add(t, "upload", e, p, b)
            e, p, b = alternate(context, servers.empty_base, servers.url(name))
            add(t, "warm", e, p, b)
            print(
                f"  after upload / warm {i + 1}/{repeats} {name}: "
                f"{t['upload'][-1]:.2f} (empty {t['upload_e'][-1]:.2f}) / {p:.2f} (empty {e:.2f}) s",
                file=sys.stderr,
                flush=True,
            )


def run(
    store_url: str, folder: Path, repeats: int = 5, pages: tuple[str, ...] = DASHBOARDS
) -> dict[str, Any]:
    """Every browser measurement against one store: for each dashboard (or the given ones),
    `repeats` visits cold after a server start, cold after a data-version bump, and warm, each
    alternating with a visit of the empty page; with the map, its bytes and a filter change; with
    every dashboard, the signed-in pages."""
    from playwright.sync_api import sync_playwright

    from lib.accounts import auth

    users = set(auth.list_users(url=store_url)["username"])
    if BENCH_ADMIN[0] not in users:
        auth.create_user(BENCH_ADMIN[0], "admin", BENCH_ADMIN[1], url=store_url)
    env = {"DATABASE_URL": store_url, "KPI_ANONYMOUS_READ": "1", "KPI_BASEMAP": "none"}
    folder.mkdir(parents=True, exist_ok=True)
    empty_script = folder / "empty_page.py"
    empty_script.write_text(EMPTY_PAGE, encoding="utf-8")
    servers = Servers(env, empty_script, folder)
    out: dict[str, Any] = {"loadavg_before": loadavg(), "repeats": repeats, "pages": {}}
    times: dict[str, dict[str, list]] = {
        n: {k: [] for k in (*KINDS, "healthy", "healthy_e", "bytes")} for n in pages
    }
    started = time.perf_counter()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            servers.start()
            for _ in range(3):  # warm the browser (and its cache of Streamlit's frontend)
                visit(context, servers.empty_base)
            visit_rounds(context, servers, pages, repeats, times)
            for name in pages:
                t = times[name]
                row: dict[str, Any] = {"bytes_received": max(t["bytes"])}
                for kind, label in (
                    ("start", "cold_start"),
                    ("upload", "cold_upload"),
                    ("warm", "warm"),
                ):
                    page, empty = spread(t[kind]), spread(t[f"{kind}_e"])
                    row[label] = {**page, "empty": empty, **ratio(page, empty)}
                row["start_to_healthy"] = healthy(t)
                out["pages"][name] = row
            every_empty = [
                x for n in pages for k in ("start_e", "upload_e", "warm_e") for x in times[n][k]
            ]
            out["empty_ms"] = spread(every_empty)["median_ms"]
            out["start_to_healthy"] = healthy(
                {k: [x for n in pages for x in times[n][k]] for k in ("healthy", "healthy_e")}
            )
            if "map" in pages:
                out["map_bytes"] = out["pages"]["map"]["bytes_received"]
                try:  # a failed filter change is reported; the visits above are kept
                    out["map_interaction_ms"] = map_interaction(context, servers.base)
                except TimeoutError as exc:
                    out["map_interaction_error"] = str(exc)
            if pages == DASHBOARDS:
                out["signed_in_click_ms"] = signed_in_pages(context, servers.base)
            browser.close()
    finally:
        servers.stop()
    out["app_peak_rss_mb"] = servers.peak_rss_mb
    out["loadavg_after"] = loadavg()
    out["minutes"] = round((time.perf_counter() - started) / 60, 1)
    return out


def main(argv: list[str]) -> int:
    """Print the browser measurements of one store as JSON."""
    repeats, pages = 5, DASHBOARDS
    if argv[:1] == ["--repeats"] and len(argv) > 1 and argv[1].isdigit():
        repeats, argv = int(argv[1]), argv[2:]
    if argv[:1] == ["--pages"] and len(argv) > 1:
        pages, argv = tuple(argv[1].split(",")), argv[2:]
    if len(argv) not in (1, 2) or repeats < 1 or not set(pages) <= set(DASHBOARDS):
        print(__doc__, file=sys.stderr)
        return 2
    store = store_or_say_why(argv[0])
    if store is None:
        return 2
    folder = Path(argv[1]) if len(argv) == 2 else ROOT / "bench" / "results" / "browser"
    print(json.dumps(run(store, folder, repeats, pages), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
