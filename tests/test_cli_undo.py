"""`python -m lib.cli undo BATCH_ID`: prints the batch and what it takes away and restores before
it undoes anything; --dry-run stops there."""

from __future__ import annotations

import pytest

from lib import cli
from lib.ingest import importer
from lib.store import queries
from tests.importer_support import csv_bytes, dump_store

HEAD = "单位,指标,年份,季度,数值"


def committed(text: str, user: str = "张三") -> int:
    """Import CSV text (confirming changes); the batch id."""
    plan = importer.prepare(csv_bytes(text), "修正.csv")
    return importer.commit(plan, user, confirm=True).batch_id


def test_that_undo_prints_what_it_restores_before_undoing(
    seeded_copy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Test that the output names the batch and lists the figure taken away and the one restored,
    above the line saying it is done."""
    batch = committed(f"{HEAD}\ndaxing,members_recruited,2025,,19000")
    assert cli.main(["undo", str(batch)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith(f"将撤销 批次 {batch} · ") and "张三 · 修正.csv" in lines[0]
    assert "大兴区总工会\t发展会员\t2025年\t1.9万人\t1.8万余人" in lines
    assert lines[-1] == f"批次 {batch} 已撤销：移除 1 项，恢复 1 项原数据。"
    df = queries.observations(org_codes=("daxing",), indicator_codes=("members_recruited",))
    assert 18000.0 in df["value"].to_list()


def test_that_undo_dry_run_writes_nothing(
    seeded_copy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Test that `undo --dry-run` shows the batch and leaves the store as it was."""
    batch = committed(f"{HEAD}\ndaxing,job_fairs,2026,Q1,4")
    before = dump_store(seeded_copy)
    assert cli.main(["undo", str(batch), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "（无，原先没有数据）" in out and "试运行：未写入任何数据。" in out
    assert dump_store(seeded_copy) == before


def test_that_undo_of_an_unknown_batch_exits_2(
    seeded_copy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Test that an unknown batch id is refused with exit code 2 and a message."""
    assert cli.main(["undo", "999"]) == 2
    assert "没有批次 999" in capsys.readouterr().err
