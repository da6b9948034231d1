"""Upload of observations, targets and stations from CSV or .xlsx: parse → validate → diff → commit
→ undo, plus the `import` and `undo` commands of lib.cli.

* parse: CSV in UTF-8 (with or without BOM) or GBK/GB18030 (detected), or the first sheet of an
  .xlsx (or the sheet named like the template); headers in Chinese or English; figures in the long
  layout (one per row) or the wide layout staff keep (one column per quarter or year).
* validate: every problem at once, as (row, column, value, reason) in the UI language; nothing is
  written when any row is wrong.
* diff: new / changed (old → new) / unchanged against the current rows of the store; the same file
  again (same sha256 as a committed batch) changes nothing.
* commit: one transaction = one ImportBatch + its upload Source + versioned rows (a changed figure
  gets a new row with replaces_id → old row, the old row is_current=False; no value is updated in
  place) + the data-version bump + an AuditLog row. A killed process leaves the store as before.
* undo: flips a batch's rows back (its rows not current, the rows it replaced current again).
"""

from __future__ import annotations

import argparse
import csv
import difflib
import hashlib
import io
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Float, bindparam, func, insert, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from lib.core.catalog import STATION_TYPES
from lib.core.i18n import t
from lib.core.numbers import (
    MAX_LENGTH,
    NumberError,
    Parsed,
    format_value,
    parse_value,
    require_non_negative,
    to_indicator_unit,
)
from lib.core.vocab import BEIJING, inside_china
from lib.ingest import guard, report_layout
from lib.ingest.bounds import YEAR_MIN, bound_text, value_bound, within, year_max
from lib.ingest.guard import FileProblem, inspect_workbook
from lib.store.audit import AuditEvent
from lib.store.db import bump_data_version, refresh_statistics, session_scope
from lib.store.models import (
    AuditLog,
    ImportBatch,
    Indicator,
    Observation,
    Org,
    Source,
    Station,
    Target,
    utcnow,
)

KINDS = ("observations", "targets", "stations")
WORKBOOKS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
EXTENSIONS = (".csv", *WORKBOOKS)
OPENED_MIN = 1949
CHUNK = 5_000
MAX_TEXT = 300
Progress = Callable[[str, float], None]


class ImportRefused(Exception):
    """The import or undo cannot go ahead (nothing written); ``message`` is for the clerk."""

    def __init__(self, message: str) -> None:
        """Keep the user-facing message."""
        self.message = message
        super().__init__(message)


class BatchNotFound(ImportRefused):
    """Undo of a batch id that does not exist."""


# --------------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    """A column the importer understands: its field, the header names it accepts, required?"""

    field: str
    names: tuple[str, ...]
    required: bool = False


_ORG = ("单位", "单位代码", "单位名称", "填报单位", "所属单位", "工会", "组织", "org", "org_code")
_ORG += ("organisation", "organization", "org_name")
_SOURCE = ("来源", "来源代码", "数据来源", "source", "source_code")
_LOCATOR = ("原文位置", "出处", "备注", "说明", "locator", "note", "notes", "remark")
_INDICATOR = ("指标", "指标代码", "指标名称", "指标项", "项目", "indicator", "indicator_code")
_INDICATOR += ("indicator_name", "kpi")
_QUALIFIER = ("限定", "限定词", "数值限定", "qualifier")

COLUMNS: dict[str, tuple[Col, ...]] = {
    "observations": (
        Col("org", _ORG, True),
        Col("indicator", _INDICATOR, True),
        Col("year", ("年份", "年度", "年", "year"), True),
        Col("quarter", ("季度", "季", "quarter")),
        Col("period", ("期间", "统计期间", "时期", "报告期", "period")),
        Col("value", ("数值", "数据", "值", "数量", "完成值", "实际值", "value", "actual"), True),
        Col("unit", ("计量单位", "unit")),
        Col("qualifier", _QUALIFIER),
        Col("period_note", ("期间说明", "时段说明", "period_note")),
        Col("locator", _LOCATOR),
        Col("source", _SOURCE),
    ),
    "targets": (
        Col("org", _ORG, True),
        Col("indicator", _INDICATOR, True),
        Col("year", ("年份", "目标年份", "年度", "year"), True),
        Col("base_year", ("起始年份", "基期年份", "base_year")),
        Col("quarter", ("季度", "quarter")),
        Col("value", ("目标值", "目标", "数值", "value", "target"), True),
        Col("unit", ("计量单位", "unit")),
        Col("qualifier", _QUALIFIER),
        Col("comparator", ("比较", "比较符", "comparator")),
        Col("plan", ("依据", "规划", "计划", "目标依据", "plan", "plan_zh"), True),
        Col("plan_en", ("依据英文", "plan_en")),
        Col("locator", _LOCATOR),
        Col("source", _SOURCE),
    ),
    "stations": (
        Col("code", ("编号", "阵地编号", "代码", "code", "station_code")),
        Col("name", ("名称", "阵地名称", "站点名称", "name", "name_zh"), True),
        Col("name_en", ("英文名称", "name_en")),
        Col("type", ("类型", "阵地类型", "type"), True),
        Col("org", _ORG, True),
        Col("town", ("镇街", "街道", "乡镇", "town")),
        Col("address", ("地址", "address")),
        Col("lat", ("纬度", "lat", "latitude"), True),
        Col("lon", ("经度", "lon", "lng", "longitude"), True),
        Col("precision", ("定位精度", "精度", "precision")),
        Col("opened_year", ("建成年份", "开放年份", "opened_year")),
        Col("status", ("状态", "status")),
        Col("locator", _LOCATOR),
        Col("source", _SOURCE),
    ),
}

# Sheet names of the templates (and what people call them) -> kind.
SHEETS = {
    "指标数据": "observations",
    "数据": "observations",
    "observations": "observations",
    "目标": "targets",
    "targets": "targets",
    "服务阵地": "stations",
    "阵地": "stations",
    "stations": "stations",
}

_COMPARATORS = {
    ">=": ">=",
    "≥": ">=",
    "不低于": ">=",
    "不少于": ">=",
    "至少": ">=",
    "以上": ">=",
    "<=": "<=",
    "≤": "<=",
    "不高于": "<=",
    "不超过": "<=",
    "至多": "<=",
    "以下": "<=",
}
_PRECISIONS = {
    "surveyed": "surveyed",
    "实测": "surveyed",
    "测绘": "surveyed",
    "landmark": "landmark",
    "地标": "landmark",
    "town_centroid": "town_centroid",
    "镇街中心": "town_centroid",
    "街道中心": "town_centroid",
}
_STATUSES = {
    "open": "open",
    "运行": "open",
    "开放": "open",
    "正常": "open",
    "trial": "trial",
    "试运行": "trial",
    "closed": "closed",
    "关闭": "closed",
    "停用": "closed",
}


def norm(text: object) -> str:
    """A matching key: NFKC, lower case, no whitespace."""
    return "".join(unicodedata.normalize("NFKC", str(text)).lower().split())


def norm_header(text: object) -> str:
    """A header's matching key: norm() without a trailing (…) note or * marker."""
    key = norm(text).replace("*", "")
    return re.sub(r"\(.*\)$", "", key) or key


def _header_index() -> dict[str, dict[str, str]]:
    """For each kind: normalised header name -> field."""
    return {
        k: {norm_header(n): c.field for c in cols for n in c.names} for k, cols in COLUMNS.items()
    }


HEADERS = _header_index()

_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_Q = r"(?:第)?(?:q(?P<qa>\d+)|(?P<qb>\d+|[一二三四五六七八九])季度?)"
_PERIOD_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})(?:年度?|年全年|全年|fullyear|annual)?$"),
    re.compile(r"^(?P<y>\d{4})(?:年度?|[-/_.])?" + _Q + r"$"),
    re.compile(r"^q(?P<qa>\d+)(?:[-/_.]|年)?(?P<y>\d{4})$"),
    re.compile(r"^" + _Q + r"$"),
)


# Headers of a wide file's full-year column, whose year comes from the row's year column.
ANNUAL_HEADERS = frozenset(
    {
        "全年",
        "全年度",
        "全年数",
        "全年合计",
        "年度合计",
        "年度数",
        "annual",
        "fullyear",
        "full_year",
    }
)


def parse_period_header(
    header: object,
) -> tuple[int | None, int] | tuple[int, None] | tuple[None, None] | None:
    """(year, quarter) named by a wide-layout column header like 2025Q1 or 2025年一季度, (None,
    None) for a full-year column (全年, annual) whose year is in the row; else None."""
    key = norm_header(header)
    if key in ANNUAL_HEADERS:
        return None, None
    for pattern in _PERIOD_PATTERNS:
        m = pattern.match(key)
        if m:
            groups = m.groupdict()
            year = int(groups["y"]) if groups.get("y") else None
            q = groups.get("qa") or groups.get("qb")
            quarter = (int(q) if q.isdigit() else _CN_NUM[q]) if q else None
            if year is None and quarter is None:
                return None
            return year, quarter  # type: ignore[return-value]
    return None


# --------------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------------


class Table:
    """The cells of a file: (row number as the clerk sees it, cells) plus how it was read.

    A plain CSV is also held as a frame of text columns c0, c1, … (frame row i = file row i + 1,
    cells past a short row's end are null); its `rows` are then built only when asked for."""

    def __init__(
        self,
        rows: list[tuple[int, list[object]]] | None,
        encoding: str,
        sheet: str = "",
        frame: pl.DataFrame | None = None,
        delimiter: str = "",
        sheets: Sequence[str] = (),
    ) -> None:
        """Keep the rows (or the frame they are built from) and how the file was read: encoding,
        the sheet read and the visible sheets of a workbook, a CSV's delimiter."""
        self._rows = rows
        self.encoding = encoding
        self.sheet = sheet
        self.frame = frame
        self.delimiter = delimiter
        self.sheets = list(sheets)
        self.merges: list[tuple[int, int, int, int]] = []  # a workbook's merged ranges, 0-based
        self.shown: dict[int, list[object]] = {}  # rows as the sheet shows them, before filling

    @property
    def rows(self) -> list[tuple[int, list[object]]]:
        """Every row as (row number, cells)."""
        if self._rows is None:
            frame = self.frame if self.frame is not None else pl.DataFrame()
            self._rows = [(i, list(r)) for i, r in enumerate(frame.rows(), 1)]
        return self._rows

    def number(self, idx: int) -> int:
        """The file row number of the row at an index."""
        return idx + 1 if self._rows is None else self._rows[idx][0]

    def iter_rows(self) -> Iterator[tuple[int, list[object]]]:
        """The rows from the top, building from the frame only as many as are read."""
        if self._rows is not None or self.frame is None:
            yield from self.rows
            return
        start, size = 0, 64
        while start < self.frame.height:
            for i, r in enumerate(self.frame.slice(start, size).rows(), start + 1):
                yield i, list(r)
            start, size = start + size, size * 8


# Python's str.strip() whitespace (polars' own strip_chars() leaves \x1c-\x1f in place).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
CSV_FIELD_LIMIT = csv.field_size_limit()


