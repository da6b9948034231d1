"""Issue 19 point 3: the downloadable 报表 form (title row, the year merged over 一季度 … 四季度 and
全年, 单位/指标/计量单位 merged down two header rows, 填表人/审核人/填报日期 lines) in .xlsx and
Excel 97–2003 .xls, in Chinese and English, uploads back unchanged: filled in, its figures are
stored; left blank, it imports nothing with a clear message. Plus a unit note above a header."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lib import cli
from lib.ingest import templates, xlsx_read
from lib.ingest.kinds import UPLOAD_KINDS as KINDS
from lib.ingest.report_template import ReportRow
from lib.store import queries
from tests.importer_support import csv_bytes, dump_store, xlsx_bytes

FORMATS = [("xlsx", "zh"), ("xls", "zh"), ("xlsx", "en"), ("xls", "en")]
IDS = [f"{ext}-{lang}" for ext, lang in FORMATS]
ROWS = {
    "zh": (
        ReportRow("大兴区总工会", "招聘会", "场", (1, 2, 3, 4, 10)),
        ReportRow("大兴区总工会", "发展会员", "人", (None, None, None, None, "1.8万余")),
        ReportRow("大兴区总工会", "工会暖心驿站（累计）", "", (810, 820, 830, None, None)),
    ),
    "en": (
        ReportRow("Daxing District Federation of Trade Unions", "Job fairs", "", (1, 2, 3, 4, 10)),
        ReportRow("daxing", "Members recruited", "", (None, None, None, None, "1.8万余")),
        ReportRow("daxing", "Union warm stations (total)", "", (810, 820, 830, None, None)),
    ),
}
# What the filled form must store: (indicator, quarter, value, qualifier), all Daxing's, 2026.
STORED = {
    ("job_fairs", 1, 1.0, "exact"),
    ("job_fairs", 2, 2.0, "exact"),
    ("job_fairs", 3, 3.0, "exact"),
    ("job_fairs", 4, 4.0, "exact"),
    ("job_fairs", None, 10.0, "exact"),
    ("members_recruited", None, 18000.0, "at_least"),
    ("warm_stations_total", 1, 810.0, "exact"),
    ("warm_stations_total", 2, 820.0, "exact"),
    ("warm_stations_total", 3, 830.0, "exact"),
}


def form(ext: str, lang: str, rows: tuple[ReportRow, ...] = ()) -> bytes:
    """The 报表 template of 2026 as the upload page makes it (filled with rows, if any)."""
    return templates.template_report(ext, lang, 2026, queries.indicators(), queries.orgs(), rows)


def write(tmp_path: Path, ext: str, lang: str, rows: tuple[ReportRow, ...] = ()) -> Path:
    """The form saved under its download name."""
    path = tmp_path / templates.report_file_name(lang, ext, 2026)
    path.write_bytes(form(ext, lang, rows))
    return path


def stored_2026() -> set[tuple]:
    """Daxing's current 2026 figures of the form's three indicators."""
    codes = ("job_fairs", "members_recruited", "warm_stations_total")
    frame = queries.observations(("daxing",), codes, (2026,))
    return {
        (r["indicator_code"], r["quarter"], r["value"], r["qualifier"])
        for r in frame.iter_rows(named=True)
    }


@pytest.mark.parametrize(("ext", "lang"), FORMATS, ids=IDS)
def test_that_a_filled_report_form_stores_its_figures(
    seeded_copy: str, tmp_path: Path, ext: str, lang: str
) -> None:
    """Test that the 报表 form filled in and uploaded unchanged stores exactly its nine figures."""
    assert stored_2026() == set()
    path = write(tmp_path, ext, lang, ROWS[lang])
    assert cli.main(["import", str(path), "--yes", "--lang", lang]) == 0
    assert stored_2026() == STORED


@pytest.mark.parametrize(("ext", "lang"), FORMATS, ids=IDS)
def test_that_a_blank_report_form_imports_nothing_with_a_clear_message(
    seeded_copy: str, tmp_path: Path, ext: str, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Test that the downloaded form uploaded unfilled exits 0, says there is nothing to import
    and leaves the store as it was."""
    before = dump_store(seeded_copy)
    assert cli.main(["import", str(write(tmp_path, ext, lang)), "--lang", lang]) == 0
    out = capsys.readouterr().out
    said = "文件中没有填写任何数据，没有可导入的内容" if lang == "zh" else "nothing to import"
    assert said in out
    assert dump_store(seeded_copy) == before


