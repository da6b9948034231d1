"""The 报表 template: the federation's quarterly form as staff print it (a title row merged across,
a note row, a two-row header with the year merged over 一季度 … 四季度 and 全年, 单位 / 指标 /
计量单位 merged down both header rows, signature lines 填表人 / 审核人 / 填报日期 below), in
Chinese or English, written as .xlsx (openpyxl) or Excel 97–2003 .xls (xlwt), with the indicator
catalogue and the orgs on further sheets. The importer reads the form back as it is: the title,
note, example and signature rows are skipped and listed, so an unfilled form imports nothing."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import xlwt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

QUARTER_LABELS = (
    ("一季度", "二季度", "三季度", "四季度", "全年"),
    ("Q1", "Q2", "Q3", "Q4", "Full year"),
)
KEY_LABELS = (("单位", "指标", "计量单位"), ("Org", "Indicator", "Unit"))
SHEET_TITLE = ("季度报表", "quarterly report")
WIDTHS = (24, 26, 10, 11, 11, 11, 11, 11)
BLANK_ROWS = 8  # bordered rows left for filling in by hand


@dataclass(frozen=True)
class ReportRow:
    """One filled row of the form: org and indicator (code or name), the unit, and the figures of
    Q1 … Q4 and the full year (None = left blank, which is no figure, not zero)."""

    org: str
    indicator: str
    unit: str
    values: tuple[object, object, object, object, object]


@dataclass
class Sheet:
    """A sheet to write: rows of cells, merged ranges (r0, c0, r1, c1, 0-based and inclusive),
        the rows drawn bold, the rows drawn with borders, column widths in characters, frozen rows,
    wrapped rows and the page's orientation."""

    name: str
    rows: list[list[object]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    bold: set[int] = field(default_factory=set)
    boxed: set[int] = field(default_factory=set)
    widths: Sequence[int] = ()
    freeze: int = 0  # rows kept in view when scrolling (the plain templates' note and header)
    wrapped: set[int] = field(default_factory=set)  # rows of long text, wrapped in two lines
    landscape: bool = False  # printed across the page (the 报表 is wider than it is long)


def _texts(year: int, lang: str) -> dict[str, Any]:
    """The form's words: title, note, example row's first cell and the signature lines."""
    if lang == "en":
        return {
            "title": f"Quarterly KPI report {year}",
            "note": "Note: one indicator per row, org and indicator by code or name (see the "
            "catalogue sheets); values like 3396, 3,396, 18,000+, about 2000; blank = no figure (not "
            "zero); "
            "rows starting with # are not imported.",
            "example": "# example: daxing",
            "year": str(year),
            "footer": ("Prepared by:", "Checked by:", "Date:"),
        }
    return {
        "title": f"{year}年季度工作指标统计表",
        "note": "说明：每行一个指标；单位、指标可填代码或名称（见“指标目录”“单位”两页）；"
        "数值可写 3396、1.8万余、85%以上；空白表示无数据（不是零）；以 # 开头的行不导入。",
        "example": "# 示例：大兴区总工会",
        "year": f"{year}年",
        "footer": ("填表人：", "审核人：", "填报日期："),
    }


def report_sheet(year: int, lang: str = "zh", rows: Sequence[ReportRow] = ()) -> Sheet:
    """The form of a year: title, note, two header rows, an example row (a # note), the filled
    rows (or blank rows to fill in), and the signature lines."""
    i = 1 if lang == "en" else 0
    words = _texts(year, lang)
    width = len(WIDTHS)
    example = [words["example"], "招聘会" if i == 0 else "Job fairs", "场" if i == 0 else ""]
    body = [[r.org, r.indicator, r.unit, *r.values] for r in rows]
    body = body or [[None] * width for _ in range(BLANK_ROWS)]
    footer = words["footer"]
    grid: list[list[object]] = [
        [words["title"]],
        [words["note"]],
        [*KEY_LABELS[i], words["year"]],
        [None, None, None, *QUARTER_LABELS[i]],
        [*example, 4, 5, 6, None, None],
        *body,
        [footer[0], None, None, footer[1], None, None, footer[2]],
    ]
    last = len(grid) - 1
    merges = [(0, 0, 0, width - 1), (1, 0, 1, width - 1), (2, 3, 2, width - 1)]
    merges += [(2, c, 3, c) for c in range(3)]
    merges += [(last, 0, last, 2), (last, 3, last, 5), (last, 6, last, 7)]
    return Sheet(
        SHEET_TITLE[i],
        grid,
        merges,
        bold={0, 2, 3},
        boxed=set(range(2, last)),
        widths=WIDTHS,
        wrapped={1},
        landscape=True,
    )


def list_sheet(name: str, rows: list[list[str]], widths: Sequence[int]) -> Sheet:
    """A plain list (the catalogue, the orgs) with a bold header row."""
    return Sheet(name, [list(r) for r in rows], bold={0}, widths=widths)


def _xlsx_sheet(ws: Any, sheet: Sheet) -> None:
    """Fill an openpyxl worksheet from a sheet."""
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    width = max((len(r) for r in sheet.rows), default=0)
    for r, row in enumerate(sheet.rows, start=1):
        for c in range(1, (width if r - 1 in sheet.boxed else len(row)) + 1):
            value = row[c - 1] if c <= len(row) else None
            cell = ws.cell(r, c, value)
            if r - 1 in sheet.bold:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(horizontal="center", vertical="center")
            if r - 1 in sheet.boxed:
                cell.border = box
            if r - 1 in sheet.wrapped:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                ws.row_dimensions[r].height = 30
    for r0, c0, r1, c1 in sheet.merges:
        ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    for c, chars in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = chars
    if sheet.freeze:
        ws.freeze_panes = f"A{sheet.freeze + 1}"
    if sheet.landscape:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as an .xlsx workbook (openpyxl)."""
    wb = Workbook()
    for blank in list(wb.worksheets):
        wb.remove(blank)
    for sheet in sheets:
        _xlsx_sheet(wb.create_sheet(sheet.name), sheet)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@cache
def _xls_style(bold: bool, boxed: bool, wrapped: bool = False) -> Any:
    """An xlwt cell style: bold and centred (titles, headers), thin borders (the form's grid),
    wrapped text (the note)."""
    parts = []
    if bold:
        parts.append("font: bold on; align: horiz center, vert center")
    if boxed:
        parts.append("borders: left thin, right thin, top thin, bottom thin")
    if wrapped:
        parts.append("align: wrap on, vert top")
    return xlwt.easyxf("; ".join(parts))


def _xls_sheet(ws: Any, sheet: Sheet) -> None:
    """Fill an xlwt worksheet from a sheet (merged ranges written once, by write_merge)."""
    width = max((len(r) for r in sheet.rows), default=0)
    covered = {
        (r, c)
        for r0, c0, r1, c1 in sheet.merges
        for r in range(r0, r1 + 1)
        for c in range(c0, c1 + 1)
    }
    for r0, c0, r1, c1 in sheet.merges:
        row = sheet.rows[r0]
        value = row[c0] if c0 < len(row) else None
        style = _xls_style(r0 in sheet.bold, r0 in sheet.boxed, r0 in sheet.wrapped)
        ws.write_merge(r0, r1, c0, c1, "" if value is None else value, style)
    for r, row in enumerate(sheet.rows):
        style = _xls_style(r in sheet.bold, r in sheet.boxed)
        for c in range(width if r in sheet.boxed else len(row)):
            value = row[c] if c < len(row) else None
            if (r, c) in covered or (value is None and r not in sheet.boxed):
                continue
            ws.write(r, c, value, style)
    for c, chars in enumerate(sheet.widths):
        ws.col(c).width = 256 * chars
    if sheet.freeze:
        ws.set_panes_frozen(True)
        ws.set_horz_split_pos(sheet.freeze)
    for r in sheet.wrapped:
        ws.row(r).height_mismatch = True
        ws.row(r).height = 20 * 30  # in twentieths of a point
    if sheet.landscape:
        ws.portrait = False
        ws.fit_width_to_pages, ws.fit_height_to_pages = 1, 0


def xls_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as an Excel 97–2003 .xls workbook (xlwt; at most 65,536 rows a sheet)."""
    wb = xlwt.Workbook(encoding="utf-8")
    for sheet in sheets:
        _xls_sheet(wb.add_sheet(sheet.name), sheet)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