def _simple_csv_frame(body: bytes, delimiter: str) -> pl.DataFrame | None:
    """A UTF-8 CSV as a frame of text columns when csv.reader would read it line by line the same
    way (no blank line, no lone CR, every quote a whole well-formed field); None otherwise."""
    crlf = body.count(b"\r\n")
    if body.count(b"\r") != crlf or b"\n\n" in body or b"\n\r\n" in body:
        return None
    if not body or body.startswith((b"\n", b"\r\n")):
        return None
    records = body.count(b"\n") + (not body.endswith(b"\n"))
    lines = pl.Series("line", [body], dtype=pl.Binary).cast(pl.String).str.split("\n").explode()
    if len(body) > CSV_FIELD_LIMIT and lines.str.len_bytes().max() > CSV_FIELD_LIMIT:  # type: ignore[operator]
        return None
    unquoted = lines
    if b'"' in body:
        d = re.escape(delimiter)
        field_re = f'"(?:[^"]|"")*"|[^"{d}\r]*'
        quoted = lines.filter(lines.str.contains('"', literal=True))
        if not quoted.str.contains(f"^(?:{field_re})(?:{d}(?:{field_re}))*\r?$").all():
            return None
        unquoted = lines.str.replace_all('"(?:[^"]|"")*"', "")
    counts = unquoted.str.count_matches(delimiter, literal=True)
    data_lines = ~lines.str.starts_with("#") & (lines.str.strip_chars(WHITESPACE) != "")
    if counts.filter(data_lines).n_unique() > 1:
        return None  # ragged rows: checked one by one
    width = int(counts.max() or 0) + 1  # type: ignore[arg-type]
    try:
        frame = pl.read_csv(
            body,
            has_header=False,
            separator=delimiter,
            quote_char='"',
            schema={f"c{i}": pl.String for i in range(width)},
            missing_columns="insert",
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError:
        return None
    return frame if frame.height == records else None


def sha256_of(data: bytes) -> str:
    """The hex sha256 of a file's bytes."""
    return hashlib.sha256(data).hexdigest()


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a CSV: UTF-8 (BOM or not) or GB18030; refuses binary and UTF-16."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem("upload.err.utf16")
    if b"\x00" in data:
        raise FileProblem("upload.err.binary")
    try:
        text = data.decode("utf-8-sig")
        return text, "UTF-8-BOM" if data.startswith(b"\xef\xbb\xbf") else "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise FileProblem("upload.err.encoding") from exc
    if any(unicodedata.category(c) == "Cc" and c not in "\r\n\t" for c in text):
        raise FileProblem("upload.err.binary")
    return text, "GB18030"


def _first_data_line(text: str) -> str:
    """The first line (as text.splitlines() cuts them) neither blank nor a # note; '' if none.

    Reads from the top in growing pieces instead of splitting a whole large file."""
    size = 65_536
    while True:
        lines = text[:size].splitlines()
        whole = lines if size >= len(text) else lines[:-1]  # the last piece may be cut short
        found = next((ln for ln in whole if ln.strip() and not ln.startswith("#")), None)
        if found is not None or size >= len(text):
            return found or ""
        size *= 8


def read_csv_bytes(data: bytes) -> Table:
    """The rows of a CSV file (comma or tab separated)."""
    text, encoding = decode_text(data)
    first = _first_data_line(text)
    delimiter = "\t" if "\t" in first and "," not in first else ","
    body = {"UTF-8": data, "UTF-8-BOM": data[3:]}.get(encoding) or text.encode("utf-8")
    frame = _simple_csv_frame(body, delimiter)
    if frame is not None:
        return Table(None, encoding, frame=frame, delimiter=delimiter)
    rows: list[tuple[int, list[object]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = 0  # the last line of the last whole record
    try:
        for i, cells in enumerate(reader, 1):
            rows.append((i, list(cells)))
            line = reader.line_num
    except csv.Error as exc:
        # strict: an unclosed quote (which would swallow every following row into one cell) or
        # text glued to a closing quote; the record that breaks starts on the next line.
        raise FileProblem(
            "upload.err.bad_csv_row", row=len(rows) + 1, line=line + 1, detail=str(exc)
        ) from exc
    return Table(rows, encoding, delimiter=delimiter)


def read_xlsx_bytes(
    data: bytes, progress: Progress | None = None, sheet: str | None = None, ext: str = ".xlsx"
) -> Table:
    """The rows of one visible sheet of a workbook (.xlsx, .xlsm, .xlsb, .xls or .ods; the sheet
    named `sheet`, else the first visible sheet named like a template, else the first visible),
    inspected first and then read in a worker process under a time and memory limit
    (lib.ingest.guard), never in this process."""
    if not data:
        raise FileProblem("upload.err.empty")
    inspect_workbook(data, ext)  # refuses bombs, encrypted and disguised workbooks first
    if progress:
        progress("parse", 0.1)
    rows, title, names, merges = guard.parse_xlsx(
        data,
        sheet,
        frozenset(SHEETS),
        seconds=guard.PARSE_SECONDS,
        memory=guard.PARSE_MEMORY,
        ext=ext,
    )
    table = Table(rows, "xlsx", title, sheets=names)
    table.merges = merges
    return table


def read_table(
    data: bytes, file_name: str, progress: Progress | None = None, sheet: str | None = None
) -> Table:
    """The rows of a CSV file or a workbook, chosen by extension (`sheet`: which sheet)."""
    ext = Path(file_name).suffix.lower()
    if ext not in EXTENSIONS:
        raise FileProblem("upload.err.extension", ext=ext or file_name)
    if not data.strip():
        raise FileProblem("upload.err.empty")
    if ext in WORKBOOKS:
        return read_xlsx_bytes(data, progress, sheet, ext)
    return read_csv_bytes(data)


# --------------------------------------------------------------------------------------------
# Problems and plans
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One reason the file is refused: file row (None = whole file), column header, value, reason."""

    row: int | None
    column: str
    value: str
    reason: str

    def line(self, lang: str = "zh") -> str:
        """The problem as one sentence, e.g. 第 5 行，列“数值”：“1.8万2”不是有效数字."""
        if self.row is None:
            return t("upload.problem_file", lang, reason=self.reason)
        return t("upload.problem_line", lang, row=self.row, column=self.column, reason=self.reason)


@dataclass
class Change:
    """One validated figure compared with the store: status new / changed / unchanged."""

    status: str
    row: int
    values: dict[str, Any]
    old_id: int | None = None
    old: dict[str, Any] | None = None


@dataclass
class Plan:
    """What an upload would do: the validated rows, the problems, and the diff with the store.

    Observations are held as frames (`frame`: the validated figures with their file row;
    `diff_frame`: the same plus status and the current figure they replace), which the diff and
    the commit work on; `records`, `record_rows` and `changes` are built from them when read."""

    kind: str
    file_name: str
    sha256: str
    lang: str
    layout: str = "long"
    encoding: str = ""
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    n_rows: int = 0
    n_blank: int = 0
    problems: list[Problem] = field(default_factory=list)
    absent: set[str] = field(default_factory=set)
    ignored: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str, str]] = field(default_factory=list)
    duplicate_batch: int | None = None
    duplicate_user: str = ""
    labels: dict[str, dict[int, tuple[str, str, str, str]]] = field(default_factory=dict)
    frame: pl.DataFrame | None = field(default=None, repr=False, compare=False)
    diff_frame: pl.DataFrame | None = field(default=None, repr=False, compare=False)
    _records: list[dict[str, Any]] | None = field(default=None, repr=False)
    _record_rows: list[int] | None = field(default=None, repr=False)
    _changes: list[Change] | None = field(default=None, repr=False)
    _counts: tuple[Any, Counter] = field(default=(None, Counter()), repr=False, compare=False)

    @property
    def records(self) -> list[dict[str, Any]]:
        """The validated records (without their file rows), in file order."""
        if self._records is None:
            frame = self.frame
            self._records = [] if frame is None else frame.drop("row").to_dicts()
        return self._records

    @records.setter
    def records(self, value: list[dict[str, Any]]) -> None:
        """Replace the records (the frame, if any, goes)."""
        self._records, self.frame = value, None

    @property
    def record_rows(self) -> list[int]:
        """The file row of each record."""
        if self._record_rows is None:
            self._record_rows = [] if self.frame is None else self.frame["row"].to_list()
        return self._record_rows

    @record_rows.setter
    def record_rows(self, value: list[int]) -> None:
        """Replace the file rows of the records."""
        self._record_rows = value

    @property
    def changes(self) -> list[Change]:
        """The diff, one Change per record."""
        if self._changes is None:
            self._changes = [] if self.diff_frame is None else frame_changes(self.diff_frame)
        return self._changes

    @changes.setter
    def changes(self, value: list[Change]) -> None:
        """Replace the diff (the diff frame, if any, goes)."""
        self._changes, self.diff_frame = value, None
        self._counts = (None, Counter())

    def set_diff(self, frame: pl.DataFrame) -> None:
        """Hold a diff frame (its Change objects are built only when read)."""
        self.diff_frame, self._changes = frame, None
        self._counts = (None, Counter())

    @property
    def ok(self) -> bool:
        """True when the file has no problem."""
        return not self.problems

    def count(self, status: str) -> int:
        """How many figures have a diff status (counted once per list or frame of changes)."""
        frame = self.diff_frame if self._changes is None else None
        key = (id(frame), 0) if frame is not None else (id(self.changes), len(self.changes))
        if self._counts[0] != key:
            if frame is not None:
                counted = Counter(dict(frame["status"].value_counts().iter_rows()))
            else:
                counted = Counter(c.status for c in self.changes)
            self._counts = (key, counted)
        return self._counts[1][status]

    @property
    def n_new(self) -> int:
        """Figures the store does not hold yet."""
        return self.count("new")

    @property
    def n_changed(self) -> int:
        """Figures that would overwrite a different current figure."""
        return self.count("changed")

    @property
    def n_unchanged(self) -> int:
        """Figures equal to the current ones."""
        return self.count("unchanged")

    def changes_of(self, status: str, limit: int | None = None) -> list[Change]:
        """The changes of one diff status in file order, at most limit of them."""
        if self._changes is None and self.diff_frame is not None:
            part = self.diff_frame.filter(pl.col("status") == status)
            return frame_changes(part if limit is None else part.head(limit))
        found = (c for c in self.changes if c.status == status)
        return list(found if limit is None else islice(found, limit))

    def signature(self) -> tuple[int, int, int, int]:
        """A fingerprint of the diff, to notice the store changing between preview and commit:
        the counts and the store rows that the changed and the unchanged figures match."""
        olds: list[tuple[int, ...]] = []
        for status in ("changed", "unchanged"):
            if self._changes is None and self.diff_frame is not None:
                ids = self.diff_frame.filter(pl.col("status") == status)["old_id"]
                olds.append(tuple(ids.sort().to_list()))
            else:
                olds.append(
                    tuple(sorted(c.old_id or 0 for c in self.changes if c.status == status))
                )
        return (self.n_new, self.n_changed, self.n_unchanged, hash(tuple(olds)))


@dataclass(frozen=True)
class CommitResult:
    """What a commit wrote."""

    batch_id: int
    n_new: int
    n_changed: int
    n_unchanged: int
    data_version: int


@dataclass(frozen=True)
class UndoResult:
    """What an undo flipped."""

    batch_id: int
    removed: int
    restored: int
    data_version: int


# --------------------------------------------------------------------------------------------
# The catalogue the file is checked against
# --------------------------------------------------------------------------------------------


@dataclass
class Catalog:
    """Orgs, indicators, sources and station codes of the store, with lookup by name or code."""

    orgs: dict[str, Org]
    indicators: dict[str, Indicator]
    sources: dict[str, Source]
    org_by_id: dict[int, Org]
    ind_by_id: dict[int, Indicator]
    org_names: dict[str, str]
    ind_names: dict[str, str]
    src_names: dict[str, str]
    station_codes: dict[tuple[int, str], str]
    _cache: dict[tuple[str, str], Any] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> Catalog:
        """Read the catalogue from the store."""
        orgs = list(session.scalars(select(Org)))
        inds = list(session.scalars(select(Indicator).order_by(Indicator.sort_order)))
        srcs = list(session.scalars(select(Source)))
        org_map: dict[str, Org] = {}
        org_names: dict[str, str] = {}
        for o in orgs:
            for name in (o.code, o.name_zh, o.name_en):
                if name:
                    org_map.setdefault(norm(name), o)
                    org_names.setdefault(norm(name), f"{o.name_zh}（{o.code}）")
        ind_map: dict[str, Indicator] = {}
        ind_names: dict[str, str] = {}
        for ind in inds:
            for name in (ind.code, ind.name_zh, ind.name_en, *ind.alias_list()):
                if name:
                    ind_map.setdefault(norm(name), ind)
                    ind_names.setdefault(norm(name), f"{ind.name_zh}（{ind.code}）")
        src_map: dict[str, Source] = {}
        src_names: dict[str, str] = {}
        for s in srcs:
            for name in (s.code, s.title_zh, s.title_en, s.file):
                if name:
                    src_map.setdefault(norm(name), s)
                    src_names.setdefault(norm(name), s.code)
        station_codes = {
            (org_id, name): code
            for org_id, name, code in session.execute(
                select(Station.org_id, Station.name_zh, Station.code).where(
                    Station.is_current.is_(True)
                )
            )
        }
        return cls(
            org_map,
            ind_map,
            src_map,
            {o.id: o for o in orgs},
            {i.id: i for i in inds},
            org_names,
            ind_names,
            src_names,
            station_codes,
        )

    def lookup(self, what: str, text: str) -> Any:
        """The org / indicator / source named by text, or None (memoised)."""
        key = (what, text)
        if key not in self._cache:
            table = {"org": self.orgs, "indicator": self.indicators, "source": self.sources}[what]
            self._cache[key] = table.get(norm(text))
        return self._cache[key]

    def suggest(self, what: str, text: str, lang: str) -> str:
        """', did you mean: …' with the nearest catalogue names, or '' when none is close."""
        names = {"org": self.org_names, "indicator": self.ind_names, "source": self.src_names}[what]
        return hint(text, names, lang)


def hint(text: str, names: dict[str, str], lang: str) -> str:
    """A 'did you mean' suffix from the names closest to text (difflib), or ''."""
    close = difflib.get_close_matches(norm(text), list(names), n=8, cutoff=0.4)
    shown: list[str] = []
    for key in close:
        if names[key] not in shown:
            shown.append(names[key])
    if not shown:
        return ""
    return t(
        "upload.err.hint",
        lang,
        names="、".join(shown[:3]) if lang == "zh" else ", ".join(shown[:3]),
    )


# --------------------------------------------------------------------------------------------
# Cell readers
# --------------------------------------------------------------------------------------------


class CellError(Exception):
    """A cell is wrong; key/fmt name an upload.err.* string (or message is ready-made)."""

    def __init__(self, key: str = "", message: str = "", **fmt: object) -> None:
        """Keep the string key and format values, or a ready message."""
        self.key = key
        self.message = message
        self.fmt = fmt
        super().__init__(key or message)

    def reason(self, lang: str) -> str:
        """The reason in a language."""
        return self.message or t(self.key, lang, **self.fmt)


def is_blank(value: object) -> bool:
    """True for None and whitespace-only text."""
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell as display text (integral floats without .0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def is_formula(value: object) -> bool:
    """True for text that Excel would run as a formula (a workbook's formulas arrive as their
    cached values; lib.ingest.xlsx_read refuses one without)."""
    return isinstance(value, str) and value.lstrip().startswith("=")


def read_int(value: object, lo: int, hi: int, bad: str, out: str) -> int:
    """A year-like integer (2025, 2025.0, "2025年") within [lo, hi]."""
    if isinstance(value, bool) or isinstance(value, datetime | date):
        raise CellError(bad, text=cell_text(value))
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise CellError(bad, text=cell_text(value))
        number = int(value)
    else:
        m = re.fullmatch(r"(\d{1,6})(?:\.0+)?(?:年度?)?", norm(value))
        if not m:
            raise CellError(bad, text=cell_text(value))
        number = int(m.group(1))
    if not lo <= number <= hi:
        raise CellError(out, year=number, lo=lo, hi=hi)
    return number


def read_year(value: object) -> int:
    """A year within 2000 … next year."""
    return _read_year(value, year_max())


@lru_cache(maxsize=4096, typed=True)
def _read_year(value: object, hi: int) -> int:
    """A year within 2000 … hi (memoised: a file repeats few years)."""
    return read_int(value, YEAR_MIN, hi, "upload.err.bad_year", "upload.err.year_range")


@lru_cache(maxsize=1024, typed=True)
def read_quarter(value: object) -> int | None:
    """A quarter 1–4 from Q1 / 1 / 一季度 / 第一季度; None (whole year) for blank or 全年."""
    if is_blank(value):
        return None
    text = cell_text(value)
    key = norm(text)
    if key in ("全年", "年度", "全年度", "year", "annual", "fy", "-", "—"):
        return None
    m = re.fullmatch(r"(?:第)?(?:q(\d+)|(\d+|[一二三四五六七八九])(?:季度|季|q)?)", key)
    if not m:
        m2 = re.fullmatch(r"(?:quarter)(\d+)", key)
        if not m2:
            raise CellError("upload.err.bad_quarter", text=text)
        q = m2.group(1)
    else:
        q = m.group(1) or m.group(2)
    quarter = int(q) if q.isdigit() else _CN_NUM[q]
    if not 1 <= quarter <= 4:
        raise CellError("upload.err.quarter_range", quarter=quarter)
    return quarter


@lru_cache(maxsize=1024, typed=True)
def read_period(value: object) -> tuple[int, int | None]:
    """(year, quarter or None) from one period cell: 2025, 2025Q1, 2025年一季度, 2025年第1季度."""
    text = cell_text(value)
    period = parse_period_header(text)
    if period is None or period[0] is None:
        raise CellError("upload.err.bad_period", text=text)
    year, quarter = period
    if not YEAR_MIN <= year <= year_max():
        raise CellError("upload.err.year_range", year=year, lo=YEAR_MIN, hi=year_max())
    if quarter is not None and not 1 <= quarter <= 4:
        raise CellError("upload.err.quarter_range", quarter=quarter)
    return year, quarter


_parse_value = lru_cache(maxsize=65_536, typed=True)(parse_value)


def read_figure(value: object, unit_hint: str, ind: Indicator, lang: str) -> Parsed | None:
    """A figure in the indicator's unit (qualifier kept); None for a blank cell."""
    try:
        parsed = require_non_negative(_parse_value(value))
        if parsed is None:
            return None
        if parsed.unit is None and unit_hint:
            parsed = Parsed(parsed.value, parsed.qualifier, unit_hint)
        number = to_indicator_unit(parsed, ind.unit_zh)
        if not within(number, value_bound(ind.unit_zh, ind.kind)):
            raise CellError(
                "upload.err.over_bound",
                text=cell_text(value)[:40],
                bound=bound_text(ind.unit_zh, ind.kind, lang),
            )
        return Parsed(number, parsed.qualifier, ind.unit_zh)
    except NumberError as exc:
        text = cell_text(value)
        if exc.code == "not_a_number":
            raise CellError("upload.err.number", text=text) from exc
        if exc.code == "multiple_numbers":
            raise CellError("upload.err.multiple_numbers", text=text) from exc
        if exc.code == "negative":
            raise CellError("upload.err.negative", text=text) from exc
        if exc.code == "unit_mismatch":
            raise CellError("upload.err.unit_mismatch", text=text, unit=ind.unit_zh) from exc
        raise CellError(message=exc.message(lang)) from exc


def read_coord(value: object) -> float:
    """A coordinate in decimal degrees."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = unicodedata.normalize("NFKC", cell_text(value)).strip().rstrip("°")
    try:
        number = float(text)
    except ValueError as exc:
        raise CellError("upload.err.bad_coord", text=cell_text(value)) from exc
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError("upload.err.bad_coord", text=cell_text(value))
    return number


def read_choice(value: object, choices: dict[str, str], default: str) -> str:
    """A code from a small vocabulary (zh or en words), the default when blank."""
    if is_blank(value):
        return default
    code = choices.get(norm(value))
    if code is None:
        shown = "、".join(dict.fromkeys(choices))
        raise CellError("upload.err.bad_choice", text=cell_text(value), choices=shown)
    return code


def column_length(model: Any, column: str) -> int:
    """The declared length of a text column of the store (PostgreSQL enforces it)."""
    return int(model.__table__.c[column].type.length)


def text_of(model: Any, column: str) -> Callable[[object], str]:
    """A reader of text refused when longer than the store's column holds."""
    limit = column_length(model, column)
    return lambda value: read_text(value, limit)


def read_text(value: object, limit: int = MAX_TEXT) -> str:
    """Plain text of a cell, refused when longer than the column holds."""
    text = cell_text(value)
    if len(text) > limit:
        raise CellError("upload.err.too_long", n=limit)
    return text


_QUALIFIERS = {
    "exact": "exact",
    "精确": "exact",
    "准确": "exact",
    "确数": "exact",
    "at_least": "at_least",
    "atleast": "at_least",
    "余": "at_least",
    "多": "at_least",
    "以上": "at_least",
    "至少": "at_least",
    "about": "about",
    "约": "about",
    "近": "about",
    "大约": "about",
    "左右": "about",
}


def read_qualifier(value: object) -> str:
    """A qualifier code (exact / at_least / about) from a qualifier cell (code or 余/约 word)."""
    return read_choice(value, _QUALIFIERS, "exact")


def with_qualifier(check: RowCheck, col: int, fig: Parsed | None, qualifier: str | None) -> Any:
    """The figure with the qualifier column's qualifier; a problem (None) when the value's own
    qualifier (1.8万余) says something else than the column."""
    if fig is None or qualifier is None or fig.qualifier == qualifier:
        return fig
    if fig.qualifier != "exact":
        check.fail(
            col,
            "upload.err.qualifier_conflict",
            written=t(f"upload.qualifier.{fig.qualifier}", check.lang),
            column=t(f"upload.qualifier.{qualifier}", check.lang),
        )
        return None
    return Parsed(fig.value, qualifier, fig.unit)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Header and layout
# --------------------------------------------------------------------------------------------


@dataclass
class Layout:
    """Where each field sits: field -> column index, plus wide-layout period columns."""

    header_row: int
    headers: list[str]
    fields: dict[str, int]
    periods: dict[int, tuple[int | None, int | None]]
    wide: bool
    unit: str = ""  # the unit written in the header (数值（家）, 2026年一季度（万元）), if any


def _nonblank(cells: Sequence[object]) -> int:
    """How many cells of a row hold something."""
    return sum(1 for c in cells if not is_blank(c))


_EXCEL_ERROR = re.compile(r"#(NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|SPILL!|CALC!|GETTING_DATA)")


def _is_comment(cells: Sequence[object]) -> bool:
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


def detect_kind(table: Table, header: list[str]) -> str:
    """The kind of data from the sheet name, else from the columns."""
    if norm(table.sheet) in SHEETS:
        return SHEETS[norm(table.sheet)]
    keys = {norm_header(h) for h in header}
    if keys & {"纬度", "lat", "latitude"} and keys & {"经度", "lon", "lng", "longitude"}:
        return "stations"
    if keys & {
        "依据",
        "规划",
        "目标依据",
        "plan",
        "plan_zh",
        "比较",
        "comparator",
        "目标值",
        "target",
    }:
        return "targets"
    return "observations"


def find_header(table: Table) -> tuple[int, list[str]] | None:
    """(index into rows, header texts) of the first row naming at least two columns."""
    for idx, (_row, cells) in enumerate(table.iter_rows()):
        if _is_comment(cells) or _nonblank(cells) == 0:
            continue
        if _nonblank(cells) >= 2 and not report_layout.is_note_row(cells):
            return idx, [cell_text(c) for c in cells]
        continue
    return None


def fill_merges(table: Table, idx: int) -> None:
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
    key = norm_header(value)
    return any(key in index for index in HEADERS.values()) or parse_period_header(value) is not None


def second_header(table: Table, idx: int, header: list[str]) -> list[str] | None:
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


def build_layout(
    kind: str, header_row: int, header: list[str], lang: str
) -> tuple[Layout, list[Problem], list[str]]:
    """Map header cells to fields; report missing and duplicate columns; list ignored ones."""
    index = HEADERS[kind]
    fields: dict[str, int] = {}
    periods: dict[int, tuple[int | None, int | None]] = {}
    problems: list[Problem] = []
    ignored: list[str] = []
    for col, name in enumerate(header):
        if not name:
            continue
        fld = index.get(norm_header(name))
        if fld is not None:
            if fld in fields:
                other = fields[fld]
                problems.append(
                    Problem(
                        header_row,
                        name,
                        name,
                        t(
                            "upload.err.duplicate_column",
                            lang,
                            other=other + 1,
                            other_name=header[other],
                        ),
                    )
                )
            else:
                fields[fld] = col
            continue
        period = parse_period_header(name) if kind == "observations" else None
        if period is not None:
            periods[col] = period
        else:
            ignored.append(name)
    wide = "value" not in fields and bool(periods)
    if not wide:
        ignored.extend(header[c] for c in periods)
        periods = {}
    for c in COLUMNS[kind]:
        if not c.required or c.field in fields:
            continue
        if wide and c.field in ("value", "year"):
            continue
        if c.field == "year" and "period" in fields:
            continue
        problems.append(
            Problem(
                header_row,
                t(f"upload.field.{c.field}", lang),
                "",
                t(
                    "upload.err.missing_column",
                    lang,
                    name=t(f"upload.field.{c.field}", lang),
                    aliases="、".join(c.names) if lang == "zh" else ", ".join(c.names),
                ),
            )
        )
    if wide and "year" not in fields:
        for col, (year, _q) in periods.items():
            if year is None:
                problems.append(
                    Problem(
                        header_row,
                        header[col],
                        header[col],
                        t("upload.err.period_year", lang, name=header[col]),
                    )
                )
    cols = list(periods) if wide else [fields["value"]] if "value" in fields else []
    units = {header_unit(header[c]) for c in cols} - {""}
    unit = units.pop() if len(units) == 1 else ""
    return Layout(header_row, header, fields, periods, wide, unit), problems, ignored


def _row_text(cells: Sequence[object]) -> str:
    """A skipped row as one line of text: its non-blank cells joined (at most 60 characters)."""
    text = " ".join(cell_text(c) for c in cells if not is_blank(c))
    return text if len(text) <= 60 else text[:60] + "…"


def _csv_row_shape(
    row: int, cells: Sequence[object], width: int, delimiter: str, lang: str
) -> list[Problem]:
    """Problems of a CSV row's shape: fewer cells than the header names (a missing separator, or
    rows run together), or a cell that holds whole further rows (a quote opened and closed
    only rows later, which would swallow those rows)."""
    found: list[Problem] = []
    if len(cells) < width:
        found.append(
            Problem(row, "", "", t("upload.err.short_row", lang, n=len(cells), width=width))
        )
    for cell in cells:
        if isinstance(cell, str) and "\n" in cell:
            rest = cell.split("\n", 1)[1]
            if rest.count(delimiter) >= max(1, width - 2):
                found.append(
                    Problem(row, "", cell_text(cell)[:40], t("upload.err.swallowed_rows", lang))
                )
                break
    return found


# --------------------------------------------------------------------------------------------
# Validation per kind
# --------------------------------------------------------------------------------------------


class RowCheck:
    """Collects the problems of one data row while its cells are read."""

    def __init__(self, row: int, cells: list[object], layout: Layout, lang: str) -> None:
        """Start checking one row."""
        self.row = row
        self.cells = cells
        self.layout = layout
        self.lang = lang
        self.problems: list[Problem] = []

    def raw(self, col: int) -> object:
        """The cell at a column index (None past the row's end)."""
        return self.cells[col] if col < len(self.cells) else None

    def header(self, col: int) -> str:
        """The header text of a column."""
        return self.layout.headers[col] if col < len(self.layout.headers) else str(col + 1)

    def fail(self, col: int, key: str = "", message: str = "", **fmt: object) -> None:
        """Record a problem for a column of this row."""
        reason = message or t(key, self.lang, **fmt)
        self.problems.append(Problem(self.row, self.header(col), cell_text(self.raw(col)), reason))

    def get(
        self, fld: str, reader: Callable[[object], Any], required: bool = False, default: Any = None
    ) -> Any:
        """Read a field with a reader; record a problem (and return None) when it fails."""
        col = self.layout.fields.get(fld)
        if col is None:
            return default
        return self.read_col(col, reader, required, default)

    def read_col(
        self, col: int, reader: Callable[[object], Any], required: bool = False, default: Any = None
    ) -> Any:
        """Read one column with a reader; formula cells and blank required cells are problems."""
        value = self.raw(col)
        if is_formula(value):
            self.fail(col, "upload.err.formula", text=cell_text(value)[:40])
            return None
        if is_blank(value):
            if required:
                self.fail(col, "upload.err.required")
            return default
        try:
            return reader(value)
        except CellError as exc:
            self.fail(col, message=exc.reason(self.lang))
            return None

    def ref(self, fld: str, what: str, catalog: Catalog, required: bool = True) -> Any:
        """An org / indicator / source named in a field, with suggestions when unknown."""

        def reader(value: object) -> Any:
            text = cell_text(value)
            found = catalog.lookup(what, text)
            if found is None:
                suggestion = catalog.suggest(what, text, self.lang)
                raise CellError(f"upload.err.unknown_{what}", text=text, hint=suggestion)
            return found

        return self.get(fld, reader, required)


def _locator(check: RowCheck, file_name: str, catalog: Catalog) -> tuple[str, int | None]:
    """(locator phrase, source id or None for the upload's own source) of a row."""
    locator = (
        check.get("locator", text_of(Observation, "locator"), default="")
        or f"{file_name} 第{check.row}行"[:MAX_TEXT]
    )
    source = check.ref("source", "source", catalog, required=False)
    return locator, (source.id if source is not None else None)


def _observation_rows(
    check: RowCheck, catalog: Catalog, file_name: str
) -> Iterable[tuple[int, dict[str, Any] | None]]:
    """The figures of one row (one in long layout, one per period column in wide layout)."""
    lang = check.lang
    org = check.ref("org", "org", catalog)
    ind = check.ref("indicator", "indicator", catalog)
    unit_hint = check.get("unit", read_text, default=check.layout.unit)
    qualifier = check.get("qualifier", read_qualifier)
    period_note = check.get("period_note", text_of(Observation, "period_note"), default="")
    locator, source_id = _locator(check, file_name, catalog)
    base = {"period_note": period_note, "locator": locator, "source_id": source_id}
    if check.layout.wide:
        needs_year = any(y is None for y, _q in check.layout.periods.values())
        year_col = check.get("year", read_year, required=needs_year)
        for col, (year, quarter) in check.layout.periods.items():
            value = check.raw(col)
            if is_blank(value):
                yield col, None
                continue
            if quarter is not None and not 1 <= quarter <= 4:
                check.fail(col, "upload.err.quarter_range", quarter=quarter)
                continue
            if year is not None and not YEAR_MIN <= year <= year_max():
                check.fail(col, "upload.err.year_range", year=year, lo=YEAR_MIN, hi=year_max())
                continue
            year = year if year is not None else year_col
            fig = (
                check.read_col(col, lambda v: read_figure(v, unit_hint, ind, lang)) if ind else None
            )
            fig = with_qualifier(check, col, fig, qualifier)
            if org is None or ind is None or year is None or fig is None:
                continue
            yield col, _obs(org, ind, year, quarter, fig, base)
        return
    if "year" in check.layout.fields:
        year = check.get("year", read_year, required=True)
        quarter = check.get("quarter", read_quarter)
    else:  # one 期间 column: 2025 / 2025Q1 / 2025年一季度
        year, quarter = check.get("period", read_period, required=True) or (None, None)
    value_col = check.layout.fields["value"]
    if is_blank(check.raw(value_col)):
        yield value_col, None
        return
    fig = check.read_col(value_col, lambda v: read_figure(v, unit_hint, ind, lang)) if ind else None
    fig = with_qualifier(check, value_col, fig, qualifier)
    if org is None or ind is None or year is None or fig is None or check.problems:
        return
    yield value_col, _obs(org, ind, year, quarter, fig, base)


def _obs(org: Org, ind: Indicator, year: int, quarter: int | None, fig: Parsed, base: dict) -> dict:
    """An observation record (without batch and source ids)."""
    return {
        "org_id": org.id,
        "indicator_id": ind.id,
        "year": year,
        "quarter": quarter,
        "value": fig.value,
        "qualifier": fig.qualifier,
        **base,
    }


def _target_rows(
    check: RowCheck, catalog: Catalog, file_name: str
) -> Iterable[tuple[int, dict | None]]:
    """The target of one row."""
    lang = check.lang
    org = check.ref("org", "org", catalog)
    ind = check.ref("indicator", "indicator", catalog)
    year = check.get("year", read_year, required=True)
    base_year = check.get("base_year", read_year)
    quarter = check.get("quarter", read_quarter)
    unit_hint = check.get("unit", read_text, default=check.layout.unit)
    qualifier = check.get("qualifier", read_qualifier)
    comparator = check.get("comparator", lambda v: read_choice(v, _COMPARATORS, ">="), default=">=")
    plan = check.get("plan", text_of(Target, "plan_zh"), required=True)
    plan_en = check.get("plan_en", text_of(Target, "plan_en"), default="")
    locator, source_id = _locator(check, file_name, catalog)
    value_col = check.layout.fields["value"]
    if is_blank(check.raw(value_col)):
        yield value_col, None
        return
    fig = check.read_col(value_col, lambda v: read_figure(v, unit_hint, ind, lang)) if ind else None
    fig = with_qualifier(check, value_col, fig, qualifier)
    if year is not None and base_year is not None and base_year > year:
        check.fail(
            check.layout.fields["base_year"],
            "upload.err.base_year_after",
            base=base_year,
            year=year,
        )
    if check.problems or org is None or ind is None or fig is None:
        return
    yield (
        check.header(value_col),
        {
            "org_id": org.id,
            "indicator_id": ind.id,
            "year": year,
            "base_year": base_year,
            "quarter": quarter,
            "value": fig.value,
            "comparator": comparator,
            "qualifier": fig.qualifier,
            "plan_zh": plan,
            "plan_en": plan_en,
            "locator": locator,
            "source_id": source_id,
        },
    )


_TYPE_NAMES = {
    norm(n): code for code, term in STATION_TYPES.items() for n in (code, term.zh, term.en)
}
_TYPE_LABELS = {
    norm(n): f"{term.zh}（{code}）"
    for code, term in STATION_TYPES.items()
    for n in (code, term.zh, term.en)
}


def _station_type(lang: str) -> Callable[[object], str]:
    """A reader of station types by code or zh/en name, with suggestions."""

    def reader(value: object) -> str:
        code = _TYPE_NAMES.get(norm(value))
        if code is None:
            raise CellError(
                "upload.err.unknown_type",
                text=cell_text(value),
                hint=hint(cell_text(value), _TYPE_LABELS, lang),
            )
        return code

    return reader


def station_code(org: Org, name: str) -> str:
    """A stable code for a station uploaded without one: org code + a hash of its name."""
    return f"{org.code}-{hashlib.sha1(name.encode()).hexdigest()[:8]}"


def _station_rows(
    check: RowCheck, catalog: Catalog, file_name: str
) -> Iterable[tuple[int, dict | None]]:
    """The station of one row."""
    lang = check.lang
    code = check.get("code", text_of(Station, "code"), default="")
    name = check.get("name", text_of(Station, "name_zh"), required=True)
    name_en = check.get("name_en", text_of(Station, "name_en"), default="")
    kind = check.get("type", _station_type(lang), required=True)
    org = check.ref("org", "org", catalog)
    town = check.get("town", text_of(Station, "town"), default="")
    address = check.get("address", text_of(Station, "address"), default="")
    lat = check.get("lat", read_coord, required=True)
    lon = check.get("lon", read_coord, required=True)
    precision = check.get(
        "precision", lambda v: read_choice(v, _PRECISIONS, "landmark"), default="landmark"
    )
    opened = check.get(
        "opened_year",
        lambda v: read_int(
            v, OPENED_MIN, year_max(), "upload.err.bad_year", "upload.err.year_range"
        ),
    )
    status = check.get("status", lambda v: read_choice(v, _STATUSES, "open"), default="open")
    locator, source_id = _locator(check, file_name, catalog)
    if lat is not None and lon is not None and not inside_china(lat, lon):
        col = check.layout.fields["lat"]
        key = "upload.err.swapped" if inside_china(lon, lat) else "upload.err.outside_china"
        check.fail(col, key, lat=lat, lon=lon)
    if check.problems or org is None or name is None or kind is None:
        return
    if not code:
        code = catalog.station_codes.get((org.id, name)) or station_code(org, name)
    yield (
        check.header(check.layout.fields["name"]),
        {
            "code": code,
            "name_zh": name,
            "name_en": name_en,
            "type": kind,
            "org_id": org.id,
            "town": town,
            "address": address,
            "lat": lat,
            "lon": lon,
            "precision": precision,
            "opened_year": opened,
            "status": status,
            "locator": locator,
            "source_id": source_id,
        },
    )


ROW_READERS = {
    "observations": _observation_rows,
    "targets": _target_rows,
    "stations": _station_rows,
}
MODELS: dict[str, Any] = {"observations": Observation, "targets": Target, "stations": Station}
KEY_FIELDS = {
    "observations": ("org_id", "indicator_id", "year", "quarter", "period_note"),
    "targets": ("org_id", "indicator_id", "year", "quarter", "plan_zh"),
    "stations": ("code",),
}
COMPARE_FIELDS = {
    "observations": ("value", "qualifier"),
    "targets": ("value", "comparator", "qualifier", "base_year", "plan_en"),
    "stations": (
        "name_zh",
        "name_en",
        "type",
        "org_id",
        "town",
        "address",
        "lat",
        "lon",
        "precision",
        "opened_year",
        "status",
    ),
}


KEY_GETTERS = {kind: itemgetter(*fields, *fields[:1]) for kind, fields in KEY_FIELDS.items()}


# Optional columns whose absence from a file means "keep what the store has" for an existing
# row (file field -> record field), instead of blanking it with the default.
KEEP_IF_ABSENT: dict[str, dict[str, str]] = {
    "observations": {},
    "targets": {"base_year": "base_year", "comparator": "comparator", "plan_en": "plan_en"},
    "stations": {
        "name_en": "name_en",
        "town": "town",
        "address": "address",
        "precision": "precision",
        "opened_year": "opened_year",
        "status": "status",
    },
}


def record_key(kind: str, record: dict[str, Any]) -> tuple:
    """The identity of a figure / target / station within its kind (a tuple, even for one field)."""
    return KEY_GETTERS[kind](record)


# --------------------------------------------------------------------------------------------
# Column-wise reading of observations (the fast path of validate)
# --------------------------------------------------------------------------------------------

RECORD_SCHEMA: dict[str, Any] = {
    "row": pl.Int64,
    "org_id": pl.Int64,
    "indicator_id": pl.Int64,
    "year": pl.Int64,
    "quarter": pl.Int64,
    "value": pl.Float64,
    "qualifier": pl.String,
    "period_note": pl.String,
    "locator": pl.String,
    "source_id": pl.Int64,
}
# A figure parse_value reads without a unit: [近/约/大约/超过/逾] digits (1,234.5) [余/多] [万/亿] [余/多]
# (one-pass, so matching is quick; a number with commas must also be grouped by three).
FAST_FIGURE = r"^(?:大约|约|近|超过|逾)?[0-9][0-9,]*(?:\.[0-9]+)?[余多]?(?:万亿?|亿)?[余多]?$"
FAST_GROUPED = r"^[^0-9]*[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?[^0-9]*$"
MAX_FIGURE = MAX_LENGTH  # a longer figure cell is refused as too long
FAST_DIGITS = 21  # below Decimal's 28-digit precision, so 万/亿 scaling is exact as in parse_value


@lru_cache(maxsize=256)
def _plain_unit(unit: str) -> bool:
    """True when a figure typed with this unit after it (12人) is read by parse_value as the bare
    figure plus exactly this unit (not 万元: that reads as 万 and 元)."""
    try:
        parsed = parse_value(f"1{unit}")
    except NumberError:
        return False
    return bool(unit) and parsed == Parsed(1.0, "exact", unit)


def records_frame(records: list[dict[str, Any]], rows: list[int]) -> pl.DataFrame:
    """Observation records (and their file rows) as a frame."""
    cols = {k: [r[k] for r in records] for k in list(RECORD_SCHEMA)[1:]}
    return pl.DataFrame({"row": rows, **cols}, schema=RECORD_SCHEMA)


_SOMETHING = "[^" + "".join(re.escape(c) for c in WHITESPACE) + "]"


def _filled(cell: pl.Expr) -> pl.Expr:
    """not is_blank() of text cells: a character other than whitespace."""
    return cell.str.contains(_SOMETHING).fill_null(False)


def _each_distinct(
    cells: pl.Series, decide: Callable[[str], tuple[bool, Any]], dtype: Any
) -> tuple[pl.Series, pl.Series]:
    """(ok, value) per cell, deciding each distinct text once in Python."""
    found = {text: decide(text) for text in cells.unique().to_list()}
    ok = cells.replace_strict({k: v[0] for k, v in found.items()}, return_dtype=pl.Boolean)
    value = cells.replace_strict({k: v[1] for k, v in found.items()}, return_dtype=dtype)
    return ok, value


def _decider(
    reader: Callable[[object], Any], required: bool, default: Any = None
) -> Callable[[str], tuple[bool, Any]]:
    """RowCheck.read_col as (ok, value): formulas, blank required cells and CellErrors not ok."""

    def decide(text: str) -> tuple[bool, Any]:
        if is_formula(text):
            return False, None
        if is_blank(text):
            return not required, default
        try:
            return True, reader(text)
        except CellError:
            return False, None

    return decide


def _ref_id(catalog: Catalog, what: str) -> Callable[[object], int]:
    """A reader of the id of the org / indicator / source a cell names (CellError if none)."""

    def reader(value: object) -> int:
        found = catalog.lookup(what, cell_text(value))
        if found is None:
            raise CellError(f"upload.err.unknown_{what}")
        return found.id

    return reader


def _text_cells(cells: pl.Series, limit: int = MAX_TEXT) -> tuple[pl.Series, pl.Series]:
    """read_text() of text cells as (ok, text): not ok for formulas and over-long text."""
    text = cells.str.strip_chars(WHITESPACE)
    formula = cells.str.strip_chars_start(WHITESPACE).str.starts_with("=")
    return ~formula & (text.str.len_chars() <= limit), text


def _figures(cells: pl.Series) -> pl.DataFrame:
    """Figures parse_value reads without a unit, vectorised: ok, value, qualifier per cell."""
    cell = pl.col("cell")
    about = cell.str.starts_with("近") | cell.str.starts_with("约") | cell.str.starts_with("大约")
    more = cell.str.starts_with("超过") | cell.str.starts_with("逾")
    suffix = cell.str.contains("[余多]")  # in a match, 余 and 多 can only be the qualifier
    matched = (
        cell.str.contains(FAST_FIGURE)
        & (~cell.str.contains(",", literal=True) | cell.str.contains(FAST_GROUPED))
        & (cell.str.len_chars() <= MAX_FIGURE)
        & ~(about & suffix)  # 近…余: two qualifiers, refused by parse_value
    )
    shift = (
        pl.when(cell.str.contains("万亿", literal=True))
        .then(12)
        .when(cell.str.contains("亿", literal=True))
        .then(8)
        .when(cell.str.contains("万", literal=True))
        .then(4)
        .otherwise(0)
    )
    frame = (
        cells.rename("cell")
        .to_frame()
        .select(
            matched.fill_null(False).alias("ok"),
            pl.when(about)
            .then(pl.lit("about"))
            .when(more | suffix)
            .then(pl.lit("at_least"))
            .otherwise(pl.lit("exact"))
            .alias("qualifier"),
            shift.alias("shift"),
            cell.str.replace_all("[^0-9.]", "").alias("number"),  # digits and the point
        )
        .with_columns(
            pl.col("ok") & (pl.col("number").str.len_bytes() <= FAST_DIGITS + 1),
            pl.col("number").str.split_exact(".", 1).alias("parts"),
        )
        .unnest("parts")
    )
    # Move the decimal point `shift` places right in the text (exact), then read it as a float
    # (one correct rounding, as float(Decimal) in parse_value).
    digits = pl.concat_str([pl.col("field_1").fill_null(""), pl.lit("0" * 12)])
    text = pl.concat_str(
        [
            pl.col("field_0"),
            digits.str.slice(0, pl.col("shift")),
            pl.lit("."),
            digits.str.slice(pl.col("shift")),
        ]
    )
    return frame.select("ok", text.cast(pl.Float64, strict=False).alias("value"), "qualifier")


def _fast_observations(
    plan: Plan, table: Table, idx: int, layout: Layout, catalog: Catalog, file_name: str
) -> bool:
    """Validate an observations CSV (long or wide layout) column by column into plan.frame; False
    (plan untouched) when the file is not such a file or has any problem, for row-by-row reading."""
    frame = table.frame
    if plan.kind != "observations" or frame is None:
        return False
    lang, fields, header = plan.lang, layout.fields, layout.headers
    cols = frame.columns
    filled = [_filled(pl.col(c)) for c in cols]
    marks = frame.select(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("row"),
        pl.any_horizontal(filled).alias("filled"),
        pl.any_horizontal(pl.col(cols).str.contains("#", literal=True)).alias("hash"),
        pl.any_horizontal(
            [f for i, f in enumerate(filled) if i >= len(header) or not header[i]]
            or [pl.lit(False)]
        ).alias("stray"),
    )
    keep = marks["filled"] & (marks["row"] > idx + 1)
    hashed = marks.filter(keep & marks["hash"])["row"].to_list()
    if hashed:  # note rows: decide exactly as _is_comment does (#REF! is a cell, not a note)
        notes = {r for r in hashed if _is_comment(list(frame.row(r - 1)))}
        keep = keep & ~marks["row"].is_in(list(notes))
    if not keep.any() or (marks["stray"] & keep).any():
        return False  # no data row, or cells under no header: a problem for the full reading
    data = frame.filter(keep).with_columns(marks["row"].filter(keep).alias("row"))

    def cells(fld: str) -> pl.Series:
        """The data rows' cells of a field's column ('' for null)."""
        return data[cols[fields[fld]]].fill_null("")

    n = data.height
    ok = pl.Series([True] * n)
    out: dict[str, pl.Series] = {}
    for fld, what, required in (
        ("org", "org", True),
        ("indicator", "indicator", True),
        ("source", "source", False),
    ):
        if fld in fields:
            fld_ok, out[fld] = _each_distinct(
                cells(fld), _decider(_ref_id(catalog, what), required), pl.Int64
            )
            ok &= fld_ok
        else:
            out[fld] = pl.Series([None] * n, dtype=pl.Int64)
    texts = {}
    figure_cols = _figure_columns(layout, fields, cells, out, n)
    if figure_cols is None:
        return False  # a period column out of range: a problem for the full reading
    ok &= figure_cols.pop()
    limits = {"period_note": column_length(Observation, "period_note")}
    for fld in ("unit", "period_note", "locator"):
        if fld in fields:
            t_ok, texts[fld] = _text_cells(cells(fld), limits.get(fld, MAX_TEXT))
            ok &= t_ok
        else:
            texts[fld] = pl.Series([""] * n, dtype=pl.String)
    qual = pl.Series([None] * n, dtype=pl.String)
    if "qualifier" in fields:
        q_ok, qual = _each_distinct(cells("qualifier"), _decider(read_qualifier, False), pl.String)
        ok &= q_ok
    units = {i: d.unit_zh for i, d in catalog.ind_by_id.items()}
    bounds = {i: value_bound(d.unit_zh, d.kind) for i, d in catalog.ind_by_id.items()}
    bound = out["indicator"].replace_strict(bounds, default=None, return_dtype=pl.Float64)
    unit = out["indicator"].replace_strict(units, default=None, return_dtype=pl.String)
    unit_ok = ((texts["unit"] == "") | (texts["unit"] == unit)).fill_null(False)
    # A figure typed with its indicator's own unit (12人, 85%) reads as the figure without it.
    plain = {i: u for i, u in units.items() if _plain_unit(u)}
    suffix = out["indicator"].replace_strict(plain, default="", return_dtype=pl.String)
    own_row = pl.concat_str(
        [pl.lit(f"{file_name} 第"), pl.col("row").cast(pl.String), pl.lit("行")]
    )
    base = pl.DataFrame(
        {
            "row": data["row"],
            "org_id": out["org"],
            "indicator_id": out["indicator"],
            "period_note": texts["period_note"],
            "locator": texts["locator"],
            "source_id": out["source"],
        }
    ).with_columns(
        pl.when(pl.col("locator") == "")
        .then(own_row.str.slice(0, MAX_TEXT))
        .otherwise(pl.col("locator"))
        .alias("locator")
    )
    parts = []
    taken = ok.fill_null(False)
    for order, col, year, quarter in figure_cols:
        value_cells = data[cols[col]].fill_null("")
        blank = ~value_cells.str.contains(_SOMETHING)
        core = value_cells.str.strip_suffix(suffix.fill_null(""))
        figures = _figures(core)
        with_unit = core.str.len_bytes() < value_cells.str.len_bytes()
        taken &= value_cells.str.len_chars() <= MAX_FIGURE
        taken &= blank | (figures["ok"] & (with_unit | unit_ok))
        taken &= blank | (figures["value"] <= bound).fill_null(False)  # else: a problem
        written = figures["qualifier"]
        taken &= qual.is_null() | (written == "exact") | (written == qual)  # else: a problem
        figures = figures.with_columns(
            pl.when(qual.is_null()).then(written).otherwise(qual).alias("qualifier")
        )
        parts.append((order, year, quarter, blank, figures))
    n_blank = 0
    frames = []
    for order, year, quarter, blank, figures in parts:
        n_blank += int((taken & blank).sum())
        frames.append(
            base.with_columns(
                pl.lit(order, dtype=pl.Int64).alias("order"),
                year.alias("year"),
                quarter.alias("quarter"),
                figures["value"].alias("value"),
                figures["qualifier"].alias("qualifier"),
            ).filter(taken & ~blank)
        )
    records = pl.concat(frames).select("order", *RECORD_SCHEMA).cast(RECORD_SCHEMA)
    orders = {col: order for order, col, _y, _q in figure_cols}
    slow: list[dict[str, Any]] = []
    rows_slow: list[tuple[int, int]] = []
    for cells_row in data.filter(~taken).iter_rows():
        row = cells_row[-1]
        check = RowCheck(row, list(cells_row[:-1]), layout, lang)
        for col, record in _observation_rows(check, catalog, file_name):
            if record is None:
                n_blank += 1
                continue
            slow.append(record)
            rows_slow.append((row, orders[col]))
        if check.problems:
            return False
    if slow:
        extra = records_frame(slow, [r for r, _o in rows_slow])
        extra = extra.with_columns(pl.Series("order", [o for _r, o in rows_slow], pl.Int64))
        records = pl.concat([records, extra.select(records.columns)])
    if slow or len(frames) > 1:  # else already in file order
        records = records.sort("row", "order")
    records = records.drop("order")
    if records.select(pl.struct(KEY_FIELDS["observations"]).is_duplicated().any()).item():
        return False  # duplicates: listed by the row-by-row reading
    plan.frame, plan.n_blank, plan.n_rows = records, n_blank, n
    return True


def annual_problems(plan: Plan, catalog: Catalog, layout: Layout) -> list[Problem]:
    """A problem for each full-year figure of an additive indicator (quarters add up to the year)
    that differs from the sum of the same file's four exact quarters of that year."""
    frame = plan.frame
    if frame is None or frame.is_empty():
        return []
    additive = [i for i, d in catalog.ind_by_id.items() if d.rollup == "sum"]
    keys = ["org_id", "indicator_id", "year", "period_note"]
    figures = frame.filter(pl.col("indicator_id").is_in(additive))
    quarters = (
        figures.filter(pl.col("quarter").is_not_null())
        .group_by(keys)
        .agg(
            pl.col("quarter").n_unique().alias("n"),
            pl.col("value").sum().alias("total"),
            (pl.col("qualifier") == "exact").all().alias("exact"),
        )
    )
    years = figures.filter(pl.col("quarter").is_null() & (pl.col("qualifier") == "exact"))
    a, b = pl.col("value"), pl.col("total")
    wrong = (
        years.join(quarters, on=keys, how="inner", nulls_equal=True)
        .filter(
            (pl.col("n") == 4)
            & pl.col("exact")
            & ((a - b).abs() > 1e-9 * pl.max_horizontal(pl.lit(1.0), a.abs(), b.abs()))
        )
        .sort("row")
    )
    annual_cols = [c for c, (_y, q) in layout.periods.items() if q is None]
    col = annual_cols[0] if layout.wide and annual_cols else layout.fields.get("value", 0)
    header = layout.headers[col] if col < len(layout.headers) else ""
    found = []
    for r in wrong.iter_rows(named=True):
        unit = catalog.ind_by_id[r["indicator_id"]].unit_zh
        year_text = format_value(r["value"], "exact", unit, unit, plan.lang)
        sum_text = format_value(r["total"], "exact", unit, unit, plan.lang)
        reason = t("upload.err.annual_sum", plan.lang, annual=year_text, total=sum_text)
        found.append(Problem(r["row"], header, cell_text(r["value"]), reason))
    return found


def _figure_columns(
    layout: Layout,
    fields: dict[str, int],
    cells: Callable[[str], pl.Series],
    out: dict[str, pl.Series],
    n: int,
) -> list | None:
    """The columns holding figures as (order, column, year, quarter) — the value column in the
    long layout, each period column in the wide one — followed by the rows' ok so far for the
    year / quarter / period cells read; None when a wide period is out of range."""
    ok = pl.Series([True] * n)
    if layout.wide:
        for year, quarter in layout.periods.values():
            if quarter is not None and not 1 <= quarter <= 4:
                return None
            if year is not None and not YEAR_MIN <= year <= year_max():
                return None
        needs_year = any(y is None for y, _q in layout.periods.values())
        year_col = pl.Series([None] * n, dtype=pl.Int64)
        if "year" in fields:
            year_ok, year_col = _each_distinct(
                cells("year"), _decider(read_year, needs_year), pl.Int64
            )
            ok &= year_ok
        found: list[Any] = [
            (
                order,
                col,
                year_col if year is None else pl.Series([year] * n, dtype=pl.Int64),
                pl.Series([quarter] * n, dtype=pl.Int64),
            )
            for order, (col, (year, quarter)) in enumerate(layout.periods.items())
        ]
        return [*found, ok]
    if "year" in fields:
        year_ok, year = _each_distinct(cells("year"), _decider(read_year, True), pl.Int64)
        ok &= year_ok
        quarter = pl.Series([None] * n, dtype=pl.Int64)
        if "quarter" in fields:
            q_ok, quarter = _each_distinct(
                cells("quarter"), _decider(read_quarter, False), pl.Int64
            )
            ok &= q_ok
    else:
        p_ok, period = _each_distinct(
            cells("period"), _decider(lambda v: list(read_period(v)), True), pl.List(pl.Int64)
        )
        ok &= p_ok
        year, quarter = period.list.get(0), period.list.get(1)
    return [(0, fields["value"], year, quarter), ok]


def _report_header(table: Table, idx: int, header: list[str], plan: Plan) -> list[str]:
    """The header of a 报表: merged ranges filled, and a second header row joined into the first
    (listed in plan.skipped as the header's second row, and dropped from the table's rows)."""
    if table.merges:
        fill_merges(table, idx)
        header = [cell_text(c) for c in table.rows[idx][1]]
    joined = second_header(table, idx, header)
    if joined is None:
        return header
    rows = table.rows
    number, cells = rows[idx + 1]
    plan.skipped.append((number, _row_text(table.shown.get(number, cells)), "header2"))
    table.frame = None  # the rows below are now the only truth (a CSV's frame is dropped)
    table._rows = [*rows[: idx + 1], *rows[idx + 2 :]]
    return joined


def validate(
    table: Table,
    kind: str | None,
    file_name: str,
    catalog: Catalog,
    lang: str,
    progress: Progress | None = None,
    fast: bool = True,
) -> Plan:
    """Check every row of a table; the plan holds the records, or every problem found.

    Observations in the long layout of a CSV are checked column by column (fast=True): every row
    the vectorised readers can vouch for is taken as is, the others are read one by one as below;
    a file with any problem is read again entirely row by row, so the problems are listed exactly
    as the row-by-row reading lists them."""
    plan = Plan(
        kind or "observations", file_name, "", lang, encoding=table.encoding, sheet=table.sheet
    )
    found = find_header(table)
    if found is None:
        key = (
            "upload.err.no_header"
            if any(_nonblank(c) and not _is_comment(c) for _r, c in table.rows)
            else "upload.err.empty"
        )
        plan.problems.append(Problem(None, "", "", t(key, lang)))
        return plan
    idx, header = found
    header_row = table.number(idx)
    for row, cells in islice(table.iter_rows(), idx):
        if _nonblank(cells) and not _is_comment(cells):
            plan.skipped.append((row, _row_text(cells), "title"))
    header = _report_header(table, idx, header, plan)
    plan.kind = kind or detect_kind(table, header)
    layout, problems, plan.ignored = build_layout(plan.kind, header_row, header, lang)
    above = list(islice(table.iter_rows(), idx))  # not table.rows: a CSV's are built lazily
    layout = report_layout.apply_unit_note(above, layout, plan.skipped, catalog.ind_by_id)
    plan.layout = "wide" if layout.wide else "long"
    keep = KEEP_IF_ABSENT[plan.kind]
    plan.absent = {rec_field for fld, rec_field in keep.items() if fld not in layout.fields}
    if problems:
        if table.encoding == "GB18030":
            suffix = t("upload.err.encoding_hint", lang, encoding="GBK/GB18030")
            problems = [
                Problem(p.row, p.column, p.value, p.reason + suffix) if p.value == "" else p
                for p in problems
            ]
        plan.problems.extend(problems)
        return plan
    if (
        fast
        and not layout.unit
        and _fast_observations(plan, table, idx, layout, catalog, file_name)
    ):
        plan.problems.extend(annual_problems(plan, catalog, layout))
        if plan.problems:
            plan.frame = None
        if progress:
            progress("validate", 1.0)
        return plan
    reader = ROW_READERS[plan.kind]
    blank_cols: set[int] = set()
    seen: dict[tuple, int] = {}
    data_rows = []
    for r, c in table.rows[idx + 1 :]:
        if not _nonblank(c) or _is_comment(c):
            continue
        reason = skip_reason(c)
        if reason:
            plan.skipped.append((r, _row_text(table.shown.get(r, c)), reason))
        else:
            data_rows.append((r, c))
    total = max(len(data_rows), 1)
    width = max((i + 1 for i, h in enumerate(header) if h), default=0)
    for n, (row, cells) in enumerate(data_rows, 1):
        check = RowCheck(row, cells, layout, lang)
        if table.delimiter:
            plan.problems.extend(_csv_row_shape(row, cells, width, table.delimiter, lang))
        for col, value in enumerate(cells):
            if (
                (col >= len(header) or not header[col])
                and not is_blank(value)
                and col not in blank_cols
            ):
                blank_cols.add(col)
                plan.problems.append(
                    Problem(
                        header_row,
                        f"#{col + 1}",
                        cell_text(value),
                        t("upload.err.blank_header", lang),
                    )
                )
        for col, record in reader(check, catalog, file_name):
            if record is None:
                plan.n_blank += 1
                continue
            key = record_key(plan.kind, record)
            if key in seen:
                check.problems.append(
                    Problem(
                        row,
                        check.header(col),
                        cell_text(check.raw(col)),
                        t(
                            "upload.err.duplicate_row",
                            lang,
                            other=seen[key],
                            what=t(f"upload.dup.{plan.kind}", lang),
                        ),
                    )
                )
                continue
            seen[key] = row
            plan.records.append(record)
            plan.record_rows.append(row)
        plan.problems.extend(check.problems)
        if progress and n % CHUNK == 0:
            progress("validate", n / total)
    plan.n_rows = len(data_rows)
    if not data_rows and not any(_nonblank(c) for _r, c in table.rows[idx + 1 :]):
        plan.problems.append(Problem(None, "", "", t("upload.err.no_rows", lang)))
    if not plan.problems and plan.kind == "observations":
        plan.frame = records_frame(plan.records, plan.record_rows)
        plan.problems.extend(annual_problems(plan, catalog, layout))
    if plan.problems:
        plan.records, plan.record_rows = [], []
    if progress:
        progress("validate", 1.0)
    return plan


# --------------------------------------------------------------------------------------------
# Diff
# --------------------------------------------------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    """Equal values, floats within a relative 1e-9."""
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)), abs(float(b)))
    return a == b


