"""Named read queries of the KPI store. Each takes plain values (and an optional URL), runs one
SQLAlchemy select() with bound parameters, and returns a polars DataFrame with a fixed schema."""

from __future__ import annotations

from typing import Any

import polars as pl
from sqlalchemy import Select, func, select

from lib.store.db import get_engine
from lib.store.models import ImportBatch, Indicator, Observation, Org, Source, Station, Target

OBSERVATION_SCHEMA: dict[str, Any] = {
    "obs_id": pl.Int64,
    "org_code": pl.Utf8,
    "org_name_zh": pl.Utf8,
    "org_name_en": pl.Utf8,
    "indicator_code": pl.Utf8,
    "indicator_name_zh": pl.Utf8,
    "indicator_name_en": pl.Utf8,
    "category": pl.Utf8,
    "unit_zh": pl.Utf8,
    "unit_en": pl.Utf8,
    "kind": pl.Utf8,
    "rollup": pl.Utf8,
    "direction": pl.Utf8,
    "year": pl.Int64,
    "quarter": pl.Int64,
    "period_note": pl.Utf8,
    "value": pl.Float64,
    "qualifier": pl.Utf8,
    "source_code": pl.Utf8,
    "source_title_zh": pl.Utf8,
    "source_file": pl.Utf8,
    "locator": pl.Utf8,
    "batch_id": pl.Int64,
    "is_synthetic": pl.Boolean,
}


def _org_indicator_columns() -> tuple[Any, ...]:
    """The org and indicator columns that figure and target queries share, in schema order."""
    return (
        Org.code,
        Org.name_zh,
        Org.name_en,
        Indicator.code,
        Indicator.name_zh,
        Indicator.name_en,
        Indicator.category,
        Indicator.unit_zh,
        Indicator.unit_en,
        Indicator.kind,
    )


def frame(stmt: Select, schema: dict[str, Any], url: str | None = None) -> pl.DataFrame:
    """Run a select and return its rows as a DataFrame with the given schema."""
    with get_engine(url).connect() as conn:
        rows = conn.execute(stmt).all()
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


def observations(
    org_codes: tuple[str, ...] | None = None,
    indicator_codes: tuple[str, ...] | None = None,
    years: tuple[int, ...] | None = None,
    url: str | None = None,
) -> pl.DataFrame:
    """Current observations with their org, indicator and source, optionally filtered."""
    stmt = (
        select(
            Observation.id,
            *_org_indicator_columns(),
            Indicator.rollup,
            Indicator.direction,
            Observation.year,
            Observation.quarter,
            Observation.period_note,
            Observation.value,
            Observation.qualifier,
            Source.code,
            Source.title_zh,
            Source.file,
            Observation.locator,
            Observation.batch_id,
            Observation.is_synthetic,
        )
        .join(Org, Org.id == Observation.org_id)
        .join(Indicator, Indicator.id == Observation.indicator_id)
        .join(Source, Source.id == Observation.source_id)
        .where(Observation.is_current.is_(True))
    )
    if org_codes is not None:
        stmt = stmt.where(Org.code.in_(org_codes))
    if indicator_codes is not None:
        stmt = stmt.where(Indicator.code.in_(indicator_codes))
    if years is not None:
        stmt = stmt.where(Observation.year.in_(years))
    stmt = stmt.order_by(
        Org.code, Indicator.sort_order, Observation.year, Observation.quarter, Observation.id
    )
    return frame(stmt, OBSERVATION_SCHEMA, url)


TARGET_SCHEMA: dict[str, Any] = {
    "target_id": pl.Int64,
    "org_code": pl.Utf8,
    "org_name_zh": pl.Utf8,
    "org_name_en": pl.Utf8,
    "indicator_code": pl.Utf8,
    "indicator_name_zh": pl.Utf8,
    "indicator_name_en": pl.Utf8,
    "category": pl.Utf8,
    "unit_zh": pl.Utf8,
    "unit_en": pl.Utf8,
    "kind": pl.Utf8,
    "year": pl.Int64,
    "base_year": pl.Int64,
    "quarter": pl.Int64,
    "value": pl.Float64,
    "comparator": pl.Utf8,
    "qualifier": pl.Utf8,
    "plan_zh": pl.Utf8,
    "plan_en": pl.Utf8,
    "source_code": pl.Utf8,
    "source_title_zh": pl.Utf8,
    "locator": pl.Utf8,
}


