"""Frozen meeting snapshots (会议快照): freeze the payload of an org and year, list and reopen them.

A snapshot stores the whole slide payload (lib.deck.payload.live_payload) as JSON with its "as of" time
set to the moment of freezing, so slides built from it show the same figures and the same
"数据截至" stamp however the store changes afterwards. Beside the figures a snapshot keeps the
presenter's deck plan (lib.deck.model.DeckPlan: the text sections, slide order, hidden slides),
saved by :func:`save_plan` with an audit-log entry per change. No streamlit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from lib.deck.model import DeckPlan
from lib.deck.payload import live_payload
from lib.store import db
from lib.store.audit import AuditEvent
from lib.store.models import Snapshot, add_audit

SNAPSHOT_EVENT = AuditEvent.SNAPSHOT  # a snapshot frozen
DECK_TEXTS_EVENT = AuditEvent.DECK_TEXTS  # a snapshot's text sections changed
DECK_LAYOUT_EVENT = AuditEvent.DECK_LAYOUT  # a snapshot's slide order or hidden slides changed
MAX_SECTION_CHARS = 2000  # characters per text section and language


@dataclass(frozen=True)
class SnapshotInfo:
    """A snapshot as listed: id, name, org, year, when and by whom."""

    id: int
    name: str
    org_code: str
    year: int
    created_at: datetime
    created_by: str


def check_plan(plan: DeckPlan) -> None:
    """Refuse a plan whose text sections are too long (ValueError naming the section)."""
    for section, by_lang in plan.texts.items():
        for text in by_lang.values():
            if len(text) > MAX_SECTION_CHARS:
                raise ValueError(section)


def freeze(
    name: str,
    org_code: str,
    year: int,
    created_by: str = "",
    url: str | None = None,
    plan: DeckPlan | None = None,
) -> int:
    """Freeze the current figures of an org and year (and the presenter's deck plan so far) as
    a named snapshot; returns its id."""
    name = name.strip() or f"{org_code} {year}"
    plan = plan or DeckPlan()
    check_plan(plan)
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
            deck=_dump(plan),
        )
        session.add(snap)
        add_audit(session, SNAPSHOT_EVENT, created_by, f"{name} ({org_code} {year})")
        session.flush()
        db.bump_data_version(session)
        return snap.id


def _dump(plan: DeckPlan) -> str:
    """A deck plan as stored JSON."""
    return json.dumps(plan.as_dict(), ensure_ascii=False, sort_keys=True)


def _changes(old: DeckPlan, new: DeckPlan) -> list[tuple[AuditEvent, str]]:
    """The audit entries a plan change makes: (action, detail) for the texts and the layout."""
    out: list[tuple[AuditEvent, str]] = []
    changed = sorted(
        f"{section}/{lang}"
        for section in set(old.texts) | set(new.texts)
        for lang in ("zh", "en")
        if old.text(section, lang) != new.text(section, lang)
    )
    if changed:
        out.append((DECK_TEXTS_EVENT, ", ".join(changed)))
    if (old.order, old.hidden) != (new.order, new.hidden):
        out.append((DECK_LAYOUT_EVENT, f"hidden: {', '.join(new.hidden) or '—'}"))
    return out


def save_plan(snapshot_id: int, plan: DeckPlan, username: str, url: str | None = None) -> bool:
    """Store a snapshot's deck plan, audited (one entry for texts, one for order/hidden, each
    naming the snapshot); False when nothing changed. KeyError if unknown, ValueError if a
    text is too long (the store is left as it was)."""
    check_plan(plan)
    with db.session_scope(url) as session:
        snap = session.get(Snapshot, snapshot_id)
        if snap is None:
            raise KeyError(snapshot_id)
        changes = _changes(DeckPlan.of(json.loads(snap.deck or "{}")), plan)
        if not changes:
            return False
        snap.deck = _dump(plan)
        for action, detail in changes:
            add_audit(session, action, username, f"{snap.name} (#{snap.id}): {detail}")
        db.bump_data_version(session)
        return True


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
        payload["deck"] = DeckPlan.of(json.loads(snap.deck or "{}")).as_dict()
        return payload
