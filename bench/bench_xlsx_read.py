"""Workbook read benchmark: `python -m bench.bench_xlsx_read [--rows 100000] [--repeat 3]`.

Writes a long-layout .xlsx of ROWS figures (单位, 指标, 年份, 季度, 数值; text and numbers, as a
clerk's sheet) and times reading its cells three ways: openpyxl in read-only mode, cell by cell
(the reader before issue 19, lib/ingest/xlsx_read.py at c757cf5); calamine in this process
(lib.ingest.xlsx_read.read_sheet); and the importer's whole guarded read (lib.ingest.guard:
pre-parse inspection, a fresh worker process, its answer pickled back). Medians of REPEAT runs.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable

from lib.ingest import guard, xlsx_read

ORGS = ("daxing", "大兴区总工会", "黄村镇总工会", "西红门镇总工会")


def build(rows: int) -> bytes:
    """An .xlsx of `rows` data rows under a one-row header."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("观测数据")
    ws.append(["单位", "指标", "年份", "季度", "数值"])
    for i in range(rows):
        value: object = f"{i % 90 + 1}万余" if i % 7 == 0 else i % 5000
        ws.append([ORGS[i % 4], "job_fairs", 2000 + i // 4 % 26, f"Q{i % 4 + 1}", value])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_openpyxl(data: bytes) -> int:
    """The old reader: openpyxl read-only, every row's values; the number of rows."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    ws = wb.worksheets[0]
    ws.reset_dimensions()
    n = sum(1 for _ in ws.iter_rows(values_only=True))
    wb.close()
    return n


def read_calamine(data: bytes) -> int:
    """The new reader in this process; the number of rows."""
    return len(xlsx_read.read_sheet(data, None, frozenset())[0])


def read_guarded(data: bytes) -> int:
    """The importer's read: inspection plus the worker process; the number of rows."""
    guard.inspect_workbook(data, ".xlsx")
    return len(guard.parse_xlsx(data, None, frozenset())[0])


def median_seconds(fn: Callable[[bytes], int], data: bytes, repeat: int, rows: int) -> float:
    """The median wall time of fn(data) over `repeat` runs (each must see rows + 1 rows)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        if fn(data) != rows + 1:
            raise SystemExit(f"{fn.__name__} did not read every row")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Build the file, time the readers, print seconds and rows per second."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    data = build(args.rows)
    print(f"{args.rows} rows, {len(data) / 2**20:.1f} MB .xlsx")
    results = {}
    for fn in (read_openpyxl, read_calamine, read_guarded):
        s = median_seconds(fn, data, args.repeat, args.rows)
        results[fn.__name__] = s
        print(f"{fn.__name__:14s} {s:6.2f} s  {args.rows / s:10,.0f} rows/s")
    print(
        f"guarded calamine vs openpyxl: {results['read_openpyxl'] / results['read_guarded']:.1f}x"
    )


if __name__ == "__main__":
    main()
