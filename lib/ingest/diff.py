"""The diff of a validated upload with the store, one for every kind: the plan's records joined
to the store's current rows of the same key, each new, changed (old → new) or unchanged, where a
column the file lacks keeps the stored value. Also finds the batch that already imported a file.
Reads the store only."""

from __future__ import annotations

from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from lib.ingest.kinds import KindSpec
from lib.ingest.plan import DIFF, Plan
from lib.store.models import ImportBatch


def same(a: Any, b: Any) -> bool:
    """Equal values, floats within a relative 1e-9 (as the diff compares them)."""
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)), abs(float(b)))
    return bool(a == b)


def _same(field: str, dtype: Any) -> pl.Expr:
    """A record's field equals the stored one: floats within a relative 1e-9, else equal (two
    nulls are equal)."""
    a, b = pl.col(field), pl.col(f"old_{field}")
    if dtype != pl.Float64:
        return a.eq_missing(b)
    close = (a - b).abs() <= 1e-9 * pl.max_horizontal(pl.lit(1.0), a.abs(), b.abs())
    return pl.when(a.is_null() | b.is_null()).then(a.is_null() & b.is_null()).otherwise(close)


def current_frame(session: Session, spec: KindSpec, records: pl.DataFrame) -> pl.DataFrame:
    """The store's current rows for the keys the records could touch (the newest per key):
    old_id, the key fields, and old_<field> for each compared field."""
    keys, compare = spec.key_fields, spec.compare_fields
    schema = pl.Schema(
        [
            ("old_id", pl.Int64),
            *[(k, spec.schema[k]) for k in keys],
            *[(f"old_{f}", spec.schema[f]) for f in compare],
        ]
    )
    if records.is_empty():
        return pl.DataFrame(schema=schema)
    c = spec.table.c
    stmt = select(c.id, *(c[k] for k in keys), *(c[f] for f in compare))
    stmt = stmt.where(c.is_current.is_(True))
    for f in spec.scope:  # only the rows the records could touch
        stmt = stmt.where(c[f].in_(records[f].unique().sort().to_list()))
    rows = [tuple(r) for r in session.execute(stmt)]
    found = pl.DataFrame(rows, schema=schema, orient="row")
    return found.sort("old_id").unique(subset=list(keys), keep="last", maintain_order=True)


def diff_frame(session: Session, plan: Plan, records: pl.DataFrame) -> pl.DataFrame:
    """The diff as a frame: the records plus status (new / changed / unchanged), old_id and the
    stored values they replace, in file order."""
    spec = plan.spec
    current = current_frame(session, spec, records)
    joined = records.join(current, on=list(spec.key_fields), how="left", nulls_equal=True)
    stored = pl.col("old_id").is_not_null()
    kept = [  # a column the file does not have keeps the stored value
        pl.when(stored).then(pl.col(f"old_{f}")).otherwise(pl.col(f)).alias(f)
        for f in spec.compare_fields
        if f in plan.absent
    ]
    if kept:
        joined = joined.with_columns(kept)
    equal = pl.all_horizontal([_same(f, spec.schema[f]) for f in spec.compare_fields])
    status = (
        pl.when(~stored)
        .then(pl.lit("new"))
        .when(equal)
        .then(pl.lit("unchanged"))
        .otherwise(pl.lit("changed"))
    )
    return joined.with_columns(status.alias(DIFF)).sort("row", maintain_order=True)


def update_diff(session: Session, plan: Plan) -> None:
    """Compare the plan's records with the store (again, before a commit)."""
    if plan.frame is not None:
        plan.diff_frame = diff_frame(session, plan, plan.frame)


def committed_batch(session: Session, sha: str, kind: str) -> ImportBatch | None:
    """The committed (not undone) batch that imported a file with this sha256, if any."""
    return session.scalars(
        select(ImportBatch)
        .where(
            ImportBatch.sha256 == sha, ImportBatch.kind == kind, ImportBatch.status == "committed"
        )
        .order_by(ImportBatch.id.desc())
        .limit(1)
    ).first()
