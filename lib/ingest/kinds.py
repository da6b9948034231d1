"""The kinds of upload (observations, targets, stations), one KindSpec each: its columns, the
sheet names that name it, the reader of one row, the store model it writes, the fields that
identify a record, the fields a re-upload compares, the optional columns whose absence keeps the
stored value, and the schema of the frame its validated records are held in. Everything that differs
between kinds is here; the rest of lib.ingest asks the spec."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import Table

from lib.core.vocab import STATION_FIELDS
from lib.ingest.columns import (
    OBSERVATION_COLUMNS,
    OBSERVATION_SHEETS,
    STATION_COLUMNS,
    STATION_SHEETS,
    TARGET_COLUMNS,
    TARGET_SHEETS,
    Col,
    norm,
    norm_header,
)
from lib.ingest.read import Grid
from lib.ingest.rows import Record, RowReader, observation_records, station_records, target_records
from lib.store.models import Observation, Station, Target

Model = type[Observation] | type[Target] | type[Station]

# The fast path's frame of validated observations: the file row, then the record's fields.
OBSERVATION_UPLOAD_SCHEMA = pl.Schema(
    {
        "row": pl.Int64,
        "org_id": pl.Int64,
        "indicator_id": pl.Int64,
        "year": pl.Int64,
        "quarter": pl.Int64,
        "value": pl.Float64,
        "qualifier": pl.String,
        "period_note": pl.String,
        "locator": pl.String,
        "source_id": pl.Int64,
    }
)
TARGET_UPLOAD_SCHEMA = pl.Schema(
    {
        "row": pl.Int64,
        "org_id": pl.Int64,
        "indicator_id": pl.Int64,
        "year": pl.Int64,
        "base_year": pl.Int64,
        "quarter": pl.Int64,
        "value": pl.Float64,
        "comparator": pl.String,
        "qualifier": pl.String,
        "plan_zh": pl.String,
        "plan_en": pl.String,
        "locator": pl.String,
        "source_id": pl.Int64,
    }
)
STATION_UPLOAD_SCHEMA = pl.Schema(
    {
        "row": pl.Int64,
        "code": pl.String,
        "name_zh": pl.String,
        "name_en": pl.String,
        "type": pl.String,
        "org_id": pl.Int64,
        "town": pl.String,
        "address": pl.String,
        "lat": pl.Float64,
        "lon": pl.Float64,
        "precision": pl.String,
        "opened_year": pl.Int64,
        "status": pl.String,
        "locator": pl.String,
        "source_id": pl.Int64,
    }
)


@dataclass(frozen=True)
class KindSpec:
    """One kind of upload: what a file of it holds, how a row is read and how it is stored."""

    name: str
    columns: tuple[Col, ...]
    sheets: tuple[str, ...]
    read_row: RowReader
    model: Model
    schema: pl.Schema  # the frame of validated records: the file row, then the record's fields
    key_fields: tuple[str, ...]
    compare_fields: tuple[str, ...]
    scope: tuple[str, ...] = ()  # fields that narrow the store rows a diff reads
    keep_if_absent: tuple[str, ...] = ()  # optional fields an absent column leaves as stored
    marks: tuple[frozenset[str], ...] = ()  # header keys that tell the kind (each set met)
    wide_ok: bool = False  # a column per period allowed

    def key(self, record: Record) -> tuple[Any, ...]:
        """The identity of a record within its kind."""
        return tuple(record[f] for f in self.key_fields)

    @property
    def table(self) -> Table:
        """The store table the kind's records go to."""
        return self.model.metadata.tables[self.model.__tablename__]


OBSERVATIONS = KindSpec(
    "observations",
    OBSERVATION_COLUMNS,
    OBSERVATION_SHEETS,
    observation_records,
    Observation,
    OBSERVATION_UPLOAD_SCHEMA,
    ("org_id", "indicator_id", "year", "quarter", "period_note"),
    ("value", "qualifier"),
    scope=("org_id", "indicator_id", "year"),
    wide_ok=True,
)
TARGETS = KindSpec(
    "targets",
    TARGET_COLUMNS,
    TARGET_SHEETS,
    target_records,
    Target,
    TARGET_UPLOAD_SCHEMA,
    ("org_id", "indicator_id", "year", "quarter", "plan_zh"),
    ("value", "comparator", "qualifier", "base_year", "plan_en"),
    scope=("org_id", "indicator_id", "year"),
    keep_if_absent=("base_year", "comparator", "plan_en"),
    marks=(
        frozenset(
            {
                "依据",
                "规划",
                "目标依据",
                "plan",
                "plan_zh",
                "比较",
                "comparator",
                "目标值",
                "target",
            }
        ),
    ),
)
STATIONS = KindSpec(
    "stations",
    STATION_COLUMNS,
    STATION_SHEETS,
    station_records,
    Station,
    STATION_UPLOAD_SCHEMA,
    ("code",),
    ("name_zh", *STATION_FIELDS[:2], "org_id", *STATION_FIELDS[2:]),
    keep_if_absent=tuple(f for f in STATION_FIELDS if f not in ("type", "lat", "lon")),
    marks=(frozenset({"纬度", "lat", "latitude"}), frozenset({"经度", "lon", "lng", "longitude"})),
)
SPECS: dict[str, KindSpec] = {s.name: s for s in (OBSERVATIONS, TARGETS, STATIONS)}
UPLOAD_KINDS = tuple(
    SPECS
)  # observations, targets, stations (not lib.store.models.INDICATOR_KINDS)
SHEET_KEYS = {norm(sheet): spec.name for spec in SPECS.values() for sheet in spec.sheets}


def detect_kind(table: Grid, header: list[str]) -> KindSpec:
    """The kind of data from the sheet name, else from the columns (stations, then targets,
    else observations)."""
    if norm(table.sheet) in SHEET_KEYS:
        return SPECS[SHEET_KEYS[norm(table.sheet)]]
    keys = {norm_header(h) for h in header}
    for spec in (STATIONS, TARGETS):
        if all(keys & mark for mark in spec.marks):
            return spec
    return OBSERVATIONS
