"""The diff of a validated upload with the store: each record new, changed (old → new) or
unchanged against the store's current row of the same key, one entry point (update_diff) for
every kind. Observations are compared as frames (a join); targets and stations as lists, where
a column the file lacks keeps the stored value. Also finds the batch that already imported a
file. Reads the store only."""

from __future__ import annotations

from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from lib.ingest.kinds import OBSERVATION_SCHEMA, OBSERVATIONS, KindSpec
from lib.ingest.plan import Change, Plan
from lib.ingest.rows import Record
from lib.store.models import ImportBatch, Observation


def same(a: Any, b: Any) -> bool:
    """Equal values, floats within a relative 1e-9."""
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)), abs(float(b)))
    return bool(a == b)


def current_rows(
    session: Session, spec: KindSpec, records: list[Record]
) -> dict[tuple[Any, ...], Record]:
    """The store's current rows for the keys the records could touch, by key."""
    model = spec.model
    cols = ["id", *spec.key_fields, *spec.compare_fields]
    stmt = select(*(getattr(model, c) for c in cols)).where(model.is_current.is_(True))
    for f in spec.scope:  # only the rows the records could touch
        stmt = stmt.where(model.__table__.c[f].in_(sorted({r[f] for r in records})))
    found: dict[tuple[Any, ...], Record] = {}
    for row in session.execute(stmt):
        rec = dict(zip(cols, row, strict=True))
        key = spec.key(rec)
        if key not in found or rec["id"] > found[key]["id"]:
            found[key] = rec
    return found


def _diff_list(session: Session, plan: Plan) -> list[Change]:
    """Compare the plan's records with the store: new, changed (old → new) or unchanged."""
    if not plan.records:
        return []
    spec = plan.spec
    current = current_rows(session, spec, plan.records)
    changes: list[Change] = []
    compare = spec.compare_fields
    keep = [f for f in compare if f in plan.absent]
    for row, rec in zip(plan.record_rows, plan.records, strict=True):
        old = current.get(spec.key(rec))
        if old is not None:
            for f in keep:  # a column the file does not have keeps the stored value
                rec[f] = old[f]
        if old is None:
            changes.append(Change("new", row, rec))
        elif all(same(rec[f], old[f]) for f in compare):
            changes.append(Change("unchanged", row, rec, old["id"], old))
        else:
            changes.append(Change("changed", row, rec, old["id"], old))
    return changes


OBS_KEY = OBSERVATIONS.key_fields


def current_frame(session: Session, records: pl.DataFrame) -> pl.DataFrame:
    """The store's current observations for the keys the records could touch (newest per key):
    old_id, the key fields, old_value, old_qualifier."""
    keys = [(k, OBSERVATION_SCHEMA[k]) for k in OBS_KEY]
    schema = pl.Schema(
        [("old_id", pl.Int64), *keys, ("old_value", pl.Float64), ("old_qualifier", pl.String)]
    )
    if records.is_empty():
        return pl.DataFrame(schema=schema)
    o = Observation
    stmt = select(
        o.id, o.org_id, o.indicator_id, o.year, o.quarter, o.period_note, o.value, o.qualifier
    ).where(
        o.is_current.is_(True),
        o.org_id.in_(records["org_id"].unique().sort().to_list()),
        o.indicator_id.in_(records["indicator_id"].unique().sort().to_list()),
        o.year.in_(records["year"].unique().sort().to_list()),
    )
    rows = [tuple(r) for r in session.execute(stmt)]
    found = pl.DataFrame(rows, schema=schema, orient="row")
    return found.sort("old_id").unique(subset=list(OBS_KEY), keep="last", maintain_order=True)


def _diff_frame(session: Session, records: pl.DataFrame) -> pl.DataFrame:
    """The observations diff as a frame: the records plus status (new / changed / unchanged),
    old_id, old_value and old_qualifier, in file order (what _diff_list does, by a join)."""
    current = current_frame(session, records)
    joined = records.join(current, on=list(OBS_KEY), how="left", nulls_equal=True)
    a, b = pl.col("value"), pl.col("old_value")
    same_value = (a - b).abs() <= 1e-9 * pl.max_horizontal(pl.lit(1.0), a.abs(), b.abs())
    same = same_value.fill_null(False) & pl.col("qualifier").eq_missing(pl.col("old_qualifier"))
    status = (
        pl.when(pl.col("old_id").is_null())
        .then(pl.lit("new"))
        .when(same)
        .then(pl.lit("unchanged"))
        .otherwise(pl.lit("changed"))
    )
    return joined.with_columns(status.alias("status")).sort("row", maintain_order=True)


def update_diff(session: Session, plan: Plan) -> None:
    """Compare the plan's records with the store (a frame for observations, else a list)."""
    if plan.frame is not None:
        plan.set_diff(_diff_frame(session, plan.frame))
    else:
        plan.changes = _diff_list(session, plan)


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
