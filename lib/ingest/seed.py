"""Builds the shipped data set from data/seed/*.csv into an empty store, in one transaction and one
import batch. Refuses a store that already holds orgs (a second load never duplicates)."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lib.core.catalog import CATEGORIES, STATION_TYPES
from lib.core.vocab import inside_china
from lib.store.db import bump_data_version, refresh_statistics, session_scope
from lib.store.models import (
    COMPARATORS,
    INDICATOR_KINDS,
    ORG_LEVELS,
    PRECISIONS,
    QUALIFIERS,
    ROLLUPS,
    ImportBatch,
    Indicator,
    Observation,
    Org,
    Source,
    Station,
    Target,
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


def _opt_int(text: str) -> int | None:
    """An int from a CSV cell, None when blank."""
    return int(text) if text else None


def _check(cond: bool, where: str, msg: str) -> None:
    """Raise SeedError naming the file and row when cond is false."""
    if not cond:
        raise SeedError(f"{where}: {msg}")


def store_is_empty(session: Session) -> bool:
    """Whether the store holds no org yet."""
    return (session.scalar(select(func.count()).select_from(Org)) or 0) == 0


def load_seed(session: Session, seed_dir: Path = SEED_DIR) -> SeedResult:
    """Load every seed CSV into an empty store within the caller's transaction."""
    if not store_is_empty(session):
        raise SeedError("store already holds data: the seed loads only into an empty store")
    batch = ImportBatch(kind="seed", file_name="data/seed/*.csv", sha256=seed_sha256(seed_dir))
    batch.username = "seed"
    session.add(batch)
    session.flush()

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

    indicators: dict[str, Indicator] = {}
    for i, row in enumerate(read_csv("indicators", seed_dir), start=2):
        where = f"indicators.csv row {i}"
        _check(row["category"] in CATEGORIES, where, f"unknown category {row['category']!r}")
        _check(row["kind"] in INDICATOR_KINDS, where, f"unknown kind {row['kind']!r}")
        _check(row["rollup"] in ROLLUPS, where, f"unknown rollup {row['rollup']!r}")
        _check(row["direction"] in ("up", "down"), where, "direction must be up or down")
        _check(row["code"] not in indicators, where, f"duplicate code {row['code']!r}")
        ind = Indicator(**{k: row[k] for k in row if k != "sort_order"}, sort_order=i)
        session.add(ind)
        indicators[ind.code] = ind

    sources: dict[str, Source] = {}
    for i, row in enumerate(read_csv("sources", seed_dir), start=2):
        _check(row["code"] not in sources, f"sources.csv row {i}", "duplicate code")
        src = Source(**row)
        session.add(src)
        sources[src.code] = src
    session.flush()

    def refs(row: dict[str, str], where: str) -> tuple[Org, Indicator | None, Source]:
        """Resolve the org, indicator and source codes of a row."""
        _check(row["org_code"] in orgs, where, f"unknown org {row['org_code']!r}")
        _check(row["source_code"] in sources, where, f"unknown source {row['source_code']!r}")
        code = row.get("indicator_code")
        if code is not None:
            _check(code in indicators, where, f"unknown indicator {code!r}")
        return orgs[row["org_code"]], indicators.get(code or ""), sources[row["source_code"]]

    seen: set[tuple] = set()
    n_obs = 0
    for i, row in enumerate(read_csv("observations", seed_dir), start=2):
        where = f"observations.csv row {i}"
        org, ind, src = refs(row, where)
        _check(row["qualifier"] in QUALIFIERS, where, f"unknown qualifier {row['qualifier']!r}")
        _check(bool(row["locator"]), where, "a figure needs a locator phrase")
        quarter = _opt_int(row["quarter"])
        _check(quarter in (None, 1, 2, 3, 4), where, "quarter must be 1-4 or blank")
        key = (org.code, ind.code, int(row["year"]), quarter, row["period_note"])
        _check(key not in seen, where, f"duplicate figure {key}")
        seen.add(key)
        session.add(
            Observation(
                org_id=org.id,
                indicator_id=ind.id,
                year=int(row["year"]),
                quarter=quarter,
                period_note=row["period_note"],
                value=float(row["value"]),
                qualifier=row["qualifier"],
                source_id=src.id,
                locator=row["locator"],
                batch_id=batch.id,
            )
        )
        n_obs += 1

    n_tgt = 0
    for i, row in enumerate(read_csv("targets", seed_dir), start=2):
        where = f"targets.csv row {i}"
        org, ind, src = refs(row, where)
        _check(row["comparator"] in COMPARATORS, where, "comparator must be >= or <=")
        _check(row["qualifier"] in QUALIFIERS, where, f"unknown qualifier {row['qualifier']!r}")
        session.add(
            Target(
                org_id=org.id,
                indicator_id=ind.id,
                year=int(row["year"]),
                base_year=_opt_int(row["base_year"]),
                quarter=_opt_int(row["quarter"]),
                value=float(row["value"]),
                comparator=row["comparator"],
                qualifier=row["qualifier"],
                plan_zh=row["plan_zh"],
                plan_en=row["plan_en"],
                source_id=src.id,
                locator=row["locator"],
                batch_id=batch.id,
            )
        )
        n_tgt += 1

    n_st = 0
    for i, row in enumerate(read_csv("stations", seed_dir), start=2):
        where = f"stations.csv row {i}"
        org, _ind, src = refs(row, where)
        _check(row["type"] in STATION_TYPES, where, f"unknown station type {row['type']!r}")
        _check(row["precision"] in PRECISIONS, where, f"unknown precision {row['precision']!r}")
        lat, lon = float(row["lat"]), float(row["lon"])
        _check(inside_china(lat, lon), where, "coordinates outside China")
        session.add(
            Station(
                code=row["code"],
                name_zh=row["name_zh"],
                name_en=row["name_en"],
                type=row["type"],
                org_id=org.id,
                town=row["town"],
                address=row["address"],
                lat=lat,
                lon=lon,
                precision=row["precision"],
                opened_year=_opt_int(row["opened_year"]),
                status=row["status"] or "open",
                source_id=src.id,
                locator=row["locator"],
                batch_id=batch.id,
            )
        )
        n_st += 1

    batch.n_new = n_obs + n_tgt + n_st
    bump_data_version(session)
    session.flush()
    return SeedResult(len(orgs), len(indicators), len(sources), n_obs, n_tgt, n_st, batch.id)


def seed(url: str | None = None, seed_dir: Path = SEED_DIR) -> SeedResult:
    """Load the seed into the store at url in one transaction (nothing written on error)."""
    with session_scope(url) as session:
        result = load_seed(session, seed_dir)
    refresh_statistics(url)
    return result


def init_store(url: str | None = None) -> SeedResult | None:
    """Upgrade the schema, then load the seed if the store is empty; None if it was not empty."""
    from lib.store.db import ensure_schema

    ensure_schema(url)
    with session_scope(url) as session:
        if not store_is_empty(session):
            return None
        result = load_seed(session)
    refresh_statistics(url)
    return result