def current_rows(
    session: Session, kind: str, records: list[dict[str, Any]]
) -> dict[tuple, dict[str, Any]]:
    """The store's current rows for the keys the records could touch, by key."""
    model = MODELS[kind]
    cols = ["id", *KEY_FIELDS[kind], *COMPARE_FIELDS[kind]]
    stmt = select(*(getattr(model, c) for c in cols)).where(model.is_current.is_(True))
    if kind != "stations":
        org_ids = sorted({r["org_id"] for r in records})
        ind_ids = sorted({r["indicator_id"] for r in records})
        years = sorted({r["year"] for r in records})
        stmt = stmt.where(
            model.org_id.in_(org_ids), model.indicator_id.in_(ind_ids), model.year.in_(years)
        )
    found: dict[tuple, dict[str, Any]] = {}
    for row in session.execute(stmt):
        rec = dict(zip(cols, row, strict=True))
        key = record_key(kind, rec)
        if key not in found or rec["id"] > found[key]["id"]:
            found[key] = rec
    return found


def diff(session: Session, plan: Plan) -> list[Change]:
    """Compare the plan's records with the store: new, changed (old → new) or unchanged."""
    if not plan.records:
        return []
    current = current_rows(session, plan.kind, plan.records)
    changes: list[Change] = []
    compare = COMPARE_FIELDS[plan.kind]
    keep = [f for f in compare if f in plan.absent]
    for row, rec in zip(plan.record_rows, plan.records, strict=True):
        old = current.get(record_key(plan.kind, rec))
        if old is not None:
            for f in keep:  # a column the file does not have keeps the stored value
                rec[f] = old[f]
        if old is None:
            changes.append(Change("new", row, rec))
        elif all(_same(rec[f], old[f]) for f in compare):
            changes.append(Change("unchanged", row, rec, old["id"], old))
        else:
            changes.append(Change("changed", row, rec, old["id"], old))
    return changes


