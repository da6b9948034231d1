"""Tests that an upload's problems are data (a code and parameters) rendered in the reader's
language only when shown, on a real seeded store: the same prepared plan reads in Chinese and in
English, on the page's problems table and in the CLI; and that a file repeating a target or a
station is refused naming the row it repeats."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib import cli
from lib.ingest import importer
from lib.ingest.preview import problems_frame
from lib.ingest.problems import ImportRefused
from tests.importer_support import csv_bytes, dump_store, seeded_copy


@pytest.fixture
def store_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """A seeded store for this test (a copy of the session's seeded template on SQLite)."""
    return seeded_copy(request, tmp_path, monkeypatch)


def test_that_one_plan_reads_in_either_language(store_url: str) -> None:
    """Test that a plan prepared in Chinese shows its problem in English when shown in English."""
    plan = importer.prepare(csv_bytes("单位,指标,年份,数值\nnowhere,job_fairs,2026,1"), "a.csv")
    zh = problems_frame(plan.problems, "zh").row(0)
    en = problems_frame(plan.problems, "en").row(0)
    assert zh == (2, "单位", "nowhere", "未知单位“nowhere”")
    assert en == (2, "单位", "nowhere", 'unknown organisation "nowhere"')


def test_that_a_missing_column_is_named_in_the_readers_language(store_url: str) -> None:
    """Test that a missing column's problem names the column and its accepted names per language."""
    plan = importer.prepare(csv_bytes("单位,指标,年份\ndaxing,job_fairs,2026"), "a.csv")
    assert [p.column_name("en") for p in plan.problems] == ["value"]
    assert plan.problems[0].reason("en").startswith('required column "value" is missing')
    assert plan.problems[0].reason("zh").startswith("缺少必需的列“数值”（可用列名：数值、数据")


def test_that_the_cli_prints_problems_in_its_language(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Test that `import --lang en` prints an unknown indicator's reason in English."""
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes("单位,指标,年份,数值\ndaxing,no_such_thing,2026,1"))
    assert cli.main(["import", str(path), "--lang", "en"]) == 1
    assert 'unknown indicator "no_such_thing"' in capsys.readouterr().out


def test_that_a_repeated_target_is_refused_naming_the_first_row(store_url: str) -> None:
    """Test that a targets file giving the same target twice is refused, naming the first row."""
    head = "单位,指标,年份,目标值,比较,依据"
    row = "daxing,mental_stations_new,2026,2,≥,2026年工作要点"
    before = dump_store(store_url)
    plan = importer.prepare(csv_bytes(f"{head}\n{row}\n{row}"), "t.csv")
    assert [p.line("zh") for p in plan.problems] == [
        "第 3 行，列“目标值”：与第 2 行重复（同一单位、指标、年份、季度、依据）"
    ]
    with pytest.raises(ImportRefused):
        importer.commit(plan, "editor1", confirm=True)
    assert dump_store(store_url) == before


def test_that_a_repeated_station_is_refused_naming_the_first_row(store_url: str) -> None:
    """Test that a stations file listing one station twice is refused, naming the first row."""
    head = "名称,类型,单位,纬度,经度"
    row = "新驿站,warm_station,daxing,39.7,116.3"
    plan = importer.prepare(csv_bytes(f"{head}\n{row}\n{row}"), "s.csv")
    assert [p.line("en") for p in plan.problems] == [
        'row 3, column "名称": duplicates row 2 (same station code, or organisation and name)'
    ]
