"""Named-query times and plans: `python -m bench.queries STORE` prints one JSON document.

Each named query of lib.store.queries and lib.store.map_queries runs with the arguments the pages
give it (one org, the orgs a comparison shows, one indicator across every org, the map's counts, …): the median of 3 timed runs after a warm-up,
the row count, and the engine's plan (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL) with a
verdict: "index" when every large table (observation, target, station) is reached through an
index, else the tables scanned in full.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite

from lib.dash import grid
from lib.store import db, map_queries, queries
from lib.store.map_queries import StationFilter
from lib.store.queries import NamedSelect

LARGE_TABLES = ("observation", "target", "station")


def cases(url: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(label, query function, keyword arguments) as the pages call them, for this store."""
    with db.get_engine(url).connect() as conn:
        synthetic = [
            r[0]
            for r in conn.execute(
                text("SELECT code FROM org WHERE is_synthetic = :t ORDER BY id LIMIT 400"),
                {"t": True},
            )
        ]
    district = next((c for c in synthetic if c.startswith("syn_d")), None)
    five = ("daxing", *synthetic[-4:])
    out: list[tuple[str, str, dict[str, Any]]] = [
        ("observations: one org (overview, targets)", "observations", {"org_codes": ("daxing",)}),
        ("observations: five orgs (yoy)", "observations", {"org_codes": five}),
        (
            "observations: one indicator, one year, every org",
            "observations",
            {"indicator_codes": ("new_union_units",), "years": (2025,)},
        ),
        ("targets: one org", "targets", {"org_codes": ("daxing",)}),
        ("stations: every station (the map before issue 16)", "stations", {}),
        ("stations: one org", "stations", {"org_codes": ("daxing",)}),
        *map_cases(url, district),
        ("orgs", "orgs", {}),
        ("indicators", "indicators", {}),
        ("sources (with counts per source)", "sources", {}),
        ("batches", "batches", {}),
    ]
    if district:
        out.insert(1, ("observations: one district", "observations", {"org_codes": (district,)}))
    return out


def _statement(name: str, kwargs: dict[str, Any], url: str) -> NamedSelect:
    """The select statement a named query runs (its `<name>_select` builder), not run (a map
    query's builder looks the filter's org ids up in the store)."""
    module, attr = _function(name)
    if module is map_queries:
        return getattr(map_queries, f"{attr}_select")(url=url, **kwargs)
    return getattr(queries, f"{attr}_select")(**kwargs)


def map_cases(url: str, district: str | None) -> list[tuple[str, str, dict[str, Any]]]:
    """The station map's queries as its first visit and an org filter run them."""
    every = StationFilter()
    groups = map_queries.station_groups(every, url)
    box = [groups[c].min() if c.endswith("0") else groups[c].max() for c in GRID_BOX]
    dlat, dlon = grid.box_grid(tuple(box))  # type: ignore[arg-type]
    one = StationFilter(orgs=(district or "daxing",))
    return [
        (
            "map: counts per org and type, every station",
            "map_queries.station_groups",
            {"filt": every},
        ),
        (
            "map: grid cells, every station",
            "map_queries.station_cells",
            {"filt": every, "dlat": dlat, "dlon": dlon},
        ),
        ("map: one district's stations", "map_queries.station_rows", {"filt": one}),
        ("map: towns of one district", "map_queries.station_towns", {"org_codes": one.orgs}),
    ]


GRID_BOX = ("lat0", "lat1", "lon0", "lon1")


def _function(name: str) -> tuple[Any, str]:
    """The module and attribute of a named query ("stations" or "map_queries.station_cells")."""
    if name.startswith("map_queries."):
        return map_queries, name.split(".", 1)[1]
    return queries, name


def _rows(result: Any) -> int:
    """How many rows a query gave (a frame, or the towns list)."""
    return len(result) if isinstance(result, list) else result.height


def plan(stmt: NamedSelect, url: str) -> list[str]:
    """The engine's plan of a statement, one line per step."""
    dialect = sqlite.dialect() if db.is_sqlite(url) else postgresql.dialect()
    sql = str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    prefix = "EXPLAIN QUERY PLAN " if db.is_sqlite(url) else "EXPLAIN "
    with db.get_engine(url).connect() as conn:
        rows = conn.exec_driver_sql(prefix + sql).all()
    return [str(r[-1]) for r in rows]


def verdict(lines: list[str]) -> str:
    """'index' when every large table is reached through a selective index; otherwise which
    tables are scanned in full, or searched on is_current alone (every current row is read)."""
    scanned, current_only = [], []
    for line in lines:
        words = line.replace("Seq Scan on", "SCAN").split()
        for i, word in enumerate(words[:-1]):
            table = words[i + 1]
            if table not in LARGE_TABLES:
                continue
            if word == "SCAN" and "USING" not in words[i + 2 :]:
                scanned.append(table)
            elif word == "SEARCH" and line.rstrip().endswith("(is_current=?)"):
                current_only.append(table)
    notes = []
    if scanned:
        notes.append("full scan of " + ", ".join(sorted(set(scanned))))
    if current_only:
        notes.append("index on is_current only (reads every current row) of ")
        notes[-1] += ", ".join(sorted(set(current_only)))
    return "; ".join(notes) or "index"


def time_query(name: str, kwargs: dict[str, Any], url: str, runs: int = 3) -> tuple[float, int]:
    """Median milliseconds of a named query (after one warm-up run) and its row count."""
    module, attr = _function(name)
    fn = getattr(module, attr)
    rows = _rows(fn(url=url, **kwargs))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn(url=url, **kwargs)
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 1), rows


def run(url: str) -> list[dict[str, Any]]:
    """Time and explain every case on a store."""
    results = []
    for label, name, kwargs in cases(url):
        ms, rows = time_query(name, kwargs, url)
        lines = plan(_statement(name, kwargs, url), url)
        results.append(
            {
                "query": label,
                "function": name,
                "ms": ms,
                "rows": rows,
                "plan_uses": verdict(lines),
                "plan": lines,
            }
        )
    return results


def main(argv: list[str]) -> int:
    """Print the query measurements of one store as JSON."""
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(run(argv[0]), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
