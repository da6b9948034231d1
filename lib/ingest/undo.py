"""Undo of an import batch: its rows stop being current and the rows it replaced are current
again, in one transaction with the data-version bump and an AuditLog row; refused when a later
batch replaced some of its rows. Also what the undo page and the CLI show first: the batch as
BatchInfo and the figures the undo takes away and restores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import polars as pl
from sqlalchemy import CursorResult, Update, func, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from lib.core.i18n import t
from lib.core.vocab import BEIJING
from lib.ingest.catalog import Catalog
from lib.ingest.kinds import SPECS, KindSpec
from lib.ingest.plan import Change, Plan, UndoResult
from lib.ingest.preview import describe
from lib.ingest.problems import BatchNotFound, ImportRefused
from lib.ingest.rows import Record
from lib.ingest.write import check_username
from lib.store.audit import AuditEvent
from lib.store.db import bump_data_version, refresh_statistics, session_scope
from lib.store.models import ImportBatch, add_audit, utcnow


def _undoable(session: Session, batch_id: int, lang: str) -> tuple[ImportBatch, KindSpec]:
    """An undoable batch and its kind; BatchNotFound / ImportRefused (the seed) otherwise."""
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise BatchNotFound(t("upload.undo.not_found", lang, batch=batch_id))
    if batch.kind not in SPECS:
        raise ImportRefused(t("upload.undo.seed", lang, batch=batch_id))
    return batch, SPECS[batch.kind]


def _refuse_superseded(session: Session, spec: KindSpec, batch_id: int, lang: str) -> None:
    """Refuse (ImportRefused) when a later batch replaced a row of this one."""
    model = spec.model
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


def _updated(session: Session, statement: Update) -> int:
    """Run a bulk UPDATE (no session synchronisation); how many rows it changed."""
    options = {"synchronize_session": False}
    result = cast(CursorResult[Any], session.execute(statement, execution_options=options))
    return result.rowcount


def undo_batch(session: Session, batch_id: int, username: str, lang: str = "zh") -> UndoResult:
    """Undo a batch inside the caller's transaction: its rows off, the rows it replaced back on."""
    check_username(username, lang)
    version = bump_data_version(session)  # first write: takes the store's write lock
    batch, spec = _undoable(session, batch_id, lang)
    if batch.status == "undone":
        raise ImportRefused(t("upload.undo.already", lang, batch=batch_id))
    _refuse_superseded(session, spec, batch_id, lang)
    model = spec.model
    replaced = select(model.replaces_id).where(
        model.batch_id == batch_id, model.replaces_id.is_not(None)
    )
    restored = _updated(
        session, update(model).where(model.id.in_(replaced)).values(is_current=True)
    )
    removed = _updated(
        session, update(model).where(model.batch_id == batch_id).values(is_current=False)
    )
    now = utcnow()
    batch.status, batch.undone_at, batch.undone_by = "undone", now, username
    detail = {"batch_id": batch_id, "kind": batch.kind, "removed": removed, "restored": restored}
    add_audit(session, AuditEvent.UNDO, username, detail, at=now)
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


def _batch_rows(
    session: Session, spec: KindSpec, batch_id: int, limit: int | None
) -> tuple[list[Record], dict[int, Record], int]:
    """The batch's rows (at most limit), the rows they replaced by id, and the batch's count."""
    model = spec.model
    cols = list(dict.fromkeys(["id", "replaces_id", *spec.key_fields]))
    cols += [c for c in spec.compare_fields if c not in cols]
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
    return rows, olds, total


def undo_preview(
    batch_id: int, lang: str = "zh", url: str | None = None, limit: int | None = None
) -> tuple[BatchInfo, pl.DataFrame, int]:
    """What undoing a batch would do, writing nothing: the batch, a table of its figures (org,
    item, period, the value the undo takes away, the value it restores or none) and their count.
    BatchNotFound / ImportRefused as undo() would refuse it for an unknown or seed batch."""
    with session_scope(url) as session:
        batch, spec = _undoable(session, batch_id, lang)
        info = _batch_info(batch)
        rows, olds, total = _batch_rows(session, spec, batch_id, limit)
        labels = Catalog.load(session).labels()
    plan = Plan(info.kind, info.file_name, "", lang, labels=labels)
    names = [t(f"upload.col.{c}", lang) for c in ("org", "item", "period")]
    names += [t("upload.undo.col.removed", lang), t("upload.undo.col.restored", lang)]
    described = []
    for r in rows:
        old = olds.get(r["replaces_id"]) if r["replaces_id"] is not None else None
        change = Change("changed" if old else "new", 0, r, old)
        org, item, period, was, now = describe(plan, change)
        described.append((org, item, period, now, was or t("upload.undo.nothing_back", lang)))
    frame = pl.DataFrame(described, schema=dict.fromkeys(names, pl.Utf8), orient="row")
    return info, frame, total
