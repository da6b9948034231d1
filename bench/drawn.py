"""Warm visits timed to the page being drawn, not only idle: `python -m bench.drawn [--repeats N]
STORE` prints a table and one JSON document.

bench/browser.py times a visit to the moment Streamlit's script state turns idle, which is when
the frontend has handled the script's last message. Elements whose code Streamlit loads on demand
(metrics, charts, tables, maps) may still show grey placeholders then (`stSkeleton`), and plotly,
the data grid and deck.gl draw only once their module has loaded. Here a visit is timed from
navigation to the first moment, the app being idle, at which no placeholder is left, every plotly
or Vega-Lite chart has its SVG and every table and map its canvas, as the page itself checks on every animation
frame (the 300 ms that confirm it are not counted). Same servers, store and pairing as the browser
benchmark's warm visits: a fresh page of one warmed context, each visit right after an empty page's.

The pages take turns: each round visits every dashboard once, each right after the empty page, so a
slow spell of the machine falls on every page alike rather than on one page's block of visits.
Besides the ratio of the medians, each page gets the median of its pairs' ratios and their middle
half (25th to 75th percentile): on this 2-core machine one page's ratio moves by ±0.2 from run to
run, and the spread says how far a single figure can be trusted.

`--pages yoy,targets` visits only those dashboards. `--against DIR` serves a second checkout
(e.g. `git worktree add /tmp/before <commit>`, with its own `.venv` not needed: this one's
Python runs it) on the same store and visits its pages in the same rounds, each also right after
the empty page's visit, so a change is measured against what it replaces in one run (reported as
`<page>@against`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.browser import (
    DASHBOARDS,
    EMPTY_PAGE,
    SETTLE_MS,
    TIMEOUT_MS,
    new_page,
    serve,
    shows_app,
    stop,
    store_or_say_why,
    wait_idle,
)
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS

DRAWN_JS = """
(() => {
  window.__kpiDrawn = null;
  const ready = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector('[data-testid="stSkeleton"]')) return false;
    const all = (kind, part) => [...document.querySelectorAll(`[data-testid="${kind}"]`)]
      .every((el) => el.querySelector(part));
    return all('stPlotlyChart', '.main-svg') && all('stVegaLiteChart', 'svg.marks, canvas')
      && all('stDataFrame', 'canvas') && all('stDeckGlJsonChart', 'canvas');
  };
  const tick = () => {
    if (!ready()) { window.__kpiDrawn = null; }
    else if (window.__kpiDrawn === null) { window.__kpiDrawn = performance.now(); }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""


def wait_drawn(page: Any) -> float:
    """Milliseconds from the page's navigation to the moment it was drawn (and stayed drawn for
    SETTLE_MS)."""
    deadline = time.perf_counter() + TIMEOUT_MS / 1000
    while time.perf_counter() < deadline:
        page.wait_for_function("() => window.__kpiDrawn !== null", timeout=TIMEOUT_MS)
        first = page.evaluate("() => window.__kpiDrawn")
        page.wait_for_timeout(SETTLE_MS)
        if page.evaluate("() => window.__kpiDrawn") == first:
            return float(first)
    raise TimeoutError(f"{page.url} was not drawn within {TIMEOUT_MS} ms")


def visit(context: Any, url: str) -> tuple[float, float]:
    """One visit in a fresh page: ms from navigation to idle, and to drawn."""
    page = new_page(context)
    page.add_init_script(DRAWN_JS)
    page.goto(url, wait_until="commit")
    _, idle_ms = wait_idle(page)
    drawn_ms = wait_drawn(page)
    shows_app(page)
    page.close()
    return idle_ms, drawn_ms


def run(
    store_url: str, folder: Path, repeats: int, pages: list[str], against: Path | None = None
) -> dict[str, Any]:
    """Warm idle and drawn times of the dashboards and of the empty page next to them (and of
    the same pages served from another checkout, in the same rounds)."""
    from playwright.sync_api import sync_playwright

    env = {"DATABASE_URL": store_url, "KPI_ANONYMOUS_READ": "1", "KPI_BASEMAP": "none"}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty_page.py").write_text(EMPTY_PAGE, encoding="utf-8")
    app, base, _ = serve("serve.py", env, folder / "app.log")
    empty, empty_base, _ = serve(str(folder / "empty_page.py"), {}, folder / "empty.log")
    servers = [app, empty]
    bases = {"": base}
    if against is not None:
        other, bases["@against"], _ = serve("serve.py", env, folder / "against.log", cwd=against)
        servers.append(other)
    out: dict[str, Any] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            for _ in range(3):
                visit(context, empty_base)
            urls = {
                name + tag: root if name == "overview" else f"{root}/{name}"
                for name in pages
                for tag, root in bases.items()
            }
            for url in urls.values():
                visit(context, url)  # warm: the page's caches and the browser's chunks
            pairs: dict[str, list] = {name: [] for name in urls}
            for _ in range(repeats):  # round robin: every page once per round
                for name, url in urls.items():
                    pairs[name].append((visit(context, empty_base), visit(context, url)))
            for name in urls:
                out[name] = summary(pairs[name])
                print(line(name, out[name]), file=sys.stderr, flush=True)
            browser.close()
    finally:
        for server in servers:
            stop(server)
    return out


def pair_ratios(pairs: list[tuple[tuple[float, float], tuple[float, float]]], k: int) -> dict:
    """The median of the pairs' ratios (page / the empty page just before it) of idle (k=0) or
    drawn (k=1), and their middle half (25th and 75th percentiles)."""
    ratios = [page[k] / empty[k] for empty, page in pairs]
    if len(ratios) < 2:
        return {"median": round(ratios[0], 2), "middle_half": [round(ratios[0], 2)] * 2}
    low, _, high = statistics.quantiles(ratios, n=4)
    return {
        "median": round(statistics.median(ratios), 2),
        "middle_half": [round(low, 2), round(high, 2)],
    }


def summary(pairs: list[tuple[tuple[float, float], tuple[float, float]]]) -> dict[str, Any]:
    """Medians of idle and drawn, page and empty, the ratios of the medians, and the median and
    middle half of the pairs' ratios."""
    med = {
        f"{side}_{kind}_ms": round(statistics.median(pair[s][k] for pair in pairs), 1)
        for s, side in enumerate(("empty", "page"))
        for k, kind in enumerate(("idle", "drawn"))
    }
    return {
        **med,
        "idle_ratio": round(med["page_idle_ms"] / med["empty_idle_ms"], 2),
        "drawn_ratio": round(med["page_drawn_ms"] / med["empty_drawn_ms"], 2),
        "idle_pairs": pair_ratios(pairs, 0),
        "drawn_pairs": pair_ratios(pairs, 1),
        "visits": len(pairs),
    }


def line(name: str, s: dict[str, Any]) -> str:
    """One page's figures on one line."""
    idle, drawn = s["idle_pairs"], s["drawn_pairs"]
    return (
        f"{name}: idle {s['page_idle_ms']:.0f} ms ({s['idle_ratio']:.2f}x the empty page's "
        f"{s['empty_idle_ms']:.0f}; pairs {idle['median']:.2f}x, middle half "
        f"{idle['middle_half'][0]:.2f}-{idle['middle_half'][1]:.2f}), drawn "
        f"{s['page_drawn_ms']:.0f} ms ({s['drawn_ratio']:.2f}x the empty page's "
        f"{s['empty_drawn_ms']:.0f}; pairs {drawn['median']:.2f}x, middle half "
        f"{drawn['middle_half'][0]:.2f}-{drawn['middle_half'][1]:.2f})"
    )


def main(argv: list[str]) -> int:
    """Print the warm idle and drawn times of one store as JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.drawn", description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--pages", default=",".join(DASHBOARDS))
    parser.add_argument("--against", type=Path, default=None)
    parser.add_argument("store")
    args = parser.parse_args(argv)
    pages = [p for p in args.pages.split(",") if p]
    wrong = [p for p in pages if p not in DASHBOARDS]
    if args.repeats < 1 or not pages or wrong:
        print(f"--repeats must be 1 or more; --pages from {', '.join(DASHBOARDS)}", file=sys.stderr)
        return 2
    if args.against is not None and not (args.against / "serve.py").is_file():
        print(f"--against {args.against}: no checkout of this app there", file=sys.stderr)
        return 2
    store = store_or_say_why(args.store)
    if store is None:
        return 2
    folder = Path(__file__).resolve().parent / "results" / "drawn"
    out = run(store, folder, args.repeats, pages, args.against)
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
