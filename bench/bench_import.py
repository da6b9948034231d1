"""Import benchmark: `python -m bench.bench_import [--rows 100000]`.

Builds a seeded SQLite store in a temp folder, writes a long-layout CSV of ROWS new quarterly
figures (every seed org × indicator × quarter, year after year), and times the upload page's path
through the importer — prepare (parse + validate + diff, with a progress callback), the diff
signature, the summary and preview tables, then the versioned commit (batch, source, audit row,
data version, the signature re-checked against the store) — against a plain sqlite3 executemany of
the same rows into the same table of an identical copy of the store (the rows the importer wrote,
read back). Each timed section starts after a gc.collect(), so neither pays for the garbage of
the setup (migrations, seeding). Prints rows per second and the ratio of the rates (target: the
whole path at least half the plain executemany's rate).
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from lib.ingest import importer, preview, seed
from lib.ingest.bounds import YEAR_MIN, year_max
from lib.ingest.plan import Plan
from lib.store import db

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = (
    "org_id",
    "indicator_id",
    "year",
    "quarter",
    "period_note",
    "value",
    "qualifier",
    "source_id",
    "locator",
    "batch_id",
    "replaces_id",
    "is_current",
    "is_synthetic",
    "created_at",
)
PLAIN_INSERT = (
    "INSERT INTO observation (org_id, indicator_id, year, quarter, period_note, value, qualifier, "
    "source_id, locator, batch_id, replaces_id, is_current, is_synthetic, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
PREVIEW_LIMIT = 2_000  # rows per preview table, as lib.ui.upload.PREVIEW_LIMIT (no streamlit here)


def write_csv(path: Path, rows: int) -> int:
    """A long-layout file of `rows` new figures typed the way clerks type them; its row count.

    Years run within the importer's bounds (2000 … next year) and the seed holds no quarterly
    figures, so every row is new; past the last year the keys repeat under a period note
    (基准测试 2, 3, …). Rates (unit %) stay within 0–100."""
    seed_dir = ROOT / "data" / "seed"
    orgs = [r["code"] for r in csv.DictReader(open(seed_dir / "orgs.csv", encoding="utf-8-sig"))]
    inds = [
        (r["code"], r["unit_zh"] == "%" or r["kind"] == "rate")
        for r in csv.DictReader(open(seed_dir / "indicators.csv", encoding="utf-8-sig"))
    ]
    spellings = ("{n}", "{n}余", "{c}", "近{n}", "{w}万")
    n, year, cycle = 0, YEAR_MIN, 1
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["单位", "指标", "年份", "季度", "数值", "期间说明"])
        while n < rows:
            if year > year_max():
                year, cycle = YEAR_MIN, cycle + 1
            note = "" if cycle == 1 else f"基准测试 {cycle}"
            for org in orgs:
                for ind, rate in inds:
                    for q in (1, 2, 3, 4):
                        if n >= rows:
                            break
                        v = n % 9973 + 10
                        text = spellings[n % len(spellings)].format(
                            n=v, c=f"{v * 100:,}", w=round(v / 1000, 2)
                        )
                        writer.writerow(
                            [org, ind, year, f"Q{q}", f"{v % 101}" if rate else text, note]
                        )
                        n += 1
            year += 1
    return n


def build_store(folder: Path) -> Path:
    """A migrated, seeded SQLite store in folder; its path."""
    path = folder / "kpi.db"
    url = f"sqlite:///{path}"
    db.upgrade(url)
    seed.seed(url)
    db.get_engine(url).dispose()
    db.get_engine.cache_clear()
    return path


def plain_executemany(path: Path, rows: list[tuple]) -> float:
    """Seconds for sqlite3 executemany of rows into observation, one transaction."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        gc.collect()
        start = time.perf_counter()
        with conn:
            conn.executemany(PLAIN_INSERT, rows)
        return time.perf_counter() - start
    finally:
        conn.close()


def xlsx_prepare_seconds(csv_path: Path, url: str) -> float:
    """Seconds to prepare (read, validate, diff) the same rows saved as an .xlsx sheet."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("指标数据")
    with open(csv_path, encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            ws.append(row)
    xlsx_path = csv_path.with_suffix(".xlsx")
    wb.save(xlsx_path)
    start = time.perf_counter()
    plan = importer.prepare(xlsx_path.read_bytes(), xlsx_path.name, url=url)
    seconds = time.perf_counter() - start
    if plan.problems or not plan.changes:
        raise SystemExit("the .xlsx copy of the benchmark file was not read like the CSV")
    return seconds


def _progress(_stage: str, _fraction: float) -> None:
    """The upload page's progress bar, minus the drawing."""


def upload_preview(data: bytes, name: str, url: str) -> tuple[Plan, tuple]:
    """What the upload page does before its import button: prepare the plan, keep its signature,
    show the summary, counts and preview tables; (plan, signature)."""
    plan = importer.prepare(data, name, url=url, progress=_progress)
    if plan.problems:
        raise SystemExit(f"benchmark file refused: {plan.problems[0].line()}")
    expected = plan.signature()
    shown = [preview.summary(plan), plan.n_new, plan.n_changed, plan.n_unchanged]
    for status in ("changed", "new", "unchanged"):
        if plan.count(status):
            shown.append(preview.preview_frame(plan, status, PREVIEW_LIMIT))
    return plan, expected


