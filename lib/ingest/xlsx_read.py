"""The cells of one visible sheet of a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods, WPS-saved ones
too), read by calamine (python-calamine, the Rust reader polars also uses) in a worker process
(lib.ingest.guard starts `python -m lib.ingest.xlsx_read`, which reads a pickled request on stdin
and writes a pickled answer on stdout). Formulas are read from their cached values (a formula saved
without one, e.g. by a script, comes back as its "=…" text, which the importer refuses cell by
cell; an Excel error value as its text, #REF!); macros are never run. Numbers come back as the exact float
the file holds, never rounded to text, so the project's number parser decides; text stays text
(1.8万余, 2025.1 typed as text). Imports only the standard library and python-calamine, so the
worker starts quickly; it caps its own address space before reading anything."""

from __future__ import annotations

import io
import pickle
import re
import resource
import sys
import unicodedata
import zipfile
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import unescape

from lib.ingest.guard import EXCEL_CELL_MAX, FileProblem
from lib.ingest.xlsb_check import refuse_short_cells

SheetRows = list[list[object]]  # the sheet's rows from row 1, blank cells ""
Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based)
ZIP_FORMATS = (".xlsx", ".xlsm")
_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"([^>]*)>(.*?)</c>', re.S)
_FORMULA = re.compile(rb"<f\b[^>]*>([^<]*)</f>")
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _norm(text: object) -> str:
    """A matching key: NFKC, lower case, no whitespace (as lib.ingest.importer.norm)."""
    return "".join(unicodedata.normalize("NFKC", str(text)).lower().split())


def read_sheet(
    data: bytes, sheet: str | None, preferred: frozenset[str], ext: str = ".xlsx"
) -> tuple[SheetRows, str, list[str], list[Merge]]:
    """(rows from row 1, sheet read, visible sheet names, merged ranges): the sheet named `sheet`, else the
    first visible sheet whose normalised name is in `preferred`, else the first visible one.
    Hidden sheets are never read; every row from the sheet's first (blank cells are ""); a cell
    longer than Excel allows, and a formula without a cached value, are refused."""
    import python_calamine
    from python_calamine import SheetVisibleEnum

    if ext == ".xlsb":
        refuse_short_cells(data)  # calamine would skip those cells silently
    try:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for any damage
        raise _refusal(exc) from exc
    try:
        visible = [m.name for m in wb.sheets_metadata if m.visible == SheetVisibleEnum.Visible]
        if not visible:
            raise FileProblem("upload.err.empty")
        if sheet is not None:
            if sheet not in visible:
                raise FileProblem("upload.err.no_sheet", sheet=sheet, sheets="、".join(visible))
            name = sheet
        else:
            name = next((n for n in visible if _norm(n) in preferred), visible[0])
        ws = wb.get_sheet_by_name(name)
        grid: list[list[Any]] = ws.to_python(skip_empty_area=False)  # blank cells: ""
        if ext in ZIP_FORMATS:
            _apply(grid, _xlsx_marks(data, name))
        for i, cells in enumerate(grid, 1):
            if max(map(_text_length, cells), default=0) > EXCEL_CELL_MAX:
                raise FileProblem("upload.err.xlsx_cell", row=i, limit=EXCEL_CELL_MAX)
        merges = [(a[0], a[1], b[0], b[1]) for a, b in (ws.merged_cell_ranges or [])]
        if ext == ".ods" and not merges:
            merges = _ods_merges(data, name)  # calamine reports no merged ranges for .ods
        return grid, name, visible, merges
    finally:
        wb.close()


def _text_length(value: object) -> int:
    """A text cell's length (0 for any other cell)."""
    return len(value) if value.__class__ is str else 0


def _refusal(exc: Exception) -> FileProblem:
    """The FileProblem for a workbook calamine cannot open (password-protected or damaged)."""
    text = str(exc).lower()
    if "password" in text or "encrypt" in text:
        return FileProblem("upload.err.encrypted")
    return FileProblem("upload.err.bad_xlsx")


