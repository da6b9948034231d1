"""Synthetic national-scale data: `python -m bench.generate --orgs N --stations M --seed S [PATH]`.

Builds a store (PATH is a SQLite file or a database URL; default $DATABASE_URL) holding, besides the
shipped seed data set (loaded first into an empty store unless --no-seed), N synthetic orgs in a
province → city → district hierarchy placed on real city centres of China, every catalogue
indicator quarterly 2021–2025 for every org, annual targets 2023–2025, and M stations scattered
around the districts. Everything generated is marked is_synthetic=True and cites one Source of kind
'synthetic', written in one import batch and one transaction that bumps the data version.

Rows go in through SQLAlchemy insert() executemany with lists of dicts, 50,000 rows a batch.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from bench.cities import LAT_RANGE, LON_RANGE, PROVINCES
from lib.core.catalog import STATION_TYPE_TERMS
from lib.ingest import seed
from lib.store import db
from lib.store.models import (
    ImportBatch,
    Indicator,
    Observation,
    Org,
    Source,
    Station,
    Target,
    utcnow,
)

BATCH_ROWS = 50_000
YEARS = (2021, 2022, 2023, 2024, 2025)
TARGET_YEARS = (2023, 2024, 2025)
SOURCE_CODE = "synthetic_bench"
CODE_PREFIX = "syn_"
LEVEL_SCALE = {"province": 60.0, "city": 8.0, "district": 1.0}
DEFAULT_MAGNITUDE = {"flow": 400.0, "stock": 2_000.0, "rate": 80.0}


@dataclass(frozen=True)
class OrgPlan:
    """One synthetic org to create: code, names, level, parent code and centre."""

    code: str
    name_zh: str
    name_en: str
    level: str
    parent_code: str | None
    lat: float
    lon: float


@dataclass(frozen=True)
class IndicatorPlan:
    """What the generator needs of a catalogue indicator."""

    id: int
    kind: str
    direction: str
    magnitude: float


@dataclass(frozen=True)
class GenerateResult:
    """Counts of what a generation wrote, and how long it took."""

    orgs: int
    indicators: int
    observations: int
    targets: int
    stations: int
    batch_id: int
    seconds: float


def level_counts(n: int) -> tuple[int, int, int]:
    """How many provinces, cities and districts make n orgs (about 1 : 10 : 90)."""
    if n < 1:
        raise ValueError("--orgs must be at least 1")
    if n == 1:
        return 0, 0, 1
    provinces = min(len(PROVINCES), max(1, round(n / 100)))
    cities = max(1, min(round(n / 10), n - provinces - 1))
    return provinces, cities, n - provinces - cities


def clamp_to_china(lat: float, lon: float) -> tuple[float, float]:
    """A point pulled inside the box the store accepts as China."""
    return (
        min(max(lat, LAT_RANGE[0] + 0.01), LAT_RANGE[1] - 0.01),
        min(max(lon, LON_RANGE[0] + 0.01), LON_RANGE[1] - 0.01),
    )


def plan_orgs(n: int, rng: random.Random) -> list[OrgPlan]:
    """N synthetic orgs, parents before children, on real province and city centres."""
    n_prov, n_city, n_dist = level_counts(n)
    plans: list[OrgPlan] = []
    chosen = PROVINCES[: max(n_prov, 1)]
    for i, (pzh, pen, cities) in enumerate(chosen[:n_prov], start=1):
        lat, lon = cities[0][2], cities[0][3]
        plans.append(
            OrgPlan(
                f"{CODE_PREFIX}p{i:02d}",
                f"{pzh}省级工会（合成）",
                f"{pen} federation (synthetic)",
                "province",
                None,
                lat,
                lon,
            )
        )
    real = [(i, c) for i, (_, _, cities) in enumerate(chosen, start=1) for c in cities]
    city_plans: list[OrgPlan] = []
    for k in range(n_city):
        prov_no, (czh, cen, lat, lon) = real[k % len(real)]
        rep = k // len(real)
        if rep:
            lat, lon = clamp_to_china(lat + rng.uniform(-0.6, 0.6), lon + rng.uniform(-0.6, 0.6))
        suffix_zh, suffix_en = (f"第{rep + 1}片区", f" area {rep + 1}") if rep else ("", "")
        city_plans.append(
            OrgPlan(
                f"{CODE_PREFIX}c{k + 1:04d}",
                f"{czh}{suffix_zh}市总工会（合成）",
                f"{cen}{suffix_en} city federation (synthetic)",
                "city",
                f"{CODE_PREFIX}p{prov_no:02d}" if n_prov else None,
                lat,
                lon,
            )
        )
    plans.extend(city_plans)
    parents = city_plans or [OrgPlan("", "北京", "Beijing", "city", None, 39.904, 116.407)]
    for k in range(n_dist):
        city = parents[k % len(parents)]
        no = k // len(parents) + 1
        lat, lon = clamp_to_china(city.lat + rng.gauss(0, 0.25), city.lon + rng.gauss(0, 0.3))
        base_zh = city.name_zh.removesuffix("市总工会（合成）")
        base_en = city.name_en.removesuffix(" city federation (synthetic)")
        plans.append(
            OrgPlan(
                f"{CODE_PREFIX}d{k + 1:05d}",
                f"{base_zh}第{no}区总工会（合成）",
                f"{base_en} district {no} federation (synthetic)",
                "district",
                city.code or None,
                lat,
                lon,
            )
        )
    return plans


def batched(rows: Iterable[dict], size: int = BATCH_ROWS) -> Iterator[list[dict]]:
    """Lists of at most size rows from an iterable."""
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def insert_rows(session: Session, table: Table, rows: Iterable[dict]) -> int:
    """Insert rows (dicts with the same keys) in executemany batches; returns how many.

    On PostgreSQL the rows are streamed with COPY in the session's transaction instead: psycopg's
    executemany manages about 16,000 rows/s, COPY several times that."""
    if session.get_bind().dialect.name == "postgresql":
        return copy_rows(session, table, rows)
    n = 0
    for chunk in batched(rows):
        session.execute(insert(table), chunk)
        n += len(chunk)
    return n


def copy_rows(session: Session, table: Table, rows: Iterable[dict]) -> int:
    """Stream rows into a PostgreSQL table with COPY FROM STDIN (psycopg 3); returns how many."""
    it = iter(rows)
    first = next(it, None)
    if first is None:
        return 0
    cols = list(first)
    names = ", ".join(f'"{c}"' for c in cols)
    raw = session.connection().connection.driver_connection
    n = 0
    with raw.cursor() as cur:
        cur.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = to_regclass(%s) AND NOT i.indisunique AND NOT i.indisprimary",
            (table.name,),
        )
        indexes = cur.fetchall()
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cur.fetchone()[0]:  # skip per-row foreign-key triggers: the keys are ours, and valid
            cur.execute("SET LOCAL session_replication_role = replica")
        for name, _ in indexes:  # rebuilt once after the load: far cheaper than row by row
            cur.execute(f'DROP INDEX "{name}"')
        with cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in itertools.chain((first,), it):
                copy.write_row([row[c] for c in cols])
                n += 1
        for _, definition in indexes:
            cur.execute(definition)
        cur.execute("SET LOCAL session_replication_role = origin")
    return n


def ensure_indicators(session: Session, seed_dir: Path = seed.SEED_DIR) -> None:
    """Load the catalogue from data/seed/indicators.csv when the store has no indicator yet."""
    if session.scalar(select(func.count()).select_from(Indicator)):
        return
    rows = seed.read_csv("indicators", seed_dir)
    for i, row in enumerate(rows, start=2):
        fields = {k: v for k, v in row.items() if k != "sort_order"}
        session.add(Indicator(**fields, sort_order=i))
    session.flush()


def indicator_plans(session: Session) -> list[IndicatorPlan]:
    """Every catalogue indicator with a district-sized magnitude (from the seed where known)."""
    medians: dict[int, float] = {}
    stmt = select(Observation.indicator_id, Observation.value).where(
        Observation.is_current.is_(True), Observation.is_synthetic.is_(False)
    )
    seen: dict[int, list[float]] = {}
    for ind_id, value in session.execute(stmt):
        seen.setdefault(ind_id, []).append(abs(value))
    for ind_id, values in seen.items():
        values.sort()
        medians[ind_id] = values[len(values) // 2]
    plans = []
    for ind in session.scalars(select(Indicator).order_by(Indicator.sort_order, Indicator.id)):
        default = DEFAULT_MAGNITUDE.get(ind.kind, 500.0)
        magnitude = medians.get(ind.id) or default
        if ind.kind == "rate":
            magnitude = min(max(magnitude, 5.0), 98.0)
        plans.append(IndicatorPlan(ind.id, ind.kind, ind.direction, magnitude))
    return plans


def _round(value: float) -> float:
    """A figure rounded as a union would report it (whole units when large, 0.1 when small)."""
    return float(round(value)) if abs(value) >= 50 else round(value, 1)


def _org_profile(rng: random.Random, level: str) -> tuple[float, float]:
    """An org's size factor and yearly growth."""
    size = LEVEL_SCALE.get(level, 1.0) * math.exp(rng.gauss(0, 0.6))
    return size, rng.gauss(0.06, 0.05)