def targets(
    org_codes: tuple[str, ...] | None = None,
    years: tuple[int, ...] | None = None,
    url: str | None = None,
) -> pl.DataFrame:
    """Current plan targets with their org, indicator and source."""
    stmt = (
        select(
            Target.id,
            *_org_indicator_columns(),
            Target.year,
            Target.base_year,
            Target.quarter,
            Target.value,
            Target.comparator,
            Target.qualifier,
            Target.plan_zh,
            Target.plan_en,
            Source.code,
            Source.title_zh,
            Target.locator,
        )
        .join(Org, Org.id == Target.org_id)
        .join(Indicator, Indicator.id == Target.indicator_id)
        .join(Source, Source.id == Target.source_id)
        .where(Target.is_current.is_(True))
    )
    if org_codes is not None:
        stmt = stmt.where(Org.code.in_(org_codes))
    if years is not None:
        stmt = stmt.where(Target.year.in_(years))
    stmt = stmt.order_by(Org.code, Target.year, Indicator.sort_order, Target.id)
    return frame(stmt, TARGET_SCHEMA, url)


STATION_SCHEMA: dict[str, Any] = {
    "station_id": pl.Int64,
    "code": pl.Utf8,
    "name_zh": pl.Utf8,
    "name_en": pl.Utf8,
    "type": pl.Utf8,
    "org_code": pl.Utf8,
    "org_name_zh": pl.Utf8,
    "town": pl.Utf8,
    "address": pl.Utf8,
    "lat": pl.Float64,
    "lon": pl.Float64,
    "precision": pl.Utf8,
    "opened_year": pl.Int64,
    "status": pl.Utf8,
    "source_code": pl.Utf8,
    "locator": pl.Utf8,
    "is_synthetic": pl.Boolean,
}


def stations(org_codes: tuple[str, ...] | None = None, url: str | None = None) -> pl.DataFrame:
    """Current stations with their org and source."""
    stmt = (
        select(
            Station.id,
            Station.code,
            Station.name_zh,
            Station.name_en,
            Station.type,
            Org.code,
            Org.name_zh,
            Station.town,
            Station.address,
            Station.lat,
            Station.lon,
            Station.precision,
            Station.opened_year,
            Station.status,
            Source.code,
            Station.locator,
            Station.is_synthetic,
        )
        .join(Org, Org.id == Station.org_id)
        .join(Source, Source.id == Station.source_id)
        .where(Station.is_current.is_(True))
    )
    if org_codes is not None:
        stmt = stmt.where(Org.code.in_(org_codes))
    return frame(stmt.order_by(Station.type, Station.id), STATION_SCHEMA, url)


ORG_SCHEMA = {
    "code": pl.Utf8,
    "name_zh": pl.Utf8,
    "name_en": pl.Utf8,
    "level": pl.Utf8,
    "parent_code": pl.Utf8,
    "is_synthetic": pl.Boolean,
}


def orgs(url: str | None = None) -> pl.DataFrame:
    """Every org with its parent's code."""
    parent = Org.__table__.alias("parent")
    stmt = (
        select(Org.code, Org.name_zh, Org.name_en, Org.level, parent.c.code, Org.is_synthetic)
        .outerjoin(parent, parent.c.id == Org.parent_id)
        .order_by(Org.id)
    )
    return frame(stmt, ORG_SCHEMA, url)


INDICATOR_SCHEMA = {
    "code": pl.Utf8,
    "name_zh": pl.Utf8,
    "name_en": pl.Utf8,
    "category": pl.Utf8,
    "unit_zh": pl.Utf8,
    "unit_en": pl.Utf8,
    "kind": pl.Utf8,
    "rollup": pl.Utf8,
    "direction": pl.Utf8,
    "definition_zh": pl.Utf8,
    "aliases": pl.Utf8,
}