def _sheet_part(archive: zipfile.ZipFile, name: str) -> str | None:
    """The zip part holding the worksheet called `name` (from workbook.xml and its rels)."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rid = next(
        (e.get(_REL_NS) for e in book.iter() if e.tag.endswith("}sheet") and e.get("name") == name),
        None,
    )
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next((e.get("Target") for e in rels if e.get("Id") == rid), None)
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def _xlsx_marks(data: bytes, name: str) -> dict[tuple[int, int], str]:
    """What calamine reads as blank in an .xlsx/.xlsm sheet but must not be: a formula saved
    without its result (as "=" + the formula, which the importer refuses cell by cell) and an
    Excel error value (#REF!, #DIV/0! … as its text); keyed by 0-based (row, column)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            part = _sheet_part(archive, name)
            xml = archive.read(part) if part else b""
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError) as exc:
        raise FileProblem("upload.err.bad_xlsx") from exc
    if b"<f" not in xml and b't="e"' not in xml:
        return {}
    marks: dict[tuple[int, int], str] = {}
    for col, row, attrs, inner in _CELL.findall(xml):
        formula = _FORMULA.search(inner)
        value = _VALUE.search(inner)
        if formula and not (value and value.group(1).strip()):
            text = "=" + unescape(formula.group(1).decode(), {"&quot;": '"', "&apos;": "'"})
        elif b't="e"' in attrs and value:
            text = value.group(1).decode()
        else:
            continue
        marks[(int(row) - 1, _column(col.decode()))] = text
    return marks


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _ods_merges(data: bytes, name: str) -> list[Merge]:
    """The merged ranges of an .ods sheet, from its cells' number-columns/rows-spanned."""
    merges: list[Merge] = []
    row = col = 0
    inside = False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as fh:
            for event, el in ElementTree.iterparse(fh, events=("start", "end")):
                tag = el.tag
                if tag == _TABLE + "table":
                    inside = event == "start" and el.get(_TABLE + "name") == name
                    if not inside and event == "end" and merges:
                        break
                elif not inside:
                    pass
                elif tag == _TABLE + "table-row":
                    if event == "start":
                        col = 0
                    else:
                        row += int(el.get(_TABLE + "number-rows-repeated", "1"))
                        el.clear()
                elif event == "end" and tag in (
                    _TABLE + "table-cell",
                    _TABLE + "covered-table-cell",
                ):
                    across = int(el.get(_TABLE + "number-columns-spanned", "1"))
                    down = int(el.get(_TABLE + "number-rows-spanned", "1"))
                    if across > 1 or down > 1:
                        merges.append((row, col, row + down - 1, col + across - 1))
                    col += int(el.get(_TABLE + "number-columns-repeated", "1"))
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError) as exc:
        raise FileProblem("upload.err.bad_xlsx") from exc
    return merges


def _column(letters: str) -> int:
    """A column's 0-based index from its letters (A = 0, AA = 26)."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _apply(rows: list[list[object]], marks: dict[tuple[int, int], str]) -> None:
    """Put the marks into the rows, widening a row that ends before a marked cell."""
    for (r, c), text in marks.items():
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        row.extend([None] * (c + 1 - len(row)))
        row[c] = text


def _cap_memory(budget: int) -> None:
    """Limit this process's address space to what it uses now plus budget bytes."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            now = int(fh.read().split()[0]) * resource.getpagesize()
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        resource.setrlimit(resource.RLIMIT_AS, (now + budget, hard))
    except (OSError, ValueError):
        pass  # no /proc or not permitted: the parent's time limit still holds


def main() -> int:
    """Worker entry: request (data, sheet, preferred, memory) on stdin -> (ok, answer) on stdout,
    the answer being read_sheet()'s result or a refusal's (key, fmt)."""
    request: dict[str, Any] = pickle.load(sys.stdin.buffer)
    _cap_memory(int(request["memory"]))
    try:
        result: tuple[bool, Any] = (
            True,
            read_sheet(
                request["data"],
                request["sheet"],
                frozenset(request["preferred"]),
                request.get("ext", ".xlsx"),
            ),
        )
    except FileProblem as exc:
        result = (False, (exc.key, exc.fmt))
    except MemoryError:
        result = (False, ("upload.err.parse_memory", {"mb": int(request["memory"]) // 2**20}))
    except Exception:  # a damaged file can make a reader fail in any way
        result = (False, ("upload.err.bad_xlsx", {}))
    del request
    try:
        pickle.dump(result, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        return 3
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
