"""Browser times: `python -m bench.browser STORE` prints one JSON document.

Starts `streamlit run app.py` over STORE (anonymous reading on, basemap none) and a Streamlit
server running an empty page, then drives Debian chromium (Playwright) through both: the time from
navigation until Streamlit's script state is idle (`data-test-script-state="notRunning"` on stApp,
still idle 300 ms later) for every dashboard page, cold (first visit) and warm (median of two more),
against the empty page's warm median measured in the same run; the signed-in pages (upload, admin)
by a click in the sidebar; the bytes the map page receives (websocket frames and media); the time a
widget change on the map takes to be drawn; and the app server's peak RSS (VmHWM) after every page.
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
DASHBOARDS = ("overview", "yoy", "targets", "map", "sources", "present")
SIGNED_IN = ("upload", "admin")
BENCH_ADMIN = ("benchadmin", "bench admin pass 2025")
TIMEOUT_MS = 300_000


def serve(script: str, env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run script` on a free port; the process and its base URL once healthy."""
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    out = open(log, "wb")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(base, proc, seconds=90)
    except RuntimeError as exc:
        proc.kill()
        raise RuntimeError(f"{script}: {exc}; see {log}") from exc
    return proc, base


def peak_rss_mb(pid: int) -> float:
    """A process's peak resident memory (VmHWM) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def wait_idle(page: Any) -> None:
    """Wait until the script has finished and stays finished for 300 ms (reruns included)."""
    while True:
        page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
        page.wait_for_timeout(300)
        if page.query_selector(IDLE) is not None:
            return


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


def visit(browser: Any, url: str) -> tuple[float, int]:
    """Seconds from navigation to idle for a URL in a fresh page, and the bytes received."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    meter = Meter(page)
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    wait_idle(page)
    elapsed = time.perf_counter() - start
    received = meter.bytes
    page.close()
    return elapsed, received


def _ms(seconds: float) -> float:
    """Seconds as milliseconds (0.1 ms)."""
    return round(seconds * 1000, 1)


def map_interaction(browser: Any, base: str) -> float:
    """Milliseconds from changing the map's opened-year filter (a key press) to idle again."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    page.goto(f"{base}/map", wait_until="commit")
    wait_idle(page)
    handle = page.get_by_role("slider").first
    handle.focus()
    start = time.perf_counter()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(50)
    wait_idle(page)
    elapsed = time.perf_counter() - start - 0.3  # wait_idle's settle time is not the app's
    page.close()
    return _ms(max(elapsed, 0.0))


def signed_in_pages(browser: Any, base: str) -> dict[str, float]:
    """Milliseconds from a sidebar click to idle for the pages that need a signed-in admin."""
    from lib.core import i18n

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    page.goto(f"{base}/login", wait_until="commit")
    wait_idle(page)
    page.get_by_label("用户名").fill(BENCH_ADMIN[0])
    page.get_by_label("密码").fill(BENCH_ADMIN[1])
    page.get_by_role("button", name="登录").click()
    page.wait_for_timeout(100)
    wait_idle(page)
    out = {}
    for name in SIGNED_IN:
        link = i18n.t(f"page.{name}", "zh")
        start = time.perf_counter()
        page.get_by_role("link", name=link).click()
        page.wait_for_timeout(50)
        wait_idle(page)
        out[name] = _ms(time.perf_counter() - start - 0.3)
    page.close()
    return out


def run(store_url: str, folder: Path) -> dict[str, Any]:
    """Every browser measurement against one store."""
    from playwright.sync_api import sync_playwright

    from lib.accounts import auth

    users = set(auth.list_users(url=store_url)["username"])
    if BENCH_ADMIN[0] not in users:
        auth.create_user(BENCH_ADMIN[0], "admin", BENCH_ADMIN[1], url=store_url)
    env = {"DATABASE_URL": store_url, "KPI_ANONYMOUS_READ": "1", "KPI_BASEMAP": "none"}
    folder.mkdir(parents=True, exist_ok=True)
    empty_script = folder / "empty_page.py"
    empty_script.write_text("import streamlit as st\n\nst.write('')\n", encoding="utf-8")
    app, base = serve("app.py", env, folder / "app.log")
    empty, empty_base = serve(str(empty_script), {}, folder / "empty.log")
    out: dict[str, Any] = {"pages": {}}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            visit(browser, empty_base)
            empties = [visit(browser, empty_base)[0] for _ in range(3)]
            out["empty_ms"] = _ms(statistics.median(empties))
            for name in DASHBOARDS:
                url = base if name == "overview" else f"{base}/{name}"
                cold, cold_bytes = visit(browser, url)
                warm = [visit(browser, url) for _ in range(2)]
                warm_ms = _ms(statistics.median(w[0] for w in warm))
                print(f"  browser {name}: cold {cold:.1f} s", file=sys.stderr, flush=True)
                out["pages"][name] = {
                    "cold_ms": _ms(cold),
                    "warm_ms": warm_ms,
                    "ratio_to_empty": round(warm_ms / out["empty_ms"], 2),
                    "bytes_received": max(cold_bytes, *(w[1] for w in warm)),
                }
            out["map_bytes"] = out["pages"]["map"]["bytes_received"]
            out["map_interaction_ms"] = map_interaction(browser, base)
            out["signed_in_click_ms"] = signed_in_pages(browser, base)
            out["empty_after_ms"] = _ms(
                statistics.median(visit(browser, empty_base)[0] for _ in range(3))
            )
            browser.close()
        out["app_peak_rss_mb"] = peak_rss_mb(app.pid)
    finally:
        for proc in (app, empty):
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
    return out


def main(argv: list[str]) -> int:
    """Print the browser measurements of one store as JSON."""
    if len(argv) not in (1, 2):
        print(__doc__, file=sys.stderr)
        return 2
    folder = Path(argv[1]) if len(argv) == 2 else ROOT / "bench" / "results" / "browser"
    print(json.dumps(run(argv[0], folder), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