def indicators(url: str | None = None) -> pl.DataFrame:
    """The indicator catalogue in display order."""
    stmt = select(
        Indicator.code,
        Indicator.name_zh,
        Indicator.name_en,
        Indicator.category,
        Indicator.unit_zh,
        Indicator.unit_en,
        Indicator.kind,
        Indicator.rollup,
        Indicator.direction,
        Indicator.definition_zh,
        Indicator.aliases,
    ).order_by(Indicator.sort_order, Indicator.id)
    return frame(stmt, INDICATOR_SCHEMA, url)


SOURCE_SCHEMA = {
    "code": pl.Utf8,
    "kind": pl.Utf8,
    "title_zh": pl.Utf8,
    "title_en": pl.Utf8,
    "publisher": pl.Utf8,
    "published": pl.Utf8,
    "file": pl.Utf8,
    "covers_zh": pl.Utf8,
    "covers_en": pl.Utf8,
    "n_observations": pl.Int64,
    "n_targets": pl.Int64,
    "n_stations": pl.Int64,
}


def sources(url: str | None = None) -> pl.DataFrame:
    """Every source with how many current figures, targets and stations it supplies."""

    def count_of(model: type) -> Any:
        """A correlated count of current rows of a model citing the source."""
        return (
            select(func.count(model.id))
            .where(model.source_id == Source.id, model.is_current.is_(True))
            .scalar_subquery()
        )

    stmt = select(
        Source.code,
        Source.kind,
        Source.title_zh,
        Source.title_en,
        Source.publisher,
        Source.published,
        Source.file,
        Source.covers_zh,
        Source.covers_en,
        count_of(Observation),
        count_of(Target),
        count_of(Station),
    ).order_by(Source.id)
    return frame(stmt, SOURCE_SCHEMA, url)


SOURCE_DETAIL_SCHEMA = {
    "code": pl.Utf8,
    "kind": pl.Utf8,
    "title_zh": pl.Utf8,
    "title_en": pl.Utf8,
    "publisher": pl.Utf8,
    "published": pl.Utf8,
    "newspaper": pl.Utf8,
    "edition": pl.Utf8,
    "file": pl.Utf8,
}


def source_details(codes: tuple[str, ...], url: str | None = None) -> pl.DataFrame:
    """Title, publisher, citation fields and file of the given sources (no counts: cheap at any store size)."""
    stmt = (
        select(
            Source.code,
            Source.kind,
            Source.title_zh,
            Source.title_en,
            Source.publisher,
            Source.published,
            Source.newspaper,
            Source.edition,
            Source.file,
        )
        .where(Source.code.in_(codes))
        .order_by(Source.id)
    )
    return frame(stmt, SOURCE_DETAIL_SCHEMA, url)


BATCH_SCHEMA = {
    "batch_id": pl.Int64,
    "kind": pl.Utf8,
    "file_name": pl.Utf8,
    "sha256": pl.Utf8,
    "username": pl.Utf8,
    "created_at": pl.Datetime(time_zone="UTC"),
    "n_new": pl.Int64,
    "n_changed": pl.Int64,
    "n_unchanged": pl.Int64,
    "status": pl.Utf8,
    "undone_at": pl.Datetime(time_zone="UTC"),
    "undone_by": pl.Utf8,
}


def batches(url: str | None = None) -> pl.DataFrame:
    """Every import batch, newest first."""
    stmt = select(
        ImportBatch.id,
        ImportBatch.kind,
        ImportBatch.file_name,
        ImportBatch.sha256,
        ImportBatch.username,
        ImportBatch.created_at,
        ImportBatch.n_new,
        ImportBatch.n_changed,
        ImportBatch.n_unchanged,
        ImportBatch.status,
        ImportBatch.undone_at,
        ImportBatch.undone_by,
    ).order_by(ImportBatch.id.desc())
    return frame(stmt, BATCH_SCHEMA, url)


def has_synthetic(url: str | None = None) -> bool:
    """Whether the store holds any synthetic (generated, not real) org, figure or station."""
    with get_engine(url).connect() as conn:
        for model in (Org, Observation, Station):
            stmt = select(model.id).where(model.is_synthetic.is_(True)).limit(1)
            if conn.execute(stmt).first() is not None:
                return True
    return False