OBS_KEY = KEY_FIELDS["observations"]


def current_frame(session: Session, records: pl.DataFrame) -> pl.DataFrame:
    """The store's current observations for the keys the records could touch (newest per key):
    old_id, the key fields, old_value, old_qualifier."""
    schema = {"old_id": pl.Int64, **{k: RECORD_SCHEMA[k] for k in OBS_KEY}}
    schema |= {"old_value": pl.Float64, "old_qualifier": pl.String}
    if records.is_empty():
        return pl.DataFrame(schema=schema)
    o = Observation
    stmt = select(
        o.id, o.org_id, o.indicator_id, o.year, o.quarter, o.period_note, o.value, o.qualifier
    ).where(
        o.is_current.is_(True),
        o.org_id.in_(records["org_id"].unique().sort().to_list()),
        o.indicator_id.in_(records["indicator_id"].unique().sort().to_list()),
        o.year.in_(records["year"].unique().sort().to_list()),
    )
    rows = [tuple(r) for r in session.execute(stmt)]
    found = pl.DataFrame(rows, schema=schema, orient="row")
    return found.sort("old_id").unique(subset=list(OBS_KEY), keep="last", maintain_order=True)


def diff_frame(session: Session, records: pl.DataFrame) -> pl.DataFrame:
    """The observations diff as a frame: the records plus status (new / changed / unchanged),
    old_id, old_value and old_qualifier, in file order (what diff() does, by a join)."""
    current = current_frame(session, records)
    joined = records.join(current, on=list(OBS_KEY), how="left", nulls_equal=True)
    a, b = pl.col("value"), pl.col("old_value")
    same_value = (a - b).abs() <= 1e-9 * pl.max_horizontal(pl.lit(1.0), a.abs(), b.abs())
    same = same_value.fill_null(False) & pl.col("qualifier").eq_missing(pl.col("old_qualifier"))
    status = (
        pl.when(pl.col("old_id").is_null())
        .then(pl.lit("new"))
        .when(same)
        .then(pl.lit("unchanged"))
        .otherwise(pl.lit("changed"))
    )
    return joined.with_columns(status.alias("status")).sort("row", maintain_order=True)


