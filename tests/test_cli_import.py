"""Tests for `python -m lib.cli import` and `undo`: exit codes 0 / 1 / 2, --dry-run writes nothing,
--yes confirms overwriting, undo restores."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lib import cli
from lib.store import queries
from tests.importer_support import csv_bytes, dump_store, seeded_copy

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """A seeded store for this test (a copy of the session's seeded template on SQLite)."""
    return seeded_copy(request, tmp_path, monkeypatch)


HEAD = "单位,指标,年份,季度,数值"


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """A valid quarterly file with two new figures."""
    path = tmp_path / "2026Q1.csv"
    path.write_bytes(csv_bytes(f"{HEAD}\ndaxing,job_fairs,2026,Q1,4\ndaxing,job_fairs,2026,Q2,5"))
    return path


def figures() -> list[tuple[int | None, float]]:
    """(quarter, value) of Daxing's current 2026 job-fair figures."""
    frame = queries.observations(("daxing",), ("job_fairs",), (2026,))
    return sorted(zip(frame["quarter"].to_list(), frame["value"].to_list(), strict=True))


def test_that_a_good_file_imports_with_exit_0(store_url: str, good: Path, capsys) -> None:
    """Test that importing a valid file exits 0 and reports the batch."""
    assert cli.main(["import", str(good), "--user", "clerk"]) == 0
    assert "已导入：批次" in capsys.readouterr().out
    assert figures() == [(1, 4), (2, 5)]
    assert queries.batches()["username"][0] == "clerk"


def test_that_dry_run_prints_the_diff_and_writes_nothing(
    store_url: str, good: Path, capsys
) -> None:
    """Test that --dry-run exits 0, prints the counts and leaves the store as it was."""
    before = dump_store(store_url)
    assert cli.main(["import", str(good), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "新增 2 项" in out and "试运行" in out
    assert dump_store(store_url) == before


def test_that_a_bad_file_exits_1_with_the_problem_table(
    store_url: str, tmp_path: Path, capsys
) -> None:
    """Test that a refused file exits 1, prints row, column, value and reason, writes nothing."""
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(f"{HEAD}\ndaxing,job_fairs,2026,Q1,4\ndaxing,job_fairs,2026,Q9,5"))
    before = dump_store(store_url)
    assert cli.main(["import", str(path)]) == 1
    out = capsys.readouterr().out
    assert "行\t列\t值\t原因" in out and "3\t季度\tQ9\t" in out
    assert dump_store(store_url) == before


@pytest.mark.parametrize(
    ("name", "content"),
    [("missing.csv", None), ("figures.numbers", b"x"), ("figures.txt", b"a,b"), ("noext", b"a,b")],
)
def test_that_usage_errors_exit_2(store_url: str, tmp_path: Path, name: str, content) -> None:
    """Test that a missing file or an unknown extension is a usage error (exit 2)."""
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    before = dump_store(store_url)
    assert cli.main(["import", str(path)]) == 2
    assert dump_store(store_url) == before


def test_that_an_unknown_option_is_a_usage_error(store_url: str, good: Path) -> None:
    """Test that a wrong --kind is refused by the parser with exit 2."""
    assert cli.main(["import", str(good), "--kind", "people"]) == 2


def test_that_overwriting_needs_yes(store_url: str, good: Path, tmp_path: Path, capsys) -> None:
    """Test that a changed figure is refused (exit 1) without --yes and written with it."""
    assert cli.main(["import", str(good)]) == 0
    fix = tmp_path / "fix.csv"
    fix.write_bytes(csv_bytes(f"{HEAD}\ndaxing,job_fairs,2026,Q1,6"))
    before = dump_store(store_url)
    assert cli.main(["import", str(fix)]) == 1
    assert "--yes" in capsys.readouterr().out
    assert dump_store(store_url) == before
    assert cli.main(["import", str(fix), "--yes"]) == 0
    assert figures() == [(1, 6), (2, 5)]


def test_that_the_same_file_again_exits_0_and_changes_nothing(
    store_url: str, good: Path, capsys
) -> None:
    """Test that importing the same file twice is recognised and writes nothing the second time."""
    assert cli.main(["import", str(good)]) == 0
    before = dump_store(store_url)
    assert cli.main(["import", str(good)]) == 0
    assert "已在批次" in capsys.readouterr().out
    assert dump_store(store_url) == before


def test_that_undo_restores_and_a_second_undo_is_refused(
    store_url: str, good: Path, tmp_path: Path
) -> None:
    """Test that undo exits 0 and restores the old figure; undoing it again exits 1."""
    assert cli.main(["import", str(good)]) == 0
    fix = tmp_path / "fix.csv"
    fix.write_bytes(csv_bytes(f"{HEAD}\ndaxing,job_fairs,2026,Q1,6"))
    assert cli.main(["import", str(fix), "--yes"]) == 0
    batch = int(queries.batches()["batch_id"][0])
    assert cli.main(["undo", str(batch), "--user", "clerk"]) == 0
    assert figures() == [(1, 4), (2, 5)]
    before = dump_store(store_url)
    assert cli.main(["undo", str(batch)]) == 1
    assert dump_store(store_url) == before


def test_that_undo_of_an_unknown_batch_exits_2(store_url: str) -> None:
    """Test that undoing a batch id that does not exist is a usage error."""
    assert cli.main(["undo", "4242"]) == 2


def test_that_the_real_command_returns_its_exit_codes(
    store_url: str, good: Path, tmp_path: Path
) -> None:
    """Test that `python -m lib.cli import` in a subprocess exits 0, then 1 for a bad file, 2 for none."""
    env = {**os.environ, "DATABASE_URL": store_url}
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(f"{HEAD}\ndaxing,job_fairs,2026,Q1,abc"))
    codes = [
        subprocess.run(
            [sys.executable, "-m", "lib.cli", "import", str(p)],
            cwd=ROOT,
            env=env,
            capture_output=True,
        ).returncode
        for p in (good, bad, tmp_path / "none.csv")
    ]
    assert codes == [0, 1, 2]


def test_that_a_file_matching_the_store_writes_no_batch(
    store_url: str, good: Path, tmp_path: Path, capsys
) -> None:
    """Test that a different file holding only figures the store already has writes nothing."""
    assert cli.main(["import", str(good)]) == 0
    same = tmp_path / "same_figures.csv"
    same.write_bytes(csv_bytes("单位,指标,年份,季度,数值,备注\ndaxing,job_fairs,2026,Q1,4,again"))
    before = dump_store(store_url)
    assert cli.main(["import", str(same)]) == 0
    assert "完全相同" in capsys.readouterr().out
    assert dump_store(store_url) == before


def test_that_a_unit_written_in_the_header_is_the_figures_unit(
    store_url: str, tmp_path: Path
) -> None:
    """Test that 数值（元） makes 50000 a figure in 元, stored as 5 万元 for a 万元 indicator."""
    path = tmp_path / "yuan.csv"
    path.write_bytes(
        csv_bytes("单位,指标,年份,季度,数值（元）\ndaxing,wage_recovered,2026,Q1,50000")
    )
    assert cli.main(["import", str(path), "--yes"]) == 0
    frame = queries.observations(("daxing",), ("wage_recovered",), (2026,))
    assert frame["value"].to_list() == [5.0]


def test_that_a_header_unit_that_does_not_fit_the_indicator_is_refused(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Test that 数值（家） on a 场 indicator is refused naming the indicator's unit."""
    path = tmp_path / "jia.csv"
    path.write_bytes(csv_bytes(f"{HEAD[:-2]}数值（家）\ndaxing,job_fairs,2026,Q1,4"))
    before = dump_store(store_url)
    assert cli.main(["import", str(path), "--yes"]) == 1
    assert "场" in capsys.readouterr().out
    assert dump_store(store_url) == before
