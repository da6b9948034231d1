"""Helpers shared by the importer tests: a full dump of the tables an import may touch, and small
file builders (CSV text in an encoding, .xlsx from rows)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from sqlalchemy import select

from lib.store.db import get_engine
from lib.store.models import AuditLog, ImportBatch, Observation, Setting, Source, Station, Target

DUMPED = (Observation, Target, Station, ImportBatch, Source, AuditLog, Setting)


def dump_store(url: str) -> dict[str, list[tuple]]:
    """Every row of the tables an import or undo writes, in a stable order."""
    out: dict[str, list[tuple]] = {}
    with get_engine(url).connect() as conn:
        for model in DUMPED:
            table = model.__table__
            rows = conn.execute(select(table)).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    """CSV text (lines joined with CRLF as Excel writes them) in an encoding."""
    return "\r\n".join(text.strip("\n").splitlines()).encode(encoding) + b"\r\n"


def xlsx_bytes(rows: Sequence[Sequence[object]], title: str = "Sheet1") -> bytes:
    """An .xlsx with one sheet holding rows (strings starting with = become formulas)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def seeded_copy(request, tmp_path, monkeypatch) -> str:  # noqa: ANN001, ARG001
    """A seeded store for one test on the engine under test: conftest's seeded_copy (a copy of the
    session's seeded template); DATABASE_URL points at it for the test."""
    return request.getfixturevalue("seeded_copy")
