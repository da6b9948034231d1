"""`make bench`: every benchmark of issue 7 in one run, judged against its target.

Stores (SQLite files in bench/results/, rebuilt when missing or when the seed or schema changed):
the seed data set alone, and the seed plus 1, 30, 300 and 3,000 synthetic orgs (50 stations per
org, so 150,000 at 3,000) from bench.generate. Then:

- pages: every page under AppTest on the seed and the 3,000-org store (bench.pages), first run,
  rerun after a widget change, ratio national ÷ seed, the empty page's time beside them;
- browser: every dashboard in chromium from navigation until the script became idle, cold after a
  start, cold after an upload and warm, five visits each alternating with an empty page's, as
  ratios to it; the map's bytes at 150,000 stations; the app server's peak RSS (bench.browser);
- load: bench.load, 1, 10, 50 and 100 viewers at once (protocol level, four views each) on the
  seed store, one app server and two behind the deploy recipe's nginx, against an empty page
  served at the same time (crowds alternating empty, app, app, empty; CPU ms per view each);
- import: bench.bench_import (100,000 rows through the whole upload path vs sqlite3.executemany);
- queries: every named query at national scale with its plan (bench.queries);
- growth: page, query and memory figures at 1, 30, 300 and 3,000 orgs.

Writes bench/results/latest.json and prints a summary with PASS / MISS against each target.
Options: --quick (skip the browser and import parts), --only pages,queries,... (a partial run
replaces those parts of latest.json and keeps the others).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import Any

from bench import generate, pages, report
from lib.ingest import seed
from lib.store import db
from lib.ui.navigation import PAGES

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
GROWTH = (1, 30, 300, 3000)
STATIONS_PER_ORG = 50
NOISE_MS = 20.0
TARGETS = {
    "rerun_ms": 300.0,
    "rerun_ratio": 1.5,
    "browser_cold_ratio": 2.0,
    "browser_warm_ratio": 1.5,
    "map_bytes": 5_000_000,
    "map_bytes_national": 1_500_000,
    "import_ratio": 0.5,
    "rss_mb": 1536.0,
    "load_p95_ratio": 1.5,
    "load_two_servers_views_ratio": 1.4,
}
LOAD_VIEWERS = "1,10,50,100"


def machine() -> dict[str, Any]:
    """What the benchmarks ran on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        mem = int(Path("/proc/meminfo").read_text().split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_mb": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_start": os.getloadavg(),
        "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
    }


def _stamp() -> str:
    """What a store depends on: the seed files and the schema head."""
    return f"{seed.seed_sha256()}:{db.head_revision()}"


def _stored_stamp(path: Path) -> str | None:
    """The stamp a bench store was built with (kept in its app_setting table), None if none."""
    if not path.exists():
        return None
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        try:
            row = conn.execute("SELECT value FROM app_setting WHERE key = 'bench_stamp'").fetchone()
        except sqlite3.DatabaseError:
            return None
    return row[0] if row else None


def store(n_orgs: int | None) -> str:
    """The URL of a bench store (None: the seed alone), built when missing or stale."""
    name = "seed" if n_orgs is None else f"orgs-{n_orgs}"
    path = RESULTS / f"{name}.db"
    url = f"sqlite:///{path}"
    if _stored_stamp(path) == _stamp():
        db.refresh_statistics(url)  # as after any import: a store built before may lack them
        db.get_engine(url).dispose()
        db.get_engine.cache_clear()
        return url
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    if n_orgs is None:
        db.upgrade(url)
        seed.seed(url)
    else:
        generate.generate(url, n_orgs, n_orgs * STATIONS_PER_ORG, rng_seed=1)
    db.get_engine(url).dispose()
    db.get_engine.cache_clear()
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("INSERT INTO app_setting (key, value) VALUES ('bench_stamp', ?)", (_stamp(),))
    print(f"  built {name} in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def _sub(module: str, *args: str, timeout: float = 1800) -> Any:
    """Run `python -m module args` and parse the JSON it prints last."""
    proc = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        timeout=timeout,
        check=False,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(("{", "["))]
    if proc.returncode != 0 or not lines:
        return {"error": f"exit {proc.returncode} (its messages are above): {proc.stdout[-300:]}"}
    return json.loads(lines[-1])


def page_runs(url: str) -> dict[str, dict[str, Any]]:
    """Every page's AppTest measurements on one store."""
    out = {}
    for spec in PAGES:
        res = pages.measure_page(url, spec.url_path, timeout=120, max_rss_mb=4096)
        out[spec.url_path] = res
        print(f"    {spec.url_path}: {_short(res)}", flush=True)
    return out


