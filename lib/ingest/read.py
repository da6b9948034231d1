"""Reading an upload: bytes to a Grid of cells. Decoding (UTF-8 with or without BOM, GB18030;
binary and UTF-16 refused), CSV strictness (a plain CSV is read by polars as a frame of text
columns, any other by csv.reader in strict mode), and the dispatch to a workbook reader in a
guarded worker process (lib.ingest.guard) by extension. Refusals are FileProblems (a code and
parameters). Imports lib.ingest.guard only."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import cast

import polars as pl

from lib.ingest import guard
from lib.ingest.guard import FileProblem, inspect_workbook

WORKBOOKS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
EXTENSIONS = (".csv", *WORKBOOKS)
Progress = Callable[[str, float], None]


class Grid:
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

    def drop_row(self, idx: int) -> None:
        """Drop the row at an index (the rows below become the only truth: a frame goes)."""
        rows = self.rows
        self.frame = None
        self._rows = [*rows[:idx], *rows[idx + 1 :]]


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
    if len(body) > CSV_FIELD_LIMIT and (lines.str.len_bytes() > CSV_FIELD_LIMIT).any():
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
    width = cast(int | None, counts.max()) or 0
    width += 1
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


def read_csv_bytes(data: bytes) -> Grid:
    """The rows of a CSV file (comma or tab separated)."""
    text, encoding = decode_text(data)
    first = _first_data_line(text)
    delimiter = "\t" if "\t" in first and "," not in first else ","
    body = {"UTF-8": data, "UTF-8-BOM": data[3:]}.get(encoding) or text.encode("utf-8")
    frame = _simple_csv_frame(body, delimiter)
    if frame is not None:
        return Grid(None, encoding, frame=frame, delimiter=delimiter)
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
    return Grid(rows, encoding, delimiter=delimiter)


def read_xlsx_bytes(
    data: bytes,
    progress: Progress | None = None,
    sheet: str | None = None,
    ext: str = ".xlsx",
    preferred: frozenset[str] = frozenset(),
) -> Grid:
    """The rows of one visible sheet of a workbook (.xlsx, .xlsm, .xlsb, .xls or .ods; the sheet
    named `sheet`, else the first visible sheet named like a template (`preferred`: the matching
    keys of the templates' sheet names), else the first visible),
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
        preferred,
        seconds=guard.PARSE_SECONDS,
        memory=guard.PARSE_MEMORY,
        ext=ext,
    )
    table = Grid(rows, "xlsx", title, sheets=names)
    table.merges = merges
    return table


def read_table(
    data: bytes,
    file_name: str,
    progress: Progress | None = None,
    sheet: str | None = None,
    preferred: frozenset[str] = frozenset(),
) -> Grid:
    """The rows of a CSV file or a workbook, chosen by extension (`sheet`: which sheet;
    `preferred`: the template sheet names a workbook's default sheet is picked by)."""
    ext = Path(file_name).suffix.lower()
    if ext not in EXTENSIONS:
        raise FileProblem("upload.err.extension", ext=ext or file_name)
    if not data.strip():
        raise FileProblem("upload.err.empty")
    if ext in WORKBOOKS:
        return read_xlsx_bytes(data, progress, sheet, ext, preferred)
    return read_csv_bytes(data)


# --------------------------------------------------------------------------------------------
# Problems and plans
# --------------------------------------------------------------------------------------------