def frame_changes(frame: pl.DataFrame) -> list[Change]:
    """Change objects of (part of) a diff frame."""
    fields = list(RECORD_SCHEMA)[1:]
    changes: list[Change] = []
    for r in frame.iter_rows(named=True):
        values = {k: r[k] for k in fields}
        old = None
        if r["old_id"] is not None:
            old = {"id": r["old_id"], **{k: r[k] for k in OBS_KEY}}
            old |= {"value": r["old_value"], "qualifier": r["old_qualifier"]}
        changes.append(Change(r["status"], r["row"], values, r["old_id"], old))
    return changes


def update_diff(session: Session, plan: Plan) -> None:
    """Compare the plan's records with the store (a frame for observations, else a list)."""
    if plan.frame is not None:
        plan.set_diff(diff_frame(session, plan.frame))
    else:
        plan.changes = diff(session, plan)


def committed_batch(session: Session, sha: str, kind: str) -> ImportBatch | None:
    """The committed (not undone) batch that imported a file with this sha256, if any."""
    return session.scalars(
        select(ImportBatch)
        .where(
            ImportBatch.sha256 == sha, ImportBatch.kind == kind, ImportBatch.status == "committed"
        )
        .order_by(ImportBatch.id.desc())
        .limit(1)
    ).first()


