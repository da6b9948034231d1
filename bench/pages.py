"""Server-side page times under AppTest: `python -m bench.pages STORE PAGE` prints one JSON line.

In one fresh process (so caches start cold and the peak memory is this page's): the empty Streamlit
page's run time (median of 5), then PAGE's script (a url_path of lib.ui.navigation.PAGES, run as a
signed-in admin): its first run with cold caches, a plain rerun, and reruns after a widget change
(the widget of WIDGETS, switched six times between two values: the first change and the median). `measure_page()` runs this in a subprocess from the parent, killing it past a
time or memory bound (a page that loads the whole store at national scale must not take the
machine down), and returns the figures or the reason it stopped.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EMPTY_SCRIPT = "import streamlit as st\n\nst.write('')\n"
BENCH_USER = "bench"
SWITCHES = 6  # widget changes timed: A, B, A, B, … (the first of each value may miss the cache)


def _ms(seconds: float) -> float:
    """Seconds as milliseconds, rounded to 0.1 ms."""
    return round(seconds * 1000, 1)


def empty_page_ms(runs: int = 5) -> float:
    """The median time of the empty Streamlit page's run under AppTest, in ms."""
    from streamlit.testing.v1 import AppTest

    times = []
    for _ in range(runs + 1):
        at = AppTest.from_string(EMPTY_SCRIPT)
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    return _ms(statistics.median(times[1:]))


# The widget a user changes first on each page: (element kind, key, two raw values to switch to;
# "year" = the year picker's second and first options). AppTest needs raw values: a selectbox with
# a format_func only shows formatted options.
WIDGETS: dict[str, tuple[str, str, Any]] = {
    "overview": ("selectbox", "overview_year", "year"),
    "yoy": ("selectbox", "yoy_category", ("rights", "welfare")),
    "targets": ("selectbox", "targets_year", "year"),
    "map": ("multiselect", "map_types", (["union_station"], ["workers_home"])),
    "sources": ("selectbox", "sources_year", "year"),
    "present": ("selectbox", "present_year", "year"),
    "admin": ("number_input", "admin_audit_days", (7, 30)),
}


def _widget(at: Any, kind: str, key: str) -> Any | None:
    """The page's widget of a kind and key, None when the page did not draw it."""
    return next((w for w in at.get(kind) if str(getattr(w, "key", "")) == key), None)


def _values(widget: Any, values: Any) -> tuple[Any, Any] | None:
    """The two raw values to switch the widget to."""
    if values != "year":
        return values
    years = [int(o) for o in widget.options if str(o).isdigit()]
    return (years[1], years[0]) if len(years) >= 2 else None


def _timed_change(at: Any, kind: str, key: str, value: Any) -> float:
    """Set a widget to a raw value and time the rerun; seconds."""
    _widget(at, kind, key).set_value(value)
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    now = _widget(at, kind, key)
    if now is None or now.value != value:
        raise RuntimeError(f"widget {key} did not take {value!r}")
    return elapsed


def run_page(store_url: str, page: str, timeout: float) -> dict[str, Any]:
    """Time one page's runs in this process; the measurements."""
    os.environ["DATABASE_URL"] = store_url
    from streamlit import logger as st_logger
    from streamlit.testing.v1 import AppTest

    from lib.accounts import auth
    from lib.ui.navigation import PAGES

    st_logger.get_logger("streamlit.runtime.scriptrunner_utils.script_run_context").disabled = True
    spec = next(p for p in PAGES if p.url_path == page)
    if BENCH_USER not in set(auth.list_users(url=store_url)["username"]):
        auth.create_user(BENCH_USER, "admin", None, url=store_url)
    out: dict[str, Any] = {"page": page, "empty_ms": empty_page_ms()}

    at = AppTest.from_file(str(ROOT / spec.path), default_timeout=timeout)
    at.session_state["auth_user"] = {"username": BENCH_USER, "role": "admin"}
    start = time.perf_counter()
    at.run()
    out["first_ms"] = _ms(time.perf_counter() - start)
    out["exceptions"] = [str(e.value)[:200] for e in at.exception]
    start = time.perf_counter()
    at.run()
    out["rerun_ms"] = _ms(time.perf_counter() - start)
    kind, key, values = WIDGETS.get(page, ("", "", None))
    widget = _widget(at, kind, key) if kind else None
    pair = _values(widget, values) if widget is not None else None
    out["widget"] = f"{key}: {pair[0]!r} then {pair[1]!r}" if pair else None
    if pair:
        changes = [_timed_change(at, kind, key, pair[i % 2]) for i in range(SWITCHES)]
        out["exceptions"] += [str(e.value)[:200] for e in at.exception]
    else:
        changes = []
        for _ in range(SWITCHES):
            start = time.perf_counter()
            at.run()
            changes.append(time.perf_counter() - start)
    out["change_first_ms"] = _ms(changes[0])
    out["change_ms_all"] = [_ms(c) for c in changes]
    out["widget_change_ms"] = _ms(statistics.median(changes))
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def _rss_mb(pid: int) -> float:
    """A process's resident memory in MB (0 when gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def measure_page(
    store_url: str, page: str, timeout: float = 120.0, max_rss_mb: float = 4096.0
) -> dict[str, Any]:
    """Run one page's measurements in a subprocess, stopped past timeout or max_rss_mb."""
    cmd = [sys.executable, "-m", "bench.pages", store_url, page, "--timeout", str(timeout)]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + timeout * 3 + 60
    peak = 0.0
    stopped = ""
    while proc.poll() is None:
        peak = max(peak, _rss_mb(proc.pid))
        if peak > max_rss_mb:
            stopped = f"stopped: memory above {max_rss_mb:.0f} MB"
        elif time.monotonic() > deadline:
            stopped = f"stopped: still running after {timeout * 3 + 60:.0f} s"
        if stopped:
            proc.kill()
            break
        time.sleep(0.2)
    stdout, stderr = proc.communicate()
    if stopped:
        return {"page": page, "error": stopped, "peak_rss_mb": round(peak, 1)}
    lines = [ln for ln in stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (stderr or stdout).strip().splitlines()[-1:] or ["no output"]
        return {"page": page, "error": f"exit {proc.returncode}: {tail[0][:300]}"}
    return json.loads(lines[-1])


def main(argv: list[str]) -> int:
    """Measure one page on one store and print the JSON line."""
    import argparse

    p = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__.split("\n")[0])
    p.add_argument("store", help="database URL")
    p.add_argument("page", help="url_path of the page (overview, yoy, …)")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per script run")
    args = p.parse_args(argv)
    try:
        result = run_page(args.store, args.page, args.timeout)
    except RuntimeError as exc:  # AppTest's timeout
        result = {"page": args.page, "error": f"{exc}"[:300]}
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
