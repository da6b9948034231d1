"""Writing a validated plan: one transaction = one ImportBatch + its upload Source + versioned rows
(a changed record gets a new row with replaces_id → the old row, which stops being current; no
value is updated in place) + the data-version bump + an AuditLog row. Every kind's rows go in
as a frame through insert_frame, which picks the one path per engine in one place: multi-row
INSERTs through the driver on SQLite, Core executemany elsewhere."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from typing import Any, cast

import polars as pl
from sqlalchemy import BindParameter, Float, Table, bindparam, insert, update
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session

from lib.core.i18n import t
from lib.ingest.cells import column_length
from lib.ingest.diff import committed_batch, update_diff
from lib.ingest.plan import DIFF, CommitResult, Plan
from lib.ingest.problems import ImportRefused
from lib.ingest.read import Progress
from lib.store.audit import AuditEvent
from lib.store.db import bump_data_version
from lib.store.models import ImportBatch, Source, add_audit, utcnow

BATCH_ROWS = 5_000  # rows per statement batch (and between progress reports)
PARAMETERS = 900  # bound parameters per multi-row INSERT on SQLite (its historical limit: 999)
SQLITE_DEFAULT_CACHE = -2000  # SQLite's page cache: 2,000 KiB
IMPORT_CACHE = -65536  # … while a large import writes: 64 MiB


def _driver_ready(table: Table, frame: pl.DataFrame, dialect: Dialect) -> bool:
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


Writer = Callable[[pl.DataFrame], None]  # writes one slice of a frame's rows


@contextmanager
def _core_writer(
    conn: Connection, table: Table, frame: pl.DataFrame, constants: dict[str, Any]
) -> Iterator[Writer]:
    """A writer of a frame's slices (plus constant columns) as Core insert() executemany."""

    def write(part: pl.DataFrame) -> None:
        """Insert one slice."""
        conn.execute(insert(table), [row | constants for row in part.to_dicts()])

    yield write


def _shared_values(
    table: Table, frame: pl.DataFrame, constants: dict[str, Any], dialect: Dialect
) -> dict[str, Any]:
    """The values bound once per statement: the constants (as SQLAlchemy binds them) and every
    column holding one value throughout."""
    fixed = {}
    for name, value in constants.items():
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        fixed[name] = process(value) if process else value
    if frame.height > 1:  # a column holding one value throughout is not read row by row
        firsts = frame.row(0, named=True)
        distinct = frame.select(pl.all().n_unique()).row(0, named=True)
        fixed |= {c: firsts[c] for c in frame.columns[1:] if distinct[c] == 1}
    return fixed