# --------------------------------------------------------------------------------------------
# Prepare / commit / undo
# --------------------------------------------------------------------------------------------


def prepare(
    data: bytes,
    file_name: str,
    kind: str | None = None,
    lang: str = "zh",
    url: str | None = None,
    progress: Progress | None = None,
    sheet: str | None = None,
) -> Plan:
    """Parse, validate and diff a file against the store, writing nothing (`sheet`: the sheet of
    a workbook to read instead of the default one; its name is part of the batch's fingerprint)."""
    sha = sha256_of(data if sheet is None else data + b"\0sheet:" + sheet.encode("utf-8"))
    if progress:
        progress("parse", 0.0)
    try:
        table = read_table(data, file_name, progress, sheet)
    except FileProblem as exc:
        plan = Plan(kind or "observations", file_name, sha, lang)
        row = exc.fmt.get("row")
        plan.problems.append(
            Problem(row if isinstance(row, int) else None, "", "", t(exc.key, lang, **exc.fmt))
        )
        return plan
    if progress:
        progress("parse", 1.0)
        progress("validate", 0.0)
    with session_scope(url) as session:
        catalog = Catalog.load(session)
        plan = validate(table, kind, file_name, catalog, lang, progress)
        plan.sha256, plan.sheets = sha, table.sheets
        plan.labels = _labels(catalog)
        if plan.problems:
            return plan
        dup = committed_batch(session, sha, plan.kind)
        if dup is not None:
            plan.duplicate_batch, plan.duplicate_user = dup.id, dup.username
            return plan
        if progress:
            progress("diff", 0.0)
        update_diff(session, plan)
        if progress:
            progress("diff", 1.0)
    return plan


def _labels(catalog: Catalog) -> dict[str, dict[int, tuple[str, str, str, str]]]:
    """Display names for preview tables: org id -> (zh, en, "", ""), indicator id -> names+units."""
    return {
        "org": {i: (o.name_zh, o.name_en, "", "") for i, o in catalog.org_by_id.items()},
        "indicator": {
            i: (d.name_zh, d.name_en, d.unit_zh, d.unit_en) for i, d in catalog.ind_by_id.items()
        },
    }


def _insert_dict(
    kind: str, change: Change, batch_id: int, source_id: int, now: datetime
) -> dict[str, Any]:
    """The row to insert for a new or changed record."""
    return {
        **change.values,
        "source_id": change.values["source_id"] or source_id,
        "batch_id": batch_id,
        "replaces_id": change.old_id if change.status == "changed" else None,
        "is_current": True,
        "is_synthetic": False,
        "created_at": now,
    }