def observation_rows(
    orgs: Sequence[tuple[int, str]],
    indicators: Sequence[IndicatorPlan],
    common: dict,
    rng: random.Random,
) -> Iterator[dict]:
    """Quarterly figures 2021–2025 of every org × indicator, with trend and season."""
    season = (0.8, 1.05, 1.0, 1.15)
    for org_id, level in orgs:
        size, growth = _org_profile(rng, level)
        for ind in indicators:
            base = ind.magnitude * rng.uniform(0.5, 1.5)
            for y, year in enumerate(YEARS):
                for q in range(4):
                    t = y + q / 4
                    noise = rng.gauss(1.0, 0.08)
                    if ind.kind == "rate":
                        value = min(100.0, max(0.0, base + 2 * t + rng.gauss(0, 2)))
                    elif ind.kind == "stock":
                        value = base * size * (1 + growth) ** t * noise
                    else:
                        value = base * size / 4 * season[q] * (1 + growth) ** y * noise
                    yield {
                        "org_id": org_id,
                        "indicator_id": ind.id,
                        "year": year,
                        "quarter": q + 1,
                        "value": _round(max(value, 0.0)),
                        **common,
                    }


def target_rows(
    orgs: Sequence[tuple[int, str]],
    indicators: Sequence[IndicatorPlan],
    common: dict,
    rng: random.Random,
) -> Iterator[dict]:
    """Annual targets 2023–2025 of every org × indicator, a little above the trend."""
    for org_id, level in orgs:
        size, growth = _org_profile(rng, level)
        for ind in indicators:
            for year in TARGET_YEARS:
                t = year - YEARS[0]
                if ind.kind == "rate":
                    value = min(100.0, ind.magnitude + 2 * t + 3)
                else:
                    value = ind.magnitude * size * (1 + growth) ** t * 1.05
                up = ind.direction != "down"
                yield {
                    "org_id": org_id,
                    "indicator_id": ind.id,
                    "year": year,
                    "value": _round(value if up else value * 0.9),
                    "comparator": ">=" if up else "<=",
                    "plan_zh": "年度工作要点（合成）",
                    "plan_en": "Annual work points (synthetic)",
                    **common,
                }


