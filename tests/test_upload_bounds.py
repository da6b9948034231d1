"""Bounds of an upload (issue 13): years up to next year, user names within the store's column, on
every engine; the bad-value files themselves are in tests/data/bad."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lib import cli
from lib.ingest import importer
from lib.store import queries
from tests.importer_support import csv_bytes, dump_store

HEAD = "单位,指标,年份,季度,数值"


def write(tmp_path: Path, text: str) -> Path:
    """A CSV file holding text."""
    path = tmp_path / "figures.csv"
    path.write_bytes(csv_bytes(text))
    return path


def test_that_a_figure_for_next_year_is_accepted(seeded_copy: str, tmp_path: Path) -> None:
    """Test that next year is the last year a figure may carry (plans are made a year ahead)."""
    nxt = date.today().year + 1
    path = write(tmp_path, f"{HEAD}\ndaxing,job_fairs,{nxt},Q1,4")
    assert cli.main(["import", str(path)]) == 0
    df = queries.observations(org_codes=("daxing",), years=(nxt,))
    assert df["value"].to_list() == [4.0]


def test_that_a_figure_two_years_ahead_is_refused(
    seeded_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Test that the year after next is out of range, with the range named."""
    year = date.today().year + 2
    before = dump_store(seeded_copy)
    assert cli.main(["import", str(write(tmp_path, f"{HEAD}\ndaxing,job_fairs,{year},Q1,4"))]) == 1
    assert f"年份 {year} 超出范围（2000–{year - 1}）" in capsys.readouterr().out
    assert dump_store(seeded_copy) == before


def test_that_an_import_by_a_too_long_user_name_is_refused(
    seeded_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Test that `import --user` longer than the store's 100 characters is refused cleanly."""
    before = dump_store(seeded_copy)
    path = write(tmp_path, f"{HEAD}\ndaxing,job_fairs,2026,Q1,4")
    assert cli.main(["import", str(path), "--user", "u" * 101]) == 1
    assert "用户名过长（超过 100 个字）" in capsys.readouterr().err
    assert dump_store(seeded_copy) == before


def test_that_an_undo_by_a_too_long_user_name_is_refused(
    seeded_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Test that `undo --user` longer than the store's column is refused and undoes nothing."""
    plan = importer.prepare(csv_bytes(f"{HEAD}\ndaxing,job_fairs,2026,Q1,4"), "a.csv")
    batch = importer.commit(plan, "editor1").batch_id
    before = dump_store(seeded_copy)
    assert cli.main(["undo", str(batch), "--user", "u" * 101]) == 1
    assert "用户名过长" in capsys.readouterr().err
    assert dump_store(seeded_copy) == before
