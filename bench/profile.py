"""Where a first view's time goes: `python -m bench.profile STORE [PAGE ...]` prints, for each
dashboard page, the first run in a fresh session of a process that has already shown the page once
(imports done, shared caches full: what a new viewer costs a running server), profiled with
cProfile inside the script thread, as the cumulative time of the app's own functions (lib/,
pages/) and of the libraries under them. AppTest runs the page (anonymous reading, offline basemap);
the first run of the process, which pays the imports and fills the caches, is timed too. With
--warm the server's cache warmer (lib.ui.warm) fills the caches first, as it does after a start or
an upload, so the first run is a first visit once the warmer has finished, and it is profiled too."""

from __future__ import annotations

import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("overview", "yoy", "targets", "map", "sources", "present")
WRAPPER = """import cProfile, os, runpy
profile = cProfile.Profile()
profile.enable()
try:
    runpy.run_path(os.environ["BENCH_PAGE"], run_name="__main__")
finally:
    profile.disable()
    profile.dump_stats(os.environ["BENCH_PROFILE"])
"""
OWN = (str(ROOT / "lib") + "/", str(ROOT / "pages") + "/")
GROUPS = (  # (where a function lives or what it is called, what the README calls it), first wins
    ("sqlite3", "SQLAlchemy + sqlite3"),
    ("/sqlalchemy/", "SQLAlchemy + sqlite3"),
    ("/plotly/", "plotly figures"),
    ("/_plotly_utils/", "plotly figures"),
    ("/polars/", "polars"),
    ("/pandas/", "pandas (styled tables)"),
    ("/pydeck/", "pydeck"),
    ("unittest/mock", "AppTest's stand-ins (unittest.mock)"),
    ("/streamlit/", "streamlit (elements, caches, protobuf)"),
    ("/google/", "streamlit (elements, caches, protobuf)"),
    (OWN[0], "the app's own code"),
    (OWN[1], "the app's own code"),
)


def run_page(page: str, wrapper: Path, out: Path) -> float:
    """One run of a page in a fresh AppTest session, profiled into ``out``; wall milliseconds."""
    from streamlit.testing.v1 import AppTest

    os.environ["BENCH_PAGE"] = str(ROOT / "pages" / f"{page}.py")
    os.environ["BENCH_PROFILE"] = str(out)
    at = AppTest.from_file(str(wrapper), default_timeout=600)
    started = time.perf_counter()
    at.run()
    if at.exception:
        raise RuntimeError(f"{page}: {[e.value for e in at.exception]}")
    return round((time.perf_counter() - started) * 1000)


def top_functions(stats: pstats.Stats, limit: int = 8) -> list[tuple[str, float]]:
    """The app's own functions (lib/, pages/) with the most cumulative time, in ms."""
    rows = []
    for (path, line, name), (_, _, _, cum, _) in stats.stats.items():  # type: ignore[attr-defined]
        if path.startswith(OWN):
            rows.append(
                (f"{path.removeprefix(str(ROOT) + '/')}:{line} {name}", round(cum * 1000, 1))
            )
    rows.sort(key=lambda r: -r[1])
    return rows[1 : limit + 1]  # the page's module itself is the whole run


def by_group(stats: pstats.Stats) -> dict[str, float]:
    """Own time (tottime, ms) summed per library or part of the app ("other": the rest)."""
    out: dict[str, float] = {}
    for (path, _, name), (_, _, tot, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{path} {name}"
        group = next((g for key, g in GROUPS if key in where), "other (builtins, stdlib)")
        out[group] = round(out.get(group, 0.0) + tot * 1000, 1)
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def warm_caches(store_url: str) -> float:
    """Fill the caches as the server's warmer does after a start or an upload; wall ms."""
    from lib.ui import warm

    started = time.perf_counter()
    warm.warm(store_url, warm.current_version(store_url))
    return round((time.perf_counter() - started) * 1000)


def summary(path: Path, wall_ms: float) -> dict:
    """A profiled run's wall time, profiled time, time per part and top functions."""
    stats = pstats.Stats(str(path))
    return {
        "wall_ms": wall_ms,
        "profiled_ms": round(stats.total_tt * 1000, 1),  # type: ignore[attr-defined]
        "by_part_ms": by_group(stats),
        "top": top_functions(stats),
    }


def profile(
    store_url: str, pages: tuple[str, ...] = PAGES, warm_first: bool = False
) -> dict[str, dict]:
    """Each page's first run in the process and its first run in a fresh session, profiled
    (after the warmer has filled the caches, with ``warm_first``)."""
    os.environ.update(DATABASE_URL=store_url, KPI_ANONYMOUS_READ="1", KPI_BASEMAP="none")
    folder = Path(tempfile.mkdtemp(prefix="bench_profile_"))
    wrapper = folder / "wrapper.py"
    wrapper.write_text(WRAPPER, encoding="utf-8")
    result: dict[str, dict] = {"warm_ms": warm_caches(store_url)} if warm_first else {}
    for page in pages:
        first = run_page(page, wrapper, folder / f"{page}-first.prof")
        fresh = run_page(page, wrapper, folder / f"{page}.prof")
        result[page] = {
            "first": summary(folder / f"{page}-first.prof", first),
            "fresh": summary(folder / f"{page}.prof", fresh),
        }
    return result


def print_run(label: str, row: dict) -> None:
    """One profiled run: wall and profiled time, time per part, the app's top functions."""
    print(f"  {label}: {row['wall_ms']} ms (profiled {row['profiled_ms']} ms)")
    for part, ms in row["by_part_ms"].items():
        print(f"    {ms:>8.1f} ms  {part}")
    for name, ms in row["top"]:
        print(f"    {ms:>8.1f} ms  cumulative  {name}")


def main(argv: list[str]) -> int:
    """Print the profile of every (or the named) dashboard page of a store."""
    warm_first = "--warm" in argv
    args = [a for a in argv if a != "--warm"]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    result = profile(args[0], tuple(args[1:]) or PAGES, warm_first)
    if warm_first:
        print(f"warmer: {result.pop('warm_ms')} ms")
    for page, row in result.items():
        print(page)
        print_run("first run in the process", row["first"])
        print_run("fresh session", row["fresh"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
