"""Helpers shared by the importer tests: a full dump of the tables an import may touch, and small
file builders (CSV text in an encoding, .xlsx from rows)."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Sequence
from contextlib import closing

from sqlalchemy import select

from lib import db
from lib.db import get_engine
from lib.models import AuditLog, ImportBatch, Observation, Setting, Source, Station, Target

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


def seeded_copy(request, tmp_path, monkeypatch) -> str:  # noqa: ANN001
    """A seeded store for one test: a copy of the session's seeded SQLite template (fast), or the
    conftest's seeded_url on PostgreSQL. DATABASE_URL points at it for the test."""
    from tests.conftest import PG_URL

    if PG_URL:
        return request.getfixturevalue("seeded_url")
    template = request.getfixturevalue("seeded_template")
    path = tmp_path / "kpi.db"
    with closing(sqlite3.connect(template)) as src, closing(sqlite3.connect(path)) as dst:
        src.backup(dst)  # consistent even while the template's WAL is not checkpointed
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    db.get_engine.cache_clear()
    request.addfinalizer(db.get_engine.cache_clear)
    return url