def _write_changes(
    session: Session,
    model: Any,
    changes: list[Change],
    kind: str,
    ids: tuple[int, int, datetime],
    progress: Progress | None,
) -> None:
    """Write a list of changes: old rows not current, new and changed records inserted."""
    batch_id, source_id, now = ids
    olds = [{"id": c.old_id, "is_current": False} for c in changes if c.status == "changed"]
    rows = [
        _insert_dict(kind, c, batch_id, source_id, now) for c in changes if c.status != "unchanged"
    ]
    total = max(len(olds) + len(rows), 1)
    done = 0
    for start in range(0, len(olds), CHUNK):
        session.execute(update(model), olds[start : start + CHUNK])
        done += len(olds[start : start + CHUNK])
        if progress:
            progress("write", done / total)
    for start in range(0, len(rows), CHUNK):
        # Core insert of the mapped table: executemany, ~2.5x faster than the ORM bulk path.
        session.execute(insert(model.__table__), rows[start : start + CHUNK])
        done += len(rows[start : start + CHUNK])
        if progress:
            progress("write", done / total)


def _write_frame(
    session: Session,
    diff: pl.DataFrame,
    batch_id: int,
    source_id: int,
    now: datetime,
    progress: Progress | None,
) -> None:
    """Write an observations diff frame: old rows not current, new and changed rows inserted."""
    changed = pl.col("status") == "changed"
    olds = [{"id": i, "is_current": False} for i in diff.filter(changed)["old_id"].to_list()]
    rows = diff.filter(pl.col("status") != "unchanged").select(
        "org_id",
        "indicator_id",
        "year",
        "quarter",
        "period_note",
        "value",
        "qualifier",
        pl.col("source_id").fill_null(source_id),
        "locator",
        pl.lit(batch_id, dtype=pl.Int64).alias("batch_id"),
        pl.when(changed).then(pl.col("old_id")).alias("replaces_id"),
    )
    constants = {"is_current": True, "is_synthetic": False, "created_at": now}
    total = max(len(olds) + rows.height, 1)
    for start in range(0, len(olds), CHUNK):
        session.execute(update(Observation), olds[start : start + CHUNK])
        if progress:
            progress("write", min(start + CHUNK, len(olds)) / total)
    insert_frame(
        session,
        Observation.__table__,
        rows,
        constants,
        (lambda done: progress("write", (len(olds) + done) / total)) if progress else None,
    )


PARAMETERS = 900  # bound parameters per multi-row INSERT on SQLite (its historical limit: 999)
SQLITE_DEFAULT_CACHE = -2000  # SQLite's page cache: 2,000 KiB
IMPORT_CACHE = -65536  # … while a large import writes: 64 MiB


def _driver_ready(table: Any, frame: pl.DataFrame, dialect: Any) -> bool:
    """True when the frame's values go to the driver as they are (no bind processing needed):
    SQLite's qmark parameters, and no column with a type processor except floats given as floats."""
    if dialect.name != "sqlite" or dialect.paramstyle != "qmark":
        return False
    for name, dtype in frame.schema.items():
        if table.c[name].type.dialect_impl(dialect).bind_processor(dialect) is None:
            continue
        if not (isinstance(table.c[name].type, Float) and dtype == pl.Float64):
            return False
    return True


