"""Tests of `python -m lib.cli export`: one row per current figure, round-tripping the store."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

from lib import cli
from lib.store import export, queries

COLUMNS = (
    "org_code,org_name_zh,indicator_code,indicator_name_zh,category,unit,year,quarter,value,"
    "qualifier,period_note,source,locator"
)


def run_cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a subprocess against a store."""
    env = {"DATABASE_URL": url, "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "lib.cli", *args], capture_output=True, text=True, env=env
    )


def test_export_observations_round_trips(seeded_url: str) -> None:
    """Test that every current observation comes out once with its value and qualifier."""
    proc = run_cli(seeded_url, "export", "observations", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == COLUMNS
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    store = queries.observations(url=seeded_url)
    assert len(rows) == store.height
    got = {
        (r["org_code"], r["indicator_code"], int(r["year"]), r["period_note"]): (
            float(r["value"]),
            r["qualifier"],
            r["quarter"],
        )
        for r in rows
    }
    for rec in store.iter_rows(named=True):
        key = (rec["org_code"], rec["indicator_code"], rec["year"], rec["period_note"])
        assert got[key] == (rec["value"], rec["qualifier"], "")


@pytest.mark.parametrize("what", ["targets", "stations"])
def test_export_other_tables(seeded_url: str, what: str) -> None:
    """Test that targets and stations export one row each."""
    proc = run_cli(seeded_url, "export", what, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == getattr(queries, what)(url=seeded_url).height


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd", "'+cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2+3", "'-2+3"),
        (-5.0, "-5"),
        ("大兴区总工会", "大兴区总工会"),
        (None, ""),
        (20.46, "20.46"),
    ],
)
def test_formula_looking_cells_are_escaped(cell, expected) -> None:
    """Test that cells a spreadsheet would run as formulas are escaped, numbers are not."""
    assert export.escape_cell(cell) == expected


def test_unknown_table_is_a_usage_error(capsys) -> None:
    """Test that exporting an unknown table exits with 2 and a message."""
    assert cli.main(["export", "nonsense"]) == cli.EXIT_USAGE
    assert "invalid choice" in capsys.readouterr().err
