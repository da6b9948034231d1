"""Validation of an upload: find the header, map the columns of the kind, then read every data
row (the fast path of lib.ingest.fast first for an observations CSV, else row by row with the
kind's row reader), collecting every problem at once as codes with parameters (nothing is
translated here). A plan with any problem holds no record."""

from __future__ import annotations

from dataclasses import replace
from itertools import islice

import polars as pl

from lib.ingest import report_layout
from lib.ingest.catalog import Catalog
from lib.ingest.cells import cell_text, is_blank
from lib.ingest.fast import validate_fast
from lib.ingest.kinds import SPECS, detect_kind
from lib.ingest.layout import (
    Layout,
    build_layout,
    csv_row_shape,
    find_header,
    is_comment,
    nonblank,
    report_header,
    row_text,
    skip_reason,
    title_rows,
)
from lib.ingest.plan import Plan, records_frame
from lib.ingest.problems import Amount, Msg, Problem
from lib.ingest.read import Grid, Progress
from lib.ingest.rows import Record, RowCheck

PROGRESS_ROWS = 5_000  # rows between progress reports


def annual_problems(plan: Plan, catalog: Catalog, layout: Layout) -> list[Problem]:
    """A problem for each full-year figure of an additive indicator (quarters add up to the year)
    that differs from the sum of the same file's four exact quarters of that year."""
    frame = plan.frame
    if frame is None or frame.is_empty():
        return []
    additive = [i for i, d in catalog.ind_by_id.items() if d.rollup == "sum"]
    keys = ["org_id", "indicator_id", "year", "period_note"]
    figures = frame.filter(pl.col("indicator_id").is_in(additive))
    quarters = (
        figures.filter(pl.col("quarter").is_not_null())
        .group_by(keys)
        .agg(
            pl.col("quarter").n_unique().alias("n"),
            pl.col("value").sum().alias("total"),
            (pl.col("qualifier") == "exact").all().alias("exact"),
        )
    )
    years = figures.filter(pl.col("quarter").is_null() & (pl.col("qualifier") == "exact"))
    a, b = pl.col("value"), pl.col("total")
    wrong = (
        years.join(quarters, on=keys, how="inner", nulls_equal=True)
        .filter(
            (pl.col("n") == 4)
            & pl.col("exact")
            & ((a - b).abs() > 1e-9 * pl.max_horizontal(pl.lit(1.0), a.abs(), b.abs()))
        )
        .sort("row")
    )
    annual_cols = [c for c, (_y, q) in layout.periods.items() if q is None]
    col = annual_cols[0] if layout.wide and annual_cols else layout.fields.get("value", 0)
    header = layout.headers[col] if col < len(layout.headers) else ""
    found = []
    for r in wrong.iter_rows(named=True):
        unit = catalog.ind_by_id[r["indicator_id"]].unit_zh
        params = {"annual": Amount(r["value"], unit), "total": Amount(r["total"], unit)}
        found.append(
            Problem("upload.err.annual_sum", params, r["row"], header, cell_text(r["value"]))
        )
    return found


def _read_header(
    plan: Plan, table: Grid, idx: int, header: list[str], kind: str | None, catalog: Catalog
) -> Layout:
    """The layout of the header row at index idx (titles above it and a second header row
    listed as skipped, the kind detected unless given); its problems go to the plan."""
    plan.skipped += title_rows(table, idx)
    header = report_header(table, idx, header, plan.skipped)
    spec = SPECS[kind] if kind else detect_kind(table, header)
    plan.kind = spec.name
    header_row = table.number(idx)
    layout, problems, plan.ignored = build_layout(spec.columns, spec.wide_ok, header_row, header)
    above = list(islice(table.iter_rows(), idx))  # not table.rows: a CSV's are built lazily
    layout = report_layout.apply_unit_note(above, layout, plan.skipped, catalog.ind_by_id)
    plan.layout = "wide" if layout.wide else "long"
    plan.absent = {f for f in spec.keep_if_absent if f not in layout.fields}
    if table.encoding == "GB18030":  # a header not understood may be a mis-guessed encoding
        note = Msg("upload.err.encoding_hint", {"encoding": "GBK/GB18030"})
        problems = [replace(p, notes=(note,)) if p.value == "" else p for p in problems]
    plan.problems += problems
    return layout