def _short(res: dict[str, Any]) -> str:
    """One line of a page result."""
    if "error" in res:
        return res["error"]
    return (
        f"first {res['first_ms']:.0f} ms, rerun {res['rerun_ms']:.0f} ms, widget change "
        f"{res['widget_change_ms']:.0f} ms (first change {res['change_first_ms']:.0f}, "
        f"empty {res['empty_ms']:.0f} ms), "
        f"peak {res['peak_rss_mb']:.0f} MB"
    )


def judge_pages(seed_runs: dict, national_runs: dict) -> dict[str, Any]:
    """Per page: national and seed widget-change reruns, ratio, and whether the targets hold."""
    table = {}
    for name, nat in national_runs.items():
        base = seed_runs.get(name, {})
        if "error" in nat or "error" in base:
            table[name] = {"verdict": "MISS", "why": nat.get("error") or base.get("error")}
            continue
        n_ms, s_ms = nat["widget_change_ms"], base["widget_change_ms"]
        ratio = round(n_ms / s_ms, 2) if s_ms else None
        ok = n_ms < TARGETS["rerun_ms"] and (ratio is None or ratio <= TARGETS["rerun_ratio"])
        # A few ms apart is run-to-run noise on this machine (the empty page alone varies 60-100
        # ms): such a miss is flagged, not hidden.
        noise = not ok and n_ms < TARGETS["rerun_ms"] and n_ms - s_ms < NOISE_MS
        first_ratio = (
            round(nat["change_first_ms"] / base["change_first_ms"], 2)
            if base["change_first_ms"]
            else None
        )
        table[name] = {
            "seed_change_first_ms": base["change_first_ms"],
            "national_change_first_ms": nat["change_first_ms"],
            "ratio_first_change": first_ratio,
            "seed_first_ms": base["first_ms"],
            "national_first_ms": nat["first_ms"],
            "seed_change_ms": s_ms,
            "national_change_ms": n_ms,
            "ratio_national_to_seed": ratio,
            "empty_ms": round(statistics.mean([nat["empty_ms"], base["empty_ms"]]), 1),
            "verdict": "PASS" if ok else ("MISS (within noise)" if noise else "MISS"),
        }
    return table