@contextmanager
def _sqlite_writer(
    conn: Connection, table: Table, frame: pl.DataFrame, constants: dict[str, Any]
) -> Iterator[Writer]:
    """A writer of a frame's slices (plus constant columns) through SQLite's cursor in multi-row
    INSERT statements, the values bound as SQLAlchemy would bind them."""
    dialect = conn.dialect
    fixed = _shared_values(table, frame, constants, dialect)
    varying = tuple(c for c in frame.columns if c not in fixed)
    k = max(1, (PARAMETERS - len(fixed)) // len(varying))
    many, order = _multi_row_insert(table, varying, tuple(fixed), k, dialect)
    cursor = cast(sqlite3.Connection, conn.connection.driver_connection).cursor()

    def write(part: pl.DataFrame) -> None:
        """Insert one slice: k-row statements, then one statement for the rest."""
        columns = {c: part[c].to_list() for c in varying}
        whole = part.height // k * k
        cursor.executemany(many, _parameters(order, columns, fixed, 0, whole, k))
        if whole < part.height:
            rest = part.height - whole
            sql, _order = _multi_row_insert(table, varying, tuple(fixed), rest, dialect)
            cursor.executemany(sql, _parameters(order, columns, fixed, whole, part.height, rest))

    cache = cursor.execute("PRAGMA cache_size").fetchone()[0]
    grow = frame.height > BATCH_ROWS and cache == SQLITE_DEFAULT_CACHE
    if grow:  # room for the growing indexes' pages: fewer cache spills in mid-write
        cursor.execute(f"PRAGMA cache_size = {IMPORT_CACHE}")
    try:
        yield write
    finally:
        if grow:
            cursor.execute(f"PRAGMA cache_size = {SQLITE_DEFAULT_CACHE}")
        cursor.close()


def insert_frame(
    session: Session,
    table: Table,
    frame: pl.DataFrame,
    constants: dict[str, Any],
    done: Callable[[int], None] | None = None,
) -> None:
    """Insert a frame's rows (plus constant columns) into a table inside the session's
    transaction, BATCH_ROWS at a time (done gets the rows written so far after each): the one
    place the path per engine is chosen (SQLite's driver when the values need no bind
    processing, else Core executemany)."""
    conn = session.connection()
    if frame.is_empty():
        return
    writer = _sqlite_writer if _driver_ready(table, frame, conn.dialect) else _core_writer
    with writer(conn, table, frame, constants) as write:
        for start in range(0, frame.height, BATCH_ROWS):
            part = frame.slice(start, BATCH_ROWS)
            write(part)
            if done:
                done(start + part.height)


@lru_cache(maxsize=16)
def _multi_row_insert(
    table: Table, varying: tuple[str, ...], shared: tuple[str, ...], k: int, dialect: Dialect
) -> tuple[str, tuple[str, ...]]:
    """A k-row INSERT compiled by SQLAlchemy in SQLite's numbered parameters, where the shared
    columns have one parameter for every row: its SQL and the order of its columns. Parameters:
    the first row's values in that order, then each further row's varying values in that order."""
    one: dict[str, BindParameter[Any]] = {c: bindparam(f"s_{c}") for c in shared}
    rows = [{**{c: bindparam(f"r{j}_{c}") for c in varying}, **one} for j in range(k)]
    numbered = SQLiteDialect_pysqlite(paramstyle="numeric")
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


def _rows_of(plan: Plan, diff: pl.DataFrame, batch_id: int, source_id: int) -> pl.DataFrame:
    """The rows a diff inserts: its new and changed records, in the seed batch's or the upload's
    source unless a row names its own, each changed one replacing the row it changes."""
    fields = [f for f in plan.spec.schema.names()[1:] if f != "source_id"]
    return diff.filter(pl.col(DIFF) != "unchanged").select(
        *fields,
        pl.col("source_id").fill_null(source_id),
        pl.lit(batch_id, dtype=pl.Int64).alias("batch_id"),
        pl.when(pl.col(DIFF) == "changed").then(pl.col("old_id")).alias("replaces_id"),
    )


def _write_rows(
    session: Session,
    plan: Plan,
    ids: tuple[int, int, datetime],
    progress: Progress | None,
) -> None:
    """Write a plan's diff: the rows it replaces not current, new and changed rows inserted."""
    batch_id, source_id, now = ids
    diff = plan.diff_frame
    if diff is None:
        return
    model = plan.spec.model
    replaced = diff.filter(pl.col(DIFF) == "changed")["old_id"].to_list()
    rows = _rows_of(plan, diff, batch_id, source_id)
    olds = [{"id": i, "is_current": False} for i in replaced]
    total = max(len(olds) + rows.height, 1)
    for start in range(0, len(olds), BATCH_ROWS):
        session.execute(update(model), olds[start : start + BATCH_ROWS])
        if progress:
            progress("write", min(start + BATCH_ROWS, len(olds)) / total)
    constants = {"is_current": True, "is_synthetic": False, "created_at": now}
    insert_frame(
        session,
        plan.spec.table,
        rows,
        constants,
        (lambda done: progress("write", (len(olds) + done) / total)) if progress else None,
    )


def check_username(username: str, lang: str) -> None:
    """Refuse (ImportRefused) a user name longer than the store's column holds."""
    limit = column_length(ImportBatch, "username")
    if len(username) > limit:
        raise ImportRefused(t("upload.err.user_too_long", lang, n=limit))


def _check_plan(
    session: Session,
    plan: Plan,
    username: str,
    confirm: bool,
    expected: tuple[int, int, int, int] | None,
) -> int:
    """Refuse (ImportRefused) a plan that cannot be written as previewed; else take the store's
    write lock, diff the plan again and return the new data version."""
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
    return version


def _new_batch(session: Session, plan: Plan, username: str, now: datetime) -> tuple[int, int]:
    """Add the plan's ImportBatch and its upload Source: (batch id, source id)."""
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
    return batch.id, source.id


def write_plan(
    session: Session,
    plan: Plan,
    username: str,
    confirm: bool = False,
    expected: tuple[int, int, int, int] | None = None,
    progress: Progress | None = None,
) -> CommitResult:
    """Write a validated plan inside the caller's transaction (raises ImportRefused to refuse)."""
    version = _check_plan(session, plan, username, confirm, expected)
    if progress:
        progress("write", 0.0)
    now = utcnow()
    batch_id, source_id = _new_batch(session, plan, username, now)
    _write_rows(session, plan, (batch_id, source_id, now), progress)
    detail = {
        "batch_id": batch_id,
        "kind": plan.kind,
        "file_name": plan.file_name,
        "sha256": plan.sha256,
        "n_new": plan.n_new,
        "n_changed": plan.n_changed,
        "n_unchanged": plan.n_unchanged,
    }
    add_audit(session, AuditEvent.UPLOAD, username, detail, at=now)
    session.flush()
    return CommitResult(batch_id, plan.n_new, plan.n_changed, plan.n_unchanged, version)