def insert_frame(
    session: Session,
    table: Any,
    frame: pl.DataFrame,
    constants: dict[str, Any],
    done: Callable[[int], None] | None = None,
) -> None:
    """Insert a frame's rows (plus constant columns) into a table inside the session's transaction.

    On SQLite through the driver's cursor in multi-row INSERT statements (the values bound as
    SQLAlchemy would bind them); elsewhere as a Core insert() executemany."""
    conn = session.connection()
    dialect = conn.dialect
    if not _driver_ready(table, frame, dialect):
        for start in range(0, frame.height, CHUNK):
            part = frame.slice(start, CHUNK).to_dicts()
            for row in part:
                row.update(constants)
            conn.execute(insert(table), part)
            if done:
                done(min(start + CHUNK, frame.height))
        return
    fixed = {}
    for name, value in constants.items():
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        fixed[name] = process(value) if process else value
    if frame.height > 1:  # a column holding one value throughout is not read row by row
        firsts = frame.row(0, named=True)
        distinct = frame.select(pl.all().n_unique()).row(0, named=True)
        fixed |= {c: firsts[c] for c in frame.columns[1:] if distinct[c] == 1}
    varying = tuple(c for c in frame.columns if c not in fixed)
    k = max(1, (PARAMETERS - len(fixed)) // len(varying))
    many, order = _multi_row_insert(table, varying, tuple(fixed), k, dialect)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    cache = cursor.execute("PRAGMA cache_size").fetchone()[0]
    grow = frame.height > CHUNK and cache == SQLITE_DEFAULT_CACHE
    if grow:  # room for the growing indexes' pages: fewer cache spills in mid-write
        cursor.execute(f"PRAGMA cache_size = {IMPORT_CACHE}")
    try:
        for start in range(0, frame.height, CHUNK):
            part = frame.slice(start, CHUNK)
            columns = {c: part[c].to_list() for c in varying}
            whole = part.height // k * k
            cursor.executemany(many, _parameters(order, columns, fixed, 0, whole, k))
            if whole < part.height:
                rest = part.height - whole
                sql, _order = _multi_row_insert(table, varying, tuple(fixed), rest, dialect)
                cursor.executemany(
                    sql, _parameters(order, columns, fixed, whole, part.height, rest)
                )
            if done:
                done(start + part.height)
    finally:
        if grow:
            cursor.execute(f"PRAGMA cache_size = {SQLITE_DEFAULT_CACHE}")
        cursor.close()


@lru_cache(maxsize=16)
def _multi_row_insert(
    table: Any, varying: tuple[str, ...], shared: tuple[str, ...], k: int, dialect: Any
) -> tuple[str, tuple[str, ...]]:
    """A k-row INSERT compiled by SQLAlchemy in SQLite's numbered parameters, where the shared
    columns have one parameter for every row: its SQL and the order of its columns. Parameters:
    the first row's values in that order, then each further row's varying values in that order."""
    one = {c: bindparam(f"s_{c}") for c in shared}
    rows = [{**{c: bindparam(f"r{j}_{c}") for c in varying}, **one} for j in range(k)]
    numbered = type(dialect)(paramstyle="numeric")
    compiled = insert(table).values(rows).compile(dialect=numbered)
    binds = list(compiled.positiontup or ())
    width = len(varying) + len(shared)
    order = tuple(b.removeprefix("r0_").removeprefix("s_") for b in binds[:width])
    later = [c for c in order if c in varying]
    expected = [f"r0_{c}" if c in varying else f"s_{c}" for c in order]
    expected += [f"r{j}_{c}" for j in range(1, k) for c in later]
    if binds != expected or set(order) != {*varying, *shared}:
        raise ValueError(f"insert_frame: unexpected parameters {binds[:width]}")
    return str(compiled), order


def _parameters(
    order: tuple[str, ...],
    columns: dict[str, list[Any]],
    shared: dict[str, Any],
    start: int,
    stop: int,
    k: int,
) -> Iterator[list[Any]]:
    """The parameters of k-row statements (see _multi_row_insert) over rows start…stop, built
    column by column: no tuple per row."""
    later = [c for c in order if c in columns]
    width, step = len(order), len(later)
    for i in range(start, stop, k):
        params: list[Any] = [None] * (width + (k - 1) * step)
        params[:width] = [shared[c] if c in shared else columns[c][i] for c in order]
        for n, c in enumerate(later):
            params[width + n :: step] = columns[c][i + 1 : i + k]
        yield params


def write_plan(
    session: Session,
    plan: Plan,
    username: str,
    confirm: bool = False,
    expected: tuple[int, int, int, int] | None = None,
    progress: Progress | None = None,
) -> CommitResult:
    """Write a validated plan inside the caller's transaction (raises ImportRefused to refuse)."""
    lang = plan.lang
    if plan.problems:
        raise ImportRefused(t("upload.problems", lang, n=len(plan.problems)))
    check_username(username, lang)
    version = bump_data_version(session)  # first write: takes the store's write lock
    dup = committed_batch(session, plan.sha256, plan.kind)
    if dup is not None:
        raise ImportRefused(t("upload.err.already", lang, batch=dup.id))
    update_diff(session, plan)
    if expected is not None and plan.signature() != expected:
        raise ImportRefused(t("upload.err.stale", lang))
    if plan.n_changed and not confirm:
        raise ImportRefused(t("upload.need_confirm", lang, n=plan.n_changed))
    if progress:
        progress("write", 0.0)
    now = utcnow()
    batch = ImportBatch(
        kind=plan.kind,
        file_name=plan.file_name[:300],
        sha256=plan.sha256,
        username=username,
        created_at=now,
        n_new=plan.n_new,
        n_changed=plan.n_changed,
        n_unchanged=plan.n_unchanged,
        status="committed",
    )
    session.add(batch)
    session.flush()
    source = Source(
        code=f"upload-{batch.id}",
        kind="upload",
        title_zh=f"上传文件：{plan.file_name}"[:300],
        title_en=f"Upload: {plan.file_name}"[:300],
        publisher=username[:200],
        published=now.date().isoformat(),
        file=plan.file_name[:300],
        covers_zh=f"导入批次 {batch.id}",
        covers_en=f"import batch {batch.id}",
    )
    session.add(source)
    session.flush()
    batch.source_id = source.id
    model = MODELS[plan.kind]
    if plan.diff_frame is not None:
        _write_frame(session, plan.diff_frame, batch.id, source.id, now, progress)
    else:
        _write_changes(
            session, model, plan.changes, plan.kind, (batch.id, source.id, now), progress
        )
    detail = {
        "batch_id": batch.id,
        "kind": plan.kind,
        "file_name": plan.file_name,
        "sha256": plan.sha256,
        "n_new": plan.n_new,
        "n_changed": plan.n_changed,
        "n_unchanged": plan.n_unchanged,
    }
    session.add(
        AuditLog(
            at=now,
            username=username,
            action=AuditEvent.UPLOAD,
            detail=json.dumps(detail, ensure_ascii=False),
        )
    )
    session.flush()
    return CommitResult(batch.id, plan.n_new, plan.n_changed, plan.n_unchanged, version)


def commit(
    plan: Plan,
    username: str,
    confirm: bool = False,
    url: str | None = None,
    expected: tuple[int, int, int, int] | None = None,
    progress: Progress | None = None,
) -> CommitResult:
    """Write a validated plan in one transaction; ImportRefused (nothing written) otherwise."""
    try:
        with session_scope(url) as session:
            result = write_plan(session, plan, username, confirm, expected, progress)
    except OperationalError as exc:  # e.g. another writer held the store past the busy timeout
        raise ImportRefused(t("upload.err.write_failed", plan.lang, detail=exc.orig)) from exc
    refresh_statistics(url)
    return result


def check_username(username: str, lang: str) -> None:
    """Refuse (ImportRefused) a user name longer than the store's column holds."""
    limit = column_length(ImportBatch, "username")
    if len(username) > limit:
        raise ImportRefused(t("upload.err.user_too_long", lang, n=limit))


def undo_batch(session: Session, batch_id: int, username: str, lang: str = "zh") -> UndoResult:
    """Undo a batch inside the caller's transaction: its rows off, the rows it replaced back on."""
    check_username(username, lang)
    version = bump_data_version(session)  # first write: takes the store's write lock
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise BatchNotFound(t("upload.undo.not_found", lang, batch=batch_id))
    if batch.kind not in MODELS:
        raise ImportRefused(t("upload.undo.seed", lang, batch=batch_id))
    if batch.status == "undone":
        raise ImportRefused(t("upload.undo.already", lang, batch=batch_id))
    model = MODELS[batch.kind]
    mine = select(model.id).where(model.batch_id == batch_id)
    later = sorted(
        b
        for b in session.scalars(
            select(model.batch_id)
            .where(model.replaces_id.in_(mine), model.is_current.is_(True))
            .distinct()
        )
        if b is not None
    )
    stale = session.scalar(
        select(func.count())
        .select_from(model)
        .where(model.batch_id == batch_id, model.is_current.is_(False))
    )
    if later or stale:
        shown = "、".join(str(b) for b in later) if later else "?"
        raise ImportRefused(t("upload.undo.superseded", lang, batch=batch_id, later=shown))
    replaced = select(model.replaces_id).where(
        model.batch_id == batch_id, model.replaces_id.is_not(None)
    )
    restored = session.execute(
        update(model).where(model.id.in_(replaced)).values(is_current=True),
        execution_options={"synchronize_session": False},
    ).rowcount
    removed = session.execute(
        update(model).where(model.batch_id == batch_id).values(is_current=False),
        execution_options={"synchronize_session": False},
    ).rowcount
    now = utcnow()
    batch.status, batch.undone_at, batch.undone_by = "undone", now, username
    detail = {"batch_id": batch_id, "kind": batch.kind, "removed": removed, "restored": restored}
    session.add(
        AuditLog(
            at=now,
            username=username,
            action=AuditEvent.UNDO,
            detail=json.dumps(detail, ensure_ascii=False),
        )
    )
    session.flush()
    return UndoResult(batch_id, removed, restored, version)


def undo(batch_id: int, username: str, url: str | None = None, lang: str = "zh") -> UndoResult:
    """Undo a batch in one transaction; ImportRefused (nothing written) when it cannot be."""
    try:
        with session_scope(url) as session:
            result = undo_batch(session, batch_id, username, lang)
    except OperationalError as exc:
        raise ImportRefused(t("upload.err.write_failed", lang, detail=exc.orig)) from exc
    refresh_statistics(url)
    return result


@dataclass(frozen=True)
class BatchInfo:
    """An import batch as the undo shows it: id, kind, file, who, when (UTC), counts, status."""

    batch_id: int
    kind: str
    file_name: str
    username: str
    created_at: datetime
    n_new: int
    n_changed: int
    n_unchanged: int
    status: str

    def label(self, lang: str) -> str:
        """批次 5 · 2026-11-30 21:55 · editor1 · q1.csv · 指标数据 · 新增 2 修改 1 (Beijing time)."""
        return t(
            "upload.undo.label",
            lang,
            batch=self.batch_id,
            at=beijing_time(self.created_at),
            user=self.username,
            file=self.file_name,
            kind=t(f"upload.kind.{self.kind}", lang),
            new=self.n_new,
            changed=self.n_changed,
        )


def beijing_time(at: datetime | None) -> str:
    """A stored UTC time as Beijing time, to the minute."""
    if at is None:
        return ""
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    return at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def _batch_info(batch: ImportBatch) -> BatchInfo:
    """The plain BatchInfo of a batch row."""
    return BatchInfo(
        batch.id,
        batch.kind,
        batch.file_name,
        batch.username,
        batch.created_at,
        batch.n_new,
        batch.n_changed,
        batch.n_unchanged,
        batch.status,
    )


def undo_preview(
    batch_id: int, lang: str = "zh", url: str | None = None, limit: int | None = None
) -> tuple[BatchInfo, pl.DataFrame, int]:
    """What undoing a batch would do, writing nothing: the batch, a table of its figures (org,
    item, period, the value the undo takes away, the value it restores or none) and their count.
    BatchNotFound / ImportRefused as undo() would refuse it for an unknown or seed batch."""
    with session_scope(url) as session:
        batch = session.get(ImportBatch, batch_id)
        if batch is None:
            raise BatchNotFound(t("upload.undo.not_found", lang, batch=batch_id))
        if batch.kind not in MODELS:
            raise ImportRefused(t("upload.undo.seed", lang, batch=batch_id))
        info = _batch_info(batch)
        model = MODELS[batch.kind]
        cols = list(dict.fromkeys(["id", "replaces_id", *KEY_FIELDS[info.kind]]))
        cols += [c for c in COMPARE_FIELDS[info.kind] if c not in cols]
        mine = select(model.id).where(model.batch_id == batch_id)
        total = session.scalar(select(func.count()).select_from(mine.subquery())) or 0
        stmt = select(*(getattr(model, c) for c in cols)).where(model.batch_id == batch_id)
        rows = [
            dict(zip(cols, r, strict=True))
            for r in session.execute(stmt.order_by(model.id).limit(limit))
        ]
        old_ids = [r["replaces_id"] for r in rows if r["replaces_id"] is not None]
        olds = {
            r[0]: dict(zip(cols, r, strict=True))
            for r in session.execute(
                select(*(getattr(model, c) for c in cols)).where(model.id.in_(old_ids))
            )
        }
        plan = Plan(info.kind, info.file_name, "", lang, labels=_labels(Catalog.load(session)))
    names = [t(f"upload.col.{c}", lang) for c in ("org", "item", "period")]
    names += [t("upload.undo.col.removed", lang), t("upload.undo.col.restored", lang)]
    described = []
    for r in rows:
        old = olds.get(r["replaces_id"]) if r["replaces_id"] is not None else None
        change = Change("changed" if old else "new", 0, r, r["replaces_id"], old)
        org, item, period, was, now = _describe(plan, change)
        described.append((org, item, period, now, was or t("upload.undo.nothing_back", lang)))
    frame = pl.DataFrame(described, schema=dict.fromkeys(names, pl.Utf8), orient="row")
    return info, frame, total


def undoable_batches(url: str | None = None) -> list[ImportBatch]:
    """Committed upload batches, newest first (the seed is not undoable)."""
    with session_scope(url) as session:
        return list(
            session.scalars(
                select(ImportBatch)
                .where(ImportBatch.status == "committed", ImportBatch.kind.in_(KINDS))
                .order_by(ImportBatch.id.desc())
            )
        )


# --------------------------------------------------------------------------------------------
# Presentation (frames for the page, text for the CLI)
# --------------------------------------------------------------------------------------------


def problems_frame(plan: Plan, lang: str = "zh") -> pl.DataFrame:
    """The problems as a table: row, column, value, reason (headers in the UI language)."""
    return pl.DataFrame(
        {
            t("upload.col.row", lang): [p.row for p in plan.problems],
            t("upload.col.column", lang): [p.column for p in plan.problems],
            t("upload.col.value", lang): [p.value for p in plan.problems],
            t("upload.col.reason", lang): [p.reason for p in plan.problems],
        },
        schema={
            t("upload.col.row", lang): pl.Int64,
            t("upload.col.column", lang): pl.Utf8,
            t("upload.col.value", lang): pl.Utf8,
            t("upload.col.reason", lang): pl.Utf8,
        },
    )


def period_label(year: int | None, quarter: int | None, note: str, lang: str) -> str:
    """2025年第1季度 / 2025 Q1, with a period note appended."""
    if quarter is None:
        text = t("upload.period.year", lang, year=year)
    else:
        text = t("upload.period.quarter", lang, year=year, quarter=quarter)
    return f"{text}（{note}）" if note and lang == "zh" else (f"{text} ({note})" if note else text)


def _fig(plan: Plan, ind_id: int, value: float, qualifier: str) -> str:
    """A figure with its unit, the Chinese way in zh."""
    names = plan.labels.get("indicator", {}).get(ind_id, ("", "", "", ""))
    return format_value(value, qualifier, names[2], names[3], plan.lang)  # type: ignore[arg-type]


def _field_label(fld: str, lang: str) -> str:
    """The column name of a station field, for the preview."""
    key = {"name_zh": "name", "org_id": "org"}.get(fld, fld)
    return t(f"upload.field.{key}", lang)


# The fields of a new station the preview lists (org, code and name have their own columns).
NEW_STATION_FIELDS = (
    "name_en",
    "type",
    "town",
    "address",
    "lat",
    "lon",
    "precision",
    "opened_year",
    "status",
)


def _describe(plan: Plan, change: Change) -> tuple[str, str, str, str, str]:
    """(org, item, period, old, new) of a change for the preview table."""
    zh = plan.lang == "zh"
    rec = change.values
    org = plan.labels.get("org", {}).get(rec["org_id"], (str(rec["org_id"]),) * 2)
    org_name = org[0] if zh else org[1]
    if plan.kind == "stations":
        old = change.old or {}
        fields = [
            f
            for f in COMPARE_FIELDS["stations"]
            if change.status != "changed" or not _same(rec[f], old.get(f))
        ]
        if change.status == "changed":
            sep, colon = ("；", "：") if zh else ("; ", ": ")
            old_text = sep.join(f"{_field_label(f, plan.lang)}{colon}{old.get(f)}" for f in fields)
            new_text = sep.join(f"{_field_label(f, plan.lang)}{colon}{rec[f]}" for f in fields)
        else:  # a new (or unchanged) station: every field it brings, not only where it is
            old_text = ""
            sep, colon = ("；", "：") if zh else ("; ", ": ")
            shown = [f for f in NEW_STATION_FIELDS if rec.get(f) not in (None, "")]
            new_text = sep.join(f"{_field_label(f, plan.lang)}{colon}{rec[f]}" for f in shown)
        return org_name, f"{rec['name_zh']}（{rec['code']}）", "", old_text, new_text
    ind = plan.labels.get("indicator", {}).get(rec["indicator_id"], (str(rec["indicator_id"]),) * 4)
    item = ind[0] if zh else ind[1]
    note = rec.get("period_note") or rec.get("plan_zh") or ""
    period = period_label(rec["year"], rec["quarter"], note, plan.lang)
    new = _fig(plan, rec["indicator_id"], rec["value"], rec["qualifier"])
    if plan.kind == "targets":
        new = f"{rec['comparator']} {new}"
    old = ""
    if change.old is not None:
        old = _fig(plan, rec["indicator_id"], change.old["value"], change.old["qualifier"])
        if plan.kind == "targets":
            old = f"{change.old['comparator']} {old}"
    return org_name, item, period, old, new


def preview_frame(plan: Plan, status: str, limit: int | None = None) -> pl.DataFrame:
    """The figures of one diff status as a table: row, org, item, period, old, new."""
    lang = plan.lang
    cols = [t(f"upload.col.{c}", lang) for c in ("row", "org", "item", "period", "old", "new")]
    rows = [(c.row, *_describe(plan, c)) for c in plan.changes_of(status, limit)]
    schema = dict(zip(cols, [pl.Int64] + [pl.Utf8] * 5, strict=True))
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    return frame if status == "changed" else frame.drop(cols[4])


def skipped_lines(plan: Plan) -> list[str]:
    """The rows skipped as title, signature (footer) or totals rows, one sentence each."""
    return [
        t("upload.skipped", plan.lang, row=row, text=text, why=t(f"upload.skip.{why}", plan.lang))
        for row, text, why in plan.skipped
    ]


def summary(plan: Plan) -> str:
    """One sentence of counts for the preview."""
    return t(
        "upload.summary",
        plan.lang,
        new=plan.n_new,
        changed=plan.n_changed,
        unchanged=plan.n_unchanged,
        blank=plan.n_blank,
    )


def _print_frame(frame: pl.DataFrame, out: Any) -> None:
    """Print a small frame as tab-separated text."""
    print("\t".join(frame.columns), file=out)
    for row in frame.iter_rows():
        cells = ("" if v is None else " ⏎ ".join(str(v).splitlines()) for v in row)
        print("\t".join(cells), file=out)


def _stage_printer(lang: str) -> Progress:
    """A progress callback printing each stage once to stderr (parse, validate, diff, write)."""
    seen: set[str] = set()

    def progress(stage: str, _fraction: float) -> None:
        if stage not in seen:
            seen.add(stage)
            print(f"[{stage}] {t(f'upload.stage.{stage}', lang)}", file=sys.stderr, flush=True)

    return progress


CLI_LIMIT = 200


def cli_import(args: argparse.Namespace) -> int:
    """`python -m lib.cli import PATH`: 0 imported (or nothing to do), 1 refused, 2 usage error."""
    lang = getattr(args, "lang", "zh") or "zh"
    path = Path(args.path)
    if not path.is_file():
        print(t("upload.err.missing_file", lang, path=args.path), file=sys.stderr)
        return 2
    if path.suffix.lower() not in EXTENSIONS:
        print(t("upload.err.extension", lang, ext=path.suffix or path.name), file=sys.stderr)
        return 2
    progress = _stage_printer(lang)
    sheet = getattr(args, "sheet", None)
    plan = prepare(
        path.read_bytes(), path.name, kind=args.kind, lang=lang, progress=progress, sheet=sheet
    )
    if plan.ignored:
        print(t("upload.ignored_columns", lang, names="、".join(plan.ignored)))
    for line in skipped_lines(plan):
        print(line)
    if plan.problems:
        print(t("upload.problems", lang, n=len(plan.problems)))
        shown = Plan(
            plan.kind, plan.file_name, plan.sha256, lang, problems=plan.problems[:CLI_LIMIT]
        )
        _print_frame(problems_frame(shown, lang), sys.stdout)
        if len(plan.problems) > CLI_LIMIT:
            print(t("upload.more_problems", lang, n=len(plan.problems) - CLI_LIMIT))
        return 1
    if plan.duplicate_batch is not None:
        print(t("upload.duplicate", lang, batch=plan.duplicate_batch, user=plan.duplicate_user))
        return 0
    print(summary(plan))
    if plan.n_changed:
        print(t("upload.section.changed", lang))
        _print_frame(preview_frame(plan, "changed", CLI_LIMIT), sys.stdout)
    if args.dry_run:
        print(t("upload.dry_run", lang))
        return 0
    if plan.n_new + plan.n_changed == 0:
        print(t(report_layout.nothing_key(plan), lang))
        return 0
    if plan.n_changed and not args.yes:
        print(t("upload.need_yes", lang, n=plan.n_changed))
        return 1
    try:
        result = commit(plan, args.user, confirm=bool(args.yes), progress=progress)
    except ImportRefused as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(
        t(
            "upload.done",
            lang,
            batch=result.batch_id,
            new=result.n_new,
            changed=result.n_changed,
            unchanged=result.n_unchanged,
        )
    )
    return 0


def cli_undo(args: argparse.Namespace) -> int:
    """`python -m lib.cli undo BATCH_ID [--dry-run]`: prints the batch and the figures it takes
    away and restores, then undoes it; 0 undone, 1 refused, 2 no such batch."""
    lang = getattr(args, "lang", "zh") or "zh"
    try:
        info, frame, total = undo_preview(args.batch_id, lang, limit=CLI_LIMIT)
    except BatchNotFound as exc:
        print(exc.message, file=sys.stderr)
        return 2
    except ImportRefused as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(t("upload.undo.will", lang, label=info.label(lang)))
    _print_frame(frame, sys.stdout)
    if total > frame.height:
        print(t("upload.undo.more", lang, n=total - frame.height))
    if getattr(args, "dry_run", False):
        print(t("upload.dry_run", lang))
        return 0
    try:
        result = undo(args.batch_id, args.user, lang=lang)
    except BatchNotFound as exc:
        print(exc.message, file=sys.stderr)
        return 2
    except ImportRefused as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(
        t(
            "upload.undo.done",
            lang,
            batch=result.batch_id,
            removed=result.removed,
            restored=result.restored,
        )
    )
    return 0
