"""The cells of one visible sheet of an .xlsx, read by openpyxl in read-only mode, in a worker
process (lib.ingest.guard starts `python -m lib.ingest.xlsx_read`, which reads a pickled request
on stdin and writes a pickled answer on stdout). Imports only the standard library and openpyxl,
so the worker starts quickly; it caps its own address space before reading anything."""

from __future__ import annotations

import io
import pickle
import resource
import sys
import unicodedata
import zipfile
from typing import Any

from lib.ingest.guard import EXCEL_CELL_MAX, FileProblem

Rows = list[tuple[int, list[object]]]


def _norm(text: object) -> str:
    """A matching key: NFKC, lower case, no whitespace (as lib.ingest.importer.norm)."""
    return "".join(unicodedata.normalize("NFKC", str(text)).lower().split())


def read_sheet(
    data: bytes, sheet: str | None, preferred: frozenset[str]
) -> tuple[Rows, str, list[str]]:
    """(rows, sheet read, visible sheet names): the sheet named `sheet`, else the first visible
    sheet whose normalised name is in `preferred`, else the first visible one. Hidden sheets are
    never read; the stored <dimension> is not trusted; a cell longer than Excel allows is refused."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise FileProblem("upload.err.bad_xlsx") from exc
    try:
        visible = [w for w in wb.worksheets if getattr(w, "sheet_state", "visible") == "visible"]
        if not visible:
            raise FileProblem("upload.err.empty")
        names = [w.title for w in visible]
        if sheet is not None:
            ws = next((w for w in visible if w.title == sheet), None)
            if ws is None:
                raise FileProblem("upload.err.no_sheet", sheet=sheet, sheets="、".join(names))
        else:
            ws = next((w for w in visible if _norm(w.title) in preferred), visible[0])
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # read every row the sheet holds, not what <dimension> claims
        rows: Rows = []
        for i, values in enumerate(ws.iter_rows(values_only=True), 1):
            if any(isinstance(v, str) and len(v) > EXCEL_CELL_MAX for v in values):
                raise FileProblem("upload.err.xlsx_cell", row=i, limit=EXCEL_CELL_MAX)
            rows.append((i, list(values)))
        return rows, ws.title, names
    finally:
        wb.close()


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
            read_sheet(request["data"], request["sheet"], frozenset(request["preferred"])),
        )
    except FileProblem as exc:
        result = (False, (exc.key, exc.fmt))
    except MemoryError:
        result = (False, ("upload.err.parse_memory", {"mb": int(request["memory"]) // 2**20}))
    except Exception:  # a damaged file can make openpyxl fail in any way
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