@pytest.mark.parametrize("ext", ["xlsx", "xls"])
def test_that_the_report_form_lists_its_title_header_and_signature_rows(
    seeded_copy: str, tmp_path: Path, ext: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Test that importing the filled form names the title, note, second header and signature
    rows it skipped."""
    assert cli.main(["import", str(write(tmp_path, ext, "zh", ROWS["zh"])), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "已跳过第 1 行（表头上方的标题或说明）：2026年季度工作指标统计表" in out
    assert (
        "已跳过第 4 行（表头第二行，与上一行合并为列名）：一季度 二季度 三季度 四季度 全年" in out
    )
    assert "已跳过第 9 行（表尾签字或日期行）：填表人： 审核人： 填报日期：" in out


@pytest.mark.parametrize("ext", ["xlsx", "xls"])
def test_that_the_report_form_has_the_merged_layout_of_the_paper_form(
    seeded_read_url: str, monkeypatch: pytest.MonkeyPatch, ext: str
) -> None:
    """Test that the file opens as the form: title merged across, 2026年 merged over the four
    quarters and 全年, 单位/指标/计量单位 merged down two rows, signature line at the bottom."""
    monkeypatch.setenv("DATABASE_URL", seeded_read_url)
    grid, sheet, sheets, merges = xlsx_read.read_sheet(
        form(ext, "zh"), None, frozenset(), "." + ext
    )
    assert (sheet, sheets) == ("季度报表", ["季度报表", "指标目录", "单位"])
    assert grid[0][0] == "2026年季度工作指标统计表"
    assert grid[2][:4] == ["单位", "指标", "计量单位", "2026年"]
    assert grid[3][3:8] == ["一季度", "二季度", "三季度", "四季度", "全年"]
    assert [grid[-1][0], grid[-1][3], grid[-1][6]] == ["填表人：", "审核人：", "填报日期："]
    assert {(0, 0, 0, 7), (2, 3, 2, 7), (2, 0, 3, 0), (2, 1, 3, 1), (2, 2, 3, 2)} <= set(merges)


def test_that_the_xls_form_is_an_excel_97_file(
    seeded_read_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that the .xls template is an OLE2 compound file (Excel 97–2003), not a renamed .xlsx."""
    monkeypatch.setenv("DATABASE_URL", seeded_read_url)
    assert form("xls", "zh").startswith(bytes.fromhex("D0CF11E0A1B11AE1"))


def test_that_the_english_form_carries_english_labels(
    seeded_read_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that the English form's title, header, signature line, sheet names and catalogue
    header are English (no Chinese character in them)."""
    monkeypatch.setenv("DATABASE_URL", seeded_read_url)
    data = form("xlsx", "en")
    grid, sheet, sheets, _merges = xlsx_read.read_sheet(data, None, frozenset(), ".xlsx")
    assert sheets == ["quarterly report", "indicators", "orgs"]
    assert grid[0][0] == "Quarterly KPI report 2026"
    assert grid[2][:4] == ["Org", "Indicator", "Unit", "2026"]
    assert grid[3][3:8] == ["Q1", "Q2", "Q3", "Q4", "Full year"]
    assert [grid[-1][0], grid[-1][3], grid[-1][6]] == ["Prepared by:", "Checked by:", "Date:"]
    catalogue, *_ = xlsx_read.read_sheet(data, "indicators", frozenset(), ".xlsx")
    labels = [*grid[0], *grid[1], *grid[2], *grid[3], *grid[-1], *catalogue[0]]
    assert not [c for c in labels if re.search(r"[\u4e00-\u9fff]", str(c))]


def test_that_a_unit_note_above_the_header_is_the_figures_unit(
    seeded_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Test that a 单位：元 row above the header makes 50000 a figure in 元 (stored as 5 万元)
    and that the row is listed as the unit note."""
    path = tmp_path / "note.csv"
    head = "单位,指标,年份,季度,数值"
    path.write_bytes(
        csv_bytes(
            f"追回损失金额统计,,,,\n单位：元,,,,\n{head}\n大兴区总工会,追回损失金额,2026,Q1,50000"
        )
    )
    assert cli.main(["import", str(path), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "已跳过第 2 行（计量单位说明，表中数值按此单位读取）：单位：元" in out
    frame = queries.observations(("daxing",), ("wage_recovered",), (2026,))
    assert frame["value"].to_list() == [5.0]


def test_that_a_heading_row_of_notes_is_not_taken_for_the_header(
    seeded_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Test that a row 填报单位：大兴区总工会 … 单位：元 between the title and the header of an
    .xlsx is skipped as a note (not read as the header) and its 元 is the figures' unit."""
    path = tmp_path / "heading.xlsx"
    head = ["单位", "指标", "年份", "季度", "数值"]
    rows = [
        ["追回损失金额统计表"],
        ["填报单位：大兴区总工会", None, None, None, "单位：元"],
        head,
        ["daxing", "wage_recovered", 2026, "Q1", 50000],
    ]
    path.write_bytes(xlsx_bytes(rows))
    assert cli.main(["import", str(path), "--yes"]) == 0
    out = capsys.readouterr().out
    assert (
        "已跳过第 2 行（计量单位说明，表中数值按此单位读取）：填报单位：大兴区总工会 单位：元"
        in out
    )
    frame = queries.observations(("daxing",), ("wage_recovered",), (2026,))
    assert frame["value"].to_list() == [5.0]


def test_that_a_note_naming_an_org_is_not_taken_for_a_unit(
    seeded_copy: str, tmp_path: Path
) -> None:
    """Test that 单位：大兴区总工会 above the header leaves the figures in the indicator's unit."""
    path = tmp_path / "org_note.csv"
    head = "单位,指标,年份,季度,数值"
    path.write_bytes(csv_bytes(f"单位：大兴区总工会,,,,\n{head}\ndaxing,wage_recovered,2026,Q1,5"))
    assert cli.main(["import", str(path), "--yes"]) == 0
    frame = queries.observations(("daxing",), ("wage_recovered",), (2026,))
    assert frame["value"].to_list() == [5.0]


@pytest.mark.parametrize("kind", KINDS)
def test_that_an_unfilled_csv_template_has_nothing_to_import(
    seeded_copy: str, kind: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Test that the CSV template uploaded as downloaded exits 0 saying it holds no figures and
    writes nothing."""
    path = tmp_path / templates.template_file_name(kind, "zh", "csv")
    path.write_bytes(templates.template_csv(kind, "zh"))
    before = dump_store(seeded_copy)
    assert cli.main(["import", str(path)]) == 0
    assert "文件中没有填写任何数据，没有可导入的内容" in capsys.readouterr().out
    assert dump_store(seeded_copy) == before


@pytest.mark.parametrize("kind", KINDS)
def test_that_the_xls_template_is_the_plain_template_and_imports_nothing(
    seeded_copy: str, kind: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Test that the Excel 97–2003 template of a kind holds the note, header and example row and
    the catalogue sheet, and uploaded as downloaded says it holds no figures."""
    data = templates.template_xls(kind, "zh", queries.indicators(), queries.orgs())
    grid, sheet, sheets, _merges = xlsx_read.read_sheet(data, None, frozenset(), ".xls")
    assert sheets[:2] == [templates.SHEET_NAMES[kind][0], "指标目录"]
    assert grid[1][: len(templates.COLUMNS[kind])] == templates.headers(kind, "zh")
    assert grid[2][0].startswith("# 示例")
    path = tmp_path / templates.template_file_name(kind, "zh", "xls")
    path.write_bytes(data)
    before = dump_store(seeded_copy)
    assert cli.main(["import", str(path)]) == 0
    assert "文件中没有填写任何数据，没有可导入的内容" in capsys.readouterr().out
    assert dump_store(seeded_copy) == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_that_the_figures_template_lists_period_notes_with_their_english_form(
    seeded_read_url: str, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """Test that the figures template's period-note sheet gives the campaign's note in Chinese
    beside its English form, under headers in the template's language."""
    monkeypatch.setenv("DATABASE_URL", seeded_read_url)
    data = templates.template_xlsx("observations", lang, queries.indicators(), queries.orgs())
    name = "期间说明" if lang == "zh" else "period notes"
    grid, *_ = xlsx_read.read_sheet(data, name, frozenset(), ".xlsx")
    head = ["期间说明", "英文"] if lang == "zh" else ["period note (Chinese)", "English form"]
    assert grid[0] == head
    assert ["2025年6月起蹲点工作期间", "from June 2025, on-site campaign"] in grid
