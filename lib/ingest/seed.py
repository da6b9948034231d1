"""Builds the shipped data set from data/seed/*.csv into an empty store, in one transaction and one
import batch. The orgs, indicators and sources are the catalogue and load as they are; the
figures, targets and stations go through the upload pipeline's reading and validation (the same
columns, cell readers, bounds and duplicate checks as a clerk's file) and its insert. Refuses a
store that already holds orgs (a second load never duplicates)."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lib.core.catalog import CATEGORIES
from lib.ingest.catalog import Catalog
from lib.ingest.kinds import OBSERVATIONS, STATIONS, TARGETS, KindSpec
from lib.ingest.read import read_csv_bytes
from lib.ingest.validate import validate
from lib.ingest.write import insert_frame
from lib.store.db import bump_data_version, ensure_schema, refresh_statistics, session_scope
from lib.store.models import (
    INDICATOR_KINDS,
    ORG_LEVELS,
    ROLLUPS,
    ImportBatch,
    Indicator,
    Org,
    Source,
    utcnow,
)

SEED_DIR = Path(__file__).resolve().parents[2] / "data" / "seed"
FILES = ("orgs", "indicators", "sources", "observations", "targets", "stations")


class SeedError(Exception):
    """The seed cannot be loaded (store not empty, or a CSV row is wrong)."""


@dataclass(frozen=True)
class SeedResult:
    """Counts of what a seed load wrote."""

    orgs: int
    indicators: int
    sources: int
    observations: int
    targets: int
    stations: int
    batch_id: int


def read_csv(name: str, seed_dir: Path = SEED_DIR) -> list[dict[str, str]]:
    """Rows of data/seed/<name>.csv as dicts of stripped strings."""
    with open(seed_dir / f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
        return [
            {k.strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)
        ]


def seed_sha256(seed_dir: Path = SEED_DIR) -> str:
    """The sha256 of all seed CSVs, in a fixed order."""
    digest = hashlib.sha256()
    for name in FILES:
        digest.update((seed_dir / f"{name}.csv").read_bytes())
    return digest.hexdigest()


def _check(cond: bool, where: str, msg: str) -> None:
    """Raise SeedError naming the file and row when cond is false."""
    if not cond:
        raise SeedError(f"{where}: {msg}")


def store_is_empty(session: Session) -> bool:
    """Whether the store holds no org yet."""
    return (session.scalar(select(func.count()).select_from(Org)) or 0) == 0


def _load_orgs(session: Session, seed_dir: Path) -> int:
    """Add the orgs (a parent before its children); their count."""
    orgs: dict[str, Org] = {}
    for i, row in enumerate(read_csv("orgs", seed_dir), start=2):
        where = f"orgs.csv row {i}"
        _check(row["level"] in ORG_LEVELS, where, f"unknown level {row['level']!r}")
        _check(row["code"] not in orgs, where, f"duplicate code {row['code']!r}")
        parent = orgs.get(row["parent_code"]) if row["parent_code"] else None
        _check(not row["parent_code"] or parent is not None, where, "parent must come first")
        org = Org(
            code=row["code"],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            level=row["level"],
            parent=parent,
        )
        session.add(org)
        orgs[org.code] = org
    return len(orgs)


def _load_indicators(session: Session, seed_dir: Path) -> int:
    """Add the indicator catalogue in file order; its count."""
    codes: set[str] = set()
    for i, row in enumerate(read_csv("indicators", seed_dir), start=2):
        where = f"indicators.csv row {i}"
        _check(row["category"] in CATEGORIES, where, f"unknown category {row['category']!r}")
        _check(row["kind"] in INDICATOR_KINDS, where, f"unknown kind {row['kind']!r}")
        _check(row["rollup"] in ROLLUPS, where, f"unknown rollup {row['rollup']!r}")
        _check(row["direction"] in ("up", "down"), where, "direction must be up or down")
        _check(row["code"] not in codes, where, f"duplicate code {row['code']!r}")
        session.add(Indicator(**{k: row[k] for k in row if k != "sort_order"}, sort_order=i))
        codes.add(row["code"])
    return len(codes)


def _load_sources(session: Session, seed_dir: Path) -> int:
    """Add the source articles; their count."""
    codes: set[str] = set()
    for i, row in enumerate(read_csv("sources", seed_dir), start=2):
        _check(row["code"] not in codes, f"sources.csv row {i}", "duplicate code")
        session.add(Source(**row))
        codes.add(row["code"])
    return len(codes)


def _require_provenance(name: str, seed_dir: Path) -> None:
    """Refuse a figure, target or station without its source and locator phrase (an upload may
    leave them out; the shipped data set never does)."""
    for i, row in enumerate(read_csv(name, seed_dir), start=2):
        _check(bool(row.get("source_code")), f"{name}.csv row {i}", "a row needs its source")
        _check(bool(row.get("locator")), f"{name}.csv row {i}", "a row needs a locator phrase")


def _load_kind(
    session: Session, spec: KindSpec, catalog: Catalog, seed_dir: Path, batch_id: int
) -> int:
    """Validate data/seed/<kind>.csv as an upload of that kind is validated and insert its
    records into the seed batch; their count. SeedError naming file and row on any problem."""
    name = f"{spec.name}.csv"
    _require_provenance(spec.name, seed_dir)
    table = read_csv_bytes((seed_dir / name).read_bytes())
    plan = validate(table, spec.name, name, catalog)
    if plan.problems or plan.frame is None:
        first = plan.problems[0]
        where = name if first.row is None else f"{name} row {first.row}"
        raise SeedError(f"{where}: {first.reason('en')}")
    frame = plan.frame.drop("row")
    constants = {"batch_id": batch_id, "is_current": True, "is_synthetic": False}
    insert_frame(session, spec.table, frame, constants | {"created_at": utcnow()})
    return frame.height


def load_seed(session: Session, seed_dir: Path = SEED_DIR) -> SeedResult:
    """Load every seed CSV into an empty store within the caller's transaction: the orgs,
    indicators and sources, then the figures, targets and stations through the upload's
    validation (lib.ingest.validate)."""
    if not store_is_empty(session):
        raise SeedError("store already holds data: the seed loads only into an empty store")
    batch = ImportBatch(kind="seed", file_name="data/seed/*.csv", sha256=seed_sha256(seed_dir))
    batch.username = "seed"
    session.add(batch)
    counts = [_load_orgs(session, seed_dir)]
    counts.append(_load_indicators(session, seed_dir))
    counts.append(_load_sources(session, seed_dir))
    session.flush()
    catalog = Catalog.load(session)
    for spec in (OBSERVATIONS, TARGETS, STATIONS):
        counts.append(_load_kind(session, spec, catalog, seed_dir, batch.id))
    batch.n_new = sum(counts[3:])
    bump_data_version(session)
    session.flush()
    orgs, inds, srcs, n_obs, n_tgt, n_st = counts
    return SeedResult(orgs, inds, srcs, n_obs, n_tgt, n_st, batch.id)


def seed(url: str | None = None, seed_dir: Path = SEED_DIR) -> SeedResult:
    """Load the seed into the store at url in one transaction (nothing written on error)."""
    with session_scope(url) as session:
        result = load_seed(session, seed_dir)
    refresh_statistics(url)
    return result


def init_store(url: str | None = None) -> SeedResult | None:
    """Upgrade the schema, then load the seed if the store is empty; None if it was not empty."""
    ensure_schema(url)
    with session_scope(url) as session:
        if not store_is_empty(session):
            return None
        result = load_seed(session)
    refresh_statistics(url)
    return result