def station_rows(
    leaves: Sequence[tuple[int, OrgPlan]], m: int, common: dict, rng: random.Random
) -> Iterator[dict]:
    """M stations scattered around the centres of the leaf orgs, of weighted types."""
    types = [term for term in STATION_TYPE_TERMS]
    weights = [6, 5, 2, 8, 2, 3, 4, 1, 1, 1][: len(types)] + [1] * max(0, len(types) - 10)
    picks = rng.choices(types, weights=weights, k=m)
    for i in range(m):
        org_id, org = leaves[rng.randrange(len(leaves))]
        term = picks[i]
        lat, lon = clamp_to_china(org.lat + rng.gauss(0, 0.05), org.lon + rng.gauss(0, 0.06))
        town = org.name_zh.removesuffix("总工会（合成）")
        yield {
            "code": f"{CODE_PREFIX}s{i + 1:07d}",
            "name_zh": f"{town}{term.zh}{i + 1}号（合成）",
            "name_en": f"{term.en} {i + 1} (synthetic)",
            "type": term.code,
            "org_id": org_id,
            "town": town,
            "address": "",
            "lat": round(lat, 6),
            "lon": round(lon, 6),
            "precision": "landmark" if rng.random() < 0.7 else "town_centroid",
            "opened_year": rng.randint(2012, 2025),
            "status": rng.choices(("open", "trial", "closed"), weights=(95, 3, 2))[0],
            **common,
        }


def insert_orgs(session: Session, plans: Sequence[OrgPlan]) -> dict[str, int]:
    """Insert org plans level by level (parents first); returns code → id."""
    ids: dict[str, int] = {}
    for level in ("province", "city", "district"):
        rows = [
            {
                "code": p.code,
                "name_zh": p.name_zh,
                "name_en": p.name_en,
                "level": p.level,
                "parent_id": ids.get(p.parent_code or ""),
                "is_synthetic": True,
            }
            for p in plans
            if p.level == level
        ]
        if not rows:
            continue
        insert_rows(session, Org.__table__, rows)
        stmt = select(Org.code, Org.id).where(Org.level == level, Org.code.like(f"{CODE_PREFIX}%"))
        ids.update({code: id_ for code, id_ in session.execute(stmt)})
    return ids


