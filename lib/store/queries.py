"""Named read queries of the KPI store. Each takes plain values (and an optional URL), runs one
SQLAlchemy select() with bound parameters, and returns a polars DataFrame with a fixed schema.

Every selected column carries a label equal to its name in the schema, and `frame` reads the rows
by those labels (never by position), so reordering a select cannot put values under the wrong
name; a select whose labels differ from the schema's names is refused."""

from __future__ import annotations

from typing import Any

import polars as pl
from sqlalchemy import Select, func, select

from lib.store.db import get_engine
from lib.store.models import ImportBatch, Indicator, Observation, Org, Source, Station, Target

NamedSelect = Select[*tuple[Any, ...]]  # a named query's select, any columns

_ORG_INDICATOR_SCHEMA: dict[str, Any] = {
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
}  # the org and indicator columns of figure and target queries (_org_indicator_columns)

OBSERVATION_SCHEMA: dict[str, Any] = {
    "obs_id": pl.Int64,
    **_ORG_INDICATOR_SCHEMA,
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
    """The labelled org and indicator columns that figure and target queries share
    (``_ORG_INDICATOR_SCHEMA``)."""
    return (
        Org.code.label("org_code"),
        Org.name_zh.label("org_name_zh"),
        Org.name_en.label("org_name_en"),
        Indicator.code.label("indicator_code"),
        Indicator.name_zh.label("indicator_name_zh"),
        Indicator.name_en.label("indicator_name_en"),
        Indicator.category,
        Indicator.unit_zh,
        Indicator.unit_en,
        Indicator.kind,
    )


Filters = tuple[tuple[str, ...] | None, tuple[str, ...] | None, tuple[int, ...] | None]
# org codes, indicator codes and years to keep (None: all)


def _current_figures(
    stmt: NamedSelect, model: type[Observation] | type[Target], filters: Filters
) -> NamedSelect:
    """A select of figure or target columns over the model's current rows, joined to their org,
    indicator and source, keeping only the given orgs, indicators and years."""
    org_codes, indicator_codes, years = filters
    stmt = (
        stmt.join(Org, Org.id == model.org_id)
        .join(Indicator, Indicator.id == model.indicator_id)
        .join(Source, Source.id == model.source_id)
        .where(model.is_current.is_(True))
    )
    if org_codes is not None:
        stmt = stmt.where(Org.code.in_(org_codes))
    if indicator_codes is not None:
        stmt = stmt.where(Indicator.code.in_(indicator_codes))
    if years is not None:
        stmt = stmt.where(model.year.in_(years))
    return stmt


def frame(stmt: NamedSelect, schema: dict[str, Any], url: str | None = None) -> pl.DataFrame:
    """Run a select and return its rows as a DataFrame with the given schema, each value put
    under the label of its column; ValueError when the labels are not the schema's names."""
    labels = list(stmt.selected_columns.keys())
    if sorted(labels) != sorted(schema) or len(set(labels)) != len(labels):
        raise ValueError(f"select labels {labels} do not match the schema {list(schema)}")
    with get_engine(url).connect() as conn:
        rows = conn.execute(stmt).mappings().all()
    columns = {name: [row[name] for row in rows] for name in schema}
    return pl.DataFrame(columns, schema=schema)


def observations_select(
    org_codes: tuple[str, ...] | None = None,
    indicator_codes: tuple[str, ...] | None = None,
    years: tuple[int, ...] | None = None,
) -> NamedSelect:
    """The select behind `observations`."""
    stmt = select(
        Observation.id.label("obs_id"),
        *_org_indicator_columns(),
        Indicator.rollup,
        Indicator.direction,
        Observation.year,
        Observation.quarter,
        Observation.period_note,
        Observation.value,
        Observation.qualifier,
        Source.code.label("source_code"),
        Source.title_zh.label("source_title_zh"),
        Source.file.label("source_file"),
        Observation.locator,
        Observation.batch_id,
        Observation.is_synthetic,
    )
    stmt = _current_figures(stmt, Observation, (org_codes, indicator_codes, years))
    return stmt.order_by(
        Org.code, Indicator.sort_order, Observation.year, Observation.quarter, Observation.id
    )


def observations(
    org_codes: tuple[str, ...] | None = None,
    indicator_codes: tuple[str, ...] | None = None,
    years: tuple[int, ...] | None = None,
    url: str | None = None,
) -> pl.DataFrame:
    """Current observations with their org, indicator and source, optionally filtered."""
    return frame(observations_select(org_codes, indicator_codes, years), OBSERVATION_SCHEMA, url)


TARGET_SCHEMA: dict[str, Any] = {
    "target_id": pl.Int64,
    **_ORG_INDICATOR_SCHEMA,
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


def targets_select(
    org_codes: tuple[str, ...] | None = None, years: tuple[int, ...] | None = None
) -> NamedSelect:
    """The select behind `targets`."""
    stmt = select(
        Target.id.label("target_id"),
        *_org_indicator_columns(),
        Target.year,
        Target.base_year,
        Target.quarter,
        Target.value,
        Target.comparator,
        Target.qualifier,
        Target.plan_zh,
        Target.plan_en,
        Source.code.label("source_code"),
        Source.title_zh.label("source_title_zh"),
        Target.locator,
    )
    stmt = _current_figures(stmt, Target, (org_codes, None, years))
    return stmt.order_by(Org.code, Target.year, Indicator.sort_order, Target.id)


def targets(
    org_codes: tuple[str, ...] | None = None,
    years: tuple[int, ...] | None = None,
    url: str | None = None,
) -> pl.DataFrame:
    """Current plan targets with their org, indicator and source."""
    return frame(targets_select(org_codes, years), TARGET_SCHEMA, url)


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


def station_select() -> NamedSelect:
    """The select of current stations with their org and source (``STATION_SCHEMA``)."""
    return (
        select(
            Station.id.label("station_id"),
            Station.code,
            Station.name_zh,
            Station.name_en,
            Station.type,
            Org.code.label("org_code"),
            Org.name_zh.label("org_name_zh"),
            Station.town,
            Station.address,
            Station.lat,
            Station.lon,
            Station.precision,
            Station.opened_year,
            Station.status,
            Source.code.label("source_code"),
            Station.locator,
            Station.is_synthetic,
        )
        .join(Org, Org.id == Station.org_id)
        .join(Source, Source.id == Station.source_id)
        .where(Station.is_current.is_(True))
    )


def stations_select(org_codes: tuple[str, ...] | None = None) -> NamedSelect:
    """The select behind `stations`."""
    stmt = station_select()
    if org_codes is not None:
        stmt = stmt.where(Org.code.in_(org_codes))
    return stmt.order_by(Station.type, Station.id)


def stations(org_codes: tuple[str, ...] | None = None, url: str | None = None) -> pl.DataFrame:
    """Current stations with their org and source."""
    return frame(stations_select(org_codes), STATION_SCHEMA, url)


ORG_SCHEMA: dict[str, Any] = {
    "code": pl.Utf8,
    "name_zh": pl.Utf8,
    "name_en": pl.Utf8,
    "level": pl.Utf8,
    "parent_code": pl.Utf8,
    "is_synthetic": pl.Boolean,
}


def orgs_select() -> NamedSelect:
    """The select behind `orgs`."""
    parent = Org.__table__.alias("parent")
    return (
        select(
            Org.code,
            Org.name_zh,
            Org.name_en,
            Org.level,
            parent.c.code.label("parent_code"),
            Org.is_synthetic,
        )
        .outerjoin(parent, parent.c.id == Org.parent_id)
        .order_by(Org.id)
    )


def orgs(url: str | None = None) -> pl.DataFrame:
    """Every org with its parent's code."""
    return frame(orgs_select(), ORG_SCHEMA, url)


INDICATOR_SCHEMA: dict[str, Any] = {
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


def indicators_select() -> NamedSelect:
    """The select behind `indicators`."""
    return select(
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


def indicators(url: str | None = None) -> pl.DataFrame:
    """The indicator catalogue in display order."""
    return frame(indicators_select(), INDICATOR_SCHEMA, url)


_SOURCE_HEAD_SCHEMA: dict[str, Any] = {
    "code": pl.Utf8,
    "kind": pl.Utf8,
    "title_zh": pl.Utf8,
    "title_en": pl.Utf8,
    "publisher": pl.Utf8,
    "published": pl.Utf8,
}  # the columns every source query starts with (_source_head_columns)


def _source_head_columns() -> tuple[Any, ...]:
    """The source columns that the source list and the source details share
    (``_SOURCE_HEAD_SCHEMA``)."""
    return (
        Source.code,
        Source.kind,
        Source.title_zh,
        Source.title_en,
        Source.publisher,
        Source.published,
    )


SOURCE_SCHEMA: dict[str, Any] = {
    **_SOURCE_HEAD_SCHEMA,
    "file": pl.Utf8,
    "covers_zh": pl.Utf8,
    "covers_en": pl.Utf8,
    "n_observations": pl.Int64,
    "n_targets": pl.Int64,
    "n_stations": pl.Int64,
}


def _count_citing(model: type[Observation] | type[Target] | type[Station]) -> Any:
    """A correlated count of current rows of a model citing the source."""
    return (
        select(func.count(model.id))
        .where(model.source_id == Source.id, model.is_current.is_(True))
        .scalar_subquery()
    )


def sources_select() -> NamedSelect:
    """The select behind `sources`."""
    return select(
        *_source_head_columns(),
        Source.file,
        Source.covers_zh,
        Source.covers_en,
        _count_citing(Observation).label("n_observations"),
        _count_citing(Target).label("n_targets"),
        _count_citing(Station).label("n_stations"),
    ).order_by(Source.id)


def sources(url: str | None = None) -> pl.DataFrame:
    """Every source with how many current figures, targets and stations it supplies."""
    return frame(sources_select(), SOURCE_SCHEMA, url)


SOURCE_DETAIL_SCHEMA: dict[str, Any] = {
    **_SOURCE_HEAD_SCHEMA,
    "newspaper": pl.Utf8,
    "edition": pl.Utf8,
    "file": pl.Utf8,
}


def source_details_select(codes: tuple[str, ...]) -> NamedSelect:
    """The select behind `source_details`."""
    return (
        select(
            *_source_head_columns(),
            Source.newspaper,
            Source.edition,
            Source.file,
        )
        .where(Source.code.in_(codes))
        .order_by(Source.id)
    )


def source_details(codes: tuple[str, ...], url: str | None = None) -> pl.DataFrame:
    """Title, publisher, citation fields and file of the given sources (no counts: cheap at any
    store size)."""
    return frame(source_details_select(codes), SOURCE_DETAIL_SCHEMA, url)


BATCH_SCHEMA: dict[str, Any] = {
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


def batches_select() -> NamedSelect:
    """The select behind `batches`."""
    return select(
        ImportBatch.id.label("batch_id"),
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


def batches(url: str | None = None) -> pl.DataFrame:
    """Every import batch, newest first."""
    return frame(batches_select(), BATCH_SCHEMA, url)


def has_synthetic(url: str | None = None) -> bool:
    """Whether the store holds any synthetic (generated, not real) org, figure or station."""
    with get_engine(url).connect() as conn:
        for model in (Org, Observation, Station):
            stmt = select(model.id).where(model.is_synthetic.is_(True)).limit(1)
            if conn.execute(stmt).first() is not None:
                return True
    return False
