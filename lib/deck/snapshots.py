"""Frozen meeting snapshots (会议快照): freeze the payload of an org and year, list and reopen them.

A snapshot stores the whole slide payload (lib.deck.payload.live_payload) as JSON with its "as of" time
set to the moment of freezing, so slides built from it show the same figures and the same
"数据截至" stamp however the store changes afterwards. No streamlit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from lib.deck.payload import live_payload
from lib.store import db
from lib.store.audit import AuditEvent
from lib.store.models import AuditLog, Snapshot


@dataclass(frozen=True)
class SnapshotInfo:
    """A snapshot as listed: id, name, org, year, when and by whom."""

    id: int
    name: str
    org_code: str
    year: int
    created_at: datetime
    created_by: str


def freeze(
    name: str, org_code: str, year: int, created_by: str = "", url: str | None = None
) -> int:
    """Freeze the current figures of an org and year as a named snapshot; returns its id."""
    name = name.strip() or f"{org_code} {year}"
    now = datetime.now(UTC).replace(microsecond=0)
    payload = live_payload(org_code, year, url, now=now)
    with db.session_scope(url) as session:
        snap = Snapshot(
            name=name[:200],
            org_code=org_code,
            year=year,
            created_at=now,
            created_by=created_by,
            payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
        )
        session.add(snap)
        session.add(
            AuditLog(
                username=created_by,
                action=AuditEvent.SNAPSHOT,
                detail=f"{name} ({org_code} {year})",
            )
        )
        session.flush()
        db.bump_data_version(session)
        return snap.id


def _info(snap: Snapshot) -> SnapshotInfo:
    """The listing of a snapshot row."""
    when = snap.created_at if snap.created_at.tzinfo else snap.created_at.replace(tzinfo=UTC)
    return SnapshotInfo(snap.id, snap.name, snap.org_code, snap.year, when, snap.created_by)


def list_snapshots(org_code: str | None = None, url: str | None = None) -> list[SnapshotInfo]:
    """Saved snapshots, newest first (optionally of one org)."""
    stmt = select(Snapshot).order_by(Snapshot.created_at.desc(), Snapshot.id.desc())
    if org_code is not None:
        stmt = stmt.where(Snapshot.org_code == org_code)
    with db.session_scope(url) as session:
        return [_info(s) for s in session.scalars(stmt)]


def load(snapshot_id: int, url: str | None = None) -> dict[str, Any]:
    """The frozen payload of a snapshot, tagged with its id and name; KeyError if unknown."""
    with db.session_scope(url) as session:
        snap = session.get(Snapshot, snapshot_id)
        if snap is None:
            raise KeyError(snapshot_id)
        payload = json.loads(snap.payload)
        payload["snapshot"] = {"id": snap.id, "name": snap.name, "created_by": snap.created_by}
        return payload
