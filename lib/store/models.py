"""SQLAlchemy 2.x typed models of the KPI store: orgs, the indicator catalogue, sources, versioned
observations and targets, stations, import batches, users, the audit log, settings, snapshots.

Versioning: observation, target and station rows are never changed in value. A write inserts a new
row (is_current=True, replaces_id pointing at the row it supersedes) and marks the old one
is_current=False; an undo flips them back. The current value of a figure is the row with
is_current=True for its key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, validates

from lib.store.audit import AuditEvent, audit_event

INDICATOR_KINDS = ("flow", "stock", "rate")
ROLLUPS = ("sum", "last", "max", "mean")
ROLES = ("viewer", "editor", "admin")
ORG_LEVELS = ("national", "province", "city", "district", "street", "enterprise")


def utcnow() -> datetime:
    """The current time in UTC (timezone-aware)."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base of all models."""


class Org(Base):
    """A federation unit (district, street, enterprise union …) in a hierarchy."""

    __tablename__ = "org"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org.id"), index=True)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    parent: Mapped[Org | None] = relationship(remote_side=[id])


class Indicator(Base):
    """One entry of the indicator catalogue."""

    __tablename__ = "indicator"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(32), index=True)
    unit_zh: Mapped[str] = mapped_column(String(20))
    unit_en: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))
    rollup: Mapped[str] = mapped_column(String(10))
    direction: Mapped[str] = mapped_column(String(10), default="up")
    definition_zh: Mapped[str] = mapped_column(Text, default="")
    definition_en: Mapped[str] = mapped_column(Text, default="")
    aliases: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    def alias_list(self) -> list[str]:
        """Aliases used to match uploaded names, split on '|'."""
        return [a.strip() for a in self.aliases.split("|") if a.strip()]


class Source(Base):
    """Where figures come from: an article, an upload batch, or a synthetic generator."""

    __tablename__ = "source"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # article | upload | synthetic
    title_zh: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    publisher: Mapped[str] = mapped_column(String(200), default="")
    published: Mapped[str] = mapped_column(String(20), default="")  # ISO date or "" if unknown
    newspaper: Mapped[str] = mapped_column(String(100), default="")  # as printed, "" if not given
    edition: Mapped[str] = mapped_column(String(100), default="")  # 版面/栏目 as printed, or ""
    file: Mapped[str] = mapped_column(String(300), default="")
    covers_zh: Mapped[str] = mapped_column(Text, default="")
    covers_en: Mapped[str] = mapped_column(Text, default="")


class ImportBatch(Base):
    """One upload (or the seed): what it wrote, who, when, and whether it was undone."""

    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # observations | targets | stations | seed
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    username: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    n_new: Mapped[int] = mapped_column(Integer, default=0)
    n_changed: Mapped[int] = mapped_column(Integer, default=0)
    n_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="committed")  # committed | undone
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    undone_by: Mapped[str | None] = mapped_column(String(100))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))


class Observation(Base):
    """A figure: org × indicator × year × quarter (None = whole year) × period note, versioned."""

    __tablename__ = "observation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("org.id"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"))
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int | None] = mapped_column(Integer)
    # "" for the standard period; otherwise a sub-period label (e.g. the June-2025 campaign).
    period_note: Mapped[str] = mapped_column(String(200), default="")
    value: Mapped[float] = mapped_column(Float)
    qualifier: Mapped[str] = mapped_column(String(10), default="exact")
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    locator: Mapped[str] = mapped_column(String(300), default="")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("observation.id"))
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        Index("ix_observation_current_key", "is_current", "org_id", "indicator_id", "year"),
        Index("ix_observation_indicator_year", "indicator_id", "year", "is_current"),
        Index("ix_observation_source_current", "source_id", "is_current"),
    )


class Target(Base):
    """A plan target: org × indicator × year (× quarter) with comparator and plan, versioned."""

    __tablename__ = "target"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("org.id"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"))
    year: Mapped[int] = mapped_column(Integer)  # the year the target is due (end year of a plan)
    base_year: Mapped[int | None] = mapped_column(Integer)  # first year of a multi-year plan
    quarter: Mapped[int | None] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    comparator: Mapped[str] = mapped_column(String(2), default=">=")
    qualifier: Mapped[str] = mapped_column(String(10), default="exact")
    plan_zh: Mapped[str] = mapped_column(String(300), default="")
    plan_en: Mapped[str] = mapped_column(String(300), default="")
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    locator: Mapped[str] = mapped_column(String(300), default="")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("target.id"))
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        Index("ix_target_current_key", "is_current", "org_id", "year"),
        Index("ix_target_source_current", "source_id", "is_current"),
    )


class Station(Base):
    """A service position on the map, stored in WGS-84, versioned like observations."""

    __tablename__ = "station"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    name_zh: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    type: Mapped[str] = mapped_column(String(40), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("org.id"), index=True)
    town: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    precision: Mapped[str] = mapped_column(String(20), default="landmark")
    opened_year: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | trial | closed
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    locator: Mapped[str] = mapped_column(String(300), default="")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("station.id"))
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        Index("ix_station_current_type", "is_current", "type"),
        Index("ix_station_source_current", "source_id", "is_current"),
        Index(
            "ix_station_map", "is_current", "org_id", "type", "town", "opened_year", "lat", "lon"
        ),
    )


class User(Base):
    """An account: username, optional e-mail (for single sign-on), role, argon2id hash."""

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    email: Mapped[str | None] = mapped_column(String(200), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(10), default="viewer")
    password_hash: Mapped[str | None] = mapped_column(String(300))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class UserSession(Base):
    """A signed-in browser: the cookie carries a random token whose SHA-256 is token_hash (the
    token itself is never stored); grant_hash is the one-time grant that sets the cookie."""

    __tablename__ = "user_session"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    grant_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    grant_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    persistent: Mapped[bool] = mapped_column(Boolean, default=False)
    address: Mapped[str] = mapped_column(String(100), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")


class AuditLog(Base):
    """Who did what, when: sign-ins, uploads, undos, user changes, backups."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(100), default="")

    @validates("action")
    def _registered_action(self, _key: str, action: str) -> str:
        """Only a registered audit event may be written (ValueError otherwise); stored as its
        plain name (a driver may dump an Enum member by its Python name)."""
        return audit_event(action).value


def add_audit(
    session: Session,
    event: AuditEvent,
    username: str = "",
    detail: str | Mapping[str, Any] = "",
    address: str = "",
    at: datetime | None = None,
) -> AuditLog:
    """Add an audit-log row inside the caller's transaction (every writer of the log uses this);
    a mapping detail is stored as JSON."""
    text = detail if isinstance(detail, str) else json.dumps(dict(detail), ensure_ascii=False)
    row = AuditLog(
        at=at or utcnow(),
        action=event,
        username=(username or "")[:100],
        detail=text,
        address=(address or "")[:100],
    )
    session.add(row)
    return row


class Setting(Base):
    """A key/value setting of the store (data_version, anonymous reading …)."""

    __tablename__ = "app_setting"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class Snapshot(Base):
    """A frozen meeting snapshot: the figures as they were at a moment, as JSON."""

    __tablename__ = "snapshot"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    org_code: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    payload: Mapped[str] = mapped_column(Text)
    deck: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")  # DeckPlan JSON
