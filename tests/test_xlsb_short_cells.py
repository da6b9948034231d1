"""Issue 19, .xlsb: a workbook whose cells use [MS-XLSB]'s short record form (written by SheetJS
and web systems, not by Excel) would lose those cells in calamine without a word; it is refused
with a message saying so and how to save it, and the store stays as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib import cli
from lib.ingest import xlsb_check
from tests.importer_support import dump_store

XLSB = Path(__file__).resolve().parent / "data" / "xlsb" / "report_2026_sheetjs.xlsb"
# A BrtRowHdr-like record (type 0, 2 bytes), then one cell record of the given type (8 bytes).
FULL_CELL = bytes([0x00, 0x02, 0x00, 0x00, 0x02, 0x08]) + bytes(8)  # BrtCellRk (2)
SHORT_CELL = bytes([0x00, 0x02, 0x00, 0x00, 0x0D, 0x08]) + bytes(8)  # BrtShortRk (13)


def test_that_a_short_form_xlsb_is_refused_and_writes_nothing(
    seeded_copy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Test that the SheetJS-written 报表 .xlsb exits 1 naming the short cell records and asking
    for an .xlsx, instead of importing a sheet with its figures missing."""
    before = dump_store(seeded_copy)
    assert cli.main(["import", str(XLSB), "--yes"]) == 1
    out = capsys.readouterr().out
    assert "这个 .xlsb 文件的单元格用的是精简记录格式" in out
    assert "另存为 .xlsx 再上传" in out
    assert dump_store(seeded_copy) == before


def test_that_only_short_cell_records_are_flagged() -> None:
    """Test that a record stream with full-form cells passes and one with a short-form cell does
    not (a multi-byte record size is skipped over correctly)."""
    long_record = bytes([0x01, 0x81, 0x01]) + bytes(129)  # type 1, size 129 in two bytes
    assert not xlsb_check.has_short_cells(long_record + FULL_CELL)
    assert xlsb_check.has_short_cells(long_record + SHORT_CELL)
