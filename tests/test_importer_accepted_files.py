"""The accepted corpus (tests/data/accepted, made by tests/data/bad/_generate.py, listed with the
figures each file must store in EXPECTED.csv): files that used to lose or misplace figures (a stale
.xlsx <dimension>, a hidden sheet named 数据, a 全年 column, a qualifier column) store exactly
their figures through the CLI; plus the sheet choice and the unused-columns report."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lib import cli
from lib.store import queries
from tests.importer_support import dump_store

ACCEPTED = Path(__file__).resolve().parent / "data" / "accepted"
CASES = list(csv.DictReader(open(ACCEPTED / "EXPECTED.csv", encoding="utf-8")))


def expected_figures(text: str) -> set[tuple]:
    """{(org, indicator, year, quarter, value, qualifier)} from EXPECTED.csv's figures column."""
    found = set()
    for item in text.split(";"):
        key, rest = item.split("=")
        org, ind, year, quarter = key.split("|")
        value, qualifier = rest.split()
        found.add((org, ind, int(year), int(quarter) if quarter else None, float(value), qualifier))
    return found


def stored(org: str, inds: set[str], year: int) -> set[tuple]:
    """The current figures of an org's indicators in a year, as expected_figures() spells them."""
    df = queries.observations(org_codes=(org,), indicator_codes=tuple(inds), years=(year,))
    return {
        (r["org_code"], r["indicator_code"], r["year"], r["quarter"], r["value"], r["qualifier"])
        for r in df.iter_rows(named=True)
    }


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_that_an_accepted_file_stores_exactly_its_figures(
    seeded_copy: str, case: dict[str, str]
) -> None:
    """Test that the CLI imports the file and the store then holds exactly the listed figures."""
    argv = ["import", str(ACCEPTED / case["file"]), "--yes"]
    if case["sheet"]:
        argv += ["--sheet", case["sheet"]]
    assert cli.main(argv) == 0
    want = expected_figures(case["figures"])
    org, year = next(iter(want))[0], next(iter(want))[2]
    assert stored(org, {w[1] for w in want}, year) == want


def test_that_a_hidden_sheet_cannot_be_picked(
    seeded_copy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Test that `--sheet` naming a hidden sheet is refused, listing the visible ones."""
    before = dump_store(seeded_copy)
    path = ACCEPTED / "hidden_data_sheet.xlsx"
    assert cli.main(["import", str(path), "--sheet", "数据", "--yes"]) == 1
    out = capsys.readouterr().out
    assert "没有名为“数据”的可见工作表（可见的工作表：填报、第二季度）" in out
    assert dump_store(seeded_copy) == before


def test_that_the_cli_reports_unused_columns(
    seeded_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Test that a column the importer does not read is named in the CLI's output."""
    path = tmp_path / "extra.csv"
    path.write_text("单位,指标,年份,季度,数值,填表人\ndaxing,job_fairs,2026,Q1,4,王五\n", "utf-8")
    assert cli.main(["import", str(path), "--dry-run"]) == 0
    assert "以下列未使用：填表人" in capsys.readouterr().out


def test_that_the_cli_lists_skipped_title_totals_and_signature_rows(
    seeded_copy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Test that a 报表's title row, 合计 row and 填表人/审核人 line are skipped and each listed."""
    path = ACCEPTED / "report_title_total_footer.csv"
    assert cli.main(["import", str(path), "--dry-run"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == [
        "已跳过第 1 行（表头上方的标题或说明）：大兴区总工会2026年季度工作指标统计表",
        "已跳过第 5 行（合计行，不作为数据）：合计 9",
        "已跳过第 6 行（表尾签字或日期行）：填表人：张三 审核人：李四",
    ]