def _data_rows(plan: Plan, table: Grid, idx: int) -> list[tuple[int, list[object]]]:
    """The rows below the header row that hold figures; totals and signature lines skipped."""
    found = []
    for r, c in table.rows[idx + 1 :]:
        if not nonblank(c) or is_comment(c):
            continue
        reason = skip_reason(c)
        if reason:
            plan.skipped.append((r, row_text(table.shown.get(r, c)), reason))
        else:
            found.append((r, c))
    return found


def _stray_cells(cells: list[object], layout: Layout, seen: set[int]) -> list[Problem]:
    """A problem for each column under no header that first holds something in this row."""
    header = layout.headers
    found = []
    for col, value in enumerate(cells):
        if (col >= len(header) or not header[col]) and not is_blank(value) and col not in seen:
            seen.add(col)
            found.append(
                Problem(
                    "upload.err.blank_header",
                    {},
                    layout.header_row,
                    f"#{col + 1}",
                    cell_text(value),
                )
            )
    return found


class _Rows:
    """The records read so far, their file rows, and the first row of each key."""

    def __init__(self) -> None:
        """Start with none."""
        self.records: list[Record] = []
        self.rows: list[int] = []
        self.seen: dict[tuple[object, ...], int] = {}


def _read_row(plan: Plan, check: RowCheck, catalog: Catalog, read: _Rows) -> None:
    """Read one data row: its records, or its problems (a repeated record too) into the plan."""
    spec = plan.spec
    for col, record in spec.read_row(check, catalog, plan.file_name):
        if record is None:
            plan.n_blank += 1
            continue
        key = spec.key(record)
        if key in read.seen:
            params = {"other": read.seen[key], "what": Msg(f"upload.dup.{plan.kind}")}
            value = cell_text(check.raw(col))
            check.problems.append(
                Problem("upload.err.duplicate_row", params, check.row, check.header(col), value)
            )
            continue
        read.seen[key] = check.row
        read.records.append(record)
        read.rows.append(check.row)
    plan.problems.extend(check.problems)


def _validate_rows(
    plan: Plan, table: Grid, idx: int, layout: Layout, catalog: Catalog, progress: Progress | None
) -> None:
    """Read every data row one by one into the plan's records, or list every problem."""
    data_rows = _data_rows(plan, table, idx)
    total = max(len(data_rows), 1)
    width = max((i + 1 for i, h in enumerate(layout.headers) if h), default=0)
    stray: set[int] = set()
    read = _Rows()
    for n, (row, cells) in enumerate(data_rows, 1):
        if table.delimiter:
            plan.problems.extend(csv_row_shape(row, cells, width, table.delimiter))
        plan.problems.extend(_stray_cells(cells, layout, stray))
        _read_row(plan, RowCheck(row, cells, layout), catalog, read)
        if progress and n % PROGRESS_ROWS == 0:
            progress("validate", n / total)
    plan.n_rows = len(data_rows)
    if not data_rows and not any(nonblank(c) for _r, c in table.rows[idx + 1 :]):
        plan.problems.append(Problem("upload.err.no_rows"))
    if not plan.problems:
        plan.frame = records_frame(plan.spec.schema, read.records, read.rows)
    if not plan.problems and plan.kind == "observations":
        plan.problems.extend(annual_problems(plan, catalog, layout))
    if plan.problems:
        plan.frame = None


def validate(
    table: Grid,
    kind: str | None,
    file_name: str,
    catalog: Catalog,
    progress: Progress | None = None,
    fast: bool = True,
) -> Plan:
    """Check every row of a table; the plan holds the records, or every problem found.

    Observations of a CSV are checked column by column first (fast=True, lib.ingest.fast); a file
    the fast path declines is read row by row, so its problems are listed exactly as the
    row-by-row reading lists them."""
    plan = Plan(kind or "observations", file_name, "", encoding=table.encoding, sheet=table.sheet)
    found = find_header(table)
    if found is None:
        nonempty = any(nonblank(c) and not is_comment(c) for _r, c in table.rows)
        plan.problems.append(Problem("upload.err.no_header" if nonempty else "upload.err.empty"))
        return plan
    idx, header = found
    layout = _read_header(plan, table, idx, header, kind, catalog)
    if plan.problems:
        return plan
    if fast and validate_fast(plan, table, idx, layout, catalog):
        plan.problems.extend(annual_problems(plan, catalog, layout))
        if plan.problems:
            plan.frame = None
    else:
        _validate_rows(plan, table, idx, layout, catalog, progress)
    if progress:
        progress("validate", 1.0)
    return plan
