"""Engine parity check: the same work on SQLite and on PostgreSQL gives the same answers.

    python scripts/pg_parity.py postgresql+psycopg://postgres@127.0.0.1:PORT/postgres

Run by scripts/test-postgres.sh after the suite. The suite shows each engine works on its own;
this shows they agree: migrate, seed, every named query, an import and its undo, the live slide
payload, and every page's script under AppTest, run on both engines and compared frame by frame
(ids and timestamps excepted). Exit code 0 when everything matches, 1 otherwise.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import polars as pl  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from streamlit import logger as st_logger  # noqa: E402

from lib.accounts import auth  # noqa: E402
from lib.deck import payload  # noqa: E402
from lib.ingest import importer, seed  # noqa: E402
from lib.ingest.undo import undo  # noqa: E402
from lib.store import db, queries  # noqa: E402
from lib.ui.navigation import PAGES  # noqa: E402

st_logger.get_logger("streamlit.runtime.scriptrunner_utils.script_run_context").disabled = True

CSV = (
    b"org_code,indicator_code,year,quarter,value\n"
    b"daxing,new_union_units,2026,,4321\n"
    b"daxing,new_union_units_100plus,2026,1,15\n"
)
SKIP_COLS = ("obs_id", "target_id", "station_id", "batch_id", "created_at", "undone_at")


def comparable(df: pl.DataFrame) -> pl.DataFrame:
    """A frame without engine-assigned columns, rows in a canonical order."""
    keep = [c for c in df.columns if c not in SKIP_COLS and df.schema[c] != pl.Datetime]
    out = df.select(keep)
    return out.sort(keep, nulls_last=True) if keep and out.height else out


def named_queries(url: str) -> dict[str, pl.DataFrame]:
    """Every named query of lib.store.queries (with the filters the pages use) on one store."""
    return {
        "observations": queries.observations(url=url),
        "observations_daxing_2025": queries.observations(("daxing",), None, (2025,), url=url),
        "targets": queries.targets(url=url),
        "stations": queries.stations(url=url),
        "orgs": queries.orgs(url=url),
        "indicators": queries.indicators(url=url),
        "sources": queries.sources(url=url),
        "batches": queries.batches(url=url),
    }


def run_pages(url: str) -> list[str]:
    """Every page's script under AppTest on a store; the exceptions, as text."""
    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = url
    db.get_engine.cache_clear()
    auth.create_user("parity", "admin", None, url=url)
    errors = []
    for spec in PAGES:
        at = AppTest.from_file(str(ROOT / spec.path), default_timeout=120)
        at.session_state["auth_user"] = {"username": "parity", "role": "admin"}
        at.run()
        errors += [f"{spec.url_path}: {e.value}" for e in at.exception]
    return errors


def scenario(url: str) -> dict[str, object]:
    """Migrate, seed, query, import, query, undo, query; every answer keyed by step."""
    out: dict[str, object] = {}
    db.upgrade(url)
    out["revision"] = db.current_revision(url)
    res = seed.seed(url)
    out["seed"] = (res.orgs, res.indicators, res.sources, res.observations, res.targets)
    for name, df in named_queries(url).items():
        out[f"seeded/{name}"] = comparable(df)
    plan = importer.prepare(CSV, "parity.csv", url=url)
    out["import/problems"] = [p.line() for p in plan.problems]
    result = importer.commit(plan, "parity", url=url)
    for name, df in named_queries(url).items():
        out[f"imported/{name}"] = comparable(df)
    undo(result.batch_id, "parity", url=url)
    for name, df in named_queries(url).items():
        out[f"undone/{name}"] = comparable(df)
    live = payload.live_payload("daxing", 2025, url=url)
    out["slides/payload_keys"] = sorted(live)
    out["slides/years"] = payload.available_years("daxing", url=url)
    out["pages/errors"] = run_pages(url)
    db.get_engine(url).dispose()
    db.get_engine.cache_clear()
    return out


def same(a: object, b: object) -> bool:
    """Whether two answers are equal (frames compared by value)."""
    if isinstance(a, pl.DataFrame) and isinstance(b, pl.DataFrame):
        return a.columns == b.columns and a.equals(b)
    return a == b


def with_pg_database(admin_url: str, work: Callable[[str], dict]) -> dict:
    """Run work on a fresh database of the server at admin_url, dropped afterwards."""
    name = f"parity_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        return work(f"{admin_url.rsplit('/', 1)[0]}/{name}")
    finally:
        db.get_engine.cache_clear()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main(argv: list[str]) -> int:
    """Run the scenario on both engines and print every difference."""
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="parity_") as tmp:
        lite = scenario(f"sqlite:///{Path(tmp) / 'kpi.db'}")
    try:
        pg = with_pg_database(argv[0], scenario)
    except Exception:  # noqa: BLE001 - report the failing step, then fail
        traceback.print_exc()
        return 1
    bad = 0
    for key in lite:
        if not same(lite[key], pg.get(key)):
            bad += 1
            print(f"DIFFERENT {key}:\n  sqlite:     {lite[key]}\n  postgresql: {pg.get(key)}")
    for key in ("pages/errors", "import/problems"):
        if lite.get(key):
            bad += 1
            print(f"ERRORS {key} (sqlite): {lite[key]}")
    print(f"engine parity: {len(lite) - bad}/{len(lite)} answers the same on SQLite and PostgreSQL")
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