def growth_row(n: int, url: str, runs: dict, queries: Any) -> dict[str, Any]:
    """Page, query and memory figures of one store size."""
    ok = [r for r in runs.values() if "error" not in r]
    query_ms = sum(q["ms"] for q in queries) if isinstance(queries, list) else None
    return {
        "orgs": n,
        "overview_first_ms": runs.get("overview", {}).get("first_ms"),
        "overview_change_ms": runs.get("overview", {}).get("widget_change_ms"),
        "slowest_page_change_ms": max((r["widget_change_ms"] for r in ok), default=None),
        "slowest_page": max(ok, key=lambda r: r["widget_change_ms"])["page"] if ok else None,
        "pages_failed": sorted(r["page"] for r in runs.values() if "error" in r),
        "named_queries_total_ms": round(query_ms, 1) if query_ms is not None else None,
        "peak_rss_mb": max((r.get("peak_rss_mb", 0) for r in runs.values()), default=None),
        "store_mb": round(Path(url.split("///", 1)[1]).stat().st_size / 1e6, 1),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, write latest.json, print the summary."""
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="skip the browser and import benchmarks")
    p.add_argument(
        "--only", default="", help="comma list: pages,browser,load,import,queries,growth"
    )
    p.add_argument("--pg", default="", help="a PostgreSQL national store: time its queries too")
    p.add_argument("--rejudge", action="store_true", help="re-judge latest.json, measure nothing")
    args = p.parse_args(argv)
    if args.rejudge:
        return rejudge(args.pg)
    only = set(filter(None, args.only.split(","))) or {
        "pages",
        "browser",
        "load",
        "import",
        "queries",
        "growth",
    }
    if args.quick:
        only -= {"browser", "load", "import"}
    RESULTS.mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {"machine": machine(), "targets": TARGETS}
    if args.only and (RESULTS / "latest.json").exists():
        # A partial run replaces only the parts it measures; the others keep their earlier run
        # (each browser/load part carries its own date and load).
        earlier = json.loads((RESULTS / "latest.json").read_text(encoding="utf-8"))
        out = {**earlier, "targets": TARGETS}
    print(f"machine: {machine()}", flush=True)

    print("stores:", flush=True)
    seed_url = store(None) if only & {"pages", "growth"} else ""
    if "growth" in only:
        urls = {n: store(n) for n in GROWTH}
    else:
        urls = {3000: store(3000)} if only & {"pages", "queries", "browser"} else {}
    national = urls.get(3000, "")

    runs: dict[int | str, dict] = {}
    if only & {"pages", "growth"}:
        print("pages under AppTest (seed, then 3,000 orgs):", flush=True)
        runs["seed"] = page_runs(seed_url)
        runs[3000] = page_runs(national)
        out["pages"] = {"seed": runs["seed"], "national": runs[3000]}
        out["pages_judged"] = judge_pages(runs["seed"], runs[3000])
    if "queries" in only or "growth" in only:
        print("named queries at 3,000 orgs:", flush=True)
        out["queries"] = _sub("bench.queries", national)
        for q in out["queries"] if isinstance(out["queries"], list) else []:
            print(f"    {q['ms']:>9.1f} ms  {q['rows']:>8} rows  {q['plan_uses']}  {q['query']}")
    if args.pg:
        print("named queries on PostgreSQL:", flush=True)
        out["queries_postgresql"] = _sub("bench.queries", args.pg)
        for q in out["queries_postgresql"] if isinstance(out["queries_postgresql"], list) else []:
            print(f"    {q['ms']:>9.1f} ms  {q['rows']:>8} rows  {q['plan_uses']}  {q['query']}")
    if "growth" in only:
        print("growth (1, 30, 300 orgs; 3,000 from above):", flush=True)
        rows = []
        for n in GROWTH:
            if n not in runs:
                print(f"  {n} orgs:", flush=True)
                runs[n] = page_runs(urls[n])
            q = out["queries"] if n == 3000 else _sub("bench.queries", urls[n])
            rows.append(growth_row(n, urls[n], runs[n], q))
        out["growth"] = rows
    if "browser" in only:
        print("browser (3,000 orgs, 150,000 stations):", flush=True)
        logs = Path(tempfile.mkdtemp(prefix="bench_browser_"))
        started = machine()
        out["browser"] = _sub("bench.browser", national, str(logs), timeout=7200)
        out["browser"]["date_utc"] = started["date_utc"]  # when it started
        out["browser"]["machine"] = started
        print(f"    {out['browser']}", flush=True)
    if "load" in only:
        print(
            "load (viewers at once, seed store; one app server and two behind nginx):", flush=True
        )
        seed_url = seed_url or store(None)
        started = machine()
        out["load"] = _sub(
            "bench.load", "--n", LOAD_VIEWERS, "--servers", "2", "--store", seed_url, timeout=7200
        )
        out["load"]["machine"] = started
        for row in out["load"].get("runs", []):
            print(f"    {load_line(row)}", flush=True)
    if "import" in only:
        print("import (100,000 rows):", flush=True)
        out["import"] = _sub("bench.bench_import", "--rows", "100000", "--json")
        print(f"    {out['import']}", flush=True)

    out["summary"] = summary(out)
    (RESULTS / "latest.json").write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    print("\n".join(out["summary"]))
    print(f"written {RESULTS / 'latest.json'}")
    return 0


def rejudge(pg_url: str = "") -> int:
    """Recompute the verdicts and summary of latest.json (and add PostgreSQL query times)."""
    path = RESULTS / "latest.json"
    out = json.loads(path.read_text(encoding="utf-8"))
    if "pages" in out:
        out["pages_judged"] = judge_pages(out["pages"]["seed"], out["pages"]["national"])
    if pg_url:
        out["queries_postgresql"] = _sub("bench.queries", pg_url)
    out["summary"] = summary(out)
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print("\n".join(out["summary"]))
    return 0


def load_line(row: dict[str, Any]) -> str:
    """One line of a load run: the app beside the empty page at the same N."""
    a, e = row["app"], row["empty"]
    return (
        f"load {row['servers']} server(s), {row['viewers']} viewers: app p50/p95/max "
        f"{a['p50_ms']}/{a['p95_ms']}/{a['max_ms']} ms, {a['views_per_s']} views/s, failed "
        f"{a['failed_sessions']}, exceptions {a['exceptions']}; empty page p95 {e['p95_ms']} ms, "
        f"{e['views_per_s']} views/s; p95 ratio {row['ratio']}x; CPU per view app "
        f"{a.get('cpu_ms_per_view')} ms, empty {e.get('cpu_ms_per_view')} ms"
    )


def summary(out: dict[str, Any]) -> list[str]:
    """Lines judging every measured figure against its target."""
    lines = ["", "=== targets ==="]
    for name, row in out.get("pages_judged", {}).items():
        if "why" in row:
            lines.append(f"{row['verdict']} page {name}: {row['why']}")
            continue
        lines.append(
            f"{row['verdict']} page {name}: rerun after widget change {row['national_change_ms']:.0f}"
            f" ms at 3,000 orgs vs {row['seed_change_ms']:.0f} ms at seed = "
            f"{row['ratio_national_to_seed']}x (median of 6 changes; target < 300 ms and <= 1.5x);"
            f" first change {row['national_change_first_ms']:.0f} / "
            f"{row['seed_change_first_ms']:.0f} ms = {row['ratio_first_change']}x; first run "
            f"{row['national_first_ms']:.0f} / {row['seed_first_ms']:.0f} ms; "
            f"empty page {row['empty_ms']:.0f} ms"
        )
    br = out.get("browser", {})
    for name, row in br.get("pages", {}).items():
        if "warm" not in row:
            continue
        for kind, limit in (
            ("cold_start", TARGETS["browser_cold_ratio"]),
            ("cold_upload", TARGETS["browser_cold_ratio"]),
            ("warm", TARGETS["browser_warm_ratio"]),
        ):
            r = row[kind]
            lines.append(
                f"{'PASS' if r['ratio'] <= limit else 'MISS'} browser {name} {kind}: "
                f"{r['median_ms']:.0f} ms to idle ({r['min_ms']:.0f}-{r['max_ms']:.0f}) vs empty "
                f"page {r['empty']['median_ms']:.0f} ms = {r['ratio']}x ({r['ratio_min']}-"
                f"{r['ratio_max']}; target <= {limit}x)"
            )
    if "start_to_healthy" in br:
        h = br["start_to_healthy"]
        lines.append(
            f"INFO browser process start to healthy: app server {h['app']['median_ms']:.0f} ms, "
            f"empty page's server {h['empty']['median_ms']:.0f} ms = {h['ratio']}x (the app "
            "server answers only once warm)"
        )
    if "map_bytes" in br:
        ok = br["map_bytes"] < TARGETS["map_bytes"]
        ok16 = br["map_bytes"] <= TARGETS["map_bytes_national"]
        lines.append(
            f"{'PASS' if ok else 'MISS'} / {'PASS' if ok16 else 'MISS'} map payload at 150,000 "
            f"stations: {br['map_bytes'] / 1e6:.2f} MB (targets < 5 MB / <= 1.5 MB); "
            f"{report.map_change(br)}"
        )
    runs = out.get("load", {}).get("runs", [])
    for row in runs:
        lines.append(load_line(row))
    one = {r["viewers"]: r for r in runs if r["servers"] == 1}
    two = {r["viewers"]: r for r in runs if r["servers"] == 2}
    if 50 in one:
        r = one[50]
        ok = (
            r["ratio"] is not None
            and r["ratio"] <= TARGETS["load_p95_ratio"]
            and r["app"]["failed_sessions"] == 0
            and r["app"]["exceptions"] == 0
        )
        lines.append(
            f"{'PASS' if ok else 'MISS'} 50 viewers x 4 views, one app server: p95 "
            f"{r['app']['p95_ms']} ms = {r['ratio']}x the empty page's (target <= 1.5x), "
            f"{r['app']['failed_sessions']} failed sessions, {r['app']['exceptions']} exceptions"
        )
    if 50 in one and 50 in two:
        gain = round(two[50]["app"]["views_per_s"] / one[50]["app"]["views_per_s"], 2)
        ok = gain >= TARGETS["load_two_servers_views_ratio"]
        lines.append(
            f"{'PASS' if ok else 'MISS'} two app servers behind nginx, 50 viewers: "
            f"{two[50]['app']['views_per_s']} views/s = {gain}x one server's (target >= 1.4x)"
        )
    if "app_peak_rss_mb" in br:
        ok = br["app_peak_rss_mb"] < TARGETS["rss_mb"]
        lines.append(
            f"{'PASS' if ok else 'MISS'} app server peak RSS after every page: "
            f"{br['app_peak_rss_mb']:.0f} MB (target < 1536 MB)"
        )
    imp = out.get("import", {})
    if "importer_total_rows_per_s" in imp:
        ratio = imp["importer_total_rows_per_s"] / imp["plain_executemany_rows_per_s"]
        ok = ratio >= TARGETS["import_ratio"]
        lines.append(
            f"{'PASS' if ok else 'MISS'} import: {imp['importer_total_rows_per_s']:,} rows/s end "
            f"to end vs plain executemany {imp['plain_executemany_rows_per_s']:,} rows/s = "
            f"{ratio:.2f} of it (target >= 0.5); write step alone "
            f"{imp['importer_write_rows_per_s']:,} rows/s"
        )
    for q in out.get("queries", []) if isinstance(out.get("queries"), list) else []:
        flag = "ok  " if q["plan_uses"] == "index" else "NOTE"
        lines.append(f"{flag} query {q['query']}: {q['ms']:.1f} ms, {q['plan_uses']}")
    if out.get("growth"):
        lines.append(
            "growth: orgs | overview first / change ms | slowest change ms (page) | "
            "queries total ms | peak RSS MB | store MB"
        )
        for r in out["growth"]:
            lines.append(
                f"  {r['orgs']:>5} | {r['overview_first_ms']} / {r['overview_change_ms']} | "
                f"{r['slowest_page_change_ms']} ({r['slowest_page']}) | "
                f"{r['named_queries_total_ms']} | {r['peak_rss_mb']} | {r['store_mb']}"
            )
    return lines


if __name__ == "__main__":
    sys.exit(main())
