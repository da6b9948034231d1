"""A check of .xlsb worksheets before calamine reads them. [MS-XLSB] has two forms of each cell
record: the full one (BrtCellRk, BrtCellSt, … with the cell's column), which Excel writes, and
the short one (BrtShortRk, BrtShortSt, … record types 12–18, the column being the previous
cell's plus one), which other writers use (SheetJS for every cell after a row's first). calamine
(python-calamine 0.9.1) skips the short records without a word, so such a file would lose its
cells silently: it is refused instead, asking for the file to be saved as .xlsx. Standard library
only (it runs in the reading worker)."""

from __future__ import annotations

import io
import zipfile

from lib.ingest.guard import FileProblem

SHORT_CELLS = range(12, 19)  # BrtShortBlank … BrtShortIsst


def _varint(part: bytes, i: int, most: int) -> tuple[int, int]:
    """A record header field (7 bits a byte, high bit = another byte follows, at most `most`
    bytes) read at i: (value, index after it)."""
    value = 0
    for n in range(most):
        if i >= len(part):
            raise FileProblem("upload.err.bad_xlsx")
        byte = part[i]
        i += 1
        value |= (byte & 0x7F) << (7 * n)
        if not byte & 0x80:
            break
    return value, i


def has_short_cells(part: bytes) -> bool:
    """Whether a worksheet part's record stream holds a short-form cell record."""
    i = 0
    while i < len(part):
        kind, i = _varint(part, i, 2)
        size, i = _varint(part, i, 4)
        if kind in SHORT_CELLS:
            return True
        i += size
    return False


def refuse_short_cells(data: bytes) -> None:
    """FileProblem upload.err.xlsb_short_cells when any worksheet of the .xlsb uses short cell
    records; a file that is no zip is left to calamine (and the checks before it) to refuse."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
            short = any(has_short_cells(archive.read(n)) for n in parts if n.endswith(".bin"))
    except (KeyError, zipfile.BadZipFile, OSError):
        return
    if short:
        raise FileProblem("upload.err.xlsb_short_cells")
