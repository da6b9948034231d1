"""The layout of an uploaded table: which row is the header (titles, notes, totals and signature
lines around it skipped), a 报表's merged cells and second header row, which column holds which
field, and whether the file is long (one figure per row) or wide (a column per period).
Imports the column vocabulary, the cell readers, the problems and the Grid only."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice

from lib.ingest import report_layout
from lib.ingest.cells import cell_text, is_blank
from lib.ingest.columns import HEADER_KEYS, Col, norm, norm_header, parse_period_header
from lib.ingest.problems import Msg, Names, Problem
from lib.ingest.read import Grid

PeriodCell = tuple[int | None, int | None]
Skipped = tuple[int, str, str]  # (file row, the row as text, why: title / header2 / total / footer)


@dataclass
class Layout:
    """Where each field sits: field -> column index, plus wide-layout period columns."""

    header_row: int
    headers: list[str]
    fields: dict[str, int]
    periods: dict[int, PeriodCell]
    wide: bool
    unit: str = ""  # the unit written in the header (数值（家）, 2026年一季度（万元）), if any


def nonblank(cells: Sequence[object]) -> int:
    """How many cells of a row hold something."""
    return sum(1 for c in cells if not is_blank(c))


_EXCEL_ERROR = re.compile(r"#(NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|SPILL!|CALC!|GETTING_DATA)")


def is_comment(cells: Sequence[object]) -> bool:
    """A note row: its first non-blank cell starts with # (and is not an Excel error like #REF!)."""
    first = next((c for c in cells if not is_blank(c)), None)
    if not isinstance(first, str):
        return False
    text = first.lstrip()
    return text.startswith("#") and not _EXCEL_ERROR.match(text.upper())


# A 报表's signature lines below the figures (填表人：张三, 审核人：李四, 填报日期：…) and its
# totals rows (合计, 总计, 小计): skipped and listed, never read as figures or orgs.
FOOTER_WORDS = (
    "填表人",
    "填报人",
    "审核人",
    "审核",
    "负责人",
    "单位负责人",
    "制表",
    "制表人",
    "填报日期",
    "填表日期",
    "报送日期",
    "联系人",
    "联系电话",
    *("preparedby", "filledinby", "checkedby", "reviewedby", "approvedby", "date"),  # English form
)
TOTAL_WORDS = frozenset({"合计", "总计", "小计", "总合计"})


def skip_reason(cells: Sequence[object]) -> str:
    """ "footer" for a signature line, "total" for a totals row, "" for any other row (judged by
    its first non-blank cell)."""
    first = next((c for c in cells if not is_blank(c)), None)
    if not isinstance(first, str):
        return ""
    key = norm(first)
    if key in TOTAL_WORDS:
        return "total"
    if any(key.startswith(w) and (key == w or key[len(w)] in ":：") for w in FOOTER_WORDS):
        return "footer"
    return ""


def find_header(table: Grid) -> tuple[int, list[str]] | None:
    """(index into rows, header texts) of the first row naming at least two columns."""
    for idx, (_row, cells) in enumerate(table.iter_rows()):
        if is_comment(cells) or nonblank(cells) == 0:
            continue
        if nonblank(cells) >= 2 and not report_layout.is_note_row(cells):
            return idx, [cell_text(c) for c in cells]
        continue
    return None


def fill_merges(table: Grid, idx: int) -> None:
    """Give every cell of a merged range at or below the header row (index idx) the value of
    the range's first cell, as the sheet shows it: a year merged over quarter columns, 单位/指标
    merged down two header rows, an org merged down over its rows. Ranges above the header (a
    title merged across the sheet) are left alone. Only workbooks have merged ranges."""
    if not table.merges:
        return
    rows = table.rows
    at = {number: cells for number, cells in rows}
    first = table.number(idx)
    for r0, c0, r1, c1 in table.merges:
        if r0 + 1 < first or (r0 + 1) not in at or c0 >= len(at[r0 + 1]):
            continue
        value = at[r0 + 1][c0]
        for number in range(r0 + 1, r1 + 2):
            cells = at.get(number)
            if cells is None:
                continue
            table.shown.setdefault(number, list(cells))
            cells.extend([None] * (c1 + 1 - len(cells)))
            for c in range(c0, c1 + 1):
                if is_blank(cells[c]):
                    cells[c] = value


def _header_like(value: object) -> bool:
    """A cell that names a column of some kind of file or a period (一季度, 2026年, 全年)."""
    if is_blank(value) or not isinstance(value, str):
        return False
    return norm_header(value) in HEADER_KEYS or parse_period_header(value) is not None


def second_header(table: Grid, idx: int, header: list[str]) -> list[str] | None:
    """The column names of a two-row header (a 报表's 2026年 over 一季度 … 四季度), or None when
    the row below the header row is not a second header row: every cell it holds must name a
    column or a period, and at least one must stand under a blank or different cell above it.
    Each column's name is the cell above joined with the cell below (2026年 + 一季度 →
    2026年一季度); one of them alone when the other is blank or both are the same (单位 merged
    down two rows)."""
    rows = table.rows
    if idx + 1 >= len(rows):
        return None
    below = [cell_text(c) for c in rows[idx + 1][1]]
    if not any(below) or not all(_header_like(c) for c in rows[idx + 1][1] if not is_blank(c)):
        return None
    width = max(len(header), len(below))
    top = header + [""] * (width - len(header))
    low = below + [""] * (width - len(below))
    if not any(b and b != t for t, b in zip(top, low, strict=True)):
        return None
    return [t if not b or t == b else b if not t else t + b for t, b in zip(top, low, strict=True)]