def generate_into(
    session: Session,
    n_orgs: int,
    n_stations: int,
    rng_seed: int,
    log=None,  # noqa: ANN001
    seed_dir: Path = seed.SEED_DIR,
) -> GenerateResult:
    """Write the synthetic data set into the caller's transaction."""
    started = time.perf_counter()
    say = log or (lambda _msg: None)
    if session.scalar(select(func.count()).select_from(Org).where(Org.is_synthetic.is_(True))):
        raise SystemExit("the store already holds synthetic orgs: generate into a fresh store")
    rng = random.Random(rng_seed)
    ensure_indicators(session, seed_dir)
    source = Source(
        code=SOURCE_CODE,
        kind="synthetic",
        title_zh="合成的全国规模测试数据（非真实数据）",
        title_en="Synthetic national-scale test data (not real)",
        publisher="bench.generate",
        covers_zh=f"{n_orgs}个合成单位、{n_stations}个合成阵地，2021–2025年季度数据",
        covers_en=f"{n_orgs} synthetic orgs, {n_stations} synthetic stations, quarterly 2021–2025",
    )
    batch = ImportBatch(
        kind="seed",
        file_name=f"bench.generate --orgs {n_orgs} --stations {n_stations} --seed {rng_seed}",
        sha256=f"synthetic-{n_orgs}-{n_stations}-{rng_seed}",
        username="bench",
    )
    session.add_all([source, batch])
    session.flush()
    batch.source_id = source.id

    plans = plan_orgs(n_orgs, rng)
    ids = insert_orgs(session, plans)
    say(f"orgs: {len(ids)}")
    by_code = {p.code: p for p in plans}
    orgs = [(ids[p.code], p.level) for p in plans]
    indicators = indicator_plans(session)
    now = utcnow()
    common = {
        "source_id": source.id,
        "batch_id": batch.id,
        "qualifier": "exact",
        "locator": "合成数据",
        "replaces_id": None,
        "is_current": True,
        "is_synthetic": True,
        "created_at": now,
    }
    obs_common = {**common, "period_note": ""}
    n_obs = insert_rows(
        session, Observation.__table__, observation_rows(orgs, indicators, obs_common, rng)
    )
    say(f"observations: {n_obs}")
    tgt_common = {**common, "base_year": None, "quarter": None}
    n_tgt = insert_rows(session, Target.__table__, target_rows(orgs, indicators, tgt_common, rng))
    say(f"targets: {n_tgt}")
    leaf_level = "district" if any(p.level == "district" for p in plans) else "city"
    leaves = [(ids[c], by_code[c]) for c in ids if by_code[c].level == leaf_level]
    st_common = {k: v for k, v in common.items() if k != "qualifier"}
    n_st = insert_rows(session, Station.__table__, station_rows(leaves, n_stations, st_common, rng))
    say(f"stations: {n_st}")
    batch.n_new = n_obs + n_tgt + n_st
    db.bump_data_version(session)
    session.flush()
    return GenerateResult(
        len(ids), len(indicators), n_obs, n_tgt, n_st, batch.id, time.perf_counter() - started
    )


def store_url(path: str | None) -> str:
    """The store URL for a PATH argument: a URL as is, a file as SQLite, none as $DATABASE_URL."""
    if path and "://" in path:
        return path
    if path:
        return f"sqlite:///{Path(path).resolve()}"
    url = os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("give a PATH (SQLite file or URL) or set DATABASE_URL")
    return url


def generate(
    url: str,
    n_orgs: int,
    n_stations: int,
    rng_seed: int = 1,
    with_seed: bool = True,
    log=None,  # noqa: ANN001
    seed_dir: Path = seed.SEED_DIR,
) -> GenerateResult:
    """Migrate the store, load the seed into it when empty, then add the synthetic data set."""
    db.upgrade(url)
    with db.session_scope(url) as session:
        if with_seed and seed.store_is_empty(session) and (seed_dir / "orgs.csv").exists():
            seed.load_seed(session, seed_dir)
    with db.session_scope(url) as session:
        result = generate_into(session, n_orgs, n_stations, rng_seed, log, seed_dir)
    # Fresh planner statistics for the bulk load (autovacuum would give PostgreSQL them later).
    if db.is_sqlite(url):
        db.refresh_statistics(url)
    else:
        with db.get_engine(url).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    return result


def build_parser() -> argparse.ArgumentParser:
    """The command-line arguments."""
    p = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n")[0])
    p.add_argument("path", nargs="?", help="SQLite file or database URL (default $DATABASE_URL)")
    p.add_argument("--orgs", type=int, default=3_000, help="synthetic orgs (default 3000)")
    p.add_argument("--stations", type=int, default=150_000, help="stations (default 150000)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--no-seed", action="store_true", help="do not load the shipped seed first")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Generate a store from the command line and print what was written."""
    args = build_parser().parse_args(argv)
    url = store_url(args.path)
    res = generate(
        url,
        args.orgs,
        args.stations,
        args.seed,
        with_seed=not args.no_seed,
        log=lambda msg: print(f"  {msg}", file=sys.stderr, flush=True),
    )
    print(
        f"generated in {res.seconds:.1f} s: {res.orgs} orgs, {res.indicators} indicators, "
        f"{res.observations} observations, {res.targets} targets, {res.stations} stations "
        f"(batch {res.batch_id}, all synthetic)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
