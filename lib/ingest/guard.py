"""Hostile uploads: a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods) is inspected before any parser
sees it, and parsed in a fresh worker process (`python -m lib.ingest.xlsx_read`) under a time and a memory limit, so no file can take the
app server down.

Limits (README, 数据上传): at most 150 MB uncompressed in all, 2,000 parts, 2,000,000 shared
strings; macro-enabled workbooks, encrypted (password-protected) workbooks and old .xls files
renamed to .xlsx are refused by name. The inspection reads only the zip directory and the first
bytes of two small parts, so a 1 MB "bomb" declaring 1 GB is refused in milliseconds. A zip entry
that lies about its size cannot get past either: Python's zipfile stops reading at the declared
size (and then fails its CRC check). The worker gets 60 s and 1 GiB of address space above what
it starts with; a file that needs more is refused with a message, the worker killed. (A fresh
interpreter rather than a fork: the app server is multi-threaded, and multiprocessing would re-run
its main script in the worker.)
"""

from __future__ import annotations

import io
import os
import pickle
import re
import subprocess
import sys
import zipfile
from typing import Any

from lib.core.settings import ROOT

MAX_UNCOMPRESSED = 150 * 2**20
MAX_PARTS = 2_000
MAX_SHARED_STRINGS = 2_000_000
EXCEL_CELL_MAX = 32_767  # Excel's own limit: a longer cell was not made by Excel
PARSE_SECONDS = 60.0
PARSE_MEMORY = 2**30
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_COUNT = re.compile(rb'\b(?:uniqueCount|count)="(\d+)"')


class FileProblem(Exception):
    """The whole file cannot be read; key/fmt name an upload.err.* string."""

    def __init__(self, key: str, **fmt: object) -> None:
        """Keep the string key and its format values."""
        self.key = key
        self.fmt = fmt
        super().__init__(key)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle with the format values (the worker sends its refusals back)."""
        return (_file_problem, (self.key, self.fmt))


def _file_problem(key: str, fmt: dict[str, object]) -> FileProblem:
    """Rebuild a FileProblem from its key and format values."""
    return FileProblem(key, **fmt)


def inspect_workbook(data: bytes, ext: str) -> None:
    """Refuse (FileProblem) a workbook before any parser sees it: an encrypted one; an .xlsx that
    is an old .xls or macro-enabled (its name hides what it is; a .xlsm is read, its macros never
    run); a zip-based one (.xlsx, .xlsm, .xlsb, .ods) past the size, part or shared-string limits.
    An .xls (one compound file, no compression) is bounded by the upload size itself."""
    if data.startswith(CFB_MAGIC):
        if ENCRYPTION_INFO in data:  # an encrypted OOXML workbook is a compound file
            raise FileProblem("upload.err.encrypted")
        if ext == ".xls":
            return
        raise FileProblem("upload.err.xls_renamed")
    if ext == ".xls" and not data.startswith(b"PK"):
        raise FileProblem("upload.err.bad_xlsx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FileProblem("upload.err.bad_xlsx") from exc
    with archive:
        _check_zip(archive, ext)


def _check_zip(archive: zipfile.ZipFile, ext: str) -> None:
    """The zip-level limits and refusals of inspect_workbook()."""
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise FileProblem("upload.err.xlsx_parts", n=len(infos), limit=MAX_PARTS)
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise FileProblem(
            "upload.err.xlsx_size", mb=total // 2**20, limit=MAX_UNCOMPRESSED // 2**20
        )
    names = {i.filename for i in infos}
    if ext == ".xlsx" and (
        any(n.lower().endswith("vbaproject.bin") for n in names) or _macro_types(archive)
    ):
        raise FileProblem("upload.err.macro")
    if "META-INF/manifest.xml" in names and _manifest_encrypted(archive):
        raise FileProblem("upload.err.encrypted")  # a password-protected .ods
    if "xl/sharedStrings.xml" in names:
        shared = _head(archive, "xl/sharedStrings.xml")
        counts = [int(c) for c in _COUNT.findall(shared)]
        if counts and max(counts) > MAX_SHARED_STRINGS:
            raise FileProblem("upload.err.xlsx_strings", n=max(counts), limit=MAX_SHARED_STRINGS)


def _manifest_encrypted(archive: zipfile.ZipFile) -> bool:
    """True when an OpenDocument manifest declares encrypted parts."""
    if archive.getinfo("META-INF/manifest.xml").file_size > 2**20:
        raise FileProblem("upload.err.bad_xlsx")
    return b"encryption-data" in _head(archive, "META-INF/manifest.xml", 2**20)


def _head(archive: zipfile.ZipFile, name: str, size: int = 2048) -> bytes:
    """The first bytes of a part (decompressing only those)."""
    try:
        with archive.open(name) as part:
            return part.read(size)
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
        raise FileProblem("upload.err.bad_xlsx") from exc


def _macro_types(archive: zipfile.ZipFile) -> bool:
    """True when [Content_Types].xml declares a macro-enabled workbook."""
    if "[Content_Types].xml" not in archive.namelist():
        return False
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > 2**20:
        raise FileProblem("upload.err.bad_xlsx")
    return b"macroEnabled" in _head(archive, "[Content_Types].xml", 2**20)


def parse_xlsx(
    data: bytes,
    sheet: str | None,
    preferred: frozenset[str],
    seconds: float = PARSE_SECONDS,
    memory: int = PARSE_MEMORY,
    ext: str = ".xlsx",
) -> tuple[list[tuple[int, list[object]]], str, list[str], list[tuple[int, int, int, int]]]:
    """lib.ingest.xlsx_read.read_sheet() run in a fresh worker process (`python -m
    lib.ingest.xlsx_read`) with a time limit and a memory cap; its result, or the FileProblem it
    refused the file with; FileProblem(parse_timeout / parse_memory) when it ran out."""
    request = {
        "data": data,
        "sheet": sheet,
        "preferred": sorted(preferred),
        "memory": memory,
        "ext": ext,
    }
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "lib.ingest.xlsx_read"],
            input=pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL),
            capture_output=True,
            timeout=seconds,
            cwd=ROOT,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:  # subprocess.run has killed the worker
        raise FileProblem("upload.err.parse_timeout", seconds=f"{seconds:g}") from exc
    if done.returncode != 0 or not done.stdout:  # killed or out of memory while answering
        raise FileProblem("upload.err.parse_memory", mb=memory // 2**20)
    ok, answer = pickle.loads(done.stdout)
    if ok:
        grid, name, sheets, merges = answer
        return list(enumerate(grid, 1)), name, sheets, merges
    key, fmt = answer
    raise FileProblem(key, **fmt)