_HEADER_UNIT = re.compile(r"\((?:计量)?(?:单位[:：])?\s*([^()]{1,8})\)$")


def header_unit(name: str) -> str:
    """The unit written in a figure column's header: 数值（家） → 家, 数值(单位：万元) → 万元."""
    m = _HEADER_UNIT.search(unicodedata.normalize("NFKC", name).strip())
    return m.group(1).strip() if m else ""


def _map_columns(
    index: dict[str, str], wide_ok: bool, header_row: int, header: list[str]
) -> tuple[dict[str, int], dict[int, PeriodCell], list[Problem], list[str]]:
    """(field -> column, period columns, duplicate-column problems, ignored headers)."""
    fields: dict[str, int] = {}
    periods: dict[int, PeriodCell] = {}
    problems: list[Problem] = []
    ignored: list[str] = []
    for col, name in enumerate(header):
        if not name:
            continue
        fld = index.get(norm_header(name))
        if fld is not None and fld in fields:
            other = fields[fld]
            params = {"other": other + 1, "other_name": header[other]}
            problems.append(Problem("upload.err.duplicate_column", params, header_row, name, name))
        elif fld is not None:
            fields[fld] = col
        elif (period := parse_period_header(name) if wide_ok else None) is not None:
            periods[col] = period
        else:
            ignored.append(name)
    return fields, periods, problems, ignored


def _missing_columns(
    columns: tuple[Col, ...], fields: dict[str, int], wide: bool, header_row: int
) -> list[Problem]:
    """A problem for each required column the header lacks."""
    problems: list[Problem] = []
    for c in columns:
        if not c.required or c.field in fields:
            continue
        if wide and c.field in ("value", "year"):
            continue
        if c.field == "year" and "period" in fields:
            continue
        name = Msg(f"upload.field.{c.field}")
        params = {"name": name, "aliases": Names(c.names)}
        problems.append(Problem("upload.err.missing_column", params, header_row, name))
    return problems


def build_layout(
    columns: tuple[Col, ...], wide_ok: bool, header_row: int, header: list[str]
) -> tuple[Layout, list[Problem], list[str]]:
    """Map header cells to the fields of a kind's columns (`wide_ok`: period columns allowed);
    report missing and duplicate columns; list ignored ones."""
    index = {norm_header(n): c.field for c in columns for n in c.names}
    fields, periods, problems, ignored = _map_columns(index, wide_ok, header_row, header)
    wide = "value" not in fields and bool(periods)
    if not wide:
        ignored.extend(header[c] for c in periods)
        periods = {}
    problems += _missing_columns(columns, fields, wide, header_row)
    if wide and "year" not in fields:
        problems += [
            Problem("upload.err.period_year", {"name": header[c]}, header_row, header[c], header[c])
            for c, (year, _q) in periods.items()
            if year is None
        ]
    cols = list(periods) if wide else [fields["value"]] if "value" in fields else []
    units = {header_unit(header[c]) for c in cols} - {""}
    unit = units.pop() if len(units) == 1 else ""
    return Layout(header_row, header, fields, periods, wide, unit), problems, ignored


def row_text(cells: Sequence[object]) -> str:
    """A skipped row as one line of text: its non-blank cells joined (at most 60 characters)."""
    text = " ".join(cell_text(c) for c in cells if not is_blank(c))
    return text if len(text) <= 60 else text[:60] + "…"


def csv_row_shape(row: int, cells: Sequence[object], width: int, delimiter: str) -> list[Problem]:
    """Problems of a CSV row's shape: fewer cells than the header names (a missing separator, or
    rows run together), or a cell that holds whole further rows (a quote opened and closed
    only rows later, which would swallow those rows)."""
    found: list[Problem] = []
    if len(cells) < width:
        found.append(Problem("upload.err.short_row", {"n": len(cells), "width": width}, row))
    for cell in cells:
        if isinstance(cell, str) and "\n" in cell:
            rest = cell.split("\n", 1)[1]
            if rest.count(delimiter) >= max(1, width - 2):
                found.append(
                    Problem("upload.err.swallowed_rows", {}, row, "", cell_text(cell)[:40])
                )
                break
    return found


# --------------------------------------------------------------------------------------------
# Validation per kind
# --------------------------------------------------------------------------------------------


def title_rows(table: Grid, idx: int) -> list[Skipped]:
    """The rows above the header row (index idx) that hold something: titles, skipped."""
    return [
        (row, row_text(cells), "title")
        for row, cells in islice(table.iter_rows(), idx)
        if nonblank(cells) and not is_comment(cells)
    ]


def report_header(table: Grid, idx: int, header: list[str], skipped: list[Skipped]) -> list[str]:
    """The header of a 报表: merged ranges filled, and a second header row joined into the first
    (listed in `skipped` as the header's second row, and dropped from the table's rows)."""
    if table.merges:
        fill_merges(table, idx)
        header = [cell_text(c) for c in table.rows[idx][1]]
    joined = second_header(table, idx, header)
    if joined is None:
        return header
    rows = table.rows
    number, cells = rows[idx + 1]
    skipped.append((number, row_text(table.shown.get(number, cells)), "header2"))
    table.drop_row(idx + 1)
    return joined
