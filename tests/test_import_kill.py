"""A real `python -m lib.cli import BIG.csv` killed with SIGKILL at random moments (during start-up,
parsing, validation and in the middle of writing), again and again: afterwards the store equals
its dump from before, PRAGMA integrity_check is ok, and a full import still goes through."""

from __future__ import annotations

import csv
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from lib.store import db, queries
from tests.importer_support import dump_store, seeded_copy

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """A seeded store for this test (a copy of the session's seeded template on SQLite)."""
    return seeded_copy(request, tmp_path, monkeypatch)


SEED = ROOT / "data" / "seed"
ROWS = 40_000
KILLS = 5

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
]


def write_big(path: Path) -> int:
    """A long-layout file of ROWS new quarterly figures plus changed seed figures; its row count."""
    orgs = [r["code"] for r in csv.DictReader(open(SEED / "orgs.csv", encoding="utf-8-sig"))]
    inds = [r["code"] for r in csv.DictReader(open(SEED / "indicators.csv", encoding="utf-8-sig"))]
    seed_obs = list(csv.DictReader(open(SEED / "observations.csv", encoding="utf-8-sig")))
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["单位", "指标", "年份", "季度", "数值", "期间说明"])
        n = 0
        for row in seed_obs[:50]:
            value = float(row["value"]) + 1
            writer.writerow(
                [
                    row["org_code"],
                    row["indicator_code"],
                    row["year"],
                    row["quarter"],
                    value,
                    row["period_note"],
                ]
            )
            n += 1
        year = 2000  # the seed holds no quarterly figures: every row below is new
        while n < ROWS:
            for org in orgs:
                for ind in inds:
                    for q in (1, 2, 3, 4):
                        writer.writerow([org, ind, year, f"Q{q}", n % 97 + 1, ""])
                        n += 1
            year += 1
    return n


def wait_for(proc: subprocess.Popen, marker: str, timeout: float) -> bool:
    """Read the importer's stage lines on stderr until one contains marker (False on EOF)."""
    end = time.monotonic() + timeout
    assert proc.stderr is not None
    while time.monotonic() < end:
        line = proc.stderr.readline()
        if not line:
            return False
        if marker in line:
            return True
    return False


def integrity_ok(url: str) -> bool:
    """PRAGMA integrity_check of a SQLite store (True on other databases)."""
    if not db.is_sqlite(url):
        return True
    with db.get_engine(url).connect() as conn:
        return conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_that_a_killed_import_leaves_the_store_exactly_as_before(
    store_url: str, tmp_path: Path
) -> None:
    """Test that SIGKILL at random moments of an import never changes or damages the store."""
    big = tmp_path / "BIG.csv"
    n_rows = write_big(big)
    before = dump_store(store_url)
    env = {**os.environ, "DATABASE_URL": store_url, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "lib.cli", "import", str(big), "--yes", "--user", "killed"]
    rng = random.Random(20261130)  # seeded: the same kill moments every run
    moments: list[str] = []
    started = time.monotonic()
    while len(moments) < KILLS and time.monotonic() - started < 240:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        # The whole import of ROWS takes well under a second now: kill within its write
        # transaction (opened when [write] is printed) or before it, never after the commit.
        if len(moments) % 2:
            assert wait_for(proc, "[write]", 120), "the import never reached its write stage"
            delay, where = rng.uniform(0.0, 0.1), "write"
        else:
            delay, where = rng.uniform(0.1, 0.5), "start"
        time.sleep(delay)
        assert proc.poll() is None, f"the import finished before the kill ({where}+{delay:.2f}s)"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        moments.append(f"{where}+{delay:.2f}s")
        assert dump_store(store_url) == before, f"store changed after kills at {moments}"
        assert integrity_ok(store_url), f"integrity check failed after kills at {moments}"
    assert len(moments) == KILLS, moments
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    assert int(queries.batches()["n_new"][0]) + int(queries.batches()["n_changed"][0]) == n_rows