def run(rows: int, xlsx: bool = False) -> dict[str, float]:
    """Time the importer and the plain executemany for `rows` rows; the measurements."""
    with tempfile.TemporaryDirectory(prefix="bench_import_") as tmp:
        folder = Path(tmp)
        store = build_store(folder)
        plain_store = folder / "plain.db"
        shutil.copyfile(store, plain_store)
        data_path = folder / "BIG.csv"
        n = write_csv(data_path, rows)
        data = data_path.read_bytes()
        url = f"sqlite:///{store}"

        gc.collect()  # settle the setup's garbage (migrations, seeding) before timing
        start = time.perf_counter()
        plan, expected = upload_preview(data, data_path.name, url)
        prepared = time.perf_counter()
        result = importer.commit(
            plan, "bench", confirm=True, url=url, expected=expected, progress=_progress
        )
        committed = time.perf_counter()
        db.get_engine(url).dispose()
        db.get_engine.cache_clear()

        con = sqlite3.connect(store)
        try:
            same = con.execute(
                f"SELECT {', '.join(COLUMNS)} FROM observation WHERE batch_id = ? ORDER BY id",  # noqa: S608
                (result.batch_id,),
            ).fetchall()
        finally:
            con.close()
        if len(same) != n:
            raise SystemExit(f"the importer wrote {len(same)} rows, not {n}")
        plain_rows = [(*r[:9], None, None, 1, 0, r[13]) for r in same]
        plain_s = plain_executemany(plain_store, plain_rows)
        xlsx_s = xlsx_prepare_seconds(data_path, f"sqlite:///{plain_store}") if xlsx else None
        db.get_engine.cache_clear()

    return measurements(n, prepared - start, committed - prepared, plain_s, xlsx_s)


def measurements(
    n: int, prepare_s: float, write_s: float, plain_s: float, xlsx_s: float | None = None
) -> dict[str, float]:
    """The reported figures from the timed sections' seconds."""
    total_s = prepare_s + write_s
    return {
        "rows": n,
        "prepare_s": round(prepare_s, 3),
        "write_s": round(write_s, 3),
        "total_s": round(total_s, 3),
        "importer_write_rows_per_s": round(n / write_s),
        "importer_total_rows_per_s": round(n / total_s),
        "plain_executemany_s": round(plain_s, 3),
        "plain_executemany_rows_per_s": round(n / plain_s),
        "write_ratio_importer_vs_plain": round(write_s / plain_s, 2),
        "total_ratio_importer_vs_plain": round(total_s / plain_s, 2),
        "rate_ratio_importer_vs_plain": round(plain_s / total_s, 2),
        **({"xlsx_prepare_s": round(xlsx_s, 3)} if xlsx_s is not None else {}),
    }


def report(m: dict[str, float]) -> str:
    """The measurements as a few readable lines."""
    return "\n".join(
        [
            f"rows: {m['rows']:,}" + (f" (median of {m['runs']} runs)" if "runs" in m else ""),
            f"importer parse+validate+diff+preview: {m['prepare_s']:.2f} s",
            f"importer commit (versioned insert, batch, audit, data version): {m['write_s']:.2f} s "
            f"= {m['importer_write_rows_per_s']:,} rows/s",
            f"importer end to end: {m['total_s']:.2f} s = {m['importer_total_rows_per_s']:,} rows/s",
            f"plain sqlite3 executemany of the same rows: {m['plain_executemany_s']:.2f} s "
            f"= {m['plain_executemany_rows_per_s']:,} rows/s",
            f"ratio importer/plain: write {m['write_ratio_importer_vs_plain']}x, "
            f"end to end {m['total_ratio_importer_vs_plain']}x",
            f"importer rows/s as a share of plain executemany rows/s: "
            f"{m['rate_ratio_importer_vs_plain']:.2f} (target >= 0.5)",
        ]
        + (
            [f"the same rows as .xlsx: parse+validate+diff {m['xlsx_prepare_s']:.2f} s"]
            if "xlsx_prepare_s" in m
            else []
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the report (and JSON with --json)."""
    p = argparse.ArgumentParser(prog="python -m bench.bench_import", description=__doc__)
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--json", action="store_true", help="print the measurements as JSON too")
    p.add_argument("--xlsx", action="store_true", help="also time reading the rows as .xlsx")
    p.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run N times (a fresh store each time) and report the median of each timing",
    )
    args = p.parse_args(argv)
    runs = [run(args.rows, args.xlsx) for _ in range(max(args.repeat, 1))]
    if len(runs) == 1:
        m = runs[0]
    else:
        for i, r in enumerate(runs, 1):
            print(f"run {i}: rows/s share {r['rate_ratio_importer_vs_plain']:.2f}", file=sys.stderr)
        xlsx = [r["xlsx_prepare_s"] for r in runs if "xlsx_prepare_s" in r]
        m = measurements(
            runs[0]["rows"],
            statistics.median(r["prepare_s"] for r in runs),
            statistics.median(r["write_s"] for r in runs),
            statistics.median(r["plain_executemany_s"] for r in runs),
            statistics.median(xlsx) if xlsx else None,
        )
        m["runs"] = len(runs)
    print(report(m))
    if args.json:
        print(json.dumps(m))
    return 0


if __name__ == "__main__":
    sys.exit(main())
